//! Opening and creating the database file.
//!
//! `open_existing` looks before it touches: it opens read-write but without "create", turns
//! off the checkpoint-on-close, takes SQLite's EXCLUSIVE locking mode and then only READS
//! (header, `quick_check`, schema version). A refused file — not a database, damaged, held by
//! another running Chaski, or migrated by a newer Chaski — is closed without a single byte
//! written. Only a file that passes is switched to WAL and migrated.
//!
//! The lock: in WAL mode with `locking_mode=EXCLUSIVE` set before the first access, SQLite
//! does not use the shared-memory index and holds an exclusive lock on the file from the first
//! read until the connection closes. A second Chaski (or any other SQLite client) that tries
//! to read gets `SQLITE_BUSY` at once (busy timeout 0 while probing), which we report as
//! [`StoreError::Locked`]. The lock is an OS file lock, so it disappears when the process
//! dies: no stale lock files to clean up after a crash.
//!
//! `create_new` builds the whole file under a temporary name next to the target and renames it
//! into place at the end, so an interrupted first run never leaves a half-made database.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chaski_core::change::{Change, ChangeOp};
use chaski_core::hlc::Hlc;
use chaski_core::ids::{DeviceId, TechnicianId};
use chaski_core::person::{Dni, NAME_MAX};
use chaski_core::{Error as DomainError, ErrorCode};
use chrono::Utc;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode as SqlCode, OpenFlags};

use crate::codec::{parse_id, parse_ts, ts};
use crate::error::{Result, StoreError};
use crate::write::{Entity, Writer};
use crate::{SetupInput, fields, migrate};

fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(SqlCode::NotADatabase) | Some(SqlCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        Some(SqlCode::DatabaseBusy) | Some(SqlCode::DatabaseLocked) => {
            StoreError::Locked(path.to_path_buf())
        }
        _ => StoreError::Sqlite(e),
    }
}

/// Sets the pragmas every working connection uses.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on a power cut, and a
    // write the server already acknowledged that vanishes locally makes the device look
    // restored from a backup (re-enrolment). FULL syncs the WAL at every commit.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_os_string();
    p.push(suffix);
    PathBuf::from(p)
}

/// Opens an existing Chaski database; see the module docs.
pub(crate) fn open_existing(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(StoreError::NotFound(path.to_path_buf()));
    }
    let before: Vec<(PathBuf, bool)> = ["-wal", "-shm"]
        .iter()
        .map(|s| {
            let p = sidecar(path, s);
            let existed = p.exists();
            (p, existed)
        })
        .collect();
    probe_and_open(path).inspect_err(|_| {
        // The connection is closed by now. SQLite may have created an empty WAL file while
        // reading; remove what we created so a refused file is left exactly as it was found.
        for (p, existed) in &before {
            if !existed && std::fs::metadata(p).is_ok_and(|m| m.len() == 0) {
                let _ = std::fs::remove_file(p);
            }
        }
    })
}

fn probe_and_open(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| classify(path, e))?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    conn.busy_timeout(Duration::ZERO)?;
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
        .map_err(|e| classify(path, e))?;

    // First read: takes the lock, checks the header.
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    let corrupt = |detail: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        detail,
    };
    if tables == 0 {
        return Err(corrupt("el archivo no contiene datos de Chaski".into()));
    }
    let check: Vec<String> = {
        let mut stmt = conn
            .prepare("PRAGMA quick_check(5)")
            .map_err(|e| classify(path, e))?;
        stmt.query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| classify(path, e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| classify(path, e))?
    };
    if check.first().map(String::as_str) != Some("ok") {
        return Err(corrupt(check.join("; ")));
    }
    let has_migrations = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'local_device')",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(|e| classify(path, e))?;
    if has_migrations != 2 {
        return Err(corrupt(
            "el archivo no es una base de datos de Chaski".into(),
        ));
    }
    let found = migrate::current_version(&conn)?;
    let known = migrate::latest_version();
    if found > known {
        return Err(StoreError::NewerVersion {
            path: path.to_path_buf(),
            found,
            known,
        });
    }
    let configured: i64 = conn.query_row("SELECT count(*) FROM local_device", [], |r| r.get(0))?;
    if configured != 1 {
        return Err(corrupt("falta la configuración de la instalación".into()));
    }

    // The file is ours and sound: from here on it may change.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
    configure(&conn).map_err(|e| classify(path, e))?;
    migrate::migrate(&mut conn, None)?;
    Ok(conn)
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "chaski.db".into());
    name.push(".setup-tmp");
    path.with_file_name(name)
}

/// Creates a new database at `path` (which must not exist) from the setup form.
pub(crate) fn create_new(path: &Path, setup: &SetupInput) -> Result<()> {
    if path.exists() {
        return Err(StoreError::AlreadyExists(path.to_path_buf()));
    }
    let last_names = chaski_core::error::required_text(
        &setup.technician_last_names,
        "technician_last_names",
        "Apellidos",
        NAME_MAX,
    )?;
    let first_names = chaski_core::error::required_text(
        &setup.technician_first_names,
        "technician_first_names",
        "Nombres",
        NAME_MAX,
    )?;
    let dni = Dni::parse(&setup.technician_dni).map_err(|mut e| {
        e.field = Some("technician_dni".into());
        e
    })?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| {
            StoreError::Domain(DomainError::general(
                ErrorCode::ErrorAlmacenamiento,
                format!(
                    "No se pudo crear la carpeta {} ({e}). Verifique los permisos.",
                    parent.display()
                ),
            ))
        })?;
    }
    let tmp = temp_path(path);
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = tmp.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    {
        let mut conn = Connection::open(&tmp)?;
        configure(&conn)?;
        migrate::migrate(&mut conn, None)?;
        let unit_ok: i64 = conn.query_row(
            "SELECT count(*) FROM unit WHERE code = ?1",
            [&setup.unit_code],
            |r| r.get(0),
        )?;
        if unit_ok != 1 {
            drop(conn);
            let _ = std::fs::remove_file(&tmp);
            return Err(DomainError::field(
                ErrorCode::ValorInvalido,
                "unit_code",
                "Elija su unidad de la lista.",
            )
            .into());
        }
        let device = DeviceId::new();
        let technician = TechnicianId::new();
        let now = Utc::now();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO local_device (id, device_id, unit_code, technician_id, created_at, last_hlc, last_device_seq) VALUES (1, ?1, ?2, ?3, ?4, ?5, 0)",
            rusqlite::params![
                device.to_string(),
                setup.unit_code,
                technician.to_string(),
                ts(now),
                Hlc::zero(device.uuid()).encode()
            ],
        )?;
        {
            let mut w = Writer::begin(&tx, now)?;
            w.insert(
                Entity::Technician,
                technician.uuid(),
                fields! {
                    "unit_code" => setup.unit_code,
                    "last_names" => last_names,
                    "first_names" => first_names,
                    "dni" => dni.as_str(),
                    "active" => true,
                    "created_at" => ts(now),
                    "updated_at" => ts(now),
                },
            )?;
            w.finish()?;
        }
        tx.commit()?;
        // Leave a single self-contained file behind before the rename.
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        StoreError::Domain(DomainError::general(
            ErrorCode::ErrorAlmacenamiento,
            format!(
                "No se pudo crear {} ({e}). Verifique los permisos.",
                path.display()
            ),
        ))
    })?;
    Ok(())
}

/// Reads outbox entries after `after`.
pub(crate) fn outbox_after(conn: &Connection, after: u64, limit: u32) -> Result<Vec<Change>> {
    let device: String =
        conn.query_row("SELECT device_id FROM local_device WHERE id = 1", [], |r| {
            r.get(0)
        })?;
    let device: DeviceId = parse_id(&device)?;
    let mut stmt = conn.prepare_cached(
        "SELECT device_seq, change_id, entity, entity_id, op, fields, hlc, unit_code, created_at FROM outbox WHERE device_seq > ?1 ORDER BY device_seq LIMIT ?2",
    )?;
    let rows = stmt.query_map(
        rusqlite::params![i64::try_from(after).unwrap_or(i64::MAX), limit],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, change_id, entity, entity_id, op, fields, hlc, unit, created_at) = row?;
        let bad = |what: &str| StoreError::BadData(format!("outbox {seq}: {what}"));
        let fields: serde_json::Value = serde_json::from_str(&fields).map_err(|_| bad("campos"))?;
        let serde_json::Value::Object(fields) = fields else {
            return Err(bad("campos"));
        };
        out.push(Change {
            change_id: parse_id::<uuid::Uuid>(&change_id)?,
            device_id: device.uuid(),
            device_seq: u64::try_from(seq).map_err(|_| bad("secuencia"))?,
            unit,
            entity,
            entity_id: parse_id::<uuid::Uuid>(&entity_id)?,
            op: ChangeOp::parse(&op).ok_or_else(|| bad("operación"))?,
            fields,
            hlc: hlc.parse().map_err(|_| bad("hlc"))?,
            created_at: parse_ts(&created_at)?,
        });
    }
    Ok(out)
}
