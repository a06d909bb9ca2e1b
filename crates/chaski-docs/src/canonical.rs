//! The content hash: SHA-256 over the canonical JSON of the [`Document`].
//!
//! A PDF cannot contain its own hash, so the footer and the QR code carry the hash of the
//! *input data* instead. Canonical JSON here means: the serde form of [`Document`]
//! (`{"kind": ..., "data": {...}}`), object keys sorted by their UTF-8 bytes at every level,
//! no whitespace, strings escaped as serde_json does, numbers as integers, dates as
//! ISO 8601 strings. We write the serializer ourselves so that no cargo feature elsewhere in
//! the workspace (serde_json's `preserve_order`) can change the bytes.

use sha2::{Digest, Sha256};

use crate::error::DocsError;
use crate::model::Document;

/// Canonical JSON bytes of a document (what [`content_sha256`] hashes).
pub fn canonical_json(doc: &Document) -> Result<Vec<u8>, DocsError> {
    let value = serde_json::to_value(doc).map_err(|e| DocsError::Serialize(e.to_string()))?;
    let mut out = Vec::with_capacity(4096);
    write_value(&value, &mut out)?;
    Ok(out)
}

/// SHA-256 of [`canonical_json`], lowercase hex (64 characters).
pub fn content_sha256(doc: &Document) -> Result<String, DocsError> {
    let bytes = canonical_json(doc)?;
    Ok(hex::encode(Sha256::digest(&bytes)))
}

fn write_value(v: &serde_json::Value, out: &mut Vec<u8>) -> Result<(), DocsError> {
    use serde_json::Value;
    match v {
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            serde_json::to_writer(&mut *out, v).map_err(|e| DocsError::Serialize(e.to_string()))?;
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, out)?;
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            out.push(b'{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, key)
                    .map_err(|e| DocsError::Serialize(e.to_string()))?;
                out.push(b':');
                if let Some(item) = map.get(*key) {
                    write_value(item, out)?;
                }
            }
            out.push(b'}');
        }
    }
    Ok(())
}
