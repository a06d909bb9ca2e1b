//! The worker's loop: one job at a time, one round at a time; rounds at start, on a timer and
//! shortly after local writes (the outbox is polled and debounced).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chaski_store::Store;
use chaski_sync::client::SyncOptions;
use chaski_sync::transport::HttpTransport;
use chaski_sync::{StoreReplica, SyncClient, SyncError, SyncProgress, SyncReport, desktop_wants};
use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::observed::Observed;
use super::service::Job;
use super::shared::Shared;
use super::{SyncConfig, Timing, conflicts, enrolment, lock, token};
use crate::error::IpcError;

type Round = Pin<Box<dyn Future<Output = Result<SyncReport, SyncError>> + Send>>;

/// The worker's loop: one job at a time, one round at a time.
pub(super) async fn run(
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
                            r = enrolment::enroll(&shared, &timing, &code, &device_name, restart) => r,
                            _ = stop.changed() => break,
                        };
                        if result.is_ok() {
                            timer_due = Some(Instant::now());
                        }
                        let _ = reply.send(result);
                    }
                    Job::Conflicts { reply } => {
                        let result = tokio::select! {
                            r = conflicts::conflicts(&shared, &timing) => r,
                            _ = stop.changed() => break,
                        };
                        let _ = reply.send(result);
                    }
                    Job::Resolve { input, reply } => {
                        let result = tokio::select! {
                            r = conflicts::resolve(&shared, &timing, &input) => r,
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
pub(super) type Prepared = (Arc<Store>, HttpTransport, Option<String>);

/// What a round needs, or why it cannot run (shown in the status).
pub(super) fn prepare(shared: &Arc<Shared>, timing: &Timing) -> Result<Option<Prepared>, IpcError> {
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
    let replica = match StoreReplica::new(
        store,
        desktop_wants(chaski_core::time::lima_year(Utc::now())),
    ) {
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
