// Hide the console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    match chaski_tauri::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("Chaski no pudo iniciar: {err}");
            ExitCode::FAILURE
        }
    }
}
