//! The Chaski central server.
//!
//! Every unit's devices work offline and, whenever a link exists, exchange their changes
//! with this server: they push their outbox (dense per-device sequences) and pull pages of
//! their unit's changes (per-unit server sequences, the only cursor). The server derives a
//! device's unit from its token, never from a payload; a central-office device reads every
//! unit. See `docs/sync.md` for the protocol and the decisions behind it.
//!
//! - [`storage`]: the single storage trait and its two backends (SQLite default, PostgreSQL).
//! - The protocol's rules, written once for both backends, one module per concept, each
//!   function running inside ONE transaction (the caller's): [`units`], [`devices`] (with
//!   [`secrets`]), [`data_schema`], [`push`], [`pull`], [`numbers`], [`conflicts`].
//! - [`api`]: the `/v1` HTTP routes and the OpenAPI document.
//! - [`tls`]: HTTPS with rustls when given a certificate and key.
//!
//! It links the domain (`chaski-core`) and the wire types (`chaski-wire`) only: never the
//! desktop store or the app's HTTP client.
//!
//! The server starts on a listener passed in ([`serve`], [`serve_tls`]), so tests bind
//! port 0.
#![forbid(unsafe_code)]

pub mod api;
pub mod conflicts;
pub mod data_schema;
pub mod devices;
pub mod error;
pub mod numbers;
#[cfg(feature = "test-support")]
pub mod pg_harness;
pub mod pull;
pub mod push;
pub mod secrets;
pub mod storage;
pub mod tls;
pub mod units;
mod values;

use std::future::Future;
use std::sync::Arc;

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

/// Serves the API over HTTPS on `listener` until `shutdown` completes (see [`tls`]).
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    tls: Arc<rustls::ServerConfig>,
    storage: Storage,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tls::TlsListener::new(listener, tls)?;
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
/// benchmarks, embedding). It runs on its own thread with its own tokio runtime, so that
/// [`RunningServer::kill`] can drop every task at once, open connections and in-flight
/// requests included: a crash, as far as clients can tell.
#[derive(Debug)]
pub struct RunningServer {
    addr: std::net::SocketAddr,
    https: bool,
    signal: Option<tokio::sync::oneshot::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl RunningServer {
    /// Binds `127.0.0.1:0` and serves `storage` on it.
    pub async fn start(storage: Storage) -> std::io::Result<Self> {
        Self::start_on("127.0.0.1:0", storage).await
    }

    /// Binds `addr` and serves `storage` on it.
    pub async fn start_on(addr: &str, storage: Storage) -> std::io::Result<Self> {
        Self::start_with(addr, storage, None).await
    }

    /// Binds `127.0.0.1:0` and serves `storage` over HTTPS with `tls` (its certificate must
    /// name `localhost`, see [`RunningServer::base_url`]).
    pub async fn start_tls(
        storage: Storage,
        tls: Arc<rustls::ServerConfig>,
    ) -> std::io::Result<Self> {
        Self::start_with("127.0.0.1:0", storage, Some(tls)).await
    }

    async fn start_with(
        addr: &str,
        storage: Storage,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> std::io::Result<Self> {
        let https = tls.is_some();
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<bool>();
        let thread = std::thread::Builder::new()
            .name("chaski-server".into())
            .spawn(move || -> std::io::Result<()> {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()?;
                let result = rt.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    let (graceful_tx, graceful_rx) = tokio::sync::oneshot::channel::<()>();
                    let shutdown = async {
                        let _ = graceful_rx.await;
                    };
                    let server = match tls {
                        Some(tls) => tokio::spawn(serve_tls(listener, tls, storage, shutdown)),
                        None => tokio::spawn(serve(listener, storage, shutdown)),
                    };
                    // true: graceful stop; false (or the handle dropped): crash.
                    let graceful = rx.await.unwrap_or(false);
                    if graceful {
                        let _ = graceful_tx.send(());
                        server.await.map_err(std::io::Error::other)?
                    } else {
                        Ok(())
                    }
                });
                // Drops every remaining task (connections, in-flight requests) at once.
                rt.shutdown_background();
                result
            })?;
        Ok(Self {
            addr,
            https,
            signal: Some(tx),
            thread: Some(thread),
        })
    }

    /// The bound address.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT` when serving TLS (a certificate
    /// names a host, not an address).
    pub fn base_url(&self) -> String {
        if self.https {
            format!("https://localhost:{}", self.addr.port())
        } else {
            format!("http://{}", self.addr)
        }
    }

    async fn finish(mut self, graceful: bool) {
        if let Some(tx) = self.signal.take() {
            let _ = tx.send(graceful);
        }
        if let Some(thread) = self.thread.take() {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }

    /// Stops accepting, finishes in-flight requests, and returns.
    pub async fn stop(self) {
        self.finish(true).await;
    }

    /// Kills the server at once: connections and in-flight requests are cut (a crash).
    pub async fn kill(self) {
        self.finish(false).await;
    }
}
