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

/// A sync failure, as the person reads it: what happened and what to do. The server's own
/// Spanish message is kept where it is the most precise (refusals), and the stable code of
/// the server (`device_revoked`, …) picks the core code the UI branches on.
impl From<&chaski_sync::SyncError> for IpcError {
    fn from(err: &chaski_sync::SyncError) -> Self {
        use chaski_sync::SyncError as S;
        use chaski_sync::TransportError as T;
        use chaski_sync::wire::codes;
        let general = |code, message: String| Self(Error::general(code, message));
        match err {
            S::NotEnrolled => general(
                ErrorCode::EquipoNoInscrito,
                "Este equipo no está inscrito en el servidor central. Pida un código de \
                 inscripción al administrador e ingréselo en Sincronización."
                    .into(),
            ),
            S::DeviceRestored => general(
                ErrorCode::EquipoRestaurado,
                "El servidor ya recibió de este equipo más cambios de los que tiene: se restauró \
                 una copia de seguridad antigua o se clonó el disco. No se envió nada. Pida al \
                 administrador que revoque este equipo y le dé un código nuevo, y use «Volver a \
                 inscribir»: sus datos se conservan y los cambios no enviados se envían de nuevo."
                    .into(),
            ),
            S::Local(e) => general(
                ErrorCode::ErrorAlmacenamiento,
                format!(
                    "La base de datos local falló durante la sincronización ({e}). No se perdió \
                     nada; se reintentará. Si se repite, reinicie Chaski."
                ),
            ),
            S::Transport(T::Network(detail)) => general(
                ErrorCode::ServidorInalcanzable,
                format!(
                    "Sin conexión con el servidor central ({detail}). Puede seguir trabajando: \
                     los cambios se guardan en este equipo y se enviarán solos cuando vuelva la \
                     conexión. Si persiste, revise la red, la dirección del servidor y, si el \
                     servidor usa una CA interna, el certificado de la CA."
                ),
            ),
            S::Transport(T::Decode(detail)) => general(
                ErrorCode::SincronizacionRechazada,
                format!(
                    "La respuesta del servidor no se pudo leer ({detail}). Revise que la \
                     dirección corresponda al servidor de Chaski; se reintentará."
                ),
            ),
            S::Transport(T::Certificate(why)) => Self(Error::field(
                ErrorCode::CertificadoNoConfiable,
                "ca_file",
                format!(
                    "No se confía en el certificado del servidor central: {why}. Hasta \
                     corregirlo no se sincroniza; puede seguir trabajando en este equipo."
                ),
            )),
            S::Transport(T::Config(detail)) => Self(Error::field(
                ErrorCode::ValorInvalido,
                "server_url",
                format!("La conexión con el servidor no se pudo preparar: {detail}."),
            )),
            S::Transport(T::Api { status, error }) => {
                let server = error.message.trim();
                match error.code.as_str() {
                    codes::TOKEN_MISSING | codes::TOKEN_INVALID => general(
                        ErrorCode::EquipoNoInscrito,
                        "El servidor no reconoce la credencial de este equipo. Pida un código \
                         de inscripción nuevo al administrador e ingréselo en Sincronización."
                            .into(),
                    ),
                    codes::DEVICE_REVOKED => general(
                        ErrorCode::EquipoRevocado,
                        "El administrador revocó este equipo en el servidor central: ya no puede \
                         sincronizar. Sus datos siguen en este equipo. Si debe seguir \
                         sincronizando, pida un código de inscripción nuevo y use «Volver a \
                         inscribir»: los cambios no enviados se conservan."
                            .into(),
                    ),
                    codes::DEVICE_RESTORED | codes::FORK => {
                        Self::from(&chaski_sync::SyncError::DeviceRestored)
                    }
                    codes::ENROLMENT_INVALID => general(
                        ErrorCode::CodigoInscripcionInvalido,
                        "El código de inscripción no es válido: no existe, ya se usó o venció \
                         (vale 7 días). Revise que lo copió bien o pida uno nuevo al \
                         administrador."
                            .into(),
                    ),
                    codes::CONFLICT_UNKNOWN => general(
                        ErrorCode::NoEncontrado,
                        "El conflicto ya no existe en el servidor. Actualice la lista.".into(),
                    ),
                    codes::ENROLMENT_UNIT_MISMATCH => Self(Error::field(
                        ErrorCode::CodigoInscripcionInvalido,
                        "code",
                        format!(
                            "Ese código de inscripción es de otra unidad ({server}). No se usó: \
                             pida al administrador un código para la unidad de este equipo."
                        ),
                    )),
                    codes::DEVICE_EXISTS => general(
                        ErrorCode::CodigoInscripcionInvalido,
                        "Este equipo ya está inscrito en el servidor con otra credencial. Pida al \
                         administrador que lo revoque y le dé un código nuevo, y use «Volver a \
                         inscribir»."
                            .into(),
                    ),
                    codes::PROTOCOL_UNSUPPORTED | codes::CLIENT_OUTDATED => general(
                        ErrorCode::VersionIncompatible,
                        format!(
                            "Esta versión de Chaski es demasiado antigua para el servidor central \
                             ({server}). Actualice Chaski; mientras tanto los cambios se guardan \
                             en este equipo."
                        ),
                    ),
                    codes::SERVER_OUTDATED => general(
                        ErrorCode::VersionIncompatible,
                        format!(
                            "El servidor central tiene una versión más antigua que este Chaski \
                             ({server}). Avise al administrador para que lo actualice; los \
                             cambios se guardan en este equipo."
                        ),
                    ),
                    _ if *status >= 500 || *status == 408 || *status == 429 => general(
                        ErrorCode::ServidorInalcanzable,
                        format!(
                            "El servidor central no puede atender ahora (error {status}: \
                             {server}). Se reintentará solo; puede seguir trabajando."
                        ),
                    ),
                    codes::NOT_FOUND | codes::BAD_REQUEST if *status == 404 => general(
                        ErrorCode::SincronizacionRechazada,
                        "La dirección configurada no corresponde a un servidor de Chaski \
                         (respuesta 404). Revise la dirección del servidor en Sincronización."
                            .into(),
                    ),
                    code => general(
                        ErrorCode::SincronizacionRechazada,
                        format!(
                            "El servidor central rechazó la sincronización: {server} (código \
                             {code}). Si no sabe cómo corregirlo, avise al administrador con este \
                             mensaje."
                        ),
                    ),
                }
            }
        }
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
