//! The glue between the store and `chaski-docs` (issue 4): what the document commands do.
//!
//! `chaski-docs` is bytes in, bytes out and knows nothing of the database; the store keeps
//! records and generated PDFs and knows nothing of layouts. This module reads the record a
//! form is printed from (the attentions of a date range, a cargo, a traslado), fills the
//! template structs, renders, signs with a PKCS#12 file, verifies with the unit's trusted
//! roots, and hands files to the system viewer or to a path the person chose. Decisions:
//!
//! * **Which document a version belongs to.** Every generated PDF is stored with the id of
//!   the record it was made from (`source_id`), which is also the id printed in the footer
//!   and the QR code. A register has no record of its own: its id is derived from the unit
//!   and the period (a name-based UUID of `registro-atenciones:<unit>:<from>:<to>`), so the
//!   same period always lists the same versions.
//! * **Drafts are not printed.** A cargo or traslado is printable once issued (it has its
//!   number) and stays printable when signed; a draft or an annulled one is refused.
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

use std::path::{Path, PathBuf};

use base64::Engine;
use chaski_core::attention::{AttentionFilter, Page};
use chaski_core::document::DocStatus;
use chaski_core::error::{Error, ErrorCode};
use chaski_core::status::AttentionStatus;
use chaski_core::time::to_lima;
use chaski_docs::{
    AssetLine, AttentionRegister, AttentionRow, Document, DocumentMeta, FormHeader, HandSignature,
    PersonRef, SignOptions, SignatureReason, SignatureReport, SignerRole, SigningCredential,
};
use chaski_store::Store;
use chaski_store::documents::{GeneratedDocument, NewGeneratedDocument, sha256_hex};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::IpcError;
use crate::secrets::CertificatePasswords;

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

/// A signature drawn on the pad: the PNG (base64) and whose line it goes on. The name, DNI
/// and date printed under it come from the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HandSignatureInput {
    #[ts(type = "\"employee\" | \"technician\" | \"approver\"")]
    pub role: SignerRole,
    pub png_base64: String,
}

/// A person typed on the form (the chief who gives the register's second V° B°).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonInput {
    pub name: String,
    pub dni: String,
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

/// "Firmar digitalmente".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignRequest {
    /// The version to sign (must be the latest of its document).
    pub id: Uuid,
    /// Path of the PKCS#12 (PFX/P12) file.
    pub pfx_path: String,
    /// `null` or empty: use the password remembered for this file.
    #[serde(default)]
    pub password: Option<String>,
    /// Remember the typed password in the system keyring once the signature is stored.
    #[serde(default)]
    pub remember: bool,
    #[ts(type = "\"author\" | \"conformity\" | \"approval\"")]
    pub reason: SignatureReason,
}

/// The new version, and what happened to the password.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SignOutcome {
    pub document: GeneratedDocument,
    /// The typed password is now in the system keyring.
    pub password_remembered: bool,
    /// Something the person should know although the signature succeeded.
    pub notice: Option<String>,
}

/// A PFX file as the sign dialog needs to know it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CertificateFile {
    /// SHA-256 of the file: the key of its remembered password.
    pub fingerprint: String,
    pub password_remembered: bool,
}

/// A root CA the unit trusts for verification.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TrustedRoot {
    pub sha256: String,
    pub subject: String,
    pub issuer: String,
    pub not_after: DateTime<Utc>,
}

/// Where a printable copy was written, and whether the viewer opened.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OpenOutcome {
    pub path: String,
    pub opened: bool,
    /// Why the viewer did not open (the file is still at `path`).
    pub problem: Option<String>,
}

/// The entity's header band (seed forms). Until the unit settings carry the entity's own lines
/// and form codes, these are the ones of the seed forms.
const ENTITY_LINES: [&str; 3] = [
    "Ministerio de Desarrollo e Inclusión Social",
    "Viceministerio de Prestaciones Sociales",
    "Programa Nacional de Alimentación Escolar Qali Warma",
];
const ENTITY_NAME: &str = "Programa Nacional de Alimentación Escolar Qali Warma";
const SUPPORT_UNIT: &str = "UAST";
const FORM_REGISTER: &str = "PRO-044-PNAEQW-UTI-FOR-0001";
const FORM_ASSIGNMENT: &str = "PRO-044-PNAEQW-UTI-FOR-0003";
const FORM_TRANSFER: &str = "PRO-044-PNAEQW-UTI-FOR-0004";
/// Largest register in one document (a year of a busy unit is ~3,000).
const MAX_REGISTER_ROWS: usize = 5000;
/// Largest file read for signing or verification.
const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;
/// Largest handwritten signature image.
const MAX_HAND_PNG_BYTES: usize = 2 * 1024 * 1024;

pub(crate) fn header(form_code: &str) -> FormHeader {
    FormHeader {
        entity_lines: ENTITY_LINES.iter().map(|l| l.to_string()).collect(),
        form_code: form_code.into(),
        version: "01".into(),
    }
}

pub(crate) fn lima(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    to_lima(t).fixed_offset()
}

fn field_error(code: ErrorCode, field: &str, message: impl Into<String>) -> IpcError {
    IpcError(Error::field(code, field, message))
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
    let from = source.from.ok_or_else(|| {
        field_error(
            ErrorCode::CampoRequerido,
            "from",
            "Indique desde qué fecha (dd/mm/aaaa) va el registro de atenciones.",
        )
    })?;
    let to = source.to.ok_or_else(|| {
        field_error(
            ErrorCode::CampoRequerido,
            "to",
            "Indique hasta qué fecha (dd/mm/aaaa) va el registro de atenciones.",
        )
    })?;
    if from > to {
        return Err(field_error(
            ErrorCode::RangoFechasInvalido,
            "to",
            "La fecha final del registro es anterior a la inicial: corrija el periodo.",
        ));
    }
    Ok((from, to))
}

pub(crate) fn person(name: &str, dni: Option<&str>) -> PersonRef {
    PersonRef {
        name: name.to_string(),
        dni: dni.unwrap_or_default().to_string(),
    }
}

fn brief(p: &chaski_core::asset::PersonBrief) -> PersonRef {
    person(&p.name, p.dni.as_deref())
}

fn asset_lines(items: &[chaski_core::asset::DocItem]) -> Vec<AssetLine> {
    items
        .iter()
        .map(|i| AssetLine {
            equipment: i.equipment.clone(),
            brand: i.brand.clone().unwrap_or_default(),
            sbn_code: i.code.to_string(),
            observations: i.remarks.clone().unwrap_or_default(),
        })
        .collect()
}

pub(crate) fn printable(status: DocStatus, what: &str) -> Result<(), IpcError> {
    match status {
        DocStatus::Emitido | DocStatus::Firmado => Ok(()),
        DocStatus::Borrador => Err(IpcError(Error::general(
            ErrorCode::DocumentoNoEmitido,
            format!(
                "{what} es un borrador: emítalo primero (recibe su número) y luego genere el PDF."
            ),
        ))),
        DocStatus::Anulado => Err(IpcError(Error::general(
            ErrorCode::DocumentoNoEmitido,
            format!("{what} está anulado: ya no se imprime."),
        ))),
    }
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
    let profile = store.profile()?;
    let key = source_key(source, &profile.unit.code)?;
    match source.kind {
        DocumentKind::Register => {
            let (from, to) = period(source)?;
            let rows = register_rows(store, from, to)?;
            let technician = &profile.technician;
            let document = Document::AttentionRegister(AttentionRegister {
                meta: DocumentMeta {
                    document_id: key.to_string(),
                    number: String::new(),
                    issued_at: lima(Utc::now()),
                },
                header: header(FORM_REGISTER),
                entity_name: ENTITY_NAME.into(),
                unit: profile.unit.name.clone(),
                period_from: from,
                period_to: to,
                rows,
                specialist: Some(PersonRef {
                    name: technician.full_name(),
                    dni: technician.dni.to_string(),
                }),
                chief: approver
                    .filter(|a| !a.name.trim().is_empty())
                    .map(|a| person(a.name.trim(), Some(a.dni.trim()))),
            });
            Ok(Built {
                document,
                source_id: key,
                number: None,
            })
        }
        DocumentKind::Assignment => {
            let a = store.assignment_get(key.into())?;
            printable(a.lifecycle.status, "El cargo de asignación")?;
            let number = a.lifecycle.number.as_ref().map(|n| n.text());
            let issued = a.lifecycle.issued_at.unwrap_or(a.updated_at);
            let document = Document::Assignment(chaski_docs::Assignment {
                meta: DocumentMeta {
                    document_id: key.to_string(),
                    number: number_digits(number.as_deref()),
                    issued_at: lima(issued),
                },
                header: header(FORM_ASSIGNMENT),
                support_unit: SUPPORT_UNIT.into(),
                date: a.date,
                employee: brief(&a.person),
                office: a
                    .office
                    .clone()
                    .or_else(|| a.person.office.clone())
                    .unwrap_or_default(),
                retired: asset_lines(&a.withdrawn),
                assigned: asset_lines(&a.assigned),
                technician: brief(&a.technician),
                copy_note: None,
            });
            Ok(Built {
                document,
                source_id: key,
                number,
            })
        }
        DocumentKind::Transfer => {
            let t = store.transfer_get(key.into())?;
            printable(t.lifecycle.status, "El traslado")?;
            let number = t.lifecycle.number.as_ref().map(|n| n.text());
            let issued = t.lifecycle.issued_at.unwrap_or(t.updated_at);
            let handed = t.handed_by_person.as_ref().unwrap_or(&t.technician);
            let document = Document::Transfer(chaski_docs::Transfer {
                meta: DocumentMeta {
                    document_id: key.to_string(),
                    number: number_digits(number.as_deref()),
                    issued_at: lima(issued),
                },
                header: header(FORM_TRANSFER),
                date: t.date,
                origin_site: t.origin_site.clone(),
                destination_site: t.destination_site.clone(),
                reason: t.reason.clone(),
                assets: asset_lines(&t.items),
                delivered_by: brief(handed),
                delivered_by_office: handed
                    .office
                    .clone()
                    .unwrap_or_else(|| format!("Soporte técnico – {SUPPORT_UNIT}")),
                received_by: t
                    .received_by_person
                    .as_ref()
                    .map(brief)
                    .unwrap_or_else(|| person("", None)),
                received_by_office: t
                    .received_by_person
                    .as_ref()
                    .and_then(|p| p.office.clone())
                    .unwrap_or_default(),
            });
            Ok(Built {
                document,
                source_id: key,
                number,
            })
        }
        DocumentKind::Decommission => crate::decommission::build(store, key.into()),
        DocumentKind::Diagnostic => crate::diagnostics::build_sheet(store, key),
    }
}

/// `N° 007-2026` → `007-2026` (the templates print their own "N°").
pub(crate) fn number_digits(number: Option<&str>) -> String {
    number
        .map(|n| n.trim_start_matches("N°").trim().to_string())
        .unwrap_or_default()
}

/// The attentions received in the period, oldest first, as register rows.
fn register_rows(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<AttentionRow>, IpcError> {
    let filter = AttentionFilter {
        from: Some(from),
        to: Some(to),
        ..AttentionFilter::default()
    };
    let mut all = Vec::new();
    for number in 1.. {
        let page = store.attentions_list(
            &filter,
            Page {
                number,
                size: Page::MAX_SIZE,
            },
        )?;
        let n = page.items.len();
        all.extend(page.items);
        if all.len() > MAX_REGISTER_ROWS {
            return Err(field_error(
                ErrorCode::ValorInvalido,
                "to",
                format!(
                    "El periodo tiene más de {MAX_REGISTER_ROWS} atenciones; un registro admite \
                     hasta {MAX_REGISTER_ROWS}. Elija un periodo más corto."
                ),
            ));
        }
        if n < Page::MAX_SIZE as usize {
            break;
        }
    }
    // Drafts (no N° yet) are listed too: the register prints its own row number, never the
    // attention's N°, so a draft is never printed as a number (docs/sync.md).
    all.sort_by_key(|a| (a.received_at, a.number.as_ref().map_or(u32::MAX, |n| n.seq)));
    Ok(all
        .into_iter()
        .enumerate()
        .map(|(i, a)| AttentionRow {
            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
            date: to_lima(a.received_at).date_naive(),
            site: a.unit_name,
            requester: a.requester_name,
            office: a.office_name.unwrap_or_default(),
            problem: a.problem,
            solution: a.solution.unwrap_or_default(),
            typology: a.category_name,
            status: match a.status {
                AttentionStatus::Pendiente => chaski_docs::AttentionStatus::Pending,
                AttentionStatus::EnProgreso => chaski_docs::AttentionStatus::InProgress,
                AttentionStatus::Atendido => chaski_docs::AttentionStatus::Attended,
            },
            technician: a.technician_name,
        })
        .collect())
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

fn read_file(path: &str, field: &str, what: &str) -> Result<Vec<u8>, IpcError> {
    read_file_limited(path, field, what, MAX_FILE_BYTES)
}

/// Reads a file the person chose, refusing an empty path, a folder and a file above `max`
/// bytes with a Spanish message on `field`.
pub(crate) fn read_file_limited(
    path: &str,
    field: &str,
    what: &str,
    max: u64,
) -> Result<Vec<u8>, IpcError> {
    let trimmed = path.trim();
    if trimmed.is_empty() {
        return Err(field_error(
            ErrorCode::CampoRequerido,
            field,
            format!("Elija {what}."),
        ));
    }
    let unreadable = |detail: String| {
        field_error(
            ErrorCode::ArchivoNoLegible,
            field,
            format!(
                "No se pudo leer {what} «{trimmed}» ({detail}). Revise la ruta y los permisos."
            ),
        )
    };
    let meta = std::fs::metadata(trimmed).map_err(|e| unreadable(e.to_string()))?;
    if !meta.is_file() {
        return Err(unreadable("no es un archivo".into()));
    }
    if meta.len() > max {
        return Err(unreadable(format!(
            "pesa {} MB; el máximo es {} MB",
            meta.len().div_ceil(1024 * 1024),
            max / (1024 * 1024)
        )));
    }
    std::fs::read(trimmed).map_err(|e| unreadable(e.to_string()))
}

/// What the sign dialog shows for a chosen PFX file.
pub fn certificate_file(pfx_path: &str) -> Result<CertificateFile, IpcError> {
    let pfx = read_file(pfx_path, "pfx_path", "el archivo del certificado (PFX/P12)")?;
    let fingerprint = sha256_hex(&pfx);
    // Without a keyring nothing is remembered; that is not an error for the dialog.
    let password_remembered = CertificatePasswords::get(&fingerprint)
        .map(|p| p.is_some())
        .unwrap_or(false);
    Ok(CertificateFile {
        fingerprint,
        password_remembered,
    })
}

/// "Firmar digitalmente": signs the stored version `request.id` and stores the result as the
/// next version. Nothing is stored, and no password remembered, unless everything succeeded.
pub fn sign(store: &Store, request: &SignRequest) -> Result<SignOutcome, IpcError> {
    let previous = store.document_get(request.id)?;
    let pfx = read_file(
        &request.pfx_path,
        "pfx_path",
        "el archivo del certificado (PFX/P12)",
    )?;
    let fingerprint = sha256_hex(&pfx);
    let typed = request.password.as_deref().filter(|p| !p.is_empty());
    let password = match typed {
        Some(p) => p.to_string(),
        None => match CertificatePasswords::get(&fingerprint) {
            Ok(Some(p)) => p,
            Ok(None) => {
                return Err(field_error(
                    ErrorCode::CampoRequerido,
                    "password",
                    "Escriba la contraseña del certificado: no hay una contraseña recordada \
                     para este archivo.",
                ));
            }
            // No keyring on this computer: nothing can be remembered, so it must be typed.
            Err(crate::secrets::SecretsError::KeyringUnavailable(_)) => {
                return Err(field_error(
                    ErrorCode::CampoRequerido,
                    "password",
                    "Escriba la contraseña del certificado: este equipo no tiene llavero del \
                     sistema donde recordarla.",
                ));
            }
            Err(e) => return Err(e.into()),
        },
    };
    let credential = SigningCredential::from_pkcs12(&pfx, &password)?;
    let pdf = store.document_pdf(previous.id)?;
    let signed = chaski_docs::sign_pdf(&pdf, &credential, &SignOptions::now(request.reason))?;
    let document =
        store.document_add_version(previous.id, &signed, previous.signature_count + 1)?;
    let (password_remembered, notice) = match (request.remember, typed) {
        (true, Some(p)) => match CertificatePasswords::remember(&fingerprint, p) {
            Ok(()) => (true, None),
            Err(e) => (
                false,
                Some(format!(
                    "El documento se firmó, pero la contraseña no se pudo recordar: {e}"
                )),
            ),
        },
        _ => (false, None),
    };
    Ok(SignOutcome {
        document,
        password_remembered,
        notice,
    })
}

/// The folder of the trusted root certificates.
pub fn roots_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("confianza")
}

pub(crate) fn storage_error(what: &str, path: &Path, err: &std::io::Error) -> IpcError {
    IpcError(Error::general(
        ErrorCode::ErrorAlmacenamiento,
        format!(
            "No se pudo {what} {} ({err}). Revise los permisos y el espacio en disco.",
            path.display()
        ),
    ))
}

/// The trusted roots as DER, for `verify`.
pub fn trusted_roots_der(data_dir: &Path) -> Result<Vec<Vec<u8>>, IpcError> {
    let dir = roots_dir(data_dir);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(storage_error("leer la carpeta", &dir, &e)),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "der"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).map_err(|e| storage_error("leer", p, &e)))
        .collect()
}

/// The trusted roots as the settings screen lists them.
pub fn trusted_roots(data_dir: &Path) -> Result<Vec<TrustedRoot>, IpcError> {
    let mut out = Vec::new();
    for der in trusted_roots_der(data_dir)? {
        // A file that no longer parses is skipped rather than blocking the list.
        if let Ok(info) = chaski_docs::certificate_info(&der) {
            out.push(TrustedRoot {
                sha256: info.sha256,
                subject: info.subject,
                issuer: info.issuer,
                not_after: info.not_after,
            });
        }
    }
    out.sort_by(|a, b| a.subject.cmp(&b.subject));
    Ok(out)
}

/// Adds a CA certificate file (DER or PEM) to the trusted roots.
pub fn trusted_root_add(data_dir: &Path, path: &str) -> Result<Vec<TrustedRoot>, IpcError> {
    let bytes = read_file(path, "path", "el certificado raíz")?;
    let info = chaski_docs::certificate_info(&bytes).map_err(|e| {
        let mut err = IpcError::from(e);
        err.0.field = Some("path".into());
        err
    })?;
    let dir = roots_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(|e| storage_error("crear la carpeta", &dir, &e))?;
    let file = dir.join(format!("{}.der", info.sha256));
    std::fs::write(&file, &info.der).map_err(|e| storage_error("guardar", &file, &e))?;
    trusted_roots(data_dir)
}

/// Removes a trusted root by its SHA-256.
pub fn trusted_root_remove(data_dir: &Path, sha256: &str) -> Result<Vec<TrustedRoot>, IpcError> {
    let valid = sha256.len() == 64 && sha256.chars().all(|c| c.is_ascii_hexdigit());
    if !valid {
        return Err(field_error(
            ErrorCode::ValorInvalido,
            "sha256",
            "La huella del certificado no es válida; vuelva a abrir Ajustes.",
        ));
    }
    let file = roots_dir(data_dir).join(format!("{}.der", sha256.to_ascii_lowercase()));
    match std::fs::remove_file(&file) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(storage_error("quitar", &file, &e)),
    }
    trusted_roots(data_dir)
}

/// Verifies the signatures of a stored version.
pub fn signatures_of(
    store: &Store,
    data_dir: &Path,
    id: Uuid,
) -> Result<Vec<SignatureReport>, IpcError> {
    let pdf = store.document_pdf(id)?;
    Ok(chaski_docs::verify(&pdf, &trusted_roots_der(data_dir)?)?)
}

/// "Verificar PDF" for any file.
pub fn verify_file(data_dir: &Path, path: &str) -> Result<Vec<SignatureReport>, IpcError> {
    let pdf = read_file(path, "path", "el archivo PDF")?;
    chaski_docs::verify(&pdf, &trusted_roots_der(data_dir)?).map_err(|e| {
        let mut err = IpcError::from(e);
        err.0.field = Some("path".into());
        err
    })
}

/// A readable file name: `cargo-asignacion-007-2026-v2-1a2b3c4d.pdf`.
pub fn file_name(doc: &GeneratedDocument) -> String {
    let number: String = doc
        .number
        .as_deref()
        .unwrap_or("")
        .trim_start_matches("N°")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let short = doc.file_sha256.get(..8).unwrap_or(&doc.file_sha256);
    if number.is_empty() {
        format!("{}-v{}-{short}.pdf", doc.kind, doc.version)
    } else {
        format!("{}-{number}-v{}-{short}.pdf", doc.kind, doc.version)
    }
}

/// Writes the bytes of version `id` to `path` (a file the person chose).
pub fn save_as(store: &Store, id: Uuid, path: &str) -> Result<(), IpcError> {
    let path = path.trim();
    if path.is_empty() {
        return Err(field_error(
            ErrorCode::CampoRequerido,
            "path",
            "Elija dónde guardar el PDF.",
        ));
    }
    let pdf = store.document_pdf(id)?;
    std::fs::write(path, pdf).map_err(|e| {
        field_error(
            ErrorCode::ArchivoNoLegible,
            "path",
            format!("No se pudo guardar el PDF en «{path}» ({e}). Elija otra carpeta."),
        )
    })
}

/// "Imprimir": writes a copy under `<data dir>/documentos/` and opens it in the system viewer.
pub fn open(store: &Store, data_dir: &Path, id: Uuid) -> Result<OpenOutcome, IpcError> {
    let doc = store.document_get(id)?;
    let dir = data_dir.join("documentos");
    std::fs::create_dir_all(&dir).map_err(|e| storage_error("crear la carpeta", &dir, &e))?;
    let file = dir.join(file_name(&doc));
    let pdf = store.document_pdf(id)?;
    write_and_open(&file, &pdf)
}

/// Writes `bytes` to `file` and opens it with the system's viewer for its type; the path is
/// returned even when no viewer opened.
pub(crate) fn write_and_open(file: &Path, bytes: &[u8]) -> Result<OpenOutcome, IpcError> {
    std::fs::write(file, bytes).map_err(|e| storage_error("guardar", file, &e))?;
    let (opened, problem) = match tauri_plugin_opener::open_path(file, None::<&str>) {
        Ok(()) => (true, None),
        Err(e) => (
            false,
            Some(format!(
                "No se pudo abrir el visor del sistema ({e}). Abra el archivo desde su \
                 carpeta para verlo o imprimirlo."
            )),
        ),
    };
    Ok(OpenOutcome {
        path: file.display().to_string(),
        opened,
        problem,
    })
}
