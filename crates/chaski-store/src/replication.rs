//! The store's side of replication (owned by the sync client; used by `chaski-sync`).
//!
//! - **Push**: the outbox is read with [`Store::outbox_after`]; the server's answer is recorded
//!   with [`Store::sync_acknowledge`] (the acknowledged sequence only grows; refused entries
//!   are kept in `sync_rejection` for the person to see, never re-sent).
//! - **Pull**: [`Store::sync_apply_page`] applies a page of changes from the server AND moves
//!   that unit's cursor in ONE transaction, so a cut link or a killed app resumes at the next
//!   page and never applies a page twice or skips one. Each change is merged field by field:
//!   a field is written only if the remote stamp is newer than the local one
//!   ([`write::field_version`]), exactly the rule the server uses, so every replica converges
//!   to the server's state whatever the order of arrival. The local clock observes every
//!   remote stamp, so later local edits sort after what this device has seen.
//! - A pulled change this file cannot apply (unknown entity from a newer schema, a constraint)
//!   is kept in `sync_apply_error` and counted — never dropped silently — and does not block
//!   the rest of the page (each change runs under its own savepoint).
//! - **Number blocks**: blocks of document numbers reserved by the server for this device;
//!   [`take_block_number`] takes the next free one inside the caller's write transaction.
//!
//! Over 600 lines because applying a pulled change, the outbox and number blocks share one
//! transaction discipline (savepoints, the stamp clock) that must be read as a whole.

use std::collections::BTreeMap;

use chaski_core::change::{Change, ChangeOp};
use chaski_core::hlc::Hlc;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use serde_json::Value;
use uuid::Uuid;

use crate::Store;
use crate::codec::{JsonParam, ts};
use crate::error::{Result, StoreError};
use crate::write::{self, ALL_FIELDS, Entity};

/// A change the server refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Its device sequence.
    pub device_seq: u64,
    /// Its id.
    pub change_id: Uuid,
    /// The server's code (`document_signed`, `number_used`, …).
    pub code: String,
}

/// What applying a page did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyReport {
    /// Changes that wrote at least one field.
    pub applied: u64,
    /// Changes whose every field was already newer here (or that were this device's own).
    pub skipped: u64,
    /// Changes kept in `sync_apply_error`.
    pub failed: u64,
}

/// What [`Store::sync_reset_device`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetReport {
    /// The id the device had.
    pub old_device_id: Uuid,
    /// The id it has now (enrol it with a new code).
    pub new_device_id: Uuid,
    /// Outbox entries already on the server, dropped from the outbox.
    pub dropped_acknowledged: u64,
    /// Outbox entries re-stamped under the new id (sequences 1..=n), to push after enrolment.
    pub restamped: u64,
    /// Unused number blocks of the old id, dropped.
    pub blocks_dropped: u64,
}

/// What the Sync screen shows from this file: it survives a restart of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncLocalStatus {
    /// End of the last sync round that completed (hello, push, blocks, drafts, pull).
    pub last_sync_at: Option<DateTime<Utc>>,
    /// Local changes not yet acknowledged by the server.
    pub pending_changes: u64,
    /// Changes of this device the server refused.
    pub rejections: u64,
    /// Pulled changes this file could not apply.
    pub apply_errors: u64,
    /// This device's attentions waiting for a number (unnumbered drafts).
    pub drafts_waiting: u64,
    /// Enrolled with the central server.
    pub enrolled: bool,
}

/// A block of document numbers reserved by the server for this device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockInput {
    /// The server's block id.
    pub block_id: Uuid,
    /// Unit.
    pub unit_code: String,
    /// Document kind.
    pub kind: String,
    /// Year.
    pub year: i32,
    /// First number.
    pub first: u64,
    /// Last number (inclusive).
    pub last: u64,
}

fn i64_of(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| StoreError::BadData(format!("número fuera de rango: {v}")))
}

fn u64_of(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl Store {
    /// The highest device sequence the server acknowledged.
    pub fn sync_acked_seq(&self) -> Result<u64> {
        self.read(|c| {
            let v: i64 = c.query_row("SELECT acked_seq FROM sync_state WHERE id = 1", [], |r| {
                r.get(0)
            })?;
            Ok(u64_of(v))
        })
    }

    /// Records a push answer: the acknowledged sequence (never moves back) and the refused
    /// entries.
    pub fn sync_acknowledge(&self, last_acked_seq: u64, rejected: &[Rejection]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE sync_state SET acked_seq = max(acked_seq, ?1) WHERE id = 1",
            [i64_of(last_acked_seq)?],
        )?;
        for r in rejected {
            tx.execute(
                "INSERT INTO sync_rejection (device_id, device_seq, change_id, code, at)
                 VALUES ((SELECT device_id FROM local_device WHERE id = 1), ?1, ?2, ?3, ?4)
                 ON CONFLICT (device_id, device_seq) DO NOTHING",
                rusqlite::params![
                    i64_of(r.device_seq)?,
                    r.change_id.hyphenated().to_string(),
                    r.code,
                    ts(Utc::now())
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The resync path after a restored backup or a cloned disk (the server answered
    /// `device_restored` or `fork`): this file takes `new_device_id` and starts its sync state
    /// again, keeping every record.
    ///
    /// In ONE transaction: outbox entries the server acknowledged (under the old id) are
    /// dropped; the others are re-stamped under the new id with dense sequences from 1 in
    /// their original order, keeping their change ids, clock times and contents (the clock
    /// stamp only changes its device part, here and in the field versions it set); pull
    /// cursors, the acknowledged sequence, number blocks (they belong to the old id) and the
    /// enrolled flag are reset. Rejections and unappliable pulled changes are kept.
    ///
    /// Then enrol with a new code passing the new outbox length as `last_device_seq`, and
    /// sync: the device pushes the re-stamped entries and pulls everything again. An entry
    /// that did reach the server under the old id after the backup was taken is recognised
    /// by its change id and answered `duplicate`, so nothing is lost or doubled.
    pub fn sync_reset_device(&self, new_device_id: Uuid) -> Result<ResetReport> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (old, last_hlc): (String, String) = tx.query_row(
            "SELECT device_id, last_hlc FROM local_device WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let old_device_id: Uuid = crate::codec::parse_id(&old)?;
        if old_device_id == new_device_id {
            return Err(StoreError::BadData(
                "el nuevo identificador del equipo debe ser distinto del actual".into(),
            ));
        }
        let acked: i64 =
            tx.query_row("SELECT acked_seq FROM sync_state WHERE id = 1", [], |r| {
                r.get(0)
            })?;
        let dropped = tx.execute("DELETE FROM outbox WHERE device_seq <= ?1", [acked])?;
        let pending: Vec<(i64, String, String, String)> = {
            let mut stmt = tx.prepare(
                "SELECT device_seq, entity, entity_id, hlc FROM outbox ORDER BY device_seq",
            )?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<std::result::Result<_, _>>()?
        };
        let restamp = |encoded: &str| -> Result<String> {
            let mut h: Hlc = encoded
                .parse()
                .map_err(|e| StoreError::BadData(format!("{e}")))?;
            h.device = new_device_id;
            Ok(h.encode())
        };
        let mut seq = 0i64;
        for (old_seq, entity, entity_id, hlc) in &pending {
            seq += 1;
            let new_hlc = restamp(hlc)?;
            // Ascending order: slot `seq` is free (acknowledged and dropped, or moved already).
            tx.execute(
                "UPDATE outbox SET device_seq = ?1, hlc = ?2 WHERE device_seq = ?3",
                rusqlite::params![seq, new_hlc, old_seq],
            )?;
            tx.execute(
                "UPDATE field_versions SET hlc = ?1 WHERE entity = ?2 AND entity_id = ?3 AND hlc = ?4",
                rusqlite::params![new_hlc, entity, entity_id, hlc],
            )?;
        }
        tx.execute(
            "UPDATE local_device SET device_id = ?1, last_device_seq = ?2, last_hlc = ?3 WHERE id = 1",
            rusqlite::params![
                new_device_id.hyphenated().to_string(),
                seq,
                restamp(&last_hlc)?
            ],
        )?;
        tx.execute(
            "UPDATE sync_state SET acked_seq = 0, enrolled_at = NULL WHERE id = 1",
            [],
        )?;
        tx.execute("DELETE FROM sync_cursor", [])?;
        let blocks = tx.execute("DELETE FROM sync_number_block", [])?;
        tx.commit()?;
        Ok(ResetReport {
            old_device_id,
            new_device_id,
            dropped_acknowledged: dropped as u64,
            restamped: u64_of(seq),
            blocks_dropped: blocks as u64,
        })
    }

    /// Records that a sync round completed now (the Sync screen's "última sincronización").
    pub fn sync_mark_round_completed(&self) -> Result<()> {
        let conn = self.conn();
        conn.execute(
            "UPDATE sync_state SET last_sync_at = ?1 WHERE id = 1",
            [ts(Utc::now())],
        )?;
        Ok(())
    }

    /// The sync state kept in this file, in one read: last completed round, pending changes,
    /// rejections, unappliable pulled changes, drafts waiting for a number, enrolment.
    pub fn sync_local_status(&self) -> Result<SyncLocalStatus> {
        self.read(|c| {
            let (acked, last, enrolled_at): (i64, Option<String>, Option<String>) = c.query_row(
                "SELECT acked_seq, last_sync_at, enrolled_at FROM sync_state WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let count = |sql: &str| -> Result<u64> {
                let n: i64 = c.query_row(sql, [], |r| r.get(0))?;
                Ok(u64_of(n))
            };
            let last_seq = count("SELECT last_device_seq FROM local_device WHERE id = 1")?;
            Ok(SyncLocalStatus {
                last_sync_at: crate::codec::parse_ts_opt(last)?,
                pending_changes: last_seq.saturating_sub(u64_of(acked)),
                rejections: count("SELECT count(*) FROM sync_rejection")?,
                apply_errors: count("SELECT count(*) FROM sync_apply_error")?,
                drafts_waiting: count(
                    "SELECT count(*) FROM attention_draft d JOIN attention a ON a.id = d.attention_id \
                     WHERE a.number IS NULL",
                )?,
                enrolled: enrolled_at.is_some(),
            })
        })
    }

    /// Records that this device is now enrolled (call after a successful enrolment; the
    /// token itself goes to the OS keyring, never to this file).
    pub fn sync_mark_enrolled(&self) -> Result<()> {
        let conn = self.conn();
        conn.execute(
            "UPDATE sync_state SET enrolled_at = coalesce(enrolled_at, ?1) WHERE id = 1",
            [ts(Utc::now())],
        )?;
        Ok(())
    }

    /// Whether this device is enrolled with the central server.
    pub fn sync_is_enrolled(&self) -> Result<bool> {
        self.read(is_enrolled)
    }

    /// Changes of this device the server refused, oldest first (also those refused under an
    /// earlier device id, before a [`Store::sync_reset_device`]).
    pub fn sync_rejections(&self) -> Result<Vec<Rejection>> {
        self.read(|c| {
            let mut stmt =
                c.prepare("SELECT device_seq, change_id, code FROM sync_rejection ORDER BY rowid")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (seq, id, code) = row?;
                out.push(Rejection {
                    device_seq: u64_of(seq),
                    change_id: crate::codec::parse_id(&id)?,
                    code,
                });
            }
            Ok(out)
        })
    }

    /// The pull cursor of `unit_code` (0 if never pulled).
    pub fn sync_cursor(&self, unit_code: &str) -> Result<u64> {
        self.read(|c| {
            let v: Option<i64> = c
                .query_row(
                    "SELECT server_seq FROM sync_cursor WHERE unit_code = ?1",
                    [unit_code],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(v.map_or(0, u64_of))
        })
    }

    /// Every pull cursor.
    pub fn sync_cursors(&self) -> Result<BTreeMap<String, u64>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT unit_code, server_seq FROM sync_cursor")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            let mut out = BTreeMap::new();
            for row in rows {
                let (u, s) = row?;
                out.insert(u, u64_of(s));
            }
            Ok(out)
        })
    }

    /// Applies a pulled page (`(server_seq, change)` in server order) and sets the cursor of
    /// `unit_code` to `cursor`, in ONE transaction. A page that does not start after the
    /// current cursor (a duplicated or reordered answer) is refused without changes.
    pub fn sync_apply_page(
        &self,
        unit_code: &str,
        changes: &[(u64, Change)],
        cursor: u64,
    ) -> Result<ApplyReport> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 = tx
            .query_row(
                "SELECT server_seq FROM sync_cursor WHERE unit_code = ?1",
                [unit_code],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        let current = u64_of(current);
        let mut prev = current;
        for (seq, _) in changes {
            if *seq <= prev {
                return Err(StoreError::BadData(format!(
                    "página fuera de orden: secuencia {seq} después de {prev} (cursor {current})"
                )));
            }
            prev = *seq;
        }
        if cursor < prev {
            return Err(StoreError::BadData(format!(
                "cursor {cursor} anterior al último cambio {prev}"
            )));
        }
        let (device, last_hlc): (String, String) = tx.query_row(
            "SELECT device_id, last_hlc FROM local_device WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let device: Uuid = crate::codec::parse_id(&device)?;
        let mut clock: Hlc = last_hlc
            .parse()
            .map_err(|e| StoreError::BadData(format!("{e}")))?;
        let now_ms = chaski_core::time::unix_ms(Utc::now());
        let mut report = ApplyReport::default();
        for (seq, change) in changes {
            if change.device_id == device {
                report.skipped += 1;
                continue;
            }
            clock = Hlc::observe(&clock, &change.hlc, now_ms, device);
            tx.execute_batch("SAVEPOINT apply_change")?;
            match apply_change(&tx, unit_code, change) {
                Ok(true) => {
                    tx.execute_batch("RELEASE apply_change")?;
                    report.applied += 1;
                }
                Ok(false) => {
                    tx.execute_batch("RELEASE apply_change")?;
                    report.skipped += 1;
                }
                Err(e) => {
                    tx.execute_batch("ROLLBACK TO apply_change; RELEASE apply_change")?;
                    let body = serde_json::to_string(change)
                        .map_err(|e| StoreError::BadData(e.to_string()))?;
                    tx.execute(
                        "INSERT INTO sync_apply_error (change_id, unit_code, server_seq, body, message, at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (change_id) DO NOTHING",
                        rusqlite::params![
                            change.change_id.hyphenated().to_string(),
                            unit_code,
                            i64_of(*seq)?,
                            body,
                            e.to_string(),
                            ts(Utc::now())
                        ],
                    )?;
                    report.failed += 1;
                }
            }
        }
        tx.execute(
            "UPDATE local_device SET last_hlc = ?1 WHERE id = 1",
            [clock.encode()],
        )?;
        tx.execute(
            "INSERT INTO sync_cursor (unit_code, server_seq, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (unit_code) DO UPDATE SET server_seq = excluded.server_seq,
                 updated_at = excluded.updated_at",
            rusqlite::params![unit_code, i64_of(cursor)?, ts(Utc::now())],
        )?;
        tx.commit()?;
        Ok(report)
    }

    /// How many pulled changes could not be applied here.
    pub fn sync_apply_error_count(&self) -> Result<u64> {
        self.read(|c| {
            let n: i64 = c.query_row("SELECT count(*) FROM sync_apply_error", [], |r| r.get(0))?;
            Ok(u64_of(n))
        })
    }

    /// Stores a block the server reserved (idempotent by block id).
    pub fn sync_add_block(&self, block: &BlockInput) -> Result<()> {
        if block.first > block.last {
            return Err(StoreError::BadData("bloque de numeración vacío".into()));
        }
        let conn = self.conn();
        conn.execute(
            "INSERT INTO sync_number_block (block_id, unit_code, kind, year, first_number,
                 last_number, next_number, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?7) ON CONFLICT (block_id) DO NOTHING",
            rusqlite::params![
                block.block_id.hyphenated().to_string(),
                block.unit_code,
                block.kind,
                block.year,
                i64_of(block.first)?,
                i64_of(block.last)?,
                ts(Utc::now())
            ],
        )?;
        Ok(())
    }

    /// Numbers still free in this device's blocks for `kind` and `year`.
    pub fn block_numbers_left(&self, unit_code: &str, kind: &str, year: i32) -> Result<u64> {
        self.read(|c| {
            let n: i64 = c.query_row(
                "SELECT coalesce(sum(last_number - next_number + 1), 0) FROM sync_number_block
                 WHERE unit_code = ?1 AND kind = ?2 AND year = ?3",
                rusqlite::params![unit_code, kind, year],
                |r| r.get(0),
            )?;
            Ok(u64_of(n))
        })
    }

    /// Takes the next free block number in its own transaction (see [`take_block_number`] to
    /// take it inside a document's write).
    pub fn take_block_number(&self, unit_code: &str, kind: &str, year: i32) -> Result<Option<u64>> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = take_block_number(&tx, unit_code, kind, year)?;
        tx.commit()?;
        Ok(n)
    }

    /// Writes the value a person chose for a sync conflict on `field` of a record as a new
    /// ordinary change (through the outbox, newer stamp, so it replicates and wins like any
    /// later edit). Returns `false` without writing when the record is not here, the field is
    /// not a replicated column of this build, or the value already is the local one.
    pub fn sync_write_chosen_value(
        &self,
        entity: Entity,
        entity_id: Uuid,
        field: &str,
        value: &Value,
    ) -> Result<bool> {
        let Some(col) = entity.columns().iter().find(|c| **c == field) else {
            return Ok(false);
        };
        self.write(|w| {
            let current: Option<rusqlite::types::Value> = w
                .conn()
                .query_row(
                    &format!("SELECT {col} FROM {} WHERE id = ?1", entity.table()),
                    [entity_id.hyphenated().to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            match current {
                None => Ok(false),
                Some(v) if v == crate::codec::to_sql_value(value) => Ok(false),
                Some(_) => {
                    let mut fields = serde_json::Map::new();
                    fields.insert((*col).to_string(), value.clone());
                    w.update(entity, entity_id, fields)?;
                    Ok(true)
                }
            }
        })
    }

    /// The replicated state of every record of `entity` here: `(id, column) → value`, for
    /// comparing replicas (tests, audits).
    pub fn replica_snapshot(&self, entity: Entity) -> Result<BTreeMap<(String, String), Value>> {
        self.read(|c| {
            let cols = entity.columns();
            let sql = format!("SELECT id, {} FROM {}", cols.join(", "), entity.table());
            let mut stmt = c.prepare(&sql)?;
            let mut rows = stmt.query([])?;
            let mut out = BTreeMap::new();
            while let Some(row) = rows.next()? {
                let id: String = row.get(0)?;
                for (i, col) in cols.iter().enumerate() {
                    let v = match row.get_ref(i + 1)? {
                        rusqlite::types::ValueRef::Null => Value::Null,
                        rusqlite::types::ValueRef::Integer(n) => Value::from(n),
                        rusqlite::types::ValueRef::Real(f) => Value::from(f),
                        rusqlite::types::ValueRef::Text(t) => {
                            Value::String(String::from_utf8_lossy(t).into_owned())
                        }
                        rusqlite::types::ValueRef::Blob(_) => Value::Null,
                    };
                    out.insert((id.clone(), (*col).to_string()), v);
                }
            }
            Ok(out)
        })
    }
}

/// Whether this device is enrolled (inside any transaction): enrolled devices number
/// documents from server blocks ([`take_block_number`]), standalone ones from their local
/// series.
pub fn is_enrolled(conn: &Connection) -> Result<bool> {
    let at: Option<String> =
        conn.query_row("SELECT enrolled_at FROM sync_state WHERE id = 1", [], |r| {
            r.get(0)
        })?;
    Ok(at.is_some())
}

/// Takes the next free number of this device's blocks for `kind`/`year`, inside the caller's
/// transaction (the document's own write), lowest block first. `None` when the blocks are
/// used up: the document stays an unnumbered draft until the next sync tops them up.
pub fn take_block_number(
    conn: &Connection,
    unit_code: &str,
    kind: &str,
    year: i32,
) -> Result<Option<u64>> {
    let row: Option<(String, i64)> = conn
        .query_row(
            "SELECT block_id, next_number FROM sync_number_block
             WHERE unit_code = ?1 AND kind = ?2 AND year = ?3 AND next_number <= last_number
             ORDER BY first_number LIMIT 1",
            rusqlite::params![unit_code, kind, year],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((block, next)) = row else {
        return Ok(None);
    };
    conn.execute(
        "UPDATE sync_number_block SET next_number = next_number + 1 WHERE block_id = ?1",
        [block],
    )?;
    Ok(Some(u64_of(next)))
}

/// The column in which a record names its unit (most entities have it).
const UNIT_CODE: &str = "unit_code";

/// Merges one remote change pulled from the series of `unit_code`. `Ok(true)` if it wrote
/// something.
///
/// A change is applied only inside the unit whose series carries it: a change naming another
/// unit, a record of that series claiming another unit, or a change to a local record of
/// another unit is refused (kept as an apply error), whatever the server sent. This matters
/// on central-office devices, which hold every unit's records side by side.
fn apply_change(conn: &Connection, unit_code: &str, change: &Change) -> Result<bool> {
    let entity = Entity::from_table(&change.entity).ok_or_else(|| {
        StoreError::BadData(format!(
            "entidad desconocida «{}» (¿cambio de una versión más nueva?)",
            change.entity
        ))
    })?;
    let foreign = || {
        StoreError::BadData(format!(
            "cambio de otra unidad en la serie de {unit_code}: no se aplica"
        ))
    };
    if change.unit != unit_code {
        return Err(foreign());
    }
    let id = change.entity_id.hyphenated().to_string();
    let table = entity.table();
    let has_unit = entity.columns().contains(&UNIT_CODE);
    if has_unit
        && let Some(claimed) = change.fields.get(UNIT_CODE)
        && claimed.as_str() != Some(unit_code)
    {
        return Err(foreign());
    }
    let local_unit: Option<Option<String>> = if has_unit {
        conn.prepare_cached(&format!("SELECT {UNIT_CODE} FROM {table} WHERE id = ?1"))?
            .query_row([&id], |r| r.get(0))
            .optional()?
    } else {
        conn.prepare_cached(&format!("SELECT NULL FROM {table} WHERE id = ?1"))?
            .query_row([&id], |r| r.get(0))
            .optional()?
    };
    if let Some(Some(local)) = &local_unit
        && local != unit_code
    {
        return Err(foreign());
    }
    let exists = local_unit.is_some();
    if change.op == ChangeOp::Delete {
        let newer = !exists
            || write::field_version(conn, entity, &id, "_deleted")?.is_none_or(|v| change.hlc > v);
        if exists && newer {
            conn.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [&id])?;
            write::set_field_versions(conn, entity, &id, ["_deleted"], &change.hlc.encode())?;
            return Ok(true);
        }
        return Ok(false);
    }
    let cols = entity.columns();
    let mut winners: Vec<(&str, &Value)> = Vec::new();
    for (k, v) in &change.fields {
        // Columns this build does not know (a newer schema) are ignored.
        let Some(col) = cols.iter().find(|c| **c == k.as_str()) else {
            continue;
        };
        let wins = !exists
            || write::field_version(conn, entity, &id, col)?.is_none_or(|local| change.hlc > local);
        if wins {
            winners.push((col, v));
        }
    }
    if winners.is_empty() {
        return Ok(false);
    }
    let hlc = change.hlc.encode();
    if exists {
        let sets: Vec<String> = winners
            .iter()
            .enumerate()
            .map(|(i, (k, _))| format!("{k} = ?{}", i + 1))
            .collect();
        let sql = format!(
            "UPDATE {table} SET {} WHERE id = ?{}",
            sets.join(", "),
            winners.len() + 1
        );
        let id_value = Value::String(id.clone());
        let mut params: Vec<JsonParam<'_>> = winners.iter().map(|(_, v)| JsonParam(v)).collect();
        params.push(JsonParam(&id_value));
        conn.prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(params))?;
        write::set_field_versions(conn, entity, &id, winners.iter().map(|(k, _)| *k), &hlc)?;
    } else {
        let mut names = String::from("id");
        let mut marks = String::from("?1");
        for (i, (k, _)) in winners.iter().enumerate() {
            names.push_str(", ");
            names.push_str(k);
            marks.push_str(&format!(", ?{}", i + 2));
        }
        let sql = format!("INSERT INTO {table} ({names}) VALUES ({marks})");
        let id_value = Value::String(id.clone());
        let mut params: Vec<JsonParam<'_>> = vec![JsonParam(&id_value)];
        params.extend(winners.iter().map(|(_, v)| JsonParam(v)));
        conn.prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(params))?;
        write::set_field_versions(conn, entity, &id, [ALL_FIELDS], &hlc)?;
    }
    Ok(true)
}
