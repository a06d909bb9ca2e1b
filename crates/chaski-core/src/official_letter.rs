//! Oficios (seed 000 §3.5): letters from other entities that open one or more attentions, with
//! terms counted in días útiles from the date the oficio was escalated to the coordinator.
//!
//! - An oficio without the requester's location data (names, phone and/or email) has
//!   [`LOCATION_SEARCH_DAYS`] días útiles to find them.
//! - If they are not found, it is archived *sin datos de ubicación* until the end of día útil
//!   [`ARCHIVE_DAYS`], and closed on día útil [`CLOSE_DAY`]; the close is proposed on that day.
//! - Otherwise it ends as *procede* (attended) or *no procede* (with the reasons).
//!
//! The seed sets no term for an oficio whose requester can be reached; the app shows it as
//! "en atención" until it is closed.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar::BusinessCalendar;
use crate::error::{Error, ErrorCode, Result, optional_text, required_text};
use crate::ids::{AttentionId, OfficialLetterId};
use crate::status::REASON_MAX;
use crate::time::lima_date;

/// Días útiles to find the location data of the requester.
pub const LOCATION_SEARCH_DAYS: u32 = 6;
/// Last día útil of the temporary archive.
pub const ARCHIVE_DAYS: u32 = 21;
/// The día útil the archived oficio is closed.
pub const CLOSE_DAY: u32 = 22;

/// How an oficio ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LetterOutcome {
    /// Procede: attended (§3.5.1).
    Procede,
    /// No procede, with the reasons (§3.5.2).
    NoProcede,
    /// Sin datos de ubicación: archived, closed on día útil 22 (§3.5.3).
    SinDatosUbicacion,
}

impl LetterOutcome {
    pub const ALL: &'static [LetterOutcome] = &[
        LetterOutcome::Procede,
        LetterOutcome::NoProcede,
        LetterOutcome::SinDatosUbicacion,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LetterOutcome::Procede => "procede",
            LetterOutcome::NoProcede => "no_procede",
            LetterOutcome::SinDatosUbicacion => "sin_datos_ubicacion",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LetterOutcome::Procede => "Procede",
            LetterOutcome::NoProcede => "No procede",
            LetterOutcome::SinDatosUbicacion => "Sin datos de ubicación",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|o| o.code() == code)
    }
}

/// An oficio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OfficialLetter {
    pub id: OfficialLetterId,
    pub unit_code: String,
    /// N° of the oficio as the sender wrote it ("Oficio N° 123-2026-MDX/GM").
    pub number: String,
    /// Sender entity.
    pub sender: String,
    /// SGD / trámite documentario reference.
    pub sgd_reference: Option<String>,
    #[ts(type = "string")]
    pub received_on: NaiveDate,
    /// Escalated to the coordinator: the terms count from here.
    #[ts(type = "string")]
    pub escalated_on: NaiveDate,
    /// The oficio brought the requester's location data.
    pub has_location_data: bool,
    /// When the missing location data were found.
    #[ts(type = "string | null")]
    pub located_on: Option<NaiveDate>,
    /// The attentions it opened.
    pub attention_ids: Vec<AttentionId>,
    pub outcome: Option<LetterOutcome>,
    pub outcome_reason: Option<String>,
    /// Sin datos: the day it was archived.
    #[ts(type = "string | null")]
    pub archived_on: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub closed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the oficio form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OfficialLetterInput {
    pub number: String,
    pub sender: String,
    pub sgd_reference: Option<String>,
    /// `dd/mm/aaaa`.
    pub received_on: String,
    /// `dd/mm/aaaa`.
    pub escalated_on: String,
    pub has_location_data: bool,
    pub attention_ids: Vec<AttentionId>,
}

/// A validated [`OfficialLetterInput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidLetter {
    pub number: String,
    pub sender: String,
    pub sgd_reference: Option<String>,
    pub received_on: NaiveDate,
    pub escalated_on: NaiveDate,
    pub has_location_data: bool,
    pub attention_ids: Vec<AttentionId>,
}

impl OfficialLetterInput {
    /// Checks every field at `now`.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<ValidLetter> {
        let number = required_text(&self.number, "number", "N° de oficio", 120)?;
        let sender = required_text(&self.sender, "sender", "Entidad remitente", 200)?;
        let sgd_reference = optional_text(
            self.sgd_reference.as_deref(),
            "sgd_reference",
            "Referencia SGD / trámite",
            120,
        )?;
        let received_on = crate::time::parse_date(&self.received_on, "received_on")?;
        let escalated_on = crate::time::parse_date(&self.escalated_on, "escalated_on")?;
        let today = lima_date(now);
        if received_on > today {
            return Err(Error::field(
                ErrorCode::FechaInvalida,
                "received_on",
                "La fecha de recepción del oficio no puede estar en el futuro.",
            ));
        }
        if escalated_on > today {
            return Err(Error::field(
                ErrorCode::FechaInvalida,
                "escalated_on",
                "La fecha de escalamiento no puede estar en el futuro.",
            ));
        }
        if escalated_on < received_on {
            return Err(Error::field(
                ErrorCode::RangoFechasInvalido,
                "escalated_on",
                "La fecha de escalamiento no puede ser anterior a la de recepción del oficio.",
            ));
        }
        let mut attention_ids = self.attention_ids.clone();
        attention_ids.sort();
        attention_ids.dedup();
        Ok(ValidLetter {
            number,
            sender,
            sgd_reference,
            received_on,
            escalated_on,
            has_location_data: self.has_location_data,
            attention_ids,
        })
    }
}

/// The terms of an oficio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LetterTerms {
    /// Last día útil to find the location data.
    #[ts(type = "string")]
    pub location_due: NaiveDate,
    /// Last día útil of the temporary archive.
    #[ts(type = "string")]
    pub archive_until: NaiveDate,
    /// The día útil it is closed when archived without data.
    #[ts(type = "string")]
    pub close_on: NaiveDate,
}

/// Computes the terms from the escalation date.
pub fn letter_terms(cal: &BusinessCalendar, escalated_on: NaiveDate) -> Result<LetterTerms> {
    Ok(LetterTerms {
        location_due: cal.add_business_days(escalated_on, LOCATION_SEARCH_DAYS)?,
        archive_until: cal.add_business_days(escalated_on, ARCHIVE_DAYS)?,
        close_on: cal.add_business_days(escalated_on, CLOSE_DAY)?,
    })
}

/// Where an oficio stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LetterState {
    /// Searching the location data, before its last day.
    EnPlazo,
    /// Searching, today is the last day.
    VenceHoy,
    /// The six días útiles passed without data: archive it *sin datos*.
    Vencido,
    /// Reachable requester (or data found): being attended, no term in the seed.
    EnAtencion,
    /// Archived without data, before día útil 22.
    ArchivoTemporal,
    /// Archived without data and día útil 22 has come: close it (proposed).
    CierrePropuesto,
    Cerrado,
}

impl LetterState {
    pub fn label(self) -> &'static str {
        match self {
            LetterState::EnPlazo => "En plazo",
            LetterState::VenceHoy => "Vence hoy",
            LetterState::Vencido => "Vencido",
            LetterState::EnAtencion => "En atención",
            LetterState::ArchivoTemporal => "Archivo temporal",
            LetterState::CierrePropuesto => "Cierre propuesto (día 22)",
            LetterState::Cerrado => "Cerrado",
        }
    }
}

/// The state of `l` on `today`.
pub fn letter_state(l: &OfficialLetter, terms: &LetterTerms, today: NaiveDate) -> LetterState {
    if l.closed_on.is_some() {
        return LetterState::Cerrado;
    }
    if l.outcome == Some(LetterOutcome::SinDatosUbicacion) {
        return if today >= terms.close_on {
            LetterState::CierrePropuesto
        } else {
            LetterState::ArchivoTemporal
        };
    }
    if l.has_location_data || l.located_on.is_some() {
        return LetterState::EnAtencion;
    }
    match today.cmp(&terms.location_due) {
        std::cmp::Ordering::Less => LetterState::EnPlazo,
        std::cmp::Ordering::Equal => LetterState::VenceHoy,
        std::cmp::Ordering::Greater => LetterState::Vencido,
    }
}

/// Whether the location step was done on time (data brought, or found by the last day).
pub fn located_on_time(l: &OfficialLetter, terms: &LetterTerms) -> Option<bool> {
    if l.has_location_data {
        return Some(true);
    }
    l.located_on.map(|d| d <= terms.location_due)
}

/// What a person records on an oficio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum LetterAction {
    /// The missing location data were found.
    Located,
    /// Archive *sin datos de ubicación* (closed later, on día útil 22).
    ArchiveWithoutData,
    /// Close as procede or no procede (reasons required).
    Close {
        outcome: LetterOutcome,
        reason: Option<String>,
    },
    /// Close an archived oficio on or after día útil 22.
    CloseArchived,
}

/// The fields an action changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterChange {
    pub located_on: Option<NaiveDate>,
    pub outcome: Option<LetterOutcome>,
    pub outcome_reason: Option<String>,
    pub archived_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

/// Applies `action` on `today`, or explains why not.
pub fn apply_letter_action(
    l: &OfficialLetter,
    terms: &LetterTerms,
    action: &LetterAction,
    today: NaiveDate,
) -> Result<LetterChange> {
    let mut c = LetterChange {
        located_on: l.located_on,
        outcome: l.outcome,
        outcome_reason: l.outcome_reason.clone(),
        archived_on: l.archived_on,
        closed_on: l.closed_on,
    };
    if l.closed_on.is_some() {
        return Err(refuse("El oficio ya está cerrado."));
    }
    let reachable = l.has_location_data || l.located_on.is_some();
    let archived = l.outcome == Some(LetterOutcome::SinDatosUbicacion);
    match action {
        LetterAction::Located => {
            if reachable || archived {
                return Err(refuse(
                    "Los datos de ubicación ya constan o el oficio ya fue archivado sin datos.",
                ));
            }
            c.located_on = Some(today.max(l.escalated_on));
        }
        LetterAction::ArchiveWithoutData => {
            if reachable || archived {
                return Err(refuse(
                    "Solo se archiva sin datos un oficio cuyos datos de ubicación no se encontraron.",
                ));
            }
            c.outcome = Some(LetterOutcome::SinDatosUbicacion);
            c.archived_on = Some(today.max(l.escalated_on));
        }
        LetterAction::Close { outcome, reason } => {
            if archived || *outcome == LetterOutcome::SinDatosUbicacion {
                return Err(refuse(
                    "Un oficio sin datos de ubicación se archiva y se cierra el día útil 22.",
                ));
            }
            let reason = optional_text(reason.as_deref(), "reason", "Motivo", REASON_MAX)?;
            if *outcome == LetterOutcome::NoProcede && reason.is_none() {
                return Err(Error::field(
                    ErrorCode::MotivoRequerido,
                    "reason",
                    "Registre el motivo por el cual no procede la atención del oficio.",
                ));
            }
            c.outcome = Some(*outcome);
            c.outcome_reason = reason;
            c.closed_on = Some(today.max(l.escalated_on));
        }
        LetterAction::CloseArchived => {
            if !archived {
                return Err(refuse(
                    "El oficio no está archivado sin datos de ubicación.",
                ));
            }
            if today < terms.close_on {
                return Err(Error::field(
                    ErrorCode::PlazoNoCumplido,
                    "closed_on",
                    format!(
                        "El oficio archivado se cierra el día útil 22, el {}.",
                        terms.close_on.format("%d/%m/%Y")
                    ),
                ));
            }
            c.closed_on = Some(today);
        }
    }
    Ok(c)
}

fn refuse(message: &str) -> Error {
    Error::field(ErrorCode::TransicionNoPermitida, "action", message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn letter(has_data: bool) -> OfficialLetter {
        let now = Utc
            .with_ymd_and_hms(2026, 3, 2, 15, 0, 0)
            .single()
            .expect("t");
        OfficialLetter {
            id: OfficialLetterId::new(),
            unit_code: "UT-CUSCO".into(),
            number: "Oficio N° 045-2026-MDW/GM".into(),
            sender: "Municipalidad Distrital de Wanchaq".into(),
            sgd_reference: Some("SGD 2026-001234".into()),
            received_on: d(2026, 2, 27),
            escalated_on: d(2026, 3, 2),
            has_location_data: has_data,
            located_on: None,
            attention_ids: vec![],
            outcome: None,
            outcome_reason: None,
            archived_on: None,
            closed_on: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn terms_and_states_through_the_archive() {
        let cal = BusinessCalendar::national();
        let mut l = letter(false);
        let terms = letter_terms(&cal, l.escalated_on).expect("terms");
        assert_eq!(terms.location_due, d(2026, 3, 10));
        assert_eq!(terms.archive_until, d(2026, 3, 31));
        // 2 and 3 April 2026 are Jueves and Viernes Santo: day 22 is Wed 1 April.
        assert_eq!(terms.close_on, d(2026, 4, 1));
        assert_eq!(
            letter_state(&l, &terms, d(2026, 3, 9)),
            LetterState::EnPlazo
        );
        assert_eq!(
            letter_state(&l, &terms, d(2026, 3, 10)),
            LetterState::VenceHoy
        );
        assert_eq!(
            letter_state(&l, &terms, d(2026, 3, 11)),
            LetterState::Vencido
        );
        let c = apply_letter_action(
            &l,
            &terms,
            &LetterAction::ArchiveWithoutData,
            d(2026, 3, 11),
        )
        .expect("archive");
        l.outcome = c.outcome;
        l.archived_on = c.archived_on;
        assert_eq!(
            letter_state(&l, &terms, d(2026, 3, 31)),
            LetterState::ArchivoTemporal
        );
        assert_eq!(
            letter_state(&l, &terms, d(2026, 4, 1)),
            LetterState::CierrePropuesto
        );
        let early = apply_letter_action(&l, &terms, &LetterAction::CloseArchived, d(2026, 3, 31));
        let e = early.expect_err("day 21 is too early");
        assert_eq!(e.code, ErrorCode::PlazoNoCumplido);
        assert!(e.message.contains("01/04/2026"), "{}", e.message);
        let c = apply_letter_action(&l, &terms, &LetterAction::CloseArchived, d(2026, 4, 1))
            .expect("close on day 22");
        l.closed_on = c.closed_on;
        assert_eq!(
            letter_state(&l, &terms, d(2026, 4, 2)),
            LetterState::Cerrado
        );
        assert!(apply_letter_action(&l, &terms, &LetterAction::Located, d(2026, 4, 2)).is_err());
    }

    #[test]
    fn outcomes_and_refusals() {
        let cal = BusinessCalendar::national();
        let mut l = letter(false);
        let terms = letter_terms(&cal, l.escalated_on).expect("terms");
        let c = apply_letter_action(&l, &terms, &LetterAction::Located, d(2026, 3, 5))
            .expect("located");
        l.located_on = c.located_on;
        assert_eq!(located_on_time(&l, &terms), Some(true));
        assert_eq!(
            letter_state(&l, &terms, d(2026, 3, 20)),
            LetterState::EnAtencion
        );
        let no_reason = LetterAction::Close {
            outcome: LetterOutcome::NoProcede,
            reason: Some("  ".into()),
        };
        let e = apply_letter_action(&l, &terms, &no_reason, d(2026, 3, 20)).expect_err("reason");
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::MotivoRequerido, Some("reason"))
        );
        let e = apply_letter_action(
            &l,
            &terms,
            &LetterAction::ArchiveWithoutData,
            d(2026, 3, 20),
        )
        .expect_err("has data");
        assert_eq!(e.code, ErrorCode::TransicionNoPermitida);
        let ok = LetterAction::Close {
            outcome: LetterOutcome::Procede,
            reason: None,
        };
        let c = apply_letter_action(&l, &terms, &ok, d(2026, 3, 20)).expect("close");
        assert_eq!(c.closed_on, Some(d(2026, 3, 20)));
        let late = OfficialLetter {
            located_on: Some(d(2026, 3, 11)),
            ..letter(false)
        };
        assert_eq!(located_on_time(&late, &terms), Some(false));
        assert_eq!(located_on_time(&letter(true), &terms), Some(true));
        assert_eq!(located_on_time(&letter(false), &terms), None);
    }

    #[test]
    fn input_validation() {
        let now = Utc
            .with_ymd_and_hms(2026, 3, 2, 15, 0, 0)
            .single()
            .expect("t");
        let ok = OfficialLetterInput {
            number: " Oficio N° 045-2026 ".into(),
            sender: "MDW".into(),
            sgd_reference: None,
            received_on: "27/02/2026".into(),
            escalated_on: "02/03/2026".into(),
            has_location_data: false,
            attention_ids: vec![],
        };
        assert_eq!(ok.validate(now).expect("ok").number, "Oficio N° 045-2026");
        let cases = [
            (
                OfficialLetterInput {
                    number: "".into(),
                    ..ok.clone()
                },
                "number",
            ),
            (
                OfficialLetterInput {
                    received_on: "2026-02-27".into(),
                    ..ok.clone()
                },
                "received_on",
            ),
            (
                OfficialLetterInput {
                    escalated_on: "26/02/2026".into(),
                    ..ok.clone()
                },
                "escalated_on",
            ),
            (
                OfficialLetterInput {
                    escalated_on: "03/03/2026".into(),
                    ..ok.clone()
                },
                "escalated_on",
            ),
        ];
        for (input, field) in cases {
            let e = input.validate(now).expect_err(field);
            assert_eq!(e.field.as_deref(), Some(field), "{}", e.message);
        }
    }
}
