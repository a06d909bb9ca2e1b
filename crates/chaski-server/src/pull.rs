//! Pull: a page of one unit's changes after the client's cursor, in server-sequence order.

use chaski_core::change::Change;
use chaski_wire::{self as wire, PullPage, ServerChange};

use crate::devices::DeviceRow;
use crate::error::ServerError;
use crate::storage::{StoreError, Tx, Val};
use crate::units::check_readable;
use crate::values::{i64_of, u64_of};

/// Largest page of a pull, in bytes of stored changes (a change is at most 256 KiB; 5,000 of
/// them would be over a gigabyte built in memory).
pub const MAX_PULL_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// A page of `unit` after `after`.
pub fn pull(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    unit: &str,
    after: u64,
    limit: Option<u32>,
) -> Result<PullPage, ServerError> {
    check_readable(tx, device, unit)?;
    let limit = limit
        .unwrap_or(wire::DEFAULT_PULL_LIMIT)
        .clamp(1, wire::MAX_PULL_LIMIT);
    let unit_seq = tx
        .query(
            "SELECT last_seq FROM units WHERE code = $1",
            &[Val::text(unit)],
        )?
        .first()
        .map(|r| r.i64(0))
        .transpose()?
        .unwrap_or(0);
    let rows = tx.query(
        "SELECT server_seq, body FROM changes
         WHERE unit = $1 AND server_seq > $2 ORDER BY server_seq LIMIT $3",
        &[
            Val::text(unit),
            Val::int(i64_of(after)?),
            Val::int(i64::from(limit)),
        ],
    )?;
    let mut changes = Vec::with_capacity(rows.len());
    let mut bytes = 0usize;
    for r in &rows {
        let body = r.text(1)?;
        // A page stops before it would pass MAX_PULL_PAGE_BYTES (always one change at least):
        // the rest comes in the next page.
        bytes = bytes.saturating_add(body.len());
        if bytes > MAX_PULL_PAGE_BYTES && !changes.is_empty() {
            break;
        }
        let change: Change = serde_json::from_str(&body)
            .map_err(|e| StoreError::Schema(format!("cambio almacenado ilegible: {e}")))?;
        changes.push(ServerChange {
            server_seq: u64_of(r.i64(0)?),
            change,
        });
    }
    let cursor = changes.last().map_or(after, |c| c.server_seq);
    Ok(PullPage {
        unit: unit.to_string(),
        changes,
        cursor,
        unit_seq: u64_of(unit_seq),
    })
}
