//! Chaski's application layer: the desktop app's use cases, free of Tauri.
//!
//! The Tauri shell (`src-tauri`, package `chaski-tauri`) builds one [`AppState`] at start and
//! declares one command per function of [`api`]; everything the commands do happens here, so it
//! is tested in plain Rust (`tests/use_cases/`). What lives here: the state and its start-up
//! phases ([`state`]), the one error type that crosses IPC ([`error`]), the background sync
//! worker and its scheduling ([`sync`]), record → printable document assembly ([`printing`]),
//! what is done with a generated PDF ([`pdfs`]: render, sign, verify, print, save), the
//! inventory import session ([`inventory`]), reports written to files ([`reports`]),
//! maintenance files ([`maintenance`]), the closed lists of the forms ([`catalogs`]), files the
//! person chooses or opens ([`files`]) and the OS keyring ([`secrets`]). Every rule of the work
//! lives in `chaski-core`; every query in `chaski-store`.
#![forbid(unsafe_code)]

pub mod api;
pub mod catalogs;
pub mod error;
pub mod events;
pub mod files;
pub mod inventory;
pub mod maintenance;
pub mod options;
pub mod pdfs;
pub mod printing;
pub mod reports;
pub mod secrets;
pub mod state;
pub mod sync;

pub use options::Options;
pub use state::{AppState, DATA_DIR_ENV};
