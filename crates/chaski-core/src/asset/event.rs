//! The asset's history: append-only events, and the fold that turns them into the present.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::kind::Operability;
use crate::document::Lifecycle;
use crate::ids::{AssetEventId, AssetId, PersonId, TechnicianId};
use crate::numbering::{DocKind, DocNumber};

/// What happened to an asset (*registro de alta, baja y traslado*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AssetEventKind {
    /// Entered the register (by hand): sets where it is and who holds it, if anyone.
    Alta,
    /// Loaded or reconciled from the unit's official SBN inventory: sets custody as the sheet
    /// says.
    Inventario,
    /// Handed to a person by a signed cargo.
    Asignacion,
    /// Taken back from its custodian by a signed cargo; goes to the warehouse.
    Devolucion,
    /// Moved to another site by a signed traslado.
    Traslado,
    /// Decommissioned (informe técnico de baja): leaves custody for ever.
    Baja,
    /// A diagnostic found it working (changes the asset's operability, not its custody).
    Operativo,
    /// A diagnostic found it not working (changes the asset's operability, not its custody).
    Inoperativo,
    /// Listed in a signed informe técnico de baja: the administration decides; custody and
    /// status stay until the baja itself is recorded.
    BajaPropuesta,
}

impl AssetEventKind {
    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Alta => "alta",
            Self::Inventario => "inventario",
            Self::Asignacion => "asignacion",
            Self::Devolucion => "devolucion",
            Self::Traslado => "traslado",
            Self::Baja => "baja",
            Self::Operativo => "operativo",
            Self::Inoperativo => "inoperativo",
            Self::BajaPropuesta => "baja_propuesta",
        }
    }

    /// The operability an event sets, if it is a diagnostic's event.
    pub fn operability(self) -> Option<Operability> {
        match self {
            Self::Operativo => Some(Operability::Operativo),
            Self::Inoperativo => Some(Operability::Inoperativo),
            _ => None,
        }
    }

    /// The event that records a diagnostic's result.
    pub fn for_operability(o: Operability) -> Self {
        match o {
            Operability::Operativo => Self::Operativo,
            Operability::Inoperativo => Self::Inoperativo,
        }
    }

    /// Reads the stable code.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Alta,
            Self::Inventario,
            Self::Asignacion,
            Self::Devolucion,
            Self::Traslado,
            Self::Baja,
            Self::Operativo,
            Self::Inoperativo,
            Self::BajaPropuesta,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }

    /// Label on screen.
    pub fn label(self) -> &'static str {
        match self {
            Self::Alta => "Alta",
            Self::Inventario => "Inventario importado",
            Self::Asignacion => "Asignación",
            Self::Devolucion => "Devolución",
            Self::Traslado => "Traslado",
            Self::Baja => "Baja",
            Self::Operativo => "Diagnosticado operativo",
            Self::Inoperativo => "Diagnosticado inoperativo",
            Self::BajaPropuesta => "Baja propuesta",
        }
    }
}

/// The document that produced an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocRef {
    /// `assignment` or `transfer` (the [`crate::numbering::DocKind`] code).
    pub kind: String,
    #[ts(type = "string")]
    pub id: Uuid,
    /// `N° 007-2026`.
    pub number: Option<String>,
}

impl DocRef {
    /// The reference of a numbered document (cargo, traslado, informe de baja) as its
    /// lifecycle stands when it is signed.
    pub fn to_document(kind: DocKind, id: Uuid, lifecycle: &Lifecycle) -> Self {
        Self {
            kind: kind.code().to_string(),
            id,
            number: lifecycle.number.as_ref().map(DocNumber::text),
        }
    }
}

/// One entry of an asset's history. Never updated, never deleted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AssetEvent {
    pub id: AssetEventId,
    pub asset_id: AssetId,
    pub kind: AssetEventKind,
    pub at: DateTime<Utc>,
    /// Alta / inventario / asignación: the custodian after the event.
    pub custodian_id: Option<PersonId>,
    /// Alta / inventario / traslado (and optionally asignación): the site after the event.
    pub site: Option<String>,
    /// Alta / inventario / asignación (optionally traslado): the office after the event.
    pub office: Option<String>,
    pub document: Option<DocRef>,
    pub remarks: Option<String>,
    pub technician_id: TechnicianId,
}

/// Whether the asset is with someone, in the warehouse, or gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AssetStatus {
    /// Assigned to a custodian.
    EnUso,
    /// In the UAST warehouse, without custodian.
    #[default]
    EnAlmacen,
    /// Decommissioned.
    DeBaja,
}

impl AssetStatus {
    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::EnUso => "en_uso",
            Self::EnAlmacen => "en_almacen",
            Self::DeBaja => "de_baja",
        }
    }

    /// Reads the stable code.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::EnUso, Self::EnAlmacen, Self::DeBaja]
            .into_iter()
            .find(|k| k.code() == s)
    }
}

/// The present of an asset: what its events add up to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct AssetState {
    pub custodian_id: Option<PersonId>,
    pub site: Option<String>,
    pub office: Option<String>,
    pub status: AssetStatus,
}

impl AssetState {
    /// Applies one event.
    pub fn apply(&mut self, e: &AssetEvent) {
        match e.kind {
            AssetEventKind::Alta | AssetEventKind::Inventario => {
                self.custodian_id = e.custodian_id;
                self.site = e.site.clone();
                self.office = e.office.clone();
                self.status = if e.custodian_id.is_some() {
                    AssetStatus::EnUso
                } else {
                    AssetStatus::EnAlmacen
                };
            }
            AssetEventKind::Asignacion => {
                self.custodian_id = e.custodian_id;
                if e.site.is_some() {
                    self.site = e.site.clone();
                }
                if e.office.is_some() {
                    self.office = e.office.clone();
                }
                self.status = AssetStatus::EnUso;
            }
            AssetEventKind::Devolucion => {
                self.custodian_id = None;
                self.office = None;
                self.status = AssetStatus::EnAlmacen;
            }
            AssetEventKind::Traslado => {
                if e.site.is_some() {
                    self.site = e.site.clone();
                }
                if e.office.is_some() {
                    self.office = e.office.clone();
                }
            }
            AssetEventKind::Baja => {
                self.custodian_id = None;
                self.status = AssetStatus::DeBaja;
            }
            // Operability is a descriptive column kept by the store (see
            // [`last_operability`]); a proposal changes nothing until the baja is recorded.
            AssetEventKind::Operativo
            | AssetEventKind::Inoperativo
            | AssetEventKind::BajaPropuesta => {}
        }
    }
}

/// The present of an asset from its events, in the order they happened (the store orders them
/// by time, then by id, which is a UUIDv7 and so follows creation order).
pub fn fold<'a>(events: impl IntoIterator<Item = &'a AssetEvent>) -> AssetState {
    let mut s = AssetState::default();
    for e in events {
        s.apply(e);
    }
    s
}

/// The operability the history last recorded (the last diagnostic event), if any.
pub fn last_operability<'a>(
    events: impl IntoIterator<Item = &'a AssetEvent>,
) -> Option<Operability> {
    events
        .into_iter()
        .filter_map(|e| e.kind.operability())
        .last()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn event(
        asset: AssetId,
        kind: AssetEventKind,
        custodian: Option<PersonId>,
        site: Option<&str>,
        office: Option<&str>,
    ) -> AssetEvent {
        AssetEvent {
            id: AssetEventId::new(),
            asset_id: asset,
            kind,
            at: Utc::now(),
            custodian_id: custodian,
            site: site.map(str::to_string),
            office: office.map(str::to_string),
            document: None,
            remarks: None,
            technician_id: TechnicianId::new(),
        }
    }

    #[test]
    fn custodian_site_and_status_follow_the_events() {
        use AssetEventKind as K;
        let a = AssetId::new();
        let ana = PersonId::new();
        let luis = PersonId::new();
        let mut h = vec![event(a, K::Alta, None, Some("Sede Cusco"), None)];
        assert_eq!(
            fold(&h),
            AssetState {
                custodian_id: None,
                site: Some("Sede Cusco".into()),
                office: None,
                status: AssetStatus::EnAlmacen
            }
        );
        h.push(event(a, K::Asignacion, Some(ana), None, Some("Logística")));
        let s = fold(&h);
        assert_eq!(s.custodian_id, Some(ana));
        assert_eq!(s.site.as_deref(), Some("Sede Cusco"));
        assert_eq!(s.office.as_deref(), Some("Logística"));
        assert_eq!(s.status, AssetStatus::EnUso);
        h.push(event(a, K::Traslado, None, Some("Sede Sicuani"), None));
        let s = fold(&h);
        assert_eq!(s.custodian_id, Some(ana), "a traslado keeps the custodian");
        assert_eq!(s.site.as_deref(), Some("Sede Sicuani"));
        h.push(event(a, K::Devolucion, None, None, None));
        h.push(event(a, K::Asignacion, Some(luis), None, Some("Tesorería")));
        let s = fold(&h);
        assert_eq!(s.custodian_id, Some(luis));
        assert_eq!(s.office.as_deref(), Some("Tesorería"));
        h.push(event(a, K::Baja, None, None, None));
        let s = fold(&h);
        assert_eq!(s.custodian_id, None);
        assert_eq!(s.status, AssetStatus::DeBaja);
        assert_eq!(
            fold(&h[..2]).custodian_id,
            Some(ana),
            "a prefix is the past"
        );
    }

    #[test]
    fn inventory_resets_custody_to_the_sheet() {
        let a = AssetId::new();
        let p = PersonId::new();
        let h = [
            event(a, AssetEventKind::Alta, Some(p), Some("A"), Some("X")),
            event(a, AssetEventKind::Inventario, None, Some("B"), None),
        ];
        let s = fold(&h);
        assert_eq!(s.custodian_id, None);
        assert_eq!(s.site.as_deref(), Some("B"));
        assert_eq!(s.status, AssetStatus::EnAlmacen);
        for k in [
            AssetEventKind::Alta,
            AssetEventKind::Baja,
            AssetEventKind::Traslado,
        ] {
            assert_eq!(AssetEventKind::parse(k.code()), Some(k));
        }
    }

    #[test]
    fn diagnostic_and_proposal_events_keep_custody_and_set_operability() {
        use AssetEventKind as K;
        let a = AssetId::new();
        let p = PersonId::new();
        let mut h = vec![event(a, K::Alta, Some(p), Some("Sede Cusco"), Some("OTI"))];
        let before = fold(&h);
        assert_eq!(last_operability(&h), None, "no diagnostic yet");
        h.push(event(a, K::Inoperativo, None, None, None));
        h.push(event(a, K::BajaPropuesta, None, None, None));
        assert_eq!(fold(&h), before, "custody, site and status do not move");
        assert_eq!(last_operability(&h), Some(Operability::Inoperativo));
        h.push(event(a, K::Operativo, None, None, None));
        assert_eq!(last_operability(&h), Some(Operability::Operativo));
        for k in [K::Operativo, K::Inoperativo, K::BajaPropuesta] {
            assert_eq!(K::parse(k.code()), Some(k));
            assert_eq!(serde_json::to_value(k).expect("json"), k.code());
        }
        assert_eq!(
            K::for_operability(Operability::Inoperativo).operability(),
            Some(Operability::Inoperativo)
        );
        assert_eq!(K::BajaPropuesta.operability(), None);
    }
}
