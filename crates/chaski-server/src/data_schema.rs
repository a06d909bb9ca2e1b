//! Replicated-schema versions of the data: which version a device speaks, and which a unit's
//! data already needs (see [`chaski_wire::SCHEMA_VERSION`]).

use chaski_wire as wire;

use crate::devices::DeviceRow;
use crate::error::ServerError;
use crate::storage::{Tx, Val};

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
