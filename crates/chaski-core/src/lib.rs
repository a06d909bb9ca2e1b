//! Chaski's domain: the types, validation rules, state machines, numbering and calendars that
//! every other crate shares. No IO lives here — no SQL, no HTTP, no Tauri — so every rule of the
//! work can be tested fast and in isolation, and the shell and the UI never decide anything that
//! this crate could decide.
//!
//! Every type that crosses IPC derives `serde` and `ts_rs::TS`; the shell generates the
//! TypeScript from them explicitly. Errors cross as [`error::Error`] `{code, message, field}`.
#![forbid(unsafe_code)]

pub mod asset;
pub mod attention;
pub mod catalog;
pub mod change;
pub mod document;
pub mod error;
pub mod hlc;
pub mod ids;
pub mod numbering;
pub mod person;
pub mod status;
pub mod text;
pub mod time;
pub mod unit;

pub use error::{Error, ErrorCode, Result};
