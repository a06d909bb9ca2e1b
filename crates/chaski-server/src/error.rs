//! Server errors: a closed set, each with an HTTP status, a stable code and a Spanish
//! message that says what to do. Every error answer is JSON `{code, message}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chaski_wire::{ApiError, codes};
use uuid::Uuid;

use crate::storage::StoreError;

/// Why a request was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Malformed request.
    #[error("solicitud inválida: {0}")]
    BadRequest(String),
    /// Body too large.
    #[error("solicitud demasiado grande: {0}; envíe lotes más pequeños")]
    TooLarge(String),
    /// Not JSON.
    #[error("envíe JSON (Content-Type: application/json), sin comprimir o con gzip")]
    UnsupportedMediaType,
    /// No bearer token.
    #[error(
        "falta el token del equipo (cabecera Authorization: Bearer …); inscriba el equipo primero"
    )]
    TokenMissing,
    /// Unknown token.
    #[error("token de equipo desconocido; vuelva a inscribir el equipo con un código nuevo")]
    TokenInvalid,
    /// Revoked device.
    #[error(
        "este equipo fue dado de baja por el administrador; pida un nuevo código de inscripción"
    )]
    DeviceRevoked,
    /// Bad enrolment code.
    #[error(
        "el código de inscripción no existe, ya se usó o venció; pida uno nuevo al administrador"
    )]
    EnrolmentInvalid,
    /// The device id is already enrolled.
    #[error(
        "este equipo ya está inscrito; si se reinstaló, el administrador debe darlo de baja y el equipo debe inscribirse con una identidad nueva"
    )]
    DeviceExists,
    /// The enrolment code belongs to another unit than the one the device says it works for.
    #[error(
        "el código de inscripción es de la unidad {code_unit} y este equipo trabaja para {device_unit}; el código no se usó: pida al administrador un código para {device_unit}"
    )]
    UnitMismatch {
        /// The unit the code was made for.
        code_unit: String,
        /// The unit the device declared.
        device_unit: String,
    },
    /// Unknown device id (admin commands).
    #[error("no existe el equipo {0}")]
    DeviceUnknown(Uuid),
    /// No protocol in common.
    #[error(
        "el servidor habla el protocolo {server_min}–{server_max} y el cliente {client_min}–{client_max}; actualice el que sea más antiguo"
    )]
    ProtocolUnsupported {
        /// Client range.
        client_min: u32,
        /// Client range.
        client_max: u32,
        /// Server range.
        server_min: u32,
        /// Server range.
        server_max: u32,
    },
    /// Client schema too old.
    #[error(
        "la aplicación usa el esquema {client} y el servidor el {server}; actualice Chaski en este equipo"
    )]
    ClientOutdated {
        /// Client schema.
        client: u32,
        /// Server schema.
        server: u32,
    },
    /// A unit this device reads already holds data of a newer schema than the device's.
    #[error(
        "los datos de la unidad {unit} ya incluyen registros de una versión más nueva de Chaski (esquema {needed}) que otros equipos enviaron, y este equipo usa el esquema {client}: actualice Chaski en este equipo para seguir sincronizando; mientras tanto sus cambios se guardan en él"
    )]
    UnitDataNewer {
        /// Client schema.
        client: u32,
        /// Schema the unit's data needs.
        needed: u32,
        /// The unit.
        unit: String,
    },
    /// Client schema newer than the server's.
    #[error(
        "la aplicación usa el esquema {client} y el servidor el {server}; el administrador debe actualizar chaski-server"
    )]
    ServerOutdated {
        /// Client schema.
        client: u32,
        /// Server schema.
        server: u32,
    },
    /// Another unit's data.
    #[error("este equipo pertenece a {device_unit} y no puede acceder a los datos de {unit}")]
    UnitForbidden {
        /// The device's unit.
        device_unit: String,
        /// The unit asked for.
        unit: String,
    },
    /// No such unit.
    #[error("no existe la unidad {0}")]
    UnitUnknown(String),
    /// Unit already exists.
    #[error("la unidad {0} ya existe")]
    UnitExists(String),
    /// A push skipped sequences.
    #[error(
        "falta el cambio {expected} de este equipo (llegó el {got}); se reenviará desde el {expected}"
    )]
    SequenceGap {
        /// The next sequence the server expects.
        expected: u64,
        /// What came.
        got: u64,
    },
    /// Same sequence, different content.
    #[error(
        "el cambio {seq} de este equipo ya llegó con otro contenido: el equipo fue clonado o restaurado de una copia antigua. Pida un código de inscripción nuevo y vuelva a inscribirlo"
    )]
    Fork {
        /// The sequence.
        seq: u64,
    },
    /// The server has more from the device than the device itself.
    #[error(
        "el servidor ya tiene {server} cambios de este equipo y el equipo solo {client}: se restauró una copia de seguridad antigua o se clonó el disco. Pida un código de inscripción nuevo y vuelva a inscribir el equipo; sus datos se descargarán de nuevo"
    )]
    DeviceRestored {
        /// Server's last seq.
        server: u64,
        /// Client's last seq.
        client: u64,
    },
    /// A change names another device.
    #[error("el lote contiene cambios de otro equipo; cada equipo envía solo los suyos")]
    DeviceMismatch,
    /// No conflict with that id in a unit the device may resolve.
    #[error(
        "no hay un conflicto {0} en las unidades que este equipo puede revisar; actualice la lista de conflictos"
    )]
    ConflictUnknown(Uuid),
    /// Already resolved with another choice.
    #[error(
        "este conflicto ya lo resolvió {by} el {at} con otra elección; actualice la lista de conflictos"
    )]
    ConflictResolved {
        /// Who (person's name or device id).
        by: String,
        /// When (RFC 3339).
        at: String,
    },
    /// No such route.
    #[error("ruta inexistente: {0}")]
    NotFound(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ServerError {
    /// HTTP status and stable code.
    pub fn status_code(&self) -> (StatusCode, &'static str) {
        use ServerError as E;
        match self {
            E::BadRequest(_) => (StatusCode::BAD_REQUEST, codes::BAD_REQUEST),
            E::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, codes::TOO_LARGE),
            E::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            E::TokenMissing => (StatusCode::UNAUTHORIZED, codes::TOKEN_MISSING),
            E::TokenInvalid => (StatusCode::UNAUTHORIZED, codes::TOKEN_INVALID),
            E::DeviceRevoked => (StatusCode::UNAUTHORIZED, codes::DEVICE_REVOKED),
            E::EnrolmentInvalid => (StatusCode::FORBIDDEN, codes::ENROLMENT_INVALID),
            E::DeviceExists => (StatusCode::CONFLICT, codes::DEVICE_EXISTS),
            E::UnitMismatch { .. } => (StatusCode::CONFLICT, codes::ENROLMENT_UNIT_MISMATCH),
            E::DeviceUnknown(_) => (StatusCode::NOT_FOUND, codes::NOT_FOUND),
            E::ProtocolUnsupported { .. } => {
                (StatusCode::UPGRADE_REQUIRED, codes::PROTOCOL_UNSUPPORTED)
            }
            E::ClientOutdated { .. } | E::UnitDataNewer { .. } => {
                (StatusCode::UPGRADE_REQUIRED, codes::CLIENT_OUTDATED)
            }
            E::ServerOutdated { .. } => (StatusCode::CONFLICT, codes::SERVER_OUTDATED),
            E::UnitForbidden { .. } => (StatusCode::FORBIDDEN, codes::UNIT_FORBIDDEN),
            E::UnitUnknown(_) => (StatusCode::NOT_FOUND, codes::UNIT_UNKNOWN),
            E::UnitExists(_) => (StatusCode::CONFLICT, "unit_exists"),
            E::SequenceGap { .. } => (StatusCode::CONFLICT, codes::SEQUENCE_GAP),
            E::Fork { .. } => (StatusCode::CONFLICT, codes::FORK),
            E::DeviceRestored { .. } => (StatusCode::CONFLICT, codes::DEVICE_RESTORED),
            E::DeviceMismatch => (StatusCode::BAD_REQUEST, codes::DEVICE_MISMATCH),
            E::ConflictUnknown(_) => (StatusCode::NOT_FOUND, codes::CONFLICT_UNKNOWN),
            E::ConflictResolved { .. } => (StatusCode::CONFLICT, codes::CONFLICT_RESOLVED),
            E::NotFound(_) => (StatusCode::NOT_FOUND, codes::NOT_FOUND),
            E::Store(StoreError::Unavailable(_) | StoreError::Busy) => {
                (StatusCode::SERVICE_UNAVAILABLE, codes::UNAVAILABLE)
            }
            E::Store(_) => (StatusCode::INTERNAL_SERVER_ERROR, codes::INTERNAL),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> ApiError {
        let (_, code) = self.status_code();
        let message = match self {
            // Never leak SQL or paths to a client.
            ServerError::Store(StoreError::Unavailable(_)) => {
                "la base de datos del servidor no está disponible; se reintentará".to_string()
            }
            ServerError::Store(StoreError::Busy) => {
                "el servidor está ocupado; se reintentará en unos segundos".to_string()
            }
            ServerError::Store(_) => {
                "error interno del servidor; avise al administrador".to_string()
            }
            other => other.to_string(),
        };
        ApiError {
            code: code.to_string(),
            message,
        }
    }
}

/// Seconds a client should wait when the server is busy.
const RETRY_AFTER_BUSY_S: &str = "2";

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let (status, _) = self.status_code();
        if matches!(self, ServerError::Store(StoreError::Busy)) {
            return (
                status,
                [(axum::http::header::RETRY_AFTER, RETRY_AFTER_BUSY_S)],
                Json(self.body()),
            )
                .into_response();
        }
        if status.is_server_error() {
            eprintln!("chaski-server: {self}");
        }
        (status, Json(self.body())).into_response()
    }
}
