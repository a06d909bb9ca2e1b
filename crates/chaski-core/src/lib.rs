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
pub mod calendar;
pub mod catalog;
pub mod change;
pub mod document;
pub mod error;
pub mod hlc;
pub mod ids;
pub mod numbering;
pub mod official_letter;
pub mod operations;
pub mod person;
pub mod sla;
pub mod stats;
pub mod status;
pub mod text;
pub mod time;
pub mod unit;

pub use error::{Error, ErrorCode, Result};

#[cfg(test)]
mod ts_tests {
    use ts_rs::{Config, TS};

    /// The IPC types produce TypeScript declarations (the shell generates the bindings file).
    #[test]
    fn ipc_types_declare_typescript() {
        let cfg = Config::new();
        let attention = crate::attention::Attention::decl(&cfg);
        assert!(attention.contains("number_text: string"), "{attention}");
        assert!(attention.contains("status: AttentionStatus"), "{attention}");
        let error = crate::error::Error::decl(&cfg);
        assert!(error.contains("code: ErrorCode"), "{error}");
        assert!(error.contains("existing_person?: Person"), "{error}");
        let status = crate::status::AttentionStatus::decl(&cfg);
        assert!(status.contains("\"en_progreso\""), "{status}");
        let transition = crate::status::Transition::decl(&cfg);
        assert!(
            transition.contains("\"action\": \"reopen\""),
            "{transition}"
        );
        let filter = crate::attention::AttentionFilter::decl(&cfg);
        assert!(filter.contains("from: string | null"), "{filter}");
        let id = crate::ids::PersonId::decl(&cfg);
        assert!(id.contains("string"), "{id}");
    }
}
