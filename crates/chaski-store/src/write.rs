//! The one write path. Every change to a replicated record goes through [`Writer::insert`] or
//! [`Writer::update`], which write the row AND, in the same transaction:
//!
//! - append one [`Change`] to the `outbox` with the next dense `device_seq` (1, 2, 3, … no gaps),
//!   stamped with the next tick of the persisted hybrid logical clock;
//! - set `field_versions(entity, entity_id, field) = hlc` for every field written, which the
//!   sync client needs for per-field last-writer-wins. A new record writes one row with
//!   `field = '*'` (all its fields share the creation stamp) instead of one row per column:
//!   measured, per-column rows took 3.7 KB per attention, more than half of the file.
//!
//! [`Store::write`](crate::Store) opens an IMMEDIATE transaction, hands out a `Writer`, and
//! commits only if the closure succeeds; the clock and the sequence are saved in the same
//! transaction. A failed write therefore leaves neither the row, nor the outbox entry, nor a
//! used sequence number. There is no other way to write a replicated table from this crate.

use chaski_core::change::{Change, ChangeOp};
use chaski_core::hlc::Hlc;
use chaski_core::ids::{DeviceId, TechnicianId};
use chrono::{DateTime, Utc};
use rusqlite::Transaction;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::codec::{JsonParam, parse_id, ts};
use crate::error::{Result, StoreError};

/// The kinds of replicated records, with their tables and the columns a change may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Office,
    Person,
    Technician,
    Attention,
    AttentionEscalation,
    AttentionStatusChange,
    Asset,
    AssetEvent,
    Assignment,
    Transfer,
    GeneratedDocument,
    Diagnostic,
    DecommissionReport,
    MaintenancePlan,
    Maintenance,
    ProviderEscalation,
    WarehouseReview,
    AttentionPause,
    OfficialLetter,
}

impl Entity {
    /// Every replicated entity.
    pub const ALL: &'static [Entity] = &[
        Entity::Office,
        Entity::Person,
        Entity::Technician,
        Entity::Attention,
        Entity::AttentionEscalation,
        Entity::AttentionStatusChange,
        Entity::Asset,
        Entity::AssetEvent,
        Entity::Assignment,
        Entity::Transfer,
        Entity::GeneratedDocument,
        Entity::Diagnostic,
        Entity::DecommissionReport,
        Entity::MaintenancePlan,
        Entity::Maintenance,
        Entity::ProviderEscalation,
        Entity::WarehouseReview,
        Entity::AttentionPause,
        Entity::OfficialLetter,
    ];

    /// The table, which is also the `entity` text of a [`Change`].
    pub fn table(self) -> &'static str {
        match self {
            Entity::Office => "office",
            Entity::Person => "person",
            Entity::Technician => "technician",
            Entity::Attention => "attention",
            Entity::AttentionEscalation => "attention_escalation",
            Entity::AttentionStatusChange => "attention_status_change",
            Entity::Asset => "asset",
            Entity::AssetEvent => "asset_event",
            Entity::Assignment => "assignment",
            Entity::Transfer => "transfer",
            Entity::GeneratedDocument => "generated_document",
            Entity::Diagnostic => "diagnostic",
            Entity::DecommissionReport => "decommission_report",
            Entity::MaintenancePlan => "maintenance_plan",
            Entity::Maintenance => "maintenance",
            Entity::ProviderEscalation => "provider_escalation",
            Entity::WarehouseReview => "warehouse_review",
            Entity::AttentionPause => "attention_pause",
            Entity::OfficialLetter => "official_letter",
        }
    }

    /// Reads the `entity` text of a change.
    pub fn from_table(name: &str) -> Option<Entity> {
        Self::ALL.iter().copied().find(|e| e.table() == name)
    }

    /// The replicated columns (besides `id`). Local-only columns (`attention.seq`, generated
    /// search columns) are not here and never travel.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Entity::Office => &["unit_code", "name", "created_at"],
            Entity::Person => &[
                "unit_code",
                "last_names",
                "first_names",
                "dni",
                "phones",
                "email",
                "office_id",
                "created_at",
                "created_by",
                "updated_at",
                "updated_by",
            ],
            Entity::Technician => &[
                "unit_code",
                "last_names",
                "first_names",
                "dni",
                "active",
                "created_at",
                "updated_at",
            ],
            Entity::Attention => &[
                "unit_code",
                "year",
                "number",
                "received_at",
                "started_at",
                "resolved_at",
                "requester_id",
                "office_id",
                "problem",
                "solution",
                "service_code",
                "status",
                "channel",
                "kind",
                "priority",
                "escalation_level",
                "technician_id",
                "asset_code",
                "conformity_accepted",
                "conformity_at",
                "conformity_remark",
                "created_at",
                "created_by",
                "updated_at",
                "updated_by",
            ],
            Entity::AttentionEscalation => &[
                "attention_id",
                "from_level",
                "to_level",
                "reason",
                "technician_id",
                "at",
            ],
            Entity::AttentionStatusChange => &[
                "attention_id",
                "from_status",
                "to_status",
                "reason",
                "technician_id",
                "at",
            ],
            Entity::Asset => crate::assets::schema::ASSET_COLUMNS,
            Entity::AssetEvent => crate::assets::schema::ASSET_EVENT_COLUMNS,
            Entity::Assignment => crate::assets::schema::ASSIGNMENT_COLUMNS,
            Entity::Transfer => crate::assets::schema::TRANSFER_COLUMNS,
            Entity::GeneratedDocument => crate::documents::GENERATED_DOCUMENT_COLUMNS,
            Entity::Diagnostic => crate::operations::schema::DIAGNOSTIC_COLUMNS,
            Entity::DecommissionReport => crate::operations::schema::DECOMMISSION_REPORT_COLUMNS,
            Entity::MaintenancePlan => crate::operations::schema::MAINTENANCE_PLAN_COLUMNS,
            Entity::Maintenance => crate::operations::schema::MAINTENANCE_COLUMNS,
            Entity::ProviderEscalation => crate::operations::schema::PROVIDER_ESCALATION_COLUMNS,
            Entity::WarehouseReview => crate::operations::schema::WAREHOUSE_REVIEW_COLUMNS,
            Entity::AttentionPause => crate::time::ATTENTION_PAUSE_COLUMNS,
            Entity::OfficialLetter => crate::time::OFFICIAL_LETTER_COLUMNS,
        }
    }

    fn check_fields(self, fields: &Map<String, Value>) -> Result<()> {
        let cols = self.columns();
        match fields.keys().find(|k| !cols.contains(&k.as_str())) {
            Some(k) => Err(StoreError::BadData(format!(
                "columna desconocida «{k}» en {}",
                self.table()
            ))),
            None => Ok(()),
        }
    }
}

/// A write in progress: one transaction, the device's clock and sequence.
pub struct Writer<'c> {
    tx: &'c Transaction<'c>,
    device: Uuid,
    unit_code: String,
    technician_id: TechnicianId,
    hlc: Hlc,
    seq: u64,
    now: DateTime<Utc>,
    changes: u32,
}

const OUTBOX_INSERT: &str = "INSERT INTO outbox (device_seq, change_id, entity, entity_id, op, fields, hlc, unit_code, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
const FIELD_VERSION_UPSERT: &str = "INSERT INTO field_versions (entity, entity_id, field, hlc) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc";

impl<'c> Writer<'c> {
    /// Starts a write inside `tx`, reading the device row (clock, sequence, identity).
    pub(crate) fn begin(tx: &'c Transaction<'c>, now: DateTime<Utc>) -> Result<Self> {
        let (device, unit_code, technician, hlc, seq): (String, String, String, String, i64) = tx
            .query_row(
                "SELECT device_id, unit_code, technician_id, last_hlc, last_device_seq FROM local_device WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
        let device: DeviceId = parse_id(&device)?;
        let hlc: Hlc = hlc
            .parse()
            .map_err(|e| StoreError::BadData(format!("{e}")))?;
        Ok(Self {
            tx,
            device: device.uuid(),
            unit_code,
            technician_id: parse_id(&technician)?,
            hlc,
            seq: u64::try_from(seq).unwrap_or(0),
            now,
            changes: 0,
        })
    }

    /// The transaction, for reads (and for local-only tables such as `number_series`).
    pub fn conn(&self) -> &rusqlite::Connection {
        self.tx
    }

    /// The time of this write.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The unit of this installation.
    pub fn unit_code(&self) -> &str {
        &self.unit_code
    }

    /// The technician of this installation (who makes the change).
    pub fn technician_id(&self) -> TechnicianId {
        self.technician_id
    }

    /// Inserts a new record with `fields` (all replicated columns it has) and records it.
    pub fn insert(&mut self, entity: Entity, id: Uuid, fields: Map<String, Value>) -> Result<()> {
        entity.check_fields(&fields)?;
        let mut cols = String::from("id");
        let mut marks = String::from("?1");
        let id_text = Value::String(id.hyphenated().to_string());
        let mut values: Vec<JsonParam<'_>> = Vec::with_capacity(fields.len() + 1);
        values.push(JsonParam(&id_text));
        for (i, (k, v)) in fields.iter().enumerate() {
            cols.push_str(", ");
            cols.push_str(k);
            marks.push_str(&format!(", ?{}", i + 2));
            values.push(JsonParam(v));
        }
        let sql = format!("INSERT INTO {} ({cols}) VALUES ({marks})", entity.table());
        self.tx
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values))?;
        self.record(entity, id, ChangeOp::Upsert, fields, true)
    }

    /// Sets `fields` on an existing record and records the change. Fields whose value is
    /// unchanged should be left out by the caller (they would only add noise to sync).
    pub fn update(&mut self, entity: Entity, id: Uuid, fields: Map<String, Value>) -> Result<()> {
        entity.check_fields(&fields)?;
        if fields.is_empty() {
            return Ok(());
        }
        let mut sets = Vec::with_capacity(fields.len());
        let mut values: Vec<rusqlite::types::Value> = Vec::with_capacity(fields.len() + 1);
        for (i, (k, v)) in fields.iter().enumerate() {
            sets.push(format!("{k} = ?{}", i + 1));
            values.push(crate::codec::to_sql_value(v));
        }
        values.push(id.hyphenated().to_string().into());
        let sql = format!(
            "UPDATE {} SET {} WHERE id = ?{}",
            entity.table(),
            sets.join(", "),
            values.len()
        );
        let n = self
            .tx
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values))?;
        if n != 1 {
            return Err(chaski_core::Error::not_found("el registro").into());
        }
        self.record(entity, id, ChangeOp::Upsert, fields, false)
    }

    fn record(
        &mut self,
        entity: Entity,
        id: Uuid,
        op: ChangeOp,
        fields: Map<String, Value>,
        new_record: bool,
    ) -> Result<()> {
        self.hlc = Hlc::tick(&self.hlc, chaski_core::time::unix_ms(self.now), self.device);
        self.seq += 1;
        self.changes += 1;
        let change = Change {
            change_id: Uuid::now_v7(),
            device_id: self.device,
            device_seq: self.seq,
            unit: self.unit_code.clone(),
            entity: entity.table().to_string(),
            entity_id: id,
            op,
            fields,
            hlc: self.hlc,
            created_at: self.now,
        };
        let hlc = change.hlc.encode();
        let entity_id = id.hyphenated().to_string();
        let seq = i64::try_from(change.device_seq)
            .map_err(|_| StoreError::BadData("secuencia desbordada".into()))?;
        self.tx
            .prepare_cached(OUTBOX_INSERT)?
            .execute(rusqlite::params![
                seq,
                change.change_id.hyphenated().to_string(),
                change.entity,
                entity_id,
                op.as_str(),
                serde_json::to_string(&change.fields)
                    .map_err(|e| StoreError::BadData(e.to_string()))?,
                hlc,
                change.unit,
                ts(change.created_at),
            ])?;
        if new_record {
            set_field_versions(self.tx, entity, &entity_id, [ALL_FIELDS], &hlc)
        } else {
            set_field_versions(
                self.tx,
                entity,
                &entity_id,
                change.fields.keys().map(String::as_str),
                &hlc,
            )
        }
    }

    /// Saves the clock and the sequence (same transaction). Called by `Store::write`.
    pub(crate) fn finish(self) -> Result<u32> {
        if self.changes > 0 {
            self.tx.execute(
                "UPDATE local_device SET last_hlc = ?1, last_device_seq = ?2 WHERE id = 1",
                rusqlite::params![
                    self.hlc.encode(),
                    i64::try_from(self.seq).unwrap_or(i64::MAX)
                ],
            )?;
        }
        Ok(self.changes)
    }
}

/// The `field` value of the row that versions every field of a record at once: written when
/// the record is created (all its fields share the creation stamp), so a new record costs one
/// row instead of one per column. The version of field `f` is the row `f` if there is one,
/// else the row `*`; see [`field_version`].
pub const ALL_FIELDS: &str = "*";

/// Records `hlc` as the version of `fields` (or of the whole record with [`ALL_FIELDS`]).
/// For the sync client when it applies a pulled change: call it in the same transaction.
pub fn set_field_versions<'f>(
    conn: &rusqlite::Connection,
    entity: Entity,
    entity_id: &str,
    fields: impl IntoIterator<Item = &'f str>,
    hlc: &str,
) -> Result<()> {
    let mut fv = conn.prepare_cached(FIELD_VERSION_UPSERT)?;
    for field in fields {
        fv.execute(rusqlite::params![entity.table(), entity_id, field, hlc])?;
    }
    Ok(())
}

/// The stamp of the last write of `field` of a record (per-field last-writer-wins), or `None`
/// if the record was never written here.
pub fn field_version(
    conn: &rusqlite::Connection,
    entity: Entity,
    entity_id: &str,
    field: &str,
) -> Result<Option<Hlc>> {
    let v: Option<String> = rusqlite::OptionalExtension::optional(
        conn.prepare_cached(
            "SELECT hlc FROM field_versions WHERE entity = ?1 AND entity_id = ?2 AND field IN (?3, '*') \
             ORDER BY field = '*' LIMIT 1",
        )?
        .query_row(rusqlite::params![entity.table(), entity_id, field], |r| r.get(0)),
    )?;
    v.map(|s| s.parse().map_err(|e| StoreError::BadData(format!("{e}"))))
        .transpose()
}

/// Builds a `fields` map from `(column, value)` pairs.
#[macro_export]
#[doc(hidden)]
macro_rules! fields {
    ($($k:literal => $v:expr),* $(,)?) => {{
        let mut m = serde_json::Map::new();
        $( m.insert($k.to_string(), serde_json::json!($v)); )*
        m
    }};
}
