//! Chaski's sync protocol as it travels: the versioned request and response types of the
//! central server's HTTP API (`/v1/...`), shared by the server (`chaski-server`) and the
//! client (`chaski-sync`); the OpenAPI document is generated from them, so a client in
//! another language can be written from that document alone.
//!
//! This crate depends on the domain (`chaski-core`) and on serialization only, so the server
//! links neither the desktop store nor the HTTP client. Beside the messages:
//!
//! - [`codes`]: the stable error codes, and [`RejectCode`] for a refused change, with its
//!   meaning in Spanish;
//! - [`entity`]: the one typed list of replicated entities ([`Entity`]): fields, Spanish
//!   labels, numbering kinds;
//! - [`enrolment`]: the grammar of one-time enrolment codes.
//!
//! Every route lives under `/v1/`. Bodies are JSON; a client may gzip a request body
//! (`Content-Encoding: gzip`) and should accept gzip responses. Every error answer is an
//! [`ApiError`] `{code, message}` with a 4xx status (or 5xx only for a real server fault).
//!
//! These structs are part of the protocol: never rename or remove a field; add optional
//! fields only (with `#[serde(default)]`), and bump [`PROTOCOL_VERSION`] when a change is not
//! backwards compatible.
#![forbid(unsafe_code)]

pub mod codes;
pub mod enrolment;
pub mod entity;

pub use codes::RejectCode;
pub use entity::Entity;

use std::collections::BTreeMap;

use chaski_core::change::Change;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The protocol version this build speaks. A hello lists the range a client speaks; the
/// server answers the highest version both speak, or refuses with `protocol_unsupported`.
pub const PROTOCOL_VERSION: u32 = 1;
/// The oldest protocol version this build still speaks.
pub const PROTOCOL_MIN: u32 = 1;
/// The replicated-schema version (which entities and fields a change may carry). A server
/// accepts clients of its own schema version and of the one before it; anything else is
/// refused with `client_outdated` or `server_outdated`. A client is also refused
/// (`client_outdated`) when a unit it reads already holds data pushed by a client of a newer
/// schema, which it could not apply.
///
/// - 1: issues 1–5 (attentions, persons, assets, cargos, traslados, generated documents).
/// - 2: the hardware-operations entities (`diagnostic`, `decommission_report`, `maintenance_plan`,
///   `maintenance`, `provider_escalation`), `asset_event` kinds `operativo`, `inoperativo`,
///   `baja_propuesta` and doc kinds `diagnostic`, `decommission` (client migration 0030);
///   attentions without a number (unnumbered drafts, client migration 0103).
pub const SCHEMA_VERSION: u32 = 2;

/// Largest number of changes in one push.
pub const MAX_PUSH_CHANGES: usize = 1000;
/// Largest page a pull may ask for.
pub const MAX_PULL_LIMIT: u32 = 5000;
/// Page size used when a pull does not say.
pub const DEFAULT_PULL_LIMIT: u32 = 1000;
/// Largest number block a device may reserve at once.
pub const MAX_BLOCK_SIZE: u32 = 1000;
/// How far ahead of the server's clock a change's stamp may be: a change stamped later is
/// rejected `clock_ahead` (a PC set forward would otherwise drag every replica's clock).
pub const MAX_CLOCK_AHEAD_MS: u64 = 5 * 60 * 1000;

/// Field names a change uses to carry a document number. If one is present, all three must
/// be: the server checks the number against the device's reserved blocks. (Attentions carry
/// their number in their own `year` and `number` fields, kind [`KIND_ATTENTION`].)
pub const FIELD_DOC_KIND: &str = "doc_kind";
/// The numbering kind of attentions (entity `attention`, fields `year` and `number`).
pub const KIND_ATTENTION: &str = "attention";
/// See [`FIELD_DOC_KIND`].
pub const FIELD_DOC_YEAR: &str = "doc_year";
/// See [`FIELD_DOC_KIND`].
pub const FIELD_DOC_NUMBER: &str = "doc_number";
/// Once a record has a non-null `signed_at`, every later change to it is rejected
/// (`document_signed`): signed documents never merge.
pub const FIELD_SIGNED_AT: &str = "signed_at";
/// A delete is stored, merged and replicated as this pseudo-field set to `true`.
pub const FIELD_DELETED: &str = "_deleted";

/// The JSON body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"code": "unit_forbidden", "message": "Este equipo pertenece a UT-CUSCO y no puede leer los datos de UT-PUNO."}))]
pub struct ApiError {
    /// Stable snake_case code; a client decides what to do from it.
    pub code: String,
    /// A message in Spanish for the person, saying what to do.
    pub message: String,
}

/// `POST /v1/hello`: the first message of every sync. Works with or without a device token;
/// with one, the answer also describes the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"protocol_min": 1, "protocol_max": 1, "schema_version": 2, "last_device_seq": 42}))]
pub struct HelloRequest {
    /// Oldest protocol version the client speaks.
    pub protocol_min: u32,
    /// Newest protocol version the client speaks.
    pub protocol_max: u32,
    /// The client's replicated-schema version.
    pub schema_version: u32,
    /// The highest `device_seq` in the client's outbox (0 if none). If the server already has
    /// more from this device, the device was restored from an old backup or cloned, and the
    /// hello is refused with `device_restored`.
    #[serde(default)]
    pub last_device_seq: Option<u64>,
}

/// The answer to a hello.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"protocol": 1, "schema_version": 2, "server_version": "0.1.0", "device": {"device_id": "0192f0c4-8c2a-7cc1-9d44-5f1a2b3c4d5e", "unit": "UT-CUSCO", "central": false, "last_device_seq": 42, "readable_units": ["OC-LIMA", "UT-CUSCO"]}}))]
pub struct HelloResponse {
    /// The protocol version both ends will use.
    pub protocol: u32,
    /// The server's replicated-schema version.
    pub schema_version: u32,
    /// The server's software version (informative).
    pub server_version: String,
    /// The device behind the token, if one was sent.
    #[serde(default)]
    pub device: Option<DeviceInfo>,
    /// The server's clock when it answered (milliseconds since the Unix epoch): the app
    /// compares it with its own to warn the person when this PC's clock is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_time_ms: Option<i64>,
}

/// What the server knows about the calling device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeviceInfo {
    /// The device id (the one stamped on its changes).
    pub device_id: Uuid,
    /// The unit the device belongs to; derived by the server, never taken from a payload.
    pub unit: String,
    /// Whether the device belongs to the central office (reads every unit).
    pub central: bool,
    /// The last `device_seq` the server acknowledged from this device.
    pub last_device_seq: u64,
    /// The units this device may pull, in order: its own, the central office's reference
    /// data, and (for the central office) every unit.
    pub readable_units: Vec<String>,
}

/// `POST /v1/enroll`: exchange a one-time enrolment code for a device token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"code": "K7QF-9XM2-HD4T", "device_id": "0192f0c4-8c2a-7cc1-9d44-5f1a2b3c4d5e", "device_name": "PC-SOPORTE-01", "last_device_seq": 120}))]
pub struct EnrollRequest {
    /// The code `chaski-server device enroll` printed.
    pub code: String,
    /// The id the device stamps on its changes (made by the local store at setup).
    pub device_id: Uuid,
    /// A name that helps an administrator recognise the device.
    pub device_name: String,
    /// The highest `device_seq` already in the device's outbox. Documents in those changes
    /// were numbered from the device's own local series (it had no blocks yet): the server
    /// registers those numbers instead of checking them against blocks, and raises any
    /// collision for review.
    #[serde(default)]
    pub last_device_seq: Option<u64>,
    /// The unit this device works for (its local profile). When given and the code was made
    /// for another unit, the server refuses with 409 `enrolment_unit_mismatch` WITHOUT
    /// consuming the code or registering the device, so the right code still works afterwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// The answer to an enrolment. The token is shown once: the device keeps it in the OS
/// keyring; the server keeps only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"device_id": "0192f0c4-8c2a-7cc1-9d44-5f1a2b3c4d5e", "unit": "UT-CUSCO", "central": false, "token": "chk_3f9a…"}))]
pub struct EnrollResponse {
    /// The enrolled device.
    pub device_id: Uuid,
    /// Its unit.
    pub unit: String,
    /// Whether it belongs to the central office.
    pub central: bool,
    /// The bearer token for every later request (`Authorization: Bearer <token>`).
    pub token: String,
}

/// `POST /v1/push`: the next outbox entries of the calling device, in dense `device_seq`
/// order. The server applies the whole batch in one transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"pulled_through": {"UT-CUSCO": 120}, "changes": [{"change_id": "0192f0c4-9000-7cc1-9d44-5f1a2b3c4d5e", "device_id": "0192f0c4-8c2a-7cc1-9d44-5f1a2b3c4d5e", "device_seq": 43, "unit": "UT-CUSCO", "entity": "attention", "entity_id": "0192f0c4-9001-7cc1-9d44-5f1a2b3c4d5e", "op": "upsert", "fields": {"status": "en_progreso"}, "hlc": "0001732370000000-00000-0192f0c4-8c2a-7cc1-9d44-5f1a2b3c4d5e", "created_at": "2026-11-23T15:00:00Z"}]}))]
pub struct PushRequest {
    /// Per unit, the server sequence the client had pulled and applied when it made these
    /// changes. The server uses it to tell a concurrent edit (a conflict to review) from an
    /// edit made after seeing the other one.
    #[serde(default)]
    pub pulled_through: BTreeMap<String, u64>,
    /// The changes, `device_seq` strictly increasing by one.
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<Change>,
}

/// What happened to one pushed change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// Accepted and given a server sequence; no conflict.
    Applied,
    /// Accepted, but at least one field was edited concurrently elsewhere: see `conflict_id`.
    Merged,
    /// The server already had this exact change (a retried push): nothing done.
    Duplicate,
    /// Refused for a reason in `code`; the sequence is still consumed (the device must show
    /// the rejection to the person, not resend it).
    Rejected,
}

/// The answer for one pushed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EntryResult {
    /// The change's `device_seq`.
    pub device_seq: u64,
    /// The change's id.
    pub change_id: Uuid,
    /// What happened.
    pub status: EntryStatus,
    /// The unit sequence the change got (applied or merged).
    #[serde(default)]
    pub server_seq: Option<u64>,
    /// The first conflict recorded for this change (merged).
    #[serde(default)]
    pub conflict_id: Option<Uuid>,
    /// Why it was refused (rejected): a [`RejectCode`] (`unit_mismatch`, `document_signed`,
    /// `number_outside_block`, `number_used`, `number_incomplete`, `invalid_change`); read it
    /// with [`RejectCode::from_code`], a newer server may send codes this build does not know.
    #[serde(default)]
    pub code: Option<String>,
    /// For some rejections, what exactly was wrong, in Spanish (e.g. both clocks for
    /// `clock_ahead`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The answer to a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"last_acked_seq": 43, "results": [{"device_seq": 43, "change_id": "0192f0c4-9000-7cc1-9d44-5f1a2b3c4d5e", "status": "applied", "server_seq": 121}]}))]
pub struct PushResponse {
    /// The highest `device_seq` the server now holds from this device: the outbox may drop
    /// everything up to it.
    pub last_acked_seq: u64,
    /// One result per pushed change, in the order sent.
    pub results: Vec<EntryResult>,
}

/// `GET /v1/pull?unit=UT-CUSCO&after=120&limit=1000`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// The unit to read; must be one of the device's `readable_units`.
    pub unit: String,
    /// The client's cursor: the last server sequence it applied for this unit (0 at first).
    #[serde(default)]
    pub after: u64,
    /// Page size, at most 5000 (default 1000).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// One change as the server stores it: with its unit sequence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ServerChange {
    /// The unit sequence: the only pull cursor.
    pub server_seq: u64,
    /// The change, exactly as the device pushed it.
    #[schema(value_type = Object)]
    pub change: Change,
}

/// A page of a pull. Apply it and advance the cursor to `cursor` in one local transaction;
/// an empty page means the client is up to date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"unit": "UT-CUSCO", "changes": [], "cursor": 121, "unit_seq": 121}))]
pub struct PullPage {
    /// The unit read.
    pub unit: String,
    /// Changes with `server_seq > after`, in server-sequence order.
    pub changes: Vec<ServerChange>,
    /// The new cursor: the last `server_seq` in the page, or `after` if the page is empty.
    pub cursor: u64,
    /// The unit's highest sequence when the page was read (for a progress bar).
    pub unit_seq: u64,
}

/// `POST /v1/numbers/reserve`: reserve a block of document numbers for the calling device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"kind": "cargo", "year": 2026, "count": 50}))]
pub struct ReserveRequest {
    /// The document kind (`cargo`, `informe_tecnico`, …).
    pub kind: String,
    /// The numbering year.
    pub year: i32,
    /// How many numbers (1–1000).
    pub count: u32,
}

/// A block of document numbers reserved for one device: `first..=last`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"block_id": "0192f0c4-9100-7cc1-9d44-5f1a2b3c4d5e", "unit": "UT-CUSCO", "kind": "cargo", "year": 2026, "first": 151, "last": 200}))]
pub struct NumberBlock {
    /// The block's id.
    pub block_id: Uuid,
    /// The unit whose series it belongs to.
    pub unit: String,
    /// The document kind.
    pub kind: String,
    /// The numbering year.
    pub year: i32,
    /// First number of the block.
    pub first: u64,
    /// Last number of the block (inclusive).
    pub last: u64,
}

/// `GET /v1/conflicts?unit=UT-CUSCO[&include_resolved=true]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConflictQuery {
    /// The unit; must be one the device may read.
    pub unit: String,
    /// Also list resolved conflicts (default false: only those still to review).
    #[serde(default)]
    pub include_resolved: Option<bool>,
}

/// Which value a person chose for a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResolutionChoice {
    /// Keep the value that won (already in every replica): nothing else to write.
    Winner,
    /// Take the value that lost: the device writes it as a new ordinary change.
    Loser,
    /// Another value (`value`), e.g. both texts combined: written as a new ordinary change.
    Value,
}

/// `POST /v1/conflicts/{conflict_id}/resolve`: marks a conflict resolved. The server records
/// who (the device, and the person's name if given), when, and the chosen value; the device
/// writes that value as a new ordinary change (newer stamp), which replicates like any other.
/// Resolving again with the same choice answers the stored resolution (a retried request);
/// a different choice is refused with `conflict_resolved`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"choice": "value", "value": "Oficina de Logística y Almacén", "resolved_by_name": "Rosa Huamán"}))]
pub struct ResolveRequest {
    /// The side chosen.
    pub choice: ResolutionChoice,
    /// The chosen value when `choice` is `value` (any JSON; at most 64 KiB). Must be absent
    /// otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub value: Option<serde_json::Value>,
    /// The person who decided, as the app shows them (at most 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by_name: Option<String>,
}

/// Two values of one field written concurrently on two devices. The winner (by hybrid
/// logical clock, device id as tie-break) is already in every replica; a person may review
/// the pair and choose the other value, which is written as a new ordinary change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"conflict_id": "0192f0c4-9a00-7cc1-9d44-5f1a2b3c4d5e", "unit": "UT-CUSCO",
    "entity": "office", "entity_id": "0192f0c4-8c2a-7cc1-9d44-5f1a2b3c4d5e", "field": "name",
    "winner_value": "Oficina de Logística", "winner_hlc": "0001732370000123-0000-0192f0c4-1111-7cc1-9d44-5f1a2b3c4d5e",
    "winner_device": "0192f0c4-1111-7cc1-9d44-5f1a2b3c4d5e", "loser_value": "Logística y Almacén",
    "loser_hlc": "0001732369990000-0000-0192f0c4-2222-7cc1-9d44-5f1a2b3c4d5e",
    "loser_device": "0192f0c4-2222-7cc1-9d44-5f1a2b3c4d5e",
    "resolved_at": "2026-11-23T16:00:00Z", "resolved_by": "0192f0c4-2222-7cc1-9d44-5f1a2b3c4d5e",
    "resolved_by_name": "Rosa Huamán", "resolution": "loser", "resolved_value": "Logística y Almacén"}))]
pub struct Conflict {
    /// The conflict's id.
    pub conflict_id: Uuid,
    /// The unit.
    pub unit: String,
    /// The record's kind.
    pub entity: String,
    /// The record's id.
    pub entity_id: Uuid,
    /// The field.
    pub field: String,
    /// The value kept.
    #[schema(value_type = Object)]
    pub winner_value: serde_json::Value,
    /// Its clock stamp.
    pub winner_hlc: String,
    /// Its device.
    pub winner_device: Uuid,
    /// The value that lost.
    #[schema(value_type = Object)]
    pub loser_value: serde_json::Value,
    /// Its clock stamp.
    pub loser_hlc: String,
    /// Its device.
    pub loser_device: Uuid,
    /// When it was resolved (absent while unresolved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The device that resolved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<Uuid>,
    /// The person who resolved it, as the app gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by_name: Option<String>,
    /// The side chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<ResolutionChoice>,
    /// The value chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub resolved_value: Option<serde_json::Value>,
}

/// The answer to `GET /v1/conflicts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ConflictList {
    /// Unresolved conflicts (all with `include_resolved=true`), oldest first.
    pub conflicts: Vec<Conflict>,
}
