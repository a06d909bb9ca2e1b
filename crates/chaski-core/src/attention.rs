//! The attention: one row of the help-desk register (Anexo 01 of seed 003) plus what the other
//! seeds need (channel, kind, service, priority, escalation level, asset, times, conformity).
//!
//! Anexo 01 columns and where they live:
//! N° → [`Attention::number`]; FECHA → `received_at`; SEDE → `unit_name`; USUARIO AFECTADO O
//! SOLICITANTE → `requester_*`; ÁREA U OFICINA → `office_*`; DESCRIPCIÓN DEL PROBLEMA →
//! `problem`; DESCRIPCIÓN DE LA SOLUCIÓN → `solution`; TIPOLOGÍA (catalog TIPO) →
//! `category_*`; ESTADO → `status`; PERSONAL DE SOPORTE ASIGNADO → `technician_*`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::{AttentionKind, Channel, EscalationLevel, Priority};
use crate::error::{Error, ErrorCode, Result, optional_text, required_text};
use crate::ids::{AttentionId, EscalationId, OfficeId, PersonId, StatusChangeId, TechnicianId};
use crate::numbering::DocNumber;
use crate::status::{AttentionStatus, Conformity, DESCRIPTION_MAX};

/// An attention as shown in lists and forms (names of related records included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Attention {
    pub id: AttentionId,
    /// N°: per unit and year. `None`: an unnumbered draft — an enrolled device whose server
    /// number blocks ran out offline registered it; the next sync numbers it.
    pub number: Option<DocNumber>,
    /// `N° 007-2026`, or [`crate::numbering::DRAFT_TEXT`] for a draft.
    pub number_text: String,
    pub unit_code: String,
    /// SEDE.
    pub unit_name: String,
    /// FECHA: when the request was received.
    pub received_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub requester_id: PersonId,
    /// "APELLIDOS, Nombres".
    pub requester_name: String,
    pub requester_dni: Option<String>,
    pub office_id: Option<OfficeId>,
    pub office_name: Option<String>,
    pub problem: String,
    pub solution: Option<String>,
    /// TIPOLOGÍA: the catalog TIPO of the service.
    pub category_code: String,
    pub category_name: String,
    pub service_code: String,
    pub service_name: String,
    pub status: AttentionStatus,
    pub channel: Channel,
    pub kind: AttentionKind,
    pub priority: Priority,
    pub escalation_level: EscalationLevel,
    pub technician_id: TechnicianId,
    pub technician_name: String,
    /// Código patrimonial or any asset reference, free text until the asset register exists.
    pub asset_code: Option<String>,
    pub conformity: Option<Conformity>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One change of escalation level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EscalationEntry {
    pub id: EscalationId,
    pub from_level: EscalationLevel,
    pub to_level: EscalationLevel,
    pub reason: String,
    pub technician_id: TechnicianId,
    pub technician_name: String,
    pub at: DateTime<Utc>,
}

/// One status change (creation included, with `from_status` empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StatusChangeEntry {
    pub id: StatusChangeId,
    pub from_status: Option<AttentionStatus>,
    pub to_status: AttentionStatus,
    pub reason: Option<String>,
    pub technician_id: TechnicianId,
    pub technician_name: String,
    pub at: DateTime<Utc>,
}

/// An attention with its histories, for the detail view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AttentionDetail {
    pub attention: Attention,
    /// Oldest first.
    pub escalations: Vec<EscalationEntry>,
    /// Oldest first.
    pub status_changes: Vec<StatusChangeEntry>,
}

/// What the attention form sends (create and edit). Status, escalation level and conformity
/// are not here: they change only through their own rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AttentionInput {
    /// FECHA; defaults to now (on an edit: empty keeps the current one). May be earlier
    /// (registering afterwards), not in the future.
    pub received_at: Option<DateTime<Utc>>,
    pub requester_id: PersonId,
    /// ÁREA U OFICINA by name; defaults to the requester's office.
    pub office: Option<String>,
    pub channel: Channel,
    pub kind: AttentionKind,
    /// A service code of the catalog (its TIPO is the tipología).
    pub service_code: String,
    /// 1–4.
    pub priority: u8,
    pub problem: String,
    pub solution: Option<String>,
    pub asset_code: Option<String>,
    /// PERSONAL DE SOPORTE ASIGNADO; defaults to the technician of this installation.
    pub technician_id: Option<TechnicianId>,
}

/// An [`AttentionInput`] after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidAttention {
    pub received_at: DateTime<Utc>,
    pub requester_id: PersonId,
    pub office: Option<String>,
    pub channel: Channel,
    pub kind: AttentionKind,
    pub service_code: String,
    pub priority: Priority,
    pub problem: String,
    pub solution: Option<String>,
    pub asset_code: Option<String>,
    pub technician_id: Option<TechnicianId>,
}

impl AttentionInput {
    /// Validates every field at time `now`.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<ValidAttention> {
        let received_at = self.received_at.unwrap_or(now);
        if received_at > now + chrono::Duration::minutes(5) {
            return Err(Error::field(
                ErrorCode::FechaInvalida,
                "received_at",
                "La fecha de recepción no puede estar en el futuro.",
            ));
        }
        if received_at.timestamp() < 946_684_800 {
            return Err(Error::field(
                ErrorCode::FechaInvalida,
                "received_at",
                "La fecha de recepción no es válida: revise el año.",
            ));
        }
        let service_code = required_text(&self.service_code, "service_code", "Servicio", 80)?;
        Ok(ValidAttention {
            received_at,
            requester_id: self.requester_id,
            office: optional_text(self.office.as_deref(), "office", "Área u oficina", 150)?,
            channel: self.channel,
            kind: self.kind,
            service_code,
            priority: Priority::new(self.priority)?,
            problem: required_text(
                &self.problem,
                "problem",
                "Descripción del problema",
                DESCRIPTION_MAX,
            )?,
            solution: optional_text(
                self.solution.as_deref(),
                "solution",
                "Descripción de la solución",
                DESCRIPTION_MAX,
            )?,
            asset_code: optional_text(
                self.asset_code.as_deref(),
                "asset_code",
                "Código patrimonial",
                60,
            )?,
            technician_id: self.technician_id,
        })
    }
}

/// Checks an edit against the current status: an Atendido attention keeps a solution, and the
/// reception time cannot move after the start.
pub fn check_edit(
    status: AttentionStatus,
    started_at: Option<DateTime<Utc>>,
    edit: &ValidAttention,
) -> Result<()> {
    if status == AttentionStatus::Atendido && edit.solution.is_none() {
        return Err(Error::field(
            ErrorCode::SolucionRequerida,
            "solution",
            "Una atención Atendida debe conservar la descripción de la solución; para cambiar su estado, reábrala.",
        ));
    }
    if started_at.is_some_and(|s| edit.received_at > s) {
        return Err(Error::field(
            ErrorCode::FechaInvalida,
            "received_at",
            "La fecha de recepción no puede ser posterior al inicio de la atención.",
        ));
    }
    Ok(())
}

/// Filters of the attention list. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AttentionFilter {
    /// Any of these statuses (empty: all).
    pub statuses: Vec<AttentionStatus>,
    pub priority: Option<u8>,
    pub kind: Option<AttentionKind>,
    pub channel: Option<Channel>,
    pub category_code: Option<String>,
    pub service_code: Option<String>,
    pub technician_id: Option<TechnicianId>,
    pub requester_id: Option<PersonId>,
    /// First Lima day received (inclusive), `YYYY-MM-DD`.
    #[ts(type = "string | null")]
    pub from: Option<NaiveDate>,
    /// Last Lima day received (inclusive), `YYYY-MM-DD`.
    #[ts(type = "string | null")]
    pub to: Option<NaiveDate>,
    /// Words to find in the problem and solution descriptions (accents ignored).
    pub text: Option<String>,
}

impl AttentionFilter {
    /// Checks ranges; returns the filter with the text trimmed.
    pub fn validate(&self) -> Result<AttentionFilter> {
        if let Some(p) = self.priority {
            Priority::new(p)?;
        }
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(Error::field(
                ErrorCode::RangoFechasInvalido,
                "to",
                "La fecha final es anterior a la inicial: corrija el rango de fechas.",
            ));
        }
        let text = optional_text(self.text.as_deref(), "text", "Buscar", 200)?;
        Ok(AttentionFilter {
            text,
            ..self.clone()
        })
    }
}

/// The period of a register of attentions (Anexo 01): both days required, the first not after
/// the last. Refusals name the field (`from`, `to`) and say what to do.
pub fn register_period(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate)> {
    let from = from.ok_or_else(|| {
        Error::field(
            ErrorCode::CampoRequerido,
            "from",
            "Indique desde qué fecha (dd/mm/aaaa) va el registro de atenciones.",
        )
    })?;
    let to = to.ok_or_else(|| {
        Error::field(
            ErrorCode::CampoRequerido,
            "to",
            "Indique hasta qué fecha (dd/mm/aaaa) va el registro de atenciones.",
        )
    })?;
    if from > to {
        return Err(Error::field(
            ErrorCode::RangoFechasInvalido,
            "to",
            "La fecha final del registro es anterior a la inicial: corrija el periodo.",
        ));
    }
    Ok((from, to))
}

/// Which page of a list: `number` starts at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Page {
    pub number: u32,
    pub size: u32,
}

impl Page {
    /// Largest page accepted.
    pub const MAX_SIZE: u32 = 500;

    /// Clamps to valid values (page ≥ 1, 1 ≤ size ≤ 500).
    pub fn clamped(self) -> Page {
        Page {
            number: self.number.max(1),
            size: self.size.clamp(1, Self::MAX_SIZE),
        }
    }

    /// Rows to skip.
    pub fn offset(self) -> u64 {
        let p = self.clamped();
        u64::from(p.number - 1) * u64::from(p.size)
    }
}

impl Default for Page {
    fn default() -> Self {
        Page {
            number: 1,
            size: 50,
        }
    }
}

/// One page of attentions, newest first, and how many match in total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AttentionPage {
    pub items: Vec<Attention>,
    pub page: Page,
    /// How many match, exact up to 500; see `total_exact`.
    #[ts(type = "number")]
    pub total: u64,
    /// `false` when more than `total` match (show "más de 500").
    pub total_exact: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn input() -> AttentionInput {
        AttentionInput {
            received_at: None,
            requester_id: PersonId::new(),
            office: None,
            channel: Channel::Telefono,
            kind: AttentionKind::Incidencia,
            service_code: "averia_hardware.impresoras".into(),
            priority: 3,
            problem: "La impresora no imprime".into(),
            solution: None,
            asset_code: Some(" 740899500012 ".into()),
            technician_id: None,
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0)
            .single()
            .expect("t")
    }

    #[test]
    fn validates_and_defaults() {
        let v = input().validate(now()).expect("valid");
        assert_eq!(v.received_at, now());
        assert_eq!(v.asset_code.as_deref(), Some("740899500012"));
        assert_eq!(v.priority.value(), 3);
    }

    #[test]
    fn refusals_name_the_field() {
        let cases: Vec<(AttentionInput, ErrorCode, &str)> = vec![
            (
                AttentionInput {
                    problem: "  ".into(),
                    ..input()
                },
                ErrorCode::CampoRequerido,
                "problem",
            ),
            (
                AttentionInput {
                    priority: 9,
                    ..input()
                },
                ErrorCode::PrioridadInvalida,
                "priority",
            ),
            (
                AttentionInput {
                    service_code: "".into(),
                    ..input()
                },
                ErrorCode::CampoRequerido,
                "service_code",
            ),
            (
                AttentionInput {
                    received_at: Some(now() + chrono::Duration::days(1)),
                    ..input()
                },
                ErrorCode::FechaInvalida,
                "received_at",
            ),
            (
                AttentionInput {
                    problem: "x".repeat(DESCRIPTION_MAX + 1),
                    ..input()
                },
                ErrorCode::CampoMuyLargo,
                "problem",
            ),
        ];
        for (i, code, field) in cases {
            let e = i.validate(now()).expect_err(field);
            assert_eq!((e.code, e.field.as_deref()), (code, Some(field)));
        }
    }

    #[test]
    fn edit_of_attended_keeps_solution() {
        let v = input().validate(now()).expect("valid");
        assert_eq!(
            check_edit(AttentionStatus::Atendido, Some(now()), &v).map_err(|e| e.code),
            Err(ErrorCode::SolucionRequerida)
        );
        assert!(check_edit(AttentionStatus::EnProgreso, Some(now()), &v).is_ok());
        assert_eq!(
            check_edit(
                AttentionStatus::EnProgreso,
                Some(now() - chrono::Duration::hours(1)),
                &v
            )
            .map_err(|e| e.code),
            Err(ErrorCode::FechaInvalida)
        );
    }

    #[test]
    fn filter_and_page() {
        let f = AttentionFilter {
            from: NaiveDate::from_ymd_opt(2026, 3, 2),
            to: NaiveDate::from_ymd_opt(2026, 3, 1),
            ..Default::default()
        };
        assert_eq!(
            f.validate().map_err(|e| e.code),
            Err(ErrorCode::RangoFechasInvalido)
        );
        let f = AttentionFilter {
            priority: Some(0),
            ..Default::default()
        };
        assert!(f.validate().is_err());
        assert_eq!(
            Page { number: 0, size: 0 }.clamped(),
            Page { number: 1, size: 1 }
        );
        assert_eq!(
            Page {
                number: 3,
                size: 50
            }
            .offset(),
            100
        );
    }

    #[test]
    fn a_register_period_needs_both_days_in_order() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).expect("date");
        assert_eq!(
            register_period(Some(day(1)), Some(day(30))).ok(),
            Some((day(1), day(30)))
        );
        assert_eq!(
            register_period(Some(day(3)), Some(day(3))).ok(),
            Some((day(3), day(3)))
        );
        let e = register_period(None, Some(day(3))).expect_err("no from");
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::CampoRequerido, Some("from"))
        );
        let e = register_period(Some(day(3)), None).expect_err("no to");
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::CampoRequerido, Some("to"))
        );
        let e = register_period(Some(day(4)), Some(day(3))).expect_err("reversed");
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::RangoFechasInvalido, Some("to"))
        );
    }
}
