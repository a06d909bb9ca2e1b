//! Document numbers in pushed changes: a new or changed number must lie in one of the
//! device's reserved blocks and be unused in its unit; numbers a device used before it was
//! enrolled are registered, and a collision is recorded for review, never renumbered.

use chaski_core::change::Change;
use chaski_wire::{self as wire, Entity, RejectCode};
use serde_json::Value;
use uuid::Uuid;

use super::merge::Versions;
use crate::devices::DeviceRow;
use crate::error::ServerError;
use crate::storage::{Tx, Val};
use crate::values::now_ms;

pub(crate) struct DocNumber {
    pub(crate) kind: String,
    pub(crate) year: i64,
    pub(crate) number: i64,
}

/// The numbering kind of documents that carry their number in their own `year` and `number`
/// fields (the attention; cargos, traslados and informes de baja), by entity name.
pub(crate) fn own_number_kind(entity: &str) -> Option<&'static str> {
    Entity::from_table(entity)
        .and_then(Entity::number_kind)
        .map(|kind| kind.code())
}

pub(crate) fn doc_number(
    versions: &Versions,
    change: &Change,
) -> Result<Option<DocNumber>, RejectCode> {
    if let Some(kind) = own_number_kind(&change.entity) {
        // These carry their number in their own `year` and `number` fields; a draft (no
        // number yet, e.g. an attention registered offline with its blocks used up) carries
        // none.
        let number = match change.fields.get("number") {
            None | Some(Value::Null) => return Ok(None),
            Some(n) => n.as_i64(),
        };
        let year = match change.fields.get("year") {
            Some(y) => y.as_i64(),
            None => versions
                .get(&change.entity, &change.entity_id.to_string(), "year")
                .and_then(|v| v.value.parse::<i64>().ok()),
        };
        return match (year, number) {
            (Some(year), Some(number)) if number > 0 => Ok(Some(DocNumber {
                kind: kind.to_string(),
                year,
                number,
            })),
            _ => Err(RejectCode::NumberIncomplete),
        };
    }
    let kind = change.fields.get(wire::FIELD_DOC_KIND);
    let year = change.fields.get(wire::FIELD_DOC_YEAR);
    let number = change.fields.get(wire::FIELD_DOC_NUMBER);
    match (kind, year, number) {
        (None, None, None) => Ok(None),
        // A draft whose number is cleared (null) carries no number.
        (_, _, Some(Value::Null)) => Ok(None),
        (Some(Value::String(k)), Some(y), Some(n)) => match (y.as_i64(), n.as_i64()) {
            (Some(year), Some(number)) if number > 0 => Ok(Some(DocNumber {
                kind: k.clone(),
                year,
                number,
            })),
            _ => Err(RejectCode::NumberIncomplete),
        },
        _ => Err(RejectCode::NumberIncomplete),
    }
}

/// A number the device used from its own local series before it was enrolled: registered
/// (and the unit's series moved past it so no block overlaps it); if another record already
/// holds it, the change is still accepted and the collision is recorded as a conflict on
/// the field `number` for a person to review — never renumbered silently.
pub(crate) fn register_pre_enrolment_number(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    change: &Change,
    n: &DocNumber,
) -> Result<(), ServerError> {
    let unit = Val::text(&device.unit);
    let (kind, year, number) = (Val::text(&n.kind), Val::int(n.year), Val::int(n.number));
    let holder = tx.query(
        "SELECT entity_id, device_id FROM doc_numbers
         WHERE unit = $1 AND kind = $2 AND year = $3 AND number = $4",
        &[unit.clone(), kind.clone(), year.clone(), number.clone()],
    )?;
    match holder.first() {
        Some(r) if r.text(0)? != change.entity_id.to_string() => {
            tx.execute(
                "INSERT INTO conflicts (conflict_id, unit, server_seq, entity, entity_id, field,
                    winner_value, winner_hlc, winner_device, loser_value, loser_hlc, loser_device,
                    created_at)
                 VALUES ($1, $2, 0, $3, $4, 'number', $5, '', $6, $5, $7, $8, $9)",
                &[
                    Val::text(Uuid::now_v7().to_string()),
                    unit.clone(),
                    Val::text(&change.entity),
                    Val::text(change.entity_id.to_string()),
                    Val::text(n.number.to_string()),
                    Val::text(r.text(1)?),
                    Val::text(change.hlc.encode()),
                    Val::text(change.device_id.to_string()),
                    Val::int(now_ms()),
                ],
            )?;
        }
        Some(_) => {}
        None => {
            tx.execute(
                "INSERT INTO doc_numbers (unit, kind, year, number, entity_id, device_id)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    unit.clone(),
                    kind.clone(),
                    year.clone(),
                    number.clone(),
                    Val::text(change.entity_id.to_string()),
                    Val::text(change.device_id.to_string()),
                ],
            )?;
        }
    }
    tx.execute(
        "INSERT INTO number_series (unit, kind, year, next_number) VALUES ($1, $2, $3, $4)
         ON CONFLICT (unit, kind, year) DO UPDATE SET next_number =
             CASE WHEN number_series.next_number > excluded.next_number
                  THEN number_series.next_number ELSE excluded.next_number END",
        &[unit, kind, year, Val::int(n.number.saturating_add(1))],
    )?;
    Ok(())
}

/// Checks the document number a change carries, if any, and registers it: only a new or
/// changed number is checked against the device's blocks.
pub(super) fn check_number(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    change: &Change,
    versions: &Versions,
) -> Result<Result<(), RejectCode>, ServerError> {
    let number = match doc_number(versions, change) {
        Ok(n) => n,
        Err(code) => return Ok(Err(code)),
    };
    let Some(n) = number else {
        return Ok(Ok(()));
    };
    // A change that leaves the record's number as it is (a cargo signed or annulled, maybe
    // on another device of the unit: its lifecycle fields repeat year and number) is not a
    // numbering; only a new or changed number is checked against the device's block.
    let stored = |field: &str| {
        versions
            .get(&change.entity, &change.entity_id.to_string(), field)
            .and_then(|v| v.value.parse::<i64>().ok())
    };
    if own_number_kind(&change.entity).is_some()
        && stored("number") == Some(n.number)
        && stored("year") == Some(n.year)
    {
        return Ok(Ok(()));
    }
    let unit = Val::text(&device.unit);
    if change.device_seq <= device.enrolled_seq {
        register_pre_enrolment_number(tx, device, change, &n)?;
        return Ok(Ok(()));
    }
    let in_block = tx.query(
        "SELECT block_id FROM number_blocks
         WHERE unit = $1 AND kind = $2 AND year = $3 AND device_id = $4
           AND first_number <= $5 AND last_number >= $5",
        &[
            unit.clone(),
            Val::text(&n.kind),
            Val::int(n.year),
            Val::text(device.device_id.to_string()),
            Val::int(n.number),
        ],
    )?;
    if in_block.is_empty() {
        return Ok(Err(RejectCode::NumberOutsideBlock));
    }
    let used = tx.query(
        "SELECT entity_id FROM doc_numbers
         WHERE unit = $1 AND kind = $2 AND year = $3 AND number = $4",
        &[
            unit.clone(),
            Val::text(&n.kind),
            Val::int(n.year),
            Val::int(n.number),
        ],
    )?;
    match used.first() {
        Some(r) if r.text(0)? != change.entity_id.to_string() => {
            return Ok(Err(RejectCode::NumberUsed));
        }
        Some(_) => {}
        None => {
            tx.execute(
                "INSERT INTO doc_numbers (unit, kind, year, number, entity_id, device_id)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    unit,
                    Val::text(&n.kind),
                    Val::int(n.year),
                    Val::int(n.number),
                    Val::text(change.entity_id.to_string()),
                    Val::text(device.device_id.to_string()),
                ],
            )?;
        }
    }
    Ok(Ok(()))
}
