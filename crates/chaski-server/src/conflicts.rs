//! Conflicts: concurrent edits of one field, listed for review and resolved by a person of
//! the record's unit (or of the central office).

use chaski_wire::{Conflict, ResolutionChoice, ResolveRequest};
use serde_json::Value;
use uuid::Uuid;

use crate::devices::DeviceRow;
use crate::error::ServerError;
use crate::storage::{Row, StoreError, Tx, Val};
use crate::units::check_readable;
use crate::values::{now_ms, parse_uuid};

const CONFLICT_SELECT: &str = "SELECT conflict_id, unit, entity, entity_id, field, winner_value,
        winner_hlc, winner_device, loser_value, loser_hlc, loser_device, resolved_at, resolved_by,
        resolved_by_name, resolution, resolved_value
     FROM conflicts";

fn conflict_from_row(r: &Row) -> Result<Conflict, ServerError> {
    let json = |s: String| serde_json::from_str(&s).unwrap_or(Value::String(s));
    let resolution = r
        .opt_text(14)?
        .map(|s| {
            serde_json::from_value::<ResolutionChoice>(Value::String(s.clone()))
                .map_err(|_| StoreError::Schema(format!("resolución desconocida «{s}»")))
        })
        .transpose()?;
    Ok(Conflict {
        conflict_id: parse_uuid(&r.text(0)?)?,
        unit: r.text(1)?,
        entity: r.text(2)?,
        entity_id: parse_uuid(&r.text(3)?)?,
        field: r.text(4)?,
        winner_value: json(r.text(5)?),
        winner_hlc: r.text(6)?,
        winner_device: parse_uuid(&r.text(7)?)?,
        loser_value: json(r.text(8)?),
        loser_hlc: r.text(9)?,
        loser_device: parse_uuid(&r.text(10)?)?,
        resolved_at: r
            .opt_i64(11)?
            .and_then(chrono::DateTime::<chrono::Utc>::from_timestamp_millis),
        resolved_by: r.opt_text(12)?.map(|s| parse_uuid(&s)).transpose()?,
        resolved_by_name: r.opt_text(13)?,
        resolution,
        resolved_value: r.opt_text(15)?.map(json),
    })
}

/// Conflicts of `unit`, oldest first (at most 500): only unresolved ones unless
/// `include_resolved`.
pub fn conflicts(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    unit: &str,
    include_resolved: bool,
) -> Result<Vec<Conflict>, ServerError> {
    check_readable(tx, device, unit)?;
    let filter = if include_resolved {
        ""
    } else {
        " AND resolved_at IS NULL"
    };
    let rows = tx.query(
        &format!(
            "{CONFLICT_SELECT} WHERE unit = $1{filter} ORDER BY created_at, conflict_id LIMIT 500"
        ),
        &[Val::text(unit)],
    )?;
    rows.iter().map(conflict_from_row).collect()
}

/// Largest JSON size of a value chosen by hand.
const MAX_RESOLVED_VALUE_BYTES: usize = 64 * 1024;

/// Marks a conflict resolved by `device` with the chosen side or value. Only the conflict's
/// own unit (or the central office) may resolve it; any other device gets the same answer as
/// for an id that does not exist. Resolving again with the same choice returns the stored
/// resolution (a retried request whose answer was lost); another choice is refused.
pub fn resolve_conflict(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    conflict_id: Uuid,
    req: &ResolveRequest,
) -> Result<Conflict, ServerError> {
    let name = match req.resolved_by_name.as_deref().map(str::trim) {
        Some(n) if n.chars().count() > 200 => {
            return Err(ServerError::BadRequest(
                "resolved_by_name: el nombre admite hasta 200 caracteres".into(),
            ));
        }
        Some("") | None => None,
        Some(n) => Some(n.to_string()),
    };
    // Lock the row (UPDATE … RETURNING), so two devices resolving at once serialize.
    let rows = tx.query(
        "UPDATE conflicts SET resolved_at = resolved_at WHERE conflict_id = $1 RETURNING unit",
        &[Val::text(conflict_id.to_string())],
    )?;
    let unit = match rows.first() {
        Some(r) => r.text(0)?,
        None => return Err(ServerError::ConflictUnknown(conflict_id)),
    };
    if unit != device.unit && !device.central {
        return Err(ServerError::ConflictUnknown(conflict_id));
    }
    let current = tx
        .query(
            &format!("{CONFLICT_SELECT} WHERE conflict_id = $1"),
            &[Val::text(conflict_id.to_string())],
        )?
        .first()
        .map(conflict_from_row)
        .transpose()?
        .ok_or(ServerError::ConflictUnknown(conflict_id))?;
    let chosen = match (req.choice, &req.value) {
        (ResolutionChoice::Winner, None) => current.winner_value.clone(),
        (ResolutionChoice::Loser, None) => current.loser_value.clone(),
        (ResolutionChoice::Value, Some(v)) => v.clone(),
        (ResolutionChoice::Value, None) => {
            return Err(ServerError::BadRequest(
                "value: falta el valor elegido (choice = value)".into(),
            ));
        }
        (_, Some(_)) => {
            return Err(ServerError::BadRequest(
                "value: solo se envía con choice = value".into(),
            ));
        }
    };
    let chosen_text = chosen.to_string();
    if chosen_text.len() > MAX_RESOLVED_VALUE_BYTES {
        return Err(ServerError::BadRequest(format!(
            "value: el valor elegido supera {MAX_RESOLVED_VALUE_BYTES} bytes"
        )));
    }
    if let Some(at) = current.resolved_at {
        if current.resolution == Some(req.choice)
            && current.resolved_value.as_ref() == Some(&chosen)
        {
            return Ok(current);
        }
        return Err(ServerError::ConflictResolved {
            by: current
                .resolved_by_name
                .clone()
                .or_else(|| current.resolved_by.map(|d| format!("el equipo {d}")))
                .unwrap_or_default(),
            at: at.to_rfc3339(),
        });
    }
    let choice = match req.choice {
        ResolutionChoice::Winner => "winner",
        ResolutionChoice::Loser => "loser",
        ResolutionChoice::Value => "value",
    };
    tx.execute(
        "UPDATE conflicts SET resolved_at = $2, resolved_by = $3, resolved_by_name = $4,
             resolution = $5, resolved_value = $6
         WHERE conflict_id = $1",
        &[
            Val::text(conflict_id.to_string()),
            Val::int(now_ms()),
            Val::text(device.device_id.to_string()),
            Val::Text(name),
            Val::text(choice),
            Val::text(chosen_text),
        ],
    )?;
    tx.query(
        &format!("{CONFLICT_SELECT} WHERE conflict_id = $1"),
        &[Val::text(conflict_id.to_string())],
    )?
    .first()
    .map(conflict_from_row)
    .transpose()?
    .ok_or(ServerError::ConflictUnknown(conflict_id))
}
