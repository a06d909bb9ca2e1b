//! The events the app sends to the UI, declared once: each one's name and payload type.
//!
//! Like the commands, an event is declared in one place. The `events!` list below gives the
//! constant the use cases emit with ([`crate::AppState::emit`] takes an [`Event`], so a payload
//! of the wrong type does not compile), and the [`specs`] and [`visit_payloads`] the shell's
//! bindings generator turns into one typed listener per event in
//! `ui/src/lib/backend/bindings.ts`; the UI listens only through those.

use std::marker::PhantomData;

use chaski_store::inventory_import::ImportProgress;
use ts_rs::{Config, TS, TypeVisitor};

use crate::sync::SyncStatus;

/// An event: its name as the UI listens for it, and the type of its payload.
pub struct Event<T> {
    pub name: &'static str,
    payload: PhantomData<fn() -> T>,
}

impl<T> Clone for Event<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Event<T> {}

impl<T> Event<T> {
    const fn new(name: &'static str) -> Self {
        Self {
            name,
            payload: PhantomData,
        }
    }
}

/// One event, as the bindings generator sees it.
pub struct EventSpec {
    /// The name the UI listens for (`sync:status`).
    pub name: &'static str,
    /// The constant's name, which the generator turns into the listener's name.
    pub constant: &'static str,
    pub docs: &'static str,
    pub payload_ts_name: fn(&Config) -> String,
}

macro_rules! events {
    ($(
        $(#[doc = $doc:literal])*
        $constant:ident: $payload:ty = $name:literal;
    )*) => {
        $(
            $(#[doc = $doc])*
            pub const $constant: Event<$payload> = Event::new($name);
        )*

        /// Every event, in declaration order.
        pub fn specs() -> Vec<EventSpec> {
            vec![$(
                EventSpec {
                    name: $name,
                    constant: stringify!($constant),
                    docs: concat!($($doc, "\n",)* ""),
                    payload_ts_name: <$payload as TS>::name,
                }
            ),*]
        }

        /// Visits every payload type (for the bindings' type declarations).
        pub fn visit_payloads(visitor: &mut impl TypeVisitor) {
            $(visitor.visit::<$payload>();)*
        }
    };
}

events! {
    /// Every change of the background sync's status (the same value `sync_status` answers).
    SYNC_STATUS: SyncStatus = "sync:status";
    /// Each step of the inventory import's preview and of its application.
    INVENTORY_PROGRESS: ImportProgress = "inventory-progress";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_is_listed_once_with_its_name() {
        let names: Vec<&str> = specs().iter().map(|s| s.name).collect();
        assert_eq!(names, [SYNC_STATUS.name, INVENTORY_PROGRESS.name]);
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
    }
}
