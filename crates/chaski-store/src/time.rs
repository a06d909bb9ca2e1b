//! Time records: pauses of the attention clock, SLA targets, the decreed non-working days and
//! the oficios (`migrations/client/0040_time.sql`). The rules are in `chaski_core::{sla,
//! calendar, official_letter}`; this module reads the snapshot they need and writes exactly
//! what they return, in one transaction.

use chaski_core::Error as DomainError;
use chaski_core::calendar::{BusinessCalendar, NonWorkingDay, NonWorkingDayInput};
use chaski_core::ids::{AttentionId, OfficialLetterId, PauseId};
use chaski_core::official_letter::{
    LetterAction, LetterOutcome, LetterState, LetterTerms, OfficialLetter, OfficialLetterInput,
    apply_letter_action, letter_state, letter_terms,
};
use chaski_core::sla::{
    Pause, PauseInput, PauseKind, SlaClock, SlaPolicy, SlaState, SlaTarget, check_pause, resume,
    sla_state,
};
use chaski_core::status::AttentionStatus;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::codec::{parse_id, parse_ts, parse_ts_opt, ts};
use crate::error::{Result, StoreError};
use crate::write::{Entity, Writer};
use crate::{Store, fields};

/// An attention's clock as the screens show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AttentionSla {
    pub attention_id: AttentionId,
    pub state: SlaState,
    pub state_label: String,
    /// Running time so far (or at resolution), minutes.
    #[ts(type = "number")]
    pub running_minutes: i64,
    #[ts(type = "number")]
    pub paused_minutes: i64,
    #[ts(type = "number | null")]
    pub target_minutes: Option<i64>,
    /// When the target is reached; `None` while an open-ended pause holds the clock.
    pub due_at: Option<DateTime<Utc>>,
    pub pauses: Vec<Pause>,
}

/// An oficio with its terms and its state today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OfficialLetterView {
    pub letter: OfficialLetter,
    pub terms: LetterTerms,
    pub state: LetterState,
    pub state_label: String,
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| StoreError::BadData(format!("día almacenado inválido «{s}»")))
}

fn parse_day_opt(s: Option<String>) -> Result<Option<NaiveDate>> {
    s.as_deref().map(parse_day).transpose()
}

pub(crate) fn sla_policy(c: &Connection) -> Result<SlaPolicy> {
    let mut st = c.prepare_cached(
        "SELECT priority, service_code, minutes FROM sla_target ORDER BY priority, service_code",
    )?;
    let targets = st
        .query_map([], |r| {
            let service: String = r.get(1)?;
            Ok(SlaTarget {
                priority: r.get(0)?,
                service_code: (!service.is_empty()).then_some(service),
                minutes: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let provider_wait_pauses: bool = c
        .query_row(
            "SELECT provider_wait_pauses FROM sla_setting WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false);
    Ok(SlaPolicy {
        targets,
        provider_wait_pauses,
    })
}

pub(crate) fn calendar(c: &Connection) -> Result<BusinessCalendar> {
    Ok(BusinessCalendar::national().with_decreed(non_working_days(c)?))
}

fn non_working_days(c: &Connection) -> Result<Vec<NonWorkingDay>> {
    let mut st = c.prepare_cached("SELECT date, description FROM non_working_day ORDER BY date")?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(d, description)| {
            Ok(NonWorkingDay {
                date: parse_day(&d)?,
                description,
            })
        })
        .collect()
}

pub(crate) fn pauses_of(c: &Connection, id: AttentionId) -> Result<Vec<Pause>> {
    let mut st = c.prepare_cached(
        "SELECT id, kind, reason, starts_at, until_at, ended_at FROM attention_pause \
         WHERE attention_id = ?1 ORDER BY starts_at, id",
    )?;
    let rows = st
        .query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(pid, kind, reason, s, u, e)| {
            Ok(Pause {
                id: parse_id::<PauseId>(&pid)?,
                kind: PauseKind::from_code(&kind)
                    .ok_or_else(|| StoreError::BadData(format!("tipo de pausa «{kind}»")))?,
                reason,
                starts_at: parse_ts(&s)?,
                until: parse_ts_opt(u)?,
                ended_at: parse_ts_opt(e)?,
            })
        })
        .collect()
}

struct ClockSnapshot {
    status: AttentionStatus,
    received_at: DateTime<Utc>,
    resolved_at: Option<DateTime<Utc>>,
    priority: u8,
    service_code: String,
}

fn clock_snapshot(c: &Connection, id: AttentionId) -> Result<ClockSnapshot> {
    let row: Option<(String, String, Option<String>, u8, String)> = c
        .query_row(
            "SELECT status, received_at, resolved_at, priority, service_code FROM attention WHERE id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((status, received, resolved, priority, service_code)) = row else {
        return Err(DomainError::not_found("la atención").into());
    };
    Ok(ClockSnapshot {
        status: AttentionStatus::from_code(&status)
            .ok_or_else(|| StoreError::BadData(format!("estado «{status}»")))?,
        received_at: parse_ts(&received)?,
        resolved_at: parse_ts_opt(resolved)?,
        priority,
        service_code,
    })
}

fn attention_sla(c: &Connection, id: AttentionId, now: DateTime<Utc>) -> Result<AttentionSla> {
    let snap = clock_snapshot(c, id)?;
    let policy = sla_policy(c)?;
    let pauses = pauses_of(c, id)?;
    let clock = SlaClock::new(snap.received_at, snap.resolved_at, &pauses, &policy);
    let target = policy.target(snap.priority, &snap.service_code);
    let reading = clock.read(now);
    let state = sla_state(&clock, target, now);
    Ok(AttentionSla {
        attention_id: id,
        state,
        state_label: state.label().to_string(),
        running_minutes: reading.running.num_minutes(),
        paused_minutes: reading.paused.num_minutes(),
        target_minutes: target.map(|t| t.num_minutes()),
        due_at: target.and_then(|t| clock.due_at(t)),
        pauses,
    })
}

fn pause_attention(w: &mut Writer<'_>, id: AttentionId, input: &PauseInput) -> Result<Pause> {
    let now = w.now();
    let snap = clock_snapshot(w.conn(), id)?;
    let policy = sla_policy(w.conn())?;
    let existing = pauses_of(w.conn(), id)?;
    let clock = SlaClock::new(snap.received_at, snap.resolved_at, &existing, &policy);
    let target = policy.target(snap.priority, &snap.service_code);
    let p = check_pause(input, snap.status, &clock, &existing, target, now)?;
    let tech = w.technician_id().to_string();
    w.insert(
        Entity::AttentionPause,
        p.id.uuid(),
        fields! {
            "attention_id" => id.to_string(), "kind" => p.kind.code(), "reason" => p.reason.clone(),
            "starts_at" => ts(p.starts_at), "until_at" => p.until.map(ts), "ended_at" => Value::Null,
            "technician_id" => tech, "created_at" => ts(now),
        },
    )?;
    Ok(p)
}

fn resume_attention(w: &mut Writer<'_>, id: AttentionId) -> Result<Pause> {
    let now = w.now();
    clock_snapshot(w.conn(), id)?;
    let existing = pauses_of(w.conn(), id)?;
    let p = resume(&existing, now)?;
    w.update(
        Entity::AttentionPause,
        p.id.uuid(),
        fields! { "ended_at" => p.ended_at.map(ts) },
    )?;
    Ok(p)
}

const LETTER_SELECT: &str = "SELECT id, unit_code, number, sender, sgd_reference, received_on, escalated_on, \
     has_location_data, located_on, attention_ids, outcome, outcome_reason, archived_on, closed_on, \
     created_at, updated_at FROM official_letter";

fn letter_from_row(r: &rusqlite::Row<'_>) -> Result<OfficialLetter> {
    let id: String = r.get(0)?;
    let ids: String = r.get(9)?;
    let outcome: Option<String> = r.get(10)?;
    let ids: Vec<String> = serde_json::from_str(&ids)
        .map_err(|e| StoreError::BadData(format!("attention_ids del oficio: {e}")))?;
    Ok(OfficialLetter {
        id: parse_id(&id)?,
        unit_code: r.get(1)?,
        number: r.get(2)?,
        sender: r.get(3)?,
        sgd_reference: r.get(4)?,
        received_on: parse_day(&r.get::<_, String>(5)?)?,
        escalated_on: parse_day(&r.get::<_, String>(6)?)?,
        has_location_data: r.get(7)?,
        located_on: parse_day_opt(r.get(8)?)?,
        attention_ids: ids.iter().map(|s| parse_id(s)).collect::<Result<_>>()?,
        outcome: match outcome {
            None => None,
            Some(o) => Some(
                LetterOutcome::from_code(&o)
                    .ok_or_else(|| StoreError::BadData(format!("resultado de oficio «{o}»")))?,
            ),
        },
        outcome_reason: r.get(11)?,
        archived_on: parse_day_opt(r.get(12)?)?,
        closed_on: parse_day_opt(r.get(13)?)?,
        created_at: parse_ts(&r.get::<_, String>(14)?)?,
        updated_at: parse_ts(&r.get::<_, String>(15)?)?,
    })
}

fn letters(
    c: &Connection,
    where_sql: &str,
    p: &[&dyn rusqlite::ToSql],
) -> Result<Vec<OfficialLetter>> {
    let mut st = c.prepare_cached(&format!("{LETTER_SELECT} {where_sql}"))?;
    let mut rows = st.query(p)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(letter_from_row(r)?);
    }
    Ok(out)
}

fn letter(c: &Connection, id: OfficialLetterId) -> Result<OfficialLetter> {
    letters(c, "WHERE id = ?1", &[&id.to_string()])?
        .pop()
        .ok_or_else(|| DomainError::not_found("el oficio").into())
}

fn view(cal: &BusinessCalendar, l: OfficialLetter, today: NaiveDate) -> Result<OfficialLetterView> {
    let terms = letter_terms(cal, l.escalated_on)?;
    let state = letter_state(&l, &terms, today);
    Ok(OfficialLetterView {
        letter: l,
        terms,
        state,
        state_label: state.label().to_string(),
    })
}

impl Store {
    /// The SLA targets and which pauses stop the clock.
    pub fn sla_policy(&self) -> Result<SlaPolicy> {
        self.read(sla_policy)
    }

    /// Replaces the SLA targets (validated whole; nothing changes if one is wrong).
    pub fn sla_policy_set(&self, policy: &SlaPolicy) -> Result<SlaPolicy> {
        policy.validate()?;
        let mut c = self.conn();
        let tx = c.transaction()?;
        tx.execute("DELETE FROM sla_target", [])?;
        for t in &policy.targets {
            tx.execute(
                "INSERT INTO sla_target (priority, service_code, minutes) VALUES (?1, ?2, ?3)",
                params![
                    t.priority,
                    t.service_code.clone().unwrap_or_default(),
                    t.minutes
                ],
            )?;
        }
        tx.execute(
            "UPDATE sla_setting SET provider_wait_pauses = ?1 WHERE id = 1",
            [policy.provider_wait_pauses],
        )?;
        let out = sla_policy(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// The decreed non-working days.
    pub fn non_working_days(&self) -> Result<Vec<NonWorkingDay>> {
        self.read(non_working_days)
    }

    /// Replaces the decreed non-working days with `lines`; a bad line refuses the whole list.
    pub fn non_working_days_set(&self, lines: &[NonWorkingDayInput]) -> Result<Vec<NonWorkingDay>> {
        let days = NonWorkingDayInput::parse_all(lines)?;
        let mut c = self.conn();
        let tx = c.transaction()?;
        tx.execute("DELETE FROM non_working_day", [])?;
        for d in &days {
            tx.execute(
                "INSERT OR REPLACE INTO non_working_day (date, description) VALUES (?1, ?2)",
                params![date_text(d.date), d.description],
            )?;
        }
        let out = non_working_days(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// The unit's business calendar (national holidays and the decreed days).
    pub fn business_calendar(&self) -> Result<BusinessCalendar> {
        self.read(calendar)
    }

    /// The clock of an attention at `now`.
    pub fn attention_sla(&self, id: AttentionId, now: DateTime<Utc>) -> Result<AttentionSla> {
        self.read(|c| attention_sla(c, id, now))
    }

    /// Pauses the clock (reprogramación or a wait); see `chaski_core::sla::check_pause`.
    pub fn attention_pause(&self, id: AttentionId, input: &PauseInput) -> Result<AttentionSla> {
        let now = self.write(|w| {
            pause_attention(w, id, input)?;
            Ok(w.now())
        })?;
        self.attention_sla(id, now)
    }

    /// Resumes work: ends the open pause now.
    pub fn attention_resume(&self, id: AttentionId) -> Result<AttentionSla> {
        let now = self.write(|w| {
            resume_attention(w, id)?;
            Ok(w.now())
        })?;
        self.attention_sla(id, now)
    }

    /// Registers an oficio.
    pub fn official_letter_create(
        &self,
        input: &OfficialLetterInput,
    ) -> Result<OfficialLetterView> {
        let (id, now) = self.write(|w| {
            let now = w.now();
            let v = input.validate(now)?;
            for a in &v.attention_ids {
                clock_snapshot(w.conn(), *a)?;
            }
            let id = OfficialLetterId::new();
            let unit = w.unit_code().to_string();
            let tech = w.technician_id().to_string();
            let ids: Vec<String> = v.attention_ids.iter().map(ToString::to_string).collect();
            w.insert(
                Entity::OfficialLetter,
                id.uuid(),
                fields! {
                    "unit_code" => unit, "number" => v.number, "sender" => v.sender,
                    "sgd_reference" => v.sgd_reference, "received_on" => date_text(v.received_on),
                    "escalated_on" => date_text(v.escalated_on), "has_location_data" => v.has_location_data,
                    "located_on" => Value::Null, "attention_ids" => serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()),
                    "outcome" => Value::Null, "outcome_reason" => Value::Null, "archived_on" => Value::Null,
                    "closed_on" => Value::Null, "created_at" => ts(now), "created_by" => tech.clone(),
                    "updated_at" => ts(now), "updated_by" => tech,
                },
            )?;
            Ok((id, now))
        })?;
        self.official_letter_get(id, chaski_core::time::lima_date(now))
    }

    /// One oficio with its terms and state on `today`.
    pub fn official_letter_get(
        &self,
        id: OfficialLetterId,
        today: NaiveDate,
    ) -> Result<OfficialLetterView> {
        self.read(|c| view(&calendar(c)?, letter(c, id)?, today))
    }

    /// Records an action on an oficio (located, archive without data, close).
    pub fn official_letter_act(
        &self,
        id: OfficialLetterId,
        action: &LetterAction,
    ) -> Result<OfficialLetterView> {
        let today = self.write(|w| {
            let now = w.now();
            let today = chaski_core::time::lima_date(now);
            let cal = calendar(w.conn())?;
            let l = letter(w.conn(), id)?;
            let terms = letter_terms(&cal, l.escalated_on)?;
            let ch = apply_letter_action(&l, &terms, action, today)?;
            let tech = w.technician_id().to_string();
            w.update(
                Entity::OfficialLetter,
                id.uuid(),
                fields! {
                    "located_on" => ch.located_on.map(date_text), "outcome" => ch.outcome.map(|o| o.code()),
                    "outcome_reason" => ch.outcome_reason, "archived_on" => ch.archived_on.map(date_text),
                    "closed_on" => ch.closed_on.map(date_text), "updated_at" => ts(now), "updated_by" => tech,
                },
            )?;
            Ok(today)
        })?;
        self.official_letter_get(id, today)
    }

    /// The oficios of the unit on `today`, in the given states (empty: all), by escalation
    /// date, oldest first: the lists "por vencer", "vencidos", "cierre propuesto", "cerrados".
    pub fn official_letters(
        &self,
        states: &[LetterState],
        today: NaiveDate,
    ) -> Result<Vec<OfficialLetterView>> {
        self.read(|c| {
            let cal = calendar(c)?;
            let all = letters(c, "ORDER BY escalated_on, id", &[])?;
            let mut out = Vec::new();
            for l in all {
                let v = view(&cal, l, today)?;
                if states.is_empty() || states.contains(&v.state) {
                    out.push(v);
                }
            }
            Ok(out)
        })
    }
}
