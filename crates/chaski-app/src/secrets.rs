//! Remembered certificate passwords, in the operating system's keyring.
//!
//! When the specialist ticks "recordar la contraseña" while signing, the password of their
//! PKCS#12 file is kept here and nowhere else: never in the database, a config file or the
//! log (DESIGN.md, "Documents and signatures"). The PFX file itself is only referenced by
//! its path elsewhere.
//!
//! * One entry per certificate, keyed by the certificate's SHA-256 fingerprint (hex), under
//!   the service name [`SERVICE`]. The fingerprint, not the file path, is the key: moving or
//!   renaming the file keeps the password, and a renewed certificate (new fingerprint) never
//!   receives the old password by mistake.
//! * The store is the platform's own (keyring 4 with its `v1` feature): Secret Service on
//!   Linux (gnome-keyring, KWallet), Credential Manager on Windows, Keychain on macOS. There
//!   is no fallback to a file: without a keyring the app simply does not offer to remember.
//! * Every failure is a [`SecretsError`] with a stable code and a Spanish message that says
//!   what to do. A missing entry is not an error for [`CertificatePasswords::get`]
//!   (`Ok(None)`) nor for [`CertificatePasswords::forget`] (forgetting twice is fine).
//!
//! Used by the document commands (`crate::pdfs::sign`, `keyring_status`, Ajustes).

use keyring::Entry;

/// The keyring service name of Chaski's certificate passwords.
pub const SERVICE: &str = "pe.chaski.certificado";

/// Why a password could not be kept, read or forgotten.
#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    /// No Secret Service / Credential Manager / Keychain answered.
    #[error(
        "No se encontró el llavero del sistema (Secret Service, p. ej. gnome-keyring). La \
         contraseña del certificado no se puede recordar en este equipo: ingrésela al firmar, \
         o inicie el llavero del sistema y vuelva a intentarlo. ({0})"
    )]
    KeyringUnavailable(String),
    /// The keyring answered but refused access (locked, or the person said no).
    #[error(
        "El llavero del sistema está bloqueado o negó el acceso. Desbloquéelo (inicie sesión \
         en el escritorio) y vuelva a intentarlo. ({0})"
    )]
    KeyringLocked(String),
    /// The fingerprint is not a SHA-256 in hex.
    #[error(
        "La huella del certificado «{0}» no es válida: se esperan 64 caracteres hexadecimales \
         (SHA-256). Vuelva a seleccionar el certificado."
    )]
    BadFingerprint(String),
    /// An empty password is never remembered.
    #[error("La contraseña del certificado está vacía: ingrésela antes de pedir que se recuerde.")]
    EmptyPassword,
    /// The stored value is not text, or the keyring holds several entries for it.
    #[error(
        "La contraseña recordada para este certificado está dañada. Olvídela desde Ajustes y \
         vuelva a ingresarla al firmar. ({0})"
    )]
    Corrupt(String),
    /// Any other keyring failure.
    #[error(
        "El llavero del sistema falló: {0}. Vuelva a intentarlo; si persiste, ingrese la contraseña al firmar."
    )]
    Keyring(String),
}

impl SecretsError {
    /// Stable code for the UI and the logs.
    pub fn code(&self) -> &'static str {
        match self {
            SecretsError::KeyringUnavailable(_) => "llavero_no_disponible",
            SecretsError::KeyringLocked(_) => "llavero_bloqueado",
            SecretsError::BadFingerprint(_) => "huella_certificado_invalida",
            SecretsError::EmptyPassword => "contrasena_vacia",
            SecretsError::Corrupt(_) => "contrasena_recordada_danada",
            SecretsError::Keyring(_) => "llavero_error",
        }
    }

    /// The input field the error is about, if any (serde name).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            SecretsError::BadFingerprint(_) => Some("fingerprint"),
            SecretsError::EmptyPassword => Some("password"),
            _ => None,
        }
    }
}

impl From<keyring::Error> for SecretsError {
    fn from(e: keyring::Error) -> Self {
        use keyring::Error as K;
        match e {
            K::NoDefaultStore => SecretsError::KeyringUnavailable(e.to_string()),
            K::PlatformFailure(ref inner) => {
                let text = format!("{e}: {inner}");
                // zbus reports a missing bus or service as a platform failure.
                if text.contains("org.freedesktop.secrets")
                    || text.contains("ServiceUnknown")
                    || text.contains("DBUS_SESSION_BUS_ADDRESS")
                    || text.contains("No such file")
                {
                    SecretsError::KeyringUnavailable(text)
                } else {
                    SecretsError::Keyring(text)
                }
            }
            K::NoStorageAccess(_) => SecretsError::KeyringLocked(e.to_string()),
            K::BadEncoding(_) | K::BadDataFormat(..) | K::Ambiguous(_) => {
                SecretsError::Corrupt(e.to_string())
            }
            other => SecretsError::Keyring(other.to_string()),
        }
    }
}

/// The remembered passwords of the specialists' certificates.
#[derive(Debug, Clone, Copy, Default)]
pub struct CertificatePasswords;

impl CertificatePasswords {
    /// Checks that the system keyring answers (for the settings screen, and so the sign
    /// dialog only offers "recordar" when it can).
    pub fn available() -> Result<(), SecretsError> {
        match Entry::store_status() {
            Ok(()) => {}
            Err(e) => return Err(SecretsError::KeyringUnavailable(e.to_string())),
        }
        // The store object exists even without a bus; a lookup proves the service answers.
        let probe = Entry::new(SERVICE, "comprobacion-llavero")?;
        match probe.get_password() {
            Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Remembers `password` for the certificate `fingerprint` (replaces an earlier one).
    pub fn remember(fingerprint: &str, password: &str) -> Result<(), SecretsError> {
        if password.is_empty() {
            return Err(SecretsError::EmptyPassword);
        }
        entry(fingerprint)?.set_password(password)?;
        Ok(())
    }

    /// The remembered password of the certificate `fingerprint`, if there is one.
    pub fn get(fingerprint: &str) -> Result<Option<String>, SecretsError> {
        match entry(fingerprint)?.get_password() {
            Ok(p) => Ok(Some(p)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Forgets the password of the certificate `fingerprint`; `Ok(false)` if none was kept.
    pub fn forget(fingerprint: &str) -> Result<bool, SecretsError> {
        match entry(fingerprint)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

/// The fingerprint in its one canonical spelling: 64 lowercase hex digits (colons and spaces,
/// as certificate viewers print them, are accepted and removed).
pub fn normalize_fingerprint(fingerprint: &str) -> Result<String, SecretsError> {
    let hex: String = fingerprint
        .chars()
        .filter(|c| *c != ':' && !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(hex)
    } else {
        Err(SecretsError::BadFingerprint(
            fingerprint.chars().take(80).collect(),
        ))
    }
}

fn entry(fingerprint: &str) -> Result<Entry, SecretsError> {
    let user = normalize_fingerprint(fingerprint)?;
    Entry::new(SERVICE, &user).map_err(|e| match e {
        keyring::Error::NoDefaultStore => {
            SecretsError::KeyringUnavailable("no hay almacén de credenciales".into())
        }
        other => other.into(),
    })
}
