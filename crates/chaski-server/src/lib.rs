//! The Chaski central server.
//!
//! Every unit's devices work offline and, whenever a link exists, exchange their changes
//! with this server: they push their outbox (dense per-device sequences) and pull pages of
//! their unit's changes (per-unit server sequences, the only cursor). The server derives a
//! device's unit from its token, never from a payload; a central-office device reads every
//! unit. See `docs/sync.md` for the protocol and the decisions behind it.
//!
//! - [`storage`]: the single storage trait and its two backends (SQLite default, PostgreSQL).
//! - [`logic`]: the protocol's rules, written once for both backends.
//! - [`api`]: the `/v1` HTTP routes and the OpenAPI document.
//!
//! The server starts on a listener passed in ([`serve`]), so tests bind port 0.
#![forbid(unsafe_code)]

pub mod api;
pub mod error;
pub mod logic;
pub mod pg_harness;
pub mod secrets;
pub mod storage;

use std::future::Future;

pub use api::{AppState, router};
pub use error::ServerError;
pub use storage::Storage;

/// Serves the API on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    storage: Storage,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(AppState { storage });
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Opens the storage named by the command line: PostgreSQL if `database_url` is given,
/// else SQLite in `data_dir`.
pub fn open_storage(
    data_dir: &std::path::Path,
    database_url: Option<&str>,
) -> Result<Storage, storage::StoreError> {
    match database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Storage::open_postgres(url, 4)
        }
        Some(url) => Err(storage::StoreError::Unavailable(format!(
            "--database-url debe empezar con postgres:// (se recibió «{}»)",
            url.chars().take(20).collect::<String>()
        ))),
        None => Storage::open_sqlite(data_dir),
    }
}

/// A server running in this process on a loopback port chosen by the OS (tests,
/// benchmarks, and embedding).
#[derive(Debug)]
pub struct RunningServer {
    addr: std::net::SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Binds `127.0.0.1:0` and serves `storage` on it.
    pub async fn start(storage: Storage) -> std::io::Result<Self> {
        Self::start_on("127.0.0.1:0", storage).await
    }

    /// Binds `addr` and serves `storage` on it.
    pub async fn start_on(addr: &str, storage: Storage) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, storage, async {
            let _ = rx.await;
        }));
        Ok(Self {
            addr,
            shutdown: Some(tx),
            task,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, finishes in-flight requests, and returns.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }

    /// Kills the server at once: in-flight requests are cut (a crash, for tests).
    pub async fn kill(self) {
        self.task.abort();
        let _ = self.task.await;
    }
}
