//! The desktop app's use cases in plain Rust, one test binary: every scenario calls the same
//! `chaski_app::api` functions the Tauri shell's commands call, by command name with JSON
//! arguments as the UI sends them, on real SQLite files (and, for sync, a real server in this
//! process and a real keyring; for PDFs, real certificates checked by qpdf, pdftotext and
//! pdfsig). Run one area with `cargo test -p chaski-app --test use_cases <module>::`.

mod support;

#[path = "../../../chaski-docs/tests/docs/tools.rs"]
#[allow(dead_code)]
mod tools;

#[path = "../../../chaski-docs/tests/docs/pki.rs"]
#[allow(dead_code)]
mod pki;

mod assets;
mod commands;
mod decommission;
mod diagnostics;
mod documents;
mod maintenance;
mod secrets;
mod sync;
