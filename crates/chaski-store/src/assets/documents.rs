//! Cargos de asignación and traslados: drafts, issue (numbering), signature (applies the asset
//! events in the same transaction), annulment. Every rule is decided by `chaski_core`
//! (`document::Lifecycle`, `asset::check_assignment`, `asset::check_transfer`); this module
//! loads the present, asks the core, and writes what it returns.

use std::collections::HashMap;

use chaski_core::asset::{
    AssetSnapshot, Assignment, AssignmentInput, DocItem, DocItemInput, PersonBrief, Transfer,
    TransferInput, assignment_events, check_assignment, check_transfer, transfer_events,
};
use chaski_core::document::{DocStatus, Lifecycle};
use chaski_core::error::{Error as DomainError, ErrorCode, optional_text};
use chaski_core::ids::{AssetId, AssignmentId, PersonId, TechnicianId, TransferId};
use chaski_core::numbering::{DocKind, DocNumber, next_seq};
use chaski_core::time::lima_year;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row};
use serde_json::{Map, Value};

use super::register::{append_event, asset, snapshot};
use crate::codec::{parse_id, parse_ts, parse_ts_opt, ts};
use crate::error::{Result, StoreError};
use crate::write::{Entity, Writer};
use crate::{Store, fields};

const CARGO: &str = "el cargo de asignación";
const TRASLADO: &str = "el traslado";

fn bad(what: &str) -> StoreError {
    StoreError::BadData(format!("documento: {what}"))
}

pub(crate) fn person_brief(c: &Connection, id: PersonId) -> Result<PersonBrief> {
    let p = crate::persons::person(c, id)?;
    Ok(PersonBrief {
        name: p.full_name(),
        dni: p.dni.map(|d| d.to_string()),
        office: p.office.map(|o| o.name),
    })
}

pub(crate) fn technician_brief(c: &Connection, id: TechnicianId) -> Result<PersonBrief> {
    let t = crate::persons::technician(c, id)?;
    Ok(PersonBrief {
        name: t.full_name(),
        dni: Some(t.dni.to_string()),
        office: None,
    })
}

pub(crate) fn lifecycle(r: &Row<'_>, base: usize, kind: DocKind, unit: &str) -> Result<Lifecycle> {
    let status: String = r.get(base)?;
    let year: Option<i32> = r.get(base + 1)?;
    let number: Option<u32> = r.get(base + 2)?;
    Ok(Lifecycle {
        status: DocStatus::parse(&status).ok_or_else(|| bad("estado"))?,
        number: match (year, number) {
            (Some(year), Some(seq)) => Some(DocNumber {
                kind,
                unit_code: unit.to_string(),
                year,
                seq,
            }),
            _ => None,
        },
        issued_at: parse_ts_opt(r.get(base + 3)?)?,
        signed_at: parse_ts_opt(r.get(base + 4)?)?,
        annulled_at: parse_ts_opt(r.get(base + 5)?)?,
        annul_reason: r.get(base + 6)?,
    })
}

pub(crate) fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad("fecha"))
}

fn items_json(items: &[DocItem]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

fn parse_items(s: &str) -> Result<Vec<DocItem>> {
    serde_json::from_str(s).map_err(|_| bad("filas"))
}

pub(crate) fn number_text(
    c: &Connection,
    table: &str,
    id: Option<String>,
) -> Result<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    let n: Option<(Option<u32>, Option<i32>)> = c
        .prepare_cached(&format!("SELECT number, year FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(n.and_then(|(n, y)| Some(chaski_core::numbering::format_number(n?, y?))))
}

const ASSIGNMENT_SELECT: &str = "SELECT id, unit_code, status, year, number, issued_at, signed_at, annulled_at, annul_reason, \
date, person_id, office, withdrawn, assigned, technician_id, corrects_id, attention_id, created_at, updated_at FROM assignment";

pub(crate) fn assignment(c: &Connection, id: AssignmentId) -> Result<Assignment> {
    let mut st = c.prepare_cached(&format!("{ASSIGNMENT_SELECT} WHERE id = ?1"))?;
    let mut rows = st.query([id.to_string()])?;
    let Some(r) = rows.next()? else {
        return Err(DomainError::not_found(CARGO).into());
    };
    let unit: String = r.get(1)?;
    let person_id: PersonId = parse_id(&r.get::<_, String>(10)?)?;
    let technician_id: TechnicianId = parse_id(&r.get::<_, String>(14)?)?;
    let corrects: Option<String> = r.get(15)?;
    let attention: Option<String> = r.get(16)?;
    Ok(Assignment {
        id: parse_id(&r.get::<_, String>(0)?)?,
        lifecycle: lifecycle(r, 2, DocKind::Assignment, &unit)?,
        unit_code: unit,
        date: parse_date(&r.get::<_, String>(9)?)?,
        person_id,
        person: person_brief(c, person_id)?,
        office: r.get(11)?,
        withdrawn: parse_items(&r.get::<_, String>(12)?)?,
        assigned: parse_items(&r.get::<_, String>(13)?)?,
        technician_id,
        technician: technician_brief(c, technician_id)?,
        corrects: corrects.as_deref().map(parse_id).transpose()?,
        corrects_number: number_text(c, "assignment", corrects)?,
        attention_id: attention.as_deref().map(parse_id).transpose()?,
        created_at: parse_ts(&r.get::<_, String>(17)?)?,
        updated_at: parse_ts(&r.get::<_, String>(18)?)?,
    })
}

const TRANSFER_SELECT: &str = "SELECT id, unit_code, status, year, number, issued_at, signed_at, annulled_at, annul_reason, \
date, origin_site, destination_site, items, reason, handed_by, received_by, technician_id, corrects_id, created_at, updated_at FROM transfer";

pub(crate) fn transfer(c: &Connection, id: TransferId) -> Result<Transfer> {
    let mut st = c.prepare_cached(&format!("{TRANSFER_SELECT} WHERE id = ?1"))?;
    let mut rows = st.query([id.to_string()])?;
    let Some(r) = rows.next()? else {
        return Err(DomainError::not_found(TRASLADO).into());
    };
    let unit: String = r.get(1)?;
    let handed: Option<PersonId> = r
        .get::<_, Option<String>>(14)?
        .as_deref()
        .map(parse_id)
        .transpose()?;
    let received: Option<PersonId> = r
        .get::<_, Option<String>>(15)?
        .as_deref()
        .map(parse_id)
        .transpose()?;
    let technician_id: TechnicianId = parse_id(&r.get::<_, String>(16)?)?;
    let corrects: Option<String> = r.get(17)?;
    Ok(Transfer {
        id: parse_id(&r.get::<_, String>(0)?)?,
        lifecycle: lifecycle(r, 2, DocKind::Transfer, &unit)?,
        unit_code: unit,
        date: parse_date(&r.get::<_, String>(9)?)?,
        origin_site: r.get(10)?,
        destination_site: r.get(11)?,
        items: parse_items(&r.get::<_, String>(12)?)?,
        reason: r.get(13)?,
        handed_by: handed,
        handed_by_person: handed.map(|p| person_brief(c, p)).transpose()?,
        received_by: received,
        received_by_person: received.map(|p| person_brief(c, p)).transpose()?,
        technician_id,
        technician: technician_brief(c, technician_id)?,
        corrects: corrects.as_deref().map(parse_id).transpose()?,
        corrects_number: number_text(c, "transfer", corrects)?,
        created_at: parse_ts(&r.get::<_, String>(18)?)?,
        updated_at: parse_ts(&r.get::<_, String>(19)?)?,
    })
}

/// Loads the present of every asset named in the rows.
fn snapshots(c: &Connection, rows: &[&[DocItemInput]]) -> Result<HashMap<AssetId, AssetSnapshot>> {
    let mut out = HashMap::new();
    for r in rows.iter().flat_map(|r| r.iter()) {
        if !out.contains_key(&r.asset_id)
            && let Some(s) = snapshot(c, r.asset_id)?
        {
            out.insert(r.asset_id, s);
        }
    }
    Ok(out)
}

/// The printed rows, copied from the assets.
fn doc_items(c: &Connection, inputs: &[DocItemInput], field: &str) -> Result<Vec<DocItem>> {
    inputs
        .iter()
        .map(|i| {
            let a = asset(c, i.asset_id)?;
            Ok(DocItem {
                asset_id: a.id,
                code: a.code,
                equipment: a.denomination,
                brand: a.brand,
                remarks: optional_text(i.remarks.as_deref(), field, "Observaciones", 150)?,
            })
        })
        .collect()
}

/// The N° a cargo, traslado or informe de baja gets when it is issued. Like attentions
/// (`attentions::next_number`): an enrolled device takes it from the blocks the server
/// reserved for it (the server checks it on push), a standalone device from its local series.
/// An enrolled device whose block is used up (offline) cannot issue: the document stays a
/// draft (borrador) and the message says it will be numbered after the next sync.
pub(crate) fn next_number(w: &Writer<'_>, kind: DocKind, table: &str, year: i32) -> Result<u32> {
    let c = w.conn();
    let unit = w.unit_code();
    if crate::replication::is_enrolled(c)? {
        let n = crate::replication::take_block_number(c, unit, kind.code(), year)?.ok_or_else(
            || {
                let what = match kind {
                    DocKind::Attention => "atenciones",
                    DocKind::Assignment => "cargos de asignación",
                    DocKind::Transfer => "traslados",
                    DocKind::Decommission => "informes técnicos de baja",
                };
                DomainError::general(
                    ErrorCode::SinNumeroDisponible,
                    format!(
                        "Este equipo ya usó todos los números de {what} {year} que le reservó la \
                         Sede Central, así que el documento sigue en borrador (no se perdió nada). \
                         Recibirá números en la próxima sincronización: conéctese a la red o pulse \
                         «Sincronizar ahora» en Sincronización, y luego vuelva a emitirlo."
                    ),
                )
            },
        )?;
        return u32::try_from(n)
            .map_err(|_| StoreError::BadData(format!("número de bloque fuera de rango: {n}")));
    }
    let series: Option<u32> = c
        .prepare_cached(
            "SELECT last_seq FROM number_series WHERE unit_code = ?1 AND kind = ?2 AND year = ?3",
        )?
        .query_row(rusqlite::params![unit, kind.code(), year], |r| r.get(0))
        .optional()?;
    let used: Option<u32> = c
        .prepare_cached(&format!(
            "SELECT max(number) FROM {table} WHERE unit_code = ?1 AND year = ?2"
        ))?
        .query_row(rusqlite::params![unit, year], |r| r.get(0))?;
    let next = next_seq(series.max(used));
    c.prepare_cached(
        "INSERT INTO number_series (unit_code, kind, year, last_seq) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (unit_code, kind, year) DO UPDATE SET last_seq = excluded.last_seq",
    )?
    .execute(rusqlite::params![unit, kind.code(), year, next])?;
    Ok(next)
}

pub(crate) fn stamp_new(w: &Writer<'_>, f: &mut Map<String, Value>) {
    let now = ts(w.now());
    let by = w.technician_id().to_string();
    f.insert("unit_code".into(), Value::from(w.unit_code()));
    f.insert("status".into(), Value::from(DocStatus::Borrador.code()));
    f.insert("technician_id".into(), Value::from(by.clone()));
    for k in ["created_at", "updated_at"] {
        f.insert(k.into(), Value::from(now.clone()));
    }
    for k in ["created_by", "updated_by"] {
        f.insert(k.into(), Value::from(by.clone()));
    }
}

pub(crate) fn touch(w: &Writer<'_>, f: &mut Map<String, Value>) {
    f.insert("updated_at".into(), Value::from(ts(w.now())));
    f.insert(
        "updated_by".into(),
        Value::from(w.technician_id().to_string()),
    );
}

pub(crate) fn lifecycle_fields(l: &Lifecycle) -> Map<String, Value> {
    fields! {
        "status" => l.status.code(),
        "year" => l.number.as_ref().map(|n| n.year),
        "number" => l.number.as_ref().map(|n| n.seq),
        "issued_at" => l.issued_at.map(ts),
        "signed_at" => l.signed_at.map(ts),
        "annulled_at" => l.annulled_at.map(ts),
        "annul_reason" => l.annul_reason,
    }
}

pub(crate) fn check_corrects(
    c: &Connection,
    table: &str,
    id: Option<String>,
    what: &str,
) -> Result<()> {
    let Some(id) = id else { return Ok(()) };
    let status: Option<String> = c
        .prepare_cached(&format!("SELECT status FROM {table} WHERE id = ?1"))?
        .query_row([&id], |r| r.get(0))
        .optional()?;
    match status.as_deref() {
        None => Err(DomainError::not_found(what).into()),
        Some("borrador") => Err(DomainError::field(
            ErrorCode::ValorInvalido,
            "corrects",
            "Un borrador no necesita corrección: edítelo directamente.",
        )
        .into()),
        Some(_) => Ok(()),
    }
}

/// Validates a cargo form and returns the fields of its content.
fn assignment_content(w: &Writer<'_>, input: &AssignmentInput) -> Result<Map<String, Value>> {
    let c = w.conn();
    let person = person_brief(c, input.person_id)?;
    let office = optional_text(
        input.office.as_deref(),
        "office",
        "Órgano / unidad orgánica",
        150,
    )?
    .or(person.office);
    let snaps = snapshots(c, &[&input.withdrawn, &input.assigned])?;
    check_assignment(input.person_id, &input.withdrawn, &input.assigned, &|id| {
        snaps.get(&id).cloned()
    })?;
    check_corrects(
        c,
        "assignment",
        input.corrects.map(|i| i.to_string()),
        "el cargo que se corrige",
    )?;
    let withdrawn = doc_items(c, &input.withdrawn, "withdrawn")?;
    let assigned = doc_items(c, &input.assigned, "assigned")?;
    Ok(fields! {
        "date" => input.date.format("%Y-%m-%d").to_string(),
        "person_id" => input.person_id.to_string(),
        "office" => office,
        "withdrawn" => items_json(&withdrawn),
        "assigned" => items_json(&assigned),
        "corrects_id" => input.corrects.map(|i| i.to_string()),
        "attention_id" => input.attention_id.map(|i| i.to_string()),
    })
}

fn recheck_assignment(c: &Connection, a: &Assignment) -> Result<()> {
    let (w, s) = a.inputs();
    let snaps = snapshots(c, &[&w, &s])?;
    check_assignment(a.person_id, &w, &s, &|id| snaps.get(&id).cloned())?;
    Ok(())
}

fn transfer_content(w: &Writer<'_>, input: &TransferInput) -> Result<Map<String, Value>> {
    let c = w.conn();
    let v = input.validate()?;
    for p in [input.handed_by, input.received_by].into_iter().flatten() {
        crate::persons::person(c, p)?;
    }
    let snaps = snapshots(c, &[&input.items])?;
    check_transfer(&v.origin_site, &input.items, &|id| snaps.get(&id).cloned())?;
    // Write the origin as the register spells it (the check compared folded text).
    let origin_site = input
        .items
        .first()
        .and_then(|i| snaps.get(&i.asset_id))
        .and_then(|s| s.state.site.clone())
        .unwrap_or(v.origin_site);
    check_corrects(
        c,
        "transfer",
        input.corrects.map(|i| i.to_string()),
        "el traslado que se corrige",
    )?;
    let items = doc_items(c, &input.items, "items")?;
    Ok(fields! {
        "date" => input.date.format("%Y-%m-%d").to_string(),
        "origin_site" => origin_site,
        "destination_site" => v.destination_site,
        "items" => items_json(&items),
        "reason" => v.reason,
        "handed_by" => input.handed_by.map(|p| p.to_string()),
        "received_by" => input.received_by.map(|p| p.to_string()),
        "corrects_id" => input.corrects.map(|i| i.to_string()),
    })
}

fn recheck_transfer(c: &Connection, t: &Transfer) -> Result<()> {
    let inputs: Vec<DocItemInput> = t.items.iter().map(DocItem::input).collect();
    let snaps = snapshots(c, &[&inputs])?;
    check_transfer(&t.origin_site, &inputs, &|id| snaps.get(&id).cloned())?;
    Ok(())
}

impl Store {
    /// Saves a new cargo de asignación as a draft (no number, no effect).
    pub fn assignment_create(&self, input: &AssignmentInput) -> Result<Assignment> {
        let id = AssignmentId::new();
        self.write(|w| {
            let mut f = assignment_content(w, input)?;
            stamp_new(w, &mut f);
            w.insert(Entity::Assignment, id.uuid(), f)
        })?;
        self.assignment_get(id)
    }

    /// Replaces the content of a draft cargo. Refused once issued.
    pub fn assignment_update(
        &self,
        id: AssignmentId,
        input: &AssignmentInput,
    ) -> Result<Assignment> {
        self.write(|w| {
            assignment(w.conn(), id)?.lifecycle.ensure_editable(CARGO)?;
            let mut f = assignment_content(w, input)?;
            touch(w, &mut f);
            w.update(Entity::Assignment, id.uuid(), f)
        })?;
        self.assignment_get(id)
    }

    /// One cargo, with everything its printed form needs.
    pub fn assignment_get(&self, id: AssignmentId) -> Result<Assignment> {
        self.read(|c| assignment(c, id))
    }

    /// Issues a draft cargo: gives it the next N° of the unit for the year and freezes it.
    pub fn assignment_issue(&self, id: AssignmentId) -> Result<Assignment> {
        self.write(|w| {
            let mut a = assignment(w.conn(), id)?;
            a.lifecycle.ensure_editable(CARGO)?;
            a.ensure_complete()?;
            recheck_assignment(w.conn(), &a)?;
            let year = lima_year(w.now());
            let seq = next_number(w, DocKind::Assignment, "assignment", year)?;
            let number = DocNumber {
                kind: DocKind::Assignment,
                unit_code: a.unit_code.clone(),
                year,
                seq,
            };
            a.lifecycle.issue(number, w.now(), CARGO)?;
            let mut f = lifecycle_fields(&a.lifecycle);
            touch(w, &mut f);
            w.update(Entity::Assignment, id.uuid(), f)
        })?;
        self.assignment_get(id)
    }

    /// Records that the servidor(a) and the technician signed the cargo: it becomes immutable
    /// and, in the same transaction, its withdrawals and assignments are appended to the
    /// assets' histories (the custodians change).
    pub fn assignment_sign(&self, id: AssignmentId) -> Result<Assignment> {
        self.write(|w| {
            let mut a = assignment(w.conn(), id)?;
            a.lifecycle.sign(w.now(), CARGO)?;
            recheck_assignment(w.conn(), &a)?;
            for e in assignment_events(&a, w.now(), w.technician_id()) {
                append_event(w, &e)?;
            }
            let mut f = lifecycle_fields(&a.lifecycle);
            touch(w, &mut f);
            w.update(Entity::Assignment, id.uuid(), f)
        })?;
        self.assignment_get(id)
    }

    /// Annuls a draft or issued cargo with a reason; its number is kept and never reused.
    pub fn assignment_annul(&self, id: AssignmentId, reason: &str) -> Result<Assignment> {
        self.write(|w| {
            let mut a = assignment(w.conn(), id)?;
            a.lifecycle.annul(reason, w.now(), CARGO)?;
            let mut f = lifecycle_fields(&a.lifecycle);
            touch(w, &mut f);
            w.update(Entity::Assignment, id.uuid(), f)
        })?;
        self.assignment_get(id)
    }

    /// Saves a new traslado as a draft.
    pub fn transfer_create(&self, input: &TransferInput) -> Result<Transfer> {
        let id = TransferId::new();
        self.write(|w| {
            let mut f = transfer_content(w, input)?;
            stamp_new(w, &mut f);
            w.insert(Entity::Transfer, id.uuid(), f)
        })?;
        self.transfer_get(id)
    }

    /// Replaces the content of a draft traslado.
    pub fn transfer_update(&self, id: TransferId, input: &TransferInput) -> Result<Transfer> {
        self.write(|w| {
            transfer(w.conn(), id)?
                .lifecycle
                .ensure_editable(TRASLADO)?;
            let mut f = transfer_content(w, input)?;
            touch(w, &mut f);
            w.update(Entity::Transfer, id.uuid(), f)
        })?;
        self.transfer_get(id)
    }

    /// One traslado.
    pub fn transfer_get(&self, id: TransferId) -> Result<Transfer> {
        self.read(|c| transfer(c, id))
    }

    /// Issues a draft traslado (numbered, frozen).
    pub fn transfer_issue(&self, id: TransferId) -> Result<Transfer> {
        self.write(|w| {
            let mut t = transfer(w.conn(), id)?;
            t.lifecycle.ensure_editable(TRASLADO)?;
            t.ensure_complete()?;
            recheck_transfer(w.conn(), &t)?;
            let year = lima_year(w.now());
            let seq = next_number(w, DocKind::Transfer, "transfer", year)?;
            let number = DocNumber {
                kind: DocKind::Transfer,
                unit_code: t.unit_code.clone(),
                year,
                seq,
            };
            t.lifecycle.issue(number, w.now(), TRASLADO)?;
            let mut f = lifecycle_fields(&t.lifecycle);
            touch(w, &mut f);
            w.update(Entity::Transfer, id.uuid(), f)
        })?;
        self.transfer_get(id)
    }

    /// Records the signatures: immutable, and the assets' site changes (same transaction).
    pub fn transfer_sign(&self, id: TransferId) -> Result<Transfer> {
        self.write(|w| {
            let mut t = transfer(w.conn(), id)?;
            t.lifecycle.sign(w.now(), TRASLADO)?;
            recheck_transfer(w.conn(), &t)?;
            for e in transfer_events(&t, w.now(), w.technician_id()) {
                append_event(w, &e)?;
            }
            let mut f = lifecycle_fields(&t.lifecycle);
            touch(w, &mut f);
            w.update(Entity::Transfer, id.uuid(), f)
        })?;
        self.transfer_get(id)
    }

    /// Annuls a draft or issued traslado with a reason; the number is kept.
    pub fn transfer_annul(&self, id: TransferId, reason: &str) -> Result<Transfer> {
        self.write(|w| {
            let mut t = transfer(w.conn(), id)?;
            t.lifecycle.annul(reason, w.now(), TRASLADO)?;
            let mut f = lifecycle_fields(&t.lifecycle);
            touch(w, &mut f);
            w.update(Entity::Transfer, id.uuid(), f)
        })?;
        self.transfer_get(id)
    }
}
