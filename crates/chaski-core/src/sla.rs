//! The attention clock (*tiempo de atención*) and its target (SLA).
//!
//! The clock runs in wall-clock time from `received_at` to `resolved_at` (or to "now" while the
//! attention is open), minus the pauses that count. A pause is one of:
//!
//! | kind | stops the clock? | why |
//! |---|---|---|
//! | Reprogramación | yes | seed 004 §6 a: a request reprogrammed *while within its deadline* does not count for the SLA. Needs a reason and a date until when; refused once the target has passed. Ends by itself at that date, or earlier when work resumes. |
//! | En espera del usuario | yes | the requester is not reachable or has not sent what was asked: the unit cannot act. Needs a reason; ends when work resumes. |
//! | En espera del proveedor | no, by default | the unit chose to escalate to a provider (warranty, third party) and the requester is still without service: the time is the unit's. It is recorded (and shown) so the jefe sees why a case is late; a unit whose agreement with the provider says otherwise sets [`SlaPolicy::provider_wait_pauses`]. |
//!
//! Only one pause is open at a time, and pauses never overlap (the write path refuses it); the
//! arithmetic nevertheless merges overlapping intervals, so a merged replica can never make the
//! clock run backwards. Reopening an attention clears `resolved_at`, and the clock resumes from
//! where it was as if the attention had never been resolved.
//!
//! *Atención oportuna*: resolved with a running time not above the target.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::Priority;
use crate::error::{Error, ErrorCode, Result, required_text};
use crate::ids::PauseId;
use crate::status::{AttentionStatus, REASON_MAX};

/// Why the clock is paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PauseKind {
    Reprogramacion,
    EsperaUsuario,
    EsperaProveedor,
}

impl PauseKind {
    pub const ALL: &'static [PauseKind] = &[
        PauseKind::Reprogramacion,
        PauseKind::EsperaUsuario,
        PauseKind::EsperaProveedor,
    ];

    /// Stable code (stored).
    pub fn code(self) -> &'static str {
        match self {
            PauseKind::Reprogramacion => "reprogramacion",
            PauseKind::EsperaUsuario => "espera_usuario",
            PauseKind::EsperaProveedor => "espera_proveedor",
        }
    }

    /// Label on screen and paper.
    pub fn label(self) -> &'static str {
        match self {
            PauseKind::Reprogramacion => "Reprogramación",
            PauseKind::EsperaUsuario => "En espera del usuario",
            PauseKind::EsperaProveedor => "En espera del proveedor",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.code() == code)
    }
}

/// One pause of an attention's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Pause {
    pub id: PauseId,
    pub kind: PauseKind,
    pub reason: String,
    pub starts_at: DateTime<Utc>,
    /// Reprogramación: the date it was reprogrammed to; the pause ends there by itself.
    pub until: Option<DateTime<Utc>>,
    /// When work resumed (earlier than `until`, or the end of a wait).
    pub ended_at: Option<DateTime<Utc>>,
}

impl Pause {
    /// When the pause stops (or stopped) holding the clock; `None`: still open with no end.
    pub fn effective_end(&self) -> Option<DateTime<Utc>> {
        match (self.ended_at, self.until) {
            (Some(e), Some(u)) => Some(e.min(u)),
            (e, u) => e.or(u),
        }
    }

    /// Whether the pause is holding the clock at `now`.
    pub fn is_open_at(&self, now: DateTime<Utc>) -> bool {
        self.starts_at <= now && self.effective_end().is_none_or(|e| e > now)
    }
}

/// A target time for a priority, optionally only for one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlaTarget {
    pub priority: u8,
    /// `None`: every service of that priority without a target of its own.
    pub service_code: Option<String>,
    pub minutes: u32,
}

/// The targets of a unit and which pauses stop the clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlaPolicy {
    pub targets: Vec<SlaTarget>,
    /// Whether waiting for a provider stops the clock (default: no; see the module docs).
    pub provider_wait_pauses: bool,
}

/// Longest target accepted: 60 days.
pub const MAX_TARGET_MINUTES: u32 = 60 * 24 * 60;

impl Default for SlaPolicy {
    /// Until the central office sets others: 4 h, 8 h, 24 h and 72 h for priorities 1–4.
    fn default() -> Self {
        let targets = [(1, 4 * 60), (2, 8 * 60), (3, 24 * 60), (4, 72 * 60)]
            .into_iter()
            .map(|(priority, minutes)| SlaTarget {
                priority,
                service_code: None,
                minutes,
            })
            .collect();
        SlaPolicy {
            targets,
            provider_wait_pauses: false,
        }
    }
}

impl SlaPolicy {
    /// Checks every target: priority 1–4, 1 minute to 60 days, one per (priority, service),
    /// and a default for each priority.
    pub fn validate(&self) -> Result<()> {
        for (i, t) in self.targets.iter().enumerate() {
            Priority::new(t.priority).map_err(|e| Error {
                field: Some(format!("targets[{i}].priority")),
                ..e
            })?;
            if t.minutes == 0 || t.minutes > MAX_TARGET_MINUTES {
                return Err(Error::field(
                    ErrorCode::ValorInvalido,
                    &format!("targets[{i}].minutes"),
                    "El tiempo objetivo debe estar entre 1 minuto y 60 días: corríjalo.",
                ));
            }
            if self.targets[..i]
                .iter()
                .any(|o| o.priority == t.priority && o.service_code == t.service_code)
            {
                return Err(Error::field(
                    ErrorCode::ValorInvalido,
                    &format!("targets[{i}]"),
                    "Hay dos tiempos objetivo para la misma prioridad y servicio: deje uno.",
                ));
            }
        }
        for p in 1..=4u8 {
            if !self
                .targets
                .iter()
                .any(|t| t.priority == p && t.service_code.is_none())
            {
                return Err(Error::field(
                    ErrorCode::CampoRequerido,
                    "targets",
                    format!("Falta el tiempo objetivo general de la prioridad {p}: agréguelo."),
                ));
            }
        }
        Ok(())
    }

    /// The target of an attention: the service's own for its priority, else the priority's.
    pub fn target(&self, priority: u8, service_code: &str) -> Option<Duration> {
        self.targets
            .iter()
            .find(|t| t.priority == priority && t.service_code.as_deref() == Some(service_code))
            .or_else(|| {
                self.targets
                    .iter()
                    .find(|t| t.priority == priority && t.service_code.is_none())
            })
            .map(|t| Duration::minutes(i64::from(t.minutes)))
    }

    /// Whether a pause of this kind stops the clock.
    pub fn stops_clock(&self, kind: PauseKind) -> bool {
        match kind {
            PauseKind::Reprogramacion | PauseKind::EsperaUsuario => true,
            PauseKind::EsperaProveedor => self.provider_wait_pauses,
        }
    }
}

/// The clock of one attention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaClock {
    pub received_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The counted pauses as `[start, end)`; `None` end: open.
    intervals: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
}

/// The clock read at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockReading {
    /// From reception to resolution (or to the instant read).
    pub total: Duration,
    /// Paused by the pauses that count.
    pub paused: Duration,
    /// `total − paused`: the attention time.
    pub running: Duration,
}

impl SlaClock {
    /// The clock with the pauses that stop it under `policy`.
    pub fn new(
        received_at: DateTime<Utc>,
        resolved_at: Option<DateTime<Utc>>,
        pauses: &[Pause],
        policy: &SlaPolicy,
    ) -> Self {
        let raw = pauses
            .iter()
            .filter(|p| policy.stops_clock(p.kind))
            .map(|p| (p.starts_at, p.effective_end()));
        Self::from_intervals(received_at, resolved_at, raw)
    }

    /// The clock from raw pause intervals (merged here, so overlaps count once).
    pub fn from_intervals(
        received_at: DateTime<Utc>,
        resolved_at: Option<DateTime<Utc>>,
        raw: impl IntoIterator<Item = (DateTime<Utc>, Option<DateTime<Utc>>)>,
    ) -> Self {
        let mut v: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = raw
            .into_iter()
            .filter(|(s, e)| e.is_none_or(|e| e > *s))
            .collect();
        v.sort_by_key(|(s, _)| *s);
        let mut merged: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = Vec::with_capacity(v.len());
        for (s, e) in v {
            match merged.last_mut() {
                Some((_, last_end)) if last_end.is_none_or(|le| s <= le) => {
                    *last_end = match (*last_end, e) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    };
                }
                _ => merged.push((s, e)),
            }
        }
        SlaClock {
            received_at,
            resolved_at,
            intervals: merged,
        }
    }

    /// Reads the clock at `now` (ignored once resolved: the clock stopped then).
    pub fn read(&self, now: DateTime<Utc>) -> ClockReading {
        let start = self.received_at;
        let end = self.resolved_at.unwrap_or(now).max(start);
        let mut paused = Duration::zero();
        for (s, e) in &self.intervals {
            let s = (*s).max(start);
            let e = e.unwrap_or(end).min(end);
            if e > s {
                paused += e - s;
            }
        }
        let total = end - start;
        ClockReading {
            total,
            paused,
            running: total - paused,
        }
    }

    /// The instant the running time reaches `target`; `None` while an open-ended pause holds
    /// the clock before that.
    pub fn due_at(&self, target: Duration) -> Option<DateTime<Utc>> {
        let mut t = self.received_at;
        let mut remaining = target;
        for (s, e) in &self.intervals {
            let Some(e) = *e else {
                return if *s > t && *s - t >= remaining {
                    Some(t + remaining)
                } else {
                    None
                };
            };
            if e <= t {
                continue;
            }
            if *s > t {
                if *s - t >= remaining {
                    return Some(t + remaining);
                }
                remaining -= *s - t;
            }
            t = e;
        }
        Some(t + remaining)
    }
}

/// Where an attention stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    /// Open, target not reached, not due today.
    EnPlazo,
    /// Open, due before the end of today (Lima).
    VenceHoy,
    /// Open, past its target.
    Vencida,
    /// Resolved within the target (*atención oportuna*).
    Oportuna,
    /// Resolved after the target.
    FueraDePlazo,
    /// No target for its priority.
    SinMeta,
}

impl SlaState {
    pub fn label(self) -> &'static str {
        match self {
            SlaState::EnPlazo => "En plazo",
            SlaState::VenceHoy => "Vence hoy",
            SlaState::Vencida => "Vencida",
            SlaState::Oportuna => "Atendida a tiempo",
            SlaState::FueraDePlazo => "Atendida fuera de plazo",
            SlaState::SinMeta => "Sin tiempo objetivo",
        }
    }
}

/// The state of an attention's clock at `now`.
pub fn sla_state(clock: &SlaClock, target: Option<Duration>, now: DateTime<Utc>) -> SlaState {
    let Some(target) = target else {
        return SlaState::SinMeta;
    };
    let r = clock.read(now);
    if clock.resolved_at.is_some() {
        return if r.running <= target {
            SlaState::Oportuna
        } else {
            SlaState::FueraDePlazo
        };
    }
    if r.running > target {
        return SlaState::Vencida;
    }
    match clock.due_at(target) {
        Some(due) if crate::time::lima_date(due) <= crate::time::lima_date(now) => {
            SlaState::VenceHoy
        }
        _ => SlaState::EnPlazo,
    }
}

/// What a person asks for to pause the clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PauseInput {
    pub kind: PauseKind,
    pub reason: String,
    /// Reprogramación: until when (required, in the future, at most 90 days ahead).
    pub until: Option<DateTime<Utc>>,
}

/// Longest reprogramming accepted.
pub const MAX_RESCHEDULE_DAYS: i64 = 90;

/// Checks a pause against the attention at `now`; returns the pause to write.
pub fn check_pause(
    input: &PauseInput,
    status: AttentionStatus,
    clock: &SlaClock,
    existing: &[Pause],
    target: Option<Duration>,
    now: DateTime<Utc>,
) -> Result<Pause> {
    if status == AttentionStatus::Atendido {
        return Err(Error::field(
            ErrorCode::TransicionNoPermitida,
            "status",
            "Una atención Atendida no se puede pausar ni reprogramar: reábrala si hace falta.",
        ));
    }
    if existing.iter().any(|p| p.is_open_at(now)) {
        return Err(Error::field(
            ErrorCode::TransicionNoPermitida,
            "kind",
            "La atención ya está en pausa: reanúdela antes de registrar otra pausa.",
        ));
    }
    let reason = required_text(&input.reason, "reason", "Motivo", REASON_MAX).map_err(|e| {
        if e.code == ErrorCode::CampoRequerido {
            Error::field(
                ErrorCode::MotivoRequerido,
                "reason",
                "Indique el motivo de la pausa o reprogramación.",
            )
        } else {
            e
        }
    })?;
    let until = match input.kind {
        PauseKind::Reprogramacion => {
            let Some(until) = input.until else {
                return Err(Error::field(
                    ErrorCode::CampoRequerido,
                    "until",
                    "Indique hasta cuándo se reprograma la atención.",
                ));
            };
            if until <= now {
                return Err(Error::field(
                    ErrorCode::FechaInvalida,
                    "until",
                    "La nueva fecha de la reprogramación debe ser posterior a ahora.",
                ));
            }
            if until - now > Duration::days(MAX_RESCHEDULE_DAYS) {
                return Err(Error::field(
                    ErrorCode::FechaInvalida,
                    "until",
                    format!(
                        "Una reprogramación puede ser de hasta {MAX_RESCHEDULE_DAYS} días: elija una fecha más cercana."
                    ),
                ));
            }
            if let Some(target) = target
                && clock.read(now).running > target
            {
                return Err(Error::field(
                    ErrorCode::TransicionNoPermitida,
                    "until",
                    "La atención ya venció su plazo: solo se reprograma una atención que está dentro de su plazo.",
                ));
            }
            Some(until)
        }
        PauseKind::EsperaUsuario | PauseKind::EsperaProveedor => None,
    };
    Ok(Pause {
        id: PauseId::new(),
        kind: input.kind,
        reason,
        starts_at: now.max(clock.received_at),
        until,
        ended_at: None,
    })
}

/// Resumes work: closes the open pause at `now`.
pub fn resume(existing: &[Pause], now: DateTime<Utc>) -> Result<Pause> {
    let Some(open) = existing.iter().find(|p| p.is_open_at(now)) else {
        return Err(Error::field(
            ErrorCode::TransicionNoPermitida,
            "status",
            "La atención no está en pausa.",
        ));
    };
    Ok(Pause {
        ended_at: Some(now),
        ..open.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rand::{Rng, SeedableRng, rngs::StdRng};

    fn t(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0)
            .single()
            .expect("t")
            + Duration::minutes(h)
    }

    fn pause(kind: PauseKind, s: i64, until: Option<i64>, ended: Option<i64>) -> Pause {
        Pause {
            id: PauseId::new(),
            kind,
            reason: "x".into(),
            starts_at: t(s),
            until: until.map(t),
            ended_at: ended.map(t),
        }
    }

    #[test]
    fn pauses_that_count_and_those_that_do_not() {
        let policy = SlaPolicy::default();
        let pauses = [
            pause(PauseKind::Reprogramacion, 60, Some(120), None), // 60 min, ends by itself
            pause(PauseKind::EsperaProveedor, 200, None, Some(260)), // does not count
            pause(PauseKind::EsperaUsuario, 300, None, Some(330)), // 30 min
        ];
        let c = SlaClock::new(t(0), Some(t(400)), &pauses, &policy);
        let r = c.read(t(10_000));
        assert_eq!(r.total, Duration::minutes(400));
        assert_eq!(r.paused, Duration::minutes(90));
        assert_eq!(r.running, Duration::minutes(310));
        let with_provider = SlaPolicy {
            provider_wait_pauses: true,
            ..SlaPolicy::default()
        };
        let c2 = SlaClock::new(t(0), Some(t(400)), &pauses, &with_provider);
        assert_eq!(c2.read(t(400)).running, Duration::minutes(250));
        // Resumed before the reprogrammed date: the pause ends at the resumption.
        let early = pause(PauseKind::Reprogramacion, 60, Some(120), Some(90));
        assert_eq!(early.effective_end(), Some(t(90)));
    }

    #[test]
    fn due_at_skips_pauses_and_states_follow() {
        let policy = SlaPolicy::default();
        let target = Duration::minutes(240);
        let pauses = [pause(PauseKind::EsperaUsuario, 60, None, Some(180))];
        let open = SlaClock::new(t(0), None, &pauses, &policy);
        assert_eq!(open.due_at(target), Some(t(360)));
        assert_eq!(open.read(t(359)).running, Duration::minutes(239));
        // 14:00 UTC is 09:00 in Lima: due 15:00 Lima the same day.
        assert_eq!(sla_state(&open, Some(target), t(10)), SlaState::VenceHoy);
        assert_eq!(sla_state(&open, Some(target), t(361)), SlaState::Vencida);
        assert_eq!(sla_state(&open, None, t(361)), SlaState::SinMeta);
        let long = Duration::minutes(72 * 60);
        assert_eq!(sla_state(&open, Some(long), t(10)), SlaState::EnPlazo);
        // An open-ended wait: no due instant, and the clock is held.
        let waiting = SlaClock::new(
            t(0),
            None,
            &[pause(PauseKind::EsperaUsuario, 60, None, None)],
            &policy,
        );
        assert_eq!(waiting.due_at(target), None);
        assert_eq!(waiting.read(t(5000)).running, Duration::minutes(60));
        assert_eq!(
            sla_state(&waiting, Some(target), t(5000)),
            SlaState::EnPlazo
        );
        let done = SlaClock::new(t(0), Some(t(300)), &pauses, &policy);
        assert_eq!(sla_state(&done, Some(target), t(9999)), SlaState::Oportuna);
        let late = SlaClock::new(t(0), Some(t(400)), &pauses, &policy);
        assert_eq!(
            sla_state(&late, Some(target), t(9999)),
            SlaState::FueraDePlazo
        );
    }

    /// Random clocks: the running time never goes backwards as time passes, a pause never
    /// increases it, total = running + paused, and `due_at` is where running reaches the target.
    #[test]
    fn property_clock_never_goes_backwards() {
        let mut rng = StdRng::seed_from_u64(0x5EED_0015);
        for case in 0..2000 {
            let n = rng.gen_range(0..6);
            let mut raw = Vec::new();
            for _ in 0..n {
                let s = rng.gen_range(-100..2000);
                let e = if rng.gen_bool(0.2) {
                    None
                } else {
                    Some(s + rng.gen_range(-10..600))
                };
                raw.push((t(s), e.map(t)));
            }
            let resolved = rng.gen_bool(0.5).then(|| t(rng.gen_range(0..3000)));
            let clock = SlaClock::from_intervals(t(0), resolved, raw.clone());
            let no_pause = SlaClock::from_intervals(t(0), resolved, Vec::new());
            let mut prev = Duration::zero();
            let mut now = -50;
            while now < 3500 {
                let r = clock.read(t(now));
                assert_eq!(r.total, r.running + r.paused, "case {case}");
                assert!(r.running >= Duration::zero(), "case {case}");
                assert!(r.paused >= Duration::zero(), "case {case}");
                assert!(r.running >= prev, "case {case} went backwards at {now}");
                assert!(r.running <= no_pause.read(t(now)).running, "case {case}");
                prev = r.running;
                now += rng.gen_range(1..120);
            }
            // Adding one more pause never increases the running time.
            let s = rng.gen_range(0..2000);
            let mut more = raw.clone();
            more.push((t(s), Some(t(s + rng.gen_range(1..300)))));
            let clock2 = SlaClock::from_intervals(t(0), resolved, more);
            for now in [0, 500, 1500, 3000, 4000] {
                assert!(clock2.read(t(now)).running <= clock.read(t(now)).running);
            }
            let target = Duration::minutes(rng.gen_range(1..2000));
            if resolved.is_none()
                && let Some(due) = clock.due_at(target)
            {
                assert_eq!(clock.read(due).running, target, "case {case}");
            }
        }
    }

    #[test]
    fn reprogramming_rules() {
        let policy = SlaPolicy::default();
        let clock = SlaClock::new(t(0), None, &[], &policy);
        let target = policy.target(1, "x");
        assert_eq!(target, Some(Duration::hours(4)));
        let ok = PauseInput {
            kind: PauseKind::Reprogramacion,
            reason: "El usuario viaja".into(),
            until: Some(t(60 * 24)),
        };
        let p =
            check_pause(&ok, AttentionStatus::EnProgreso, &clock, &[], target, t(30)).expect("ok");
        assert_eq!((p.starts_at, p.until), (t(30), Some(t(60 * 24))));
        type Case = (
            PauseInput,
            AttentionStatus,
            i64,
            Vec<Pause>,
            ErrorCode,
            &'static str,
        );
        let cases: Vec<Case> = vec![
            (
                PauseInput {
                    reason: " ".into(),
                    ..ok.clone()
                },
                AttentionStatus::EnProgreso,
                30,
                vec![],
                ErrorCode::MotivoRequerido,
                "reason",
            ),
            (
                PauseInput {
                    until: None,
                    ..ok.clone()
                },
                AttentionStatus::EnProgreso,
                30,
                vec![],
                ErrorCode::CampoRequerido,
                "until",
            ),
            (
                PauseInput {
                    until: Some(t(10)),
                    ..ok.clone()
                },
                AttentionStatus::EnProgreso,
                30,
                vec![],
                ErrorCode::FechaInvalida,
                "until",
            ),
            (
                PauseInput {
                    until: Some(t(60 * 24 * 91)),
                    ..ok.clone()
                },
                AttentionStatus::EnProgreso,
                30,
                vec![],
                ErrorCode::FechaInvalida,
                "until",
            ),
            // Past its 4 h target: no longer within its deadline.
            (
                PauseInput {
                    until: Some(t(60 * 48)),
                    ..ok.clone()
                },
                AttentionStatus::EnProgreso,
                241,
                vec![],
                ErrorCode::TransicionNoPermitida,
                "until",
            ),
            (
                ok.clone(),
                AttentionStatus::Atendido,
                30,
                vec![],
                ErrorCode::TransicionNoPermitida,
                "status",
            ),
            (
                ok.clone(),
                AttentionStatus::EnProgreso,
                30,
                vec![pause(PauseKind::EsperaUsuario, 10, None, None)],
                ErrorCode::TransicionNoPermitida,
                "kind",
            ),
        ];
        for (input, status, now, existing, code, field) in cases {
            let e =
                check_pause(&input, status, &clock, &existing, target, t(now)).expect_err(field);
            assert_eq!(
                (e.code, e.field.as_deref()),
                (code, Some(field)),
                "{}",
                e.message
            );
        }
        // A wait needs no date, and can be resumed.
        let wait = PauseInput {
            kind: PauseKind::EsperaProveedor,
            reason: "Garantía".into(),
            until: None,
        };
        let w = check_pause(
            &wait,
            AttentionStatus::EnProgreso,
            &clock,
            &[],
            target,
            t(300),
        )
        .expect("a wait is allowed even late");
        let resumed = resume(std::slice::from_ref(&w), t(400)).expect("resume");
        assert_eq!(resumed.ended_at, Some(t(400)));
        assert!(resume(&[resumed], t(401)).is_err());
    }

    #[test]
    fn policy_validation() {
        assert!(SlaPolicy::default().validate().is_ok());
        let mut p = SlaPolicy::default();
        p.targets.push(SlaTarget {
            priority: 1,
            service_code: Some("redes.internet".into()),
            minutes: 60,
        });
        assert!(p.validate().is_ok());
        assert_eq!(p.target(1, "redes.internet"), Some(Duration::hours(1)));
        assert_eq!(p.target(1, "otro"), Some(Duration::hours(4)));
        p.targets.push(SlaTarget {
            priority: 1,
            service_code: Some("redes.internet".into()),
            minutes: 30,
        });
        assert_eq!(
            p.validate().map_err(|e| e.field),
            Err(Some("targets[5]".into()))
        );
        let mut q = SlaPolicy::default();
        q.targets[0].minutes = 0;
        assert_eq!(
            q.validate().map_err(|e| e.field),
            Err(Some("targets[0].minutes".into()))
        );
        q.targets.remove(0);
        assert_eq!(
            q.validate().map_err(|e| e.code),
            Err(ErrorCode::CampoRequerido)
        );
        let mut r = SlaPolicy::default();
        r.targets[0].priority = 7;
        assert_eq!(
            r.validate().map_err(|e| e.field),
            Err(Some("targets[0].priority".into()))
        );
    }
}
