//! Number blocks: a device reserves a run of document numbers of its unit's series, so it
//! can number documents offline; a push is checked against them ([`crate::push`]).

use chaski_wire::{self as wire, NumberBlock, ReserveRequest};
use uuid::Uuid;

use crate::devices::DeviceRow;
use crate::error::ServerError;
use crate::storage::{StoreError, Tx, Val};
use crate::values::{now_ms, u64_of, valid_name};

/// Reserves a block of document numbers for `device` in its own unit.
pub fn reserve(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    req: &ReserveRequest,
) -> Result<NumberBlock, ServerError> {
    if !valid_name(&req.kind, 40) {
        return Err(ServerError::BadRequest(format!(
            "kind: tipo de documento inválido «{}»",
            req.kind
        )));
    }
    if !(2000..=2200).contains(&req.year) {
        return Err(ServerError::BadRequest(format!(
            "year: año fuera de rango ({})",
            req.year
        )));
    }
    if !(1..=wire::MAX_BLOCK_SIZE).contains(&req.count) {
        return Err(ServerError::BadRequest(format!(
            "count: pida entre 1 y {} números",
            wire::MAX_BLOCK_SIZE
        )));
    }
    let unit = Val::text(&device.unit);
    let kind = Val::text(&req.kind);
    let year = Val::int(i64::from(req.year));
    tx.execute(
        "INSERT INTO number_series (unit, kind, year, next_number) VALUES ($1, $2, $3, 1)
         ON CONFLICT (unit, kind, year) DO NOTHING",
        &[unit.clone(), kind.clone(), year.clone()],
    )?;
    let next = tx
        .query(
            "UPDATE number_series SET next_number = next_number + $4
             WHERE unit = $1 AND kind = $2 AND year = $3 RETURNING next_number",
            &[
                unit.clone(),
                kind.clone(),
                year.clone(),
                Val::int(i64::from(req.count)),
            ],
        )?
        .first()
        .ok_or_else(|| StoreError::Schema("serie de numeración perdida".into()))?
        .i64(0)?;
    let first = next - i64::from(req.count);
    let last = next - 1;
    let block_id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO number_blocks (block_id, unit, kind, year, device_id, first_number, last_number, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            Val::text(block_id.to_string()),
            unit,
            kind,
            year,
            Val::text(device.device_id.to_string()),
            Val::int(first),
            Val::int(last),
            Val::int(now_ms()),
        ],
    )?;
    Ok(NumberBlock {
        block_id,
        unit: device.unit.clone(),
        kind: req.kind.clone(),
        year: req.year,
        first: u64_of(first),
        last: u64_of(last),
    })
}
