//! The cargo de asignación de equipos de cómputo (seed 001, Anexo N° 2): who receives which
//! assets, and which assets are taken back, in one signed document.
//!
//! The rule the core enforces: an asset already held by someone, or in baja, cannot be
//! assigned unless the same cargo withdraws it ("Se retira los siguientes bienes"). Otherwise
//! two people would answer for one asset and the history would not explain the present.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::event::{AssetEvent, AssetEventKind, AssetStatus, DocRef};
use super::{AssetSnapshot, CODE_ASSET_UNAVAILABLE, DocItem, DocItemInput, PersonBrief};
use crate::document::Lifecycle;
use crate::error::{Error, ErrorCode, Result, optional_text};
use crate::ids::{AssetEventId, AssetId, AssignmentId, AttentionId, PersonId, TechnicianId};
use crate::numbering::DocKind;

/// What the cargo form sends (create or edit a draft).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AssignmentInput {
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// The servidor(a) who receives (and returns) the assets.
    pub person_id: PersonId,
    /// Órgano / unidad orgánica printed on the cargo; empty: the person's office.
    pub office: Option<String>,
    /// "Se retira los siguientes bienes".
    #[serde(default)]
    pub withdrawn: Vec<DocItemInput>,
    /// "Se asigna los siguientes bienes".
    #[serde(default)]
    pub assigned: Vec<DocItemInput>,
    /// The signed cargo this one corrects, if any.
    pub corrects: Option<AssignmentId>,
    /// The attention that led to it (seed 001 act. 7 → 10), if any.
    pub attention_id: Option<AttentionId>,
}

/// A cargo de asignación, with everything its printed form needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Assignment {
    pub id: AssignmentId,
    pub unit_code: String,
    pub lifecycle: Lifecycle,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub person_id: PersonId,
    /// The servidor(a), as printed.
    pub person: PersonBrief,
    pub office: Option<String>,
    pub withdrawn: Vec<DocItem>,
    pub assigned: Vec<DocItem>,
    /// The technician who prepares and signs it.
    pub technician_id: TechnicianId,
    pub technician: PersonBrief,
    pub corrects: Option<AssignmentId>,
    /// `N° 003-2026` of the corrected cargo.
    pub corrects_number: Option<String>,
    pub attention_id: Option<AttentionId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn refuse(field: &str, message: String) -> Error {
    Error::field(CODE_ASSET_UNAVAILABLE, field, message)
}

fn duplicates(
    items: &[DocItemInput],
    field: &str,
    lookup: &dyn Fn(AssetId) -> Option<AssetSnapshot>,
) -> Result<()> {
    for (i, it) in items.iter().enumerate() {
        if items[..i].iter().any(|o| o.asset_id == it.asset_id) {
            let code = lookup(it.asset_id)
                .map(|s| s.code.to_string())
                .unwrap_or_default();
            return Err(Error::field(
                ErrorCode::ValorInvalido,
                field,
                format!(
                    "El bien {code} figura dos veces en la misma tabla: quite una de las filas."
                ),
            ));
        }
    }
    Ok(())
}

/// Checks the rows of a cargo for `person` against the present of each asset. `lookup` gives
/// the current snapshot of an asset (none: it does not exist).
pub fn check_assignment(
    person: PersonId,
    withdrawn: &[DocItemInput],
    assigned: &[DocItemInput],
    lookup: &dyn Fn(AssetId) -> Option<AssetSnapshot>,
) -> Result<()> {
    duplicates(withdrawn, "withdrawn", lookup)?;
    duplicates(assigned, "assigned", lookup)?;
    for (items, field) in [(withdrawn, "withdrawn"), (assigned, "assigned")] {
        for it in items {
            optional_text(
                it.remarks.as_deref(),
                field,
                "Observaciones",
                super::SHORT_MAX,
            )?;
        }
    }
    for it in withdrawn {
        let s =
            lookup(it.asset_id).ok_or_else(|| Error::not_found("uno de los bienes a retirar"))?;
        match s.state.status {
            AssetStatus::DeBaja => {
                return Err(refuse(
                    "withdrawn",
                    format!(
                        "El bien {} está dado de baja: no puede retirarse de nadie.",
                        s.code
                    ),
                ));
            }
            AssetStatus::EnAlmacen => {
                return Err(refuse(
                    "withdrawn",
                    format!(
                        "El bien {} no está asignado a nadie (está en almacén): quítelo de «Se retira los siguientes bienes».",
                        s.code
                    ),
                ));
            }
            AssetStatus::EnUso => {}
        }
    }
    for it in assigned {
        let s =
            lookup(it.asset_id).ok_or_else(|| Error::not_found("uno de los bienes a asignar"))?;
        if s.state.status == AssetStatus::DeBaja {
            return Err(refuse(
                "assigned",
                format!("El bien {} está dado de baja y no puede asignarse.", s.code),
            ));
        }
        let also_withdrawn = withdrawn.iter().any(|w| w.asset_id == it.asset_id);
        match s.state.custodian_id {
            Some(c) if !also_withdrawn && c == person => {
                return Err(refuse(
                    "assigned",
                    format!(
                        "El bien {} ya está asignado a esta misma persona: quítelo de «Se asigna los siguientes bienes».",
                        s.code
                    ),
                ));
            }
            Some(_) if !also_withdrawn => {
                let who = s.custodian_name.unwrap_or_else(|| "otra persona".into());
                return Err(refuse(
                    "assigned",
                    format!(
                        "El bien {} está asignado a {who}. Para asignarlo, agregue su retiro en «Se retira los siguientes bienes» de este mismo cargo.",
                        s.code
                    ),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

impl Assignment {
    /// Refuses to issue a cargo without rows.
    pub fn ensure_complete(&self) -> Result<()> {
        if self.withdrawn.is_empty() && self.assigned.is_empty() {
            return Err(Error::field(
                ErrorCode::CampoRequerido,
                "assigned",
                "El cargo no tiene bienes: agregue al menos un bien a asignar o a retirar.",
            ));
        }
        Ok(())
    }

    /// The rows as inputs, for [`check_assignment`].
    pub fn inputs(&self) -> (Vec<DocItemInput>, Vec<DocItemInput>) {
        let f = |v: &[DocItem]| v.iter().map(DocItem::input).collect();
        (f(&self.withdrawn), f(&self.assigned))
    }
}

/// The events that signing `cargo` appends: first every withdrawal (devolución), then every
/// assignment, so an asset withdrawn from one person and assigned to another ends with the new
/// custodian.
pub fn assignment_events(
    cargo: &Assignment,
    at: DateTime<Utc>,
    technician: TechnicianId,
) -> Vec<AssetEvent> {
    let doc = DocRef::to_document(DocKind::Assignment, cargo.id.uuid(), &cargo.lifecycle);
    let mut out = Vec::with_capacity(cargo.withdrawn.len() + cargo.assigned.len());
    for (items, kind) in [
        (&cargo.withdrawn, AssetEventKind::Devolucion),
        (&cargo.assigned, AssetEventKind::Asignacion),
    ] {
        for it in items {
            let assign = kind == AssetEventKind::Asignacion;
            out.push(AssetEvent {
                id: AssetEventId::new(),
                asset_id: it.asset_id,
                kind,
                at,
                custodian_id: assign.then_some(cargo.person_id),
                site: None,
                office: if assign { cargo.office.clone() } else { None },
                document: Some(doc.clone()),
                remarks: it.remarks.clone(),
                technician_id: technician,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::asset::event::tests::event;
    use crate::asset::{AssetState, PatrimonialCode, fold};
    use crate::document::DocStatus;
    use crate::numbering::DocNumber;

    struct World {
        assets: HashMap<AssetId, (PatrimonialCode, Vec<AssetEvent>)>,
    }

    impl World {
        fn new() -> Self {
            Self {
                assets: HashMap::new(),
            }
        }
        fn add(&mut self, code: &str, custodian: Option<PersonId>) -> AssetId {
            let id = AssetId::new();
            let e = event(
                id,
                AssetEventKind::Alta,
                custodian,
                Some("Sede Cusco"),
                None,
            );
            self.assets
                .insert(id, (PatrimonialCode::parse(code).expect("code"), vec![e]));
            id
        }
        fn snap(&self, id: AssetId) -> Option<AssetSnapshot> {
            self.assets.get(&id).map(|(code, h)| AssetSnapshot {
                code: code.clone(),
                state: fold(h),
                custodian_name: Some("QUISPE, Ana".into()),
            })
        }
        fn state(&self, id: AssetId) -> AssetState {
            fold(&self.assets[&id].1)
        }
        fn apply(&mut self, events: Vec<AssetEvent>) {
            for e in events {
                if let Some((_, h)) = self.assets.get_mut(&e.asset_id) {
                    h.push(e);
                }
            }
        }
        fn check(&self, p: PersonId, w: &[AssetId], a: &[AssetId]) -> Result<()> {
            let i = |v: &[AssetId]| {
                v.iter()
                    .map(|id| DocItemInput {
                        asset_id: *id,
                        remarks: None,
                    })
                    .collect::<Vec<_>>()
            };
            check_assignment(p, &i(w), &i(a), &|id| self.snap(id))
        }
        fn cargo(&self, p: PersonId, w: &[AssetId], a: &[AssetId]) -> Assignment {
            let item = |id: &AssetId| DocItem {
                asset_id: *id,
                code: self.assets[id].0.clone(),
                equipment: "CPU".into(),
                brand: None,
                remarks: None,
            };
            let mut lifecycle = Lifecycle::draft();
            lifecycle
                .issue(
                    DocNumber {
                        kind: DocKind::Assignment,
                        unit_code: "UT-CUSCO".into(),
                        year: 2026,
                        seq: 1,
                    },
                    Utc::now(),
                    "el cargo",
                )
                .expect("issue");
            lifecycle.sign(Utc::now(), "el cargo").expect("sign");
            Assignment {
                id: AssignmentId::new(),
                unit_code: "UT-CUSCO".into(),
                lifecycle,
                date: NaiveDate::from_ymd_opt(2026, 3, 2).expect("date"),
                person_id: p,
                person: PersonBrief::default(),
                office: Some("Logística".into()),
                withdrawn: w.iter().map(item).collect(),
                assigned: a.iter().map(item).collect(),
                technician_id: TechnicianId::new(),
                technician: PersonBrief::default(),
                corrects: None,
                corrects_number: None,
                attention_id: None,
                created_at: Utc::now(),
                updated_at: Utc::now(),
            }
        }
    }

    #[test]
    fn an_asset_in_the_warehouse_can_be_assigned_and_the_custodian_follows() {
        let mut w = World::new();
        let cpu = w.add("740899500001", None);
        let ana = PersonId::new();
        w.check(ana, &[], &[cpu]).expect("free asset");
        let c = w.cargo(ana, &[], &[cpu]);
        assert_eq!(c.lifecycle.status, DocStatus::Firmado);
        w.apply(assignment_events(&c, Utc::now(), c.technician_id));
        let s = w.state(cpu);
        assert_eq!(s.custodian_id, Some(ana));
        assert_eq!(s.office.as_deref(), Some("Logística"));
        assert_eq!(s.status, AssetStatus::EnUso);
    }

    #[test]
    fn double_assignment_is_refused_without_the_withdrawal() {
        let mut w = World::new();
        let ana = PersonId::new();
        let luis = PersonId::new();
        let cpu = w.add("740899500002", Some(ana));
        let e = w.check(luis, &[], &[cpu]).expect_err("held by Ana");
        assert_eq!(e.code, CODE_ASSET_UNAVAILABLE);
        assert_eq!(e.field.as_deref(), Some("assigned"));
        assert!(e.message.contains("740899500002"), "{}", e.message);
        assert!(e.message.contains("QUISPE, Ana"), "{}", e.message);
        assert!(e.message.contains("agregue su retiro"), "{}", e.message);
        // With the withdrawal in the same cargo it is allowed, and Luis ends as custodian.
        w.check(luis, &[cpu], &[cpu]).expect("withdraw then assign");
        let c = w.cargo(luis, &[cpu], &[cpu]);
        let events = assignment_events(&c, Utc::now(), c.technician_id);
        assert_eq!(events[0].kind, AssetEventKind::Devolucion);
        assert_eq!(events[1].kind, AssetEventKind::Asignacion);
        w.apply(events);
        assert_eq!(w.state(cpu).custodian_id, Some(luis));
        // Assigning again to the same person is refused too.
        let e = w.check(luis, &[], &[cpu]).expect_err("already his");
        assert!(e.message.contains("misma persona"), "{}", e.message);
    }

    #[test]
    fn assets_in_baja_cannot_be_assigned_nor_withdrawn() {
        let mut w = World::new();
        let ana = PersonId::new();
        let old = w.add("740899500003", Some(ana));
        w.assets.get_mut(&old).expect("asset").1.push(event(
            old,
            AssetEventKind::Baja,
            None,
            None,
            None,
        ));
        let e = w.check(ana, &[], &[old]).expect_err("baja");
        assert_eq!(e.code, CODE_ASSET_UNAVAILABLE);
        assert!(e.message.contains("dado de baja"), "{}", e.message);
        let e = w
            .check(ana, &[old], &[old])
            .expect_err("baja even with withdrawal");
        assert!(e.message.contains("dado de baja"), "{}", e.message);
    }

    #[test]
    fn withdrawal_of_an_unassigned_asset_and_duplicate_rows_are_refused() {
        let mut w = World::new();
        let ana = PersonId::new();
        let free = w.add("740899500004", None);
        let e = w.check(ana, &[free], &[]).expect_err("nothing to withdraw");
        assert!(
            e.message.contains("no está asignado a nadie"),
            "{}",
            e.message
        );
        let e = w.check(ana, &[], &[free, free]).expect_err("twice");
        assert_eq!(e.code, ErrorCode::ValorInvalido);
        assert!(e.message.contains("dos veces"));
        let e = w.check(ana, &[], &[AssetId::new()]).expect_err("unknown");
        assert_eq!(e.code, ErrorCode::NoEncontrado);
    }

    #[test]
    fn a_cargo_without_rows_is_incomplete() {
        let w = World::new();
        let c = w.cargo(PersonId::new(), &[], &[]);
        assert_eq!(
            c.ensure_complete().map_err(|e| e.code),
            Err(ErrorCode::CampoRequerido)
        );
    }
}
