//! The protocol's rules, written once against [`Tx`] and therefore identical on SQLite and
//! PostgreSQL. Every public function here runs inside ONE transaction (the caller's).
//!
//! Push, in short (details in `docs/sync.md`):
//! 1. lock the device row (`UPDATE … RETURNING`): concurrent pushes of one device serialize,
//!    and a revoked device is refused inside the same transaction that would write;
//! 2. an entry with `device_seq ≤ last_seq` is a retry: same content hash → `duplicate`,
//!    different → the whole batch is refused as a `fork`;
//! 3. the next entry must be `last_seq + 1`, else the batch is refused as a `sequence_gap`;
//! 4. the entry is validated (unit, names, signed documents, document numbers) and either
//!    rejected with a code (its sequence is consumed, so the device is never stuck) or
//!    given the next unit sequence and merged field by field (last writer by HLC).

use std::collections::BTreeMap;

use chaski_core::change::Change;
use chaski_sync::wire::{
    self, Conflict, DeviceInfo, NumberBlock, PullPage, ReserveRequest, ResolutionChoice,
    ResolveRequest, ServerChange,
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::ServerError;
use crate::storage::{Row, StoreError, Tx, Val};

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// SHA-256 in hex: how the server keeps tokens and enrolment codes.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.trim().as_bytes()))
}

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

fn u64_of(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn i64_of(v: u64) -> Result<i64, ServerError> {
    i64::try_from(v).map_err(|_| ServerError::BadRequest(format!("número demasiado grande: {v}")))
}

fn parse_uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|e| StoreError::Schema(format!("uuid «{s}»: {e}")))
}

/// Unit codes: `UT-CUSCO`, `OC-LIMA`: upper-case letters, digits and dashes.
pub fn valid_unit_code(code: &str) -> bool {
    (2..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

fn valid_name(s: &str, max: usize) -> bool {
    let mut chars = s.chars();
    (1..=max).contains(&s.len())
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

// ----------------------------------------------------------------------------- units

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

fn unit_exists(tx: &mut dyn Tx, code: &str) -> Result<bool, ServerError> {
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

fn check_readable(tx: &mut dyn Tx, device: &DeviceRow, unit: &str) -> Result<(), ServerError> {
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

// ----------------------------------------------------------------------------- devices

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

// ------------------------------------------------------------------ schema versions

/// At a hello: records the device's replicated-schema version and refuses it
/// ([`ServerError::UnitDataNewer`], 426 `client_outdated`) when a unit it reads already holds
/// data of a newer schema (pushed by an updated device of that unit): this build could not
/// apply those records (new kinds fail its CHECKs), so it must be updated first. Neighbouring
/// versions are otherwise served ([`crate::api::negotiate`]) as long as the data allows.
pub fn check_data_schema(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    client_schema: u32,
) -> Result<(), ServerError> {
    if device.schema_version != client_schema {
        tx.execute(
            "UPDATE devices SET schema_version = $2 WHERE device_id = $1",
            &[
                Val::text(device.device_id.to_string()),
                Val::int(i64::from(client_schema)),
            ],
        )?;
    }
    let rows = if device.central {
        tx.query(
            "SELECT code, data_schema FROM units ORDER BY data_schema DESC, code LIMIT 1",
            &[],
        )?
    } else {
        tx.query(
            "SELECT code, data_schema FROM units WHERE code = $1 OR central <> 0
             ORDER BY data_schema DESC, code LIMIT 1",
            &[Val::text(&device.unit)],
        )?
    };
    if let Some(r) = rows.first() {
        let needed = u32::try_from(r.i64(1)?).unwrap_or(u32::MAX);
        if client_schema < needed {
            return Err(ServerError::UnitDataNewer {
                client: client_schema,
                needed,
                unit: r.text(0)?,
            });
        }
    }
    Ok(())
}

/// After a push that accepted changes: the unit's data now needs (at least) the pushing
/// device's schema version.
pub fn raise_data_schema(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    resp: &wire::PushResponse,
) -> Result<(), ServerError> {
    let accepted = resp.results.iter().any(|r| {
        matches!(
            r.status,
            wire::EntryStatus::Applied | wire::EntryStatus::Merged
        )
    });
    if accepted {
        tx.execute(
            "UPDATE units SET data_schema = $2 WHERE code = $1 AND data_schema < $2",
            &[
                Val::text(&device.unit),
                Val::int(i64::from(device.schema_version)),
            ],
        )?;
    }
    Ok(())
}

// ----------------------------------------------------------------------------- push

mod push;
pub use push::{content_hash, push};

// ----------------------------------------------------------------------------- pull

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
    for r in &rows {
        let body = r.text(1)?;
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

// ----------------------------------------------------------------------------- numbers

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

// ----------------------------------------------------------------------------- conflicts

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
