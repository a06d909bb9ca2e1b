//! The one error type that crosses IPC.
//!
//! Every command returns `Result<T, IpcError>`. The core already knows, for every refusal, the
//! stable code, the Spanish message that says what to do, the field it is about and (for a
//! duplicate DNI) the existing person: [`chaski_core::error::Error`]. `IpcError` is that error,
//! serialized as is (`{code, message, field, existing_person?}`); this module only adds the
//! conversions, one per source, so no command repeats a `map_err` and no error reaches a person
//! as a bare string or as "Algo salió mal".

use chaski_core::error::{Error, ErrorCode};
use serde::Serialize;
use ts_rs::TS;

/// An error as the UI receives it: the core's error, unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(transparent)]
pub struct IpcError(pub Error);

impl IpcError {
    /// The app was started but the database is not open (first-run setup pending, or the file
    /// was refused at start). The UI routes by `app_status`, so this only guards misuse.
    pub fn not_ready() -> Self {
        Self(Error::general(
            ErrorCode::BaseNoExiste,
            "La base de datos local no está abierta. Complete la configuración inicial o siga \
             las indicaciones de la pantalla de inicio.",
        ))
    }

    /// First-run setup was asked for while a database is already open.
    pub fn already_set_up() -> Self {
        Self(Error::general(
            ErrorCode::BaseYaExiste,
            "Chaski ya está configurado en este equipo; la configuración inicial no se repite.",
        ))
    }

    pub fn code(&self) -> ErrorCode {
        self.0.code
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.0.code.as_str(), self.0.message)
    }
}

impl std::error::Error for IpcError {}

impl From<Error> for IpcError {
    fn from(err: Error) -> Self {
        Self(err)
    }
}

impl From<chaski_store::StoreError> for IpcError {
    fn from(err: chaski_store::StoreError) -> Self {
        Self(err.into())
    }
}

impl IpcError {
    /// A background task of the shell failed (panicked or was cancelled): nothing the person
    /// typed is at fault, and the message says what to do.
    pub fn interrupted(err: &dyn std::fmt::Display) -> Self {
        Self(Error::general(
            ErrorCode::ErrorAlmacenamiento,
            format!(
                "La operación se interrumpió dentro de la aplicación ({err}); no se guardó nada. \
                 Inténtelo de nuevo y, si se repite, reinicie Chaski."
            ),
        ))
    }

    /// The data directory could not be created.
    pub fn data_dir(dir: &std::path::Path, err: &std::io::Error) -> Self {
        Self(Error::general(
            ErrorCode::ErrorAlmacenamiento,
            format!(
                "No se pudo crear la carpeta de datos {} ({err}). Revise los permisos o el \
                 espacio en disco.",
                dir.display()
            ),
        ))
    }
}

/// A sync failure, as the person reads it (`SyncError::to_domain`).
impl From<&chaski_sync::SyncError> for IpcError {
    fn from(err: &chaski_sync::SyncError) -> Self {
        Self(err.to_domain())
    }
}

/// A remembered-password failure (keyring missing, locked, damaged entry).
impl From<crate::secrets::SecretsError> for IpcError {
    fn from(err: crate::secrets::SecretsError) -> Self {
        use crate::secrets::SecretsError as S;
        let code = match &err {
            S::KeyringUnavailable(_) => ErrorCode::LlaveroNoDisponible,
            S::KeyringLocked(_) => ErrorCode::LlaveroBloqueado,
            S::BadFingerprint(_) => ErrorCode::HuellaCertificadoInvalida,
            S::EmptyPassword => ErrorCode::ContrasenaVacia,
            S::Corrupt(_) => ErrorCode::ContrasenaRecordadaDanada,
            S::Keyring(_) => ErrorCode::LlaveroError,
        };
        let message = err.to_string();
        Self(match err.field() {
            Some(field) => Error::field(code, field, message),
            None => Error::general(code, message),
        })
    }
}

/// A document could not be rendered, signed or read; the code is the crate's own
/// (`docs.pfx_wrong_password`, …) and the field the input the person must correct.
impl From<chaski_docs::DocsError> for IpcError {
    fn from(err: chaski_docs::DocsError) -> Self {
        use chaski_docs::DocsError as D;
        let (code, field) = match &err {
            D::HandSignatureImage { .. } => {
                (ErrorCode::DocsHandSignatureImage, Some("hand_signatures"))
            }
            D::Serialize(_) => (ErrorCode::DocsSerialize, None),
            D::Render(_) => (ErrorCode::DocsRender, None),
            D::PfxWrongPassword => (ErrorCode::DocsPfxWrongPassword, Some("password")),
            D::PfxInvalid(_) => (ErrorCode::DocsPfxInvalid, Some("pfx_path")),
            D::PfxWithoutPrivateKey => (ErrorCode::DocsPfxWithoutPrivateKey, Some("pfx_path")),
            D::UnsupportedKey(_) => (ErrorCode::DocsUnsupportedKey, Some("pfx_path")),
            D::CertificateExpired { .. } => (ErrorCode::DocsCertificateExpired, Some("pfx_path")),
            D::CertificateNotYetValid { .. } => {
                (ErrorCode::DocsCertificateNotYetValid, Some("pfx_path"))
            }
            D::PdfInvalid(_) => (ErrorCode::DocsPdfInvalid, None),
            D::PdfEncrypted => (ErrorCode::DocsPdfEncrypted, None),
            D::SignatureTooLarge { .. } => (ErrorCode::DocsSignatureTooLarge, None),
            D::CertificateInvalid(_) => (ErrorCode::DocsCertificateInvalid, None),
            D::Crypto(_) => (ErrorCode::DocsCrypto, None),
        };
        debug_assert_eq!(code.as_str(), err.code());
        let message = err.to_string();
        Self(match field {
            Some(field) => Error::field(code, field, message),
            None => Error::general(code, message),
        })
    }
}
