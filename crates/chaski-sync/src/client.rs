//! The sync client: one round is hello → push the whole outbox → top up number blocks →
//! pull every readable unit until an empty page.
//!
//! Push always completes before pull. That is what makes `pulled_through` (sent with each
//! push) an honest statement of what the device had seen when it made the pushed changes,
//! which the server uses to tell concurrent edits (conflicts to review) from later ones.
//!
//! The client never holds a local transaction open across a network call: it reads pending
//! changes, sends them, and then records the acknowledgement; a page is applied together
//! with its cursor in one local transaction by the [`Replica`]. Killing the process between
//! any two steps is safe: a re-sent push is answered `duplicate`, a re-pulled page is the
//! same page.

use std::collections::BTreeMap;

use chaski_core::change::Change;
use rand::SeedableRng;
use uuid::Uuid;

use crate::backoff::Backoff;
use crate::transport::{Transport, TransportError};
use crate::wire::{
    Conflict, ConflictList, DEFAULT_PULL_LIMIT, DeviceInfo, HelloRequest, NumberBlock,
    PROTOCOL_MIN, PROTOCOL_VERSION, PullPage, PullQuery, PushRequest, PushResponse, ReserveRequest,
    ResolutionChoice, ResolveRequest, SCHEMA_VERSION, codes,
};

/// [`SyncError::code`] when the server's TLS certificate is not trusted (unknown CA, wrong
/// name, expired): a person must act, retrying does not help.
pub const CODE_CERTIFICATE: &str = "certificate_untrusted";

/// An error of the local replica (the store), boxed at this boundary.
pub type ReplicaError = Box<dyn std::error::Error + Send + Sync>;

/// The local side of replication, implemented by the store on its SQLite file.
pub trait Replica: Send {
    /// The id this device stamps on its changes.
    fn device_id(&self) -> Uuid;
    /// The highest `device_seq` in the outbox, acknowledged or not (0 if none).
    fn last_device_seq(&mut self) -> Result<u64, ReplicaError>;
    /// The highest `device_seq` this device has seen acknowledged by the server (0 if none).
    fn acked_seq(&mut self) -> Result<u64, ReplicaError>;
    /// Up to `limit` outbox entries with `device_seq > after`, in sequence order.
    fn pending(&mut self, after: u64, limit: usize) -> Result<Vec<Change>, ReplicaError>;
    /// Records a push answer: entries up to `response.last_acked_seq` are on the server;
    /// rejected entries are kept for the person to see.
    fn acknowledge(&mut self, response: &PushResponse) -> Result<(), ReplicaError>;
    /// The pull cursor of `unit` (0 if never pulled).
    fn cursor(&mut self, unit: &str) -> Result<u64, ReplicaError>;
    /// Applies a page (per-field merge by hybrid logical clock) and sets the unit's cursor to
    /// `page.cursor`, in ONE local transaction.
    fn apply_page(&mut self, page: &PullPage) -> Result<(), ReplicaError>;
    /// Number blocks to reserve now (kinds and years running low).
    fn number_needs(&mut self) -> Result<Vec<ReserveRequest>, ReplicaError>;
    /// Stores a block the server reserved for this device.
    fn add_block(&mut self, block: &NumberBlock) -> Result<(), ReplicaError>;
    /// Writes the value a person chose for `conflict` as a new ordinary local change (pushed
    /// at the next sync). `Ok(false)` if nothing had to be written (record not here, field
    /// unknown to this build, value already the local one).
    fn write_chosen_value(
        &mut self,
        conflict: &Conflict,
        value: &serde_json::Value,
    ) -> Result<bool, ReplicaError>;
    /// The resync path after a restored backup or cloned disk: take `new_device_id`, keep the
    /// data, re-stamp the outbox entries not known to be on the server under it (dense from
    /// 1) and reset cursors, acknowledged sequence, number blocks and the enrolled flag.
    fn reset_device(&mut self, new_device_id: Uuid) -> Result<(), ReplicaError>;
    /// Records that the device is enrolled (it then numbers documents from server blocks).
    fn mark_enrolled(&mut self) -> Result<(), ReplicaError>;
    /// Numbers the unnumbered drafts this device made while its blocks were used up, from the
    /// blocks it holds now, in creation order, as ordinary outbox changes (pushed right
    /// after). Returns how many it numbered. A replica without drafts keeps the default.
    fn number_drafts(&mut self) -> Result<u64, ReplicaError> {
        Ok(0)
    }
    /// Records that a round completed now (kept across restarts for the Sync screen).
    fn round_completed(&mut self) -> Result<(), ReplicaError> {
        Ok(())
    }
}

/// Why a sync round failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server could not be reached or answered an error.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The local store failed.
    #[error("error de la base local durante la sincronización: {0}")]
    Local(ReplicaError),
    /// The device is not enrolled (no token).
    #[error(
        "este equipo no está inscrito en el servidor central: pida un código de inscripción al administrador"
    )]
    NotEnrolled,
    /// The server has more changes from this device than the device: restored backup or
    /// cloned disk.
    #[error(
        "el servidor ya recibió de este equipo más cambios de los que tiene (¿se restauró una copia de seguridad o se clonó el disco?). Pida un nuevo código de inscripción y vuelva a inscribir el equipo; sus datos se descargarán de nuevo"
    )]
    DeviceRestored,
}

impl SyncError {
    /// A stable code for the UI.
    pub fn code(&self) -> &str {
        match self {
            SyncError::Transport(t) => t.code().unwrap_or(match t {
                TransportError::Network(_) => "network",
                TransportError::Decode(_) => "bad_response",
                TransportError::Certificate(_) => CODE_CERTIFICATE,
                _ => "config",
            }),
            SyncError::Local(_) => "local_store",
            SyncError::NotEnrolled => "not_enrolled",
            SyncError::DeviceRestored => codes::DEVICE_RESTORED,
        }
    }

    /// Whether a later retry may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, SyncError::Transport(t) if t.is_retryable())
    }
}

/// Where a round is, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncProgress {
    /// `pushed` of `total` pending changes sent.
    Pushing {
        /// Sent so far.
        pushed: u64,
        /// Pending at the start.
        total: u64,
    },
    /// Pulling `unit`: cursor at `cursor` of `unit_seq`.
    Pulling {
        /// The unit.
        unit: String,
        /// The cursor after the last applied page.
        cursor: u64,
        /// The unit's highest sequence.
        unit_seq: u64,
    },
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Changes the server accepted (applied or merged).
    pub pushed: u64,
    /// Changes the server already had.
    pub duplicates: u64,
    /// Changes refused, by code.
    pub rejected: BTreeMap<String, u64>,
    /// Changes accepted with a conflict.
    pub merged: u64,
    /// Changes pulled and applied.
    pub pulled: u64,
    /// Number blocks reserved.
    pub blocks: u64,
    /// Unnumbered drafts numbered from the blocks (and pushed) in this round.
    pub drafts_numbered: u64,
    /// How far this PC's clock is ahead of the server's (negative: behind), in
    /// milliseconds, measured at the hello (half the round trip allowed for). The app warns
    /// the person beyond a minute or so: changes stamped more than
    /// [`MAX_CLOCK_AHEAD_MS`](crate::wire::MAX_CLOCK_AHEAD_MS) ahead are refused.
    pub clock_offset_ms: Option<i64>,
}

/// Knobs of a client.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Changes per push.
    pub push_batch: usize,
    /// Changes per pull page.
    pub pull_limit: u32,
    /// Retry policy of [`SyncClient::sync_with_retry`].
    pub backoff: Backoff,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            push_batch: 500,
            pull_limit: DEFAULT_PULL_LIMIT,
            backoff: Backoff::default(),
        }
    }
}

/// Pushes the outbox and pulls pages between one [`Replica`] and the server.
pub struct SyncClient<T: Transport> {
    transport: T,
    token: Option<String>,
    unit: Option<String>,
    options: SyncOptions,
    rng: rand::rngs::StdRng,
}

impl<T: Transport> SyncClient<T> {
    /// A client over `transport` with the device token (None until enrolled).
    pub fn new(transport: T, token: Option<String>, options: SyncOptions) -> Self {
        Self {
            transport,
            token,
            unit: None,
            options,
            rng: rand::rngs::StdRng::from_entropy(),
        }
    }

    /// A client for a device of `unit` (its local profile): enrolments then declare the unit,
    /// and the server refuses a code made for another unit without consuming it.
    pub fn for_unit(mut self, unit: impl Into<String>) -> Self {
        self.unit = Some(unit.into());
        self
    }

    /// The device token in use (None until enrolled).
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The transport (tests reach their fault injector through it).
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Exchanges an enrolment code for a token and keeps it. `last_device_seq` is the
    /// replica's [`Replica::last_device_seq`]. The caller stores the returned token in the OS
    /// keyring.
    pub async fn enroll(
        &mut self,
        code: &str,
        device_id: Uuid,
        device_name: &str,
        last_device_seq: u64,
    ) -> Result<crate::wire::EnrollResponse, SyncError> {
        let resp = self
            .transport
            .enroll(&crate::wire::EnrollRequest {
                code: code.to_string(),
                device_id,
                device_name: device_name.to_string(),
                last_device_seq: Some(last_device_seq),
                unit: self.unit.clone(),
            })
            .await?;
        self.token = Some(resp.token.clone());
        Ok(resp)
    }

    /// After [`SyncError::DeviceRestored`] (an old backup was restored or the disk cloned):
    /// gives the replica a new device id ([`Replica::reset_device`]: data kept, unsent changes
    /// re-stamped), enrols it with a NEW enrolment `code` and marks it enrolled. The caller
    /// replaces the token in the OS keyring with the returned one; the next
    /// [`SyncClient::sync_once`] pushes the re-stamped changes (any the server already had
    /// under the old id are answered `duplicate`) and pulls everything again. The
    /// administrator should revoke the old device id (`chaski-server device revoke`).
    pub async fn reenroll_after_restore<R: Replica>(
        &mut self,
        replica: &mut R,
        code: &str,
        device_name: &str,
    ) -> Result<crate::wire::EnrollResponse, SyncError> {
        let new_id = Uuid::now_v7();
        replica.reset_device(new_id).map_err(SyncError::Local)?;
        self.token = None;
        let last = replica.last_device_seq().map_err(SyncError::Local)?;
        let resp = self.enroll(code, new_id, device_name, last).await?;
        replica.mark_enrolled().map_err(SyncError::Local)?;
        Ok(resp)
    }

    /// The unresolved conflicts of `unit` (one this device may read).
    pub async fn conflicts(&self, unit: &str) -> Result<ConflictList, SyncError> {
        let token = self.token.as_deref().ok_or(SyncError::NotEnrolled)?;
        Ok(self.transport.conflicts(token, unit).await?)
    }

    /// Resolves `conflict` as a person chose: the server records who, when and what; then,
    /// unless the winner was kept (already everywhere), the chosen value is written locally
    /// as a new ordinary change that the next sync pushes. Retrying after a lost answer is
    /// safe (the server answers the stored resolution; the local write is skipped when the
    /// value is already there).
    pub async fn resolve_conflict<R: Replica>(
        &mut self,
        replica: &mut R,
        conflict: &Conflict,
        choice: ResolutionChoice,
        value: Option<serde_json::Value>,
        resolved_by_name: Option<String>,
    ) -> Result<Conflict, SyncError> {
        let token = self.token.clone().ok_or(SyncError::NotEnrolled)?;
        let resolved = self
            .transport
            .resolve_conflict(
                &token,
                conflict.conflict_id,
                &ResolveRequest {
                    choice,
                    value,
                    resolved_by_name,
                },
            )
            .await?;
        if choice != ResolutionChoice::Winner
            && let Some(v) = &resolved.resolved_value
        {
            replica
                .write_chosen_value(&resolved, v)
                .map_err(SyncError::Local)?;
        }
        Ok(resolved)
    }

    /// One full round. Safe to interrupt at any point.
    pub async fn sync_once<R: Replica>(
        &mut self,
        replica: &mut R,
        progress: &mut (dyn FnMut(SyncProgress) + Send),
    ) -> Result<SyncReport, SyncError> {
        let token = self.token.clone().ok_or(SyncError::NotEnrolled)?;
        let mut report = SyncReport::default();
        let last_local = replica.last_device_seq().map_err(SyncError::Local)?;
        let sent = chrono::Utc::now();
        let hello = self
            .transport
            .hello(
                Some(&token),
                &HelloRequest {
                    protocol_min: PROTOCOL_MIN,
                    protocol_max: PROTOCOL_VERSION,
                    schema_version: SCHEMA_VERSION,
                    last_device_seq: Some(last_local),
                },
            )
            .await
            .map_err(map_restored)?;
        report.clock_offset_ms = hello.server_time_ms.map(|server| {
            let received = chrono::Utc::now();
            let midpoint = sent.timestamp_millis()
                + (received.timestamp_millis() - sent.timestamp_millis()) / 2;
            midpoint - server
        });
        let device = hello.device.ok_or(SyncError::NotEnrolled)?;
        self.push_all(replica, &token, &device, &mut report, progress)
            .await?;
        self.top_up_blocks(replica, &token, &mut report).await?;
        // Drafts made while the blocks were used up get their numbers now, and those
        // numbering changes go to the server in this same round (checked against the block).
        let numbered = replica.number_drafts().map_err(SyncError::Local)?;
        if numbered > 0 {
            report.drafts_numbered = numbered;
            self.push_all(replica, &token, &device, &mut report, progress)
                .await?;
        }
        for unit in &device.readable_units {
            self.pull_unit(replica, &token, unit, &mut report, progress)
                .await?;
        }
        replica.round_completed().map_err(SyncError::Local)?;
        Ok(report)
    }

    /// Rounds until one succeeds or the error is not retryable or attempts run out, waiting
    /// with exponential backoff and jitter in between.
    pub async fn sync_with_retry<R: Replica>(
        &mut self,
        replica: &mut R,
        progress: &mut (dyn FnMut(SyncProgress) + Send),
    ) -> Result<SyncReport, SyncError> {
        let backoff = self.options.backoff;
        let mut attempt = 0;
        loop {
            match self.sync_once(replica, progress).await {
                Ok(report) => return Ok(report),
                Err(e) if e.is_retryable() && attempt + 1 < backoff.attempts.max(1) => {
                    let wait = backoff.delay(attempt, &mut self.rng);
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn push_all<R: Replica>(
        &mut self,
        replica: &mut R,
        token: &str,
        device: &DeviceInfo,
        report: &mut SyncReport,
        progress: &mut (dyn FnMut(SyncProgress) + Send),
    ) -> Result<(), SyncError> {
        // Start after what THIS copy saw acknowledged, never after what the server says it
        // holds: when an answer was lost the server answers `duplicate` for the re-sent
        // entries (same content), and when this file is a restored backup or a cloned disk
        // that has since written other entries under the same sequences, it answers `fork`
        // (-> DeviceRestored). Skipping ahead to the server's count would mark this copy's
        // different entries as acknowledged without ever sending them.
        let mut acked = replica.acked_seq().map_err(SyncError::Local)?;
        let first_acked = acked;
        let last_local = replica.last_device_seq().map_err(SyncError::Local)?;
        let total = last_local.saturating_sub(acked);
        let mut pulled_through = BTreeMap::new();
        for unit in &device.readable_units {
            pulled_through.insert(
                unit.clone(),
                replica.cursor(unit).map_err(SyncError::Local)?,
            );
        }
        loop {
            let changes = replica
                .pending(acked, self.options.push_batch)
                .map_err(SyncError::Local)?;
            if changes.is_empty() {
                return Ok(());
            }
            let resp = self
                .transport
                .push(
                    token,
                    &PushRequest {
                        pulled_through: pulled_through.clone(),
                        changes,
                    },
                )
                .await
                .map_err(map_restored)?;
            replica.acknowledge(&resp).map_err(SyncError::Local)?;
            for r in &resp.results {
                match r.status {
                    crate::wire::EntryStatus::Applied => report.pushed += 1,
                    crate::wire::EntryStatus::Merged => {
                        report.pushed += 1;
                        report.merged += 1;
                    }
                    crate::wire::EntryStatus::Duplicate => report.duplicates += 1,
                    crate::wire::EntryStatus::Rejected => {
                        *report
                            .rejected
                            .entry(r.code.clone().unwrap_or_default())
                            .or_default() += 1;
                    }
                }
            }
            if resp.last_acked_seq <= acked {
                // No progress: the server refused to move; do not spin.
                return Err(SyncError::Transport(TransportError::Decode(
                    "el servidor no avanzó la secuencia confirmada".into(),
                )));
            }
            acked = resp.last_acked_seq;
            progress(SyncProgress::Pushing {
                pushed: total.min(acked.saturating_sub(first_acked)),
                total,
            });
        }
    }

    async fn top_up_blocks<R: Replica>(
        &mut self,
        replica: &mut R,
        token: &str,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        for need in replica.number_needs().map_err(SyncError::Local)? {
            let block = self.transport.reserve(token, &need).await?;
            replica.add_block(&block).map_err(SyncError::Local)?;
            report.blocks += 1;
        }
        Ok(())
    }

    async fn pull_unit<R: Replica>(
        &mut self,
        replica: &mut R,
        token: &str,
        unit: &str,
        report: &mut SyncReport,
        progress: &mut (dyn FnMut(SyncProgress) + Send),
    ) -> Result<(), SyncError> {
        loop {
            let after = replica.cursor(unit).map_err(SyncError::Local)?;
            let page = self
                .transport
                .pull(
                    token,
                    &PullQuery {
                        unit: unit.to_string(),
                        after,
                        limit: Some(self.options.pull_limit),
                    },
                )
                .await?;
            if page.changes.is_empty() {
                return Ok(());
            }
            if page.unit != unit || page.changes.first().is_some_and(|c| c.server_seq <= after) {
                return Err(SyncError::Transport(TransportError::Decode(format!(
                    "página de «{}» fuera de orden para el cursor {after}",
                    page.unit
                ))));
            }
            replica.apply_page(&page).map_err(SyncError::Local)?;
            report.pulled += page.changes.len() as u64;
            progress(SyncProgress::Pulling {
                unit: unit.to_string(),
                cursor: page.cursor,
                unit_seq: page.unit_seq,
            });
        }
    }
}

fn map_restored(e: TransportError) -> SyncError {
    match e.code() {
        Some(codes::DEVICE_RESTORED) | Some(codes::FORK) => SyncError::DeviceRestored,
        _ => SyncError::Transport(e),
    }
}
