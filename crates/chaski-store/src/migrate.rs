//! Schema migrations: plain `.sql` files in `migrations/client/`, embedded in the binary by
//! `build.rs`, applied in version order, each one together with its bookkeeping row (and
//! `PRAGMA user_version`) in ONE transaction — a crash mid-migration leaves the file at the
//! previous version, never half-migrated.
//!
//! Migrations are append-only: a released file is never edited; a change is a new file.
//! Versions 0001–0099 belong to the store, 0100 and up to the sync client.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

/// One embedded migration.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// The number in the file name.
    pub version: u32,
    /// The rest of the file name, without `.sql`.
    pub name: &'static str,
    /// The SQL.
    pub sql: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// Every migration this build knows, in order.
pub fn migrations() -> &'static [Migration] {
    MIGRATIONS
}

/// The highest schema version this build knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| i64::from(m.version))
}

/// The schema version of an open database: the highest applied migration (0 if none).
/// Reads only.
pub fn current_version(conn: &Connection) -> Result<i64> {
    let has_table: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if has_table.is_none() {
        return Ok(0);
    }
    let v: Option<i64> = conn.query_row("SELECT max(version) FROM schema_migrations", [], |r| {
        r.get(0)
    })?;
    Ok(v.unwrap_or(0))
}

/// Applies every migration not yet applied, in version order, up to `up_to` (all if `None`).
///
/// "Not yet applied" is decided per version (the `schema_migrations` rows), not by the highest
/// version: the store's migrations (0001–0099) and the sync client's (0100 and up) are written
/// in parallel, so a file at 0101 may still lack a store migration numbered below it (0030).
pub fn migrate(conn: &mut Connection, up_to: Option<u32>) -> Result<()> {
    migrate_with(conn, MIGRATIONS, up_to)
}

fn fk_violations(conn: &Connection) -> Result<usize> {
    let mut st = conn.prepare("PRAGMA foreign_key_check")?;
    let mut rows = st.query([])?;
    let mut n = 0;
    while rows.next()?.is_some() {
        n += 1;
    }
    Ok(n)
}

fn applied_versions(conn: &Connection) -> Result<Vec<i64>> {
    if current_version(conn)? == 0 {
        return Ok(Vec::new());
    }
    let mut st = conn.prepare("SELECT version FROM schema_migrations")?;
    let v = st
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(v)
}

pub(crate) fn migrate_with(
    conn: &mut Connection,
    migrations: &[Migration],
    up_to: Option<u32>,
) -> Result<()> {
    let applied = applied_versions(conn)?;
    // SQLite's table-rebuild procedure (a migration that recreates a referenced table, like
    // 0103 for `attention`): foreign keys off while migrating (the pragma is a no-op inside a
    // transaction, so it is set here), checked with `foreign_key_check` before each commit,
    // and restored afterwards whatever happened.
    let fk_on: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    if fk_on {
        conn.pragma_update(None, "foreign_keys", "OFF")?;
    }
    let result = apply_pending(conn, migrations, &applied, up_to);
    if fk_on {
        conn.pragma_update(None, "foreign_keys", "ON")?;
    }
    result
}

fn apply_pending(
    conn: &mut Connection,
    migrations: &[Migration],
    applied: &[i64],
    up_to: Option<u32>,
) -> Result<()> {
    for m in migrations {
        if applied.contains(&i64::from(m.version)) || up_to.is_some_and(|u| m.version > u) {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            );",
        )?;
        // Only breakage the migration itself causes refuses it (a file that already had a
        // dangling reference must still be able to migrate).
        let before = fk_violations(&tx)?;
        tx.execute_batch(m.sql)?;
        if fk_violations(&tx)? > before {
            return Err(crate::error::StoreError::BadData(format!(
                "la migración {:04} ({}) deja referencias rotas entre tablas",
                m.version, m.name
            )));
        }
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![m.version, m.name, crate::codec::ts(chrono::Utc::now())],
        )?;
        let top = current_version(&tx)?;
        tx.pragma_update(None, "user_version", top)?;
        tx.commit()?;
    }
    Ok(())
}
