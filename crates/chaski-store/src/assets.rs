//! The asset register and its documents: assets, their append-only history, cargos
//! de asignación, traslados, the monthly consolidated list for Patrimonio, and the asset page.
//!
//! The invariant this module keeps: the derived columns of `asset` (custodian, site, office,
//! status) are always the fold of the asset's `asset_event` rows (`chaski_core::asset::fold`).
//! Events are appended only by [`register`]'s `append_event`, which updates those columns in
//! the same transaction; a draft document appends nothing. See `docs/assets.md`.

mod consolidated;
pub(crate) mod documents;
mod register;

use chaski_core::asset::{Asset, AssetEvent};
use chaski_core::attention::Attention;
use chaski_core::document::DocStatus;
use chaski_core::ids::AssetId;
use chaski_core::numbering::{DocKind, format_number};
use chaski_core::person::full_name;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub use consolidated::{MonthlyMovements, MovementRow};
pub use register::{AssetFilter, AssetPage};

pub(crate) use register::{
    ASSET_SELECT as ASSET_SELECT_SQL, append_event, asset as asset_by_id, insert_asset,
    read_asset as read_asset_row, update_descriptive,
};

use crate::Store;
use crate::codec::{parse_id, parse_ts, parse_ts_opt};
use crate::error::{Result, StoreError};

/// A document as listed (on the asset's page, in the documents list).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DocSummary {
    pub kind: DocKind,
    #[ts(type = "string")]
    pub id: Uuid,
    /// `N° 007-2026`; none for a draft.
    pub number: Option<String>,
    pub status: DocStatus,
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// "Cargo de asignación — QUISPE, Ana" / "Traslado — Sede Cusco → Sede Sicuani".
    pub title: String,
    pub signed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// One entry of an asset's history, with the names a person reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AssetHistoryEntry {
    pub event: AssetEvent,
    pub custodian_name: Option<String>,
    pub technician_name: String,
}

/// Everything the asset's page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AssetDetail {
    pub asset: Asset,
    /// Oldest first.
    pub history: Vec<AssetHistoryEntry>,
    /// Every cargo, traslado and informe de baja that names the asset, newest first (drafts
    /// included).
    pub documents: Vec<DocSummary>,
    /// Attentions whose asset field holds the código patrimonial, newest first.
    pub attentions: Vec<Attention>,
}

/// Filter of the documents list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct DocFilter {
    pub kind: Option<DocKind>,
    pub status: Option<DocStatus>,
}

const SUMMARY_SQL: &str = "SELECT * FROM (\
SELECT 'assignment' AS kind, d.id, d.year, d.number, d.status, d.date, \
p.last_names AS part_a, p.first_names AS part_b, d.signed_at, d.created_at \
FROM assignment d JOIN person p ON p.id = d.person_id \
UNION ALL \
SELECT 'transfer', d.id, d.year, d.number, d.status, d.date, \
d.origin_site, d.destination_site, d.signed_at, d.created_at FROM transfer d \
UNION ALL \
SELECT 'decommission', d.id, d.year, d.number, d.status, d.date, \
CAST(json_array_length(d.items) AS TEXT), '', d.signed_at, d.created_at FROM decommission_report d)";

fn read_summaries(
    c: &Connection,
    where_sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<DocSummary>> {
    let sql = format!("{SUMMARY_SQL} {where_sql} ORDER BY created_at DESC LIMIT 1000");
    let mut st = c.prepare_cached(&sql)?;
    let mut rows = st.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(0)?;
        let year: Option<i32> = r.get(2)?;
        let number: Option<u32> = r.get(3)?;
        let status: String = r.get(4)?;
        let date: String = r.get(5)?;
        out.push(DocSummary {
            kind: match kind.as_str() {
                "transfer" => DocKind::Transfer,
                "decommission" => DocKind::Decommission,
                _ => DocKind::Assignment,
            },
            id: parse_id(&r.get::<_, String>(1)?)?,
            number: number.zip(year).map(|(n, y)| format_number(n, y)),
            status: DocStatus::parse(&status)
                .ok_or_else(|| StoreError::BadData("estado de documento".into()))?,
            date: NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                .map_err(|_| StoreError::BadData("fecha de documento".into()))?,
            // Built here, not in SQL: SQLite's upper() leaves "á" as is ("HUAMáN").
            title: {
                let (a, b): (String, String) = (r.get(6)?, r.get(7)?);
                if kind == "transfer" {
                    format!("Traslado — {a} → {b}")
                } else if kind == "decommission" {
                    format!("Informe técnico de baja — {a} bien(es)")
                } else {
                    format!("Cargo de asignación — {}", full_name(&a, &b))
                }
            },
            signed_at: parse_ts_opt(r.get(8)?)?,
            created_at: parse_ts(&r.get::<_, String>(9)?)?,
        });
    }
    Ok(out)
}

impl Store {
    /// The asset's page: the asset, its whole history, its documents and its attentions.
    pub fn asset_detail(&self, id: AssetId) -> Result<AssetDetail> {
        self.read(|c| {
            let asset = register::asset(c, id)?;
            let mut history = Vec::new();
            for e in register::events(c, id)? {
                let custodian_name = match e.custodian_id {
                    Some(p) => Some(crate::persons::person(c, p)?.full_name()),
                    None => None,
                };
                let technician_name = crate::persons::technician(c, e.technician_id)
                    .map(|t| t.full_name())
                    .unwrap_or_default();
                history.push(AssetHistoryEntry {
                    event: e,
                    custodian_name,
                    technician_name,
                });
            }
            let documents = read_summaries(
                c,
                "WHERE id IN (SELECT doc_id FROM asset_doc_link WHERE asset_id = ?1)",
                &[&id.to_string()],
            )?;
            let attentions = register::attentions_of(c, &asset.code)?;
            Ok(AssetDetail {
                asset,
                history,
                documents,
                attentions,
            })
        })
    }

    /// Cargos, traslados and informes técnicos de baja, newest first (at most 1,000).
    pub fn documents_list(&self, filter: &DocFilter) -> Result<Vec<DocSummary>> {
        let kind = filter.kind.map(|k| k.code().to_string());
        let status = filter.status.map(|s| s.code().to_string());
        self.read(|c| {
            read_summaries(
                c,
                "WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR status = ?2)",
                &[&kind, &status],
            )
        })
    }
}
