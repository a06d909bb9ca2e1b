//! Units: the territorial units and the central office, and who may read which.
//!
//! A device reads its own unit, the central office's reference data, and (central office
//! only) every unit. A unit it may not read gets the same answer whether it exists or not.

use std::collections::BTreeMap;

use crate::devices::DeviceRow;
use crate::error::ServerError;
use crate::storage::{Tx, Val};
use crate::values::now_ms;

/// Unit codes: `UT-CUSCO`, `OC-LIMA`: upper-case letters, digits and dashes.
pub fn valid_unit_code(code: &str) -> bool {
    (2..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

/// Creates a unit. `central` marks the central office (reads every unit; its own changes
/// are reference data every device reads).
pub fn add_unit(tx: &mut dyn Tx, code: &str, name: &str, central: bool) -> Result<(), ServerError> {
    if !valid_unit_code(code) {
        return Err(ServerError::BadRequest(format!(
            "código de unidad inválido «{code}»: use mayúsculas, dígitos y guiones (p. ej. UT-CUSCO)"
        )));
    }
    if name.trim().is_empty() || name.len() > 200 {
        return Err(ServerError::BadRequest(
            "el nombre de la unidad es obligatorio (hasta 200 caracteres)".into(),
        ));
    }
    let n = tx.execute(
        "INSERT INTO units (code, name, central, last_seq, created_at) VALUES ($1, $2, $3, 0, $4)
         ON CONFLICT (code) DO NOTHING",
        &[
            Val::text(code),
            Val::text(name.trim()),
            Val::int(i64::from(central)),
            Val::int(now_ms()),
        ],
    )?;
    if n == 0 {
        return Err(ServerError::UnitExists(code.to_string()));
    }
    Ok(())
}

pub(crate) fn unit_exists(tx: &mut dyn Tx, code: &str) -> Result<bool, ServerError> {
    Ok(!tx
        .query("SELECT code FROM units WHERE code = $1", &[Val::text(code)])?
        .is_empty())
}

/// The units `device` may pull: its own, then the central office's, then (central office
/// only) every other unit.
pub fn readable_units(tx: &mut dyn Tx, device: &DeviceRow) -> Result<Vec<String>, ServerError> {
    let rows = tx.query("SELECT code, central FROM units ORDER BY code", &[])?;
    let mut out = vec![device.unit.clone()];
    let mut others = Vec::new();
    for r in rows {
        let code = r.text(0)?;
        if code == device.unit {
            continue;
        }
        if r.i64(1)? != 0 {
            out.push(code);
        } else if device.central {
            others.push(code);
        }
    }
    out.extend(others);
    Ok(out)
}

pub(crate) fn check_readable(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    unit: &str,
) -> Result<(), ServerError> {
    if readable_units(tx, device)?.iter().any(|u| u == unit) {
        return Ok(());
    }
    if device.central {
        Err(ServerError::UnitUnknown(unit.to_string()))
    } else {
        // Same answer whether the unit exists or not: nothing leaks.
        Err(ServerError::UnitForbidden {
            device_unit: device.unit.clone(),
            unit: unit.to_string(),
        })
    }
}

/// The merged state of a unit's records as the server sees it: `(entity, entity_id, field)
/// → value`, for comparing replicas in tests and audits.
pub fn unit_state(
    tx: &mut dyn Tx,
    unit: &str,
) -> Result<BTreeMap<(String, String, String), String>, ServerError> {
    let rows = tx.query(
        "SELECT entity, entity_id, field, value FROM field_versions WHERE unit = $1",
        &[Val::text(unit)],
    )?;
    rows.iter()
        .map(|r| Ok(((r.text(0)?, r.text(1)?, r.text(2)?), r.text(3)?)))
        .collect()
}
