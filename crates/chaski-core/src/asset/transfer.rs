//! The traslado de equipos between sites (seed 001, act. 10): which assets leave which site for
//! which other, why, who hands them over and who receives them. Same lifecycle as the cargo;
//! signing moves the assets' site and keeps their custodian.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::event::{AssetEvent, AssetEventKind, AssetStatus, DocRef};
use super::{
    AssetSnapshot, CODE_ASSET_UNAVAILABLE, DocItem, DocItemInput, LONG_MAX, PersonBrief, SHORT_MAX,
};
use crate::document::Lifecycle;
use crate::error::{Error, ErrorCode, Result, required_text};
use crate::ids::{AssetEventId, AssetId, PersonId, TechnicianId, TransferId};
use crate::numbering::DocKind;
use crate::text::fold;

/// What the traslado form sends (create or edit a draft).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TransferInput {
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub origin_site: String,
    pub destination_site: String,
    #[serde(default)]
    pub items: Vec<DocItemInput>,
    pub reason: String,
    /// Who hands the assets over at the origin.
    pub handed_by: Option<PersonId>,
    /// Who receives them at the destination.
    pub received_by: Option<PersonId>,
    pub corrects: Option<TransferId>,
}

/// A traslado, with everything its printed form needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Transfer {
    pub id: TransferId,
    pub unit_code: String,
    pub lifecycle: Lifecycle,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub origin_site: String,
    pub destination_site: String,
    pub items: Vec<DocItem>,
    pub reason: String,
    pub handed_by: Option<PersonId>,
    /// Who hands over, as printed (name, DNI, office).
    pub handed_by_person: Option<PersonBrief>,
    pub received_by: Option<PersonId>,
    pub received_by_person: Option<PersonBrief>,
    pub technician_id: TechnicianId,
    pub technician: PersonBrief,
    pub corrects: Option<TransferId>,
    pub corrects_number: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Validated header of a [`TransferInput`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidTransfer {
    pub origin_site: String,
    pub destination_site: String,
    pub reason: String,
}

impl TransferInput {
    /// Checks the header fields (sites, reason).
    pub fn validate(&self) -> Result<ValidTransfer> {
        let origin_site = required_text(
            &self.origin_site,
            "origin_site",
            "Sede de origen",
            SHORT_MAX,
        )?;
        let destination_site = required_text(
            &self.destination_site,
            "destination_site",
            "Sede de destino",
            SHORT_MAX,
        )?;
        if fold(&origin_site) == fold(&destination_site) {
            return Err(Error::field(
                ErrorCode::ValorInvalido,
                "destination_site",
                "La sede de destino es la misma que la de origen: elija otra sede.",
            ));
        }
        let reason = required_text(&self.reason, "reason", "Motivo del traslado", LONG_MAX)?;
        Ok(ValidTransfer {
            origin_site,
            destination_site,
            reason,
        })
    }
}

/// Checks the rows of a traslado from `origin_site` against the present of each asset.
pub fn check_transfer(
    origin_site: &str,
    items: &[DocItemInput],
    lookup: &dyn Fn(AssetId) -> Option<AssetSnapshot>,
) -> Result<()> {
    let origin = fold(origin_site);
    for (i, it) in items.iter().enumerate() {
        let s = lookup(it.asset_id)
            .ok_or_else(|| Error::not_found("uno de los bienes del traslado"))?;
        if items[..i].iter().any(|o| o.asset_id == it.asset_id) {
            return Err(Error::field(
                ErrorCode::ValorInvalido,
                "items",
                format!(
                    "El bien {} figura dos veces: quite una de las filas.",
                    s.code
                ),
            ));
        }
        if s.state.status == AssetStatus::DeBaja {
            return Err(Error::field(
                CODE_ASSET_UNAVAILABLE,
                "items",
                format!(
                    "El bien {} está dado de baja y no puede trasladarse.",
                    s.code
                ),
            ));
        }
        let here = s.state.site.as_deref().map(fold);
        if here.as_deref() != Some(origin.as_str()) {
            let site = s.state.site.as_deref().unwrap_or("sin sede registrada");
            return Err(Error::field(
                CODE_ASSET_UNAVAILABLE,
                "items",
                format!(
                    "El bien {} está registrado en «{site}», no en la sede de origen «{}»: quítelo o corrija la sede de origen.",
                    s.code,
                    origin_site.trim()
                ),
            ));
        }
    }
    Ok(())
}

impl Transfer {
    /// Refuses to issue a traslado without rows.
    pub fn ensure_complete(&self) -> Result<()> {
        if self.items.is_empty() {
            return Err(Error::field(
                ErrorCode::CampoRequerido,
                "items",
                "El traslado no tiene bienes: agregue al menos uno.",
            ));
        }
        Ok(())
    }
}

/// The events that signing `t` appends: one traslado per asset, to the destination site.
pub fn transfer_events(
    t: &Transfer,
    at: DateTime<Utc>,
    technician: TechnicianId,
) -> Vec<AssetEvent> {
    let doc = DocRef::to_document(DocKind::Transfer, t.id.uuid(), &t.lifecycle);
    t.items
        .iter()
        .map(|it| AssetEvent {
            id: AssetEventId::new(),
            asset_id: it.asset_id,
            kind: AssetEventKind::Traslado,
            at,
            custodian_id: None,
            site: Some(t.destination_site.clone()),
            office: None,
            document: Some(doc.clone()),
            remarks: it.remarks.clone(),
            technician_id: technician,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asset::event::tests::event;
    use crate::asset::{PatrimonialCode, fold as fold_events};

    fn snap(events: &[AssetEvent]) -> AssetSnapshot {
        AssetSnapshot {
            code: PatrimonialCode::parse("740881870001").expect("code"),
            state: fold_events(events),
            custodian_name: None,
        }
    }

    #[test]
    fn header_rules() {
        let mut t = TransferInput {
            date: NaiveDate::from_ymd_opt(2026, 3, 2).expect("date"),
            origin_site: "Sede Cusco".into(),
            destination_site: " sede  CUSCO ".into(),
            items: vec![],
            reason: "Reubicación".into(),
            handed_by: None,
            received_by: None,
            corrects: None,
        };
        let e = t.validate().expect_err("same site");
        assert_eq!(e.field.as_deref(), Some("destination_site"));
        t.destination_site = "Sede Sicuani".into();
        t.reason = " ".into();
        assert_eq!(
            t.validate().map_err(|e| e.code),
            Err(ErrorCode::CampoRequerido)
        );
    }

    #[test]
    fn assets_must_be_at_the_origin_and_not_in_baja() {
        let a = AssetId::new();
        let mut h = vec![event(
            a,
            AssetEventKind::Alta,
            None,
            Some("Sede Cusco"),
            None,
        )];
        let items = [DocItemInput {
            asset_id: a,
            remarks: None,
        }];
        check_transfer("SEDE CUSCO", &items, &|_| Some(snap(&h))).expect("at origin");
        let e = check_transfer("Sede Sicuani", &items, &|_| Some(snap(&h))).expect_err("elsewhere");
        assert_eq!(e.code, CODE_ASSET_UNAVAILABLE);
        assert!(e.message.contains("«Sede Cusco»"), "{}", e.message);
        h.push(event(a, AssetEventKind::Baja, None, None, None));
        let e = check_transfer("Sede Cusco", &items, &|_| Some(snap(&h))).expect_err("baja");
        assert!(e.message.contains("dado de baja"));
    }

    #[test]
    fn signing_moves_the_site_and_keeps_the_custodian() {
        let a = AssetId::new();
        let p = PersonId::new();
        let mut h = vec![event(
            a,
            AssetEventKind::Alta,
            Some(p),
            Some("Sede Cusco"),
            Some("OTI"),
        )];
        let t = Transfer {
            id: TransferId::new(),
            unit_code: "UT-CUSCO".into(),
            lifecycle: Lifecycle::draft(),
            date: NaiveDate::from_ymd_opt(2026, 3, 2).expect("date"),
            origin_site: "Sede Cusco".into(),
            destination_site: "Sede Sicuani".into(),
            items: vec![DocItem {
                asset_id: a,
                code: PatrimonialCode::parse("740881870001").expect("code"),
                equipment: "Monitor".into(),
                brand: None,
                remarks: None,
            }],
            reason: "Apertura de oficina".into(),
            handed_by: None,
            handed_by_person: None,
            received_by: None,
            received_by_person: None,
            technician_id: TechnicianId::new(),
            technician: PersonBrief::default(),
            corrects: None,
            corrects_number: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        t.ensure_complete().expect("has rows");
        h.extend(transfer_events(&t, Utc::now(), t.technician_id));
        let s = fold_events(&h);
        assert_eq!(s.site.as_deref(), Some("Sede Sicuani"));
        assert_eq!(s.custodian_id, Some(p));
    }
}
