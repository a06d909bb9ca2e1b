//! Copies of a stored version: "Imprimir" writes one under the data folder and opens it in the
//! system viewer; "Guardar como…" writes it where the person chose.

use std::path::Path;

use chaski_core::error::ErrorCode;
use chaski_store::Store;
use chaski_store::documents::GeneratedDocument;
use uuid::Uuid;

use crate::error::IpcError;
use crate::files::{OpenOutcome, Viewer, field_error, storage_error, write_and_open};

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
pub fn open(
    store: &Store,
    data_dir: &Path,
    id: Uuid,
    viewer: &Viewer,
) -> Result<OpenOutcome, IpcError> {
    let doc = store.document_get(id)?;
    let dir = data_dir.join("documentos");
    std::fs::create_dir_all(&dir).map_err(|e| storage_error("crear la carpeta", &dir, &e))?;
    let file = dir.join(file_name(&doc));
    let pdf = store.document_pdf(id)?;
    write_and_open(&file, &pdf, viewer)
}
