//! The app's state, built once at start (the shell `.manage()`s it) and shared by every use case.
//!
//! At start the app is in one of three phases, decided once from the data directory: no
//! database yet (first-run setup), a database open and ready, or a database file that the store
//! refused (corrupt, locked by another Chaski, written by a newer version). A refused file is
//! never touched again in this run; the UI shows the store's message and what to do.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use chaski_store::Store;
use serde::Serialize;
use ts_rs::TS;

use crate::error::IpcError;
use crate::events::{self, Event};
use crate::files::Viewer;

/// File name of the local database inside the data directory.
pub const DB_FILE_NAME: &str = "chaski.sqlite3";

/// Environment variable that overrides the data directory (tests, portable installs).
pub const DATA_DIR_ENV: &str = "CHASKI_DATA_DIR";

/// Where the app is, as the UI needs to know it to pick the first screen.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum AppStatus {
    /// No database yet: show the first-run setup.
    NeedsSetup { db_path: String },
    /// The database is open. `demo_pending`: the app was started with `--demo` and the UI
    /// should call `app_load_demo` now (it shows the progress and any error).
    Ready {
        db_path: String,
        profile: chaski_store::Profile,
        demo_pending: bool,
    },
    /// The database file was refused at start; it was left untouched.
    Failed { db_path: String, error: IpcError },
}

/// Sends one event to the UI. Installed at start by the shell (from the Tauri app handle);
/// until then (or in tests that do not listen) events are dropped.
pub type Emitter = Arc<dyn Fn(&'static str, serde_json::Value) + Send + Sync>;

/// Without a viewer installed (tests, or a shell that has none) nothing is opened; the file is
/// still written and its path returned.
fn no_viewer(_: &Path) -> Result<(), String> {
    Err("no hay un visor de archivos disponible en esta sesión".into())
}

enum Phase {
    NeedsSetup,
    Ready(Arc<Store>),
    Failed(IpcError),
}

/// Everything the commands share. One per process.
pub struct AppState {
    db_path: PathBuf,
    /// `chaski --demo`: load the demo data once a database is open; cleared when loaded.
    demo_pending: AtomicBool,
    phase: Mutex<Phase>,
    /// Background sync with the central server (idle until [`AppState::start_sync`]).
    sync: crate::sync::SyncService,
    emitter: OnceLock<Emitter>,
    viewer: OnceLock<Arc<Viewer>>,
    /// The inventory import between its preview and its confirmation.
    pub inventory: crate::inventory::InventoryImport,
}

impl AppState {
    /// Opens the database in `data_dir` if there is one; never creates or changes a file.
    pub fn start(data_dir: &Path, demo_requested: bool) -> Self {
        let db_path = data_dir.join(DB_FILE_NAME);
        let phase = if db_path.exists() {
            match Store::open(&db_path) {
                Ok(store) => Phase::Ready(Arc::new(store)),
                Err(err) => Phase::Failed(err.into()),
            }
        } else {
            Phase::NeedsSetup
        };
        Self {
            db_path,
            demo_pending: AtomicBool::new(demo_requested),
            phase: Mutex::new(phase),
            sync: crate::sync::SyncService::new(data_dir),
            emitter: OnceLock::new(),
            viewer: OnceLock::new(),
            inventory: crate::inventory::InventoryImport::default(),
        }
    }

    /// Installs the function that delivers events to the UI (once; later calls are ignored).
    pub fn set_emitter(&self, emitter: Emitter) {
        let _ = self.emitter.set(emitter);
    }

    /// Sends `payload` to the UI as `event` ([`crate::events`]). Progress is a courtesy: an
    /// event that cannot be serialized or delivered never fails the operation it reports on.
    pub fn emit<T: Serialize>(&self, event: Event<T>, payload: &T) {
        if let (Some(emit), Ok(value)) = (self.emitter.get(), serde_json::to_value(payload)) {
            emit(event.name, value);
        }
    }

    /// Installs the function that opens a file in the system viewer (once; later calls are
    /// ignored).
    pub fn set_viewer(&self, viewer: Arc<Viewer>) {
        let _ = self.viewer.set(viewer);
    }

    /// Opens a file in the system viewer ("Imprimir", "Ver informe").
    pub fn viewer(&self) -> &Viewer {
        match self.viewer.get() {
            Some(viewer) => viewer.as_ref(),
            None => &no_viewer,
        }
    }

    /// Starts the background sync (see [`crate::sync`]): its status goes to the UI as the
    /// event [`events::SYNC_STATUS`] through the emitter. The worker reaches the state
    /// only through a weak reference.
    pub fn start_sync(self: &Arc<Self>, timing: crate::sync::Timing) -> Result<(), IpcError> {
        let store = Arc::downgrade(self);
        let events = Arc::downgrade(self);
        self.sync().start(
            timing,
            move || store.upgrade().and_then(|s| s.store().ok()),
            move |status| {
                if let Some(s) = events.upgrade() {
                    s.emit(events::SYNC_STATUS, status);
                }
            },
        )
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// The background sync service.
    pub fn sync(&self) -> &crate::sync::SyncService {
        &self.sync
    }

    /// The data directory (the database's folder): printable copies and trusted roots live here.
    pub fn data_dir(&self) -> &Path {
        self.db_path.parent().unwrap_or(Path::new("."))
    }

    /// Loads the demo data set into the open database; clears the `--demo` request.
    pub fn load_demo(&self) -> Result<chaski_store::DemoSummary, IpcError> {
        // A fresh seed per load, so loading twice adds a second, different data set instead of
        // colliding with the first one's DNIs.
        let seed = chrono::Utc::now().timestamp_micros().unsigned_abs();
        let summary = self.store()?.load_demo_data(seed)?;
        self.demo_pending.store(false, Ordering::SeqCst);
        Ok(summary)
    }

    fn lock(&self) -> MutexGuard<'_, Phase> {
        // A panic while holding the lock cannot leave the store half-written (every write is
        // one SQLite transaction), so a poisoned lock is still safe to use.
        self.phase
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn status(&self) -> Result<AppStatus, IpcError> {
        let db_path = self.db_path.display().to_string();
        Ok(match &*self.lock() {
            Phase::NeedsSetup => AppStatus::NeedsSetup { db_path },
            Phase::Ready(store) => AppStatus::Ready {
                db_path,
                profile: store.profile()?,
                demo_pending: self.demo_pending.load(Ordering::SeqCst),
            },
            Phase::Failed(error) => AppStatus::Failed {
                db_path,
                error: error.clone(),
            },
        })
    }

    /// The open store. The phase lock is released before the store is used, so a long
    /// operation (the demo data) does not block `app_status`; the store serializes its own
    /// access to the connection.
    pub fn store(&self) -> Result<Arc<Store>, IpcError> {
        match &*self.lock() {
            Phase::Ready(store) => Ok(Arc::clone(store)),
            Phase::NeedsSetup | Phase::Failed(_) => Err(IpcError::not_ready()),
        }
    }

    /// First-run setup: creates the database and keeps it open.
    pub fn set_up(&self, input: &chaski_store::SetupInput) -> Result<AppStatus, IpcError> {
        {
            let mut phase = self.lock();
            if !matches!(*phase, Phase::NeedsSetup) {
                return Err(IpcError::already_set_up());
            }
            if let Some(dir) = self.db_path.parent() {
                std::fs::create_dir_all(dir).map_err(|err| IpcError::data_dir(dir, &err))?;
            }
            let store = Store::create(&self.db_path, input)?;
            *phase = Phase::Ready(Arc::new(store));
        }
        self.status()
    }
}
