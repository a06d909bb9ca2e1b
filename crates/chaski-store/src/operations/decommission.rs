//! Informes técnicos de baja: drafts, issue (numbering per unit and year), signature (appends a
//! "baja propuesta" event per asset, same transaction), annulment.

use std::collections::HashMap;

use chaski_core::document::{DocStatus, Lifecycle};
use chaski_core::error::optional_text;
use chaski_core::ids::{AssetId, DecommissionReportId};
use chaski_core::numbering::{DocKind, DocNumber};
use chaski_core::operations::decommission::{
    DecommissionCandidate, DecommissionItem, DecommissionItemInput, DecommissionReport,
    DecommissionReportInput, WHAT, check_decommission, decommission_events,
};
use chaski_core::time::{lima_date, lima_year};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};

use super::diagnostics::latest;
use super::{date_text, from_json, opt_id, to_json};
use crate::assets::documents::{
    check_corrects, lifecycle, lifecycle_fields, next_number, number_text, parse_date, stamp_new,
    technician_brief, touch,
};
use crate::assets::{append_event, asset_by_id};
use crate::codec::{parse_id, parse_ts};
use crate::error::{Result, StoreError};
use crate::write::{Entity, Writer};
use crate::{Store, fields};

const TABLE: &str = "decommission_report";

const SELECT: &str = "SELECT id, unit_code, status, year, number, issued_at, signed_at, annulled_at, annul_reason, \
date, items, justification, chief_name, chief_position, technician_id, corrects_id, created_at, updated_at \
FROM decommission_report";

pub(crate) fn report(c: &Connection, id: DecommissionReportId) -> Result<DecommissionReport> {
    let mut st = c.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
    let mut rows = st.query([id.to_string()])?;
    let Some(r) = rows.next()? else {
        return Err(chaski_core::Error::not_found(WHAT).into());
    };
    let unit: String = r.get(1)?;
    let technician_id = parse_id(&r.get::<_, String>(14)?)?;
    let corrects: Option<String> = r.get(15)?;
    Ok(DecommissionReport {
        id: parse_id(&r.get::<_, String>(0)?)?,
        lifecycle: lifecycle(r, 2, DocKind::Decommission, &unit)?,
        unit_code: unit,
        date: parse_date(&r.get::<_, String>(9)?)?,
        items: from_json(&r.get::<_, String>(10)?, "filas del informe")?,
        justification: r.get(11)?,
        chief_name: r.get(12)?,
        chief_position: r.get(13)?,
        technician_id,
        technician: technician_brief(c, technician_id)?,
        corrects: opt_id(r, 15)?,
        corrects_number: number_text(c, TABLE, corrects)?,
        created_at: parse_ts(&r.get::<_, String>(16)?)?,
        updated_at: parse_ts(&r.get::<_, String>(17)?)?,
    })
}

/// The present of an asset as the baja rules need it (none: it does not exist).
pub(super) fn candidate(c: &Connection, id: AssetId) -> Result<Option<DecommissionCandidate>> {
    let a = match asset_by_id(c, id) {
        Ok(a) => a,
        Err(StoreError::Domain(e)) if e.code == chaski_core::ErrorCode::NoEncontrado => {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let proposed: Option<(String, Option<String>)> = c
        .prepare_cached(
            "SELECT doc_id, doc_number FROM asset_event WHERE asset_id = ?1 AND kind = 'baja_propuesta' \
             ORDER BY at DESC, id DESC LIMIT 1",
        )?
        .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(Some(DecommissionCandidate {
        code: a.code,
        status: a.status,
        last_diagnostic: latest(c, id)?,
        proposed_in: proposed
            .map(|(doc, number)| Ok::<_, StoreError>((parse_id(&doc)?, number.unwrap_or_default())))
            .transpose()?,
    }))
}

fn check(
    c: &Connection,
    items: &[DecommissionItemInput],
    corrects: Option<DecommissionReportId>,
) -> Result<HashMap<AssetId, DecommissionCandidate>> {
    let mut cands = HashMap::new();
    for it in items {
        if !cands.contains_key(&it.asset_id)
            && let Some(cand) = candidate(c, it.asset_id)?
        {
            cands.insert(it.asset_id, cand);
        }
    }
    check_decommission(items, corrects, &|id| cands.get(&id).cloned())?;
    Ok(cands)
}

fn content(w: &Writer<'_>, input: &DecommissionReportInput) -> Result<Map<String, Value>> {
    let c = w.conn();
    let v = input.validate(lima_date(w.now()))?;
    let cands = check(c, &input.items, input.corrects)?;
    check_corrects(
        c,
        TABLE,
        input.corrects.map(|i| i.to_string()),
        "el informe que se corrige",
    )?;
    let mut items = Vec::with_capacity(input.items.len());
    for it in &input.items {
        let a = asset_by_id(c, it.asset_id)?;
        items.push(DecommissionItem {
            asset_id: a.id,
            code: a.code,
            equipment: a.denomination,
            brand: a.brand,
            model: a.model,
            serial: a.serial,
            condition: a.condition,
            cause: it.cause,
            last_diagnostic: cands
                .get(&it.asset_id)
                .and_then(|x| x.last_diagnostic.clone()),
            remarks: optional_text(it.remarks.as_deref(), "items", "Observaciones", 200)?,
        });
    }
    Ok(fields! {
        "date" => date_text(input.date),
        "items" => to_json(&items)?,
        "justification" => v.justification,
        "chief_name" => v.chief_name,
        "chief_position" => v.chief_position,
        "corrects_id" => input.corrects.map(|i| i.to_string()),
    })
}

fn save_lifecycle(w: &mut Writer<'_>, id: DecommissionReportId, l: &Lifecycle) -> Result<()> {
    let mut f = lifecycle_fields(l);
    touch(w, &mut f);
    w.update(Entity::DecommissionReport, id.uuid(), f)
}

/// Inserts a new draft report (inside a write of the caller).
pub(super) fn insert_draft(
    w: &mut Writer<'_>,
    input: &DecommissionReportInput,
) -> Result<DecommissionReportId> {
    let id = DecommissionReportId::new();
    let mut f = content(w, input)?;
    stamp_new(w, &mut f);
    w.insert(Entity::DecommissionReport, id.uuid(), f)?;
    Ok(id)
}

impl Store {
    /// Saves a new informe técnico de baja as a draft (no number, no effect).
    pub fn decommission_create(
        &self,
        input: &DecommissionReportInput,
    ) -> Result<DecommissionReport> {
        let id = self.write(|w| insert_draft(w, input))?;
        self.decommission_get(id)
    }

    /// Replaces the content of a draft. Refused once issued.
    pub fn decommission_update(
        &self,
        id: DecommissionReportId,
        input: &DecommissionReportInput,
    ) -> Result<DecommissionReport> {
        self.write(|w| {
            report(w.conn(), id)?.lifecycle.ensure_editable(WHAT)?;
            let mut f = content(w, input)?;
            touch(w, &mut f);
            w.update(Entity::DecommissionReport, id.uuid(), f)
        })?;
        self.decommission_get(id)
    }

    /// One report, with everything its printed form needs.
    pub fn decommission_get(&self, id: DecommissionReportId) -> Result<DecommissionReport> {
        self.read(|c| report(c, id))
    }

    /// Issues a draft: the next N° of the unit for the (Lima) year; frozen from now on.
    pub fn decommission_issue(&self, id: DecommissionReportId) -> Result<DecommissionReport> {
        self.write(|w| {
            let mut r = report(w.conn(), id)?;
            r.lifecycle.ensure_editable(WHAT)?;
            r.ensure_complete()?;
            check(w.conn(), &r.inputs(), r.corrects)?;
            let year = lima_year(w.now());
            let seq = next_number(w, DocKind::Decommission, TABLE, year)?;
            let number = DocNumber {
                kind: DocKind::Decommission,
                unit_code: r.unit_code.clone(),
                year,
                seq,
            };
            r.lifecycle.issue(number, w.now(), WHAT)?;
            save_lifecycle(w, id, &r.lifecycle)
        })?;
        self.decommission_get(id)
    }

    /// Records the signatures (technician and head of the unit): immutable, and every asset
    /// gets a "baja propuesta" event in the same transaction.
    pub fn decommission_sign(&self, id: DecommissionReportId) -> Result<DecommissionReport> {
        self.write(|w| {
            let mut r = report(w.conn(), id)?;
            r.lifecycle.sign(w.now(), WHAT)?;
            check(w.conn(), &r.inputs(), r.corrects)?;
            for e in decommission_events(&r, w.now(), w.technician_id()) {
                append_event(w, &e)?;
            }
            save_lifecycle(w, id, &r.lifecycle)
        })?;
        self.decommission_get(id)
    }

    /// Annuls a draft or issued report with a reason; its number is kept and never reused.
    pub fn decommission_annul(
        &self,
        id: DecommissionReportId,
        reason: &str,
    ) -> Result<DecommissionReport> {
        self.write(|w| {
            let mut r = report(w.conn(), id)?;
            r.lifecycle.annul(reason, w.now(), WHAT)?;
            save_lifecycle(w, id, &r.lifecycle)
        })?;
        self.decommission_get(id)
    }

    /// Reports, newest first (at most 1,000), optionally of one status.
    pub fn decommission_list(&self, status: Option<DocStatus>) -> Result<Vec<DecommissionReport>> {
        self.read(|c| {
            let ids: Vec<String> = c
                .prepare_cached(
                    "SELECT id FROM decommission_report WHERE (?1 IS NULL OR status = ?1) \
                     ORDER BY created_at DESC LIMIT 1000",
                )?
                .query_map([status.map(|s| s.code())], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids.iter().map(|i| report(c, parse_id(i)?)).collect()
        })
    }
}
