//! Files the person chooses or opens: reading one with a size limit and a Spanish message on
//! the field, writing a copy and opening it in the system viewer (installed by the shell).

use std::path::Path;

use chaski_core::error::{Error, ErrorCode};
use serde::Serialize;
use ts_rs::TS;

use crate::error::IpcError;

/// Where a printable copy was written, and whether the viewer opened.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OpenOutcome {
    pub path: String,
    pub opened: bool,
    /// Why the viewer did not open (the file is still at `path`).
    pub problem: Option<String>,
}

pub(crate) fn field_error(code: ErrorCode, field: &str, message: impl Into<String>) -> IpcError {
    IpcError(Error::field(code, field, message))
}

/// A refusal about the file the person chose (the field `path`).
pub(crate) fn path_error(code: ErrorCode, message: impl Into<String>) -> IpcError {
    field_error(code, "path", message)
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

pub(crate) fn storage_error(what: &str, path: &Path, err: &std::io::Error) -> IpcError {
    IpcError(Error::general(
        ErrorCode::ErrorAlmacenamiento,
        format!(
            "No se pudo {what} {} ({err}). Revise los permisos y el espacio en disco.",
            path.display()
        ),
    ))
}

/// Opens a file in the system's viewer for its type (installed by the shell; `Err` carries the
/// reason it could not).
pub type Viewer = dyn Fn(&Path) -> Result<(), String> + Send + Sync;

/// Writes `bytes` to `file` and opens it with the system's viewer for its type; the path is
/// returned even when no viewer opened.
pub(crate) fn write_and_open(
    file: &Path,
    bytes: &[u8],
    viewer: &Viewer,
) -> Result<OpenOutcome, IpcError> {
    std::fs::write(file, bytes).map_err(|e| storage_error("guardar", file, &e))?;
    let (opened, problem) = match viewer(file) {
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
