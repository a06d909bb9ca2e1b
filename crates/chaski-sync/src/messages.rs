//! What a sync failure and a refused change mean for the person, in Spanish, with what to do:
//! the wording of this crate's errors lives next to them, as `StoreError::to_domain` does for
//! the store. The server's own Spanish message is kept where it is the most precise (refusals),
//! and the stable code of the server (`device_revoked`, …) picks the core code the UI branches
//! on.

use chaski_core::error::{Error, ErrorCode};

use crate::client::SyncError;
use crate::transport::TransportError;
use crate::wire::codes;

impl SyncError {
    /// The error as the UI receives it: the core's code, the Spanish message, the field to
    /// correct when there is one.
    pub fn to_domain(&self) -> Error {
        use SyncError as S;
        use TransportError as T;
        let general = |code, message: String| Error::general(code, message);
        match self {
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
            S::Transport(T::Certificate(why)) => Error::field(
                ErrorCode::CertificadoNoConfiable,
                "ca_file",
                format!(
                    "No se confía en el certificado del servidor central: {why}. Hasta \
                     corregirlo no se sincroniza; puede seguir trabajando en este equipo."
                ),
            ),
            S::Transport(T::Config(detail)) => Error::field(
                ErrorCode::ValorInvalido,
                "server_url",
                format!("La conexión con el servidor no se pudo preparar: {detail}."),
            ),
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
                    codes::DEVICE_RESTORED | codes::FORK => SyncError::DeviceRestored.to_domain(),
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
                    codes::ENROLMENT_UNIT_MISMATCH => Error::field(
                        ErrorCode::CodigoInscripcionInvalido,
                        "code",
                        format!(
                            "Ese código de inscripción es de otra unidad ({server}). No se usó: \
                             pida al administrador un código para la unidad de este equipo."
                        ),
                    ),
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

/// What a rejection code means for the person, and what to do.
/// (The meanings are the wire's, next to the codes: `RejectCode::meaning`.)
pub fn rejection_message(code: &str) -> String {
    crate::wire::RejectCode::message_for(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_rejection_code_has_its_own_message() {
        for code in [
            codes::DOCUMENT_SIGNED,
            codes::NUMBER_OUTSIDE_BLOCK,
            codes::NUMBER_USED,
            codes::NUMBER_INCOMPLETE,
            codes::UNIT_MISMATCH,
            codes::INVALID_CHANGE,
        ] {
            assert!(!rejection_message(code).contains("código"), "{code}");
        }
        assert!(rejection_message("otro_codigo").contains("otro_codigo"));
    }
}
