//! Hardware operations: diagnostics, informes técnicos de baja, maintenance plans
//! and records, escalations to third-party providers, warehouse reviews. Schema in
//! `migrations/client/0030_operations.sql` and `0035_warehouse_review.sql`; rules in `chaski_core::operations`.
//!
//! As everywhere in this crate, each call loads the present inside one writing transaction,
//! asks the core, and writes exactly what the core returns through the [`crate::Writer`] (so
//! every record also lands in the outbox). The asset's history is touched only through
//! `assets::append_event`: a diagnostic appends an `operativo` / `inoperativo` event (which
//! also sets `asset.operability`), a signed informe de baja appends one `baja_propuesta` per
//! asset. See `docs/operations.md`.

mod decommission;
mod diagnostics;
mod escalations;
mod maintenance;
mod warehouse;

pub use escalations::ProviderEscalationFilter;
pub use maintenance::{MaintenanceCalendarEntry, MaintenanceFilter, plan_id};

use chrono::NaiveDate;
use rusqlite::Row;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::codec::parse_id;
use crate::error::{Result, StoreError};

fn bad(what: &str) -> StoreError {
    StoreError::BadData(format!("operaciones: {what}"))
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| bad(&e.to_string()))
}

fn from_json<T: DeserializeOwned>(s: &str, what: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|_| bad(what))
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn opt_id<T: From<uuid::Uuid>>(r: &Row<'_>, i: usize) -> Result<Option<T>> {
    r.get::<_, Option<String>>(i)?
        .as_deref()
        .map(parse_id)
        .transpose()
}

fn coded<T>(s: &str, parse: fn(&str) -> Option<T>, what: &str) -> Result<T> {
    parse(s).ok_or_else(|| bad(what))
}
