//! The replicated columns of the operations tables (migration 0030), for
//! [`crate::write::Entity`]. The local file table `maintenance_report_file` is not here and
//! never travels.

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
