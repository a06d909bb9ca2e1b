//! Push: one batch of a device's outbox, applied in ONE transaction, with rules identical
//! on SQLite and PostgreSQL (written once against [`Tx`]).
//!
//! 1. lock the device row (`UPDATE … RETURNING`): concurrent pushes of one device serialize,
//!    and a revoked device is refused inside the same transaction that would write;
//! 2. an entry with `device_seq ≤ last_seq` is a retry: same content hash → `duplicate`,
//!    different → the whole batch is refused as a `fork` ([`retry`]);
//! 3. the next entry must be `last_seq + 1`, else the batch is refused as a `sequence_gap`;
//! 4. the entry is validated (unit, names, signed documents, document numbers: [`numbers`])
//!    and either rejected with a code (its sequence is consumed, so the device is never
//!    stuck) or given the next unit sequence and merged field by field ([`merge`]).
//!
//! Round trips: measured, a statement per field and per change (≈ 4 per change) made a
//! 500-change push on PostgreSQL take 0.7–1.7 s on a busy machine, because every statement
//! is a ping-pong between two processes competing for the CPU. So a push reads everything
//! the batch needs in a few statements (stored entries of retried sequences, known change
//! ids, current field versions per entity), decides every entry in memory, and writes the
//! change rows, conflicts and winning field versions once each
//! ([`crate::storage::batch::insert_rows`]). Document numbers still read and write
//! `doc_numbers`/`number_blocks` per numbered entry: they are few, and their checks depend on
//! earlier entries of the same batch.
//!
//! **Re-stamped changes.** A device restored from an old backup (or a cloned disk) is reset
//! with a new device id and re-stamps the outbox entries it does not know to be on the server
//! under that id (same change ids, the store's `sync_reset_device`). Some of them may have
//! reached the server under the old id after the backup was taken. Such an entry — a change
//! id the server has from another device of the same unit, with the same content apart from
//! the device — is answered `duplicate` and not applied twice; its new sequence is consumed
//! (kept as a `duplicate` row, so a retry is recognised).

mod merge;
mod numbers;
mod retry;

use std::collections::{HashMap, HashSet};

use chaski_core::change::{Change, ChangeOp};
use chaski_wire::entity::TECHNICIAN_REFERENCES;
use chaski_wire::{
    self as wire, Entity, EntryResult, EntryStatus, PushRequest, PushResponse, RejectCode,
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::devices::DeviceRow;
use crate::error::ServerError;
use crate::storage::batch::insert_rows;
use crate::storage::{Tx, Val};
use crate::values::{i64_of, now_ms, u64_of, valid_name};
use merge::{Versions, merge_fields};
use numbers::check_number;
use retry::{
    Known, Stored, already_had, change_id_reused, is_restamp, known_change_ids, stored_entries,
};

/// The content hash that tells a retried push from a fork.
pub fn content_hash(change: &Change) -> Result<String, ServerError> {
    Ok(hash_of(&change_body(change)?))
}

/// A change as stored (`changes.body`) and hashed.
fn change_body(change: &Change) -> Result<String, ServerError> {
    serde_json::to_string(change)
        .map_err(|e| ServerError::BadRequest(format!("cambio ilegible: {e}")))
}

/// The content hash of a change's stored body.
fn hash_of(body: &str) -> String {
    hex::encode(Sha256::digest(body.as_bytes()))
}

/// Largest JSON size of one change.
const MAX_CHANGE_BYTES: usize = 256 * 1024;

/// Most fields in one change.
const MAX_FIELDS: usize = 200;

fn validate_shape(change: &Change) -> Result<(), String> {
    if !valid_name(&change.entity, 64) {
        return Err(format!("entidad inválida «{}»", change.entity));
    }
    if change.fields.len() > MAX_FIELDS {
        return Err(format!("más de {MAX_FIELDS} campos"));
    }
    if let Some(bad) = change.fields.keys().find(|k| !valid_name(k, 64)) {
        return Err(format!("nombre de campo inválido «{bad}»"));
    }
    if change.hlc.device != change.device_id {
        return Err("la marca de reloj no es del equipo que hizo el cambio".into());
    }
    Ok(())
}

/// Rows to write at the end of the batch.
#[derive(Default)]
struct Writes {
    changes: Vec<Vec<Val>>,
    conflicts: Vec<Vec<Val>>,
    /// This batch's entries by sequence (a batch may repeat one of its own entries).
    stored: HashMap<u64, Stored>,
}

impl Writes {
    #[allow(clippy::too_many_arguments)]
    fn change(
        &mut self,
        row_id: Uuid,
        change: &Change,
        hash: &str,
        body: String,
        server_seq: Option<i64>,
        status: &str,
        code: Option<&str>,
        now: i64,
    ) -> Result<(), ServerError> {
        self.stored.insert(
            change.device_seq,
            Stored {
                hash: hash.to_string(),
                server_seq,
                status: status.to_string(),
                code: code.map(str::to_string),
            },
        );
        self.changes.push(vec![
            Val::text(row_id.to_string()),
            Val::text(change.device_id.to_string()),
            Val::int(i64_of(change.device_seq)?),
            Val::text(&change.unit),
            Val::Int(server_seq),
            Val::text(status),
            Val::Text(code.map(str::to_string)),
            Val::text(hash),
            Val::text(body),
            Val::int(now),
        ]);
        Ok(())
    }
}

/// Pushes a batch from `device`.
pub fn push(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    req: &PushRequest,
) -> Result<PushResponse, ServerError> {
    if req.changes.len() > wire::MAX_PUSH_CHANGES {
        return Err(ServerError::TooLarge(format!(
            "un envío admite hasta {} cambios",
            wire::MAX_PUSH_CHANGES
        )));
    }
    let now = now_ms();
    let (start_seq, start_unit_seq) = lock_rows(tx, device, now)?;
    let seen = req
        .pulled_through
        .get(&device.unit)
        .copied()
        .map(i64_of)
        .transpose()?
        .unwrap_or(0);
    // Read what the batch needs.
    for change in &req.changes {
        if change.device_id != device.device_id {
            return Err(ServerError::DeviceMismatch);
        }
        if change.device_seq == 0 {
            return Err(ServerError::BadRequest(
                "device_seq: las secuencias empiezan en 1".into(),
            ));
        }
    }
    let retried = stored_entries(tx, device, req, start_seq)?;
    let fresh: Vec<&Change> = req
        .changes
        .iter()
        .filter(|c| c.device_seq > start_seq)
        .collect();
    let known = known_change_ids(
        tx,
        &fresh
            .iter()
            .map(|c| c.change_id.to_string())
            .collect::<Vec<_>>(),
    )?;
    let versions = Versions::load(tx, &fresh)?;
    let mut batch = Batch {
        device,
        now,
        seen,
        last_seq: start_seq,
        unit_seq: start_unit_seq,
        retried,
        known,
        versions,
        writes: Writes::default(),
        ids: HashSet::new(),
    };
    // Decide every entry, in memory but for document numbers.
    let mut results = Vec::with_capacity(req.changes.len());
    for change in &req.changes {
        results.push(batch.decide(tx, change)?);
    }
    let last_acked_seq = batch.last_seq;
    batch.write(tx, start_seq, start_unit_seq)?;
    Ok(PushResponse {
        last_acked_seq,
        results,
    })
}

/// Locks the device row (re-reading revocation and its last sequence inside the
/// transaction), then the unit row (sequences are assigned one writer at a time). Returns
/// both last sequences.
fn lock_rows(tx: &mut dyn Tx, device: &DeviceRow, now: i64) -> Result<(u64, i64), ServerError> {
    let rows = tx.query(
        "UPDATE devices SET last_seen_at = $2 WHERE device_id = $1
         RETURNING last_seq, revoked_at",
        &[Val::text(device.device_id.to_string()), Val::int(now)],
    )?;
    let row = rows.first().ok_or(ServerError::TokenInvalid)?;
    if row.opt_i64(1)?.is_some() {
        return Err(ServerError::DeviceRevoked);
    }
    let start_seq = u64_of(row.i64(0)?);
    let rows = tx.query(
        "UPDATE units SET last_seq = last_seq WHERE code = $1 RETURNING last_seq",
        &[Val::text(&device.unit)],
    )?;
    let start_unit_seq = rows
        .first()
        .ok_or_else(|| ServerError::UnitUnknown(device.unit.clone()))?
        .i64(0)?;
    Ok((start_seq, start_unit_seq))
}

/// One batch being decided: what was read for it, the sequences so far, and the rows to
/// write at the end.
struct Batch<'d> {
    device: &'d DeviceRow,
    now: i64,
    /// The unit sequence the device had pulled when it made these changes.
    seen: i64,
    last_seq: u64,
    unit_seq: i64,
    retried: HashMap<u64, Stored>,
    known: HashMap<String, Known>,
    versions: Versions,
    writes: Writes,
    /// Change ids of this batch so far.
    ids: HashSet<String>,
}

impl Batch<'_> {
    /// Decides one entry: a retry, a re-stamped duplicate, a rejection or an accepted change
    /// (merged into the field versions). A gap, a fork or a reused change id refuses the
    /// whole batch.
    fn decide(&mut self, tx: &mut dyn Tx, change: &Change) -> Result<EntryResult, ServerError> {
        // One serialization: the stored body, and the hash of the same bytes.
        let body = change_body(change)?;
        let hash = hash_of(&body);
        if change.device_seq <= self.last_seq {
            let stored = self
                .writes
                .stored
                .get(&change.device_seq)
                .or_else(|| self.retried.get(&change.device_seq));
            return already_had(stored, change, &hash);
        }
        if change.device_seq != self.last_seq + 1 {
            return Err(ServerError::SequenceGap {
                expected: self.last_seq + 1,
                got: change.device_seq,
            });
        }
        let id = change.change_id.to_string();
        if !self.ids.insert(id.clone()) {
            return Err(change_id_reused(change));
        }
        if let Some(k) = self.known.get(&id) {
            // The same change re-stamped by a reset device of the unit: already applied.
            if k.unit == self.device.unit
                && k.device != self.device.device_id.to_string()
                && is_restamp(&k.body, change)
            {
                let server_seq = k.server_seq.map(u64_of);
                self.last_seq = change.device_seq;
                self.writes.change(
                    Uuid::now_v7(),
                    change,
                    &hash,
                    body,
                    None,
                    "duplicate",
                    None,
                    self.now,
                )?;
                return Ok(EntryResult {
                    device_seq: change.device_seq,
                    change_id: change.change_id,
                    status: EntryStatus::Duplicate,
                    server_seq,
                    conflict_id: None,
                    code: None,
                    message: None,
                });
            }
            // A change id seen under another sequence is a hostile or broken client.
            return Err(change_id_reused(change));
        }
        let ahead = change.hlc.wall_ms > clock_limit(self.now);
        let verdict = if body.len() > MAX_CHANGE_BYTES {
            Err(RejectCode::InvalidChange)
        } else if ahead {
            Err(RejectCode::ClockAhead)
        } else if change.unit != self.device.unit {
            Err(RejectCode::UnitMismatch)
        } else if validate_shape(change).is_err() {
            Err(RejectCode::InvalidChange)
        } else if let Err(code) = check_ownership(self.device, change, &self.versions) {
            Err(code)
        } else {
            check_content(tx, self.device, change, &self.versions)?
        };
        self.last_seq = change.device_seq;
        if let Err(code) = verdict {
            self.writes.change(
                change.change_id,
                change,
                &hash,
                body,
                None,
                "rejected",
                Some(code.code()),
                self.now,
            )?;
            return Ok(EntryResult {
                device_seq: change.device_seq,
                change_id: change.change_id,
                status: EntryStatus::Rejected,
                server_seq: None,
                conflict_id: None,
                code: Some(code.code().to_string()),
                message: ahead.then(|| clock_ahead_message(change.hlc.wall_ms, self.now)),
            });
        }
        self.unit_seq += 1;
        self.versions.claim(
            &change.entity,
            &change.entity_id.to_string(),
            &self.device.unit,
        );
        self.writes.change(
            change.change_id,
            change,
            &hash,
            body,
            Some(self.unit_seq),
            "accepted",
            None,
            self.now,
        )?;
        let conflict = merge_fields(
            &mut self.versions,
            &mut self.writes,
            change,
            self.unit_seq,
            self.seen,
            self.now,
        );
        Ok(EntryResult {
            device_seq: change.device_seq,
            change_id: change.change_id,
            status: if conflict.is_some() {
                EntryStatus::Merged
            } else {
                EntryStatus::Applied
            },
            server_seq: Some(u64_of(self.unit_seq)),
            conflict_id: conflict,
            code: None,
            message: None,
        })
    }

    /// Writes the change rows, the conflicts and each changed field once with its final
    /// version, then the device's and the unit's new last sequences.
    fn write(
        self,
        tx: &mut dyn Tx,
        start_seq: u64,
        start_unit_seq: i64,
    ) -> Result<(), ServerError> {
        let Batch {
            device,
            last_seq,
            unit_seq,
            versions,
            writes,
            ..
        } = self;
        let change_rows = writes.changes.len();
        let inserted = insert_rows(
            tx,
            "changes (change_id, device_id, device_seq, unit, server_seq, status, code,
                      content_hash, body, received_at)",
            "ON CONFLICT (change_id) DO NOTHING",
            writes.changes,
        )?;
        if inserted != change_rows as u64 {
            // Another device pushed one of these change ids at the same moment: hostile or
            // broken.
            return Err(ServerError::BadRequest(
                "un change_id del lote ya se recibió de otro equipo".into(),
            ));
        }
        insert_rows(
            tx,
            "conflicts (conflict_id, unit, server_seq, entity, entity_id, field, winner_value,
                        winner_hlc, winner_device, loser_value, loser_hlc, loser_device,
                        created_at)",
            "",
            writes.conflicts,
        )?;
        let field_rows: Vec<Vec<Val>> = versions
            .dirty()
            .into_iter()
            .map(|(entity, id, field, v)| {
                vec![
                    Val::text(entity),
                    Val::text(id),
                    Val::text(field),
                    Val::text(&device.unit),
                    Val::text(&*v.hlc),
                    Val::text(&*v.device),
                    Val::int(v.server_seq),
                    Val::text(&v.value),
                ]
            })
            .collect();
        drop(versions);
        insert_rows(
            tx,
            "field_versions (entity, entity_id, field, unit, hlc, device_id, server_seq, value)",
            "ON CONFLICT (entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc,
                 device_id = excluded.device_id, server_seq = excluded.server_seq,
                 value = excluded.value",
            field_rows,
        )?;
        if last_seq != start_seq {
            tx.execute(
                "UPDATE devices SET last_seq = $2 WHERE device_id = $1",
                &[
                    Val::text(device.device_id.to_string()),
                    Val::int(i64_of(last_seq)?),
                ],
            )?;
        }
        if unit_seq != start_unit_seq {
            tx.execute(
                "UPDATE units SET last_seq = $2 WHERE code = $1",
                &[Val::text(&device.unit), Val::int(unit_seq)],
            )?;
        }
        Ok(())
    }
}

/// The latest stamp accepted now: [`wire::MAX_CLOCK_AHEAD_MS`] past the server's clock.
fn clock_limit(now_ms: i64) -> u64 {
    u64::try_from(now_ms)
        .unwrap_or(0)
        .saturating_add(wire::MAX_CLOCK_AHEAD_MS)
}

/// Both clocks, in Lima time, and what to do.
fn clock_ahead_message(stamp_ms: u64, now_ms: i64) -> String {
    let at = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map_or_else(|| format!("{ms} ms"), chaski_core::time::format_date_time)
    };
    format!(
        "El cambio lleva la hora {} de este equipo, pero en el servidor son las {}: el reloj \
         del equipo está adelantado. Corrija su fecha y hora y vuelva a registrar la \
         información.",
        at(i64::try_from(stamp_ms).unwrap_or(i64::MAX)),
        at(now_ms)
    )
}

/// Who may write what: a record belongs to the unit of its first accepted change, and only
/// that unit's devices change it — a central-office device included (its records are the
/// reference data every unit reads; it writes no unit's records). A change may not claim
/// another unit in its `unit_code` field, nor name another unit's technician as its author
/// ([`TECHNICIAN_REFERENCES`]). The answer for a foreign record says
/// nothing about it: the same code whatever it holds, decided in memory from the versions
/// the batch reads anyway (no extra statement, so no timing to tell).
///
/// Insert-only records ([`Entity::insert_only`]) are never changed once written, and are
/// never deleted.
fn check_ownership(
    device: &DeviceRow,
    change: &Change,
    versions: &Versions,
) -> Result<(), RejectCode> {
    let id = change.entity_id.to_string();
    let owner = versions.owner(&change.entity, &id);
    if owner.is_some_and(|o| o != device.unit) {
        return Err(RejectCode::RecordForeign);
    }
    for field in TECHNICIAN_REFERENCES {
        if let Some(Value::String(technician)) = change.fields.get(*field)
            && versions
                .owner(Entity::Technician.table(), technician)
                .is_some_and(|o| o != device.unit)
        {
            return Err(RejectCode::RecordForeign);
        }
    }
    if let Some(unit_code) = change.fields.get(FIELD_UNIT_CODE)
        && unit_code.as_str() != Some(device.unit.as_str())
    {
        return Err(RejectCode::UnitMismatch);
    }
    if Entity::from_table(&change.entity).is_some_and(Entity::insert_only)
        && (owner.is_some() || change.op == ChangeOp::Delete)
    {
        return Err(RejectCode::RecordInsertOnly);
    }
    Ok(())
}

/// The field in which most records repeat their unit.
const FIELD_UNIT_CODE: &str = "unit_code";

/// Rules on content: signed documents, then document numbers ([`numbers::check_number`]).
fn check_content(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    change: &Change,
    versions: &Versions,
) -> Result<Result<(), RejectCode>, ServerError> {
    if versions
        .get(
            &change.entity,
            &change.entity_id.to_string(),
            wire::FIELD_SIGNED_AT,
        )
        .is_some_and(|v| v.value != "null")
    {
        return Ok(Err(RejectCode::DocumentSigned));
    }
    check_number(tx, device, change, versions)
}
