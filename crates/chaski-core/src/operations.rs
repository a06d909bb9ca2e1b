//! Hardware operations of a help desk (seed 001 act. 8–9 and 15–25, seed 003 §8.6,
//! seed 002 §5): the diagnostic of an asset, the formatting checklist, the informe técnico de
//! baja, preventive maintenance and escalations to third-party providers.
//!
//! Like the rest of the core these are pure rules over snapshots the store loads inside its
//! writing transaction. What this module decides, and the store only writes:
//!
//! - a diagnostic is **insert-only**; a correction is a new diagnostic that names the one it
//!   corrects, and only the latest diagnostic of an asset can be corrected, so the asset's
//!   operability always follows the latest word ([`diagnostic`]);
//! - the diagnostic's result changes the asset's operability through an asset event
//!   (`operativo` / `inoperativo`), never by editing the asset ([`diagnostic::operability_event`]);
//! - the 60-minute rule of seed 003 §8.6.4 ([`diagnostic::IT_OFFICE_MINUTES`]);
//! - the formatting steps of seed 001 act. 16 ([`formatting`]);
//! - the informe técnico de baja has the cargo's lifecycle ([`crate::document`]) and its
//!   signature appends "baja propuesta" events ([`decommission`]);
//! - maintenance due dates come from the plan of the asset kind and the last record, in Lima
//!   calendar days ([`maintenance`]);
//! - the warehouse review marks obsolete stock and prefills a baja proposal ([`warehouse`]);
//! - the waiting periods: 48 hours after a maintenance, 24 hours after a provider's service
//!   ([`maintenance`], [`provider`]).
//!
//! See `docs/operations.md` for the decisions behind each rule.

pub mod decommission;
pub mod diagnostic;
pub mod formatting;
pub mod maintenance;
pub mod provider;
pub mod warehouse;

use chrono::NaiveDate;

use crate::error::{Error, ErrorCode, Result};

/// Longest free text of these records (symptoms, findings, justification).
pub const TEXT_MAX: usize = 4000;
/// Longest short text (provider, contact, location, part list line).
pub const SHORT_MAX: usize = 200;

/// Refuses a date after `today` (a Lima calendar day) or before 2000.
pub(crate) fn check_past_date(
    date: NaiveDate,
    today: NaiveDate,
    field: &str,
    label: &str,
) -> Result<()> {
    let floor = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
    if date > today {
        return Err(Error::field(
            ErrorCode::FechaInvalida,
            field,
            format!(
                "La «{label}» ({}) es posterior a hoy: corríjala.",
                date.format("%d/%m/%Y")
            ),
        ));
    }
    if date < floor {
        return Err(Error::field(
            ErrorCode::FechaInvalida,
            field,
            format!(
                "La «{label}» ({}) es anterior al año 2000: corríjala.",
                date.format("%d/%m/%Y")
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use ts_rs::{Config, TS};

    use super::*;

    /// The records that will cross IPC declare TypeScript like the other IPC types.
    #[test]
    fn ipc_types_declare_typescript() {
        let cfg = Config::new();
        let d = diagnostic::Diagnostic::decl(&cfg);
        assert!(d.contains("checks: Array<CheckResult>"), "{d}");
        assert!(d.contains("result: Operability"), "{d}");
        assert!(d.contains("date: string"), "{d}");
        let c = decommission::DecommissionCause::decl(&cfg);
        assert!(c.contains("\"E\"") && c.contains("\"S\""), "{c}");
        let r = decommission::DecommissionReport::decl(&cfg);
        assert!(r.contains("lifecycle: Lifecycle"), "{r}");
        let m = maintenance::MaintenanceDue::decl(&cfg);
        assert!(m.contains("days_left: number | null"), "{m}");
        let p = provider::ProviderEscalation::decl(&cfg);
        assert!(p.contains("means: EscalationMeans"), "{p}");
    }

    #[test]
    fn past_dates_only() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("d");
        assert!(check_past_date(today, today, "date", "Fecha").is_ok());
        let e = check_past_date(
            NaiveDate::from_ymd_opt(2026, 11, 24).expect("d"),
            today,
            "date",
            "Fecha del diagnóstico",
        )
        .expect_err("future");
        assert_eq!(e.code, ErrorCode::FechaInvalida);
        assert_eq!(e.field.as_deref(), Some("date"));
        assert!(e.message.contains("24/11/2026"), "{}", e.message);
        let e = check_past_date(
            NaiveDate::from_ymd_opt(1999, 12, 31).expect("d"),
            today,
            "date",
            "Fecha",
        )
        .expect_err("too old");
        assert_eq!(e.code, ErrorCode::FechaInvalida);
    }
}
