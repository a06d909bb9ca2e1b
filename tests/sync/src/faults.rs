//! A transport that misbehaves on purpose, between a real client and a real server: it drops
//! requests before sending them, loses answers after the server acted, sends requests twice,
//! delays them, replays an older push after newer ones (reordering), and hands the client a
//! stale pull page instead of the fresh one. Seeded.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chaski_sync::transport::{Transport, TransportError};
use chaski_sync::wire::{
    Conflict, ConflictList, EnrollRequest, EnrollResponse, HelloRequest, HelloResponse,
    NumberBlock, PullPage, PullQuery, PushRequest, PushResponse, ReserveRequest, ResolveRequest,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

/// Counters of injected faults.
#[derive(Debug, Default)]
pub struct FaultCounts {
    /// Requests dropped before sending.
    pub dropped: AtomicU64,
    /// Answers lost after the server acted.
    pub lost_answers: AtomicU64,
    /// Requests sent twice.
    pub duplicated: AtomicU64,
    /// Older pushes replayed after newer ones.
    pub replayed: AtomicU64,
    /// Stale pages handed back.
    pub stale_pages: AtomicU64,
}

/// The misbehaving transport.
pub struct FaultyTransport<T: Transport> {
    inner: T,
    rng: Mutex<StdRng>,
    /// Faults on or off (off while healing).
    pub enabled: AtomicBool,
    old_pushes: Mutex<Vec<PushRequest>>,
    old_pages: Mutex<Vec<PullPage>>,
    /// What was injected.
    pub counts: FaultCounts,
}

enum Fate {
    Drop,
    LoseAnswer,
    Duplicate,
    Normal,
}

impl<T: Transport> FaultyTransport<T> {
    /// Wraps `inner`.
    pub fn new(inner: T, seed: u64) -> Self {
        Self {
            inner,
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            enabled: AtomicBool::new(true),
            old_pushes: Mutex::new(Vec::new()),
            old_pages: Mutex::new(Vec::new()),
            counts: FaultCounts::default(),
        }
    }

    fn roll(&self) -> f64 {
        self.rng.lock().map(|mut r| r.r#gen::<f64>()).unwrap_or(1.0)
    }

    async fn fate(&self) -> Fate {
        if !self.enabled.load(Ordering::Relaxed) {
            return Fate::Normal;
        }
        let delay = self.roll();
        if delay < 0.2 {
            tokio::time::sleep(Duration::from_millis((delay * 100.0) as u64)).await;
        }
        let r = self.roll();
        if r < 0.08 {
            self.counts.dropped.fetch_add(1, Ordering::Relaxed);
            Fate::Drop
        } else if r < 0.16 {
            self.counts.lost_answers.fetch_add(1, Ordering::Relaxed);
            Fate::LoseAnswer
        } else if r < 0.24 {
            self.counts.duplicated.fetch_add(1, Ordering::Relaxed);
            Fate::Duplicate
        } else {
            Fate::Normal
        }
    }
}

fn lost() -> TransportError {
    TransportError::Network("conexión perdida (falla inyectada)".into())
}

macro_rules! with_fate {
    ($self:ident, $call:expr) => {{
        match $self.fate().await {
            Fate::Drop => Err(lost()),
            Fate::LoseAnswer => {
                let _ = $call.await;
                Err(lost())
            }
            Fate::Duplicate => {
                let _ = $call.await;
                $call.await
            }
            Fate::Normal => $call.await,
        }
    }};
}

#[async_trait]
impl<T: Transport> Transport for FaultyTransport<T> {
    async fn hello(
        &self,
        token: Option<&str>,
        req: &HelloRequest,
    ) -> Result<HelloResponse, TransportError> {
        with_fate!(self, self.inner.hello(token, req))
    }

    async fn enroll(&self, req: &EnrollRequest) -> Result<EnrollResponse, TransportError> {
        self.inner.enroll(req).await
    }

    async fn push(&self, token: &str, req: &PushRequest) -> Result<PushResponse, TransportError> {
        if self.enabled.load(Ordering::Relaxed) && self.roll() < 0.1 {
            // Reorder: an older push arrives after newer ones.
            let old = self.old_pushes.lock().ok().and_then(|v| {
                if v.is_empty() {
                    None
                } else {
                    let i = (self.roll() * v.len() as f64) as usize;
                    v.get(i.min(v.len() - 1)).cloned()
                }
            });
            if let Some(old) = old {
                self.counts.replayed.fetch_add(1, Ordering::Relaxed);
                // Its answer may be an error (a fork if ever different): it must not be.
                if let Err(e) = self.inner.push(token, &old).await
                    && !e.is_retryable()
                {
                    return Err(e);
                }
            }
        }
        if let Ok(mut v) = self.old_pushes.lock() {
            v.push(req.clone());
            if v.len() > 8 {
                v.remove(0);
            }
        }
        with_fate!(self, self.inner.push(token, req))
    }

    async fn pull(&self, token: &str, query: &PullQuery) -> Result<PullPage, TransportError> {
        if self.enabled.load(Ordering::Relaxed) && self.roll() < 0.06 {
            let stale = self.old_pages.lock().ok().and_then(|v| v.first().cloned());
            if let Some(page) = stale
                && page.unit == query.unit
            {
                self.counts.stale_pages.fetch_add(1, Ordering::Relaxed);
                return Ok(page);
            }
        }
        let page = with_fate!(self, self.inner.pull(token, query))?;
        if let Ok(mut v) = self.old_pages.lock()
            && !page.changes.is_empty()
        {
            v.push(page.clone());
            if v.len() > 4 {
                v.remove(0);
            }
        }
        Ok(page)
    }

    async fn reserve(
        &self,
        token: &str,
        req: &ReserveRequest,
    ) -> Result<NumberBlock, TransportError> {
        with_fate!(self, self.inner.reserve(token, req))
    }

    async fn conflicts(&self, token: &str, unit: &str) -> Result<ConflictList, TransportError> {
        with_fate!(self, self.inner.conflicts(token, unit))
    }

    async fn resolve_conflict(
        &self,
        token: &str,
        conflict_id: Uuid,
        req: &ResolveRequest,
    ) -> Result<Conflict, TransportError> {
        with_fate!(self, self.inner.resolve_conflict(token, conflict_id, req))
    }
}
