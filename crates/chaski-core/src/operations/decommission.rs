//! The informe técnico de baja (seed 001 act. 19–22): the assets a unit proposes to
//! decommission, each with its SBN causal, its last diagnostic, its condition and remarks; the
//! technician's justification; the V° B° chain (the technician who prepares it, the head of
//! the unit who approves it).
//!
//! It has the cargo's lifecycle ([`crate::document`]): borrador → emitido (numbered per unit
//! and year, [`DocKind::Decommission`]) → firmado (immutable; every asset gets a
//! "baja propuesta" event) or anulado with a reason. Signing proposes, it does not
//! decommission: the administration (OAD) decides, and the asset keeps its custody and status
//! until the baja itself is recorded.
//!
//! Rules on the rows ([`check_decommission`]):
//! - an asset appears once; an asset already in baja, or already proposed in another signed
//!   report, is refused (unless this report corrects that one);
//! - the technical causals need evidence: obsolescence (O) needs a diagnostic; onerous repair
//!   (M), RAEE (X) and scrap (Y) need the last diagnostic to say *inoperativo*;
//! - "otra causal" (S) needs a remark saying which.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{SHORT_MAX, TEXT_MAX, check_past_date};
use crate::asset::{
    AssetCondition, AssetEvent, AssetEventKind, AssetStatus, CODE_ASSET_UNAVAILABLE, DocRef,
    Operability, PatrimonialCode, PersonBrief, coded_enum,
};
use crate::document::Lifecycle;
use crate::error::{Error, ErrorCode, Result, optional_text, required_text};
use crate::ids::{AssetEventId, AssetId, DecommissionReportId, DiagnosticId, TechnicianId};
use crate::numbering::DocKind;

/// How the report is named in messages.
pub const WHAT: &str = "el informe técnico de baja";

coded_enum!(
    /// Causal de baja (SBN). The code is the letter the SBN forms use.
    DecommissionCause {
        Excedencia => "E", "Excedencia";
        Obsolescencia => "O", "Obsolescencia técnica";
        MantenimientoOneroso => "M", "Mantenimiento o reparación onerosa";
        Perdida => "P", "Pérdida";
        Hurto => "H", "Hurto";
        Robo => "B", "Robo";
        Raee => "X", "Residuos de aparatos eléctricos y electrónicos (RAEE)";
        Chatarra => "Y", "Chatarra";
        Siniestro => "Z", "Siniestro";
        DestruccionAccidental => "D", "Destrucción accidental";
        Otra => "S", "Otra causal";
    }
);

impl DecommissionCause {
    /// Reads a causal typed or imported as its letter (`o`, ` X `).
    pub fn from_text(s: &str) -> Result<Self> {
        Self::parse(&s.trim().to_uppercase()).ok_or_else(|| {
            Error::field(
                ErrorCode::CausalBajaInvalida,
                "cause",
                format!(
                    "La causal «{}» no existe: use una de {}.",
                    s.trim(),
                    Self::ALL
                        .iter()
                        .map(|c| format!("{} ({})", c.code(), c.label()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
    }

    /// Needs a diagnostic of the asset.
    pub fn needs_diagnostic(self) -> bool {
        matches!(
            self,
            Self::Obsolescencia | Self::MantenimientoOneroso | Self::Raee | Self::Chatarra
        )
    }

    /// Needs the last diagnostic to say *inoperativo*.
    pub fn needs_inoperative(self) -> bool {
        matches!(
            self,
            Self::MantenimientoOneroso | Self::Raee | Self::Chatarra
        )
    }
}

coded_enum!(
    /// A link of the V° B° chain.
    ApprovalRole {
        Tecnico => "tecnico", "Especialista informático (elabora)";
        JefeUnidad => "jefe_unidad", "Jefe de la unidad (V° B°)";
    }
);

/// One V° B°: who, in which role, and when it was signed (once the report is signed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Approval {
    pub role: ApprovalRole,
    pub name: String,
    pub position: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
}

/// The last diagnostic of an asset, as the report prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DiagnosticBrief {
    pub id: DiagnosticId,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub result: Operability,
    pub findings: String,
}

/// A row as the form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DecommissionItemInput {
    pub asset_id: AssetId,
    pub cause: DecommissionCause,
    pub remarks: Option<String>,
}

/// A row as stored and printed, copied from the asset when saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DecommissionItem {
    pub asset_id: AssetId,
    pub code: PatrimonialCode,
    pub equipment: String,
    pub brand: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub condition: AssetCondition,
    pub cause: DecommissionCause,
    pub last_diagnostic: Option<DiagnosticBrief>,
    pub remarks: Option<String>,
}

/// What the rules need to know of an asset.
#[derive(Debug, Clone, PartialEq)]
pub struct DecommissionCandidate {
    pub code: PatrimonialCode,
    pub status: AssetStatus,
    pub last_diagnostic: Option<DiagnosticBrief>,
    /// A signed report that already proposed it: its id and `N° 007-2026`.
    pub proposed_in: Option<(DecommissionReportId, String)>,
}

/// What the report form sends (create or edit a draft).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DecommissionReportInput {
    #[ts(type = "string")]
    pub date: NaiveDate,
    #[serde(default)]
    pub items: Vec<DecommissionItemInput>,
    /// The technician's justification (why these assets should leave the register).
    pub justification: String,
    /// The head of the unit who gives the V° B° (required to issue).
    pub chief_name: Option<String>,
    pub chief_position: Option<String>,
    /// The signed report this one corrects, if any.
    pub corrects: Option<DecommissionReportId>,
}

/// The header of a [`DecommissionReportInput`] after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidDecommissionHeader {
    pub justification: String,
    pub chief_name: Option<String>,
    pub chief_position: Option<String>,
}

/// An informe técnico de baja, with everything its printed form needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DecommissionReport {
    pub id: DecommissionReportId,
    pub unit_code: String,
    pub lifecycle: Lifecycle,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub items: Vec<DecommissionItem>,
    pub justification: String,
    pub technician_id: TechnicianId,
    pub technician: PersonBrief,
    pub chief_name: Option<String>,
    pub chief_position: Option<String>,
    pub corrects: Option<DecommissionReportId>,
    pub corrects_number: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl DecommissionReportInput {
    /// Checks the header: date not in the future, justification, V° B° names.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidDecommissionHeader> {
        check_past_date(self.date, today, "date", "Fecha del informe")?;
        Ok(ValidDecommissionHeader {
            justification: required_text(
                &self.justification,
                "justification",
                "Justificación técnica",
                TEXT_MAX,
            )?,
            chief_name: optional_text(
                self.chief_name.as_deref(),
                "chief_name",
                "Jefe de la unidad (V° B°)",
                SHORT_MAX,
            )?,
            chief_position: optional_text(
                self.chief_position.as_deref(),
                "chief_position",
                "Cargo del jefe",
                SHORT_MAX,
            )?,
        })
    }
}

/// Checks the rows against the present of each asset. `corrects` is the signed report this
/// one corrects (its assets may be proposed again).
pub fn check_decommission(
    items: &[DecommissionItemInput],
    corrects: Option<DecommissionReportId>,
    lookup: &dyn Fn(AssetId) -> Option<DecommissionCandidate>,
) -> Result<()> {
    for (i, it) in items.iter().enumerate() {
        let c =
            lookup(it.asset_id).ok_or_else(|| Error::not_found("uno de los bienes del informe"))?;
        if items[..i].iter().any(|o| o.asset_id == it.asset_id) {
            return Err(Error::field(
                ErrorCode::ValorInvalido,
                "items",
                format!(
                    "El bien {} figura dos veces: quite una de las filas.",
                    c.code
                ),
            ));
        }
        if c.status == AssetStatus::DeBaja {
            return Err(Error::field(
                CODE_ASSET_UNAVAILABLE,
                "items",
                format!("El bien {} ya está dado de baja: quítelo.", c.code),
            ));
        }
        if let Some((report, number)) = &c.proposed_in
            && Some(*report) != corrects
        {
            return Err(Error::field(
                CODE_ASSET_UNAVAILABLE,
                "items",
                format!(
                    "El bien {} ya fue propuesto para la baja en el informe {number}, firmado: quítelo, o elabore un informe que corrija aquel.",
                    c.code
                ),
            ));
        }
        let remarks = optional_text(it.remarks.as_deref(), "items", "Observaciones", SHORT_MAX)?;
        if it.cause == DecommissionCause::Otra && remarks.is_none() {
            return Err(Error::field(
                ErrorCode::CausalBajaInvalida,
                "items",
                format!(
                    "El bien {} tiene la causal S (otra causal): escriba en «Observaciones» cuál es.",
                    c.code
                ),
            ));
        }
        if it.cause.needs_diagnostic() {
            match &c.last_diagnostic {
                None => {
                    return Err(Error::field(
                        ErrorCode::CausalBajaInvalida,
                        "items",
                        format!(
                            "El bien {} no tiene diagnóstico y la causal {} ({}) lo requiere: registre su diagnóstico antes de proponer la baja.",
                            c.code,
                            it.cause.code(),
                            it.cause.label()
                        ),
                    ));
                }
                Some(d) if it.cause.needs_inoperative() && d.result != Operability::Inoperativo => {
                    return Err(Error::field(
                        ErrorCode::CausalBajaInvalida,
                        "items",
                        format!(
                            "El último diagnóstico del bien {} ({}) dice «Operativo», y la causal {} ({}) requiere un bien inoperativo: cambie la causal o registre un nuevo diagnóstico.",
                            c.code,
                            d.date.format("%d/%m/%Y"),
                            it.cause.code(),
                            it.cause.label()
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

impl DecommissionReport {
    /// Refuses to issue a report without rows or without the head of the unit for the V° B°.
    pub fn ensure_complete(&self) -> Result<()> {
        if self.items.is_empty() {
            return Err(Error::field(
                ErrorCode::CampoRequerido,
                "items",
                "El informe no tiene bienes: agregue al menos uno.",
            ));
        }
        if self.chief_name.is_none() {
            return Err(Error::required("chief_name", "Jefe de la unidad (V° B°)"));
        }
        Ok(())
    }

    /// The rows as inputs, for [`check_decommission`].
    pub fn inputs(&self) -> Vec<DecommissionItemInput> {
        self.items
            .iter()
            .map(|i| DecommissionItemInput {
                asset_id: i.asset_id,
                cause: i.cause,
                remarks: i.remarks.clone(),
            })
            .collect()
    }

    /// The V° B° chain: the technician who prepares it, then the head of the unit. Both are
    /// dated when the report is signed.
    pub fn approvals(&self) -> Vec<Approval> {
        let at = self.lifecycle.signed_at;
        let mut v = vec![Approval {
            role: ApprovalRole::Tecnico,
            name: self.technician.name.clone(),
            position: Some("Especialista informático".into()),
            signed_at: at,
        }];
        if let Some(name) = &self.chief_name {
            v.push(Approval {
                role: ApprovalRole::JefeUnidad,
                name: name.clone(),
                position: self.chief_position.clone(),
                signed_at: at,
            });
        }
        v
    }
}

/// The events that signing the report appends: one "baja propuesta" per asset.
pub fn decommission_events(
    r: &DecommissionReport,
    at: DateTime<Utc>,
    technician: TechnicianId,
) -> Vec<AssetEvent> {
    let doc = DocRef::to_document(DocKind::Decommission, r.id.uuid(), &r.lifecycle);
    r.items
        .iter()
        .map(|it| AssetEvent {
            id: AssetEventId::new(),
            asset_id: it.asset_id,
            kind: AssetEventKind::BajaPropuesta,
            at,
            custodian_id: None,
            site: None,
            office: None,
            document: Some(doc.clone()),
            remarks: Some(format!("Causal {}: {}", it.cause.code(), it.cause.label())),
            technician_id: technician,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::asset::fold;
    use crate::document::{CODE_DOCUMENT_FROZEN, DocStatus};
    use crate::numbering::DocNumber;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn candidate(code: &str, result: Option<Operability>) -> DecommissionCandidate {
        DecommissionCandidate {
            code: PatrimonialCode::parse(code).expect("code"),
            status: AssetStatus::EnAlmacen,
            last_diagnostic: result.map(|r| DiagnosticBrief {
                id: DiagnosticId::new(),
                date: day(2026, 11, 2),
                result: r,
                findings: "Placa madre dañada".into(),
            }),
            proposed_in: None,
        }
    }

    fn row(a: AssetId, cause: DecommissionCause, remarks: Option<&str>) -> DecommissionItemInput {
        DecommissionItemInput {
            asset_id: a,
            cause,
            remarks: remarks.map(str::to_string),
        }
    }

    #[test]
    fn causal_codes_and_labels() {
        let codes: Vec<&str> = DecommissionCause::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(
            codes,
            ["E", "O", "M", "P", "H", "B", "X", "Y", "Z", "D", "S"]
        );
        assert_eq!(DecommissionCause::Robo.label(), "Robo");
        assert_eq!(
            DecommissionCause::Obsolescencia.label(),
            "Obsolescencia técnica"
        );
        for c in DecommissionCause::ALL {
            assert_eq!(DecommissionCause::from_text(c.code()), Ok(*c));
            assert_eq!(
                DecommissionCause::from_text(&format!(" {} ", c.code().to_lowercase())),
                Ok(*c)
            );
            assert_eq!(serde_json::to_value(c).expect("json"), c.code());
        }
        for bad in ["", "Q", "OB", "obsolescencia"] {
            let e = DecommissionCause::from_text(bad).expect_err(bad);
            assert_eq!(e.code, ErrorCode::CausalBajaInvalida, "{bad}");
            assert!(e.message.contains("E (Excedencia)"), "{}", e.message);
        }
        assert!(serde_json::from_str::<DecommissionCause>("\"Q\"").is_err());
    }

    #[test]
    fn rows_follow_the_causal_rules() {
        let ok = AssetId::new();
        let no_diag = AssetId::new();
        let working = AssetId::new();
        let mut world = HashMap::new();
        world.insert(
            ok,
            candidate("740899500012", Some(Operability::Inoperativo)),
        );
        world.insert(no_diag, candidate("740899500013", None));
        world.insert(
            working,
            candidate("740899500014", Some(Operability::Operativo)),
        );
        let look = |id: AssetId| world.get(&id).cloned();
        use DecommissionCause as C;
        check_decommission(&[row(ok, C::MantenimientoOneroso, None)], None, &look).expect("ok");
        // Obsolescence needs a diagnostic, operative is fine.
        check_decommission(&[row(working, C::Obsolescencia, None)], None, &look).expect("O");
        let e = check_decommission(&[row(no_diag, C::Obsolescencia, None)], None, &look)
            .expect_err("no diagnostic");
        assert_eq!(e.code, ErrorCode::CausalBajaInvalida);
        assert!(e.message.contains("740899500013"), "{}", e.message);
        for c in [C::MantenimientoOneroso, C::Raee, C::Chatarra] {
            let e = check_decommission(&[row(working, c, None)], None, &look)
                .expect_err("needs inoperative");
            assert_eq!(e.code, ErrorCode::CausalBajaInvalida, "{c:?}");
            assert!(e.message.contains("Operativo"), "{}", e.message);
        }
        // Loss, theft, accident need no diagnostic.
        for c in [
            C::Excedencia,
            C::Perdida,
            C::Hurto,
            C::Robo,
            C::Siniestro,
            C::DestruccionAccidental,
        ] {
            check_decommission(&[row(no_diag, c, None)], None, &look).expect("no evidence needed");
        }
        let e = check_decommission(&[row(no_diag, C::Otra, Some("  "))], None, &look)
            .expect_err("which");
        assert_eq!(e.code, ErrorCode::CausalBajaInvalida);
        check_decommission(
            &[row(no_diag, C::Otra, Some("Donación aprobada"))],
            None,
            &look,
        )
        .expect("explained");
        let e = check_decommission(
            &[row(ok, C::Robo, None), row(ok, C::Hurto, None)],
            None,
            &look,
        )
        .expect_err("twice");
        assert_eq!(e.code, ErrorCode::ValorInvalido);
        let e = check_decommission(&[row(AssetId::new(), C::Robo, None)], None, &look)
            .expect_err("unknown");
        assert_eq!(e.code, ErrorCode::NoEncontrado);
    }

    #[test]
    fn assets_in_baja_or_already_proposed_are_refused() {
        let a = AssetId::new();
        let earlier = DecommissionReportId::new();
        let mut c = candidate("740899500012", Some(Operability::Inoperativo));
        c.proposed_in = Some((earlier, "N° 003-2026".into()));
        let rows = [row(a, DecommissionCause::Raee, None)];
        let e = check_decommission(&rows, None, &|_| Some(c.clone())).expect_err("proposed");
        assert_eq!(e.code, CODE_ASSET_UNAVAILABLE);
        assert!(e.message.contains("N° 003-2026"), "{}", e.message);
        check_decommission(&rows, Some(earlier), &|_| Some(c.clone()))
            .expect("a correction of that report may list it again");
        c.proposed_in = None;
        c.status = AssetStatus::DeBaja;
        let e = check_decommission(&rows, None, &|_| Some(c.clone())).expect_err("gone");
        assert_eq!(e.code, CODE_ASSET_UNAVAILABLE);
    }

    fn report() -> DecommissionReport {
        DecommissionReport {
            id: DecommissionReportId::new(),
            unit_code: "UT-CUSCO".into(),
            lifecycle: Lifecycle::draft(),
            date: day(2026, 11, 20),
            items: vec![DecommissionItem {
                asset_id: AssetId::new(),
                code: PatrimonialCode::parse("740899500012").expect("code"),
                equipment: "UNIDAD CENTRAL DE PROCESO - CPU".into(),
                brand: Some("HP".into()),
                model: None,
                serial: None,
                condition: AssetCondition::MuyMalo,
                cause: DecommissionCause::MantenimientoOneroso,
                last_diagnostic: None,
                remarks: None,
            }],
            justification: "Reparación supera el valor del bien".into(),
            technician_id: TechnicianId::new(),
            technician: PersonBrief {
                name: "MAMANI QUISPE, Rosa".into(),
                dni: None,
                office: None,
            },
            chief_name: None,
            chief_position: None,
            corrects: None,
            corrects_number: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn header_rules() {
        let mut i = DecommissionReportInput {
            date: day(2026, 11, 20),
            items: vec![],
            justification: "  ".into(),
            chief_name: Some(" ".into()),
            chief_position: None,
            corrects: None,
        };
        let today = day(2026, 11, 23);
        assert_eq!(
            i.validate(today).map_err(|e| e.code),
            Err(ErrorCode::CampoRequerido)
        );
        i.justification = "Equipos con más de 10 años".into();
        let v = i.validate(today).expect("ok");
        assert_eq!(v.chief_name, None, "blank is none");
        i.date = day(2026, 11, 24);
        assert_eq!(
            i.validate(today).map_err(|e| e.code),
            Err(ErrorCode::FechaInvalida)
        );
    }

    #[test]
    fn lifecycle_numbering_and_proposal_events() {
        let mut r = report();
        let e = r.ensure_complete().expect_err("no chief");
        assert_eq!(e.field.as_deref(), Some("chief_name"));
        r.chief_name = Some("CÁRDENAS, Luis".into());
        r.ensure_complete().expect("complete");
        let number = DocNumber {
            kind: DocKind::Decommission,
            unit_code: "UT-CUSCO".into(),
            year: 2026,
            seq: 4,
        };
        let e = r.lifecycle.sign(Utc::now(), WHAT).expect_err("draft");
        assert_eq!(e.code, ErrorCode::TransicionNoPermitida);
        r.lifecycle.issue(number, Utc::now(), WHAT).expect("issue");
        assert!(r.approvals().iter().all(|a| a.signed_at.is_none()));
        r.lifecycle.sign(Utc::now(), WHAT).expect("sign");
        assert_eq!(r.lifecycle.status, DocStatus::Firmado);
        let approvals = r.approvals();
        assert_eq!(
            approvals.iter().map(|a| a.role).collect::<Vec<_>>(),
            [ApprovalRole::Tecnico, ApprovalRole::JefeUnidad]
        );
        assert!(approvals.iter().all(|a| a.signed_at.is_some()));
        let e = r
            .lifecycle
            .annul("error", Utc::now(), WHAT)
            .expect_err("signed");
        assert_eq!(e.code, CODE_DOCUMENT_FROZEN);
        assert!(e.message.contains(WHAT), "{}", e.message);

        let events = decommission_events(&r, Utc::now(), r.technician_id);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, AssetEventKind::BajaPropuesta);
        let doc = events[0].document.clone().expect("doc");
        assert_eq!(doc.kind, "decommission");
        assert_eq!(doc.number.as_deref(), Some("N° 004-2026"));
        assert!(
            events[0]
                .remarks
                .as_deref()
                .is_some_and(|s| s.starts_with("Causal M"))
        );
        assert_eq!(
            fold(&events).status,
            AssetStatus::EnAlmacen,
            "a proposal is not the baja"
        );
    }

    #[test]
    fn an_issued_report_annuls_with_its_number() {
        let mut r = report();
        r.lifecycle
            .issue(
                DocNumber {
                    kind: DocKind::Decommission,
                    unit_code: "UT-CUSCO".into(),
                    year: 2026,
                    seq: 9,
                },
                Utc::now(),
                WHAT,
            )
            .expect("issue");
        assert_eq!(
            r.lifecycle.ensure_editable(WHAT).map_err(|e| e.code),
            Err(CODE_DOCUMENT_FROZEN)
        );
        assert_eq!(
            r.lifecycle.annul(" ", Utc::now(), WHAT).map_err(|e| e.code),
            Err(ErrorCode::MotivoRequerido)
        );
        r.lifecycle
            .annul("Se incluyó un bien operativo por error", Utc::now(), WHAT)
            .expect("annul");
        assert_eq!(r.lifecycle.status, DocStatus::Anulado);
        assert_eq!(
            r.lifecycle.number.as_ref().map(|n| n.text()).as_deref(),
            Some("N° 009-2026")
        );
    }
}
