//! Chaski's desktop shell (Tauri 2).
//!
//! It stays thin on purpose: it builds the state once at start ([`state::AppState`], the open
//! store or the reason it could not be opened), registers one thin command per use case
//! ([`commands`]), and carries errors to the UI unchanged ([`error::IpcError`]). Every rule of
//! the work lives in `chaski-core`; every query in `chaski-store`.
#![forbid(unsafe_code)]

pub mod bindings;
pub mod commands;
pub mod error;
pub mod state;

use std::path::PathBuf;
use std::sync::Arc;

use tauri::Manager;

pub use state::{AppState, DATA_DIR_ENV};

/// How the app was started from the command line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--demo`: load the demo data set once the database is open (the UI does it, showing
    /// progress and errors, when `app_status` says `demo_pending`).
    pub demo: bool,
}

impl Options {
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Self {
        Self {
            demo: args.into_iter().any(|a| a == "--demo"),
        }
    }
}

/// The data directory: `CHASKI_DATA_DIR` if set (tests, portable installs), else the OS
/// app-data directory (`~/.local/share/pe.chaski.app` on Linux).
fn data_dir<R: tauri::Runtime>(app: &tauri::App<R>) -> Result<PathBuf, tauri::Error> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app.path().app_data_dir(),
    }
}

/// Attaches Chaski's commands to a builder (the real one, or the mock runtime in tests).
pub fn attach<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(commands::handler())
}

/// Runs the desktop app.
pub fn run() -> Result<(), tauri::Error> {
    let options = Options::from_args(std::env::args().skip(1));
    attach(tauri::Builder::default())
        .setup(move |app| {
            let dir = data_dir(app)?;
            app.manage(Arc::new(AppState::start(&dir, options.demo)));
            Ok(())
        })
        .run(tauri::generate_context!())
}
