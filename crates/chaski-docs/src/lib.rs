//! chaski-docs (being written).
#![forbid(unsafe_code)]
