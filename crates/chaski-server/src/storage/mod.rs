//! Storage: one trait, two backends.
//!
//! [`Backend`] is the single storage trait: "run this closure inside one database
//! transaction". It has two implementations, [`sqlite::SqliteBackend`] (rusqlite; the
//! default, data in a local directory) and [`postgres::PgBackend`] (the synchronous
//! `postgres` client; for the central office). The protocol rules (`crate::push`,
//! `crate::units`, …) are written ONCE against [`Tx`], with SQL that both engines accept (`$1` placeholders,
//! `ON CONFLICT … DO UPDATE`, `RETURNING`, `BIGINT` and `TEXT` columns only), so no
//! behaviour can exist on one backend and not the other; the behavioural test suite runs on
//! both.
//!
//! Both drivers are blocking. [`Storage`] owns a small pool of worker threads, each owning
//! one connection; async handlers send it a closure and await the answer. Connections are
//! created and dropped on their own threads, never inside the async runtime.

pub mod batch;
pub mod postgres;
pub mod sqlite;

use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

/// A value bound to or read from SQL. Only two column types exist in the server schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    /// `BIGINT`.
    Int(Option<i64>),
    /// `TEXT`.
    Text(Option<String>),
    /// `BIGINT[]`: PostgreSQL only (bulk inserts with `unnest`; SQLite refuses it).
    Ints(Vec<Option<i64>>),
    /// `TEXT[]`: PostgreSQL only, like [`Val::Ints`].
    Texts(Vec<Option<String>>),
}

impl Val {
    /// A non-null integer.
    pub fn int(v: i64) -> Self {
        Val::Int(Some(v))
    }
    /// A non-null text.
    pub fn text(v: impl Into<String>) -> Self {
        Val::Text(Some(v.into()))
    }
}

/// One result row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row(pub Vec<Val>);

impl Row {
    /// Column `i` as a nullable integer.
    pub fn opt_i64(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.0.get(i) {
            Some(Val::Int(v)) => Ok(*v),
            Some(Val::Text(None)) => Ok(None),
            other => Err(StoreError::Schema(format!(
                "columna {i}: se esperaba un entero, llegó {other:?}"
            ))),
        }
    }
    /// Column `i` as an integer.
    pub fn i64(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_i64(i)?
            .ok_or_else(|| StoreError::Schema(format!("columna {i}: entero nulo")))
    }
    /// Column `i` as a nullable text.
    pub fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.0.get(i) {
            Some(Val::Text(v)) => Ok(v.clone()),
            Some(Val::Int(None)) => Ok(None),
            other => Err(StoreError::Schema(format!(
                "columna {i}: se esperaba texto, llegó {other:?}"
            ))),
        }
    }
    /// Column `i` as a text.
    pub fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?
            .ok_or_else(|| StoreError::Schema(format!("columna {i}: texto nulo")))
    }
}

/// A database failure.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened or reached.
    #[error("la base de datos del servidor no está disponible: {0}")]
    Unavailable(String),
    /// A statement failed.
    #[error("error de la base de datos del servidor: {0}")]
    Query(String),
    /// The data does not have the expected shape (a bug or a foreign schema).
    #[error("la base de datos del servidor tiene un formato inesperado: {0}")]
    Schema(String),
    /// The database was written by a newer server.
    #[error(
        "la base de datos la escribió una versión más nueva del servidor (esquema {0}); actualice chaski-server"
    )]
    NewerSchema(i64),
    /// Too many jobs are already waiting for the database: the request is refused at once
    /// (503 with `Retry-After`) instead of queueing without bound.
    #[error("el servidor está ocupado; se reintentará en unos segundos")]
    Busy,
    /// The transaction was rolled back on purpose (the closure returned an error).
    #[error("transacción revertida")]
    RolledBack,
}

/// Which engine a [`Tx`] talks to (only for the rare statement that must differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// An open transaction. SQL uses `$1, $2, …` placeholders on both backends.
pub trait Tx {
    /// Runs a statement; returns the number of rows changed.
    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError>;
    /// Runs a query and returns every row.
    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError>;
    /// Runs several statements without parameters (migrations).
    fn batch(&mut self, sql: &str) -> Result<(), StoreError>;
    /// The engine.
    fn dialect(&self) -> Dialect;
}

/// THE storage trait: one connection that can run a closure in a transaction. Committed if
/// the closure returns `Ok`, rolled back otherwise.
pub trait Backend: Send {
    /// Runs `f` inside one transaction.
    fn transaction(
        &mut self,
        f: &mut dyn FnMut(&mut dyn Tx) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;
    /// Whether the connection is dead and must be replaced.
    fn is_broken(&self) -> bool;
    /// Housekeeping run by the worker after a job's answer was sent, so that it is not part
    /// of any request's latency (SQLite: WAL checkpoints).
    fn after_job(&mut self) {}
}

type Job = Box<dyn FnOnce(&mut dyn Backend) + Send>;
type Factory = Arc<dyn Fn() -> Result<Box<dyn Backend>, StoreError> + Send + Sync>;

/// The server's storage: a pool of worker threads, each with one connection.
#[derive(Clone)]
pub struct Storage {
    sender: mpsc::SyncSender<Job>,
    dialect: Dialect,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Storage")
            .field("dialect", &self.dialect)
            .finish()
    }
}

/// One embedded migration.
struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

/// Most jobs waiting for a database worker. Beyond it a request is answered 503 with
/// `Retry-After` at once (clients retry with backoff) rather than queued without bound: the
/// 200-device benchmark keeps at most 200 in flight.
pub const MAX_QUEUED_JOBS: usize = 512;

/// The server's schema, shared by both backends: written in the SQL that SQLite and
/// PostgreSQL both accept, so there is no second, hand-copied schema to drift.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_init",
        sql: include_str!("../../../../migrations/server/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "0002_enrolled_seq",
        sql: include_str!("../../../../migrations/server/0002_enrolled_seq.sql"),
    },
    Migration {
        version: 3,
        name: "0003_conflict_resolution",
        sql: include_str!("../../../../migrations/server/0003_conflict_resolution.sql"),
    },
    Migration {
        version: 4,
        name: "0004_schema_versions",
        sql: include_str!("../../../../migrations/server/0004_schema_versions.sql"),
    },
    Migration {
        version: 5,
        name: "0005_record_owner",
        sql: include_str!("../../../../migrations/server/0005_record_owner.sql"),
    },
];

impl Storage {
    /// Opens (creating if needed) the SQLite database `chaski-server.sqlite3` in `dir`.
    pub fn open_sqlite(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Unavailable(format!(
                "no se pudo crear la carpeta de datos {}: {e}",
                dir.display()
            ))
        })?;
        let path = dir.join("chaski-server.sqlite3");
        let factory: Factory = Arc::new(move || {
            sqlite::SqliteBackend::open(&path).map(|b| Box::new(b) as Box<dyn Backend>)
        });
        // One connection: SQLite has one writer anyway, and it keeps sequence assignment
        // trivially serial.
        Self::start(factory, 1, Dialect::Sqlite)
    }

    /// Connects to PostgreSQL at `url` with `workers` connections.
    pub fn open_postgres(url: &str, workers: usize) -> Result<Self, StoreError> {
        let url = url.to_string();
        let factory: Factory = Arc::new(move || {
            postgres::PgBackend::connect(&url).map(|b| Box::new(b) as Box<dyn Backend>)
        });
        Self::start(factory, workers.max(1), Dialect::Postgres)
    }

    fn start(factory: Factory, workers: usize, dialect: Dialect) -> Result<Self, StoreError> {
        // Open the first connection here so a bad path or URL fails at start, clearly.
        let first = factory()?;
        let (sender, receiver) = mpsc::sync_channel::<Job>(MAX_QUEUED_JOBS);
        let receiver = Arc::new(Mutex::new(receiver));
        let mut first = Some(first);
        for i in 0..workers {
            let receiver = Arc::clone(&receiver);
            let factory = Arc::clone(&factory);
            let conn = first.take();
            std::thread::Builder::new()
                .name(format!("chaski-db-{i}"))
                .spawn(move || worker(conn, factory, receiver))
                .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        }
        Ok(Self { sender, dialect })
    }

    /// The engine.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Runs `f` in one transaction on a worker. `f`'s error rolls the transaction back and
    /// is returned as is.
    pub async fn run<R, E, F>(&self, f: F) -> Result<R, E>
    where
        F: FnOnce(&mut dyn Tx) -> Result<R, E> + Send + 'static,
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<R, E>>();
        let job: Job = Box::new(move |conn: &mut dyn Backend| {
            let mut f = Some(f);
            let mut out: Option<Result<R, E>> = None;
            let res = conn.transaction(&mut |tx| {
                let f = f
                    .take()
                    .ok_or_else(|| StoreError::Schema("transacción repetida".into()))?;
                match f(tx) {
                    Ok(v) => {
                        out = Some(Ok(v));
                        Ok(())
                    }
                    Err(e) => {
                        out = Some(Err(e));
                        Err(StoreError::RolledBack)
                    }
                }
            });
            let result = match (res, out) {
                (Ok(()), Some(r)) => r,
                (Err(StoreError::RolledBack), Some(Err(e))) => Err(e),
                (Err(e), _) => Err(E::from(e)),
                (Ok(()), None) => Err(E::from(StoreError::Schema("sin resultado".into()))),
            };
            let _ = reply.send(result);
        });
        self.sender.try_send(job).map_err(|e| match e {
            mpsc::TrySendError::Full(_) => E::from(StoreError::Busy),
            mpsc::TrySendError::Disconnected(_) => E::from(StoreError::Unavailable(
                "los hilos de la base de datos se detuvieron".into(),
            )),
        })?;
        answer.await.map_err(|_| {
            E::from(StoreError::Unavailable(
                "la base de datos no respondió".into(),
            ))
        })?
    }

    /// Applies pending migrations, each with its bookkeeping in one transaction. Refuses a
    /// database written by a newer server.
    pub async fn migrate(&self) -> Result<Vec<String>, StoreError> {
        let migrations = MIGRATIONS;
        let newest = migrations.iter().map(|m| m.version).max().unwrap_or(0);
        let current = self
            .run(|tx| {
                tx.batch(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (
                        version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                )?;
                let rows = tx.query(
                    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                    &[],
                )?;
                rows.first().map(|r| r.i64(0)).unwrap_or(Ok(0))
            })
            .await?;
        if current > newest {
            return Err(StoreError::NewerSchema(current));
        }
        let mut applied = Vec::new();
        for m in migrations.iter().filter(|m| m.version > current) {
            let (version, name, sql) = (m.version, m.name, m.sql);
            self.run(move |tx| {
                tx.batch(sql)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    &[
                        Val::int(version),
                        Val::text(name),
                        Val::int(crate::values::now_ms()),
                    ],
                )?;
                Ok::<_, StoreError>(())
            })
            .await?;
            applied.push(name.to_string());
        }
        Ok(applied)
    }
}

fn worker(
    mut conn: Option<Box<dyn Backend>>,
    factory: Factory,
    receiver: Arc<Mutex<mpsc::Receiver<Job>>>,
) {
    loop {
        let job = {
            let Ok(guard) = receiver.lock() else { return };
            match guard.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        if conn.as_ref().is_none_or(|c| c.is_broken()) {
            conn = factory().ok();
        }
        match conn.as_mut() {
            Some(c) => {
                job(c.as_mut());
                c.after_job();
            }
            None => {
                let mut dead = DeadBackend;
                job(&mut dead);
            }
        }
    }
}

/// Stands in for a connection that could not be (re)opened: every transaction fails with
/// `Unavailable`, so the request gets a 503 instead of hanging.
struct DeadBackend;

impl Backend for DeadBackend {
    fn transaction(
        &mut self,
        _f: &mut dyn FnMut(&mut dyn Tx) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        Err(StoreError::Unavailable(
            "no se pudo conectar con la base de datos".into(),
        ))
    }
    fn is_broken(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_refuses_at_once_instead_of_waiting() {
        let dir = tempfile::tempdir().expect("tempdir");
        let storage = Storage::open_sqlite(dir.path()).expect("open");
        // Hold the only SQLite worker, then fill the queue.
        let (hold_tx, hold_rx) = std::sync::mpsc::channel::<()>();
        let (started_tx, started_rx) = oneshot::channel::<()>();
        let holder = {
            let storage = storage.clone();
            tokio::spawn(async move {
                storage
                    .run(move |_tx| -> Result<(), StoreError> {
                        let _ = started_tx.send(());
                        let _ = hold_rx.recv();
                        Ok(())
                    })
                    .await
            })
        };
        started_rx.await.expect("worker busy");
        let mut queued = Vec::new();
        for _ in 0..MAX_QUEUED_JOBS {
            let storage = storage.clone();
            queued.push(tokio::spawn(async move {
                storage.run(|_tx| Ok::<_, StoreError>(())).await
            }));
        }
        // Let every queued job reach the channel.
        std::thread::sleep(std::time::Duration::from_millis(300));
        let refused = storage.run(|_tx| Ok::<_, StoreError>(())).await;
        assert!(matches!(refused, Err(StoreError::Busy)), "{refused:?}");
        hold_tx.send(()).expect("release");
        holder.await.expect("join").expect("holder");
        for q in queued {
            q.await.expect("join").expect("queued job ran");
        }
    }
}
