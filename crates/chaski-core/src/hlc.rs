//! Hybrid logical clock (HLC).
//!
//! Every change a device makes is stamped with an HLC so that concurrent edits of the same field
//! on different devices can be ordered without trusting wall clocks (office PCs drift, and some
//! are set by hand). An HLC is `(wall_ms, counter, device)`: it never goes backwards on one
//! device, it moves past every clock it has seen from others, and the device id breaks ties, so
//! two stamps are never equal across devices.
//!
//! The encoded form `0001732370000000-00000-<device uuid>` sorts as text in the same order as
//! the values, so stores and servers can compare stamps with plain string comparison.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One hybrid-logical-clock stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch (the physical part).
    pub wall_ms: u64,
    /// Logical counter for events within the same millisecond.
    pub counter: u32,
    /// The device that made the stamp: the final tie-break.
    pub device: Uuid,
}

/// Why an encoded HLC could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("marca de reloj híbrido inválida: «{0}»")]
pub struct HlcParseError(pub String);

impl Hlc {
    /// The first stamp a device can make; every real stamp is greater.
    pub fn zero(device: Uuid) -> Self {
        Self {
            wall_ms: 0,
            counter: 0,
            device,
        }
    }

    /// The stamp for a new local event, given the last stamp this device issued or observed
    /// (`last`) and the current wall clock. Never goes backwards, even if the clock does.
    pub fn tick(last: &Hlc, now_ms: u64, device: Uuid) -> Hlc {
        if now_ms > last.wall_ms {
            Hlc {
                wall_ms: now_ms,
                counter: 0,
                device,
            }
        } else {
            Hlc {
                wall_ms: last.wall_ms,
                counter: last.counter.saturating_add(1),
                device,
            }
        }
    }

    /// The local clock after receiving a remote stamp: greater than both the local last stamp
    /// and the remote one.
    pub fn observe(last: &Hlc, remote: &Hlc, now_ms: u64, device: Uuid) -> Hlc {
        let wall = now_ms.max(last.wall_ms).max(remote.wall_ms);
        let counter = if wall == last.wall_ms && wall == remote.wall_ms {
            last.counter.max(remote.counter).saturating_add(1)
        } else if wall == last.wall_ms {
            last.counter.saturating_add(1)
        } else if wall == remote.wall_ms {
            remote.counter.saturating_add(1)
        } else {
            0
        };
        Hlc {
            wall_ms: wall,
            counter,
            device,
        }
    }

    /// The sortable text form.
    pub fn encode(&self) -> String {
        self.to_string()
    }
}

impl Ord for Hlc {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.wall_ms, self.counter, self.device).cmp(&(other.wall_ms, other.counter, other.device))
    }
}

impl PartialOrd for Hlc {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:016}-{:05}-{}",
            self.wall_ms,
            self.counter,
            self.device.as_hyphenated()
        )
    }
}

impl FromStr for Hlc {
    type Err = HlcParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || HlcParseError(s.to_string());
        let mut parts = s.splitn(3, '-');
        let wall = parts.next().ok_or_else(err)?;
        let counter = parts.next().ok_or_else(err)?;
        let device = parts.next().ok_or_else(err)?;
        if wall.len() != 16 || counter.len() != 5 {
            return Err(err());
        }
        Ok(Hlc {
            wall_ms: wall.parse().map_err(|_| err())?,
            counter: counter.parse().map_err(|_| err())?,
            device: Uuid::parse_str(device).map_err(|_| err())?,
        })
    }
}

impl Serialize for Hlc {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn tick_moves_forward_even_when_the_wall_clock_goes_back() {
        let a = Hlc::tick(&Hlc::zero(dev(1)), 1_000, dev(1));
        assert_eq!((a.wall_ms, a.counter), (1_000, 0));
        let b = Hlc::tick(&a, 900, dev(1));
        assert!(b > a);
        assert_eq!((b.wall_ms, b.counter), (1_000, 1));
        let c = Hlc::tick(&b, 2_000, dev(1));
        assert_eq!((c.wall_ms, c.counter), (2_000, 0));
    }

    #[test]
    fn observe_passes_both_clocks() {
        let local = Hlc {
            wall_ms: 1_000,
            counter: 3,
            device: dev(1),
        };
        let remote = Hlc {
            wall_ms: 5_000,
            counter: 7,
            device: dev(2),
        };
        let next = Hlc::observe(&local, &remote, 2_000, dev(1));
        assert!(next > local && next > remote);
        assert_eq!(
            (next.wall_ms, next.counter, next.device),
            (5_000, 8, dev(1))
        );
        let same_ms = Hlc::observe(
            &local,
            &Hlc {
                wall_ms: 1_000,
                ..remote
            },
            10,
            dev(1),
        );
        assert_eq!((same_ms.wall_ms, same_ms.counter), (1_000, 8));
        let later_now = Hlc::observe(&local, &remote, 9_000, dev(1));
        assert_eq!((later_now.wall_ms, later_now.counter), (9_000, 0));
    }

    #[test]
    fn device_breaks_ties_and_text_order_matches_value_order() {
        let a = Hlc {
            wall_ms: 42,
            counter: 1,
            device: dev(1),
        };
        let b = Hlc {
            device: dev(2),
            ..a
        };
        let c = Hlc {
            wall_ms: 1_732_370_000_000,
            counter: 0,
            device: dev(0),
        };
        assert!(a < b && b < c);
        assert!(a.encode() < b.encode() && b.encode() < c.encode());
    }

    #[test]
    fn text_form_round_trips_and_rejects_garbage() {
        let a = Hlc {
            wall_ms: 1_732_370_000_123,
            counter: 17,
            device: Uuid::now_v7(),
        };
        assert_eq!(a.encode().parse::<Hlc>(), Ok(a));
        let json = serde_json::to_string(&a).expect("serialize");
        assert_eq!(serde_json::from_str::<Hlc>(&json).expect("deserialize"), a);
        for bad in [
            "",
            "12-3",
            "x-00001-00000000-0000-0000-0000-000000000000",
            "0000000000000001-1-abc",
        ] {
            assert!(bad.parse::<Hlc>().is_err(), "{bad} should be refused");
        }
    }
}
