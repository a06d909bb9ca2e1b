//! Conversions between protocol values and stored ones, shared by every rule module.

use uuid::Uuid;

use crate::error::ServerError;
use crate::storage::StoreError;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub(crate) fn u64_of(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

pub(crate) fn i64_of(v: u64) -> Result<i64, ServerError> {
    i64::try_from(v).map_err(|_| ServerError::BadRequest(format!("número demasiado grande: {v}")))
}

pub(crate) fn parse_uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|e| StoreError::Schema(format!("uuid «{s}»: {e}")))
}

pub(crate) fn valid_name(s: &str, max: usize) -> bool {
    let mut chars = s.chars();
    (1..=max).contains(&s.len())
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
