//! Statements over many rows with few round trips, for both dialects: membership tests over
//! many ids ([`id_list`]) and multi-row inserts ([`insert_rows`]). Measured on a busy
//! machine, every statement is a round trip that waits for both processes to be scheduled;
//! these keep a 500-change push to a handful of statements.

use std::fmt::Write as _;

use super::{Dialect, StoreError, Tx, Val};
use crate::error::ServerError;

/// Most ids in one `IN (…)` list (a push has at most 1000 changes).
pub(crate) const IN_CHUNK: usize = 1000;

/// Most parameters in one multi-row `INSERT` on SQLite (PostgreSQL gets one `unnest`
/// statement per table instead, see [`insert_rows`]).
const MAX_PARAMS_SQLITE: usize = 100;

/// A membership test for `ids` whose first parameter is `$first`: `= ANY($first::text[])`
/// on PostgreSQL (one array parameter, one statement text whatever the count: measured, a
/// 500-entry `IN ($2, …)` took 30–60 ms on a busy machine), `IN ($first, …)` on SQLite.
pub(crate) fn id_list(tx: &dyn Tx, first: usize, ids: &[String]) -> (String, Vec<Val>) {
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
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    let mut out = String::with_capacity(n * 6);
    for i in 0..n {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "${}", first + i);
    }
    out
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
pub(crate) fn insert_rows(
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
        ServerError::Store(StoreError::Schema(
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
