//! The attention status machine: Pendiente → En progreso → Atendido (Anexo 01 legend), with
//! reopen, and the escalation and conformity rules that depend on the status.
//!
//! These are pure functions over a snapshot of the attention: the store calls them inside the
//! writing transaction and writes exactly what they return, so neither the UI nor a careless
//! caller can put an attention in a state the rules do not allow.
//!
//! | from \ action | start | resolve | reopen |
//! |---|---|---|---|
//! | Pendiente | En progreso, sets `started_at` | Atendido (attended at once, seed 002 *ocurrencia*), sets `started_at` and `resolved_at` | refused |
//! | En progreso | refused | Atendido, sets `resolved_at` | refused |
//! | Atendido | refused | refused | En progreso, needs a reason, clears `resolved_at` and the conformity |
//!
//! Atendido always needs a solution description (the Anexo 01 column). Escalating changes the
//! level (1–5), needs a reason, and is refused on an Atendido attention: reopen it first.
//! Conformity is recorded only on an Atendido attention; a *no conforme* needs a remark.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::EscalationLevel;
use crate::error::{Error, ErrorCode, Result, optional_text, required_text};

/// Estado (Anexo 01 legend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AttentionStatus {
    Pendiente,
    EnProgreso,
    Atendido,
}

impl AttentionStatus {
    /// Every status, in workflow order.
    pub const ALL: &'static [AttentionStatus] = &[
        AttentionStatus::Pendiente,
        AttentionStatus::EnProgreso,
        AttentionStatus::Atendido,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            AttentionStatus::Pendiente => "pendiente",
            AttentionStatus::EnProgreso => "en_progreso",
            AttentionStatus::Atendido => "atendido",
        }
    }

    /// Label on screen and paper.
    pub fn label(self) -> &'static str {
        match self {
            AttentionStatus::Pendiente => "Pendiente",
            AttentionStatus::EnProgreso => "En progreso",
            AttentionStatus::Atendido => "Atendido",
        }
    }

    /// Reads a stable code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.code() == code)
    }
}

impl fmt::Display for AttentionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Longest reason or remark accepted.
pub const REASON_MAX: usize = 1000;
/// Longest problem or solution description accepted.
pub const DESCRIPTION_MAX: usize = 4000;

/// A status change a person asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Transition {
    /// Start working on it.
    Start,
    /// Mark it Atendido; `solution`, if given, becomes the solution description.
    Resolve { solution: Option<String> },
    /// Reopen an Atendido attention (the problem came back, the requester is not satisfied).
    Reopen { reason: String },
}

impl Transition {
    fn name(&self) -> &'static str {
        match self {
            Transition::Start => "iniciar",
            Transition::Resolve { .. } => "marcar como Atendido",
            Transition::Reopen { .. } => "reabrir",
        }
    }
}

/// What the status machine needs to know about the attention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSnapshot {
    pub status: AttentionStatus,
    pub solution: Option<String>,
    pub received_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// What to write after an allowed transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusOutcome {
    pub from: AttentionStatus,
    pub status: AttentionStatus,
    pub solution: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// Whether the recorded conformity must be removed (it referred to the old solution).
    pub clear_conformity: bool,
    /// The reason to keep in the status history.
    pub reason: Option<String>,
}

fn refused(from: AttentionStatus, t: &Transition) -> Error {
    let hint = match (from, t) {
        (AttentionStatus::Atendido, Transition::Start | Transition::Resolve { .. }) => {
            " Si el problema persiste, reábrala indicando el motivo."
        }
        (_, Transition::Reopen { .. }) => " Solo se reabre una atención Atendida.",
        (AttentionStatus::EnProgreso, Transition::Start) => " Ya está en progreso.",
        _ => "",
    };
    Error::field(
        ErrorCode::TransicionNoPermitida,
        "status",
        format!(
            "No se puede {} una atención en estado «{}».{hint}",
            t.name(),
            from.label()
        ),
    )
}

/// Applies `t` to the attention at time `now`, or explains why not.
pub fn apply_transition(
    s: &StatusSnapshot,
    t: &Transition,
    now: DateTime<Utc>,
) -> Result<StatusOutcome> {
    use AttentionStatus::*;
    let now = now.max(s.received_at);
    let base = StatusOutcome {
        from: s.status,
        status: s.status,
        solution: s.solution.clone(),
        started_at: s.started_at,
        resolved_at: s.resolved_at,
        clear_conformity: false,
        reason: None,
    };
    match (s.status, t) {
        (Pendiente, Transition::Start) => Ok(StatusOutcome {
            status: EnProgreso,
            started_at: Some(s.started_at.unwrap_or(now)),
            ..base
        }),
        (Pendiente | EnProgreso, Transition::Resolve { solution }) => {
            let given = optional_text(
                solution.as_deref(),
                "solution",
                "Descripción de la solución",
                DESCRIPTION_MAX,
            )?;
            let solution = given.or_else(|| {
                s.solution
                    .as_deref()
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
            });
            if solution.is_none() {
                return Err(Error::field(
                    ErrorCode::SolucionRequerida,
                    "solution",
                    "Para marcar la atención como Atendido describa la solución en «Descripción de la solución».",
                ));
            }
            let started = s.started_at.unwrap_or(now);
            Ok(StatusOutcome {
                status: Atendido,
                solution,
                started_at: Some(started),
                resolved_at: Some(now.max(started)),
                ..base
            })
        }
        (Atendido, Transition::Reopen { reason }) => {
            let reason = required_text(reason, "reason", "Motivo de la reapertura", REASON_MAX)
                .map_err(|e| {
                    if e.code == ErrorCode::CampoRequerido {
                        Error::field(
                            ErrorCode::MotivoRequerido,
                            "reason",
                            "Para reabrir la atención indique el motivo (por ejemplo, «el problema volvió a presentarse»).",
                        )
                    } else {
                        e
                    }
                })?;
            Ok(StatusOutcome {
                status: EnProgreso,
                resolved_at: None,
                clear_conformity: true,
                reason: Some(reason),
                ..base
            })
        }
        (from, t) => Err(refused(from, t)),
    }
}

/// Checks an escalation from `current` to `to` on an attention in `status`; returns the
/// trimmed reason.
pub fn check_escalation(
    status: AttentionStatus,
    current: EscalationLevel,
    to: EscalationLevel,
    reason: &str,
) -> Result<String> {
    if status == AttentionStatus::Atendido {
        return Err(Error::field(
            ErrorCode::TransicionNoPermitida,
            "escalation_level",
            "No se puede escalar una atención Atendida: reábrala primero indicando el motivo.",
        ));
    }
    if to == current {
        return Err(Error::field(
            ErrorCode::NivelEscalamientoInvalido,
            "escalation_level",
            format!(
                "La atención ya está en el nivel {}: elija otro nivel.",
                current.value()
            ),
        ));
    }
    required_text(reason, "reason", "Motivo del escalamiento", REASON_MAX).map_err(|e| {
        if e.code == ErrorCode::CampoRequerido {
            Error::field(
                ErrorCode::MotivoRequerido,
                "reason",
                "Indique el motivo del cambio de nivel de escalamiento.",
            )
        } else {
            e
        }
    })
}

/// What the escalation form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EscalationInput {
    /// The new level, 1–5.
    pub to_level: u8,
    pub reason: String,
}

/// Conformidad del usuario with the solution (seed 000 §3.4, seed 001 act. 7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Conformity {
    /// `true`: conforme; `false`: no conforme.
    pub accepted: bool,
    pub at: DateTime<Utc>,
    pub remark: Option<String>,
}

/// What a form sends to record the conformity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConformityInput {
    pub accepted: bool,
    /// When the requester gave it; defaults to now.
    pub at: Option<DateTime<Utc>>,
    pub remark: Option<String>,
}

/// Validates a conformity for an attention in `status` resolved at `resolved_at`.
pub fn check_conformity(
    status: AttentionStatus,
    resolved_at: Option<DateTime<Utc>>,
    input: &ConformityInput,
    now: DateTime<Utc>,
) -> Result<Conformity> {
    if status != AttentionStatus::Atendido {
        return Err(Error::field(
            ErrorCode::TransicionNoPermitida,
            "conformity",
            "La conformidad del usuario se registra cuando la atención está Atendida.",
        ));
    }
    let remark = optional_text(input.remark.as_deref(), "remark", "Observación", REASON_MAX)?;
    if !input.accepted && remark.is_none() {
        return Err(Error::field(
            ErrorCode::MotivoRequerido,
            "remark",
            "Si el usuario no está conforme, anote el motivo en «Observación».",
        ));
    }
    let at = input.at.unwrap_or(now);
    if at > now + chrono::Duration::minutes(5) || resolved_at.is_some_and(|r| at < r) {
        return Err(Error::field(
            ErrorCode::FechaInvalida,
            "at",
            "La fecha de conformidad debe ser posterior a la solución y no futura.",
        ));
    }
    Ok(Conformity {
        accepted: input.accepted,
        at,
        remark,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttentionStatus::*;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0)
            .single()
            .expect("time")
    }

    fn snap(status: AttentionStatus, solution: Option<&str>) -> StatusSnapshot {
        StatusSnapshot {
            status,
            solution: solution.map(str::to_string),
            received_at: t(8),
            started_at: (status != Pendiente).then(|| t(9)),
            resolved_at: (status == Atendido).then(|| t(10)),
        }
    }

    fn all_transitions() -> Vec<Transition> {
        vec![
            Transition::Start,
            Transition::Resolve { solution: None },
            Transition::Resolve {
                solution: Some("Se reinstaló el controlador".into()),
            },
            Transition::Reopen {
                reason: "Volvió a fallar".into(),
            },
        ]
    }

    #[test]
    fn every_transition_from_every_status() {
        // (from, transition index, has solution already) -> expected status or error code
        let cases: Vec<(
            AttentionStatus,
            usize,
            bool,
            std::result::Result<AttentionStatus, ErrorCode>,
        )> = vec![
            (Pendiente, 0, false, Ok(EnProgreso)),
            (Pendiente, 1, false, Err(ErrorCode::SolucionRequerida)),
            (Pendiente, 1, true, Ok(Atendido)),
            (Pendiente, 2, false, Ok(Atendido)),
            (Pendiente, 3, false, Err(ErrorCode::TransicionNoPermitida)),
            (EnProgreso, 0, false, Err(ErrorCode::TransicionNoPermitida)),
            (EnProgreso, 1, false, Err(ErrorCode::SolucionRequerida)),
            (EnProgreso, 1, true, Ok(Atendido)),
            (EnProgreso, 2, false, Ok(Atendido)),
            (EnProgreso, 3, true, Err(ErrorCode::TransicionNoPermitida)),
            (Atendido, 0, true, Err(ErrorCode::TransicionNoPermitida)),
            (Atendido, 1, true, Err(ErrorCode::TransicionNoPermitida)),
            (Atendido, 2, true, Err(ErrorCode::TransicionNoPermitida)),
            (Atendido, 3, true, Ok(EnProgreso)),
        ];
        let ts = all_transitions();
        for (from, i, has_solution, want) in cases {
            let s = snap(from, has_solution.then_some("Se cambió el tóner"));
            let got = apply_transition(&s, &ts[i], t(11))
                .map(|o| o.status)
                .map_err(|e| e.code);
            assert_eq!(got, want, "{from:?} + {:?}", ts[i]);
        }
    }

    #[test]
    fn start_sets_started_time() {
        let o = apply_transition(&snap(Pendiente, None), &Transition::Start, t(11)).expect("ok");
        assert_eq!(o.started_at, Some(t(11)));
        assert_eq!(o.resolved_at, None);
    }

    #[test]
    fn resolve_sets_resolved_time_and_keeps_or_replaces_solution() {
        let o = apply_transition(
            &snap(EnProgreso, Some("Se cambió el tóner")),
            &Transition::Resolve { solution: None },
            t(12),
        )
        .expect("ok");
        assert_eq!(o.resolved_at, Some(t(12)));
        assert_eq!(o.started_at, Some(t(9)));
        assert_eq!(o.solution.as_deref(), Some("Se cambió el tóner"));
        let o = apply_transition(
            &snap(Pendiente, None),
            &Transition::Resolve {
                solution: Some("  Se reinició el equipo ".into()),
            },
            t(12),
        )
        .expect("ok");
        assert_eq!(o.solution.as_deref(), Some("Se reinició el equipo"));
        assert_eq!(o.started_at, Some(t(12)));
        assert_eq!(o.resolved_at, Some(t(12)));
    }

    #[test]
    fn resolve_refuses_blank_solution() {
        let e = apply_transition(
            &snap(EnProgreso, Some("   ")),
            &Transition::Resolve {
                solution: Some(" ".into()),
            },
            t(12),
        )
        .expect_err("blank");
        assert_eq!(e.code, ErrorCode::SolucionRequerida);
        assert_eq!(e.field.as_deref(), Some("solution"));
    }

    #[test]
    fn times_never_go_before_reception() {
        let o = apply_transition(&snap(Pendiente, None), &Transition::Start, t(5)).expect("ok");
        assert_eq!(o.started_at, Some(t(8)));
    }

    #[test]
    fn reopen_needs_reason_and_clears_resolution() {
        let e = apply_transition(
            &snap(Atendido, Some("x")),
            &Transition::Reopen {
                reason: "  ".into(),
            },
            t(12),
        )
        .expect_err("no reason");
        assert_eq!(e.code, ErrorCode::MotivoRequerido);
        let o = apply_transition(
            &snap(Atendido, Some("x")),
            &Transition::Reopen {
                reason: "Volvió a fallar".into(),
            },
            t(12),
        )
        .expect("ok");
        assert_eq!(o.resolved_at, None);
        assert_eq!(o.started_at, Some(t(9)));
        assert!(o.clear_conformity);
        assert_eq!(o.reason.as_deref(), Some("Volvió a fallar"));
        assert_eq!(o.solution.as_deref(), Some("x"));
    }

    #[test]
    fn escalation_rules() {
        let l = |n| EscalationLevel::new(n).expect("level");
        assert_eq!(
            check_escalation(EnProgreso, l(1), l(2), " Requiere técnico en sitio "),
            Ok("Requiere técnico en sitio".into())
        );
        assert!(check_escalation(Pendiente, l(3), l(2), "Vuelve a desarrollo").is_ok());
        assert_eq!(
            check_escalation(Atendido, l(1), l(2), "x").map_err(|e| e.code),
            Err(ErrorCode::TransicionNoPermitida)
        );
        assert_eq!(
            check_escalation(EnProgreso, l(2), l(2), "x").map_err(|e| e.code),
            Err(ErrorCode::NivelEscalamientoInvalido)
        );
        assert_eq!(
            check_escalation(EnProgreso, l(1), l(5), "").map_err(|e| e.code),
            Err(ErrorCode::MotivoRequerido)
        );
    }

    #[test]
    fn conformity_rules() {
        let yes = ConformityInput {
            accepted: true,
            at: None,
            remark: None,
        };
        assert_eq!(
            check_conformity(EnProgreso, None, &yes, t(12)).map_err(|e| e.code),
            Err(ErrorCode::TransicionNoPermitida)
        );
        let c = check_conformity(Atendido, Some(t(10)), &yes, t(12)).expect("ok");
        assert!(c.accepted && c.at == t(12));
        let no = ConformityInput {
            accepted: false,
            at: Some(t(11)),
            remark: None,
        };
        assert_eq!(
            check_conformity(Atendido, Some(t(10)), &no, t(12)).map_err(|e| e.code),
            Err(ErrorCode::MotivoRequerido)
        );
        let early = ConformityInput {
            at: Some(t(9)),
            ..yes
        };
        assert_eq!(
            check_conformity(Atendido, Some(t(10)), &early, t(12)).map_err(|e| e.code),
            Err(ErrorCode::FechaInvalida)
        );
    }

    #[test]
    fn status_codes_round_trip() {
        for s in AttentionStatus::ALL {
            assert_eq!(AttentionStatus::from_code(s.code()), Some(*s));
            assert_eq!(serde_json::to_value(s).expect("json"), s.code());
        }
        let json = serde_json::to_value(Transition::Reopen { reason: "r".into() }).expect("json");
        assert_eq!(json, serde_json::json!({"action": "reopen", "reason": "r"}));
    }
}
