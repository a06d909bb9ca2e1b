//! The inventory import between its two phases.
//!
//! The import is the one asset use case that needs state. `Store::inventory_preview` reads and
//! checks the whole file and writes nothing; the person looks at the counts and the error rows
//! and only then confirms. The checked [`ImportPlan`] stays here, in the app's state, between
//! the two calls, so the file is not read twice and what is written is exactly what was shown.
//! There is at most one pending plan: a new preview replaces it, confirming or discarding takes
//! it. Both phases run on a worker thread (every command body does, see the shell's `commands.rs`), and
//! their progress reaches the UI as [`crate::events::INVENTORY_PROGRESS`] events, so a 20,000-row sheet
//! never freezes the window.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chaski_core::error::{Error, ErrorCode};
use chaski_store::Store;
use chaski_store::inventory_import::{
    FileKind, ImportPlan, ImportPreview, ImportProgress, ImportSummary,
};
use serde::Serialize;
use ts_rs::TS;

use crate::error::IpcError;
use crate::files::path_error;

/// What the import screen shows after reading a file: which file, and the store's preview.
#[derive(Debug, Clone, Serialize, TS)]
pub struct InventoryPreview {
    /// The file's name, without its folder.
    pub file_name: String,
    /// The full path that was read (the confirmation writes what was read from it).
    pub path: String,
    pub preview: ImportPreview,
}

struct Pending {
    path: PathBuf,
    plan: ImportPlan,
}

/// The inventory import waiting between preview and confirmation (at most one).
#[derive(Default)]
pub struct InventoryImport {
    pending: Mutex<Option<Pending>>,
}

impl InventoryImport {
    fn lock(&self) -> MutexGuard<'_, Option<Pending>> {
        // A plan is only ever replaced whole: a poisoned lock still holds a consistent value.
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Phase 1: reads the file at `path` and checks every row against the register; writes
    /// nothing. The plan is kept for [`InventoryImport::apply`]; a previous one is dropped.
    pub fn preview(
        &self,
        store: &Store,
        path: &str,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<InventoryPreview, IpcError> {
        let path = PathBuf::from(path.trim());
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if file_name.is_empty() {
            return Err(path_error(
                ErrorCode::CampoRequerido,
                "Indique el archivo del inventario: elíjalo con «Elegir archivo…» o escriba su \
                 ruta completa (por ejemplo /home/usuario/inventario.xlsx).",
            ));
        }
        let kind = FileKind::from_file_name(&file_name).ok_or_else(|| {
            path_error(
                ErrorCode::ValorInvalido,
                format!(
                    "«{file_name}» no es una hoja de inventario que Chaski lea: use un archivo \
                     .xlsx (Excel) o .csv. Si lo tiene en .xls u .ods, guárdelo como .xlsx."
                ),
            )
        })?;
        let bytes = read_file(&path)?;
        // The old plan is dropped before the new file is checked: two plans of 20,000 rows
        // are not kept in memory at once, and a failed preview leaves nothing to confirm.
        *self.lock() = None;
        let plan = store.inventory_preview(&bytes, kind, progress)?;
        let shown = InventoryPreview {
            file_name,
            path: path.display().to_string(),
            preview: plan.preview.clone(),
        };
        *self.lock() = Some(Pending { path, plan });
        Ok(shown)
    }

    /// Phase 2: writes the pending plan in one transaction, all or nothing. The plan is used
    /// once; if the store refuses it for a reason that may pass (the database busy), it is
    /// kept so the person can confirm again.
    pub fn apply(
        &self,
        store: &Store,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportSummary, IpcError> {
        let pending = self.lock().take().ok_or_else(|| {
            IpcError(Error::general(
                ErrorCode::NoEncontrado,
                "No hay una vista previa pendiente de confirmar: elija el archivo del inventario \
                 y revíselo otra vez antes de importarlo.",
            ))
        })?;
        match store.inventory_apply(&pending.plan, progress) {
            Ok(summary) => Ok(summary),
            Err(err) => {
                let err = IpcError::from(err);
                if err.code() != ErrorCode::ImportacionConErrores {
                    let mut slot = self.lock();
                    if slot.is_none() {
                        *slot = Some(pending);
                    }
                }
                Err(err)
            }
        }
    }

    /// Drops the pending plan (the person cancelled). Returns whether there was one.
    pub fn discard(&self) -> bool {
        self.lock().take().is_some()
    }

    /// The path of the pending plan's file, if any.
    pub fn pending_path(&self) -> Option<PathBuf> {
        self.lock().as_ref().map(|p| p.path.clone())
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, IpcError> {
    std::fs::read(path).map_err(|err| {
        let why = match err.kind() {
            std::io::ErrorKind::NotFound => "no existe; revise la ruta".to_string(),
            std::io::ErrorKind::PermissionDenied => {
                "no se puede leer: no tiene permiso; cópielo a su carpeta personal".to_string()
            }
            _ if path.is_dir() => "es una carpeta, no un archivo".to_string(),
            _ => format!("no se pudo leer ({err})"),
        };
        path_error(
            ErrorCode::ValorInvalido,
            format!("El archivo {} {why}.", path.display()),
        )
    })
}
