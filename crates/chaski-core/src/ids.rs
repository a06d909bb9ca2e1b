//! Record ids: UUIDv7 made where the record is created (time-ordered, so indexes stay compact
//! and ids sort roughly by creation), wrapped in one newtype per record kind so a person id can
//! never be passed where an attention id is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[serde(transparent)]
        #[ts(type = "string")]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new UUIDv7 id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// The inner UUID.
            pub fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.as_hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }
    };
}

id_type!(
    /// Id of a [`crate::person::Person`].
    PersonId
);
id_type!(
    /// Id of an [`crate::unit::Office`].
    OfficeId
);
id_type!(
    /// Id of a [`crate::person::Technician`].
    TechnicianId
);
id_type!(
    /// Id of an [`crate::attention::Attention`].
    AttentionId
);
id_type!(
    /// Id of one escalation-history entry.
    EscalationId
);
id_type!(
    /// Id of one status-history entry.
    StatusChangeId
);
id_type!(
    /// Id of this installation (the device that makes changes).
    DeviceId
);
id_type!(
    /// Id of an asset (bien / equipo).
    AssetId
);
id_type!(
    /// Id of one entry of an asset's history.
    AssetEventId
);
id_type!(
    /// Id of a cargo de asignación.
    AssignmentId
);
id_type!(
    /// Id of a traslado.
    TransferId
);
id_type!(
    /// Id of a diagnostic (insert-only).
    DiagnosticId
);
id_type!(
    /// Id of an informe técnico de baja.
    DecommissionReportId
);
id_type!(
    /// Id of the maintenance plan of an asset kind.
    MaintenancePlanId
);
id_type!(
    /// Id of one preventive maintenance record.
    MaintenanceId
);
id_type!(
    /// Id of an escalation to a third-party provider.
    ProviderEscalationId
);
id_type!(
    /// Id of a warehouse review (insert-only).
    WarehouseReviewId
);

id_type!(
    /// Id of a [`crate::sla::Pause`] of an attention's clock.
    PauseId
);

id_type!(
    /// Id of a [`crate::official_letter::OfficialLetter`] (oficio).
    OfficialLetterId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_and_round_trip_as_text() {
        let a = AttentionId::new();
        assert_eq!(a.uuid().get_version_num(), 7);
        assert_eq!(a.to_string().parse::<AttentionId>(), Ok(a));
        let json = serde_json::to_string(&a).expect("serialize");
        assert_eq!(json, format!("\"{a}\""));
    }
}
