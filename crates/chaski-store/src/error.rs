//! Store errors: typed, with a stable code for the UI.
//!
//! The refusals a person can act on (a damaged, locked or newer file; invalid input; a
//! duplicate DNI) are distinct variants, so the shell can show the right start-up screen. Every
//! variant turns into the domain [`chaski_core::Error`] `{code, message, field}` that crosses IPC.

use std::path::PathBuf;

use chaski_core::{Error as DomainError, ErrorCode};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Invalid input or a refused rule (validation, status machine, duplicate DNI, not found).
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The file does not exist (the app should run the first-run setup).
    #[error("no existe la base de datos {0}")]
    NotFound(PathBuf),
    /// Setup was asked to create a file that already exists.
    #[error("la base de datos {0} ya existe")]
    AlreadyExists(PathBuf),
    /// The file is not an SQLite database, or fails the integrity check.
    #[error("la base de datos {path} está dañada: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    /// Another running Chaski holds the file.
    #[error("la base de datos {0} está en uso por otra instancia de Chaski")]
    Locked(PathBuf),
    /// The file was migrated by a newer Chaski than this one.
    #[error(
        "la base de datos {path} es de una versión más nueva de Chaski (esquema {found}, esta versión conoce hasta {known})"
    )]
    NewerVersion {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// Anything else SQLite reports (disk full, permissions, a bug).
    #[error("error de SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored value could not be read back (a bug or a hand-edited file).
    #[error("dato almacenado inválido: {0}")]
    BadData(String),
}

/// Result with [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            StoreError::Domain(e) => e.code,
            StoreError::NotFound(_) => ErrorCode::BaseNoExiste,
            StoreError::AlreadyExists(_) => ErrorCode::BaseYaExiste,
            StoreError::Corrupt { .. } => ErrorCode::BaseCorrupta,
            StoreError::Locked(_) => ErrorCode::BaseBloqueada,
            StoreError::NewerVersion { .. } => ErrorCode::BaseVersionNueva,
            StoreError::Sqlite(_) | StoreError::BadData(_) => ErrorCode::ErrorAlmacenamiento,
        }
    }

    /// The stable code as text (`dni_duplicado`, `base_bloqueada`, …).
    pub fn code_str(&self) -> &'static str {
        self.code().as_str()
    }

    /// The input field the error is about, if any (serde name, e.g. `dni`, `solution`).
    pub fn field(&self) -> Option<&str> {
        match self {
            StoreError::Domain(e) => e.field.as_deref(),
            _ => None,
        }
    }

    /// The error as the UI receives it: stable code, Spanish message saying what to do.
    pub fn to_domain(&self) -> DomainError {
        let general = |m: String| DomainError::general(self.code(), m);
        match self {
            StoreError::Domain(e) => e.clone(),
            StoreError::NotFound(p) => general(format!(
                "No se encontró la base de datos en {}. Configure Chaski para su unidad.",
                p.display()
            )),
            StoreError::AlreadyExists(p) => general(format!(
                "Ya existe una base de datos en {}. Ábrala en lugar de crear otra.",
                p.display()
            )),
            StoreError::Corrupt { path, .. } => general(format!(
                "La base de datos {} está dañada o no es de Chaski. No se modificó: haga una copia del archivo y comuníquese con soporte para recuperarla desde una copia de seguridad.",
                path.display()
            )),
            StoreError::Locked(p) => general(format!(
                "La base de datos {} está siendo usada por otra ventana de Chaski. Cierre la otra ventana e inténtelo de nuevo.",
                p.display()
            )),
            StoreError::NewerVersion { path, .. } => general(format!(
                "La base de datos {} fue creada por una versión más nueva de Chaski. No se modificó: actualice Chaski a la última versión para abrirla.",
                path.display()
            )),
            StoreError::Sqlite(e) => general(format!(
                "No se pudo guardar ni leer los datos ({e}). Verifique el espacio en disco e inténtelo de nuevo; si continúa, comuníquese con soporte."
            )),
            StoreError::BadData(d) => general(format!(
                "Se encontró un dato inválido en la base de datos ({d}). Comuníquese con soporte."
            )),
        }
    }
}

impl From<StoreError> for DomainError {
    fn from(e: StoreError) -> Self {
        e.to_domain()
    }
}
