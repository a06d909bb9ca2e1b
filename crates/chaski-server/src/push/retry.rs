//! Retried and re-stamped entries: what the server already holds for a batch's sequences and
//! change ids, so a retried push answers `duplicate` and a changed one is a `fork`.

use std::collections::HashMap;

use chaski_core::change::Change;
use chaski_wire::{EntryResult, EntryStatus, PushRequest};

use crate::devices::DeviceRow;
use crate::error::ServerError;
use crate::storage::batch::{IN_CHUNK, id_list};
use crate::storage::{Tx, Val};
use crate::values::{i64_of, u64_of};

/// What the server stored for one (device, sequence).
pub(crate) struct Stored {
    pub(crate) hash: String,
    pub(crate) server_seq: Option<i64>,
    pub(crate) status: String,
    pub(crate) code: Option<String>,
}

/// The stored entries of the sequences a batch re-sends (one statement).
pub(crate) fn stored_entries(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    req: &PushRequest,
    start_seq: u64,
) -> Result<HashMap<u64, Stored>, ServerError> {
    let Some(low) = req
        .changes
        .iter()
        .map(|c| c.device_seq)
        .filter(|s| *s <= start_seq)
        .min()
    else {
        return Ok(HashMap::new());
    };
    let high = req
        .changes
        .iter()
        .map(|c| c.device_seq)
        .filter(|s| *s <= start_seq)
        .max()
        .unwrap_or(low);
    let rows = tx.query(
        "SELECT device_seq, content_hash, server_seq, status, code FROM changes
         WHERE device_id = $1 AND device_seq >= $2 AND device_seq <= $3",
        &[
            Val::text(device.device_id.to_string()),
            Val::int(i64_of(low)?),
            Val::int(i64_of(high)?),
        ],
    )?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        out.insert(
            u64_of(r.i64(0)?),
            Stored {
                hash: r.text(1)?,
                server_seq: r.opt_i64(2)?,
                status: r.text(3)?,
                code: r.opt_text(4)?,
            },
        );
    }
    Ok(out)
}

pub(crate) fn already_had(
    stored: Option<&Stored>,
    change: &Change,
    hash: &str,
) -> Result<EntryResult, ServerError> {
    // No stored entry: the device's counter is ahead of its stored history, only possible if
    // the database was tampered with. Treat as a fork: never guess.
    let Some(stored) = stored.filter(|s| s.hash == hash) else {
        return Err(ServerError::Fork {
            seq: change.device_seq,
        });
    };
    Ok(EntryResult {
        device_seq: change.device_seq,
        change_id: change.change_id,
        status: if stored.status == "rejected" {
            EntryStatus::Rejected
        } else {
            EntryStatus::Duplicate
        },
        server_seq: stored.server_seq.map(u64_of),
        conflict_id: None,
        code: stored.code.clone(),
        message: None,
    })
}

/// A change the server already holds under the same change id.
pub(crate) struct Known {
    pub(crate) device: String,
    pub(crate) unit: String,
    pub(crate) server_seq: Option<i64>,
    pub(crate) body: String,
}

pub(crate) fn known_change_ids(
    tx: &mut dyn Tx,
    ids: &[String],
) -> Result<HashMap<String, Known>, ServerError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(IN_CHUNK) {
        let (list, params) = id_list(tx, 1, chunk);
        for r in tx.query(
            &format!(
                "SELECT change_id, device_id, unit, server_seq, body, status FROM changes
                 WHERE change_id {list}"
            ),
            &params,
        )? {
            out.insert(
                r.text(0)?,
                Known {
                    device: r.text(1)?,
                    unit: r.text(2)?,
                    server_seq: r.opt_i64(3)?,
                    body: r.text(4)?,
                },
            );
        }
    }
    Ok(out)
}

/// Whether `incoming` is `stored` re-stamped by another device: everything equal except the
/// device (id, sequence and the device part of the clock stamp).
pub(crate) fn is_restamp(stored: &str, incoming: &Change) -> bool {
    let Ok(old) = serde_json::from_str::<Change>(stored) else {
        return false;
    };
    old.device_id != incoming.device_id
        && old.change_id == incoming.change_id
        && old.unit == incoming.unit
        && old.entity == incoming.entity
        && old.entity_id == incoming.entity_id
        && old.op == incoming.op
        && old.fields == incoming.fields
        && old.hlc.wall_ms == incoming.hlc.wall_ms
        && old.hlc.counter == incoming.hlc.counter
        && old.created_at == incoming.created_at
}

pub(crate) fn change_id_reused(change: &Change) -> ServerError {
    ServerError::BadRequest(format!(
        "change_id {} ya se recibió con otra secuencia",
        change.change_id
    ))
}
