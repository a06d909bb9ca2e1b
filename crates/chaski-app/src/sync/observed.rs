//! The real transport, reporting every request to the status.

use std::sync::Arc;

use async_trait::async_trait;
use chaski_sync::SyncError;
use chaski_sync::transport::{HttpTransport, Transport, TransportError};
use chaski_sync::wire::{
    Conflict, ConflictList, EnrollRequest, EnrollResponse, HelloRequest, HelloResponse,
    NumberBlock, PullPage, PullQuery, PushRequest, PushResponse, ReserveRequest, ResolveRequest,
};
use uuid::Uuid;

use super::lock;
use super::shared::Shared;
use crate::error::IpcError;

/// The real transport, reporting every failed or successful request to the status, so the
/// screen says "sin conexión" at the first failure while the client backs off.
pub(super) struct Observed {
    pub(super) inner: HttpTransport,
    pub(super) shared: Arc<Shared>,
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
