//! Devices: one-time enrolment codes, enrolment, tokens, revocation, and what the server
//! tells a device about itself. Only hashes of codes and tokens are stored
//! ([`crate::secrets::hash_secret`]).

use chaski_wire::DeviceInfo;
use uuid::Uuid;

use crate::error::ServerError;
use crate::secrets::hash_secret;
use crate::storage::{Row, StoreError, Tx, Val};
use crate::units::{readable_units, unit_exists};
use crate::values::{i64_of, now_ms, parse_uuid, u64_of};

/// A device as the server knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    /// Its id.
    pub device_id: Uuid,
    /// Its unit.
    pub unit: String,
    /// Whether its unit is the central office.
    pub central: bool,
    /// Last acknowledged `device_seq`.
    pub last_seq: u64,
    /// Whether it was revoked.
    pub revoked: bool,
    /// Its last outbox sequence when it enrolled (changes up to it predate its blocks).
    pub enrolled_seq: u64,
    /// The replicated-schema version it gave at its last hello.
    pub schema_version: u32,
}

/// Registers a one-time enrolment code (its hash) for `unit`, valid for `valid_ms`.
pub fn add_enrolment(
    tx: &mut dyn Tx,
    unit: &str,
    code: &str,
    valid_ms: i64,
) -> Result<(), ServerError> {
    if !unit_exists(tx, unit)? {
        return Err(ServerError::UnitUnknown(unit.to_string()));
    }
    let now = now_ms();
    tx.execute(
        "INSERT INTO enrolments (code_hash, unit, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        &[
            Val::text(hash_secret(code)),
            Val::text(unit),
            Val::int(now),
            Val::int(now.saturating_add(valid_ms)),
        ],
    )?;
    Ok(())
}

/// Consumes an enrolment code and registers the device with the hash of its new token.
/// When the device declares its unit and the code is for another one, nothing is consumed or
/// registered (the error rolls the transaction back).
pub fn enroll(
    tx: &mut dyn Tx,
    code: &str,
    device_id: Uuid,
    device_name: &str,
    token: &str,
    last_device_seq: u64,
    device_unit: Option<&str>,
) -> Result<DeviceRow, ServerError> {
    let now = now_ms();
    let name = device_name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(ServerError::BadRequest(
            "device_name: el nombre del equipo es obligatorio (hasta 100 caracteres)".into(),
        ));
    }
    let rows = tx.query(
        "UPDATE enrolments SET used_at = $2, device_id = $3
         WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2
         RETURNING unit",
        &[
            Val::text(hash_secret(code)),
            Val::int(now),
            Val::text(device_id.to_string()),
        ],
    )?;
    let Some(unit) = rows.first().map(|r| r.text(0)).transpose()? else {
        // The answer to an enrolment can be lost on the way back. The same device may then
        // present the same, still valid code again: it gets a fresh token (the old one, never
        // received, stops working). Any other use of a used code is refused.
        let n = tx.execute(
            "UPDATE devices SET token_hash = $3
             WHERE device_id = $2 AND revoked_at IS NULL AND last_seq = 0 AND EXISTS (
                 SELECT 1 FROM enrolments e WHERE e.code_hash = $1 AND e.device_id = $2
                   AND e.expires_at > $4)",
            &[
                Val::text(hash_secret(code)),
                Val::text(device_id.to_string()),
                Val::text(hash_secret(token)),
                Val::int(now),
            ],
        )?;
        if n == 0 {
            return Err(ServerError::EnrolmentInvalid);
        }
        return device_by_id(tx, device_id)?.ok_or(ServerError::EnrolmentInvalid);
    };
    if let Some(device_unit) = device_unit.map(str::trim).filter(|u| !u.is_empty())
        && device_unit != unit
    {
        return Err(ServerError::UnitMismatch {
            code_unit: unit,
            device_unit: device_unit.to_string(),
        });
    }
    let n = tx.execute(
        "INSERT INTO devices (device_id, unit, name, token_hash, last_seq, enrolled_at, enrolled_seq)
         VALUES ($1, $2, $3, $4, 0, $5, $6) ON CONFLICT (device_id) DO NOTHING",
        &[
            Val::text(device_id.to_string()),
            Val::text(&unit),
            Val::text(name),
            Val::text(hash_secret(token)),
            Val::int(now),
            Val::int(i64_of(last_device_seq)?),
        ],
    )?;
    if n == 0 {
        return Err(ServerError::DeviceExists);
    }
    device_by_id(tx, device_id)?.ok_or(ServerError::Store(StoreError::Schema(
        "equipo recién inscrito no encontrado".into(),
    )))
}

fn device_from_row(r: &Row) -> Result<DeviceRow, ServerError> {
    Ok(DeviceRow {
        device_id: parse_uuid(&r.text(0)?)?,
        unit: r.text(1)?,
        central: r.i64(2)? != 0,
        last_seq: u64_of(r.i64(3)?),
        revoked: r.opt_i64(4)?.is_some(),
        enrolled_seq: u64_of(r.i64(5)?),
        schema_version: u32::try_from(r.i64(6)?).unwrap_or(1),
    })
}

const DEVICE_SELECT: &str = "SELECT d.device_id, d.unit, u.central, d.last_seq, d.revoked_at,
            d.enrolled_seq, d.schema_version
     FROM devices d JOIN units u ON u.code = d.unit";

/// The device holding `token`, if any.
pub fn device_by_token(tx: &mut dyn Tx, token: &str) -> Result<Option<DeviceRow>, ServerError> {
    let rows = tx.query(
        &format!("{DEVICE_SELECT} WHERE d.token_hash = $1"),
        &[Val::text(hash_secret(token))],
    )?;
    rows.first().map(device_from_row).transpose()
}

/// The device `id`, if any.
pub fn device_by_id(tx: &mut dyn Tx, id: Uuid) -> Result<Option<DeviceRow>, ServerError> {
    let rows = tx.query(
        &format!("{DEVICE_SELECT} WHERE d.device_id = $1"),
        &[Val::text(id.to_string())],
    )?;
    rows.first().map(device_from_row).transpose()
}

/// Revokes a device: every later request with its token is refused.
pub fn revoke(tx: &mut dyn Tx, id: Uuid) -> Result<(), ServerError> {
    let n = tx.execute(
        "UPDATE devices SET revoked_at = $2 WHERE device_id = $1 AND revoked_at IS NULL",
        &[Val::text(id.to_string()), Val::int(now_ms())],
    )?;
    if n == 0 && device_by_id(tx, id)?.is_none() {
        return Err(ServerError::DeviceUnknown(id));
    }
    Ok(())
}

/// The hello's device description.
pub fn device_info(tx: &mut dyn Tx, device: &DeviceRow) -> Result<DeviceInfo, ServerError> {
    Ok(DeviceInfo {
        device_id: device.device_id,
        unit: device.unit.clone(),
        central: device.central,
        last_device_seq: device.last_seq,
        readable_units: readable_units(tx, device)?,
    })
}
