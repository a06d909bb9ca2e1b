//! Chaski's domain: the types, validation rules, state machines, numbering and calendars that
//! every other crate shares. No IO lives here — no SQL, no HTTP, no Tauri — so every rule of the
//! work can be tested fast and in isolation, and the shell and the UI never decide anything that
//! this crate could decide.
#![forbid(unsafe_code)]

pub mod change;
pub mod hlc;
