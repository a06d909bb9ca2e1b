//! Record → printable document: reads the record a form is printed from (the attentions of a
//! period, a cargo, a traslado, an informe técnico de baja, a diagnostic) and fills the
//! `chaski-docs` template. One child per form, sharing [`form`]; nothing here renders, signs or
//! stores (that is [`crate::pdfs`]).
//!
//! * **Which document a version belongs to.** Every generated PDF is stored with the id of
//!   the record it was made from (`source_id`), which is also the id printed in the footer
//!   and the QR code. A register has no record of its own: its id is derived from the unit
//!   and the period (a name-based UUID of `registro-atenciones:<unit>:<from>:<to>`), so the
//!   same period always lists the same versions.
//! * **Drafts are not printed.** A cargo or traslado is printable once issued (it has its
//!   number) and stays printable when signed; a draft or an annulled one is refused.

mod decommission;
mod diagnostic;
pub(crate) mod form;
mod movements;
mod register;

use chaski_core::attention::register_period;
use chaski_core::error::ErrorCode;
use chaski_docs::Document;
use chaski_store::Store;
use chaski_store::documents::sha256_hex;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub use decommission::{DEFAULT_CHIEF_ROLE, TECHNICIAN_ROLE};

use crate::error::IpcError;
use crate::files::field_error;

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Anexo 01, "Formato de registro de atención de mesa de ayuda", for a date range.
    Register,
    /// Cargo de asignación (by the assignment's id).
    Assignment,
    /// Traslado (by the transfer's id).
    Transfer,
    /// Informe técnico de baja (by the report's id).
    Decommission,
    /// Ficha técnica de diagnóstico (by the diagnostic's id).
    Diagnostic,
}

/// What a document is printed from: a cargo or traslado by id, or the register of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentSource {
    pub kind: DocumentKind,
    /// The cargo's or traslado's id (not used for the register).
    #[serde(default)]
    pub source_id: Option<Uuid>,
    /// First day of the register's period (Lima), `YYYY-MM-DD`.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub from: Option<NaiveDate>,
    /// Last day of the register's period (Lima), `YYYY-MM-DD`.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub to: Option<NaiveDate>,
}

/// A person typed on the form (the chief who gives the register's second V° B°).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonInput {
    pub name: String,
    pub dni: String,
}

/// The id of the document made from `source`: the record's id, or for a register the
/// name-based id of the unit and the period.
pub fn source_key(source: &DocumentSource, unit_code: &str) -> Result<Uuid, IpcError> {
    match source.kind {
        DocumentKind::Register => {
            let (from, to) = period(source)?;
            let hex = sha256_hex(format!("registro-atenciones:{unit_code}:{from}:{to}").as_bytes());
            let mut bytes = [0u8; 16];
            for (i, b) in bytes.iter_mut().enumerate() {
                *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2).unwrap_or("00"), 16).unwrap_or(0);
            }
            Ok(uuid::Builder::from_sha1_bytes(bytes).into_uuid())
        }
        DocumentKind::Assignment
        | DocumentKind::Transfer
        | DocumentKind::Decommission
        | DocumentKind::Diagnostic => source.source_id.ok_or_else(|| {
            field_error(
                ErrorCode::CampoRequerido,
                "source_id",
                "Falta el documento de origen (cargo, traslado, informe o diagnóstico): ábralo \
                 desde su pantalla.",
            )
        }),
    }
}

fn period(source: &DocumentSource) -> Result<(NaiveDate, NaiveDate), IpcError> {
    Ok(register_period(source.from, source.to)?)
}

/// A document ready to render: the template data and how it is stored.
pub struct Built {
    pub document: Document,
    pub source_id: Uuid,
    /// `N° 007-2026`, or `None` for a register.
    pub number: Option<String>,
}

/// Reads the record `source` names and fills its template.
pub fn build(
    store: &Store,
    source: &DocumentSource,
    approver: Option<&PersonInput>,
) -> Result<Built, IpcError> {
    let unit = store.profile()?.unit.code;
    let key = source_key(source, &unit)?;
    match source.kind {
        DocumentKind::Register => register::build(store, key, period(source)?, approver),
        DocumentKind::Assignment => movements::assignment(store, key.into()),
        DocumentKind::Transfer => movements::transfer(store, key.into()),
        DocumentKind::Decommission => decommission::build(store, key.into()),
        DocumentKind::Diagnostic => diagnostic::build(store, key),
    }
}
