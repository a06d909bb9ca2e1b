//! The replicated schema: every kind of record that travels between devices and the
//! server, the fields a change of it may carry, its Spanish name for people, and the
//! numbering kind of the documents that carry their own number.
//!
//! One typed list used by the local store (tables and columns), the server (numbering,
//! ownership) and the app (labels), so that a new entity cannot be half added: every match
//! below is exhaustive. The entity name is also the local table's name.

use chaski_core::numbering::DocKind;

/// The kinds of replicated records, with their tables and the columns a change may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Office,
    Person,
    Technician,
    Attention,
    AttentionEscalation,
    AttentionStatusChange,
    Asset,
    AssetEvent,
    Assignment,
    Transfer,
    GeneratedDocument,
    Diagnostic,
    DecommissionReport,
    MaintenancePlan,
    Maintenance,
    ProviderEscalation,
    WarehouseReview,
    AttentionPause,
    OfficialLetter,
}

impl Entity {
    /// Every replicated entity.
    pub const ALL: &'static [Entity] = &[
        Entity::Office,
        Entity::Person,
        Entity::Technician,
        Entity::Attention,
        Entity::AttentionEscalation,
        Entity::AttentionStatusChange,
        Entity::Asset,
        Entity::AssetEvent,
        Entity::Assignment,
        Entity::Transfer,
        Entity::GeneratedDocument,
        Entity::Diagnostic,
        Entity::DecommissionReport,
        Entity::MaintenancePlan,
        Entity::Maintenance,
        Entity::ProviderEscalation,
        Entity::WarehouseReview,
        Entity::AttentionPause,
        Entity::OfficialLetter,
    ];

    /// The table, which is also the `entity` text of a [`Change`].
    pub fn table(self) -> &'static str {
        match self {
            Entity::Office => "office",
            Entity::Person => "person",
            Entity::Technician => "technician",
            Entity::Attention => "attention",
            Entity::AttentionEscalation => "attention_escalation",
            Entity::AttentionStatusChange => "attention_status_change",
            Entity::Asset => "asset",
            Entity::AssetEvent => "asset_event",
            Entity::Assignment => "assignment",
            Entity::Transfer => "transfer",
            Entity::GeneratedDocument => "generated_document",
            Entity::Diagnostic => "diagnostic",
            Entity::DecommissionReport => "decommission_report",
            Entity::MaintenancePlan => "maintenance_plan",
            Entity::Maintenance => "maintenance",
            Entity::ProviderEscalation => "provider_escalation",
            Entity::WarehouseReview => "warehouse_review",
            Entity::AttentionPause => "attention_pause",
            Entity::OfficialLetter => "official_letter",
        }
    }

    /// Reads the `entity` text of a change.
    pub fn from_table(name: &str) -> Option<Entity> {
        Self::ALL.iter().copied().find(|e| e.table() == name)
    }

    /// The replicated columns (besides `id`). Local-only columns (`attention.seq`, generated
    /// search columns) are not here and never travel.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Entity::Office => &["unit_code", "name", "created_at"],
            Entity::Person => &[
                "unit_code",
                "last_names",
                "first_names",
                "dni",
                "phones",
                "email",
                "office_id",
                "created_at",
                "created_by",
                "updated_at",
                "updated_by",
            ],
            Entity::Technician => &[
                "unit_code",
                "last_names",
                "first_names",
                "dni",
                "active",
                "created_at",
                "updated_at",
            ],
            Entity::Attention => &[
                "unit_code",
                "year",
                "number",
                "received_at",
                "started_at",
                "resolved_at",
                "requester_id",
                "office_id",
                "problem",
                "solution",
                "service_code",
                "status",
                "channel",
                "kind",
                "priority",
                "escalation_level",
                "technician_id",
                "asset_code",
                "conformity_accepted",
                "conformity_at",
                "conformity_remark",
                "created_at",
                "created_by",
                "updated_at",
                "updated_by",
            ],
            Entity::AttentionEscalation => &[
                "attention_id",
                "from_level",
                "to_level",
                "reason",
                "technician_id",
                "at",
            ],
            Entity::AttentionStatusChange => &[
                "attention_id",
                "from_status",
                "to_status",
                "reason",
                "technician_id",
                "at",
            ],
            Entity::Asset => ASSET_COLUMNS,
            Entity::AssetEvent => ASSET_EVENT_COLUMNS,
            Entity::Assignment => ASSIGNMENT_COLUMNS,
            Entity::Transfer => TRANSFER_COLUMNS,
            Entity::GeneratedDocument => GENERATED_DOCUMENT_COLUMNS,
            Entity::Diagnostic => DIAGNOSTIC_COLUMNS,
            Entity::DecommissionReport => DECOMMISSION_REPORT_COLUMNS,
            Entity::MaintenancePlan => MAINTENANCE_PLAN_COLUMNS,
            Entity::Maintenance => MAINTENANCE_COLUMNS,
            Entity::ProviderEscalation => PROVIDER_ESCALATION_COLUMNS,
            Entity::WarehouseReview => WAREHOUSE_REVIEW_COLUMNS,
            Entity::AttentionPause => ATTENTION_PAUSE_COLUMNS,
            Entity::OfficialLetter => OFFICIAL_LETTER_COLUMNS,
        }
    }
}

/// `asset`.
pub const ASSET_COLUMNS: &[&str] = &[
    "unit_code",
    "code",
    "denomination",
    "kind",
    "brand",
    "model",
    "serial",
    "color",
    "condition",
    "operability",
    "warranty_end",
    "remarks",
    "site",
    "office",
    "custodian_id",
    "status",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

/// `asset_event` (insert-only).
pub const ASSET_EVENT_COLUMNS: &[&str] = &[
    "asset_id",
    "kind",
    "at",
    "custodian_id",
    "site",
    "office",
    "doc_kind",
    "doc_id",
    "doc_number",
    "remarks",
    "technician_id",
];

/// `assignment`.
pub const ASSIGNMENT_COLUMNS: &[&str] = &[
    "unit_code",
    "status",
    "year",
    "number",
    "date",
    "person_id",
    "office",
    "withdrawn",
    "assigned",
    "technician_id",
    "corrects_id",
    "attention_id",
    "issued_at",
    "signed_at",
    "annulled_at",
    "annul_reason",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

/// `transfer`.
pub const TRANSFER_COLUMNS: &[&str] = &[
    "unit_code",
    "status",
    "year",
    "number",
    "date",
    "origin_site",
    "destination_site",
    "items",
    "reason",
    "handed_by",
    "received_by",
    "technician_id",
    "corrects_id",
    "issued_at",
    "signed_at",
    "annulled_at",
    "annul_reason",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

/// `diagnostic` (insert-only).
pub const DIAGNOSTIC_COLUMNS: &[&str] = &[
    "unit_code",
    "asset_id",
    "date",
    "attention_id",
    "technician_id",
    "symptoms",
    "checks",
    "findings",
    "parts_needed",
    "warranty",
    "warranty_end",
    "warranty_contact",
    "time_spent_minutes",
    "estimated_minutes",
    "it_office_proposed",
    "moved_to_it_office",
    "stay_reason",
    "result",
    "recommendation",
    "format",
    "corrects_id",
    "correction_reason",
    "created_at",
    "created_by",
];

/// `decommission_report`.
pub const DECOMMISSION_REPORT_COLUMNS: &[&str] = &[
    "unit_code",
    "status",
    "year",
    "number",
    "date",
    "items",
    "justification",
    "chief_name",
    "chief_position",
    "technician_id",
    "corrects_id",
    "issued_at",
    "signed_at",
    "annulled_at",
    "annul_reason",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

/// `maintenance_plan`.
pub const MAINTENANCE_PLAN_COLUMNS: &[&str] = &[
    "unit_code",
    "asset_kind",
    "interval_months",
    "active",
    "updated_at",
    "updated_by",
];

/// `maintenance`.
pub const MAINTENANCE_COLUMNS: &[&str] = &[
    "unit_code",
    "asset_id",
    "performed_at",
    "performer",
    "provider_name",
    "technician_id",
    "work_done",
    "remarks",
    "verification_at",
    "verification_faults",
    "verification_remarks",
    "report_file_name",
    "report_sha256",
    "escalation_id",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

/// `provider_escalation`.
pub const PROVIDER_ESCALATION_COLUMNS: &[&str] = &[
    "unit_code",
    "attention_id",
    "diagnostic_id",
    "maintenance_id",
    "asset_id",
    "provider",
    "contact",
    "means",
    "escalated_at",
    "description",
    "provider_ticket",
    "technician_id",
    "completed_at",
    "completion_note",
    "conformity_at",
    "conformity_accepted",
    "conformity_remark",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

/// `warehouse_review` (insert-only, migration 0035).
pub const WAREHOUSE_REVIEW_COLUMNS: &[&str] = &[
    "unit_code",
    "date",
    "technician_id",
    "items",
    "remarks",
    "created_at",
    "created_by",
];

/// `attention_pause`: a pause of an attention's clock (migration 0040).
pub const ATTENTION_PAUSE_COLUMNS: &[&str] = &[
    "attention_id",
    "kind",
    "reason",
    "starts_at",
    "until_at",
    "ended_at",
    "technician_id",
    "created_at",
];

/// `official_letter`: an oficio and its deadlines (migration 0040).
pub const OFFICIAL_LETTER_COLUMNS: &[&str] = &[
    "unit_code",
    "number",
    "sender",
    "sgd_reference",
    "received_on",
    "escalated_on",
    "has_location_data",
    "located_on",
    "attention_ids",
    "outcome",
    "outcome_reason",
    "archived_on",
    "closed_on",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

/// The replicated columns of `generated_document` (besides `id`), for [`Entity::columns`].
pub const GENERATED_DOCUMENT_COLUMNS: &[&str] = &[
    "unit_code",
    "kind",
    "number",
    "source_id",
    "version",
    "previous_id",
    "content_sha256",
    "file_sha256",
    "file_size",
    "signature_count",
    "created_at",
    "created_by",
];

impl Entity {
    /// The `entity` text of a change (same as [`Entity::table`]).
    pub fn name(self) -> &'static str {
        self.table()
    }

    /// What people call a record of this kind, in Spanish, lower case (conflict lists,
    /// refused changes).
    pub fn label(self) -> &'static str {
        match self {
            Entity::Office => "oficina",
            Entity::Person => "persona",
            Entity::Technician => "personal de soporte",
            Entity::Attention => "atención",
            Entity::AttentionEscalation => "escalamiento",
            Entity::AttentionStatusChange => "cambio de estado",
            Entity::Asset => "bien",
            Entity::AssetEvent => "movimiento de bien",
            Entity::Assignment => "cargo de asignación",
            Entity::Transfer => "traslado",
            Entity::GeneratedDocument => "documento generado",
            Entity::Diagnostic => "diagnóstico",
            Entity::DecommissionReport => "informe de baja",
            Entity::MaintenancePlan => "plan de mantenimiento",
            Entity::Maintenance => "mantenimiento",
            Entity::ProviderEscalation => "escalamiento al proveedor",
            Entity::WarehouseReview => "revisión de almacén",
            Entity::AttentionPause => "pausa de atención",
            Entity::OfficialLetter => "oficio",
        }
    }

    /// The numbering kind of records that carry their document number in their own `year`
    /// and `number` fields; other records carry none, or carry one in
    /// [`FIELD_DOC_KIND`](crate::FIELD_DOC_KIND) and its companions.
    pub fn number_kind(self) -> Option<DocKind> {
        match self {
            Entity::Attention => Some(DocKind::Attention),
            Entity::Assignment => Some(DocKind::Assignment),
            Entity::Transfer => Some(DocKind::Transfer),
            Entity::DecommissionReport => Some(DocKind::Decommission),
            Entity::Office
            | Entity::Person
            | Entity::Technician
            | Entity::AttentionEscalation
            | Entity::AttentionStatusChange
            | Entity::Asset
            | Entity::AssetEvent
            | Entity::GeneratedDocument
            | Entity::Diagnostic
            | Entity::MaintenancePlan
            | Entity::Maintenance
            | Entity::ProviderEscalation
            | Entity::WarehouseReview
            | Entity::AttentionPause
            | Entity::OfficialLetter => None,
        }
    }
}

impl Entity {
    /// Records that are written once and never edited or deleted: a correction is a new
    /// record (`corrects_id`). The server refuses any later change to them.
    pub fn insert_only(self) -> bool {
        match self {
            Entity::AttentionEscalation
            | Entity::AttentionStatusChange
            | Entity::AssetEvent
            | Entity::GeneratedDocument
            | Entity::Diagnostic
            | Entity::WarehouseReview => true,
            Entity::Office
            | Entity::Person
            | Entity::Technician
            | Entity::Attention
            | Entity::Asset
            | Entity::Assignment
            | Entity::Transfer
            | Entity::DecommissionReport
            | Entity::MaintenancePlan
            | Entity::Maintenance
            | Entity::ProviderEscalation
            | Entity::AttentionPause
            | Entity::OfficialLetter => false,
        }
    }
}

/// Fields that name a technician (a [`Entity::Technician`] record) in any entity: who made,
/// last changed or did the work. A device may name only technicians of its own unit.
pub const TECHNICIAN_REFERENCES: &[&str] = &["created_by", "updated_by", "technician_id"];

/// The Spanish label of an `entity` text, or «registro» for a name this build does not know
/// (a change written by a newer version).
pub fn label_of(entity: &str) -> &'static str {
    Entity::from_table(entity).map_or("registro", Entity::label)
}

/// Every numbering kind (the `kind` of a number block).
pub const NUMBER_KINDS: &[DocKind] = &[
    DocKind::Attention,
    DocKind::Assignment,
    DocKind::Transfer,
    DocKind::Decommission,
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_entity_has_its_own_spanish_label() {
        let mut seen = BTreeSet::new();
        for e in Entity::ALL {
            let label = e.label();
            assert!(!label.is_empty() && label != "registro", "{e:?}");
            assert!(seen.insert(label), "two entities called «{label}»");
            assert_eq!(label_of(e.name()), label);
        }
        assert_eq!(label_of("otra_cosa"), "registro");
    }

    #[test]
    fn names_round_trip_and_fields_are_unique() {
        for e in Entity::ALL {
            assert_eq!(Entity::from_table(e.name()), Some(*e));
            let fields: BTreeSet<_> = e.columns().iter().collect();
            assert_eq!(fields.len(), e.columns().len(), "{e:?} repeats a field");
            assert!(!e.columns().contains(&"id"), "{e:?}");
        }
        assert_eq!(Entity::ALL.len(), 19);
    }

    #[test]
    fn every_numbering_kind_has_one_entity_and_the_attention_kind_is_the_wire_one() {
        for kind in NUMBER_KINDS {
            let carriers: Vec<_> = Entity::ALL
                .iter()
                .filter(|e| e.number_kind() == Some(*kind))
                .collect();
            assert_eq!(carriers.len(), 1, "{kind:?}");
        }
        assert_eq!(DocKind::Attention.code(), crate::KIND_ATTENTION);
    }
}
