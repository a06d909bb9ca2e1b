//! The attention register (Anexo 01): create, edit, status changes, escalation, conformity,
//! list with filters and full-text search.
//!
//! Every rule is decided by `chaski_core` (input validation, the status machine, escalation and
//! conformity checks) inside the writing transaction; this module only loads the current state,
//! asks the core, and writes what the core returns through the [`Writer`].
//!
//! Over 600 lines because the attention is the unit's main record: its SQL (one `SELECT`, its
//! joins and the row reader shared by lists, search, statistics and the register) stays in
//! one place, so a column added to one query cannot be missed by another.

use chaski_core::attention::{
    Attention, AttentionDetail, AttentionFilter, AttentionInput, AttentionPage, EscalationEntry,
    Page, StatusChangeEntry, ValidAttention, check_edit,
};
use chaski_core::catalog::{AttentionKind, Channel, EscalationLevel, Priority};
use chaski_core::error::{Error as DomainError, ErrorCode};
use chaski_core::ids::{AttentionId, EscalationId, OfficeId, StatusChangeId, TechnicianId};
use chaski_core::numbering::{DRAFT_TEXT, DocKind, DocNumber, format_number, next_seq};
use chaski_core::person::full_name;
use chaski_core::status::{
    AttentionStatus, Conformity, ConformityInput, EscalationInput, StatusSnapshot, Transition,
    apply_transition, check_conformity, check_escalation,
};
use chaski_core::time::{lima_day_end, lima_day_start, lima_year};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row};
use serde_json::{Map, Value};

use crate::codec::{parse_id, parse_ts, parse_ts_opt, ts};
use crate::error::{Result, StoreError};
use crate::persons::office_for;
use crate::write::{Entity, Writer};
use crate::{Store, fields};

pub(crate) const SELECT: &str = "SELECT a.id, a.unit_code, u.name, a.year, a.number, a.received_at, a.started_at, a.resolved_at, \
a.requester_id, p.last_names, p.first_names, p.dni, a.office_id, o.name, a.problem, a.solution, \
s.category_code, sc.name, a.service_code, s.name, a.status, a.channel, a.kind, a.priority, a.escalation_level, \
a.technician_id, t.last_names, t.first_names, a.asset_code, a.conformity_accepted, a.conformity_at, a.conformity_remark, \
a.created_at, a.updated_at";

/// The joins after `attention a` that give the names the list shows.
pub(crate) const JOINS: &str = " \
JOIN unit u ON u.code = a.unit_code \
JOIN person p ON p.id = a.requester_id \
LEFT JOIN office o ON o.id = a.office_id \
JOIN service s ON s.code = a.service_code \
JOIN service_category sc ON sc.code = s.category_code \
JOIN technician t ON t.id = a.technician_id";

fn bad(what: &str) -> StoreError {
    StoreError::BadData(format!("atención: {what}"))
}

pub(crate) fn read_attention(r: &Row<'_>) -> Result<Attention> {
    let unit_code: String = r.get(1)?;
    let year: i32 = r.get(3)?;
    let seq: Option<u32> = r.get(4)?;
    let status: String = r.get(20)?;
    let channel: String = r.get(21)?;
    let kind: String = r.get(22)?;
    let accepted: Option<bool> = r.get(29)?;
    let conformity = match (accepted, r.get::<_, Option<String>>(30)?) {
        (Some(accepted), Some(at)) => Some(Conformity {
            accepted,
            at: parse_ts(&at)?,
            remark: r.get(31)?,
        }),
        _ => None,
    };
    let office_id: Option<String> = r.get(12)?;
    Ok(Attention {
        id: parse_id(&r.get::<_, String>(0)?)?,
        number_text: seq.map_or_else(|| DRAFT_TEXT.to_string(), |seq| format_number(seq, year)),
        number: seq.map(|seq| DocNumber {
            kind: DocKind::Attention,
            unit_code: unit_code.clone(),
            year,
            seq,
        }),
        unit_code,
        unit_name: r.get(2)?,
        received_at: parse_ts(&r.get::<_, String>(5)?)?,
        started_at: parse_ts_opt(r.get(6)?)?,
        resolved_at: parse_ts_opt(r.get(7)?)?,
        requester_id: parse_id(&r.get::<_, String>(8)?)?,
        requester_name: full_name(&r.get::<_, String>(9)?, &r.get::<_, String>(10)?),
        requester_dni: r.get(11)?,
        office_id: office_id.as_deref().map(parse_id).transpose()?,
        office_name: r.get(13)?,
        problem: r.get(14)?,
        solution: r.get(15)?,
        category_code: r.get(16)?,
        category_name: r.get(17)?,
        service_code: r.get(18)?,
        service_name: r.get(19)?,
        status: AttentionStatus::from_code(&status).ok_or_else(|| bad("estado"))?,
        channel: Channel::from_code(&channel).ok_or_else(|| bad("canal"))?,
        kind: AttentionKind::from_code(&kind).ok_or_else(|| bad("tipo"))?,
        priority: Priority::new(r.get(23)?).map_err(|_| bad("prioridad"))?,
        escalation_level: EscalationLevel::new(r.get(24)?).map_err(|_| bad("nivel"))?,
        technician_id: parse_id(&r.get::<_, String>(25)?)?,
        technician_name: full_name(&r.get::<_, String>(26)?, &r.get::<_, String>(27)?),
        asset_code: r.get(28)?,
        conformity,
        created_at: parse_ts(&r.get::<_, String>(32)?)?,
        updated_at: parse_ts(&r.get::<_, String>(33)?)?,
    })
}

pub(crate) fn attention(c: &Connection, id: AttentionId) -> Result<Attention> {
    let mut stmt =
        c.prepare_cached(&format!("{SELECT} FROM attention a{JOINS} WHERE a.id = ?1"))?;
    let mut rows = stmt.query([id.to_string()])?;
    match rows.next()? {
        Some(r) => read_attention(r),
        None => Err(DomainError::not_found("la atención").into()),
    }
}

/// The state the core rules need, read inside the write.
struct Current {
    status: AttentionStatus,
    solution: Option<String>,
    received_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    resolved_at: Option<DateTime<Utc>>,
    level: EscalationLevel,
    fields: Map<String, Value>,
}

fn current(c: &Connection, id: AttentionId) -> Result<Current> {
    let row = c
        .prepare_cached(
            "SELECT status, solution, received_at, started_at, resolved_at, escalation_level, \
             requester_id, office_id, channel, kind, service_code, priority, problem, asset_code, technician_id \
             FROM attention WHERE id = ?1",
        )?
        .query_row([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, u8>(5)?,
                fields! {
                    "requester_id" => r.get::<_, String>(6)?,
                    "office_id" => r.get::<_, Option<String>>(7)?,
                    "channel" => r.get::<_, String>(8)?,
                    "kind" => r.get::<_, String>(9)?,
                    "service_code" => r.get::<_, String>(10)?,
                    "priority" => r.get::<_, i64>(11)?,
                    "problem" => r.get::<_, String>(12)?,
                    "solution" => r.get::<_, Option<String>>(1)?,
                    "asset_code" => r.get::<_, Option<String>>(13)?,
                    "technician_id" => r.get::<_, String>(14)?,
                    "received_at" => r.get::<_, String>(2)?,
                },
            ))
        })
        .optional()?
        .ok_or_else(|| StoreError::from(DomainError::not_found("la atención")))?;
    let (status, solution, received, started, resolved, level, fields) = row;
    Ok(Current {
        status: AttentionStatus::from_code(&status).ok_or_else(|| bad("estado"))?,
        solution,
        received_at: parse_ts(&received)?,
        started_at: parse_ts_opt(started)?,
        resolved_at: parse_ts_opt(resolved)?,
        level: EscalationLevel::new(level).map_err(|_| bad("nivel"))?,
        fields,
    })
}

fn exists(c: &Connection, sql: &str, key: &str) -> Result<bool> {
    Ok(c.prepare_cached(sql)?
        .query_row([key], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Resolves the references of a validated input: checks requester, service and technician,
/// finds or registers the office. Returns (office, technician).
fn resolve_refs(
    w: &mut Writer<'_>,
    v: &ValidAttention,
) -> Result<(Option<OfficeId>, TechnicianId)> {
    let requester_office: Option<Option<String>> = w
        .conn()
        .prepare_cached("SELECT office_id FROM person WHERE id = ?1")?
        .query_row([v.requester_id.to_string()], |r| r.get(0))
        .optional()?;
    let Some(requester_office) = requester_office else {
        return Err(DomainError::field(
            ErrorCode::ValorInvalido,
            "requester_id",
            "Elija al usuario afectado o solicitante del directorio (o regístrelo).",
        )
        .into());
    };
    if !exists(
        w.conn(),
        "SELECT 1 FROM service WHERE code = ?1",
        &v.service_code,
    )? {
        return Err(DomainError::field(
            ErrorCode::ValorInvalido,
            "service_code",
            "Elija un servicio del catálogo.",
        )
        .into());
    }
    let technician = v.technician_id.unwrap_or_else(|| w.technician_id());
    if !exists(
        w.conn(),
        "SELECT 1 FROM technician WHERE id = ?1",
        &technician.to_string(),
    )? {
        return Err(DomainError::field(
            ErrorCode::ValorInvalido,
            "technician_id",
            "Elija al personal de soporte de la lista.",
        )
        .into());
    }
    let office = match &v.office {
        Some(name) => Some(office_for(w, name)?),
        None => requester_office.as_deref().map(parse_id).transpose()?,
    };
    Ok((office, technician))
}

fn editable_fields(
    v: &ValidAttention,
    office: Option<OfficeId>,
    technician: TechnicianId,
) -> Map<String, Value> {
    fields! {
        "requester_id" => v.requester_id.to_string(),
        "office_id" => office.map(|o| o.to_string()),
        "channel" => v.channel.code(),
        "kind" => v.kind.code(),
        "service_code" => v.service_code,
        "priority" => v.priority.value(),
        "problem" => v.problem,
        "solution" => v.solution,
        "asset_code" => v.asset_code,
        "technician_id" => technician.to_string(),
        "received_at" => ts(v.received_at),
    }
}

/// The next N° of this unit for the year. An enrolled device takes it from the blocks the
/// server reserved for it (so two offline devices of a unit never print the same number); a
/// standalone device is its unit's only numbering authority and uses its local series (never
/// below a number already present, e.g. pulled from another device of the unit).
///
/// `None`: the device is enrolled and its blocks for that year are used up (offline, or just
/// enrolled before the first sync reserved any) — the attention is saved as an unnumbered
/// draft and [`Store::sync_number_drafts`] numbers it when blocks arrive.
fn next_number(w: &Writer<'_>, year: i32) -> Result<Option<u32>> {
    let c = w.conn();
    let unit = w.unit_code();
    if crate::replication::is_enrolled(c)? {
        // Drafts of this year still wait for a number: this one waits too, so that numbers
        // follow creation order when the drafts are numbered.
        let waiting: Option<i64> = c
            .prepare_cached(
                "SELECT 1 FROM attention_draft d JOIN attention a ON a.id = d.attention_id \
                 WHERE a.number IS NULL AND a.year = ?1 LIMIT 1",
            )?
            .query_row([year], |r| r.get(0))
            .optional()?;
        if waiting.is_some() {
            return Ok(None);
        }
        return crate::replication::take_block_number(c, unit, DocKind::Attention.code(), year)?
            .map(|n| {
                u32::try_from(n).map_err(|_| {
                    StoreError::BadData(format!("número de bloque fuera de rango: {n}"))
                })
            })
            .transpose();
    }
    let series: Option<u32> = c
        .prepare_cached(
            "SELECT last_seq FROM number_series WHERE unit_code = ?1 AND kind = ?2 AND year = ?3",
        )?
        .query_row(
            rusqlite::params![unit, DocKind::Attention.code(), year],
            |r| r.get(0),
        )
        .optional()?;
    let used: Option<u32> = c
        .prepare_cached("SELECT max(number) FROM attention WHERE unit_code = ?1 AND year = ?2")?
        .query_row(rusqlite::params![unit, year], |r| r.get(0))?;
    let next = next_seq(series.max(used));
    c.prepare_cached(
        "INSERT INTO number_series (unit_code, kind, year, last_seq) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (unit_code, kind, year) DO UPDATE SET last_seq = excluded.last_seq",
    )?
    .execute(rusqlite::params![
        unit,
        DocKind::Attention.code(),
        year,
        next
    ])?;
    Ok(Some(next))
}

fn status_entry(
    w: &mut Writer<'_>,
    id: AttentionId,
    from: AttentionStatus,
    to: AttentionStatus,
    reason: Option<&str>,
    at: DateTime<Utc>,
) -> Result<()> {
    let tech = w.technician_id().to_string();
    w.insert(
        Entity::AttentionStatusChange,
        StatusChangeId::new().uuid(),
        fields! {
            "attention_id" => id.to_string(),
            "from_status" => from.code(),
            "to_status" => to.code(),
            "reason" => reason,
            "technician_id" => tech,
            "at" => ts(at),
        },
    )
}

/// Registers an attention inside an open write; returns its id.
pub(crate) fn create_attention(w: &mut Writer<'_>, input: &AttentionInput) -> Result<AttentionId> {
    let v = input.validate(w.now())?;
    let (office, technician) = resolve_refs(w, &v)?;
    let year = lima_year(v.received_at);
    let number = next_number(w, year)?;
    let id = AttentionId::new();
    let now = ts(w.now());
    let by = w.technician_id().to_string();
    let mut f = editable_fields(&v, office, technician);
    f.extend(fields! {
        "unit_code" => w.unit_code(),
        "year" => year,
        "number" => number,
        "status" => AttentionStatus::Pendiente.code(),
        "escalation_level" => EscalationLevel::FIRST.value(),
        "created_at" => now,
        "created_by" => by,
        "updated_at" => now,
        "updated_by" => by,
    });
    // The creation itself is not a status change: the history starts with the first
    // transition (the record's created_at says when it was registered as Pendiente).
    w.insert(Entity::Attention, id.uuid(), f)?;
    if number.is_none() {
        w.conn()
            .prepare_cached(
                "INSERT INTO attention_draft (attention_id, created_at) VALUES (?1, ?2)",
            )?
            .execute(rusqlite::params![id.to_string(), ts(w.now())])?;
    }
    Ok(id)
}

fn touch(w: &Writer<'_>, f: &mut Map<String, Value>) {
    f.insert("updated_at".into(), Value::from(ts(w.now())));
    f.insert(
        "updated_by".into(),
        Value::from(w.technician_id().to_string()),
    );
}

/// Applies a status transition at time `at` inside an open write.
pub(crate) fn transition_attention(
    w: &mut Writer<'_>,
    id: AttentionId,
    t: &Transition,
    at: DateTime<Utc>,
) -> Result<()> {
    let cur = current(w.conn(), id)?;
    let out = apply_transition(
        &StatusSnapshot {
            status: cur.status,
            solution: cur.solution.clone(),
            received_at: cur.received_at,
            started_at: cur.started_at,
            resolved_at: cur.resolved_at,
        },
        t,
        at,
    )?;
    let mut f = fields! { "status" => out.status.code() };
    if out.solution != cur.solution {
        f.insert("solution".into(), serde_json::json!(out.solution));
    }
    if out.started_at != cur.started_at {
        f.insert(
            "started_at".into(),
            serde_json::json!(out.started_at.map(ts)),
        );
    }
    if out.resolved_at != cur.resolved_at {
        f.insert(
            "resolved_at".into(),
            serde_json::json!(out.resolved_at.map(ts)),
        );
    }
    if out.clear_conformity {
        f.extend(fields! {
            "conformity_accepted" => Value::Null,
            "conformity_at" => Value::Null,
            "conformity_remark" => Value::Null,
        });
    }
    touch(w, &mut f);
    w.update(Entity::Attention, id.uuid(), f)?;
    let when = out
        .resolved_at
        .filter(|_| out.status == AttentionStatus::Atendido);
    let when = when.or(out
        .started_at
        .filter(|_| out.from == AttentionStatus::Pendiente));
    status_entry(
        w,
        id,
        out.from,
        out.status,
        out.reason.as_deref(),
        when.unwrap_or(at.max(cur.received_at)),
    )
}

/// Changes the escalation level inside an open write.
pub(crate) fn escalate_attention(
    w: &mut Writer<'_>,
    id: AttentionId,
    to: u8,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let cur = current(w.conn(), id)?;
    let to = EscalationLevel::new(to)?;
    let reason = check_escalation(cur.status, cur.level, to, reason)?;
    let mut f = fields! { "escalation_level" => to.value() };
    touch(w, &mut f);
    w.update(Entity::Attention, id.uuid(), f)?;
    let tech = w.technician_id().to_string();
    w.insert(
        Entity::AttentionEscalation,
        EscalationId::new().uuid(),
        fields! {
            "attention_id" => id.to_string(),
            "from_level" => cur.level.value(),
            "to_level" => to.value(),
            "reason" => reason,
            "technician_id" => tech,
            "at" => ts(at.max(cur.received_at)),
        },
    )
}

/// Records the conformity inside an open write.
pub(crate) fn conformity_attention(
    w: &mut Writer<'_>,
    id: AttentionId,
    input: &ConformityInput,
    now: DateTime<Utc>,
) -> Result<()> {
    let cur = current(w.conn(), id)?;
    let c = check_conformity(cur.status, cur.resolved_at, input, now)?;
    let mut f = fields! {
        "conformity_accepted" => c.accepted,
        "conformity_at" => ts(c.at),
        "conformity_remark" => c.remark,
    };
    touch(w, &mut f);
    w.update(Entity::Attention, id.uuid(), f)
}

/// Lists count matches up to this many; beyond it the UI says "más de 500". Counting every
/// match of a broad filter over 200,000 rows costs more than the page itself (measured: 60 ms
/// for a 10,000 cap on a two-field filter, 12 ms for 1,000; see docs/store.md).
pub const TOTAL_CAP: u64 = 500;

/// Builds the FTS5 query: every word must match; the last one as a prefix (the person may
/// still be typing it), the others as whole words. FTS5 answers a prefix by merging the lists
/// of every word that starts with it, which for a common word means tens of thousands of
/// entries: measured 70 ms for "caso 4242" over 200,000 attentions when every word was a
/// prefix. Words are quoted, so FTS5 syntax typed by a person is never interpreted.
///
/// Text that reads as an attention's N° ("2739", "N° 007-2026", "7-2026") looks only in the
/// number column, as whole numbers: "27" does not find 2739, and a DNI or an asset code that
/// starts with the same digits does not get in the way.
fn fts_query(text: &str) -> Option<String> {
    if let Some((number, year)) = number_words(text) {
        return Some(match year {
            Some(y) => format!("number : (\"{number}\" \"{y}\")"),
            None => format!("number : \"{number}\""),
        });
    }
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .collect();
    let last = words.len().checked_sub(1)?;
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == last {
                    format!("\"{w}\"*")
                } else {
                    format!("\"{w}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// "2739", "N° 007-2026", "Nº 7/2026", "007 2026" → the number as indexed (without leading
/// zeros) and the year, if given. Anything else (a DNI, an asset code, words) → None.
fn number_words(text: &str) -> Option<(u32, Option<u32>)> {
    let t = text.trim();
    let t = t
        .strip_prefix(['N', 'n'])
        .map_or(t, |rest| rest.trim_start_matches(['°', 'º', '.', ' ']));
    let (seq, rest) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    if seq.is_empty() || seq.len() > 6 {
        return None;
    }
    let number: u32 = seq.parse().ok()?;
    let rest = rest.trim();
    if rest.is_empty() {
        return Some((number, None));
    }
    let year = rest.strip_prefix(['-', '/']).unwrap_or(rest).trim();
    if year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()) {
        return Some((number, year.parse().ok()));
    }
    None
}

fn escalations(c: &Connection, id: AttentionId) -> Result<Vec<EscalationEntry>> {
    let mut stmt = c.prepare_cached(
        "SELECT e.id, e.from_level, e.to_level, e.reason, e.technician_id, t.last_names, t.first_names, e.at \
         FROM attention_escalation e JOIN technician t ON t.id = e.technician_id \
         WHERE e.attention_id = ?1 ORDER BY e.at, e.id",
    )?;
    let mut rows = stmt.query([id.to_string()])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(EscalationEntry {
            id: parse_id(&r.get::<_, String>(0)?)?,
            from_level: EscalationLevel::new(r.get(1)?).map_err(|_| bad("nivel"))?,
            to_level: EscalationLevel::new(r.get(2)?).map_err(|_| bad("nivel"))?,
            reason: r.get(3)?,
            technician_id: parse_id(&r.get::<_, String>(4)?)?,
            technician_name: full_name(&r.get::<_, String>(5)?, &r.get::<_, String>(6)?),
            at: parse_ts(&r.get::<_, String>(7)?)?,
        });
    }
    Ok(out)
}

fn status_changes(c: &Connection, id: AttentionId) -> Result<Vec<StatusChangeEntry>> {
    let mut stmt = c.prepare_cached(
        "SELECT e.id, e.from_status, e.to_status, e.reason, e.technician_id, t.last_names, t.first_names, e.at \
         FROM attention_status_change e JOIN technician t ON t.id = e.technician_id \
         WHERE e.attention_id = ?1 ORDER BY e.at, e.id",
    )?;
    let mut rows = stmt.query([id.to_string()])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let from: Option<String> = r.get(1)?;
        out.push(StatusChangeEntry {
            id: parse_id(&r.get::<_, String>(0)?)?,
            from_status: from
                .as_deref()
                .map(|s| AttentionStatus::from_code(s).ok_or_else(|| bad("estado")))
                .transpose()?,
            to_status: AttentionStatus::from_code(&r.get::<_, String>(2)?)
                .ok_or_else(|| bad("estado"))?,
            reason: r.get(3)?,
            technician_id: parse_id(&r.get::<_, String>(4)?)?,
            technician_name: full_name(&r.get::<_, String>(5)?, &r.get::<_, String>(6)?),
            at: parse_ts(&r.get::<_, String>(7)?)?,
        });
    }
    Ok(out)
}

impl Store {
    /// Registers an attention (status Pendiente, level 1, next N° of the unit and year).
    pub fn attention_create(&self, input: &AttentionInput) -> Result<AttentionDetail> {
        let id = self.write(|w| create_attention(w, input))?;
        self.attention_get(id)
    }

    /// Registers many attentions in one transaction (imports, demo data, benchmark): the same
    /// code path as [`Store::attention_create`], outbox included. All or nothing.
    pub fn attentions_create_many(&self, inputs: &[AttentionInput]) -> Result<Vec<AttentionId>> {
        self.write(|w| inputs.iter().map(|i| create_attention(w, i)).collect())
    }

    /// Edits the form fields of an attention. Status, level and conformity have their own
    /// commands. Only changed fields are replicated.
    pub fn attention_update(
        &self,
        id: AttentionId,
        input: &AttentionInput,
    ) -> Result<AttentionDetail> {
        self.write(|w| {
            let cur = current(w.conn(), id)?;
            // No reception time in an edit means "keep it", not "now".
            let v = AttentionInput {
                received_at: input.received_at.or(Some(cur.received_at)),
                ..input.clone()
            }
            .validate(w.now())?;
            check_edit(cur.status, cur.started_at, &v)?;
            let (office, technician) = resolve_refs(w, &v)?;
            let mut f: Map<String, Value> = editable_fields(&v, office, technician)
                .into_iter()
                .filter(|(k, val)| cur.fields.get(k) != Some(val))
                .collect();
            if f.contains_key("received_at") && lima_year(v.received_at) != lima_year(cur.received_at) {
                return Err(DomainError::field(
                    ErrorCode::FechaInvalida,
                    "received_at",
                    "La fecha de recepción no puede pasar a otro año: el N° pertenece a la serie de su año.",
                )
                .into());
            }
            if !f.is_empty() {
                touch(w, &mut f);
                w.update(Entity::Attention, id.uuid(), f)?;
            }
            Ok(())
        })?;
        self.attention_get(id)
    }

    /// One attention with its escalation and status histories.
    pub fn attention_get(&self, id: AttentionId) -> Result<AttentionDetail> {
        self.read(|c| {
            Ok(AttentionDetail {
                attention: attention(c, id)?,
                escalations: escalations(c, id)?,
                status_changes: status_changes(c, id)?,
            })
        })
    }

    /// Moves an attention through the status machine (start, resolve, reopen).
    pub fn attention_transition(&self, id: AttentionId, t: &Transition) -> Result<AttentionDetail> {
        self.write(|w| {
            let now = w.now();
            transition_attention(w, id, t, now)
        })?;
        self.attention_get(id)
    }

    /// Changes the escalation level (1–5) with a reason; kept in the history.
    pub fn attention_escalate(
        &self,
        id: AttentionId,
        input: &EscalationInput,
    ) -> Result<AttentionDetail> {
        self.write(|w| {
            let now = w.now();
            escalate_attention(w, id, input.to_level, &input.reason, now)
        })?;
        self.attention_get(id)
    }

    /// Records the requester's conformity (Atendido only).
    pub fn attention_set_conformity(
        &self,
        id: AttentionId,
        input: &ConformityInput,
    ) -> Result<AttentionDetail> {
        self.write(|w| {
            let now = w.now();
            conformity_attention(w, id, input, now)
        })?;
        self.attention_get(id)
    }

    /// Numbers this device's unnumbered drafts from its number blocks, in creation order, in
    /// ONE transaction, each through the outbox (the server checks every number against this
    /// device's block). Stops at the first draft whose year has no number left (it and the
    /// later ones stay drafts; order is kept for the next sync). Returns how many it numbered.
    /// Called by the sync client after it topped the blocks up.
    pub fn sync_number_drafts(&self) -> Result<u64> {
        self.write(|w| {
            let drafts: Vec<(String, i32)> = {
                let mut st = w.conn().prepare(
                    "SELECT a.id, a.year FROM attention_draft d JOIN attention a ON a.id = d.attention_id \
                     WHERE a.number IS NULL ORDER BY d.seq",
                )?;
                st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?
            };
            let mut numbered = 0;
            for (id, year) in drafts {
                let unit = w.unit_code().to_string();
                let Some(n) = crate::replication::take_block_number(
                    w.conn(),
                    &unit,
                    DocKind::Attention.code(),
                    year,
                )?
                else {
                    break;
                };
                w.update(
                    Entity::Attention,
                    parse_id::<AttentionId>(&id)?.uuid(),
                    fields! { "year" => year, "number" => n },
                )?;
                w.conn()
                    .prepare_cached("DELETE FROM attention_draft WHERE attention_id = ?1")?
                    .execute([&id])?;
                numbered += 1;
            }
            // Drafts numbered elsewhere (never expected: only this device numbers its own)
            // are no longer waiting.
            w.conn().execute(
                "DELETE FROM attention_draft WHERE attention_id IN \
                 (SELECT id FROM attention WHERE number IS NOT NULL)",
                [],
            )?;
            Ok(numbered)
        })
    }

    /// This device's attentions waiting for a number, per year of reception (ascending):
    /// the sync client reserves blocks for them, and the Sync screen shows the total.
    pub fn sync_drafts_by_year(&self) -> Result<Vec<(i32, u64)>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT a.year, count(*) FROM attention_draft d JOIN attention a ON a.id = d.attention_id \
                 WHERE a.number IS NULL GROUP BY a.year ORDER BY a.year",
            )?;
            let rows = st
                .query_map([], |r| Ok((r.get::<_, i32>(0)?, r.get::<_, i64>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows
                .into_iter()
                .map(|(y, n)| (y, u64::try_from(n).unwrap_or(0)))
                .collect())
        })
    }

    /// Finds an attention by its printed number (`N° 007-2026`) in this unit.
    pub fn attention_by_number(&self, text: &str) -> Result<Attention> {
        let (seq, year) = chaski_core::numbering::parse_number(text)?;
        self.read(|c| {
            let id: Option<String> = c
                .prepare_cached(
                    "SELECT a.id FROM attention a JOIN local_device d ON d.unit_code = a.unit_code \
                     WHERE a.year = ?1 AND a.number = ?2 ORDER BY a.created_at LIMIT 1",
                )?
                .query_row(rusqlite::params![year, seq], |r| r.get(0))
                .optional()?;
            let id = id.ok_or_else(|| {
                StoreError::from(DomainError::not_found("la atención con ese número"))
            })?;
            attention(c, parse_id(&id)?)
        })
    }

    /// Lists attentions newest first (by reception time), filtered and paged.
    pub fn attentions_list(&self, filter: &AttentionFilter, page: Page) -> Result<AttentionPage> {
        let f = filter.validate()?;
        let page = page.clamped();
        let mut wheres: Vec<String> = Vec::new();
        let mut params: Vec<rusqlite::types::Value> = Vec::new();
        let mut push = |clause: &str, v: rusqlite::types::Value, wheres: &mut Vec<String>| {
            params.push(v);
            wheres.push(clause.replace('?', &format!("?{}", params.len())));
        };
        if !f.statuses.is_empty() {
            let list: Vec<String> = f
                .statuses
                .iter()
                .map(|s| format!("'{}'", s.code()))
                .collect();
            wheres.push(format!("a.status IN ({})", list.join(", ")));
        }
        if let Some(p) = f.priority {
            push("a.priority = ?", i64::from(p).into(), &mut wheres);
        }
        if let Some(k) = f.kind {
            push("a.kind = ?", k.code().to_string().into(), &mut wheres);
        }
        if let Some(ch) = f.channel {
            push("a.channel = ?", ch.code().to_string().into(), &mut wheres);
        }
        if let Some(s) = &f.service_code {
            push("a.service_code = ?", s.clone().into(), &mut wheres);
        }
        if let Some(cat) = &f.category_code {
            push(
                "a.service_code IN (SELECT code FROM service WHERE category_code = ?)",
                cat.clone().into(),
                &mut wheres,
            );
        }
        if let Some(t) = f.technician_id {
            push("a.technician_id = ?", t.to_string().into(), &mut wheres);
        }
        if let Some(r) = f.requester_id {
            push("a.requester_id = ?", r.to_string().into(), &mut wheres);
        }
        if let Some(from) = f.from {
            push(
                "a.received_at >= ?",
                ts(lima_day_start(from)).into(),
                &mut wheres,
            );
        }
        if let Some(to) = f.to {
            push(
                "a.received_at < ?",
                ts(lima_day_end(to)).into(),
                &mut wheres,
            );
        }
        // A text search is driven by the full-text index: FTS5 streams its matches newest
        // row first (ORDER BY rowid DESC), so the first page and the capped count stop early
        // instead of collecting every match. Its order is the local registration order.
        let text = f.text.as_deref().and_then(fts_query);
        let from = if let Some(q) = &text {
            push("attention_fts MATCH ?", q.clone().into(), &mut wheres);
            "attention_fts CROSS JOIN attention a ON a.seq = attention_fts.rowid"
        } else {
            "attention a"
        };
        let where_sql = if wheres.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", wheres.join(" AND "))
        };
        self.read(|c| {
            let total: i64 = c
                .prepare_cached(&format!(
                    "SELECT count(*) FROM (SELECT 1 FROM {from}{where_sql} LIMIT {})",
                    TOTAL_CAP + 1
                ))?
                .query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?;
            let order = if text.is_some() {
                "attention_fts.rowid DESC"
            } else {
                "a.received_at DESC, a.seq DESC"
            };
            let sql = format!(
                "{SELECT} FROM {from}{JOINS}{where_sql} ORDER BY {order} LIMIT {} OFFSET {}",
                page.size,
                page.offset()
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
            let mut items = Vec::new();
            while let Some(r) = rows.next()? {
                items.push(read_attention(r)?);
            }
            let total = u64::try_from(total).unwrap_or(0);
            Ok(AttentionPage {
                items,
                page,
                total: total.min(TOTAL_CAP),
                total_exact: total <= TOTAL_CAP,
            })
        })
    }
}
