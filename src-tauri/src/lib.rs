//! Chaski's desktop shell (Tauri 2).
//!
//! It stays thin on purpose: it builds the state once at start ([`state::AppState`], the open
//! store or the reason it could not be opened), registers one thin command per use case
//! ([`commands`]), and carries errors to the UI unchanged ([`error::IpcError`]). Every rule of
//! the work lives in `chaski-core`; every query in `chaski-store`.
#![forbid(unsafe_code)]

pub mod assets;
pub mod bindings;
pub mod commands;
pub mod diagnostics;
pub mod documents;
pub mod error;
pub mod secrets;
pub mod state;
pub mod sync;

use std::path::PathBuf;
use std::sync::Arc;

use tauri::{Emitter, Manager};

pub use state::{AppState, DATA_DIR_ENV};

/// How the app was started from the command line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--demo`: load the demo data set once the database is open (the UI does it, showing
    /// progress and errors, when `app_status` says `demo_pending`).
    pub demo: bool,
    /// `--data-dir DIR` (or `--data-dir=DIR`): where the database lives, ahead of
    /// `CHASKI_DATA_DIR` (each end-to-end scenario starts the app on its own fresh directory).
    pub data_dir: Option<PathBuf>,
}

impl Options {
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Self {
        let mut options = Self::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--demo" {
                options.demo = true;
            } else if arg == "--data-dir" {
                options.data_dir = args.next().filter(|d| !d.is_empty()).map(PathBuf::from);
            } else if let Some(dir) = arg.strip_prefix("--data-dir=") {
                options.data_dir = (!dir.is_empty()).then(|| PathBuf::from(dir));
            }
        }
        options
    }
}

/// The data directory: `--data-dir` if given, else `CHASKI_DATA_DIR` if set (tests, portable
/// installs), else the OS app-data directory (`~/.local/share/pe.chaski.app` on Linux).
fn data_dir<R: tauri::Runtime>(
    app: &tauri::App<R>,
    options: &Options,
) -> Result<PathBuf, tauri::Error> {
    if let Some(dir) = &options.data_dir {
        return Ok(dir.clone());
    }
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app.path().app_data_dir(),
    }
}

/// Attaches Chaski's commands to a builder (the real one, or the mock runtime in tests).
pub fn attach<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(commands::handler())
}

/// Lets the state send events to the UI through `app` (the import's progress bar).
pub fn install_events<R: tauri::Runtime>(app: &tauri::AppHandle<R>, state: &AppState) {
    let app = app.clone();
    state.set_emitter(Arc::new(move |name, payload| {
        // A window that is gone cannot be told; the operation itself goes on.
        let _ = app.emit(name, payload);
    }));
}

/// Starts the background sync of `state` (see [`sync`]): its status goes to the UI as the
/// event [`sync::STATUS_EVENT`] through the state's emitter ([`install_events`]). The worker
/// reaches the state only through a weak reference.
pub fn start_background(
    state: &Arc<AppState>,
    timing: sync::Timing,
) -> Result<(), error::IpcError> {
    let store = Arc::downgrade(state);
    let events = Arc::downgrade(state);
    state.sync().start(
        timing,
        move || store.upgrade().and_then(|s| s.store().ok()),
        move |status| {
            if let Some(s) = events.upgrade() {
                s.emit(sync::STATUS_EVENT, status);
            }
        },
    )
}

/// Runs the desktop app.
pub fn run() -> Result<(), tauri::Error> {
    let options = Options::from_args(std::env::args().skip(1));
    let app = attach(tauri::Builder::default())
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let dir = data_dir(app, &options)?;
            let state = Arc::new(AppState::start(&dir, options.demo));
            install_events(app.handle(), &state);
            // A sync that cannot start is shown on the sync screen; the app works offline.
            let _ = start_background(&state, sync::Timing::default());
            app.manage(state);
            Ok(())
        })
        .build(tauri::generate_context!())?;
    app.run(|app, event| {
        if let tauri::RunEvent::Exit = event
            && let Some(state) = app.try_state::<Arc<AppState>>()
        {
            state.sync().shutdown();
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Options {
        Options::from_args(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn command_line_options() {
        assert_eq!(parse(&[]), Options::default());
        assert!(parse(&["--demo"]).demo);
        let both = parse(&["--data-dir", "/tmp/x", "--demo"]);
        assert!(both.demo);
        assert_eq!(both.data_dir, Some(PathBuf::from("/tmp/x")));
        assert_eq!(
            parse(&["--data-dir=/tmp/y"]).data_dir,
            Some(PathBuf::from("/tmp/y"))
        );
        // A flag without its value is ignored rather than taken as a directory named "".
        assert_eq!(parse(&["--data-dir"]).data_dir, None);
        assert_eq!(parse(&["--data-dir="]).data_dir, None);
    }
}
