//! The asset register (*bienes patrimoniales*) and the documents that move assets between
//! people and sites: the cargo de asignación (seed 001, Anexo N° 2) and the traslado (seed 001,
//! act. 10).
//!
//! The decision this module rests on: **history is the truth**. An asset's custodian, site,
//! office and status are never edited by hand; they are a fold over its append-only
//! [`AssetEvent`]s ([`fold`]), and events are only appended when a document is signed (or when
//! the unit's official inventory is imported). A draft changes nothing. So the present can
//! always be explained by the documents that produced it.

mod assignment;
mod code;
mod event;
mod kind;
mod transfer;

pub use assignment::{Assignment, AssignmentInput, assignment_events, check_assignment};
pub use code::PatrimonialCode;
pub use event::{
    AssetEvent, AssetEventKind, AssetState, AssetStatus, DocRef, fold, last_operability,
};
pub(crate) use kind::coded_enum;
pub use kind::{AssetCondition, AssetKind, Operability};
pub use transfer::{Transfer, TransferInput, ValidTransfer, check_transfer, transfer_events};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{ErrorCode, Result, optional_text, required_text};
use crate::ids::{AssetId, PersonId};

/// Code for an asset that cannot take part in a document as asked (assigned to someone else,
/// in baja, not at the origin site).
pub const CODE_ASSET_UNAVAILABLE: ErrorCode = ErrorCode::BienNoDisponible;

/// An asset of the register, with its current custody (derived from its events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Asset {
    pub id: AssetId,
    pub unit_code: String,
    pub code: PatrimonialCode,
    /// *Denominación del bien* as in the SBN catalog (`UNIDAD CENTRAL DE PROCESO - CPU`).
    pub denomination: String,
    pub kind: AssetKind,
    pub brand: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub color: Option<String>,
    pub condition: AssetCondition,
    pub operability: Operability,
    #[ts(type = "string | null")]
    pub warranty_end: Option<NaiveDate>,
    /// Sede / local (*NOMBRE_LOCAL*). Derived from events.
    pub site: Option<String>,
    /// Órgano / unidad orgánica / oficina. Derived from events.
    pub office: Option<String>,
    /// The person who answers for it. Derived from events.
    pub custodian_id: Option<PersonId>,
    /// "APELLIDOS, Nombres" of the custodian, for lists.
    pub custodian_name: Option<String>,
    pub status: AssetStatus,
    /// In the UAST warehouse (derived: no custodian and not in baja).
    pub in_warehouse: bool,
    pub remarks: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the register form sends for a new asset (*alta*) or to edit its descriptive fields.
/// Custody (custodian, site, office) is only set at the alta; later it changes through
/// documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AssetInput {
    pub code: String,
    pub denomination: String,
    pub kind: AssetKind,
    pub brand: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub color: Option<String>,
    pub condition: AssetCondition,
    pub operability: Operability,
    #[ts(type = "string | null")]
    pub warranty_end: Option<NaiveDate>,
    pub remarks: Option<String>,
    /// Alta only: where it is and who holds it (none: it enters the warehouse).
    pub site: Option<String>,
    pub office: Option<String>,
    pub custodian_id: Option<PersonId>,
}

/// [`AssetInput`] after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidAsset {
    pub code: PatrimonialCode,
    pub denomination: String,
    pub kind: AssetKind,
    pub brand: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub color: Option<String>,
    pub condition: AssetCondition,
    pub operability: Operability,
    pub warranty_end: Option<NaiveDate>,
    pub remarks: Option<String>,
    pub site: Option<String>,
    pub office: Option<String>,
    pub custodian_id: Option<PersonId>,
}

/// Longest short text (brand, model, serial, color, site, office).
pub const SHORT_MAX: usize = 150;
/// Longest denomination or remark.
pub const LONG_MAX: usize = 500;

impl AssetInput {
    /// Validates every field; the first problem found is returned.
    pub fn validate(&self) -> Result<ValidAsset> {
        let short =
            |v: &Option<String>, f: &str, l: &str| optional_text(v.as_deref(), f, l, SHORT_MAX);
        Ok(ValidAsset {
            code: PatrimonialCode::parse(&self.code)?,
            denomination: required_text(
                &self.denomination,
                "denomination",
                "Denominación",
                LONG_MAX,
            )?,
            kind: self.kind,
            brand: short(&self.brand, "brand", "Marca")?,
            model: short(&self.model, "model", "Modelo")?,
            serial: short(&self.serial, "serial", "Serie")?,
            color: short(&self.color, "color", "Color")?,
            condition: self.condition,
            operability: self.operability,
            warranty_end: self.warranty_end,
            remarks: optional_text(
                self.remarks.as_deref(),
                "remarks",
                "Observaciones",
                LONG_MAX,
            )?,
            site: short(&self.site, "site", "Sede")?,
            office: short(&self.office, "office", "Oficina")?,
            custodian_id: self.custodian_id,
        })
    }
}

/// One row of a document's table: EQUIPO / MARCA / CÓDIGO SBN / OBSERVACIONES, copied from the
/// asset when the row is saved so the printed form does not change if the asset is later
/// edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DocItem {
    pub asset_id: AssetId,
    pub code: PatrimonialCode,
    /// EQUIPO: the asset's denomination.
    pub equipment: String,
    pub brand: Option<String>,
    pub remarks: Option<String>,
}

impl DocItem {
    /// The row as the form sends it.
    pub fn input(&self) -> DocItemInput {
        DocItemInput {
            asset_id: self.asset_id,
            remarks: self.remarks.clone(),
        }
    }
}

/// A row as the form sends it: which asset, and an optional remark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DocItemInput {
    pub asset_id: AssetId,
    pub remarks: Option<String>,
}

/// What the document rules need to know of an asset: its code, its present, and the
/// custodian's name for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetSnapshot {
    pub code: PatrimonialCode,
    pub state: AssetState,
    pub custodian_name: Option<String>,
}

/// A person as printed on a document: "APELLIDOS, Nombres", DNI and office.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonBrief {
    pub name: String,
    pub dni: Option<String>,
    pub office: Option<String>,
}
