//! Generated documents: the PDFs the app rendered or signed, with their hashes.
//!
//! Two tables (migration `0020_documents.sql`):
//!
//! - `generated_document`, a replicated record written through [`Writer::insert`] (so it
//!   lands in the outbox like every other record): kind, number, the record it was made from,
//!   the SHA-256 of the input data (`content_sha256`, printed in the PDF's footer and QR) and
//!   of the file (`file_sha256`), the version and the version it follows.
//! - `generated_document_file`, local only: the PDF bytes, addressed by their SHA-256.
//!
//! Why bytes in SQLite and not files on disk: the row and its bytes commit in one
//! transaction (no orphan file, no row without its file after a crash), the triggers make
//! both immutable for every writer, a backup is one file, and a one-page signed cargo is
//! ~50 KB, well within what SQLite stores comfortably in a row.
//!
//! A signed document's bytes never change: adding a signature ([`Store::document_add_version`])
//! makes a new row that references the previous one, and is refused unless the new file starts
//! with the previous file byte for byte (a PAdES signature is an incremental update; anything
//! else would rewrite what was signed) and the previous version is still the latest (the
//! history is a line, never a tree). Every read of the bytes checks their SHA-256.

use chaski_core::ErrorCode;
use chaski_core::error::Error as DomainError;
use chaski_core::ids::TechnicianId;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use uuid::Uuid;

use crate::codec::{parse_id, parse_ts};
use crate::error::Result;
use crate::{Entity, Store, Writer};

/// The largest PDF stored (a 300-row register is far below it).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// A first version: a freshly rendered (possibly already signed) PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewGeneratedDocument {
    /// `chaski_docs::Document::template_name()`, e.g. `assignment`.
    pub kind: String,
    /// `N° 007-2026`, when the document has a number.
    pub number: Option<String>,
    /// The record it was made from (an assignment, a transfer).
    pub source_id: Option<Uuid>,
    /// `RenderedDocument::content_sha256` (hex).
    pub content_sha256: String,
    /// Digital signatures the file carries (0 for a rendered, unsigned PDF).
    pub signature_count: u32,
}

/// One stored version of a generated document (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GeneratedDocument {
    pub id: Uuid,
    pub unit_code: String,
    pub kind: String,
    pub number: Option<String>,
    pub source_id: Option<Uuid>,
    pub version: u32,
    pub previous_id: Option<Uuid>,
    pub content_sha256: String,
    pub file_sha256: String,
    #[ts(type = "number")]
    pub file_size: u64,
    pub signature_count: u32,
    pub created_at: DateTime<Utc>,
    pub created_by: TechnicianId,
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn invalid(field: &str, message: impl Into<String>) -> crate::StoreError {
    DomainError::field(ErrorCode::ValorInvalido, field, message).into()
}

fn immutable(message: impl Into<String>) -> crate::StoreError {
    DomainError::general(ErrorCode::DocumentoInmutable, message).into()
}

fn check_pdf(pdf: &[u8]) -> Result<()> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(invalid(
            "pdf",
            "El archivo no es un PDF (no empieza con %PDF-). Vuelva a generar el documento.",
        ));
    }
    if pdf.len() > MAX_FILE_BYTES {
        return Err(invalid(
            "pdf",
            format!(
                "El PDF pesa {} MB; el máximo que se guarda es {} MB.",
                pdf.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

const SELECT: &str = "SELECT id, unit_code, kind, number, source_id, version, previous_id, \
     content_sha256, file_sha256, file_size, signature_count, created_at, created_by \
     FROM generated_document";

fn from_row(r: &Row<'_>) -> rusqlite::Result<[Option<String>; 13]> {
    let mut out: [Option<String>; 13] = Default::default();
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = match r.get_ref(i)? {
            rusqlite::types::ValueRef::Null => None,
            rusqlite::types::ValueRef::Integer(n) => Some(n.to_string()),
            v => Some(v.as_str()?.to_string()),
        };
    }
    Ok(out)
}

fn decode(c: [Option<String>; 13]) -> Result<GeneratedDocument> {
    let bad = |what: &str| crate::StoreError::BadData(format!("generated_document.{what}"));
    let [
        id,
        unit_code,
        kind,
        number,
        source_id,
        version,
        previous_id,
        content_sha256,
        file_sha256,
        file_size,
        signature_count,
        created_at,
        created_by,
    ] = c;
    let num = |v: Option<String>, what: &str| -> Result<u64> {
        v.and_then(|s| s.parse().ok()).ok_or_else(|| bad(what))
    };
    Ok(GeneratedDocument {
        id: parse_id(&id.ok_or_else(|| bad("id"))?)?,
        unit_code: unit_code.ok_or_else(|| bad("unit_code"))?,
        kind: kind.ok_or_else(|| bad("kind"))?,
        number,
        source_id: source_id.map(|s| parse_id(&s)).transpose()?,
        version: u32::try_from(num(version, "version")?).map_err(|_| bad("version"))?,
        previous_id: previous_id.map(|s| parse_id(&s)).transpose()?,
        content_sha256: content_sha256.ok_or_else(|| bad("content_sha256"))?,
        file_sha256: file_sha256.ok_or_else(|| bad("file_sha256"))?,
        file_size: num(file_size, "file_size")?,
        signature_count: u32::try_from(num(signature_count, "signature_count")?)
            .map_err(|_| bad("signature_count"))?,
        created_at: parse_ts(&created_at.ok_or_else(|| bad("created_at"))?)?,
        created_by: parse_id(&created_by.ok_or_else(|| bad("created_by"))?)?,
    })
}

fn get(conn: &rusqlite::Connection, id: Uuid) -> Result<Option<GeneratedDocument>> {
    conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id.hyphenated().to_string()], from_row)
        .optional()?
        .map(decode)
        .transpose()
}

fn file(conn: &rusqlite::Connection, sha: &str) -> Result<Vec<u8>> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT bytes FROM generated_document_file WHERE sha256 = ?1")?
        .query_row([sha], |r| r.get(0))
        .optional()?;
    let bytes = bytes.ok_or_else(|| {
        crate::StoreError::BadData(format!("falta el archivo del documento {sha}"))
    })?;
    let actual = sha256_hex(&bytes);
    if actual != sha {
        return Err(crate::StoreError::BadData(format!(
            "el archivo del documento no coincide con su huella (esperada {sha}, hallada {actual})"
        )));
    }
    Ok(bytes)
}

/// Writes the version row (through the outbox) and its bytes (local table), in `w`'s
/// transaction.
fn insert(w: &mut Writer<'_>, doc: &GeneratedDocument, pdf: &[u8]) -> Result<()> {
    w.conn()
        .prepare_cached(
            "INSERT INTO generated_document_file (sha256, bytes) VALUES (?1, ?2) \
             ON CONFLICT (sha256) DO NOTHING",
        )?
        .execute(params![doc.file_sha256, pdf])?;
    let fields = crate::fields! {
        "unit_code" => doc.unit_code,
        "kind" => doc.kind,
        "number" => doc.number,
        "source_id" => doc.source_id.map(|u| u.hyphenated().to_string()),
        "version" => doc.version,
        "previous_id" => doc.previous_id.map(|u| u.hyphenated().to_string()),
        "content_sha256" => doc.content_sha256,
        "file_sha256" => doc.file_sha256,
        "file_size" => doc.file_size,
        "signature_count" => doc.signature_count,
        "created_at" => crate::codec::ts(doc.created_at),
        "created_by" => doc.created_by,
    };
    w.insert(Entity::GeneratedDocument, doc.id, fields)
}

impl Store {
    /// Stores a freshly generated PDF as version 1 of a new document.
    pub fn document_save(
        &self,
        input: &NewGeneratedDocument,
        pdf: &[u8],
    ) -> Result<GeneratedDocument> {
        check_pdf(pdf)?;
        let kind = input.kind.trim();
        if kind.is_empty() || kind.len() > 40 {
            return Err(invalid(
                "kind",
                "El tipo de documento falta o es demasiado largo.",
            ));
        }
        let content = input.content_sha256.to_ascii_lowercase();
        if content.len() != 64 || !content.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(invalid(
                "content_sha256",
                "La huella del contenido debe ser un SHA-256 en hexadecimal (64 caracteres).",
            ));
        }
        let number = input
            .number
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        self.write(|w| {
            let doc = GeneratedDocument {
                id: Uuid::now_v7(),
                unit_code: w.unit_code().to_string(),
                kind: kind.to_string(),
                number,
                source_id: input.source_id,
                version: 1,
                previous_id: None,
                content_sha256: content,
                file_sha256: sha256_hex(pdf),
                file_size: pdf.len() as u64,
                signature_count: input.signature_count,
                created_at: w.now(),
                created_by: w.technician_id(),
            };
            insert(w, &doc, pdf)?;
            // Read back: the stored time has millisecond precision.
            get(w.conn(), doc.id)?.ok_or_else(|| DomainError::not_found("el documento").into())
        })
    }

    /// Stores `pdf` as the next version of `previous` (typically: `previous` with one more
    /// digital signature). Refused when `previous` is not the latest version, or when `pdf`
    /// does not start with `previous`'s bytes (a signature only appends; anything else would
    /// change what was signed). Same content hash, kind, number and source as `previous`.
    pub fn document_add_version(
        &self,
        previous: Uuid,
        pdf: &[u8],
        signature_count: u32,
    ) -> Result<GeneratedDocument> {
        check_pdf(pdf)?;
        self.write(|w| {
            let prev =
                get(w.conn(), previous)?.ok_or_else(|| DomainError::not_found("el documento"))?;
            let successor: Option<String> = w
                .conn()
                .prepare_cached("SELECT id FROM generated_document WHERE previous_id = ?1")?
                .query_row([previous.hyphenated().to_string()], |r| r.get(0))
                .optional()?;
            if successor.is_some() {
                return Err(immutable(format!(
                    "La versión {} de este documento ya tiene una versión posterior: abra la \
                     última versión y fírmela.",
                    prev.version
                )));
            }
            let old = file(w.conn(), &prev.file_sha256)?;
            if pdf.len() <= old.len() || !pdf.starts_with(&old) {
                return Err(immutable(
                    "El nuevo PDF no conserva byte a byte la versión anterior: un documento \
                     firmado no se modifica. Agregue la firma sobre la última versión guardada.",
                ));
            }
            if signature_count < prev.signature_count {
                return Err(invalid(
                    "signature_count",
                    "La nueva versión no puede tener menos firmas que la anterior.",
                ));
            }
            let doc = GeneratedDocument {
                id: Uuid::now_v7(),
                unit_code: prev.unit_code.clone(),
                kind: prev.kind.clone(),
                number: prev.number.clone(),
                source_id: prev.source_id,
                version: prev.version + 1,
                previous_id: Some(prev.id),
                content_sha256: prev.content_sha256.clone(),
                file_sha256: sha256_hex(pdf),
                file_size: pdf.len() as u64,
                signature_count,
                created_at: w.now(),
                created_by: w.technician_id(),
            };
            insert(w, &doc, pdf)?;
            // Read back: the stored time has millisecond precision.
            get(w.conn(), doc.id)?.ok_or_else(|| DomainError::not_found("el documento").into())
        })
    }

    /// One version, without its bytes.
    pub fn document_get(&self, id: Uuid) -> Result<GeneratedDocument> {
        self.read(|c| get(c, id)?.ok_or_else(|| DomainError::not_found("el documento").into()))
    }

    /// The bytes of one version, checked against their SHA-256.
    pub fn document_pdf(&self, id: Uuid) -> Result<Vec<u8>> {
        self.read(|c| {
            let doc = get(c, id)?.ok_or_else(|| DomainError::not_found("el documento"))?;
            file(c, &doc.file_sha256)
        })
    }

    /// Every version of every document made from the record `source_id`, oldest first.
    pub fn documents_of(&self, source_id: Uuid) -> Result<Vec<GeneratedDocument>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "{SELECT} WHERE source_id = ?1 ORDER BY created_at, version, id"
            ))?;
            let rows = stmt.query_map([source_id.hyphenated().to_string()], from_row)?;
            rows.map(|r| decode(r?)).collect()
        })
    }

    /// The latest version of the document that `id` is a version of.
    pub fn document_latest(&self, id: Uuid) -> Result<GeneratedDocument> {
        self.read(|c| {
            let mut doc = get(c, id)?.ok_or_else(|| DomainError::not_found("el documento"))?;
            loop {
                let next: Option<String> = c
                    .prepare_cached("SELECT id FROM generated_document WHERE previous_id = ?1")?
                    .query_row([doc.id.hyphenated().to_string()], |r| r.get(0))
                    .optional()?;
                match next {
                    Some(n) => {
                        doc = get(c, parse_id(&n)?)?
                            .ok_or_else(|| crate::StoreError::BadData(n.clone()))?;
                    }
                    None => return Ok(doc),
                }
            }
        })
    }
}
