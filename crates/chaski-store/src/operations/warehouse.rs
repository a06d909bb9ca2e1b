//! The warehouse review (seed 001 act. 17–18): the stock with its operability and last
//! diagnostic, insert-only reviews that mark obsolete assets, and "Proponer baja", which turns
//! a review's marks into a draft informe técnico de baja in the same transaction.

use chaski_core::asset::AssetStatus;
use chaski_core::ids::{AssetId, DecommissionReportId, WarehouseReviewId};
use chaski_core::operations::decommission::DecommissionReport;
use chaski_core::operations::warehouse::{
    ReviewCandidate, WHAT, WarehouseEntry, WarehouseReview, WarehouseReviewInput,
    WarehouseReviewItem, check_review, proposal_from_review,
};
use chaski_core::time::lima_date;
use rusqlite::{Connection, OptionalExtension};

use super::decommission::{candidate, insert_draft};
use super::diagnostics::latest;
use super::{date_text, from_json, to_json};
use crate::assets::asset_by_id;
use crate::assets::documents::{parse_date, technician_brief};
use crate::codec::{parse_id, parse_ts, ts};
use crate::error::Result;
use crate::write::Entity;
use crate::{Store, fields};

/// Largest stock listed at once (a unit's warehouse holds tens, rarely hundreds).
const MAX_STOCK: u32 = 2000;

const SELECT: &str =
    "SELECT id, unit_code, date, technician_id, items, remarks, created_at FROM warehouse_review";

fn review_rows(
    c: &Connection,
    where_sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<WarehouseReview>> {
    let mut st = c.prepare_cached(&format!("{SELECT} {where_sql}"))?;
    let mut rows = st.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let technician_id = parse_id(&r.get::<_, String>(3)?)?;
        out.push(WarehouseReview {
            id: parse_id(&r.get::<_, String>(0)?)?,
            unit_code: r.get(1)?,
            date: parse_date(&r.get::<_, String>(2)?)?,
            technician_id,
            technician: technician_brief(c, technician_id)?,
            items: from_json(&r.get::<_, String>(4)?, "filas de la revisión")?,
            remarks: r.get(5)?,
            created_at: parse_ts(&r.get::<_, String>(6)?)?,
        });
    }
    Ok(out)
}

fn review(c: &Connection, id: WarehouseReviewId) -> Result<WarehouseReview> {
    review_rows(c, "WHERE id = ?1", &[&id.to_string()])?
        .pop()
        .ok_or_else(|| chaski_core::Error::not_found(WHAT).into())
}

/// The latest review that covered `asset`: its day and whether it was found obsolete.
fn last_review(c: &Connection, asset: AssetId) -> Result<Option<(String, bool)>> {
    Ok(c.prepare_cached(
        "SELECT r.date, json_extract(j.value, '$.obsolete') FROM warehouse_review r, json_each(r.items) j \
         WHERE json_extract(j.value, '$.asset_id') = ?1 ORDER BY r.date DESC, r.created_at DESC LIMIT 1",
    )?
    .query_row([asset.to_string()], |r| Ok((r.get(0)?, r.get::<_, bool>(1)?)))
    .optional()?)
}

impl Store {
    /// The assets in the warehouse (not assigned, not in baja), by código patrimonial, with
    /// operability, last diagnostic, a signed baja proposal if any, and the last review.
    pub fn warehouse_stock(&self) -> Result<Vec<WarehouseEntry>> {
        self.read(|c| {
            let ids: Vec<String> = c
                .prepare_cached("SELECT id FROM asset WHERE status = ?1 ORDER BY code LIMIT ?2")?
                .query_map(
                    rusqlite::params![AssetStatus::EnAlmacen.code(), MAX_STOCK],
                    |r| r.get(0),
                )?
                .collect::<rusqlite::Result<_>>()?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                let a = asset_by_id(c, parse_id(&id)?)?;
                let proposed = candidate(c, a.id)?.and_then(|x| x.proposed_in);
                let reviewed = last_review(c, a.id)?;
                out.push(WarehouseEntry {
                    asset_id: a.id,
                    last_diagnostic: latest(c, a.id)?,
                    code: a.code,
                    denomination: a.denomination,
                    kind: a.kind,
                    brand: a.brand,
                    model: a.model,
                    serial: a.serial,
                    condition: a.condition,
                    operability: a.operability,
                    proposed_in: proposed.map(|(_, number)| number),
                    last_review_date: reviewed.as_ref().map(|(d, _)| parse_date(d)).transpose()?,
                    last_review_obsolete: reviewed.map(|(_, o)| o),
                });
            }
            Ok(out)
        })
    }

    /// Records a review of the warehouse (insert-only): each row copies the asset's
    /// operability and last diagnostic on that day.
    pub fn warehouse_review_create(&self, input: &WarehouseReviewInput) -> Result<WarehouseReview> {
        let id = WarehouseReviewId::new();
        self.write(|w| {
            let c = w.conn();
            let mut cands = std::collections::HashMap::new();
            for it in &input.items {
                if let Some(x) = candidate(c, it.asset_id)? {
                    cands.insert(
                        it.asset_id,
                        ReviewCandidate {
                            code: x.code,
                            status: x.status,
                            last_diagnostic: x.last_diagnostic,
                        },
                    );
                }
            }
            let v = check_review(input, lima_date(w.now()), &|id| cands.get(&id).cloned())?;
            let mut items = Vec::with_capacity(input.items.len());
            for (it, remarks) in input.items.iter().zip(v.item_remarks) {
                let a = asset_by_id(c, it.asset_id)?;
                items.push(WarehouseReviewItem {
                    asset_id: a.id,
                    code: a.code,
                    equipment: a.denomination,
                    operability: a.operability,
                    last_diagnostic: cands.get(&a.id).and_then(|x| x.last_diagnostic.clone()),
                    obsolete: it.obsolete,
                    remarks,
                });
            }
            let by = w.technician_id().to_string();
            let f = fields! {
                "unit_code" => w.unit_code(),
                "date" => date_text(input.date),
                "technician_id" => by,
                "items" => to_json(&items)?,
                "remarks" => v.remarks,
                "created_at" => ts(w.now()),
                "created_by" => by,
            };
            w.insert(Entity::WarehouseReview, id.uuid(), f)
        })?;
        self.warehouse_review_get(id)
    }

    /// One review.
    pub fn warehouse_review_get(&self, id: WarehouseReviewId) -> Result<WarehouseReview> {
        self.read(|c| review(c, id))
    }

    /// Reviews, newest first (at most 200).
    pub fn warehouse_reviews(&self) -> Result<Vec<WarehouseReview>> {
        self.read(|c| review_rows(c, "ORDER BY date DESC, created_at DESC LIMIT 200", &[]))
    }

    /// "Proponer baja": a draft informe técnico de baja (today, Lima) with the review's obsolete
    /// assets that are still in the register and not proposed in a signed informe, causal O.
    /// Refused (`bien_no_disponible`) when none is left to propose.
    pub fn decommission_from_review(&self, id: WarehouseReviewId) -> Result<DecommissionReport> {
        let report: DecommissionReportId = self.write(|w| {
            let c = w.conn();
            let r = review(c, id)?;
            let mut open = std::collections::HashSet::new();
            for it in r.items.iter().filter(|i| i.obsolete) {
                if let Some(x) = candidate(c, it.asset_id)?
                    && x.status != AssetStatus::DeBaja
                    && x.proposed_in.is_none()
                {
                    open.insert(it.asset_id);
                }
            }
            let input = proposal_from_review(&r, lima_date(w.now()), &|a| open.contains(&a))
                .ok_or_else(|| {
                    chaski_core::Error::field(
                        chaski_core::asset::CODE_ASSET_UNAVAILABLE,
                        "review",
                        if r.obsolete_count() == 0 {
                            "Esta revisión no marcó ningún bien como obsoleto: no hay baja que proponer."
                        } else {
                            "Los bienes obsoletos de esta revisión ya fueron propuestos para la baja en un informe firmado o ya están de baja."
                        },
                    )
                })?;
            insert_draft(w, &input)
        })?;
        self.decommission_get(report)
    }
}
