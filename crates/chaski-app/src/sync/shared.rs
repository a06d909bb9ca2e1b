//! What the worker and the commands share: the transient status (running, offline, progress,
//! last results) and how the whole [`SyncStatus`] is computed from it, the config file and the
//! store.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chaski_store::Store;
use chaski_sync::SyncProgress;
use chrono::{DateTime, Utc};

use super::views::{SyncActivity, SyncProgressView, SyncStatus, SyncSummary};
use super::{SyncConfig, lock, token};
use crate::error::IpcError;

pub(super) type StoreFn = Arc<dyn Fn() -> Option<Arc<Store>> + Send + Sync>;
pub(super) type Emitter = Arc<dyn Fn(&SyncStatus) + Send + Sync>;

/// The transient part of the status (the rest is read from the store and the config).
#[derive(Debug, Clone, Default)]
pub(super) struct Live {
    pub(super) running: bool,
    pub(super) offline: bool,
    pub(super) progress: Option<SyncProgressView>,
    pub(super) last_success_at: Option<DateTime<Utc>>,
    pub(super) last_attempt_at: Option<DateTime<Utc>>,
    pub(super) next_attempt_at: Option<DateTime<Utc>>,
    pub(super) last_error: Option<IpcError>,
    pub(super) last_summary: Option<SyncSummary>,
    /// Whether the keyring held a token at the last look (saves a keyring call per event).
    pub(super) token_present: Option<bool>,
}

pub(super) struct Shared {
    pub(super) data_dir: PathBuf,
    pub(super) live: Mutex<Live>,
    pub(super) store: Mutex<Option<StoreFn>>,
    pub(super) emit: Mutex<Option<Emitter>>,
}

impl Shared {
    pub(super) fn store(&self) -> Option<Arc<Store>> {
        let f = lock(&self.store).clone();
        f.and_then(|f| f())
    }

    pub(super) fn update(&self, f: impl FnOnce(&mut Live)) {
        f(&mut lock(&self.live));
        let emit = lock(&self.emit).clone();
        if let Some(emit) = emit {
            emit(&self.status(self.store()));
        }
    }

    pub(super) fn status(&self, store: Option<Arc<Store>>) -> SyncStatus {
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

    pub(super) fn progress(&self, p: SyncProgress) {
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
