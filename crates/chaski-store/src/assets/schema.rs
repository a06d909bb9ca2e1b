//! The replicated columns of the asset tables (migration 0010), for [`crate::write::Entity`].
//! Local-only columns (`asset.seq`) are not here and never travel.

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
