//! Chaski's sync protocol, seen from both ends.
//!
//! - [`wire`]: the versioned request and response types of the central server's HTTP API
//!   (`/v1/...`), re-exported from `chaski-wire`, which the server shares without linking
//!   this crate.
//! - [`transport`]: how a client talks to the server. [`transport::HttpTransport`] is the real
//!   one (reqwest + rustls, optional custom CA for government internal CAs); tests wrap it in
//!   a fault-injecting transport that drops, delays, duplicates and reorders requests.
//! - [`messages`]: what a [`SyncError`] and a refused change mean for the person, in Spanish.
//! - [`number_policy`]: which number series a desktop keeps topped up, and by how much.
//! - [`client`]: [`client::SyncClient`], which pushes the outbox and pulls pages through a
//!   [`client::Replica`] (the local store's replication side), with exponential backoff and
//!   jitter and a progress callback.
//!
//! The protocol itself (dense device sequences, per-unit server sequences as the only pull
//! cursor, per-field hybrid-logical-clock merge, number blocks) is described in
//! `docs/sync.md`.
#![forbid(unsafe_code)]

pub mod backoff;
pub mod client;
pub mod messages;
pub mod number_policy;
pub mod store_replica;
pub mod transport;

pub use chaski_wire as wire;

pub use client::{Replica, SyncClient, SyncError, SyncProgress, SyncReport};
pub use messages::rejection_message;
pub use number_policy::desktop_wants;
pub use store_replica::{NumberWant, StoreReplica};
pub use transport::{HttpTransport, Transport, TransportError};
