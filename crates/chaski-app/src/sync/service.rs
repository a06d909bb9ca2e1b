//! The sync service the commands talk to: starts and stops the worker thread, and hands it
//! jobs (sync now, enrol, list or resolve conflicts), waiting for the answer when there is one.

use std::path::Path;
use std::sync::{Arc, Mutex};

use chaski_core::error::{Error, ErrorCode};
use chaski_store::Store;
use tokio::sync::{mpsc, oneshot, watch};

use super::enrolment::normalize_code;
use super::shared::{Live, Shared};
use super::views::{SyncConflict, SyncEnrollInput, SyncResolveInput, SyncStatus};
use super::worker::run;
use super::{SyncConfig, SyncConfigInput, Timing, lock};
use crate::error::IpcError;

pub(super) enum Job {
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

    /// The current status (also sent as [`crate::events::SYNC_STATUS`] whenever it changes).
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
