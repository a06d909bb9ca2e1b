//! Reference data seeded by the migrations: units, service catalog, priorities, escalation
//! levels, channels, kinds, statuses.

use chaski_core::Error as DomainError;
use chaski_core::catalog::{CatalogEntry, LevelEntry, Service, ServiceCategory};
use chaski_core::unit::{Unit, UnitKind};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Store;
use crate::error::{Result, StoreError};

/// Everything the forms' selects need, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReferenceData {
    pub units: Vec<Unit>,
    pub service_categories: Vec<ServiceCategory>,
    pub services: Vec<Service>,
    pub priorities: Vec<LevelEntry>,
    pub escalation_levels: Vec<LevelEntry>,
    pub channels: Vec<CatalogEntry>,
    pub kinds: Vec<CatalogEntry>,
    pub statuses: Vec<CatalogEntry>,
}

fn unit_kind(s: &str) -> Result<UnitKind> {
    match s {
        "sede_central" => Ok(UnitKind::SedeCentral),
        "unidad_territorial" => Ok(UnitKind::UnidadTerritorial),
        other => Err(StoreError::BadData(format!("tipo de unidad «{other}»"))),
    }
}

pub(crate) fn units(c: &Connection) -> Result<Vec<Unit>> {
    let mut stmt = c.prepare_cached("SELECT code, name, kind FROM unit ORDER BY sort, name")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    rows.map(|row| {
        let (code, name, kind) = row?;
        Ok(Unit {
            code,
            name,
            kind: unit_kind(&kind)?,
        })
    })
    .collect()
}

pub(crate) fn unit(c: &Connection, code: &str) -> Result<Unit> {
    let row: Option<(String, String, String)> = c
        .query_row(
            "SELECT code, name, kind FROM unit WHERE code = ?1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (code, name, kind) = row.ok_or_else(|| DomainError::not_found("la unidad"))?;
    Ok(Unit {
        code,
        name,
        kind: unit_kind(&kind)?,
    })
}

fn entries(c: &Connection, table: &str) -> Result<Vec<CatalogEntry>> {
    let mut stmt = c.prepare(&format!(
        "SELECT code, name, description FROM {table} ORDER BY sort"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok(CatalogEntry {
            code: r.get(0)?,
            name: r.get(1)?,
            description: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn levels(c: &Connection, table: &str) -> Result<Vec<LevelEntry>> {
    let mut stmt = c.prepare(&format!(
        "SELECT level, name, description FROM {table} ORDER BY level"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok(LevelEntry {
            level: r.get(0)?,
            name: r.get(1)?,
            description: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn reference_data(c: &Connection) -> Result<ReferenceData> {
    let mut stmt = c.prepare("SELECT code, name FROM service_category ORDER BY sort")?;
    let service_categories = stmt
        .query_map([], |r| {
            Ok(ServiceCategory {
                code: r.get(0)?,
                name: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = c.prepare(
        "SELECT s.code, s.category_code, s.name, s.description FROM service s JOIN service_category c ON c.code = s.category_code ORDER BY c.sort, s.sort",
    )?;
    let services = stmt
        .query_map([], |r| {
            Ok(Service {
                code: r.get(0)?,
                category_code: r.get(1)?,
                name: r.get(2)?,
                description: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ReferenceData {
        units: units(c)?,
        service_categories,
        services,
        priorities: levels(c, "priority")?,
        escalation_levels: levels(c, "escalation_level")?,
        channels: entries(c, "channel")?,
        kinds: entries(c, "attention_kind")?,
        statuses: entries(c, "attention_status")?,
    })
}

impl Store {
    /// Units, catalog and the fixed lists, for the forms.
    pub fn reference_data(&self) -> Result<ReferenceData> {
        self.read(reference_data)
    }
}
