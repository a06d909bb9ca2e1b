//! Enrolment: the one-time code the administrator gives, exchanged for the device token (kept
//! in the OS keyring); re-enrolment under a new device id after a restored backup, a cloned
//! disk or a revoked device.

use std::sync::Arc;

use chaski_core::error::{Error, ErrorCode};
use chaski_store::Store;
use chaski_sync::client::SyncOptions;
use chaski_sync::{StoreReplica, SyncClient, SyncError, desktop_wants};

use super::shared::Shared;
use super::{SyncConfig, Timing, token};
use crate::error::IpcError;

/// An enrolment code as typed (any case, with or without dashes or spaces) in its canonical
/// form `XXXX-XXXX-XXXX`; the grammar is the wire's, shared with the server that makes codes.
pub fn normalize_code(typed: &str) -> Result<String, IpcError> {
    use chaski_sync::wire::enrolment::{EnrolmentCode, EnrolmentCodeError};
    match EnrolmentCode::parse(typed) {
        Ok(code) => Ok(code.to_string()),
        Err(EnrolmentCodeError::Empty) => {
            Err(IpcError(Error::required("code", "Código de inscripción")))
        }
        Err(e @ EnrolmentCodeError::Malformed) => Err(IpcError(Error::field(
            ErrorCode::ValorInvalido,
            "code",
            e.to_string(),
        ))),
    }
}

pub(super) async fn enroll(
    shared: &Arc<Shared>,
    timing: &Timing,
    code: &str,
    device_name: &str,
    restart: bool,
) -> Result<(), IpcError> {
    let store = shared.store().ok_or_else(IpcError::not_ready)?;
    let config = SyncConfig::load(&shared.data_dir)?;
    let transport = config.transport_with_timeout(timing.request_timeout)?;
    let profile = store.profile()?;
    let old_device = profile.device_id.uuid();
    // Before the one-time code is consumed: the token must have somewhere to go.
    token::check_available(old_device)?;
    let mut client = SyncClient::new(transport, None, SyncOptions::default())
        .for_unit(profile.unit.code.clone());
    let answer = if restart {
        // Restored backup, cloned disk or revoked device: a new device id, data kept.
        let mut replica = StoreReplica::new(
            Arc::clone(&store),
            desktop_wants(chaski_core::time::lima_year(chrono::Utc::now())),
        )
        .map_err(|e| IpcError::from(&SyncError::Local(e)))?;
        client
            .reenroll_after_restore(&mut replica, code, device_name)
            .await
    } else {
        let last = store.outbox_stats()?.last_device_seq;
        client.enroll(code, old_device, device_name, last).await
    }
    .map_err(|e| enrol_error(&e))?;
    if answer.unit != profile.unit.code {
        return Err(IpcError(Error::field(
            ErrorCode::CodigoInscripcionInvalido,
            "code",
            format!(
                "El código corresponde a la unidad {}, pero este equipo trabaja para {}; no se \
                 guardó la inscripción. Avise al administrador: debe revocar el equipo {} en el \
                 servidor y darle un código de inscripción para {}; luego use «Volver a \
                 inscribir».",
                answer.unit, profile.unit.code, answer.device_id, profile.unit.code
            ),
        )));
    }
    token::set(answer.device_id, &answer.token).map_err(|e| {
        IpcError(Error::general(
            e.code(),
            format!(
                "{} El código de inscripción sigue sirviendo para este equipo: ingréselo de \
                 nuevo cuando el llavero responda.",
                e.0.message
            ),
        ))
    })?;
    if answer.device_id != old_device {
        // The old id's token is useless now; failing to delete it leaves only clutter.
        let _ = token::forget(old_device);
    }
    store.sync_mark_enrolled()?;
    shared.update(|l| {
        l.token_present = Some(true);
        l.last_error = None;
        l.offline = false;
    });
    Ok(())
}

/// Enrolment errors name the code field when the code is at fault.
fn enrol_error(e: &SyncError) -> IpcError {
    let mut err = IpcError::from(e);
    if err.code() == ErrorCode::CodigoInscripcionInvalido {
        err.0.field = Some("code".into());
    }
    err
}

/// A name the administrator recognises: the computer's host name, else the unit and
/// technician.
pub fn default_device_name(store: &Store) -> Result<String, IpcError> {
    let host = std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty());
    let profile = store.profile()?;
    Ok(match host {
        Some(h) => format!("{h} ({})", profile.unit.code),
        None => format!(
            "{} · {} {}",
            profile.unit.code, profile.technician.first_names, profile.technician.last_names
        ),
    }
    .chars()
    .take(80)
    .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enrolment_codes_are_normalized_or_refused_on_the_code_field() {
        assert_eq!(
            normalize_code(" k7qf 9xm2-hd4t ").as_deref().ok(),
            Some("K7QF-9XM2-HD4T")
        );
        assert_eq!(
            normalize_code("K7QF9XM2HD4T").as_deref().ok(),
            Some("K7QF-9XM2-HD4T")
        );
        let e = normalize_code("  ").expect_err("empty");
        assert_eq!(e.code(), ErrorCode::CampoRequerido);
        for bad in [
            "K7QF-9XM2",
            "K7QF-9XM2-HD4T-AAAA",
            "O0QF-9XM2-HD4T",
            "K7QF-9XM2-HD4Ñ",
        ] {
            let e = normalize_code(bad).expect_err(bad);
            assert_eq!(e.code(), ErrorCode::ValorInvalido, "{bad}");
            assert_eq!(e.0.field.as_deref(), Some("code"), "{bad}");
        }
    }
}
