//! Sync with the central server, in the background.
//!
//! One worker thread per app (`chaski-sync`), with its own single-threaded tokio runtime,
//! owns every network exchange with the server and every use of the store as a replica:
//!
//! - it runs `SyncClient::sync_with_retry` at start, every [`Timing::interval`], and shortly
//!   after local writes: it polls the outbox's last sequence every [`Timing::poll`] (one
//!   tiny query, so writes from *any* command or module are noticed without hooking each
//!   one) and debounces ([`Timing::debounce`], at most [`Timing::max_delay`] after the first
//!   unsynced write);
//! - **never two at once**: rounds, enrolment, conflict listing and resolution are all jobs of
//!   that one thread, taken one at a time;
//! - **never on the UI thread**: commands only send a job and, when they need an answer, wait
//!   for it on the shell's blocking pool; the SQLite calls of a round block only the worker;
//! - **cancellable**: "Sincronizar ahora", a new configuration or an enrolment drop the
//!   round in flight (the sync client is safe to cancel at any await point) and start anew;
//!   shutdown drops it and ends the thread.
//!
//! Progress and results go to the UI as the event [`crate::events::SYNC_STATUS`] carrying the whole
//! [`SyncStatus`]; the same value answers `sync_status`. Every request the round makes goes
//! through [`Observed`], so a failed request shows "sin conexión" with the Spanish reason at
//! once, while the client waits (exponential backoff with jitter) before its next attempt.
//!
//! Configuration (server address, CA file) is a file next to the database ([`config`]); the
//! device token is in the OS keyring ([`token`]). The module's parts: the values the UI sees
//! ([`views`]), the status the worker keeps and computes ([`shared`]), the service the commands
//! talk to ([`service`]), the worker's loop and its rounds ([`worker`]), enrolment
//! ([`enrolment`]), conflicts ([`conflicts`]), refused changes ([`rejections`]) and the
//! transport that reports each request to the status ([`observed`]).

pub mod config;
pub mod conflicts;
pub mod enrolment;
mod observed;
pub mod rejections;
pub mod service;
mod shared;
pub mod token;
pub mod views;
mod worker;

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chaski_sync::backoff::Backoff;

pub use config::{SyncConfig, SyncConfigInput};
pub use conflicts::entity_label;
pub use enrolment::{default_device_name, normalize_code};
pub use rejections::rejections;
pub use service::SyncService;
pub use views::{
    ConflictChoice, SyncActivity, SyncConflict, SyncEnrollInput, SyncProgressView, SyncRejection,
    SyncResolveInput, SyncStatus, SyncSummary,
};

/// When the worker syncs. The defaults are the app's; tests shorten them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// First round after start.
    pub first: Duration,
    /// Between rounds when nothing happens.
    pub interval: Duration,
    /// How often the outbox is checked for local writes.
    pub poll: Duration,
    /// Quiet time after a local write before syncing it.
    pub debounce: Duration,
    /// Longest wait after the first unsynced write, even if writes keep coming.
    pub max_delay: Duration,
    /// Retries inside one round (`sync_with_retry`).
    pub backoff: Backoff,
    /// Per-request timeout.
    pub request_timeout: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            first: Duration::from_secs(3),
            interval: Duration::from_secs(5 * 60),
            poll: Duration::from_secs(3),
            debounce: Duration::from_secs(10),
            max_delay: Duration::from_secs(60),
            backoff: Backoff::default(),
            request_timeout: Duration::from_secs(60),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Only plain values are behind these locks; a panic elsewhere cannot leave them torn.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
