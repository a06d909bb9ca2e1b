//! The SQLite backend (rusqlite): the default, one file in the data directory.
//!
//! WAL journal, `synchronous = FULL` (a server that acknowledged a push must not lose it on
//! power loss), foreign keys on. Transactions are `BEGIN IMMEDIATE`.
//!
//! **Checkpoints after the answer.** SQLite's automatic checkpoint (every 1,000 WAL pages)
//! runs inside the COMMIT of whichever transaction crosses the mark, so that request pays
//! for copying the WAL into the database and an extra fsync: measured, 8–11 % of the
//! worker's CPU in a run of 500-change pushes, all of it on a few requests' latency. The
//! automatic checkpoint is off; the worker runs a PASSIVE checkpoint itself every
//! [`CHECKPOINT_EVERY`] commits, after the job's answer was sent ([`Backend::after_job`]).
//! Durability is unchanged: a commit is durable once in the WAL (fsync'd, `FULL`).

use std::path::Path;

use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{Connection, TransactionBehavior};

use super::{Backend, Dialect, Row, StoreError, Tx, Val};

/// Commits between two checkpoints (a 500-change push writes ≈ 300 WAL pages; 25 changes
/// ≈ 20).
pub const CHECKPOINT_EVERY: u32 = 8;

/// One SQLite connection.
pub struct SqliteBackend {
    conn: Connection,
    /// Commits since the last checkpoint.
    commits: u32,
}

fn q(e: rusqlite::Error) -> StoreError {
    StoreError::Query(e.to_string())
}

impl SqliteBackend {
    /// Opens `path`, creating it if needed.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path).map_err(|e| {
            StoreError::Unavailable(format!("no se pudo abrir {}: {e}", path.display()))
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(q)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
             PRAGMA wal_autocheckpoint = 0;",
        )
        .map_err(q)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Self { conn, commits: 0 })
    }
}

/// `$1` → `?1`: the server's SQL is written with PostgreSQL placeholders.
pub fn to_sqlite_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_string = !in_string;
        }
        if c == '$' && !in_string && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

struct SqliteTx<'a> {
    tx: &'a rusqlite::Transaction<'a>,
}

fn bind(params: &[Val]) -> Result<Vec<ToSqlOutput<'_>>, StoreError> {
    params
        .iter()
        .map(|v| match v {
            Val::Int(Some(i)) => Ok(ToSqlOutput::Owned(SqlValue::Integer(*i))),
            Val::Text(Some(s)) => Ok(ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes()))),
            Val::Int(None) | Val::Text(None) => Ok(ToSqlOutput::Owned(SqlValue::Null)),
            Val::Ints(_) | Val::Texts(_) => Err(StoreError::Query(
                "SQLite no admite parámetros de tipo arreglo".into(),
            )),
        })
        .collect()
}

impl Tx for SqliteTx<'_> {
    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached(&to_sqlite_placeholders(sql))
            .map_err(q)?;
        let n = stmt
            .execute(rusqlite::params_from_iter(bind(params)?))
            .map_err(q)?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached(&to_sqlite_placeholders(sql))
            .map_err(q)?;
        let cols = stmt.column_count();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(bind(params)?))
            .map_err(q)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(q)? {
            let mut vals = Vec::with_capacity(cols);
            for i in 0..cols {
                vals.push(match row.get_ref(i).map_err(q)? {
                    ValueRef::Integer(v) => Val::Int(Some(v)),
                    ValueRef::Text(t) => Val::Text(Some(String::from_utf8_lossy(t).into_owned())),
                    ValueRef::Null => Val::Int(None),
                    ValueRef::Real(r) => Val::Int(Some(r as i64)),
                    ValueRef::Blob(b) => Val::Text(Some(String::from_utf8_lossy(b).into_owned())),
                });
            }
            out.push(Row(vals));
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.tx.execute_batch(sql).map_err(q)
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
}

impl Backend for SqliteBackend {
    fn transaction(
        &mut self,
        f: &mut dyn FnMut(&mut dyn Tx) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(q)?;
        let result = f(&mut SqliteTx { tx: &tx });
        match result {
            Ok(()) => {
                tx.commit().map_err(q)?;
                self.commits += 1;
                Ok(())
            }
            Err(e) => {
                // Dropping the transaction rolls it back.
                drop(tx);
                Err(e)
            }
        }
    }

    fn is_broken(&self) -> bool {
        false
    }

    fn after_job(&mut self) {
        if self.commits >= CHECKPOINT_EVERY {
            self.commits = 0;
            // PASSIVE: never waits for anyone. A failure only leaves the WAL longer; the next
            // checkpoint copies what this one did not.
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_outside_strings_only() {
        assert_eq!(
            to_sqlite_placeholders("SELECT '$1', x FROM t WHERE a = $1 AND b = $12"),
            "SELECT '$1', x FROM t WHERE a = ?1 AND b = ?12"
        );
    }
}
