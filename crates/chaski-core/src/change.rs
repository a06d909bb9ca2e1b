//! A change: the unit of replication.
//!
//! Every write to the local store also appends, in the same transaction, one [`Change`] to the
//! outbox with the next dense per-device sequence number (`device_seq` 1, 2, 3, … with no gaps).
//! The sync protocol pushes changes in that order; the server gives each accepted change a
//! sequence number per unit, which is the only pull cursor.
//!
//! A change carries the *fields that changed* (column name → JSON value), not the whole row,
//! so that concurrent edits of different fields of one record merge without loss; concurrent
//! edits of the same field are decided by the [`Hlc`] stamp (device id as tie-break).
//!
//! This struct is part of the wire format and of the outbox table: its field names and their
//! meaning must never change. Add optional fields only.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::hlc::Hlc;

/// What a change does to its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    /// Create the record or set the given fields on it.
    Upsert,
    /// Remove the record (rare: most records are annulled, not deleted).
    Delete,
}

impl ChangeOp {
    /// The stable text stored in the outbox and sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeOp::Upsert => "upsert",
            ChangeOp::Delete => "delete",
        }
    }

    /// Reads the stable text form.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "upsert" => Some(ChangeOp::Upsert),
            "delete" => Some(ChangeOp::Delete),
            _ => None,
        }
    }
}

/// One replicated change of one record. Wire format: never rename or remove a field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// UUIDv7 made where the change was made; the same change pushed twice has the same id.
    pub change_id: Uuid,
    /// The device that made the change.
    pub device_id: Uuid,
    /// Dense per-device sequence: 1, 2, 3, … with no gaps.
    pub device_seq: u64,
    /// The unit the record belongs to (e.g. `UT-CUSCO`). On the server the unit is derived
    /// from the device, and a change whose unit differs is refused.
    pub unit: String,
    /// The kind of record, as the store's table name in singular (`attention`, `person`, …).
    pub entity: String,
    /// The record's UUIDv7.
    pub entity_id: Uuid,
    /// Upsert or delete.
    pub op: ChangeOp,
    /// The fields that changed: column name → value. All fields for a new record.
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// When the change was made, for merge ordering.
    pub hlc: Hlc,
    /// Wall-clock time of the change, in UTC (informative only; never a cursor).
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_op_text_round_trips() {
        for op in [ChangeOp::Upsert, ChangeOp::Delete] {
            assert_eq!(ChangeOp::parse(op.as_str()), Some(op));
        }
        assert_eq!(ChangeOp::parse("update"), None);
    }

    #[test]
    fn change_serializes_with_stable_field_names() {
        let device = Uuid::now_v7();
        let mut fields = serde_json::Map::new();
        fields.insert("status".into(), serde_json::json!("en_progreso"));
        let change = Change {
            change_id: Uuid::now_v7(),
            device_id: device,
            device_seq: 7,
            unit: "UT-CUSCO".into(),
            entity: "attention".into(),
            entity_id: Uuid::now_v7(),
            op: ChangeOp::Upsert,
            fields,
            hlc: Hlc::tick(&Hlc::zero(device), 1_732_370_000_000, device),
            created_at: Utc::now(),
        };
        let value = serde_json::to_value(&change).expect("serialize");
        for key in [
            "change_id",
            "device_id",
            "device_seq",
            "unit",
            "entity",
            "entity_id",
            "op",
            "fields",
            "hlc",
            "created_at",
        ] {
            assert!(value.get(key).is_some(), "missing wire field {key}");
        }
        assert_eq!(value["op"], "upsert");
        let back: Change = serde_json::from_value(value).expect("deserialize");
        assert_eq!(back, change);
    }
}
