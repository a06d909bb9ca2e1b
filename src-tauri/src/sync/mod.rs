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
//!   for it on Tauri's blocking pool; the SQLite calls of a round block only the worker;
//! - **cancellable**: "Sincronizar ahora", a new configuration or an enrolment drop the
//!   round in flight (the sync client is safe to cancel at any await point) and start anew;
//!   shutdown drops it and ends the thread.
//!
//! Progress and results go to the UI as the event [`STATUS_EVENT`] carrying the whole
//! [`SyncStatus`]; the same value answers `sync_status`. Every request the round makes goes
//! through [`Observed`], so a failed request shows "sin conexión" with the Spanish reason at
//! once, while the client waits (exponential backoff with jitter) before its next attempt.
//!
//! Configuration (server address, CA file) is a file next to the database ([`config`]); the
//! device token is in the OS keyring ([`token`]).

pub mod config;
pub mod token;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use async_trait::async_trait;
use chaski_core::error::{Error, ErrorCode};
use chaski_core::numbering::DocKind;
use chaski_store::Store;
use chaski_sync::backoff::Backoff;
use chaski_sync::client::SyncOptions;
use chaski_sync::transport::{HttpTransport, Transport, TransportError};
use chaski_sync::wire::{
    Conflict, ConflictList, EnrollRequest, EnrollResponse, HelloRequest, HelloResponse,
    NumberBlock, PullPage, PullQuery, PushRequest, PushResponse, ReserveRequest, ResolutionChoice,
    ResolveRequest,
};
use chaski_sync::{NumberWant, StoreReplica, SyncClient, SyncError, SyncProgress, SyncReport};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;
use ts_rs::TS;
use uuid::Uuid;

pub use config::{SyncConfig, SyncConfigInput};

use crate::error::IpcError;

/// The Tauri event that carries every change of [`SyncStatus`].
pub const STATUS_EVENT: &str = "sync:status";

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

type StoreFn = Arc<dyn Fn() -> Option<Arc<Store>> + Send + Sync>;
type Emitter = Arc<dyn Fn(&SyncStatus) + Send + Sync>;

/// The transient part of the status (the rest is read from the store and the config).
#[derive(Debug, Clone, Default)]
struct Live {
    running: bool,
    offline: bool,
    progress: Option<SyncProgressView>,
    last_success_at: Option<DateTime<Utc>>,
    last_attempt_at: Option<DateTime<Utc>>,
    next_attempt_at: Option<DateTime<Utc>>,
    last_error: Option<IpcError>,
    last_summary: Option<SyncSummary>,
    /// Whether the keyring held a token at the last look (saves a keyring call per event).
    token_present: Option<bool>,
}

struct Shared {
    data_dir: PathBuf,
    live: Mutex<Live>,
    store: Mutex<Option<StoreFn>>,
    emit: Mutex<Option<Emitter>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Only plain values are behind these locks; a panic elsewhere cannot leave them torn.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    fn store(&self) -> Option<Arc<Store>> {
        let f = lock(&self.store).clone();
        f.and_then(|f| f())
    }

    fn update(&self, f: impl FnOnce(&mut Live)) {
        f(&mut lock(&self.live));
        let emit = lock(&self.emit).clone();
        if let Some(emit) = emit {
            emit(&self.status(self.store()));
        }
    }

    fn status(&self, store: Option<Arc<Store>>) -> SyncStatus {
        let live = lock(&self.live).clone();
        let (config, config_error) = match SyncConfig::load(&self.data_dir) {
            Ok(c) => (c, None),
            Err(e) => (SyncConfig::default(), Some(e)),
        };
        let mut status = SyncStatus {
            config,
            device_id: None,
            unit: None,
            enrolled: false,
            activity: SyncActivity::NoConfigurada,
            progress: live.progress,
            pending_changes: 0,
            rejections: 0,
            apply_errors: 0,
            drafts_waiting: 0,
            last_success_at: live.last_success_at,
            last_attempt_at: live.last_attempt_at,
            next_attempt_at: live.next_attempt_at,
            last_error: config_error.or(live.last_error.clone()),
            last_summary: live.last_summary,
        };
        let local = store.map(|store| -> Result<_, IpcError> {
            let profile = store.profile()?;
            let device = profile.device_id.uuid();
            let local = store.sync_local_status()?;
            let enrolled = local.enrolled
                && match live.token_present {
                    Some(present) => present,
                    None => token::get(device)?.is_some(),
                };
            Ok((device, profile.unit.code, local, enrolled))
        });
        match local {
            Some(Ok((device, unit, local, enrolled))) => {
                status.device_id = Some(device.hyphenated().to_string());
                status.unit = Some(unit);
                status.pending_changes = local.pending_changes;
                status.rejections = local.rejections;
                status.apply_errors = local.apply_errors;
                status.drafts_waiting = local.drafts_waiting;
                // From the file (written at the end of the round), so it survives a restart.
                status.last_success_at = local.last_sync_at.or(status.last_success_at);
                status.enrolled = enrolled;
            }
            Some(Err(e)) => status.last_error = Some(e),
            None => {}
        }
        status.activity = if status.config.server_url.is_none() || status.device_id.is_none() {
            SyncActivity::NoConfigurada
        } else if live.running && !live.offline {
            SyncActivity::Sincronizando
        } else if live.offline {
            SyncActivity::SinConexion
        } else if !status.enrolled {
            SyncActivity::SinInscribir
        } else if status.last_error.is_some() {
            SyncActivity::ConError
        } else {
            SyncActivity::EnEspera
        };
        status
    }

    fn progress(&self, p: SyncProgress) {
        let view = match p {
            SyncProgress::Pushing { pushed, total } => SyncProgressView {
                stage: "enviando".into(),
                unit: None,
                done: pushed,
                total,
            },
            SyncProgress::Pulling {
                unit,
                cursor,
                unit_seq,
            } => SyncProgressView {
                stage: "recibiendo".into(),
                unit: Some(unit),
                done: cursor,
                total: unit_seq,
            },
        };
        self.update(|l| {
            l.progress = Some(view);
            l.offline = false;
        });
    }
}

enum Job {
    /// Drop the round in flight (if any) and sync now.
    Now,
    Enroll {
        code: String,
        device_name: String,
        /// Re-enrol under a new device id (restored backup, cloned disk, revoked device).
        restart: bool,
        reply: oneshot::Sender<Result<(), IpcError>>,
    },
    Conflicts {
        reply: oneshot::Sender<Result<Vec<SyncConflict>, IpcError>>,
    },
    Resolve {
        input: SyncResolveInput,
        reply: oneshot::Sender<Result<(), IpcError>>,
    },
}

struct Worker {
    jobs: mpsc::UnboundedSender<Job>,
    stop: watch::Sender<bool>,
    thread: std::thread::JoinHandle<()>,
}

/// The sync service of one app: idle until [`SyncService::start`].
pub struct SyncService {
    shared: Arc<Shared>,
    worker: Mutex<Option<Worker>>,
}

impl std::fmt::Debug for SyncService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncService")
            .field("data_dir", &self.shared.data_dir)
            .finish_non_exhaustive()
    }
}

impl SyncService {
    /// A service whose configuration lives in `data_dir`.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            shared: Arc::new(Shared {
                data_dir: data_dir.to_path_buf(),
                live: Mutex::new(Live::default()),
                store: Mutex::new(None),
                emit: Mutex::new(None),
            }),
            worker: Mutex::new(None),
        }
    }

    /// Starts the worker thread. `store` gives the open store (None while the first-run
    /// setup is pending); `emit` sends a status to the UI. Starting twice does nothing.
    pub fn start(
        &self,
        timing: Timing,
        store: impl Fn() -> Option<Arc<Store>> + Send + Sync + 'static,
        emit: impl Fn(&SyncStatus) + Send + Sync + 'static,
    ) -> Result<(), IpcError> {
        let mut worker = lock(&self.worker);
        if worker.is_some() {
            return Ok(());
        }
        *lock(&self.shared.store) = Some(Arc::new(store));
        *lock(&self.shared.emit) = Some(Arc::new(emit));
        let (jobs, jobs_rx) = mpsc::unbounded_channel();
        let (stop, stop_rx) = watch::channel(false);
        let shared = Arc::clone(&self.shared);
        let thread = std::thread::Builder::new()
            .name("chaski-sync".into())
            .spawn(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt.block_on(run(shared, timing, jobs_rx, stop_rx)),
                    Err(e) => shared.update(|l| l.last_error = Some(worker_failed(&e))),
                }
            })
            .map_err(|e| {
                let err = worker_failed(&e);
                let shown = err.clone();
                self.shared.update(|l| l.last_error = Some(shown));
                err
            })?;
        *worker = Some(Worker { jobs, stop, thread });
        Ok(())
    }

    /// Stops the worker: the round in flight is dropped (safe at any point), the thread ends.
    pub fn shutdown(&self) {
        let worker = lock(&self.worker).take();
        if let Some(w) = worker {
            let _ = w.stop.send(true);
            // The last reference to the app state may be dropped on the worker itself (it
            // holds it only weakly, for a moment): it must not wait for its own end.
            if w.thread.thread().id() != std::thread::current().id() {
                let _ = w.thread.join();
            }
        }
        *lock(&self.shared.store) = None;
        *lock(&self.shared.emit) = None;
    }

    /// The current status (also sent as [`STATUS_EVENT`] whenever it changes).
    pub fn status(&self, store: Option<Arc<Store>>) -> SyncStatus {
        self.shared.status(store)
    }

    /// Saves a new configuration and syncs with it now.
    pub fn configure(&self, input: &SyncConfigInput) -> Result<(), IpcError> {
        let config = SyncConfig::from_input(input)?;
        config.save(&self.shared.data_dir)?;
        self.shared.update(|l| {
            l.last_error = None;
            l.offline = false;
        });
        self.send(Job::Now)
    }

    /// Asks for a round now (dropping a round that is waiting to retry).
    pub fn sync_now(&self) -> Result<(), IpcError> {
        self.send(Job::Now)
    }

    /// Exchanges an enrolment code for a token (kept in the keyring), then syncs. With
    /// `restart`, first gives this database a new device id, keeping its data and re-stamping
    /// unsent changes (after a restored backup, a cloned disk or a revoked device).
    pub fn enroll(
        &self,
        input: &SyncEnrollInput,
        default_name: &str,
        restart: bool,
    ) -> Result<(), IpcError> {
        let code = normalize_code(&input.code)?;
        let device_name = chaski_core::error::optional_text(
            input.device_name.as_deref(),
            "device_name",
            "Nombre del equipo",
            80,
        )?
        .unwrap_or_else(|| default_name.to_string());
        self.ask(|reply| Job::Enroll {
            code,
            device_name,
            restart,
            reply,
        })
    }

    /// The unresolved conflicts of this device's unit (asks the server).
    pub fn conflicts(&self) -> Result<Vec<SyncConflict>, IpcError> {
        self.ask(|reply| Job::Conflicts { reply })
    }

    /// Keeps one value of a conflict.
    pub fn resolve(&self, input: SyncResolveInput) -> Result<(), IpcError> {
        self.ask(|reply| Job::Resolve { input, reply })
    }

    fn send(&self, job: Job) -> Result<(), IpcError> {
        let worker = lock(&self.worker);
        let Some(w) = worker.as_ref() else {
            return Err(worker_stopped());
        };
        w.jobs.send(job).map_err(|_| worker_stopped())
    }

    /// Sends a job and waits for its answer (call from a blocking thread, never async).
    fn ask<T>(
        &self,
        job: impl FnOnce(oneshot::Sender<Result<T, IpcError>>) -> Job,
    ) -> Result<T, IpcError> {
        let (tx, rx) = oneshot::channel();
        self.send(job(tx))?;
        rx.blocking_recv().map_err(|_| worker_stopped())?
    }
}

impl Drop for SyncService {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn worker_failed(e: &std::io::Error) -> IpcError {
    IpcError(Error::general(
        ErrorCode::ErrorAlmacenamiento,
        format!(
            "No se pudo iniciar la sincronización en segundo plano ({e}). Reinicie Chaski; \
             mientras tanto puede seguir trabajando sin conexión."
        ),
    ))
}

fn worker_stopped() -> IpcError {
    IpcError(Error::general(
        ErrorCode::SincronizacionNoConfigurada,
        "La sincronización en segundo plano no está activa (la aplicación se está cerrando o \
         aún no terminó de iniciar). Vuelva a intentarlo en unos segundos.",
    ))
}

/// The alphabet of enrolment codes (no look-alikes: no 0/O, 1/I/L).
const CODE_ALPHABET: &str = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// An enrolment code as typed (any case, with or without dashes or spaces) in its canonical
/// form `XXXX-XXXX-XXXX`.
pub fn normalize_code(typed: &str) -> Result<String, IpcError> {
    let chars: Vec<char> = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if chars.is_empty() {
        return Err(IpcError(Error::required("code", "Código de inscripción")));
    }
    if chars.len() != 12 || !chars.iter().all(|c| CODE_ALPHABET.contains(*c)) {
        return Err(IpcError(Error::field(
            ErrorCode::ValorInvalido,
            "code",
            "El código de inscripción tiene 12 letras y números, como K7QF-9XM2-HD4T (sin O, \
             I, L, 0 ni 1). Cópielo tal como se lo dio el administrador.",
        )));
    }
    let groups: Vec<String> = chars.chunks(4).map(|g| g.iter().collect()).collect();
    Ok(groups.join("-"))
}

/// Number series kept topped up: this year's attentions (many a day) and the documents an
/// enrolled device numbers when it issues them (cargos, traslados, informes de baja). Drafts
/// waiting for a number add their own years (`StoreReplica`).
fn wants() -> Vec<NumberWant> {
    let year = chaski_core::time::lima_year(Utc::now());
    let want = |kind: &str, low_water, block_size| NumberWant {
        kind: kind.into(),
        year,
        low_water,
        block_size,
    };
    vec![
        want(chaski_sync::wire::KIND_ATTENTION, 20, 100),
        want(DocKind::Assignment.code(), 5, 20),
        want(DocKind::Transfer.code(), 5, 20),
        want(DocKind::Decommission.code(), 3, 10),
    ]
}

// ------------------------------------------------------------------------------ worker

type Round = Pin<Box<dyn Future<Output = Result<SyncReport, SyncError>> + Send>>;

/// The worker's loop: one job at a time, one round at a time.
async fn run(
    shared: Arc<Shared>,
    timing: Timing,
    mut jobs: mpsc::UnboundedReceiver<Job>,
    mut stop: watch::Receiver<bool>,
) {
    let mut round: Option<Round> = None;
    let mut timer_due: Option<Instant> = Some(Instant::now() + timing.first);
    let mut write_due: Option<Instant> = None;
    let mut first_unsynced: Option<Instant> = None;
    let mut last_seen_seq: Option<u64> = None;
    let mut poll = tokio::time::interval(timing.poll);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let due = match (timer_due, write_due) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        tokio::select! {
            biased;
            _ = stop.changed() => break,
            job = jobs.recv() => {
                let Some(job) = job else { break };
                match job {
                    Job::Now => {
                        round = None;
                        timer_due = Some(Instant::now());
                    }
                    Job::Enroll { code, device_name, restart, reply } => {
                        round = None;
                        let result = tokio::select! {
                            r = enroll(&shared, &timing, &code, &device_name, restart) => r,
                            _ = stop.changed() => break,
                        };
                        if result.is_ok() {
                            timer_due = Some(Instant::now());
                        }
                        let _ = reply.send(result);
                    }
                    Job::Conflicts { reply } => {
                        let result = tokio::select! {
                            r = conflicts(&shared, &timing) => r,
                            _ = stop.changed() => break,
                        };
                        let _ = reply.send(result);
                    }
                    Job::Resolve { input, reply } => {
                        let result = tokio::select! {
                            r = resolve(&shared, &timing, &input) => r,
                            _ = stop.changed() => break,
                        };
                        if result.is_ok() && round.is_none() {
                            timer_due = Some(Instant::now());
                        }
                        let _ = reply.send(result);
                    }
                }
                if round.is_none() {
                    shared.update(|l| {
                        l.running = false;
                        l.progress = None;
                    });
                }
            }
            result = async {
                match round.as_mut() {
                    Some(r) => r.await,
                    None => std::future::pending().await,
                }
            }, if round.is_some() => {
                round = None;
                timer_due = Some(Instant::now() + timing.interval);
                finish_round(&shared, &result, timer_due);
            }
            _ = sleep_until_opt(due), if round.is_none() && due.is_some() => {
                timer_due = None;
                write_due = None;
                first_unsynced = None;
                round = start_round(&shared, &timing);
                if round.is_none() {
                    // Not configured or not enrolled: wait for the person (configure/enroll
                    // jobs) and check again later anyway.
                    timer_due = Some(Instant::now() + timing.interval);
                }
            }
            _ = poll.tick() => {
                let seq = shared.store().and_then(|s| s.outbox_stats().ok()).map(|s| s.last_device_seq);
                if seq.is_some() && last_seen_seq.is_some() && seq != last_seen_seq {
                    let now = Instant::now();
                    let first = *first_unsynced.get_or_insert(now);
                    write_due = Some((now + timing.debounce).min(first + timing.max_delay));
                    shared.update(|_| {});
                }
                if seq.is_some() {
                    last_seen_seq = seq;
                }
            }
        }
    }
    shared.update(|l| {
        l.running = false;
        l.progress = None;
        l.next_attempt_at = None;
    });
}

async fn sleep_until_opt(due: Option<Instant>) {
    match due {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

fn wall_clock(at: Option<Instant>) -> Option<DateTime<Utc>> {
    let at = at?;
    let from_now = at.saturating_duration_since(Instant::now());
    chrono::Duration::from_std(from_now)
        .ok()
        .map(|d| Utc::now() + d)
}

fn finish_round(shared: &Shared, result: &Result<SyncReport, SyncError>, next: Option<Instant>) {
    let now = Utc::now();
    shared.update(|l| {
        l.running = false;
        l.progress = None;
        l.next_attempt_at = wall_clock(next);
        match result {
            Ok(report) => {
                l.offline = false;
                l.last_error = None;
                l.last_success_at = Some(now);
                l.last_summary = Some(report.into());
            }
            Err(e) => {
                l.offline = e.is_retryable();
                l.last_error = Some(IpcError::from(e));
            }
        }
    });
}

/// The store, the transport and the token (None: not enrolled) a round or request needs.
type Prepared = (Arc<Store>, HttpTransport, Option<String>);

/// What a round needs, or why it cannot run (shown in the status).
fn prepare(shared: &Arc<Shared>, timing: &Timing) -> Result<Option<Prepared>, IpcError> {
    let Some(store) = shared.store() else {
        return Ok(None);
    };
    let config = SyncConfig::load(&shared.data_dir)?;
    if config.server_url.is_none() {
        return Ok(None);
    }
    let transport = config.transport_with_timeout(timing.request_timeout)?;
    let device = store.profile()?.device_id.uuid();
    let token = token::get(device)?;
    lock(&shared.live).token_present = Some(token.is_some());
    Ok(Some((store, transport, token)))
}

fn start_round(shared: &Arc<Shared>, timing: &Timing) -> Option<Round> {
    let (store, transport, token) = match prepare(shared, timing) {
        Ok(Some((store, transport, Some(token)))) => (store, transport, token),
        Ok(_) => {
            // Nothing to do until the person configures or enrols; the status says which.
            shared.update(|l| {
                l.offline = false;
                l.last_error = None;
            });
            return None;
        }
        Err(e) => {
            shared.update(|l| {
                l.offline = false;
                l.last_error = Some(e);
            });
            return None;
        }
    };
    let replica = match StoreReplica::new(store, wants()) {
        Ok(r) => r,
        Err(e) => {
            shared.update(|l| l.last_error = Some(IpcError::from(&SyncError::Local(e))));
            return None;
        }
    };
    shared.update(|l| {
        l.running = true;
        l.offline = false;
        l.progress = None;
        l.last_attempt_at = Some(Utc::now());
        l.next_attempt_at = None;
    });
    let observed = Observed {
        inner: transport,
        shared: Arc::clone(shared),
    };
    let shared = Arc::clone(shared);
    let options = SyncOptions {
        backoff: timing.backoff,
        ..SyncOptions::default()
    };
    Some(Box::pin(async move {
        let mut replica = replica;
        let mut client = SyncClient::new(observed, Some(token), options);
        let mut progress = move |p: SyncProgress| shared.progress(p);
        client.sync_with_retry(&mut replica, &mut progress).await
    }))
}

async fn enroll(
    shared: &Arc<Shared>,
    timing: &Timing,
    code: &str,
    device_name: &str,
    restart: bool,
) -> Result<(), IpcError> {
    let store = shared.store().ok_or_else(IpcError::not_ready)?;
    let config = SyncConfig::load(&shared.data_dir)?;
    let transport = config.transport_with_timeout(timing.request_timeout)?;
    let profile = store.profile()?;
    let old_device = profile.device_id.uuid();
    // Before the one-time code is consumed: the token must have somewhere to go.
    token::check_available(old_device)?;
    let mut client = SyncClient::new(transport, None, SyncOptions::default())
        .for_unit(profile.unit.code.clone());
    let answer = if restart {
        // Restored backup, cloned disk or revoked device: a new device id, data kept.
        let mut replica = StoreReplica::new(Arc::clone(&store), wants())
            .map_err(|e| IpcError::from(&SyncError::Local(e)))?;
        client
            .reenroll_after_restore(&mut replica, code, device_name)
            .await
    } else {
        let last = store.outbox_stats()?.last_device_seq;
        client.enroll(code, old_device, device_name, last).await
    }
    .map_err(|e| enrol_error(&e))?;
    if answer.unit != profile.unit.code {
        return Err(IpcError(Error::field(
            ErrorCode::CodigoInscripcionInvalido,
            "code",
            format!(
                "El código corresponde a la unidad {}, pero este equipo trabaja para {}; no se \
                 guardó la inscripción. Avise al administrador: debe revocar el equipo {} en el \
                 servidor y darle un código de inscripción para {}; luego use «Volver a \
                 inscribir».",
                answer.unit, profile.unit.code, answer.device_id, profile.unit.code
            ),
        )));
    }
    token::set(answer.device_id, &answer.token).map_err(|e| {
        IpcError(Error::general(
            e.code(),
            format!(
                "{} El código de inscripción sigue sirviendo para este equipo: ingréselo de \
                 nuevo cuando el llavero responda.",
                e.0.message
            ),
        ))
    })?;
    if answer.device_id != old_device {
        // The old id's token is useless now; failing to delete it leaves only clutter.
        let _ = token::forget(old_device);
    }
    store.sync_mark_enrolled()?;
    shared.update(|l| {
        l.token_present = Some(true);
        l.last_error = None;
        l.offline = false;
    });
    Ok(())
}

/// Enrolment errors name the code field when the code is at fault.
fn enrol_error(e: &SyncError) -> IpcError {
    let mut err = IpcError::from(e);
    if err.code() == ErrorCode::CodigoInscripcionInvalido {
        err.0.field = Some("code".into());
    }
    err
}

/// The store, transport and token of an enrolled device, or why there are none.
fn enrolled(
    shared: &Arc<Shared>,
    timing: &Timing,
) -> Result<(Arc<Store>, HttpTransport, String), IpcError> {
    match prepare(shared, timing)? {
        Some((store, transport, Some(token))) => Ok((store, transport, token)),
        Some((_, _, None)) => Err(IpcError::from(&SyncError::NotEnrolled)),
        None if shared.store().is_none() => Err(IpcError::not_ready()),
        None => Err(config::not_configured()),
    }
}

async fn server_conflicts(
    shared: &Arc<Shared>,
    timing: &Timing,
) -> Result<(Arc<Store>, Uuid, Vec<Conflict>), IpcError> {
    let (store, transport, token) = enrolled(shared, timing)?;
    let profile = store.profile()?;
    let list = transport
        .conflicts(&token, &profile.unit.code)
        .await
        .map_err(|e| IpcError::from(&SyncError::Transport(e)))?;
    Ok((store, profile.device_id.uuid(), list.conflicts))
}

async fn conflicts(shared: &Arc<Shared>, timing: &Timing) -> Result<Vec<SyncConflict>, IpcError> {
    let (_, device, list) = server_conflicts(shared, timing).await?;
    Ok(list
        .iter()
        .map(|c| SyncConflict {
            conflict_id: c.conflict_id.hyphenated().to_string(),
            entity: c.entity.clone(),
            entity_label: entity_label(&c.entity).to_string(),
            entity_id: c.entity_id.hyphenated().to_string(),
            field: c.field.clone(),
            winner_value: value_text(&c.winner_value),
            loser_value: value_text(&c.loser_value),
            winner_is_mine: c.winner_device == device,
            loser_is_mine: c.loser_device == device,
        })
        .collect())
}

async fn resolve(
    shared: &Arc<Shared>,
    timing: &Timing,
    input: &SyncResolveInput,
) -> Result<(), IpcError> {
    let (store, transport, token) = enrolled(shared, timing)?;
    let profile = store.profile()?;
    let list = transport
        .conflicts(&token, &profile.unit.code)
        .await
        .map_err(|e| IpcError::from(&SyncError::Transport(e)))?;
    let conflict = list
        .conflicts
        .iter()
        .find(|c| c.conflict_id.hyphenated().to_string() == input.conflict_id)
        .ok_or_else(|| IpcError(Error::not_found("el conflicto (quizá ya se resolvió)")))?;
    let writable = chaski_store::write::Entity::from_table(&conflict.entity)
        .is_some_and(|e| e.columns().contains(&conflict.field.as_str()));
    if input.keep == ConflictChoice::Loser && !writable {
        return Err(IpcError(Error::general(
            ErrorCode::ValorInvalido,
            format!(
                "El valor descartado de este conflicto ({} · {}) no se puede aplicar desde esta \
                 versión de Chaski; se conserva el valor actual. Corrija el registro a mano si \
                 hace falta.",
                entity_label(&conflict.entity),
                conflict.field
            ),
        )));
    }
    let choice = match input.keep {
        ConflictChoice::Winner => ResolutionChoice::Winner,
        ConflictChoice::Loser => ResolutionChoice::Loser,
    };
    let name = format!(
        "{} {}",
        profile.technician.first_names, profile.technician.last_names
    );
    let mut replica =
        StoreReplica::new(store, wants()).map_err(|e| IpcError::from(&SyncError::Local(e)))?;
    let mut client = SyncClient::new(transport, Some(token), SyncOptions::default());
    client
        .resolve_conflict(&mut replica, conflict, choice, None, Some(name))
        .await
        .map_err(|e| IpcError::from(&e))?;
    Ok(())
}

/// Spanish label of a replicated record kind.
pub fn entity_label(entity: &str) -> &'static str {
    match entity {
        "office" => "oficina",
        "person" => "persona",
        "technician" => "personal de soporte",
        "attention" => "atención",
        "attention_escalation" => "escalamiento",
        "attention_status_change" => "cambio de estado",
        "asset" => "bien",
        "asset_event" => "movimiento de bien",
        "assignment" => "cargo de asignación",
        "transfer" => "traslado",
        "generated_document" => "documento",
        _ => "registro",
    }
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "(vacío)".into(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(true) => "Sí".into(),
        serde_json::Value::Bool(false) => "No".into(),
        other => other.to_string(),
    }
}

/// What a rejection code means for the person, and what to do.
pub fn rejection_message(code: &str) -> String {
    use chaski_sync::wire::codes;
    match code {
        codes::DOCUMENT_SIGNED => "El documento ya estaba firmado en el servidor: los documentos \
             firmados no se modifican. Si hace falta un cambio, emita un documento nuevo."
            .into(),
        codes::NUMBER_OUTSIDE_BLOCK => "El número del documento no pertenece a los números \
             reservados para este equipo. Avise al administrador para revisarlo."
            .into(),
        codes::NUMBER_USED => "Otro documento ya usa ese número en la unidad. Avise al \
             administrador para revisar la numeración."
            .into(),
        codes::NUMBER_INCOMPLETE => "El número del documento está incompleto (tipo, año y \
             número van juntos). Vuelva a guardar el documento."
            .into(),
        codes::UNIT_MISMATCH => "El cambio es de otra unidad y este equipo no puede enviarlo. \
             Revise la unidad configurada en este equipo."
            .into(),
        codes::INVALID_CHANGE => "El servidor no reconoce el cambio (quizá una versión más \
             nueva de Chaski lo escribió). Actualice Chaski o avise al administrador."
            .into(),
        other => format!(
            "El servidor rechazó el cambio (código {other}). Avise al administrador con este \
             código."
        ),
    }
}

/// The refused changes of this device, with what they were about.
pub fn rejections(store: &Store) -> Result<Vec<SyncRejection>, IpcError> {
    let mut out = Vec::new();
    for r in store.sync_rejections()? {
        let change = store
            .outbox_after(r.device_seq.saturating_sub(1), 1)?
            .into_iter()
            // By change id: after a resync the sequence may belong to a re-stamped entry.
            .find(|c| c.change_id == r.change_id);
        out.push(SyncRejection {
            device_seq: r.device_seq,
            change_id: r.change_id.hyphenated().to_string(),
            message: rejection_message(&r.code),
            code: r.code,
            entity_label: change
                .as_ref()
                .map_or("registro", |c| entity_label(&c.entity))
                .to_string(),
            entity_id: change
                .as_ref()
                .map(|c| c.entity_id.hyphenated().to_string()),
            fields: change
                .map(|c| c.fields.keys().cloned().collect())
                .unwrap_or_default(),
        });
    }
    Ok(out)
}

/// A name the administrator recognises: the computer's host name, else the unit and
/// technician.
pub fn default_device_name(store: &Store) -> Result<String, IpcError> {
    let host = std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty());
    let profile = store.profile()?;
    Ok(match host {
        Some(h) => format!("{h} ({})", profile.unit.code),
        None => format!(
            "{} · {} {}",
            profile.unit.code, profile.technician.first_names, profile.technician.last_names
        ),
    }
    .chars()
    .take(80)
    .collect())
}

// --------------------------------------------------------------------------- transport

/// The real transport, reporting every failed or successful request to the status, so the
/// screen says "sin conexión" at the first failure while the client backs off.
struct Observed {
    inner: HttpTransport,
    shared: Arc<Shared>,
}

impl Observed {
    fn seen<T>(&self, result: Result<T, TransportError>) -> Result<T, TransportError> {
        match &result {
            Ok(_) => {
                let was_offline = lock(&self.shared.live).offline;
                if was_offline {
                    self.shared.update(|l| {
                        l.offline = false;
                        l.last_error = None;
                    });
                }
            }
            Err(e) if e.is_retryable() => {
                let err = IpcError::from(&SyncError::Transport(e.clone()));
                self.shared.update(|l| {
                    l.offline = true;
                    l.last_error = Some(err);
                });
            }
            Err(_) => {}
        }
        result
    }
}

#[async_trait]
impl Transport for Observed {
    async fn hello(
        &self,
        token: Option<&str>,
        req: &HelloRequest,
    ) -> Result<HelloResponse, TransportError> {
        self.seen(self.inner.hello(token, req).await)
    }

    async fn enroll(&self, req: &EnrollRequest) -> Result<EnrollResponse, TransportError> {
        self.seen(self.inner.enroll(req).await)
    }

    async fn push(&self, token: &str, req: &PushRequest) -> Result<PushResponse, TransportError> {
        self.seen(self.inner.push(token, req).await)
    }

    async fn pull(&self, token: &str, query: &PullQuery) -> Result<PullPage, TransportError> {
        self.seen(self.inner.pull(token, query).await)
    }

    async fn reserve(
        &self,
        token: &str,
        req: &ReserveRequest,
    ) -> Result<NumberBlock, TransportError> {
        self.seen(self.inner.reserve(token, req).await)
    }

    async fn conflicts(&self, token: &str, unit: &str) -> Result<ConflictList, TransportError> {
        self.seen(self.inner.conflicts(token, unit).await)
    }

    async fn resolve_conflict(
        &self,
        token: &str,
        conflict_id: Uuid,
        req: &ResolveRequest,
    ) -> Result<Conflict, TransportError> {
        self.seen(self.inner.resolve_conflict(token, conflict_id, req).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enrolment_codes_are_normalized_or_refused_on_the_code_field() {
        assert_eq!(
            normalize_code(" k7qf 9xm2-hd4t ").as_deref().ok(),
            Some("K7QF-9XM2-HD4T")
        );
        assert_eq!(
            normalize_code("K7QF9XM2HD4T").as_deref().ok(),
            Some("K7QF-9XM2-HD4T")
        );
        let e = normalize_code("  ").expect_err("empty");
        assert_eq!(e.code(), ErrorCode::CampoRequerido);
        for bad in [
            "K7QF-9XM2",
            "K7QF-9XM2-HD4T-AAAA",
            "O0QF-9XM2-HD4T",
            "K7QF-9XM2-HD4Ñ",
        ] {
            let e = normalize_code(bad).expect_err(bad);
            assert_eq!(e.code(), ErrorCode::ValorInvalido, "{bad}");
            assert_eq!(e.0.field.as_deref(), Some("code"), "{bad}");
        }
    }

    #[test]
    fn every_known_rejection_code_has_its_own_message() {
        use chaski_sync::wire::codes;
        for code in [
            codes::DOCUMENT_SIGNED,
            codes::NUMBER_OUTSIDE_BLOCK,
            codes::NUMBER_USED,
            codes::NUMBER_INCOMPLETE,
            codes::UNIT_MISMATCH,
            codes::INVALID_CHANGE,
        ] {
            assert!(!rejection_message(code).contains("código"), "{code}");
        }
        assert!(rejection_message("otro_codigo").contains("otro_codigo"));
    }
}
