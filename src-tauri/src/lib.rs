//! Chaski's desktop shell (Tauri 2), package `chaski-tauri`, binary `chaski`.
//!
//! It stays thin on purpose: it builds the state once at start ([`AppState`], from the
//! Tauri-free crate `chaski-app`, where every use case lives), registers the commands
//! ([`commands`], one line each), generates the TypeScript bindings ([`bindings`]), and wires
//! what only Tauri has: the window, the native dialogs, the system viewer and the events.
#![forbid(unsafe_code)]

pub mod bindings;
pub mod commands;

use std::path::PathBuf;
use std::sync::Arc;

use chaski_app::{AppState, DATA_DIR_ENV, Options};
use tauri::{Emitter, Manager};

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

/// Lets the state send events to the UI through `app` (the import's progress bar, the sync
/// status) and open files in the system viewer.
pub fn install_events<R: tauri::Runtime>(app: &tauri::AppHandle<R>, state: &AppState) {
    let app = app.clone();
    state.set_emitter(Arc::new(move |name, payload| {
        // A window that is gone cannot be told; the operation itself goes on.
        let _ = app.emit(name, payload);
    }));
    state.set_viewer(Arc::new(|file| {
        tauri_plugin_opener::open_path(file, None::<&str>).map_err(|e| e.to_string())
    }));
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
            let _ = state.start_sync(chaski_app::sync::Timing::default());
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
