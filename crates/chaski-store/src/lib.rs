//! Chaski's local store: one SQLite file per installation (rusqlite, bundled SQLite with FTS5).
//!
//! - [`Store::open`] refuses, with distinct errors and without modifying the file, a corrupt
//!   file, a file in use by another running Chaski, and a file from a newer Chaski.
//! - [`Store::create`] makes the file on the first run (unit, technician, device id).
//! - Migrations are `.sql` files embedded in the binary ([`migrate`]).
//! - Every write goes through one function that also appends the outbox entry and the field
//!   versions in the same transaction ([`write`]).
//! - Queries for the contacts directory, the attention register, reference data and the demo
//!   data set.
//!
//! `Store` is `Send + Sync`: one connection behind a mutex. A desktop app with one person at the
//! keyboard does not need a pool, and one connection makes the exclusive file lock simple.
#![forbid(unsafe_code)]

pub mod assets;
mod attentions;
pub mod codec;
mod demo;
pub mod documents;
pub mod error;
pub mod inventory_import;
pub mod migrate;
mod open;
pub mod operations;
mod persons;
mod reference;
mod register;
pub mod replication;
pub mod stats;
pub mod time;
pub mod write;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chaski_core::ids::{DeviceId, TechnicianId};
use chaski_core::person::Technician;
use chaski_core::unit::Unit;
use chrono::Utc;
use rusqlite::{Connection, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use demo::DemoSummary;
pub use error::{Result, StoreError};
pub use reference::ReferenceData;
pub use write::{Entity, Writer};

/// The first-run setup form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SetupInput {
    /// A unit code from [`Store::seeded_units`].
    pub unit_code: String,
    pub technician_last_names: String,
    pub technician_first_names: String,
    pub technician_dni: String,
}

/// Who and where this installation is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Profile {
    pub device_id: DeviceId,
    pub unit: Unit,
    pub technician: Technician,
    /// Schema version of the file.
    #[ts(type = "number")]
    pub schema_version: i64,
}

/// The local store. Cheap to share (`Arc<Store>`); every method takes `&self`.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Store {
    /// Opens an existing store. See the module docs of `open` for what is refused.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let conn = open::open_existing(&path)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path,
        })
    }

    /// Creates the store on the first run; refuses if the file exists.
    pub fn create(path: impl AsRef<Path>, setup: &SetupInput) -> Result<Store> {
        let path = path.as_ref();
        open::create_new(path, setup)?;
        Store::open(path)
    }

    /// The unit list for the setup screen, before any file exists (from the same migrations).
    pub fn seeded_units() -> Result<Vec<Unit>> {
        let mut conn = Connection::open_in_memory()?;
        migrate::migrate(&mut conn, None)?;
        reference::units(&conn)
    }

    /// The file this store works on.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-written transaction behind (it is
        // rolled back on drop), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` in one IMMEDIATE transaction with a [`Writer`]; commits only if `f` succeeds.
    /// This is the only way this crate writes replicated records.
    pub fn write<T>(&self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = {
            let mut w = Writer::begin(&tx, Utc::now())?;
            let out = f(&mut w)?;
            w.finish()?;
            out
        };
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` with the connection for reads.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.conn();
        f(&conn)
    }

    /// This installation: device id, unit, technician.
    pub fn profile(&self) -> Result<Profile> {
        self.read(|c| {
            let (device, unit_code, technician): (String, String, String) = c.query_row(
                "SELECT device_id, unit_code, technician_id FROM local_device WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let unit = reference::unit(c, &unit_code)?;
            let tid: TechnicianId = codec::parse_id(&technician)?;
            let technician = persons::technician(c, tid)?;
            Ok(Profile {
                device_id: codec::parse_id(&device)?,
                unit,
                technician,
                schema_version: migrate::current_version(c)?,
            })
        })
    }

    /// How many changes wait in the outbox, and the last device sequence used.
    pub fn outbox_stats(&self) -> Result<OutboxStats> {
        self.read(|c| {
            let (count, last): (i64, i64) = c.query_row(
                "SELECT (SELECT count(*) FROM outbox), last_device_seq FROM local_device WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            Ok(OutboxStats {
                pending: u64::try_from(count).unwrap_or(0),
                last_device_seq: u64::try_from(last).unwrap_or(0),
            })
        })
    }

    /// Outbox changes with `device_seq > after`, in order, at most `limit`.
    pub fn outbox_after(&self, after: u64, limit: u32) -> Result<Vec<chaski_core::change::Change>> {
        self.read(|c| open::outbox_after(c, after, limit))
    }
}

/// Outbox counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutboxStats {
    #[ts(type = "number")]
    pub pending: u64,
    #[ts(type = "number")]
    pub last_device_seq: u64,
}

#[cfg(test)]
mod tests;
