//! Generated PDFs: "Generar PDF" renders a record's printable form ([`crate::printing`]) with
//! the handwritten signatures drawn on screen and stores it as version 1; every later version
//! (a digital signature) is a new stored file, the earlier bytes never change. Children: the
//! digital signature ([`signing`]), the trusted roots and verification ([`trust`]), and the
//! copies printed or saved where the person chose ([`copies`]).
//!
//! * **Remembered passwords** are keyed by the SHA-256 of the PFX file itself, not of the
//!   certificate inside it: the certificate is encrypted with the very password we want to
//!   find, so it cannot be read first. Moving or renaming the file keeps the key; a renewed
//!   certificate is a new file and never gets the old password. The password is remembered
//!   only after the signature was stored.
//! * **Trusted roots** are CA certificates the administrator adds in Ajustes; they are copied
//!   into `<data dir>/confianza/<sha256>.der` (a setting of this installation of the unit's
//!   app until unit settings are synchronized) and passed to `chaski_docs::verify`.
//! * **Printing**: the bytes are written to `<data dir>/documentos/` under a readable name and
//!   opened in the system viewer; the path is returned, so the person (and the end-to-end
//!   test) can find the file even where no viewer is installed.

pub mod copies;
pub mod signing;
pub mod trust;

use base64::Engine;
use chaski_core::error::ErrorCode;
use chaski_core::time::to_lima;
use chaski_docs::{Document, HandSignature, PersonRef, SignerRole};
use chaski_store::Store;
use chaski_store::documents::{GeneratedDocument, NewGeneratedDocument};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use copies::{file_name, open, save_as};
pub use signing::{CertificateFile, SignOutcome, SignRequest, certificate_file, sign};
pub use trust::{
    TrustedRoot, roots_dir, signatures_of, trusted_root_add, trusted_root_remove, trusted_roots,
    trusted_roots_der, verify_file,
};

use crate::error::IpcError;
use crate::files::field_error;
use crate::printing::form::person;
use crate::printing::{DocumentSource, PersonInput, build, source_key};

/// Largest handwritten signature image.
const MAX_HAND_PNG_BYTES: usize = 2 * 1024 * 1024;

/// A signature drawn on the pad: the PNG (base64) and whose line it goes on. The name, DNI
/// and date printed under it come from the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HandSignatureInput {
    #[ts(type = "\"employee\" | \"technician\" | \"approver\"")]
    pub role: SignerRole,
    pub png_base64: String,
}

/// "Generar PDF".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentRequest {
    pub source: DocumentSource,
    #[serde(default)]
    pub hand_signatures: Vec<HandSignatureInput>,
    /// Register only: the Jefa/e de Unidad printed under the second V° B° box.
    #[serde(default)]
    pub approver: Option<PersonInput>,
}

/// The person printed under the line of `role` in `doc`, or `None` when the form has no such
/// line.
fn signer_of(doc: &Document, role: SignerRole) -> Option<PersonRef> {
    let empty = || person("", None);
    match (doc, role) {
        (Document::Assignment(a), SignerRole::Employee) => Some(a.employee.clone()),
        (Document::Assignment(a), SignerRole::Technician) => Some(a.technician.clone()),
        (Document::Transfer(t), SignerRole::Technician) => Some(t.delivered_by.clone()),
        (Document::Transfer(t), SignerRole::Employee) => Some(t.received_by.clone()),
        (Document::AttentionRegister(r), SignerRole::Technician) => {
            Some(r.specialist.clone().unwrap_or_else(empty))
        }
        (Document::AttentionRegister(r), SignerRole::Approver) => {
            Some(r.chief.clone().unwrap_or_else(empty))
        }
        (Document::DecommissionReport(r), SignerRole::Technician) => Some(r.technician.clone()),
        (Document::DecommissionReport(r), SignerRole::Approver) => Some(r.chief.clone()),
        (Document::DiagnosticSheet(d), SignerRole::Technician) => Some(d.technician.clone()),
        (Document::DiagnosticSheet(d), SignerRole::Employee) => {
            Some(d.receiver.clone().unwrap_or_else(empty))
        }
        _ => None,
    }
}

fn hand_signatures(
    doc: &Document,
    inputs: &[HandSignatureInput],
) -> Result<Vec<HandSignature>, IpcError> {
    let today = to_lima(Utc::now()).date_naive();
    inputs
        .iter()
        .map(|input| {
            let signer = signer_of(doc, input.role).ok_or_else(|| {
                field_error(
                    ErrorCode::ValorInvalido,
                    "hand_signatures",
                    format!(
                        "Este formato no tiene línea de firma para «{}». Borre esa firma.",
                        input.role.label()
                    ),
                )
            })?;
            let png = base64::engine::general_purpose::STANDARD
                .decode(input.png_base64.trim())
                .ok()
                .filter(|b| !b.is_empty() && b.len() <= MAX_HAND_PNG_BYTES)
                .ok_or_else(|| {
                    field_error(
                        ErrorCode::DocsHandSignatureImage,
                        "hand_signatures",
                        format!(
                            "La firma manuscrita de «{}» no llegó como imagen válida. Bórrela y \
                             vuelva a firmar.",
                            input.role.label()
                        ),
                    )
                })?;
            Ok(HandSignature {
                role: input.role,
                png,
                name: signer.name,
                dni: signer.dni,
                signed_on: today,
            })
        })
        .collect()
}

/// "Generar PDF": renders the form and stores it as version 1 of a new document.
pub fn render(store: &Store, request: &DocumentRequest) -> Result<GeneratedDocument, IpcError> {
    let built = build(store, &request.source, request.approver.as_ref())?;
    let hands = hand_signatures(&built.document, &request.hand_signatures)?;
    let rendered = chaski_docs::render(&built.document, &hands)?;
    Ok(store.document_save(
        &NewGeneratedDocument {
            kind: built.document.template_name().to_string(),
            number: built.number,
            source_id: Some(built.source_id),
            content_sha256: rendered.content_sha256,
            signature_count: 0,
        },
        &rendered.pdf,
    )?)
}

/// Every version of every document generated from `source`, oldest first.
pub fn versions(
    store: &Store,
    source: &DocumentSource,
) -> Result<Vec<GeneratedDocument>, IpcError> {
    let unit = store.profile()?.unit.code;
    Ok(store.documents_of(source_key(source, &unit)?)?)
}
