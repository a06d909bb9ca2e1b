//! The root certificates the unit trusts, and the verification of digital signatures (of a
//! stored version, or of any PDF file).

use std::path::{Path, PathBuf};

use chaski_core::error::ErrorCode;
use chaski_docs::SignatureReport;
use chaski_store::Store;
use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::IpcError;
use crate::files::{field_error, read_file_limited, storage_error};

/// Largest file read for signing or verification.
const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// A root CA the unit trusts for verification.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TrustedRoot {
    pub sha256: String,
    pub subject: String,
    pub issuer: String,
    pub not_after: DateTime<Utc>,
}

pub(super) fn read_file(path: &str, field: &str, what: &str) -> Result<Vec<u8>, IpcError> {
    read_file_limited(path, field, what, MAX_FILE_BYTES)
}

/// The folder of the trusted root certificates.
pub fn roots_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("confianza")
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
