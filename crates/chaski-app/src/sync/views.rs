//! The values the Sincronización screen and the header indicator show.

use chaski_sync::SyncReport;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::SyncConfig;
use crate::error::IpcError;

/// What the worker is doing, for the header indicator and the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncActivity {
    /// No server configured (or no database yet): sync is off.
    NoConfigurada,
    /// Configured, but this device has no enrolment (or its token is missing).
    SinInscribir,
    /// Waiting for the next round; the last one succeeded (or none ran yet).
    EnEspera,
    /// A round is running.
    Sincronizando,
    /// The server could not be reached; the client retries by itself with backoff.
    SinConexion,
    /// The last round failed for a reason retrying will not fix (see `last_error`).
    ConError,
}

/// Where a running round is (for the progress bar).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncProgressView {
    /// `enviando` (push) or `recibiendo` (pull).
    pub stage: String,
    /// The unit being pulled (pull only).
    pub unit: Option<String>,
    /// Done so far (changes sent, or the pull cursor).
    #[ts(type = "number")]
    pub done: u64,
    /// Total (changes to send, or the unit's last sequence).
    #[ts(type = "number")]
    pub total: u64,
}

/// What the last successful round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncSummary {
    #[ts(type = "number")]
    pub pushed: u64,
    #[ts(type = "number")]
    pub pulled: u64,
    #[ts(type = "number")]
    pub merged: u64,
    #[ts(type = "number")]
    pub rejected: u64,
    #[ts(type = "number")]
    pub blocks: u64,
    /// Unnumbered drafts that got their number in the round.
    #[ts(type = "number")]
    pub drafts_numbered: u64,
}

impl From<&SyncReport> for SyncSummary {
    fn from(r: &SyncReport) -> Self {
        Self {
            pushed: r.pushed,
            pulled: r.pulled,
            merged: r.merged,
            rejected: r.rejected.values().sum(),
            blocks: r.blocks,
            drafts_numbered: r.drafts_numbered,
        }
    }
}

/// Everything the Sincronización screen and the header indicator show.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SyncStatus {
    /// Server address and CA file.
    pub config: SyncConfig,
    /// This device's id (what the administrator sees), if the database is open.
    pub device_id: Option<String>,
    /// This device's unit code, if the database is open.
    pub unit: Option<String>,
    /// Enrolled with the server and its token present in the keyring.
    pub enrolled: bool,
    pub activity: SyncActivity,
    /// Set while a round runs.
    pub progress: Option<SyncProgressView>,
    /// Local changes not yet acknowledged by the server.
    #[ts(type = "number")]
    pub pending_changes: u64,
    /// Changes of this device the server refused (see `sync_rejections`).
    #[ts(type = "number")]
    pub rejections: u64,
    /// Pulled changes this database could not apply (kept, never dropped).
    #[ts(type = "number")]
    pub apply_errors: u64,
    /// This device's attentions registered without a number (its blocks were used up
    /// offline), waiting for the next sync to number them.
    #[ts(type = "number")]
    pub drafts_waiting: u64,
    /// End of the last round that completed (kept in the database: survives a restart).
    pub last_success_at: Option<DateTime<Utc>>,
    /// Start of the last round or attempt.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// When the worker will sync next by itself (if it knows).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed, in Spanish, with what to do.
    pub last_error: Option<IpcError>,
    /// What the last successful round did.
    pub last_summary: Option<SyncSummary>,
}

/// `sync_enroll`: the one-time code the administrator gave, and an optional device name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncEnrollInput {
    pub code: String,
    #[serde(default)]
    pub device_name: Option<String>,
}

/// A change of this device the server refused (never re-sent; shown to the person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncRejection {
    #[ts(type = "number")]
    pub device_seq: u64,
    pub change_id: String,
    /// The server's code (`document_signed`, `number_used`, …).
    pub code: String,
    /// What it means and what to do, in Spanish.
    pub message: String,
    /// What kind of record (Spanish label) and which one.
    pub entity_label: String,
    pub entity_id: Option<String>,
    /// The fields the refused change carried.
    pub fields: Vec<String>,
}

/// Which value of a conflict the person keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConflictChoice {
    /// The value every replica already has (by clock): nothing is written.
    Winner,
    /// The value that lost: written now as a new change, which then wins everywhere.
    Loser,
}

/// `sync_resolve`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncResolveInput {
    pub conflict_id: String,
    pub keep: ConflictChoice,
}

/// A concurrent edit of one field, as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncConflict {
    pub conflict_id: String,
    pub entity: String,
    /// Spanish label of the record kind (`atención`, `persona`, …).
    pub entity_label: String,
    pub entity_id: String,
    pub field: String,
    /// The value kept by the clock rule (already in every replica), as text.
    pub winner_value: String,
    /// The value that lost, as text.
    pub loser_value: String,
    /// Whether each value was written on this device.
    pub winner_is_mine: bool,
    pub loser_is_mine: bool,
}
