//! The device token, in the operating system's keyring and nowhere else.
//!
//! The central server gives the token once, at enrolment, and keeps only its hash; whoever
//! holds it can push changes as this device. So it is never written to the database, a
//! config file or a log: one keyring entry per device, service [`SERVICE`], keyed by the
//! device id (hyphenated), so a store that later takes a new device id (resync after a
//! restored backup) never picks up the old device's token.
//!
//! Errors become `llavero_no_disponible` with a Spanish message that says what to do; a
//! missing entry is not an error (`Ok(None)`: the device is simply not enrolled).
//!
//! `secrets.rs` (certificate passwords) classifies keyring errors the same way; once both
//! are wired, that classification could be shared (see the sync issue note).

use chaski_core::error::{Error, ErrorCode};
use keyring::Entry;
use uuid::Uuid;

use crate::error::IpcError;

/// The keyring service name of Chaski's device tokens.
pub const SERVICE: &str = "pe.chaski.dispositivo";

fn keyring_error(action: &str, e: &keyring::Error) -> IpcError {
    let what_to_do = match e {
        keyring::Error::NoStorageAccess(_) => {
            "El llavero está bloqueado o negó el acceso: desbloquéelo (inicie sesión en el \
             escritorio) y vuelva a intentarlo."
        }
        keyring::Error::NoDefaultStore | keyring::Error::PlatformFailure(_) => {
            "Inicie el llavero del sistema (Secret Service, p. ej. gnome-keyring) y vuelva a \
             intentarlo."
        }
        _ => "Vuelva a intentarlo; si se repite, reinicie la sesión del escritorio.",
    };
    IpcError(Error::general(
        ErrorCode::LlaveroNoDisponible,
        format!(
            "No se pudo {action} la credencial de sincronización de este equipo en el llavero del \
             sistema ({e}). {what_to_do}"
        ),
    ))
}

fn entry(device: Uuid, action: &str) -> Result<Entry, IpcError> {
    Entry::new(SERVICE, &device.hyphenated().to_string()).map_err(|e| keyring_error(action, &e))
}

/// Checks that the keyring answers before an enrolment consumes a one-time code.
pub fn check_available(device: Uuid) -> Result<(), IpcError> {
    get(device).map(|_| ())
}

/// The token of `device`, if it is enrolled.
pub fn get(device: Uuid) -> Result<Option<String>, IpcError> {
    match entry(device, "leer")?.get_password() {
        Ok(token) if !token.is_empty() => Ok(Some(token)),
        Ok(_) | Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_error("leer", &e)),
    }
}

/// Keeps the token of `device` (replaces an earlier one).
pub fn set(device: Uuid, token: &str) -> Result<(), IpcError> {
    entry(device, "guardar")?
        .set_password(token)
        .map_err(|e| keyring_error("guardar", &e))
}

/// Forgets the token of `device`; `Ok(false)` if there was none.
pub fn forget(device: Uuid) -> Result<bool, IpcError> {
    match entry(device, "borrar")?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(keyring_error("borrar", &e)),
    }
}
