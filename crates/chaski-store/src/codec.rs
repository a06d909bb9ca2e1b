//! How values are written to and read from SQLite columns: times as sortable UTC text, ids as
//! hyphenated UUID text, enums as their stable codes.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

use crate::error::{Result, StoreError};

/// `2026-03-02T15:00:00.000Z`: fixed width, so text order is time order.
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads a stored time.
pub fn parse_ts(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::BadData(format!("fecha almacenada inválida «{s}»")))
}

/// Reads an optional stored time.
pub fn parse_ts_opt(s: Option<String>) -> Result<Option<DateTime<Utc>>> {
    s.as_deref().map(parse_ts).transpose()
}

/// Reads a stored id.
pub fn parse_id<T: From<uuid::Uuid>>(s: &str) -> Result<T> {
    uuid::Uuid::parse_str(s)
        .map(T::from)
        .map_err(|_| StoreError::BadData(format!("identificador almacenado inválido «{s}»")))
}

/// A borrowed JSON value bound as an SQLite parameter without copying its text.
pub struct JsonParam<'a>(pub &'a Value);

impl rusqlite::ToSql for JsonParam<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self.0 {
            Value::String(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            other => ToSqlOutput::Owned(to_sql_value(other)),
        })
    }
}

/// A JSON value as an SQLite value (arrays and objects as JSON text).
pub fn to_sql_value(v: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as S;
    match v {
        Value::Null => S::Null,
        Value::Bool(b) => S::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => S::Integer(i),
            None => S::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => S::Text(s.clone()),
        other => S::Text(other.to_string()),
    }
}
