//! Scenario tests of sync: a real server (bound on 127.0.0.1:0), several real clients (real
//! `chaski-store` SQLite files), and faults between them — a TCP proxy that cuts connections
//! mid-body ([`proxy`]) and a transport that drops, delays, duplicates and reorders requests
//! and answers ([`faults`]). [`scenario::run`] drives one seeded randomized run and checks,
//! after healing, that every replica equals the server: nothing lost, nothing doubled, no
//! document number used twice. Traffic goes to loopback only.

pub mod faults;
pub mod harness;
pub mod proxy;
pub mod scenario;
