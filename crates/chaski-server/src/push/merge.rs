//! Per-field last-writer-wins by hybrid logical clock, decided in memory for a whole batch:
//! the current field versions of every record the batch touches are read once
//! ([`Versions::load`]), kept up to date as entries are decided (a later entry of the batch
//! sees an earlier one's fields, exactly as if written), and written back once.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use chaski_core::change::{Change, ChangeOp};
use chaski_wire::entity::TECHNICIAN_REFERENCES;
use chaski_wire::{self as wire, Entity};
use serde_json::Value;
use uuid::Uuid;

use super::Writes;
use crate::error::ServerError;
use crate::storage::batch::{IN_CHUNK, id_list};
use crate::storage::{Tx, Val};

pub(crate) struct FieldVersion {
    /// Shared by every field of one change (measured: per-field copies of the stamp and
    /// the device id were a visible part of a 500-change push).
    pub(crate) hlc: Rc<str>,
    pub(crate) device: Rc<str>,
    pub(crate) server_seq: i64,
    pub(crate) value: String,
    /// Changed by this batch: to be written back.
    pub(crate) dirty: bool,
}

/// One record's fields.
type Fields = HashMap<String, FieldVersion>;

/// The current field versions of every record a batch touches (entity → id → field), kept
/// up to date in memory as the batch is decided. Nested maps so that a lookup by `&str`
/// allocates nothing.
///
/// Also the owner of each record: the unit of its first accepted change, stored with each of
/// its field versions (`field_versions.unit`, never changed afterwards).
#[derive(Default)]
pub(crate) struct Versions {
    pub(crate) records: HashMap<String, HashMap<String, Fields>>,
    owners: HashMap<String, HashMap<String, String>>,
}

impl Versions {
    pub(crate) fn load(tx: &mut dyn Tx, changes: &[&Change]) -> Result<Self, ServerError> {
        let mut by_entity: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for c in changes {
            by_entity
                .entry(c.entity.as_str())
                .or_default()
                .insert(c.entity_id.to_string());
            // The technicians a change names: their owners are checked too.
            for field in TECHNICIAN_REFERENCES {
                if let Some(Value::String(id)) = c.fields.get(*field) {
                    by_entity
                        .entry(Entity::Technician.table())
                        .or_default()
                        .insert(id.clone());
                }
            }
        }
        let mut out = Versions::default();
        for (entity, ids) in by_entity {
            let ids: Vec<String> = ids.into_iter().collect();
            let records = out.records.entry(entity.to_string()).or_default();
            let owners = out.owners.entry(entity.to_string()).or_default();
            for chunk in ids.chunks(IN_CHUNK) {
                let (list, params) = id_list(tx, 2, chunk);
                let mut all = vec![Val::text(entity)];
                all.extend(params);
                let rows = tx.query(
                    &format!(
                        "SELECT entity_id, field, hlc, device_id, server_seq, value, unit
                         FROM field_versions WHERE entity = $1 AND entity_id {list}"
                    ),
                    &all,
                )?;
                for r in rows {
                    let mut vals = r.0.into_iter();
                    let (
                        Some(Val::Text(Some(id))),
                        Some(Val::Text(Some(field))),
                        Some(Val::Text(Some(hlc))),
                        Some(Val::Text(Some(device))),
                        Some(Val::Int(Some(server_seq))),
                        Some(Val::Text(Some(value))),
                        Some(Val::Text(Some(unit))),
                    ) = (
                        vals.next(),
                        vals.next(),
                        vals.next(),
                        vals.next(),
                        vals.next(),
                        vals.next(),
                        vals.next(),
                    )
                    else {
                        return Err(ServerError::Store(crate::storage::StoreError::Schema(
                            "field_versions: fila con otra forma".into(),
                        )));
                    };
                    owners.entry(id.clone()).or_insert(unit);
                    records.entry(id).or_default().insert(
                        field,
                        FieldVersion {
                            hlc: hlc.into(),
                            device: device.into(),
                            server_seq,
                            value,
                            dirty: false,
                        },
                    );
                }
            }
        }
        Ok(out)
    }

    /// The unit that owns a record, if the server has it.
    pub(crate) fn owner(&self, entity: &str, id: &str) -> Option<&str> {
        self.owners.get(entity)?.get(id).map(String::as_str)
    }

    /// Records `unit` as the owner of a record that had none (its first accepted change), so
    /// later entries of the batch see it.
    pub(crate) fn claim(&mut self, entity: &str, id: &str, unit: &str) {
        self.owners
            .entry(entity.to_string())
            .or_default()
            .entry(id.to_string())
            .or_insert_with(|| unit.to_string());
    }

    pub(crate) fn get(&self, entity: &str, id: &str, field: &str) -> Option<&FieldVersion> {
        self.records.get(entity)?.get(id)?.get(field)
    }

    /// The fields of one record, created empty if unknown.
    pub(crate) fn record_mut(&mut self, entity: &str, id: &str) -> &mut Fields {
        self.records
            .entry(entity.to_string())
            .or_default()
            .entry(id.to_string())
            .or_default()
    }

    /// The versions this batch changed, in key order (a stable write order: concurrent
    /// pushes on PostgreSQL then lock shared rows in the same order).
    pub(crate) fn dirty(&self) -> Vec<(&str, &str, &str, &FieldVersion)> {
        let mut out: Vec<_> = self
            .records
            .iter()
            .flat_map(|(entity, records)| {
                records.iter().flat_map(move |(id, fields)| {
                    fields
                        .iter()
                        .filter(|(_, v)| v.dirty)
                        .map(move |(field, v)| (entity.as_str(), id.as_str(), field.as_str(), v))
                })
            })
            .collect();
        out.sort_unstable_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        out
    }
}

/// Per-field last-writer-wins by HLC, in memory; records conflicts. Returns the first
/// conflict's id.
pub(crate) fn merge_fields(
    versions: &mut Versions,
    writes: &mut Writes,
    change: &Change,
    server_seq: i64,
    seen: i64,
    now: i64,
) -> Option<Uuid> {
    let entity_id = change.entity_id.to_string();
    // Field order decides which conflict is "first": by name, as before.
    let mut fields: Vec<(&str, String)> = change
        .fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.to_string()))
        .collect();
    if change.op == ChangeOp::Delete {
        fields.retain(|(k, _)| *k != wire::FIELD_DELETED);
        fields.push((wire::FIELD_DELETED, "true".into()));
    }
    fields.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let hlc: Rc<str> = change.hlc.encode().into();
    let device: Rc<str> = change.device_id.to_string().into();
    let record = versions.record_mut(&change.entity, &entity_id);
    let mut first_conflict = None;
    for (field, value) in fields {
        let incoming_wins = match record.get(field) {
            None => true,
            Some(cur) => {
                let incoming_wins = hlc > cur.hlc;
                let concurrent = cur.device != device
                    && cur.value != value
                    && (!incoming_wins || cur.server_seq > seen);
                if concurrent {
                    let id = Uuid::now_v7();
                    first_conflict.get_or_insert(id);
                    let (winner, loser) = if incoming_wins {
                        ((&value, &hlc, &device), (&cur.value, &cur.hlc, &cur.device))
                    } else {
                        ((&cur.value, &cur.hlc, &cur.device), (&value, &hlc, &device))
                    };
                    writes.conflicts.push(vec![
                        Val::text(id.to_string()),
                        Val::text(&change.unit),
                        Val::int(server_seq),
                        Val::text(&change.entity),
                        Val::text(&entity_id),
                        Val::text(field),
                        Val::text(winner.0),
                        Val::text(&**winner.1),
                        Val::text(&**winner.2),
                        Val::text(loser.0),
                        Val::text(&**loser.1),
                        Val::text(&**loser.2),
                        Val::int(now),
                    ]);
                }
                incoming_wins
            }
        };
        if incoming_wins {
            let v = FieldVersion {
                hlc: Rc::clone(&hlc),
                device: Rc::clone(&device),
                server_seq,
                value,
                dirty: true,
            };
            match record.get_mut(field) {
                Some(cur) => *cur = v,
                None => {
                    record.insert(field.to_string(), v);
                }
            }
        }
    }
    first_conflict
}
