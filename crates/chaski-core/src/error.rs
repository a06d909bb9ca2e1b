//! The one error type that crosses into the UI.
//!
//! Every refusal has a stable [`ErrorCode`] (a closed set: the UI branches on it, tests assert
//! it), a Spanish message that names the field and says what to do, and the name of the field
//! (so a form can put the message next to the right input). It crosses IPC as
//! `{code, message, field, existing_person?}`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::person::Person;

/// The closed set of error codes. Serialized in `snake_case` Spanish: `dni_invalido`, …
/// Never rename a variant's text: the UI and the tests depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A required field is empty.
    CampoRequerido,
    /// A text field is longer than allowed.
    CampoMuyLargo,
    /// A value is not one of the allowed ones (unknown unit, service, channel, …).
    ValorInvalido,
    /// The DNI is not 8 digits.
    DniInvalido,
    /// Another person already has this DNI (the error carries that person).
    DniDuplicado,
    /// The email address is not a valid address.
    EmailInvalido,
    /// The phone number is not a valid Peruvian number.
    TelefonoInvalido,
    /// A document number (`N° 007-2026`) could not be read.
    NumeroDocumentoInvalido,
    /// A date or time is not valid or out of range.
    FechaInvalida,
    /// A date range ends before it starts.
    RangoFechasInvalido,
    /// The status change is not allowed from the current status.
    TransicionNoPermitida,
    /// An attention cannot be Atendido without a solution description.
    SolucionRequerida,
    /// A reason is required (reopen, escalation).
    MotivoRequerido,
    /// The escalation level is outside 1–5 or equal to the current one.
    NivelEscalamientoInvalido,
    /// The priority is outside 1–4.
    PrioridadInvalida,
    /// The record does not exist.
    NoEncontrado,
    /// The database file is damaged or is not a Chaski database.
    BaseCorrupta,
    /// The database file is in use by another running Chaski.
    BaseBloqueada,
    /// The database file was written by a newer version of Chaski.
    BaseVersionNueva,
    /// The database file does not exist (first run: set up).
    BaseNoExiste,
    /// The database file already exists (setup would overwrite it).
    BaseYaExiste,
    /// An unexpected storage failure (disk full, permissions, …).
    ErrorAlmacenamiento,
    /// The código patrimonial is not 12 digits (8 SBN catalog + 4 correlative).
    CodigoPatrimonialInvalido,
    /// The asset is assigned to someone else, decommissioned, or not at the origin site.
    BienNoDisponible,
    /// A signed or annulled document cannot be edited.
    DocumentoInmutable,
    /// An inventory import found errors (nothing was imported).
    ImportacionConErrores,
    /// An enrolled device has used up the document numbers the server reserved for it.
    SinNumeroDisponible,
    /// A checklist (diagnostic tests, formatting steps) misses an item or a failed item's note.
    ChecklistIncompleto,
    /// A format without a recorded backup of the user's documents and without a reason.
    RespaldoRequerido,
    /// The computer name set at formatting is not the código patrimonial of the CPU.
    NombreEquipoInvalido,
    /// The SBN causal of a baja is unknown or lacks what it needs (remark, diagnostic).
    CausalBajaInvalida,
    /// A diagnostic's result contradicts its tests, its recommendation or the warranty.
    ResultadoIncoherente,
    /// A maintenance plan's interval is out of range.
    PlanMantenimientoInvalido,
    /// A check that must wait (48 h after a maintenance, 24 h after a provider's service)
    /// was recorded too early.
    PlazoNoCumplido,
    // --- sync ---
    /// No central server address is configured on this device.
    SincronizacionNoConfigurada,
    /// The central server could not be reached (network, server down or overloaded); the app
    /// retries by itself.
    ServidorInalcanzable,
    /// The enrolment code is unknown, already used or expired.
    CodigoInscripcionInvalido,
    /// This device has no valid enrolment (no token, or the server does not know it).
    EquipoNoInscrito,
    /// An administrator revoked this device.
    EquipoRevocado,
    /// The server has more changes from this device than it has: restored backup or cloned
    /// disk.
    EquipoRestaurado,
    /// The app and the server speak incompatible protocol or schema versions.
    VersionIncompatible,
    /// The server refused a sync request for another reason (its message says which).
    SincronizacionRechazada,
    /// No OS keyring answers: the device token cannot be kept and certificate passwords
    /// cannot be remembered.
    LlaveroNoDisponible,
    /// The central server's TLS certificate is not trusted (unknown CA, wrong name, expired).
    CertificadoNoConfiable,
    /// A draft or annulled document cannot be printed (it has no number, or no longer counts).
    DocumentoNoEmitido,
    /// A file the person chose cannot be read or written (missing, no permission).
    ArchivoNoLegible,
    /// The system keyring is locked or refused access.
    LlaveroBloqueado,
    /// A certificate fingerprint is not a SHA-256 in hex.
    HuellaCertificadoInvalida,
    /// An empty password is never remembered.
    ContrasenaVacia,
    /// The remembered password is damaged.
    ContrasenaRecordadaDanada,
    /// Any other keyring failure.
    LlaveroError,
    // chaski-docs errors keep the crate's own stable codes (`DocsError::code()`).
    /// The handwritten signature is not a readable PNG.
    #[serde(rename = "docs.hand_signature_image")]
    DocsHandSignatureImage,
    /// The document data could not be hashed.
    #[serde(rename = "docs.serialize")]
    DocsSerialize,
    /// The PDF could not be written.
    #[serde(rename = "docs.render")]
    DocsRender,
    /// Wrong password for the PFX/P12 file.
    #[serde(rename = "docs.pfx_wrong_password")]
    DocsPfxWrongPassword,
    /// The PFX/P12 file cannot be read.
    #[serde(rename = "docs.pfx_invalid")]
    DocsPfxInvalid,
    /// The PFX/P12 file has no private key.
    #[serde(rename = "docs.pfx_without_private_key")]
    DocsPfxWithoutPrivateKey,
    /// The certificate's key is not RSA.
    #[serde(rename = "docs.unsupported_key")]
    DocsUnsupportedKey,
    /// The signing certificate expired.
    #[serde(rename = "docs.certificate_expired")]
    DocsCertificateExpired,
    /// The signing certificate is not valid yet.
    #[serde(rename = "docs.certificate_not_yet_valid")]
    DocsCertificateNotYetValid,
    /// The file is not a readable PDF.
    #[serde(rename = "docs.pdf_invalid")]
    DocsPdfInvalid,
    /// The PDF is password-protected.
    #[serde(rename = "docs.pdf_encrypted")]
    DocsPdfEncrypted,
    /// The signature did not fit the reserved space.
    #[serde(rename = "docs.signature_too_large")]
    DocsSignatureTooLarge,
    /// A certificate file cannot be read.
    #[serde(rename = "docs.certificate_invalid")]
    DocsCertificateInvalid,
    /// A cryptographic operation failed.
    #[serde(rename = "docs.crypto")]
    DocsCrypto,
}

impl ErrorCode {
    /// The stable text of the code, as sent to the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::CampoRequerido => "campo_requerido",
            ErrorCode::CampoMuyLargo => "campo_muy_largo",
            ErrorCode::ValorInvalido => "valor_invalido",
            ErrorCode::DniInvalido => "dni_invalido",
            ErrorCode::DniDuplicado => "dni_duplicado",
            ErrorCode::EmailInvalido => "email_invalido",
            ErrorCode::TelefonoInvalido => "telefono_invalido",
            ErrorCode::NumeroDocumentoInvalido => "numero_documento_invalido",
            ErrorCode::FechaInvalida => "fecha_invalida",
            ErrorCode::RangoFechasInvalido => "rango_fechas_invalido",
            ErrorCode::TransicionNoPermitida => "transicion_no_permitida",
            ErrorCode::SolucionRequerida => "solucion_requerida",
            ErrorCode::MotivoRequerido => "motivo_requerido",
            ErrorCode::NivelEscalamientoInvalido => "nivel_escalamiento_invalido",
            ErrorCode::PrioridadInvalida => "prioridad_invalida",
            ErrorCode::NoEncontrado => "no_encontrado",
            ErrorCode::BaseCorrupta => "base_corrupta",
            ErrorCode::BaseBloqueada => "base_bloqueada",
            ErrorCode::BaseVersionNueva => "base_version_nueva",
            ErrorCode::BaseNoExiste => "base_no_existe",
            ErrorCode::BaseYaExiste => "base_ya_existe",
            ErrorCode::ErrorAlmacenamiento => "error_almacenamiento",
            ErrorCode::CodigoPatrimonialInvalido => "codigo_patrimonial_invalido",
            ErrorCode::BienNoDisponible => "bien_no_disponible",
            ErrorCode::DocumentoInmutable => "documento_inmutable",
            ErrorCode::ImportacionConErrores => "importacion_con_errores",
            ErrorCode::SinNumeroDisponible => "sin_numero_disponible",
            ErrorCode::ChecklistIncompleto => "checklist_incompleto",
            ErrorCode::RespaldoRequerido => "respaldo_requerido",
            ErrorCode::NombreEquipoInvalido => "nombre_equipo_invalido",
            ErrorCode::CausalBajaInvalida => "causal_baja_invalida",
            ErrorCode::ResultadoIncoherente => "resultado_incoherente",
            ErrorCode::PlanMantenimientoInvalido => "plan_mantenimiento_invalido",
            ErrorCode::PlazoNoCumplido => "plazo_no_cumplido",
            ErrorCode::SincronizacionNoConfigurada => "sincronizacion_no_configurada",
            ErrorCode::ServidorInalcanzable => "servidor_inalcanzable",
            ErrorCode::CodigoInscripcionInvalido => "codigo_inscripcion_invalido",
            ErrorCode::EquipoNoInscrito => "equipo_no_inscrito",
            ErrorCode::EquipoRevocado => "equipo_revocado",
            ErrorCode::EquipoRestaurado => "equipo_restaurado",
            ErrorCode::VersionIncompatible => "version_incompatible",
            ErrorCode::SincronizacionRechazada => "sincronizacion_rechazada",
            ErrorCode::LlaveroNoDisponible => "llavero_no_disponible",
            ErrorCode::CertificadoNoConfiable => "certificado_no_confiable",
            ErrorCode::DocumentoNoEmitido => "documento_no_emitido",
            ErrorCode::ArchivoNoLegible => "archivo_no_legible",
            ErrorCode::LlaveroBloqueado => "llavero_bloqueado",
            ErrorCode::HuellaCertificadoInvalida => "huella_certificado_invalida",
            ErrorCode::ContrasenaVacia => "contrasena_vacia",
            ErrorCode::ContrasenaRecordadaDanada => "contrasena_recordada_danada",
            ErrorCode::LlaveroError => "llavero_error",
            ErrorCode::DocsHandSignatureImage => "docs.hand_signature_image",
            ErrorCode::DocsSerialize => "docs.serialize",
            ErrorCode::DocsRender => "docs.render",
            ErrorCode::DocsPfxWrongPassword => "docs.pfx_wrong_password",
            ErrorCode::DocsPfxInvalid => "docs.pfx_invalid",
            ErrorCode::DocsPfxWithoutPrivateKey => "docs.pfx_without_private_key",
            ErrorCode::DocsUnsupportedKey => "docs.unsupported_key",
            ErrorCode::DocsCertificateExpired => "docs.certificate_expired",
            ErrorCode::DocsCertificateNotYetValid => "docs.certificate_not_yet_valid",
            ErrorCode::DocsPdfInvalid => "docs.pdf_invalid",
            ErrorCode::DocsPdfEncrypted => "docs.pdf_encrypted",
            ErrorCode::DocsSignatureTooLarge => "docs.signature_too_large",
            ErrorCode::DocsCertificateInvalid => "docs.certificate_invalid",
            ErrorCode::DocsCrypto => "docs.crypto",
        }
    }
}

/// A refusal or failure, ready to show to a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    /// Stable code.
    pub code: ErrorCode,
    /// Spanish message that names the field and says what to do.
    pub message: String,
    /// The input field the error is about (`dni`, `problem`, …), if any.
    pub field: Option<String>,
    /// For `dni_duplicado`: the person who already has that DNI, so the UI can offer it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub existing_person: Option<Box<Person>>,
}

impl Error {
    /// An error about one field.
    pub fn field(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: Some(field.to_string()),
            existing_person: None,
        }
    }

    /// An error not tied to a field.
    pub fn general(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            existing_person: None,
        }
    }

    /// `campo_requerido` for `field`, whose label on screen is `label`.
    pub fn required(field: &str, label: &str) -> Self {
        Self::field(
            ErrorCode::CampoRequerido,
            field,
            format!("El campo «{label}» es obligatorio: complételo."),
        )
    }

    /// `no_encontrado` for a record kind (`la atención`, `la persona`, …).
    pub fn not_found(what: &str) -> Self {
        Self::general(
            ErrorCode::NoEncontrado,
            format!("No se encontró {what}. Actualice la lista e inténtelo de nuevo."),
        )
    }
}

/// Result with the domain error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Trims a text field and checks it is present and not too long.
pub fn required_text(value: &str, field: &str, label: &str, max_chars: usize) -> Result<String> {
    let t = value.trim();
    if t.is_empty() {
        return Err(Error::required(field, label));
    }
    max_len(t, field, label, max_chars)?;
    Ok(t.to_string())
}

/// Trims an optional text field: empty becomes `None`; checks the length.
pub fn optional_text(
    value: Option<&str>,
    field: &str,
    label: &str,
    max_chars: usize,
) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => {
            max_len(t, field, label, max_chars)?;
            Ok(Some(t.to_string()))
        }
    }
}

fn max_len(t: &str, field: &str, label: &str, max_chars: usize) -> Result<()> {
    if t.chars().count() > max_chars {
        return Err(Error::field(
            ErrorCode::CampoMuyLargo,
            field,
            format!("El campo «{label}» admite como máximo {max_chars} caracteres: acórtelo."),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_their_stable_text() {
        for code in [
            ErrorCode::CampoRequerido,
            ErrorCode::DniInvalido,
            ErrorCode::DniDuplicado,
            ErrorCode::TransicionNoPermitida,
            ErrorCode::BaseVersionNueva,
            ErrorCode::ErrorAlmacenamiento,
            ErrorCode::ChecklistIncompleto,
            ErrorCode::RespaldoRequerido,
            ErrorCode::NombreEquipoInvalido,
            ErrorCode::CausalBajaInvalida,
            ErrorCode::ResultadoIncoherente,
            ErrorCode::PlanMantenimientoInvalido,
            ErrorCode::PlazoNoCumplido,
        ] {
            let json = serde_json::to_value(code).expect("serialize");
            assert_eq!(json, serde_json::json!(code.as_str()));
        }
    }

    #[test]
    fn error_crosses_ipc_as_code_message_field() {
        let e = Error::required("problem", "Descripción del problema");
        let v = serde_json::to_value(&e).expect("serialize");
        assert_eq!(v["code"], "campo_requerido");
        assert_eq!(v["field"], "problem");
        assert!(
            v["message"]
                .as_str()
                .is_some_and(|m| m.contains("Descripción del problema"))
        );
        assert!(v.get("existing_person").is_none());
    }

    #[test]
    fn text_helpers_trim_and_limit() {
        assert_eq!(
            required_text("  hola ", "f", "F", 10).as_deref(),
            Ok("hola")
        );
        assert_eq!(
            required_text("   ", "f", "F", 10).map_err(|e| e.code),
            Err(ErrorCode::CampoRequerido)
        );
        assert_eq!(
            required_text("ñañañañañañ", "f", "F", 10).map_err(|e| e.code),
            Err(ErrorCode::CampoMuyLargo)
        );
        assert_eq!(optional_text(Some("  "), "f", "F", 3), Ok(None));
        assert_eq!(optional_text(None, "f", "F", 3), Ok(None));
    }
}
