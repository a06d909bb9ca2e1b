//! Push: one batch of a device's outbox, applied in ONE transaction.
//!
//! The rules are in the parent module's documentation and `docs/sync.md`. This module is
//! about doing them with few round trips to the database: measured, a statement per field
//! and per change (≈ 4 per change) made a 500-change push on PostgreSQL take 0.7–1.7 s on a
//! busy machine, because every statement is a ping-pong between two processes competing for
//! the CPU. So a push now:
//!
//! 1. locks the device row and the unit row (two statements, as before);
//! 2. reads, in a few statements, everything the batch needs: the stored entries of retried
//!    sequences, the change ids it already has, and the current field versions of every
//!    record the batch touches (per entity, `entity_id IN (…)`, which uses the primary key);
//! 3. decides every entry in memory, keeping the field versions up to date as it goes (a
//!    later entry of the batch sees an earlier one's fields, exactly as if written);
//! 4. writes the change rows, the conflicts and the winning field versions, each field once
//!    with its final version: one `unnest` statement per table on PostgreSQL, multi-row
//!    statements of up to 100 parameters on SQLite ([`insert_rows`]).
//!
//! Document numbers still read and write `doc_numbers`/`number_blocks` per numbered entry:
//! they are few, and their checks depend on earlier entries of the same batch.
//!
//! **Re-stamped changes.** A device restored from an old backup (or a cloned disk) is reset
//! with a new device id and re-stamps the outbox entries it does not know to be on the server
//! under that id (same change ids, `chaski_store::Store::sync_reset_device`). Some of them
//! may have reached the server under the old id after the backup was taken. Such an entry —
//! a change id the server has from another device of the same unit, with the same content
//! apart from the device — is answered `duplicate` and not applied twice; its new sequence is
//! consumed (kept as a `duplicate` row, so a retry is recognised).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::rc::Rc;

use chaski_core::change::{Change, ChangeOp};
use chaski_sync::wire::{self, EntryResult, EntryStatus, PushRequest, PushResponse, codes};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{DeviceRow, i64_of, now_ms, u64_of, valid_name};
use crate::error::ServerError;
use crate::storage::{Dialect, Tx, Val};

/// The content hash that tells a retried push from a fork.
pub fn content_hash(change: &Change) -> Result<String, ServerError> {
    Ok(hash_of(&change_body(change)?))
}

/// A change as stored (`changes.body`) and hashed.
fn change_body(change: &Change) -> Result<String, ServerError> {
    serde_json::to_string(change)
        .map_err(|e| ServerError::BadRequest(format!("cambio ilegible: {e}")))
}

/// The content hash of a change's stored body.
fn hash_of(body: &str) -> String {
    hex::encode(Sha256::digest(body.as_bytes()))
}

/// Largest JSON size of one change.
const MAX_CHANGE_BYTES: usize = 256 * 1024;
/// Most fields in one change.
const MAX_FIELDS: usize = 200;
/// Most ids in one `IN (…)` list (a push has at most 1000 changes).
const IN_CHUNK: usize = 1000;
/// Most parameters in one multi-row `INSERT` on SQLite (PostgreSQL gets one `unnest`
/// statement per table instead, see [`insert_rows`]).
const MAX_PARAMS_SQLITE: usize = 100;

fn validate_shape(change: &Change) -> Result<(), String> {
    if !valid_name(&change.entity, 64) {
        return Err(format!("entidad inválida «{}»", change.entity));
    }
    if change.fields.len() > MAX_FIELDS {
        return Err(format!("más de {MAX_FIELDS} campos"));
    }
    if let Some(bad) = change.fields.keys().find(|k| !valid_name(k, 64)) {
        return Err(format!("nombre de campo inválido «{bad}»"));
    }
    if change.hlc.device != change.device_id {
        return Err("la marca de reloj no es del equipo que hizo el cambio".into());
    }
    Ok(())
}

struct DocNumber {
    kind: String,
    year: i64,
    number: i64,
}

/// The numbering kind of documents that carry their number in their own `year` and `number`
/// fields (the attention; the store's cargos, traslados and informes de baja), by entity.
fn own_number_kind(entity: &str) -> Option<&'static str> {
    match entity {
        "attention" => Some(wire::KIND_ATTENTION),
        "assignment" => Some("assignment"),
        "transfer" => Some("transfer"),
        "decommission_report" => Some("decommission"),
        _ => None,
    }
}

fn doc_number(versions: &Versions, change: &Change) -> Result<Option<DocNumber>, &'static str> {
    if let Some(kind) = own_number_kind(&change.entity) {
        // These carry their number in their own `year` and `number` fields; a draft (no
        // number yet, e.g. an attention registered offline with its blocks used up) carries
        // none.
        let number = match change.fields.get("number") {
            None | Some(Value::Null) => return Ok(None),
            Some(n) => n.as_i64(),
        };
        let year = match change.fields.get("year") {
            Some(y) => y.as_i64(),
            None => versions
                .get(&change.entity, &change.entity_id.to_string(), "year")
                .and_then(|v| v.value.parse::<i64>().ok()),
        };
        return match (year, number) {
            (Some(year), Some(number)) if number > 0 => Ok(Some(DocNumber {
                kind: kind.to_string(),
                year,
                number,
            })),
            _ => Err(codes::NUMBER_INCOMPLETE),
        };
    }
    let kind = change.fields.get(wire::FIELD_DOC_KIND);
    let year = change.fields.get(wire::FIELD_DOC_YEAR);
    let number = change.fields.get(wire::FIELD_DOC_NUMBER);
    match (kind, year, number) {
        (None, None, None) => Ok(None),
        // A draft whose number is cleared (null) carries no number.
        (_, _, Some(Value::Null)) => Ok(None),
        (Some(Value::String(k)), Some(y), Some(n)) => match (y.as_i64(), n.as_i64()) {
            (Some(year), Some(number)) if number > 0 => Ok(Some(DocNumber {
                kind: k.clone(),
                year,
                number,
            })),
            _ => Err(codes::NUMBER_INCOMPLETE),
        },
        _ => Err(codes::NUMBER_INCOMPLETE),
    }
}

struct FieldVersion {
    /// Shared by every field of one change (measured: per-field copies of the stamp and
    /// the device id were a visible part of a 500-change push).
    hlc: Rc<str>,
    device: Rc<str>,
    server_seq: i64,
    value: String,
    /// Changed by this batch: to be written back.
    dirty: bool,
}

/// One record's fields.
type Fields = HashMap<String, FieldVersion>;

/// The current field versions of every record a batch touches (entity → id → field), kept
/// up to date in memory as the batch is decided. Nested maps so that a lookup by `&str`
/// allocates nothing.
#[derive(Default)]
struct Versions {
    records: HashMap<String, HashMap<String, Fields>>,
}

impl Versions {
    fn load(tx: &mut dyn Tx, changes: &[&Change]) -> Result<Self, ServerError> {
        let mut by_entity: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for c in changes {
            by_entity
                .entry(c.entity.as_str())
                .or_default()
                .insert(c.entity_id.to_string());
        }
        let mut out = Versions::default();
        for (entity, ids) in by_entity {
            let ids: Vec<String> = ids.into_iter().collect();
            let records = out.records.entry(entity.to_string()).or_default();
            for chunk in ids.chunks(IN_CHUNK) {
                let (list, params) = id_list(tx, 2, chunk);
                let mut all = vec![Val::text(entity)];
                all.extend(params);
                let rows = tx.query(
                    &format!(
                        "SELECT entity_id, field, hlc, device_id, server_seq, value
                         FROM field_versions WHERE entity = $1 AND entity_id {list}"
                    ),
                    &all,
                )?;
                for r in rows {
                    let mut vals = r.0.into_iter();
                    let (
                        Some(Val::Text(Some(id))),
                        Some(Val::Text(Some(field))),
                        Some(Val::Text(Some(hlc))),
                        Some(Val::Text(Some(device))),
                        Some(Val::Int(Some(server_seq))),
                        Some(Val::Text(Some(value))),
                    ) = (
                        vals.next(),
                        vals.next(),
                        vals.next(),
                        vals.next(),
                        vals.next(),
                        vals.next(),
                    )
                    else {
                        return Err(ServerError::Store(crate::storage::StoreError::Schema(
                            "field_versions: fila con otra forma".into(),
                        )));
                    };
                    records.entry(id).or_default().insert(
                        field,
                        FieldVersion {
                            hlc: hlc.into(),
                            device: device.into(),
                            server_seq,
                            value,
                            dirty: false,
                        },
                    );
                }
            }
        }
        Ok(out)
    }

    fn get(&self, entity: &str, id: &str, field: &str) -> Option<&FieldVersion> {
        self.records.get(entity)?.get(id)?.get(field)
    }

    /// The fields of one record, created empty if unknown.
    fn record_mut(&mut self, entity: &str, id: &str) -> &mut Fields {
        self.records
            .entry(entity.to_string())
            .or_default()
            .entry(id.to_string())
            .or_default()
    }

    /// The versions this batch changed, in key order (a stable write order: concurrent
    /// pushes on PostgreSQL then lock shared rows in the same order).
    fn dirty(&self) -> Vec<(&str, &str, &str, &FieldVersion)> {
        let mut out: Vec<_> = self
            .records
            .iter()
            .flat_map(|(entity, records)| {
                records.iter().flat_map(move |(id, fields)| {
                    fields
                        .iter()
                        .filter(|(_, v)| v.dirty)
                        .map(move |(field, v)| (entity.as_str(), id.as_str(), field.as_str(), v))
                })
            })
            .collect();
        out.sort_unstable_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        out
    }
}

/// A membership test for `ids` whose first parameter is `$first`: `= ANY($first::text[])`
/// on PostgreSQL (one array parameter, one statement text whatever the count: measured, a
/// 500-entry `IN ($2, …)` took 30–60 ms on a busy machine), `IN ($first, …)` on SQLite.
fn id_list(tx: &dyn Tx, first: usize, ids: &[String]) -> (String, Vec<Val>) {
    match tx.dialect() {
        Dialect::Postgres => (
            format!("= ANY(${first}::text[])"),
            vec![Val::Texts(ids.iter().cloned().map(Some).collect())],
        ),
        Dialect::Sqlite => (
            format!("IN ({})", placeholders(first, ids.len())),
            ids.iter().map(Val::text).collect(),
        ),
    }
}

/// `$first, $first+1, …` (`n` placeholders).
fn placeholders(first: usize, n: usize) -> String {
    let mut out = String::with_capacity(n * 6);
    for i in 0..n {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "${}", first + i);
    }
    out
}

/// What the server stored for one (device, sequence).
struct Stored {
    hash: String,
    server_seq: Option<i64>,
    status: String,
    code: Option<String>,
}

/// Rows to write at the end of the batch.
#[derive(Default)]
struct Writes {
    changes: Vec<Vec<Val>>,
    conflicts: Vec<Vec<Val>>,
    /// This batch's entries by sequence (a batch may repeat one of its own entries).
    stored: HashMap<u64, Stored>,
}

impl Writes {
    #[allow(clippy::too_many_arguments)]
    fn change(
        &mut self,
        row_id: Uuid,
        change: &Change,
        hash: &str,
        body: String,
        server_seq: Option<i64>,
        status: &str,
        code: Option<&str>,
        now: i64,
    ) -> Result<(), ServerError> {
        self.stored.insert(
            change.device_seq,
            Stored {
                hash: hash.to_string(),
                server_seq,
                status: status.to_string(),
                code: code.map(str::to_string),
            },
        );
        self.changes.push(vec![
            Val::text(row_id.to_string()),
            Val::text(change.device_id.to_string()),
            Val::int(i64_of(change.device_seq)?),
            Val::text(&change.unit),
            Val::Int(server_seq),
            Val::text(status),
            Val::Text(code.map(str::to_string)),
            Val::text(hash),
            Val::text(body),
            Val::int(now),
        ]);
        Ok(())
    }
}

/// Inserts `rows` into `head` (`table (columns)`) with `tail` (`ON CONFLICT …`) appended;
/// returns the number of rows inserted. The rows' values are moved, not copied.
///
/// PostgreSQL: ONE statement, `INSERT … SELECT * FROM unnest($1::text[], $2::bigint[], …)`,
/// with one array parameter per column, whatever the number of rows. Measured: on a busy
/// machine every statement is a round trip that waits for both processes to be scheduled
/// (≈ 10 ms at load 8), and multi-row `VALUES` of ≤ 1,000 parameters still made ≈ 45
/// statements for a 500-change push. The statement text depends only on the table, so it is
/// prepared once per connection.
///
/// SQLite: multi-row `VALUES` of ≤ [`MAX_PARAMS_SQLITE`] parameters (no round trips; larger
/// statements were measured slower).
fn insert_rows(
    tx: &mut dyn Tx,
    head: &str,
    tail: &str,
    rows: Vec<Vec<Val>>,
) -> Result<u64, ServerError> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(0);
    };
    if tx.dialect() == Dialect::Postgres {
        return insert_unnest(tx, head, tail, rows);
    }
    let budget = MAX_PARAMS_SQLITE;
    let per_statement = (budget / width).max(1);
    let statement = |n: usize| {
        let mut sql = format!("INSERT INTO {head} VALUES ");
        for i in 0..n {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            sql.push_str(&placeholders(i * width + 1, width));
            sql.push(')');
        }
        sql.push(' ');
        sql.push_str(tail);
        sql
    };
    // Every chunk but the last has the same text: built once.
    let full_rows = per_statement.min(rows.len());
    let full = statement(full_rows);
    let mut inserted = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut params = Vec::with_capacity(full_rows * width);
        let mut n = 0;
        for row in rows.by_ref().take(per_statement) {
            params.extend(row);
            n += 1;
        }
        inserted += if n == full_rows {
            tx.execute(&full, &params)?
        } else {
            tx.execute(&statement(n), &params)?
        };
    }
    Ok(inserted)
}

/// [`insert_rows`] on PostgreSQL: the rows turned into one array per column.
fn insert_unnest(
    tx: &mut dyn Tx,
    head: &str,
    tail: &str,
    rows: Vec<Vec<Val>>,
) -> Result<u64, ServerError> {
    let n = rows.len();
    let mut columns: Vec<Val> = match rows.first() {
        Some(first) => first
            .iter()
            .map(|v| match v {
                Val::Int(_) | Val::Ints(_) => Val::Ints(Vec::with_capacity(n)),
                Val::Text(_) | Val::Texts(_) => Val::Texts(Vec::with_capacity(n)),
            })
            .collect(),
        None => return Ok(0),
    };
    let shape = || {
        ServerError::Store(crate::storage::StoreError::Schema(
            "filas de distinta forma en una inserción".into(),
        ))
    };
    for row in rows {
        if row.len() != columns.len() {
            return Err(shape());
        }
        for (column, v) in columns.iter_mut().zip(row) {
            match (column, v) {
                (Val::Ints(c), Val::Int(x)) => c.push(x),
                (Val::Texts(c), Val::Text(x)) => c.push(x),
                // A null is a null whatever its Rust variant.
                (Val::Ints(c), Val::Text(None)) => c.push(None),
                (Val::Texts(c), Val::Int(None)) => c.push(None),
                _ => return Err(shape()),
            }
        }
    }
    let mut sql = format!("INSERT INTO {head} SELECT * FROM unnest(");
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        let kind = if matches!(column, Val::Ints(_)) {
            "bigint"
        } else {
            "text"
        };
        let _ = write!(sql, "${}::{kind}[]", i + 1);
    }
    sql.push_str(") ");
    sql.push_str(tail);
    Ok(tx.execute(&sql, &columns)?)
}

/// A change the server already holds under the same change id.
struct Known {
    device: String,
    unit: String,
    server_seq: Option<i64>,
    body: String,
}

fn known_change_ids(
    tx: &mut dyn Tx,
    ids: &[String],
) -> Result<HashMap<String, Known>, ServerError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(IN_CHUNK) {
        let (list, params) = id_list(tx, 1, chunk);
        for r in tx.query(
            &format!(
                "SELECT change_id, device_id, unit, server_seq, body, status FROM changes
                 WHERE change_id {list}"
            ),
            &params,
        )? {
            out.insert(
                r.text(0)?,
                Known {
                    device: r.text(1)?,
                    unit: r.text(2)?,
                    server_seq: r.opt_i64(3)?,
                    body: r.text(4)?,
                },
            );
        }
    }
    Ok(out)
}

/// Whether `incoming` is `stored` re-stamped by another device: everything equal except the
/// device (id, sequence and the device part of the clock stamp).
fn is_restamp(stored: &str, incoming: &Change) -> bool {
    let Ok(old) = serde_json::from_str::<Change>(stored) else {
        return false;
    };
    old.device_id != incoming.device_id
        && old.change_id == incoming.change_id
        && old.unit == incoming.unit
        && old.entity == incoming.entity
        && old.entity_id == incoming.entity_id
        && old.op == incoming.op
        && old.fields == incoming.fields
        && old.hlc.wall_ms == incoming.hlc.wall_ms
        && old.hlc.counter == incoming.hlc.counter
        && old.created_at == incoming.created_at
}

/// Pushes a batch from `device`.
pub fn push(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    req: &PushRequest,
) -> Result<PushResponse, ServerError> {
    if req.changes.len() > wire::MAX_PUSH_CHANGES {
        return Err(ServerError::TooLarge(format!(
            "un envío admite hasta {} cambios",
            wire::MAX_PUSH_CHANGES
        )));
    }
    let now = now_ms();
    // 1. Lock the device row; re-read revocation and last sequence inside the transaction.
    let rows = tx.query(
        "UPDATE devices SET last_seen_at = $2 WHERE device_id = $1
         RETURNING last_seq, revoked_at",
        &[Val::text(device.device_id.to_string()), Val::int(now)],
    )?;
    let row = rows.first().ok_or(ServerError::TokenInvalid)?;
    if row.opt_i64(1)?.is_some() {
        return Err(ServerError::DeviceRevoked);
    }
    let start_seq = u64_of(row.i64(0)?);
    let mut last_seq = start_seq;
    // 2. Lock the unit row: sequences are assigned one writer at a time.
    let rows = tx.query(
        "UPDATE units SET last_seq = last_seq WHERE code = $1 RETURNING last_seq",
        &[Val::text(&device.unit)],
    )?;
    let start_unit_seq = rows
        .first()
        .ok_or_else(|| ServerError::UnitUnknown(device.unit.clone()))?
        .i64(0)?;
    let mut unit_seq = start_unit_seq;
    let seen = req
        .pulled_through
        .get(&device.unit)
        .copied()
        .map(i64_of)
        .transpose()?
        .unwrap_or(0);
    // 3. Read what the batch needs.
    for change in &req.changes {
        if change.device_id != device.device_id {
            return Err(ServerError::DeviceMismatch);
        }
        if change.device_seq == 0 {
            return Err(ServerError::BadRequest(
                "device_seq: las secuencias empiezan en 1".into(),
            ));
        }
    }
    let retried = stored_entries(tx, device, req, start_seq)?;
    let fresh: Vec<&Change> = req
        .changes
        .iter()
        .filter(|c| c.device_seq > start_seq)
        .collect();
    let known = known_change_ids(
        tx,
        &fresh
            .iter()
            .map(|c| c.change_id.to_string())
            .collect::<Vec<_>>(),
    )?;
    let mut versions = Versions::load(tx, &fresh)?;
    // 4. Decide every entry.
    let mut writes = Writes::default();
    let mut ids_in_batch = HashSet::new();
    let mut results = Vec::with_capacity(req.changes.len());
    for change in &req.changes {
        // One serialization: the stored body, and the hash of the same bytes.
        let body = change_body(change)?;
        let hash = hash_of(&body);
        if change.device_seq <= last_seq {
            let stored = writes
                .stored
                .get(&change.device_seq)
                .or_else(|| retried.get(&change.device_seq));
            results.push(already_had(stored, change, &hash)?);
            continue;
        }
        if change.device_seq != last_seq + 1 {
            return Err(ServerError::SequenceGap {
                expected: last_seq + 1,
                got: change.device_seq,
            });
        }
        let id = change.change_id.to_string();
        if !ids_in_batch.insert(id.clone()) {
            return Err(change_id_reused(change));
        }
        if let Some(k) = known.get(&id) {
            // The same change re-stamped by a reset device of the unit: already applied.
            if k.unit == device.unit
                && k.device != device.device_id.to_string()
                && is_restamp(&k.body, change)
            {
                last_seq = change.device_seq;
                writes.change(
                    Uuid::now_v7(),
                    change,
                    &hash,
                    body,
                    None,
                    "duplicate",
                    None,
                    now,
                )?;
                results.push(EntryResult {
                    device_seq: change.device_seq,
                    change_id: change.change_id,
                    status: EntryStatus::Duplicate,
                    server_seq: k.server_seq.map(u64_of),
                    conflict_id: None,
                    code: None,
                });
                continue;
            }
            // A change id seen under another sequence is a hostile or broken client.
            return Err(change_id_reused(change));
        }
        let verdict = if body.len() > MAX_CHANGE_BYTES {
            Err(codes::INVALID_CHANGE)
        } else if change.unit != device.unit {
            Err(codes::UNIT_MISMATCH)
        } else if validate_shape(change).is_err() {
            Err(codes::INVALID_CHANGE)
        } else {
            check_content(tx, device, change, &versions)?
        };
        last_seq = change.device_seq;
        match verdict {
            Err(code) => {
                writes.change(
                    change.change_id,
                    change,
                    &hash,
                    body,
                    None,
                    "rejected",
                    Some(code),
                    now,
                )?;
                results.push(EntryResult {
                    device_seq: change.device_seq,
                    change_id: change.change_id,
                    status: EntryStatus::Rejected,
                    server_seq: None,
                    conflict_id: None,
                    code: Some(code.to_string()),
                });
            }
            Ok(()) => {
                unit_seq += 1;
                writes.change(
                    change.change_id,
                    change,
                    &hash,
                    body,
                    Some(unit_seq),
                    "accepted",
                    None,
                    now,
                )?;
                let conflict =
                    merge_fields(&mut versions, &mut writes, change, unit_seq, seen, now);
                results.push(EntryResult {
                    device_seq: change.device_seq,
                    change_id: change.change_id,
                    status: if conflict.is_some() {
                        EntryStatus::Merged
                    } else {
                        EntryStatus::Applied
                    },
                    server_seq: Some(u64_of(unit_seq)),
                    conflict_id: conflict,
                    code: None,
                });
            }
        }
    }
    // 5. Write it all.
    let change_rows = writes.changes.len();
    let inserted = insert_rows(
        tx,
        "changes (change_id, device_id, device_seq, unit, server_seq, status, code,
                  content_hash, body, received_at)",
        "ON CONFLICT (change_id) DO NOTHING",
        writes.changes,
    )?;
    if inserted != change_rows as u64 {
        // Another device pushed one of these change ids at the same moment: hostile or broken.
        return Err(ServerError::BadRequest(
            "un change_id del lote ya se recibió de otro equipo".into(),
        ));
    }
    insert_rows(
        tx,
        "conflicts (conflict_id, unit, server_seq, entity, entity_id, field, winner_value,
                    winner_hlc, winner_device, loser_value, loser_hlc, loser_device, created_at)",
        "",
        writes.conflicts,
    )?;
    let field_rows: Vec<Vec<Val>> = versions
        .dirty()
        .into_iter()
        .map(|(entity, id, field, v)| {
            vec![
                Val::text(entity),
                Val::text(id),
                Val::text(field),
                Val::text(&device.unit),
                Val::text(&*v.hlc),
                Val::text(&*v.device),
                Val::int(v.server_seq),
                Val::text(&v.value),
            ]
        })
        .collect();
    drop(versions);
    insert_rows(
        tx,
        "field_versions (entity, entity_id, field, unit, hlc, device_id, server_seq, value)",
        "ON CONFLICT (entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc,
             device_id = excluded.device_id, server_seq = excluded.server_seq,
             value = excluded.value, unit = excluded.unit",
        field_rows,
    )?;
    if last_seq != start_seq {
        tx.execute(
            "UPDATE devices SET last_seq = $2 WHERE device_id = $1",
            &[
                Val::text(device.device_id.to_string()),
                Val::int(i64_of(last_seq)?),
            ],
        )?;
    }
    if unit_seq != start_unit_seq {
        tx.execute(
            "UPDATE units SET last_seq = $2 WHERE code = $1",
            &[Val::text(&device.unit), Val::int(unit_seq)],
        )?;
    }
    Ok(PushResponse {
        last_acked_seq: last_seq,
        results,
    })
}

fn change_id_reused(change: &Change) -> ServerError {
    ServerError::BadRequest(format!(
        "change_id {} ya se recibió con otra secuencia",
        change.change_id
    ))
}

/// The stored entries of the sequences a batch re-sends (one statement).
fn stored_entries(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    req: &PushRequest,
    start_seq: u64,
) -> Result<HashMap<u64, Stored>, ServerError> {
    let Some(low) = req
        .changes
        .iter()
        .map(|c| c.device_seq)
        .filter(|s| *s <= start_seq)
        .min()
    else {
        return Ok(HashMap::new());
    };
    let high = req
        .changes
        .iter()
        .map(|c| c.device_seq)
        .filter(|s| *s <= start_seq)
        .max()
        .unwrap_or(low);
    let rows = tx.query(
        "SELECT device_seq, content_hash, server_seq, status, code FROM changes
         WHERE device_id = $1 AND device_seq >= $2 AND device_seq <= $3",
        &[
            Val::text(device.device_id.to_string()),
            Val::int(i64_of(low)?),
            Val::int(i64_of(high)?),
        ],
    )?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        out.insert(
            u64_of(r.i64(0)?),
            Stored {
                hash: r.text(1)?,
                server_seq: r.opt_i64(2)?,
                status: r.text(3)?,
                code: r.opt_text(4)?,
            },
        );
    }
    Ok(out)
}

fn already_had(
    stored: Option<&Stored>,
    change: &Change,
    hash: &str,
) -> Result<EntryResult, ServerError> {
    // No stored entry: the device's counter is ahead of its stored history, only possible if
    // the database was tampered with. Treat as a fork: never guess.
    let Some(stored) = stored.filter(|s| s.hash == hash) else {
        return Err(ServerError::Fork {
            seq: change.device_seq,
        });
    };
    Ok(EntryResult {
        device_seq: change.device_seq,
        change_id: change.change_id,
        status: if stored.status == "rejected" {
            EntryStatus::Rejected
        } else {
            EntryStatus::Duplicate
        },
        server_seq: stored.server_seq.map(u64_of),
        conflict_id: None,
        code: stored.code.clone(),
    })
}

/// Rules on content: signed documents and document numbers.
fn check_content(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    change: &Change,
    versions: &Versions,
) -> Result<Result<(), &'static str>, ServerError> {
    if versions
        .get(
            &change.entity,
            &change.entity_id.to_string(),
            wire::FIELD_SIGNED_AT,
        )
        .is_some_and(|v| v.value != "null")
    {
        return Ok(Err(codes::DOCUMENT_SIGNED));
    }
    let number = match doc_number(versions, change) {
        Ok(n) => n,
        Err(code) => return Ok(Err(code)),
    };
    let Some(n) = number else {
        return Ok(Ok(()));
    };
    // A change that leaves the record's number as it is (a cargo signed or annulled, maybe
    // on another device of the unit: its lifecycle fields repeat year and number) is not a
    // numbering; only a new or changed number is checked against the device's block.
    let stored = |field: &str| {
        versions
            .get(&change.entity, &change.entity_id.to_string(), field)
            .and_then(|v| v.value.parse::<i64>().ok())
    };
    if own_number_kind(&change.entity).is_some()
        && stored("number") == Some(n.number)
        && stored("year") == Some(n.year)
    {
        return Ok(Ok(()));
    }
    let unit = Val::text(&device.unit);
    if change.device_seq <= device.enrolled_seq {
        register_pre_enrolment_number(tx, device, change, &n)?;
        return Ok(Ok(()));
    }
    let in_block = tx.query(
        "SELECT block_id FROM number_blocks
         WHERE unit = $1 AND kind = $2 AND year = $3 AND device_id = $4
           AND first_number <= $5 AND last_number >= $5",
        &[
            unit.clone(),
            Val::text(&n.kind),
            Val::int(n.year),
            Val::text(device.device_id.to_string()),
            Val::int(n.number),
        ],
    )?;
    if in_block.is_empty() {
        return Ok(Err(codes::NUMBER_OUTSIDE_BLOCK));
    }
    let used = tx.query(
        "SELECT entity_id FROM doc_numbers
         WHERE unit = $1 AND kind = $2 AND year = $3 AND number = $4",
        &[
            unit.clone(),
            Val::text(&n.kind),
            Val::int(n.year),
            Val::int(n.number),
        ],
    )?;
    match used.first() {
        Some(r) if r.text(0)? != change.entity_id.to_string() => {
            return Ok(Err(codes::NUMBER_USED));
        }
        Some(_) => {}
        None => {
            tx.execute(
                "INSERT INTO doc_numbers (unit, kind, year, number, entity_id, device_id)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    unit,
                    Val::text(&n.kind),
                    Val::int(n.year),
                    Val::int(n.number),
                    Val::text(change.entity_id.to_string()),
                    Val::text(device.device_id.to_string()),
                ],
            )?;
        }
    }
    Ok(Ok(()))
}

/// A number the device used from its own local series before it was enrolled: registered
/// (and the unit's series moved past it so no block overlaps it); if another record already
/// holds it, the change is still accepted and the collision is recorded as a conflict on
/// the field `number` for a person to review — never renumbered silently.
fn register_pre_enrolment_number(
    tx: &mut dyn Tx,
    device: &DeviceRow,
    change: &Change,
    n: &DocNumber,
) -> Result<(), ServerError> {
    let unit = Val::text(&device.unit);
    let (kind, year, number) = (Val::text(&n.kind), Val::int(n.year), Val::int(n.number));
    let holder = tx.query(
        "SELECT entity_id, device_id FROM doc_numbers
         WHERE unit = $1 AND kind = $2 AND year = $3 AND number = $4",
        &[unit.clone(), kind.clone(), year.clone(), number.clone()],
    )?;
    match holder.first() {
        Some(r) if r.text(0)? != change.entity_id.to_string() => {
            tx.execute(
                "INSERT INTO conflicts (conflict_id, unit, server_seq, entity, entity_id, field,
                    winner_value, winner_hlc, winner_device, loser_value, loser_hlc, loser_device,
                    created_at)
                 VALUES ($1, $2, 0, $3, $4, 'number', $5, '', $6, $5, $7, $8, $9)",
                &[
                    Val::text(Uuid::now_v7().to_string()),
                    unit.clone(),
                    Val::text(&change.entity),
                    Val::text(change.entity_id.to_string()),
                    Val::text(n.number.to_string()),
                    Val::text(r.text(1)?),
                    Val::text(change.hlc.encode()),
                    Val::text(change.device_id.to_string()),
                    Val::int(now_ms()),
                ],
            )?;
        }
        Some(_) => {}
        None => {
            tx.execute(
                "INSERT INTO doc_numbers (unit, kind, year, number, entity_id, device_id)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    unit.clone(),
                    kind.clone(),
                    year.clone(),
                    number.clone(),
                    Val::text(change.entity_id.to_string()),
                    Val::text(change.device_id.to_string()),
                ],
            )?;
        }
    }
    tx.execute(
        "INSERT INTO number_series (unit, kind, year, next_number) VALUES ($1, $2, $3, $4)
         ON CONFLICT (unit, kind, year) DO UPDATE SET next_number =
             CASE WHEN number_series.next_number > excluded.next_number
                  THEN number_series.next_number ELSE excluded.next_number END",
        &[unit, kind, year, Val::int(n.number.saturating_add(1))],
    )?;
    Ok(())
}

/// Per-field last-writer-wins by HLC, in memory; records conflicts. Returns the first
/// conflict's id.
fn merge_fields(
    versions: &mut Versions,
    writes: &mut Writes,
    change: &Change,
    server_seq: i64,
    seen: i64,
    now: i64,
) -> Option<Uuid> {
    let entity_id = change.entity_id.to_string();
    // Field order decides which conflict is "first": by name, as before.
    let mut fields: Vec<(&str, String)> = change
        .fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.to_string()))
        .collect();
    if change.op == ChangeOp::Delete {
        fields.retain(|(k, _)| *k != wire::FIELD_DELETED);
        fields.push((wire::FIELD_DELETED, "true".into()));
    }
    fields.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let hlc: Rc<str> = change.hlc.encode().into();
    let device: Rc<str> = change.device_id.to_string().into();
    let record = versions.record_mut(&change.entity, &entity_id);
    let mut first_conflict = None;
    for (field, value) in fields {
        let incoming_wins = match record.get(field) {
            None => true,
            Some(cur) => {
                let incoming_wins = hlc > cur.hlc;
                let concurrent = cur.device != device
                    && cur.value != value
                    && (!incoming_wins || cur.server_seq > seen);
                if concurrent {
                    let id = Uuid::now_v7();
                    first_conflict.get_or_insert(id);
                    let (winner, loser) = if incoming_wins {
                        ((&value, &hlc, &device), (&cur.value, &cur.hlc, &cur.device))
                    } else {
                        ((&cur.value, &cur.hlc, &cur.device), (&value, &hlc, &device))
                    };
                    writes.conflicts.push(vec![
                        Val::text(id.to_string()),
                        Val::text(&change.unit),
                        Val::int(server_seq),
                        Val::text(&change.entity),
                        Val::text(&entity_id),
                        Val::text(field),
                        Val::text(winner.0),
                        Val::text(&**winner.1),
                        Val::text(&**winner.2),
                        Val::text(loser.0),
                        Val::text(&**loser.1),
                        Val::text(&**loser.2),
                        Val::int(now),
                    ]);
                }
                incoming_wins
            }
        };
        if incoming_wins {
            let v = FieldVersion {
                hlc: Rc::clone(&hlc),
                device: Rc::clone(&device),
                server_seq,
                value,
                dirty: true,
            };
            match record.get_mut(field) {
                Some(cur) => *cur = v,
                None => {
                    record.insert(field.to_string(), v);
                }
            }
        }
    }
    first_conflict
}
