//! Diagnostics: insert-only rows; each one appends the asset event of its result.

use chaski_core::asset::{AssetKind, Operability, PatrimonialCode};
use chaski_core::error::Error as DomainError;
use chaski_core::ids::{AssetId, DiagnosticId};
use chaski_core::operations::decommission::DiagnosticBrief;
use chaski_core::operations::diagnostic::{
    Diagnostic, DiagnosticAsset, DiagnosticInput, ItOfficeMove, Recommendation, WarrantyStatus,
    operability_event,
};
use chaski_core::time::lima_date;
use rusqlite::{Connection, OptionalExtension, Row};

use super::{bad, coded, date_text, from_json, opt_id, to_json};
use crate::assets::documents::{parse_date, technician_brief};
use crate::assets::{append_event, asset_by_id};
use crate::codec::{parse_id, parse_ts, ts};
use crate::error::Result;
use crate::write::Entity;
use crate::{Store, fields};

const SELECT: &str = "SELECT d.id, d.unit_code, d.asset_id, a.code, a.kind, a.denomination, a.brand, a.model, a.serial, \
d.date, d.attention_id, d.technician_id, d.symptoms, d.checks, d.findings, d.parts_needed, d.warranty, d.warranty_end, \
d.warranty_contact, d.time_spent_minutes, d.estimated_minutes, d.it_office_proposed, d.moved_to_it_office, d.stay_reason, \
d.result, d.recommendation, d.format, d.corrects_id, d.correction_reason, \
(SELECT c.id FROM diagnostic c WHERE c.corrects_id = d.id ORDER BY c.created_at, c.id LIMIT 1), d.created_at \
FROM diagnostic d JOIN asset a ON a.id = d.asset_id";

fn read(c: &Connection, r: &Row<'_>) -> Result<Diagnostic> {
    let technician_id = parse_id(&r.get::<_, String>(11)?)?;
    let format: Option<String> = r.get(26)?;
    let warranty_end: Option<String> = r.get(17)?;
    Ok(Diagnostic {
        id: parse_id(&r.get::<_, String>(0)?)?,
        unit_code: r.get(1)?,
        asset_id: parse_id(&r.get::<_, String>(2)?)?,
        asset_code: PatrimonialCode::parse(&r.get::<_, String>(3)?).map_err(|_| bad("código"))?,
        asset_kind: coded(&r.get::<_, String>(4)?, AssetKind::parse, "tipo de bien")?,
        equipment: r.get(5)?,
        brand: r.get(6)?,
        model: r.get(7)?,
        serial: r.get(8)?,
        date: parse_date(&r.get::<_, String>(9)?)?,
        attention_id: opt_id(r, 10)?,
        technician_id,
        technician: technician_brief(c, technician_id)?,
        symptoms: r.get(12)?,
        checks: from_json(&r.get::<_, String>(13)?, "pruebas")?,
        findings: r.get(14)?,
        parts_needed: r.get(15)?,
        warranty: coded(&r.get::<_, String>(16)?, WarrantyStatus::parse, "garantía")?,
        warranty_end: warranty_end.as_deref().map(parse_date).transpose()?,
        warranty_contact: r.get(18)?,
        time_spent_minutes: r.get(19)?,
        estimated_minutes: r.get(20)?,
        it_office: ItOfficeMove {
            proposed: r.get(21)?,
            moved: r.get(22)?,
            stay_reason: r.get(23)?,
        },
        result: coded(&r.get::<_, String>(24)?, Operability::parse, "resultado")?,
        recommendation: coded(
            &r.get::<_, String>(25)?,
            Recommendation::parse,
            "recomendación",
        )?,
        format: format
            .as_deref()
            .map(|f| from_json(f, "formateo"))
            .transpose()?,
        corrects: opt_id(r, 27)?,
        correction_reason: r.get(28)?,
        corrected_by: opt_id(r, 29)?,
        created_at: parse_ts(&r.get::<_, String>(30)?)?,
    })
}

fn query(c: &Connection, where_sql: &str, param: &str) -> Result<Vec<Diagnostic>> {
    let mut st = c.prepare_cached(&format!("{SELECT} {where_sql}"))?;
    let mut rows = st.query([param])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(read(c, r)?);
    }
    Ok(out)
}

pub(crate) fn diagnostic(c: &Connection, id: DiagnosticId) -> Result<Diagnostic> {
    query(c, "WHERE d.id = ?1", &id.to_string())?
        .pop()
        .ok_or_else(|| DomainError::not_found("el diagnóstico").into())
}

/// The asset's latest diagnostic (by the order they were recorded), if any.
pub(crate) fn latest(c: &Connection, asset: AssetId) -> Result<Option<DiagnosticBrief>> {
    let row: Option<(String, String, String, String)> = c
        .prepare_cached(
            "SELECT id, date, result, findings FROM diagnostic WHERE asset_id = ?1 \
             ORDER BY created_at DESC, id DESC LIMIT 1",
        )?
        .query_row([asset.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    row.map(|(id, date, result, findings)| {
        Ok(DiagnosticBrief {
            id: parse_id(&id)?,
            date: parse_date(&date)?,
            result: coded(&result, Operability::parse, "resultado")?,
            findings,
        })
    })
    .transpose()
}

impl Store {
    /// Records a diagnostic (insert-only) and, in the same transaction, the asset event of its
    /// result, which sets the asset's operability. A correction names the asset's latest
    /// diagnostic in `corrects`.
    pub fn diagnostic_create(&self, input: &DiagnosticInput) -> Result<Diagnostic> {
        let id = DiagnosticId::new();
        self.write(|w| {
            let c = w.conn();
            let a = asset_by_id(c, input.asset_id)?;
            let facts = DiagnosticAsset {
                code: a.code.clone(),
                kind: a.kind,
                status: a.status,
                warranty_end: a.warranty_end,
                latest_diagnostic: latest(c, a.id)?.map(|d| d.id),
            };
            let v = input.validate(&facts, lima_date(w.now()))?;
            if let Some(att) = input.attention_id {
                crate::attentions::attention(c, att)?;
            }
            let now = ts(w.now());
            let by = w.technician_id().to_string();
            let f = fields! {
                "unit_code" => w.unit_code(),
                "asset_id" => a.id.to_string(),
                "date" => date_text(input.date),
                "attention_id" => input.attention_id.map(|x| x.to_string()),
                "technician_id" => by,
                "symptoms" => v.symptoms,
                "checks" => to_json(&v.checks)?,
                "findings" => v.findings,
                "parts_needed" => v.parts_needed,
                "warranty" => v.warranty.code(),
                "warranty_end" => a.warranty_end.map(date_text),
                "warranty_contact" => v.warranty_contact,
                "time_spent_minutes" => input.time_spent_minutes,
                "estimated_minutes" => input.estimated_minutes,
                "it_office_proposed" => v.it_office.proposed,
                "moved_to_it_office" => v.it_office.moved,
                "stay_reason" => v.it_office.stay_reason,
                "result" => input.result.code(),
                "recommendation" => input.recommendation.code(),
                "format" => v.format.as_ref().map(to_json).transpose()?,
                "corrects_id" => input.corrects.map(|x| x.to_string()),
                "correction_reason" => v.correction_reason,
                "created_at" => now,
                "created_by" => by,
            };
            w.insert(Entity::Diagnostic, id.uuid(), f)?;
            let e = operability_event(
                id,
                a.id,
                input.result,
                input.recommendation,
                w.now(),
                w.technician_id(),
            );
            append_event(w, &e)
        })?;
        self.diagnostic_get(id)
    }

    /// One diagnostic, with what the ficha técnica prints.
    pub fn diagnostic_get(&self, id: DiagnosticId) -> Result<Diagnostic> {
        self.read(|c| diagnostic(c, id))
    }

    /// The diagnostics of an asset, newest first (corrected ones included, marked by
    /// `corrected_by`).
    pub fn diagnostics_of_asset(&self, asset: AssetId) -> Result<Vec<Diagnostic>> {
        self.read(|c| {
            query(
                c,
                "WHERE d.asset_id = ?1 ORDER BY d.created_at DESC, d.id DESC",
                &asset.to_string(),
            )
        })
    }
}
