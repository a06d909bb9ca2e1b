//! Preventive maintenance (seed 001 act. 23–25): a plan per asset kind (CPUs yearly, printers
//! every four months; editable), the calendar of what is due and overdue, the maintenance
//! record, and the check 48 hours after a maintenance (any fault goes back to the provider).
//!
//! Due dates are Lima calendar days: the next maintenance is due `interval_months` after the
//! last one, by calendar months (30 Nov + 4 months = 31 Mar; 31 Oct + 4 months = 28 Feb), so
//! a plan crosses year ends without special cases. An asset of a planned kind with no
//! maintenance recorded is listed as *sin registro*, not as overdue: the app cannot know when
//! it was last serviced before it was registered, and a person should record that date.

use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::provider::{EscalationMeans, ProviderEscalationInput};
use super::{SHORT_MAX, TEXT_MAX};
use crate::asset::{AssetKind, PatrimonialCode, coded_enum};
use crate::error::{Error, ErrorCode, Result, optional_text, required_text};
use crate::ids::{AssetId, MaintenanceId, MaintenancePlanId, ProviderEscalationId, TechnicianId};

/// Hours to wait after a maintenance before verifying it (seed 001 act. 24).
pub const VERIFICATION_HOURS: i64 = 48;
/// Days before the due date when a maintenance shows as *próximo*.
pub const SOON_DAYS: i64 = 30;
/// Shortest and longest interval of a plan, in months.
pub const INTERVAL_MIN: u32 = 1;
pub const INTERVAL_MAX: u32 = 36;

/// The plans a new installation starts with (seed 001 act. 23): computers yearly, printers
/// every four months.
pub const DEFAULT_PLANS: &[(AssetKind, u32)] = &[
    (AssetKind::Cpu, 12),
    (AssetKind::Laptop, 12),
    (AssetKind::Impresora, 4),
];

/// The maintenance plan of an asset kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MaintenancePlan {
    pub id: MaintenancePlanId,
    pub unit_code: String,
    pub asset_kind: AssetKind,
    pub interval_months: u32,
    /// An inactive plan keeps its interval but puts nothing on the calendar.
    pub active: bool,
    /// None: the default plan, never edited in this unit.
    pub updated_at: Option<DateTime<Utc>>,
}

/// What the plan form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MaintenancePlanInput {
    pub asset_kind: AssetKind,
    pub interval_months: u32,
    pub active: bool,
}

impl MaintenancePlanInput {
    /// Refuses an interval outside 1–36 months.
    pub fn validate(&self) -> Result<()> {
        if !(INTERVAL_MIN..=INTERVAL_MAX).contains(&self.interval_months) {
            return Err(Error::field(
                ErrorCode::PlanMantenimientoInvalido,
                "interval_months",
                format!(
                    "La frecuencia de mantenimiento de «{}» debe estar entre {INTERVAL_MIN} y {INTERVAL_MAX} meses (escribió {}).",
                    self.asset_kind.label(),
                    self.interval_months
                ),
            ));
        }
        Ok(())
    }
}

coded_enum!(
    /// Where an asset stands in its plan.
    MaintenanceStatus {
        Vencido => "vencido", "Vencido";
        Proximo => "proximo", "Próximo";
        AlDia => "al_dia", "Al día";
        SinRegistro => "sin_registro", "Sin mantenimiento registrado";
    }
);

/// The calendar entry of one asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MaintenanceDue {
    pub status: MaintenanceStatus,
    #[ts(type = "string | null")]
    pub last_done: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub due: Option<NaiveDate>,
    /// Days from today to the due date (negative: overdue by that many days).
    #[ts(type = "number | null")]
    pub days_left: Option<i64>,
}

/// The day the next maintenance is due: `interval_months` calendar months after `last`
/// (clamped to the end of a shorter month).
pub fn next_due(last: NaiveDate, interval_months: u32) -> NaiveDate {
    last.checked_add_months(Months::new(interval_months))
        .unwrap_or(NaiveDate::MAX)
}

/// Where an asset stands, from its plan's interval, its last maintenance and today's Lima day.
pub fn maintenance_due(
    interval_months: u32,
    last_done: Option<NaiveDate>,
    today: NaiveDate,
) -> MaintenanceDue {
    let Some(last) = last_done else {
        return MaintenanceDue {
            status: MaintenanceStatus::SinRegistro,
            last_done: None,
            due: None,
            days_left: None,
        };
    };
    let due = next_due(last, interval_months);
    let days_left = (due - today).num_days();
    let status = if days_left < 0 {
        MaintenanceStatus::Vencido
    } else if days_left <= SOON_DAYS {
        MaintenanceStatus::Proximo
    } else {
        MaintenanceStatus::AlDia
    };
    MaintenanceDue {
        status,
        last_done: Some(last),
        due: Some(due),
        days_left: Some(days_left),
    }
}

coded_enum!(
    /// Who did the maintenance.
    MaintenancePerformer {
        Proveedor => "proveedor", "Proveedor de servicio TI";
        Tecnico => "tecnico", "Personal de soporte";
    }
);

/// What the maintenance form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MaintenanceInput {
    pub asset_id: AssetId,
    pub performed_at: DateTime<Utc>,
    pub performer: MaintenancePerformer,
    /// The provider's name (required when the provider did it).
    pub provider_name: Option<String>,
    /// What was done.
    pub work_done: String,
    pub remarks: Option<String>,
}

/// A [`MaintenanceInput`] after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMaintenance {
    pub provider_name: Option<String>,
    pub work_done: String,
    pub remarks: Option<String>,
}

impl MaintenanceInput {
    /// Checks the record: not in the future, the provider named, the work described.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<ValidMaintenance> {
        if self.performed_at > now {
            return Err(Error::field(
                ErrorCode::FechaInvalida,
                "performed_at",
                "La fecha del mantenimiento es posterior a este momento: corríjala.",
            ));
        }
        let provider_name = optional_text(
            self.provider_name.as_deref(),
            "provider_name",
            "Proveedor",
            SHORT_MAX,
        )?;
        let provider_name = match self.performer {
            MaintenancePerformer::Proveedor => {
                Some(provider_name.ok_or_else(|| Error::required("provider_name", "Proveedor"))?)
            }
            MaintenancePerformer::Tecnico => None,
        };
        Ok(ValidMaintenance {
            provider_name,
            work_done: required_text(&self.work_done, "work_done", "Trabajo realizado", TEXT_MAX)?,
            remarks: optional_text(
                self.remarks.as_deref(),
                "remarks",
                "Observaciones",
                TEXT_MAX,
            )?,
        })
    }
}

/// The check 48 hours after a maintenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MaintenanceVerification {
    pub at: DateTime<Utc>,
    pub faults_found: bool,
    pub remarks: Option<String>,
}

/// What the verification form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MaintenanceVerificationInput {
    pub faults_found: bool,
    /// The faults seen (required when `faults_found`).
    pub remarks: Option<String>,
}

/// A stored maintenance record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MaintenanceRecord {
    pub id: MaintenanceId,
    pub unit_code: String,
    pub asset_id: AssetId,
    pub asset_code: PatrimonialCode,
    pub equipment: String,
    pub performed_at: DateTime<Utc>,
    pub performer: MaintenancePerformer,
    pub provider_name: Option<String>,
    pub technician_id: TechnicianId,
    pub work_done: String,
    pub remarks: Option<String>,
    /// When the 48-hour check may be done.
    pub verification_due_at: DateTime<Utc>,
    pub verification: Option<MaintenanceVerification>,
    /// The provider's report (act. 25), attached as a file.
    pub report_file_name: Option<String>,
    pub report_sha256: Option<String>,
    /// The escalation opened when the check found faults.
    pub escalation_id: Option<ProviderEscalationId>,
    pub created_at: DateTime<Utc>,
}

/// When the check of a maintenance done at `performed_at` may be recorded.
pub fn verification_due(performed_at: DateTime<Utc>) -> DateTime<Utc> {
    performed_at + Duration::hours(VERIFICATION_HOURS)
}

/// The verification to record, or why not: once, and not before 48 hours have passed; faults
/// must be described.
pub fn check_verification(
    record: &MaintenanceRecord,
    input: &MaintenanceVerificationInput,
    now: DateTime<Utc>,
) -> Result<MaintenanceVerification> {
    if record.verification.is_some() {
        return Err(Error::field(
            ErrorCode::TransicionNoPermitida,
            "verification",
            "Este mantenimiento ya fue verificado.",
        ));
    }
    let due = verification_due(record.performed_at);
    if now < due {
        return Err(Error::field(
            ErrorCode::PlazoNoCumplido,
            "verification",
            format!(
                "La verificación se hace pasadas {VERIFICATION_HOURS} horas del mantenimiento: a partir del {}.",
                crate::time::format_date_time(due)
            ),
        ));
    }
    let remarks = optional_text(
        input.remarks.as_deref(),
        "remarks",
        "Fallas encontradas",
        TEXT_MAX,
    )?;
    if input.faults_found && remarks.is_none() {
        return Err(Error::required("remarks", "Fallas encontradas"));
    }
    Ok(MaintenanceVerification {
        at: now,
        faults_found: input.faults_found,
        remarks,
    })
}

/// A verification with faults sends the equipment back to the provider who did the
/// maintenance (act. 24 → 23): the escalation to open. None when the unit's own staff did it
/// or no fault was found.
pub fn fault_escalation(
    record: &MaintenanceRecord,
    verification: &MaintenanceVerification,
) -> Option<ProviderEscalationInput> {
    if !verification.faults_found || record.performer != MaintenancePerformer::Proveedor {
        return None;
    }
    Some(ProviderEscalationInput {
        attention_id: None,
        diagnostic_id: None,
        maintenance_id: Some(record.id),
        asset_id: Some(record.asset_id),
        provider: record.provider_name.clone().unwrap_or_default(),
        contact: None,
        means: EscalationMeans::Correo,
        escalated_at: verification.at,
        description: format!(
            "Fallas a las {VERIFICATION_HOURS} horas del mantenimiento del {}: {}",
            crate::time::format_date(record.performed_at),
            verification.remarks.clone().unwrap_or_default()
        ),
        provider_ticket: None,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().expect("t")
    }

    #[test]
    fn defaults_follow_the_seed() {
        let get = |k| DEFAULT_PLANS.iter().find(|(x, _)| *x == k).map(|p| p.1);
        assert_eq!(get(AssetKind::Cpu), Some(12));
        assert_eq!(get(AssetKind::Impresora), Some(4));
        assert_eq!(get(AssetKind::Monitor), None);
        for (k, m) in DEFAULT_PLANS {
            MaintenancePlanInput {
                asset_kind: *k,
                interval_months: *m,
                active: true,
            }
            .validate()
            .expect("defaults are valid");
        }
    }

    #[test]
    fn plan_interval_range() {
        for (m, ok) in [(0, false), (1, true), (36, true), (37, false)] {
            let r = MaintenancePlanInput {
                asset_kind: AssetKind::Impresora,
                interval_months: m,
                active: true,
            }
            .validate();
            assert_eq!(r.is_ok(), ok, "{m}");
            if let Err(e) = r {
                assert_eq!(e.code, ErrorCode::PlanMantenimientoInvalido);
                assert!(e.message.contains("Impresora"), "{}", e.message);
            }
        }
    }

    #[test]
    fn due_dates_cross_year_ends_by_calendar_month() {
        assert_eq!(next_due(day(2026, 11, 15), 4), day(2027, 3, 15));
        assert_eq!(next_due(day(2026, 10, 31), 4), day(2027, 2, 28));
        assert_eq!(next_due(day(2027, 10, 31), 4), day(2028, 2, 29), "leap");
        assert_eq!(next_due(day(2025, 12, 31), 12), day(2026, 12, 31));
        assert_eq!(next_due(day(2026, 12, 31), 1), day(2027, 1, 31));
    }

    #[test]
    fn status_from_the_plan_and_the_last_record() {
        let today = day(2027, 1, 10);
        let none = maintenance_due(12, None, today);
        assert_eq!(none.status, MaintenanceStatus::SinRegistro);
        assert_eq!(none.due, None);
        // Printer serviced 15/08/2026, every 4 months: due 15/12/2026, overdue in January.
        let p = maintenance_due(4, Some(day(2026, 8, 15)), today);
        assert_eq!(p.status, MaintenanceStatus::Vencido);
        assert_eq!(p.due, Some(day(2026, 12, 15)));
        assert_eq!(p.days_left, Some(-26));
        // Serviced 20/10/2026: due 20/02/2027, 41 days away: al día.
        let p = maintenance_due(4, Some(day(2026, 10, 20)), today);
        assert_eq!(p.status, MaintenanceStatus::AlDia);
        assert_eq!(p.days_left, Some(41));
        // Due exactly in 30 days: próximo; on the due day: still próximo; the day after: vencido.
        let p = maintenance_due(12, Some(day(2026, 2, 9)), today);
        assert_eq!(
            (p.status, p.days_left),
            (MaintenanceStatus::Proximo, Some(30))
        );
        let p = maintenance_due(12, Some(day(2026, 1, 10)), today);
        assert_eq!(
            (p.status, p.days_left),
            (MaintenanceStatus::Proximo, Some(0))
        );
        let p = maintenance_due(12, Some(day(2026, 1, 9)), today);
        assert_eq!(
            (p.status, p.days_left),
            (MaintenanceStatus::Vencido, Some(-1))
        );
        // Editing the plan moves the due date: same record, 6 months instead of 12.
        let p = maintenance_due(6, Some(day(2026, 6, 1)), today);
        assert_eq!(p.due, Some(day(2026, 12, 1)));
        assert_eq!(p.status, MaintenanceStatus::Vencido);
    }

    fn record(performer: MaintenancePerformer) -> MaintenanceRecord {
        let performed = at(2026, 11, 20, 15);
        MaintenanceRecord {
            id: MaintenanceId::new(),
            unit_code: "UT-CUSCO".into(),
            asset_id: AssetId::new(),
            asset_code: PatrimonialCode::parse("740841000003").expect("code"),
            equipment: "IMPRESORA LASER".into(),
            performed_at: performed,
            performer,
            provider_name: (performer == MaintenancePerformer::Proveedor)
                .then(|| "Servicios Andinos SAC".into()),
            technician_id: TechnicianId::new(),
            work_done: "Limpieza y cambio de rodillos".into(),
            remarks: None,
            verification_due_at: verification_due(performed),
            verification: None,
            report_file_name: None,
            report_sha256: None,
            escalation_id: None,
            created_at: performed,
        }
    }

    #[test]
    fn the_record_needs_the_provider_and_the_work() {
        let now = at(2026, 11, 23, 12);
        let mut i = MaintenanceInput {
            asset_id: AssetId::new(),
            performed_at: at(2026, 11, 20, 15),
            performer: MaintenancePerformer::Proveedor,
            provider_name: Some("  ".into()),
            work_done: "Limpieza interna".into(),
            remarks: None,
        };
        let e = i.validate(now).expect_err("provider");
        assert_eq!(e.field.as_deref(), Some("provider_name"));
        i.provider_name = Some("Servicios Andinos SAC".into());
        i.validate(now).expect("ok");
        i.performer = MaintenancePerformer::Tecnico;
        assert_eq!(
            i.validate(now).expect("own staff").provider_name,
            None,
            "no provider when the unit did it"
        );
        i.work_done = "".into();
        assert_eq!(
            i.validate(now).map_err(|e| e.code),
            Err(ErrorCode::CampoRequerido)
        );
        i.work_done = "x".into();
        i.performed_at = at(2026, 11, 23, 13);
        assert_eq!(
            i.validate(now).map_err(|e| e.code),
            Err(ErrorCode::FechaInvalida)
        );
    }

    #[test]
    fn verification_waits_48_hours_and_happens_once() {
        let mut r = record(MaintenancePerformer::Proveedor);
        let ok = MaintenanceVerificationInput {
            faults_found: false,
            remarks: None,
        };
        // 20/11 15:00 UTC + 48 h = 22/11 15:00 UTC = 22/11 10:00 in Lima.
        let e = check_verification(&r, &ok, at(2026, 11, 22, 14)).expect_err("early");
        assert_eq!(e.code, ErrorCode::PlazoNoCumplido);
        assert!(e.message.contains("22/11/2026 10:00"), "{}", e.message);
        let v = check_verification(&r, &ok, at(2026, 11, 22, 15)).expect("on time");
        assert!(!v.faults_found);
        assert_eq!(fault_escalation(&r, &v), None);
        r.verification = Some(v);
        let e = check_verification(&r, &ok, at(2026, 11, 25, 9)).expect_err("twice");
        assert_eq!(e.code, ErrorCode::TransicionNoPermitida);
    }

    #[test]
    fn faults_go_back_to_the_provider() {
        let r = record(MaintenancePerformer::Proveedor);
        let now = at(2026, 11, 23, 16);
        let mut i = MaintenanceVerificationInput {
            faults_found: true,
            remarks: None,
        };
        let e = check_verification(&r, &i, now).expect_err("describe");
        assert_eq!(e.code, ErrorCode::CampoRequerido);
        i.remarks = Some("Atasca papel en la bandeja 2".into());
        let v = check_verification(&r, &i, now).expect("ok");
        let esc = fault_escalation(&r, &v).expect("back to the provider");
        assert_eq!(esc.provider, "Servicios Andinos SAC");
        assert_eq!(esc.maintenance_id, Some(r.id));
        assert_eq!(esc.asset_id, Some(r.asset_id));
        assert!(
            esc.description.contains("Atasca papel"),
            "{}",
            esc.description
        );
        assert!(
            esc.description.contains("20/11/2026"),
            "{}",
            esc.description
        );
        esc.validate(now).expect("the escalation itself is valid");
        // The unit's own staff: nobody to escalate to.
        let own = record(MaintenancePerformer::Tecnico);
        assert_eq!(fault_escalation(&own, &v), None);
    }
}
