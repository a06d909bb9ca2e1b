//! The warehouse review (seed 001 act. 17–18): every so often the specialist goes through the
//! equipment kept as stock in the UAST warehouse, with its operability and last diagnostic,
//! and decides which pieces are technically obsolete. Obsolete ones go to a baja proposal
//! (act. 19–20); the rest stay as stock.
//!
//! A review is a record of what was decided on a day, so it is **insert-only** like a
//! diagnostic: a later review supersedes it for the assets it covers, it is never edited.
//! What the rules decide ([`check_review`]):
//!
//! - at least one asset; each once; each one in the warehouse on the review's day (not
//!   assigned, not in baja) — a review is of the stock, not of equipment in use;
//! - an asset marked **obsolete** needs a diagnostic (the informe's causal O requires one, so
//!   the mark would otherwise lead to a proposal that cannot be issued) and a remark saying
//!   why (it becomes the row's remark and the proposal's justification).
//!
//! "Proponer baja" ([`proposal_from_review`]) turns the marks into a draft informe técnico de
//! baja: the obsolete assets not already proposed in a signed informe, causal O, the review's
//! remarks as observations and a justification that cites the review. It stays a draft: the
//! specialist completes it (the head of the unit for the V° B°) and issues it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::decommission::{
    DecommissionCause, DecommissionItemInput, DecommissionReportInput, DiagnosticBrief,
};
use super::{SHORT_MAX, TEXT_MAX, check_past_date};
use crate::asset::{
    AssetCondition, AssetKind, AssetStatus, CODE_ASSET_UNAVAILABLE, Operability, PatrimonialCode,
    PersonBrief,
};
use crate::error::{Error, ErrorCode, Result, optional_text};
use crate::ids::{AssetId, TechnicianId, WarehouseReviewId};

/// How the review is named in messages.
pub const WHAT: &str = "la revisión del almacén";

/// An asset of the warehouse as the review screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WarehouseEntry {
    pub asset_id: AssetId,
    pub code: PatrimonialCode,
    pub denomination: String,
    pub kind: AssetKind,
    pub brand: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub condition: AssetCondition,
    pub operability: Operability,
    pub last_diagnostic: Option<DiagnosticBrief>,
    /// `N° 004-2026` of the signed informe that already proposed its baja.
    pub proposed_in: Option<String>,
    /// The latest review that covered it: its day and whether it was found obsolete.
    #[ts(type = "string | null")]
    pub last_review_date: Option<NaiveDate>,
    pub last_review_obsolete: Option<bool>,
}

/// A row as the review form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WarehouseReviewItemInput {
    pub asset_id: AssetId,
    /// Technically obsolete: to be proposed for baja with causal O.
    pub obsolete: bool,
    pub remarks: Option<String>,
}

/// What the review form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WarehouseReviewInput {
    #[ts(type = "string")]
    pub date: NaiveDate,
    #[serde(default)]
    pub items: Vec<WarehouseReviewItemInput>,
    /// General remarks of the review.
    pub remarks: Option<String>,
}

/// A row as stored: the asset's data on the review's day, and the decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WarehouseReviewItem {
    pub asset_id: AssetId,
    pub code: PatrimonialCode,
    pub equipment: String,
    pub operability: Operability,
    pub last_diagnostic: Option<DiagnosticBrief>,
    pub obsolete: bool,
    pub remarks: Option<String>,
}

/// A recorded review (insert-only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WarehouseReview {
    pub id: WarehouseReviewId,
    pub unit_code: String,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub technician_id: TechnicianId,
    pub technician: PersonBrief,
    pub items: Vec<WarehouseReviewItem>,
    pub remarks: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl WarehouseReview {
    /// How many assets were found obsolete.
    pub fn obsolete_count(&self) -> usize {
        self.items.iter().filter(|i| i.obsolete).count()
    }
}

/// What the rules need to know of an asset.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewCandidate {
    pub code: PatrimonialCode,
    pub status: AssetStatus,
    pub last_diagnostic: Option<DiagnosticBrief>,
}

/// The review's remarks after validation, and each row's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidReview {
    pub remarks: Option<String>,
    pub item_remarks: Vec<Option<String>>,
}

/// Checks a review against the present of each asset (`lookup`: `None` if it does not exist).
pub fn check_review(
    input: &WarehouseReviewInput,
    today: NaiveDate,
    lookup: &dyn Fn(AssetId) -> Option<ReviewCandidate>,
) -> Result<ValidReview> {
    check_past_date(input.date, today, "date", "Fecha de la revisión")?;
    let remarks = optional_text(
        input.remarks.as_deref(),
        "remarks",
        "Observaciones de la revisión",
        TEXT_MAX,
    )?;
    if input.items.is_empty() {
        return Err(Error::field(
            ErrorCode::CampoRequerido,
            "items",
            "La revisión no tiene bienes: marque al menos un bien del almacén.",
        ));
    }
    let mut item_remarks = Vec::with_capacity(input.items.len());
    for (i, it) in input.items.iter().enumerate() {
        let c =
            lookup(it.asset_id).ok_or_else(|| Error::not_found("uno de los bienes revisados"))?;
        if input.items[..i].iter().any(|o| o.asset_id == it.asset_id) {
            return Err(Error::field(
                ErrorCode::ValorInvalido,
                "items",
                format!(
                    "El bien {} figura dos veces: quite una de las filas.",
                    c.code
                ),
            ));
        }
        if c.status != AssetStatus::EnAlmacen {
            let now = match c.status {
                AssetStatus::DeBaja => "ya está dado de baja",
                _ => "está asignado a una persona, no en el almacén",
            };
            return Err(Error::field(
                CODE_ASSET_UNAVAILABLE,
                "items",
                format!(
                    "El bien {} {now}: la revisión es del stock del almacén; quítelo.",
                    c.code
                ),
            ));
        }
        let r = optional_text(it.remarks.as_deref(), "items", "Observaciones", SHORT_MAX)?;
        if it.obsolete {
            if c.last_diagnostic.is_none() {
                return Err(Error::field(
                    ErrorCode::CausalBajaInvalida,
                    "items",
                    format!(
                        "El bien {} no tiene diagnóstico: regístrelo antes de marcarlo como obsoleto (la causal O de la baja lo requiere).",
                        c.code
                    ),
                ));
            }
            if r.is_none() {
                return Err(Error::field(
                    ErrorCode::CampoRequerido,
                    "items",
                    format!(
                        "Escriba en «Observaciones» por qué el bien {} está obsoleto (por ejemplo: no admite el sistema operativo vigente).",
                        c.code
                    ),
                ));
            }
        }
        item_remarks.push(r);
    }
    Ok(ValidReview {
        remarks,
        item_remarks,
    })
}

/// The draft informe "Proponer baja" prefills from a review: the obsolete assets for which
/// `proposable` says yes (not in baja, not proposed in a signed informe), causal O. `None`
/// when no marked asset is left to propose.
pub fn proposal_from_review(
    review: &WarehouseReview,
    date: NaiveDate,
    proposable: &dyn Fn(AssetId) -> bool,
) -> Option<DecommissionReportInput> {
    let rows: Vec<&WarehouseReviewItem> = review
        .items
        .iter()
        .filter(|i| i.obsolete && proposable(i.asset_id))
        .collect();
    if rows.is_empty() {
        return None;
    }
    let codes = rows
        .iter()
        .map(|i| match &i.remarks {
            Some(r) => format!("{} ({r})", i.code),
            None => i.code.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let justification = format!(
        "En la revisión del almacén de la UAST del {}, se verificó la obsolescencia técnica de {} bien(es): {codes}. Los bienes no pueden reasignarse y se proponen para la baja por la causal O (obsolescencia técnica), conforme a su último diagnóstico.",
        review.date.format("%d/%m/%Y"),
        rows.len()
    );
    Some(DecommissionReportInput {
        date,
        items: rows
            .iter()
            .map(|i| DecommissionItemInput {
                asset_id: i.asset_id,
                cause: DecommissionCause::Obsolescencia,
                remarks: i.remarks.clone(),
            })
            .collect(),
        justification,
        chief_name: None,
        chief_position: None,
        corrects: None,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::ids::DiagnosticId;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn cand(code: &str, status: AssetStatus, diagnosed: bool) -> ReviewCandidate {
        ReviewCandidate {
            code: PatrimonialCode::parse(code).expect("code"),
            status,
            last_diagnostic: diagnosed.then(|| DiagnosticBrief {
                id: DiagnosticId::new(),
                date: day(2026, 11, 2),
                result: Operability::Operativo,
                findings: "No admite Windows 11".into(),
            }),
        }
    }

    struct World {
        assets: HashMap<AssetId, ReviewCandidate>,
    }

    impl World {
        fn new(list: Vec<(AssetId, ReviewCandidate)>) -> Self {
            Self {
                assets: list.into_iter().collect(),
            }
        }
        fn check(&self, input: &WarehouseReviewInput) -> Result<ValidReview> {
            check_review(input, day(2026, 11, 25), &|id| {
                self.assets.get(&id).cloned()
            })
        }
    }

    fn row(id: AssetId, obsolete: bool, remarks: Option<&str>) -> WarehouseReviewItemInput {
        WarehouseReviewItemInput {
            asset_id: id,
            obsolete,
            remarks: remarks.map(Into::into),
        }
    }

    fn input(items: Vec<WarehouseReviewItemInput>) -> WarehouseReviewInput {
        WarehouseReviewInput {
            date: day(2026, 11, 24),
            items,
            remarks: Some("  Revisión semestral  ".into()),
        }
    }

    #[test]
    fn a_review_of_stock_with_obsolete_marks_backed_by_a_diagnostic() {
        let (a, b) = (AssetId::new(), AssetId::new());
        let w = World::new(vec![
            (a, cand("740899500001", AssetStatus::EnAlmacen, true)),
            (b, cand("740899500002", AssetStatus::EnAlmacen, false)),
        ]);
        let ok = w
            .check(&input(vec![
                row(a, true, Some("No admite el software base")),
                row(b, false, None),
            ]))
            .expect("valid review");
        assert_eq!(ok.remarks.as_deref(), Some("Revisión semestral"));
        assert_eq!(
            ok.item_remarks,
            vec![Some("No admite el software base".to_string()), None]
        );
    }

    #[test]
    fn refusals_name_the_field_and_the_asset() {
        let (a, b, c, d) = (
            AssetId::new(),
            AssetId::new(),
            AssetId::new(),
            AssetId::new(),
        );
        let w = World::new(vec![
            (a, cand("740899500001", AssetStatus::EnAlmacen, true)),
            (b, cand("740899500002", AssetStatus::EnAlmacen, false)),
            (c, cand("740899500003", AssetStatus::EnUso, true)),
            (d, cand("740899500004", AssetStatus::DeBaja, true)),
        ]);
        let e = w.check(&input(vec![])).expect_err("empty");
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::CampoRequerido, Some("items"))
        );
        let e = w
            .check(&input(vec![row(a, false, None), row(a, true, Some("x"))]))
            .expect_err("twice");
        assert_eq!(e.code, ErrorCode::ValorInvalido);
        assert!(e.message.contains("740899500001"), "{}", e.message);
        let e = w
            .check(&input(vec![row(c, false, None)]))
            .expect_err("in use");
        assert_eq!(e.code, CODE_ASSET_UNAVAILABLE);
        assert!(e.message.contains("asignado"), "{}", e.message);
        let e = w
            .check(&input(vec![row(d, false, None)]))
            .expect_err("baja");
        assert!(e.message.contains("dado de baja"), "{}", e.message);
        let e = w
            .check(&input(vec![row(b, true, Some("Viejo"))]))
            .expect_err("obsolete without diagnostic");
        assert_eq!(e.code, ErrorCode::CausalBajaInvalida);
        assert!(e.message.contains("diagnóstico"), "{}", e.message);
        let e = w
            .check(&input(vec![row(a, true, Some("   "))]))
            .expect_err("obsolete without why");
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::CampoRequerido, Some("items"))
        );
        let e = w
            .check(&input(vec![row(AssetId::new(), false, None)]))
            .expect_err("unknown asset");
        assert_eq!(e.code, ErrorCode::NoEncontrado);
        let mut future = input(vec![row(a, false, None)]);
        future.date = day(2026, 11, 26);
        let e = w.check(&future).expect_err("future");
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::FechaInvalida, Some("date"))
        );
    }

    #[test]
    fn proposal_takes_the_obsolete_assets_not_yet_proposed_with_causal_o() {
        let (a, b, c) = (AssetId::new(), AssetId::new(), AssetId::new());
        let item = |id, code: &str, obsolete, remarks: Option<&str>| WarehouseReviewItem {
            asset_id: id,
            code: PatrimonialCode::parse(code).expect("code"),
            equipment: "CPU".into(),
            operability: Operability::Operativo,
            last_diagnostic: None,
            obsolete,
            remarks: remarks.map(Into::into),
        };
        let review = WarehouseReview {
            id: WarehouseReviewId::new(),
            unit_code: "UT-CUSCO".into(),
            date: day(2026, 11, 24),
            technician_id: TechnicianId::new(),
            technician: PersonBrief {
                name: "Edwin Ccori Mamani".into(),
                dni: None,
                office: None,
            },
            items: vec![
                item(a, "740899500001", true, Some("No admite Windows 11")),
                item(b, "740899500002", false, None),
                item(c, "740899500003", true, Some("Procesador de 2009")),
            ],
            remarks: None,
            created_at: Utc::now(),
        };
        assert_eq!(review.obsolete_count(), 2);
        let draft = proposal_from_review(&review, day(2026, 11, 25), &|id| id != c)
            .expect("one left to propose");
        assert_eq!(draft.items.len(), 1);
        assert_eq!(draft.items[0].asset_id, a);
        assert_eq!(draft.items[0].cause, DecommissionCause::Obsolescencia);
        assert_eq!(
            draft.items[0].remarks.as_deref(),
            Some("No admite Windows 11")
        );
        assert!(draft.justification.contains("24/11/2026"));
        assert!(
            draft
                .justification
                .contains("740899500001 (No admite Windows 11)")
        );
        assert!(
            draft.chief_name.is_none(),
            "the head is typed before issuing"
        );
        assert!(proposal_from_review(&review, day(2026, 11, 25), &|_| false).is_none());
    }
}
