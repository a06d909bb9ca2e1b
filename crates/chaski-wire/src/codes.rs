//! Stable error codes of the API (the `code` of an [`ApiError`](crate::ApiError)), and
//! the typed codes of a refused change ([`RejectCode`], the `code` of an
//! [`EntryResult`](crate::EntryResult) whose status is `rejected`) with what each means for
//! the person.
//!
//! Codes are protocol: never rename one. A client meets codes newer than itself, so it reads
//! them with [`RejectCode::from_code`] and shows a generic message for the ones it does not
//! know.

/// The body is not valid JSON of the expected shape.
pub const BAD_REQUEST: &str = "bad_request";
/// The body is larger than the server accepts.
pub const TOO_LARGE: &str = "too_large";
/// No or malformed `Authorization` header.
pub const TOKEN_MISSING: &str = "token_missing";
/// The token is unknown.
pub const TOKEN_INVALID: &str = "token_invalid";
/// The device was revoked by an administrator.
pub const DEVICE_REVOKED: &str = "device_revoked";
/// The enrolment code is unknown, used or expired.
pub const ENROLMENT_INVALID: &str = "enrolment_invalid";
/// The device id is already enrolled.
pub const DEVICE_EXISTS: &str = "device_exists";
/// The enrolment code was made for another unit than the device's own (code not consumed).
pub const ENROLMENT_UNIT_MISMATCH: &str = "enrolment_unit_mismatch";
/// No protocol version in common.
pub const PROTOCOL_UNSUPPORTED: &str = "protocol_unsupported";
/// The client's schema is too old for this server.
pub const CLIENT_OUTDATED: &str = "client_outdated";
/// The client's schema is newer than this server's.
pub const SERVER_OUTDATED: &str = "server_outdated";
/// The device asked for a unit it may not read or write.
pub const UNIT_FORBIDDEN: &str = "unit_forbidden";
/// The unit does not exist.
pub const UNIT_UNKNOWN: &str = "unit_unknown";
/// A push skipped a sequence number.
pub const SEQUENCE_GAP: &str = "sequence_gap";
/// A push re-sent a sequence number with different content (cloned device or restored
/// backup).
pub const FORK: &str = "fork";
/// The server already has more changes from this device than the device itself.
pub const DEVICE_RESTORED: &str = "device_restored";
/// A change is for a unit other than the device's.
pub const UNIT_MISMATCH: &str = "unit_mismatch";
/// A change names another device.
pub const DEVICE_MISMATCH: &str = "device_mismatch";
/// A change alters a signed document.
pub const DOCUMENT_SIGNED: &str = "document_signed";
/// A change names a record that belongs to another unit (or is reference data of the
/// central office, for a unit's device). Says nothing else about that record.
pub const RECORD_FOREIGN: &str = "record_foreign";
/// A change edits or deletes an insert-only record (diagnostics, asset events, reviews, …).
pub const RECORD_INSERT_ONLY: &str = "record_insert_only";
/// A signing change whose content hash is not the hash of the record as the server has it.
pub const SIGNED_CONTENT_MISMATCH: &str = "signed_content_mismatch";
/// A change stamped too far ahead of the server's clock.
pub const CLOCK_AHEAD: &str = "clock_ahead";
/// A document number outside the device's reserved blocks.
pub const NUMBER_OUTSIDE_BLOCK: &str = "number_outside_block";
/// A document number already used by another document.
pub const NUMBER_USED: &str = "number_used";
/// `doc_kind`, `doc_year` and `doc_number` must come together.
pub const NUMBER_INCOMPLETE: &str = "number_incomplete";
/// A change is malformed (entity name, field names, sizes).
pub const INVALID_CHANGE: &str = "invalid_change";
/// No such route.
pub const NOT_FOUND: &str = "not_found";
/// No conflict with that id in a unit this device may resolve (same answer whether it
/// exists in another unit or not at all).
pub const CONFLICT_UNKNOWN: &str = "conflict_unknown";
/// The conflict was already resolved with another choice.
pub const CONFLICT_RESOLVED: &str = "conflict_resolved";
/// The server failed; try again later.
pub const INTERNAL: &str = "internal";
/// The server's database is unavailable; try again later.
pub const UNAVAILABLE: &str = "unavailable";

/// Why the server refused one change of a push (the change's sequence is still consumed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RejectCode {
    /// The change names a unit other than the device's.
    UnitMismatch,
    /// The record is a signed document: it never changes again.
    DocumentSigned,
    /// The document number is outside the device's reserved blocks.
    NumberOutsideBlock,
    /// Another document of the unit already has that number.
    NumberUsed,
    /// `doc_kind`, `doc_year` and `doc_number` (or `year` and `number`) must come together.
    NumberIncomplete,
    /// The change is malformed (entity or field names, sizes, clock stamp of another device).
    InvalidChange,
    /// The record belongs to another unit (or is the central office's reference data).
    RecordForeign,
    /// The record is insert-only: it is never edited or deleted.
    RecordInsertOnly,
    /// The signing change's content hash does not match the record.
    SignedContentMismatch,
    /// The change's clock stamp is too far ahead of the server's clock.
    ClockAhead,
}

impl RejectCode {
    /// Every rejection code.
    pub const ALL: &'static [RejectCode] = &[
        RejectCode::UnitMismatch,
        RejectCode::DocumentSigned,
        RejectCode::NumberOutsideBlock,
        RejectCode::NumberUsed,
        RejectCode::NumberIncomplete,
        RejectCode::InvalidChange,
        RejectCode::RecordForeign,
        RejectCode::RecordInsertOnly,
        RejectCode::SignedContentMismatch,
        RejectCode::ClockAhead,
    ];

    /// The code as it travels.
    pub fn code(self) -> &'static str {
        match self {
            RejectCode::UnitMismatch => UNIT_MISMATCH,
            RejectCode::DocumentSigned => DOCUMENT_SIGNED,
            RejectCode::NumberOutsideBlock => NUMBER_OUTSIDE_BLOCK,
            RejectCode::NumberUsed => NUMBER_USED,
            RejectCode::NumberIncomplete => NUMBER_INCOMPLETE,
            RejectCode::InvalidChange => INVALID_CHANGE,
            RejectCode::RecordForeign => RECORD_FOREIGN,
            RejectCode::RecordInsertOnly => RECORD_INSERT_ONLY,
            RejectCode::SignedContentMismatch => SIGNED_CONTENT_MISMATCH,
            RejectCode::ClockAhead => CLOCK_AHEAD,
        }
    }

    /// Reads a code; `None` for a code this build does not know (a newer server).
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.code() == code)
    }

    /// What the refusal means for the person, and what to do, in Spanish.
    pub fn meaning(self) -> &'static str {
        match self {
            RejectCode::DocumentSigned => {
                "El documento ya estaba firmado en el servidor: los documentos firmados no se \
                 modifican. Si hace falta un cambio, emita un documento nuevo."
            }
            RejectCode::NumberOutsideBlock => {
                "El número del documento no pertenece a los números reservados para este \
                 equipo. Avise al administrador para revisarlo."
            }
            RejectCode::NumberUsed => {
                "Otro documento ya usa ese número en la unidad. Avise al administrador para \
                 revisar la numeración."
            }
            RejectCode::NumberIncomplete => {
                "El número del documento está incompleto (tipo, año y número van juntos). \
                 Vuelva a guardar el documento."
            }
            RejectCode::UnitMismatch => {
                "El cambio es de otra unidad y este equipo no puede enviarlo. Revise la unidad \
                 configurada en este equipo."
            }
            RejectCode::InvalidChange => {
                "El servidor no reconoce el cambio (quizá una versión más nueva de Chaski lo \
                 escribió). Actualice Chaski o avise al administrador."
            }
            RejectCode::RecordForeign => {
                "Este equipo no puede modificar ese registro, así que el cambio no se aplicó. Si \
                 hace falta, registre la información como un registro nuevo de su unidad."
            }
            RejectCode::RecordInsertOnly => {
                "Ese registro no se modifica ni se borra una vez guardado (diagnósticos, \
                 movimientos de bienes, revisiones). Registre uno nuevo que lo corrija."
            }
            RejectCode::SignedContentMismatch => {
                "El documento firmado no coincide con el que tiene el servidor (cambió mientras \
                 se firmaba). Revise el documento y vuelva a firmarlo."
            }
            RejectCode::ClockAhead => {
                "La fecha y hora de este equipo estaban adelantadas cuando se hizo el cambio, \
                 así que el servidor no lo aceptó. Corrija la fecha y hora del equipo y vuelva \
                 a registrar la información."
            }
        }
    }

    /// [`RejectCode::meaning`] of any code as received, with a generic message naming the
    /// code for one this build does not know.
    pub fn message_for(code: &str) -> String {
        match Self::from_code(code) {
            Some(c) => c.meaning().to_string(),
            None => format!(
                "El servidor rechazó el cambio (código {code}). Avise al administrador con este \
                 código."
            ),
        }
    }
}

impl std::fmt::Display for RejectCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rejection_code_round_trips_and_has_its_own_message() {
        let mut seen = std::collections::BTreeSet::new();
        for c in RejectCode::ALL {
            assert_eq!(RejectCode::from_code(c.code()), Some(*c));
            assert!(seen.insert(c.meaning()), "{c} shares its message");
            assert!(!RejectCode::message_for(c.code()).contains("código"), "{c}");
        }
        assert_eq!(RejectCode::from_code("otro_codigo"), None);
        assert!(RejectCode::message_for("otro_codigo").contains("otro_codigo"));
    }
}
