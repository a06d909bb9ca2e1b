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
//!
//! **Bounded.** The text form has room for 16 digits of milliseconds and 5 of counter, and
//! that is the encoding for good: every stamp ever written stays readable and comparable, and
//! nothing has to be migrated. The counter therefore never passes [`MAX_COUNTER`]: a tick
//! that would, carries into the next millisecond instead (the logical part borrows from the
//! physical one, as HLC allows: the stamp is still greater than every earlier one). A clock
//! that observed a stamp far ahead (a PC set a year forward) then keeps writing at that
//! stamp's millisecond, plus one per 100,000 events — it can never reach a stamp it cannot
//! write. The server refuses stamps more than a few minutes ahead of its own clock, so such a
//! stamp does not spread in the first place. Wall times are capped at [`MAX_WALL_MS`]
//! (16 digits, the year 318857).

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

/// The largest counter the text form holds (5 digits).
pub const MAX_COUNTER: u32 = 99_999;
/// The largest wall time the text form holds (16 digits of milliseconds).
pub const MAX_WALL_MS: u64 = 9_999_999_999_999_999;

/// The stamp right after `(wall_ms, counter)` within the same millisecond, or the next
/// millisecond's first when the counter is full.
fn successor(wall_ms: u64, counter: u32) -> (u64, u32) {
    if counter >= MAX_COUNTER && wall_ms < MAX_WALL_MS {
        (wall_ms + 1, 0)
    } else {
        (wall_ms, counter.saturating_add(1).min(MAX_COUNTER))
    }
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
        let now_ms = now_ms.min(MAX_WALL_MS);
        let (wall_ms, counter) = if now_ms > last.wall_ms {
            (now_ms, 0)
        } else {
            successor(last.wall_ms, last.counter)
        };
        Hlc {
            wall_ms,
            counter,
            device,
        }
    }

    /// The local clock after receiving a remote stamp: greater than both the local last stamp
    /// and the remote one.
    pub fn observe(last: &Hlc, remote: &Hlc, now_ms: u64, device: Uuid) -> Hlc {
        let wall = now_ms
            .min(MAX_WALL_MS)
            .max(last.wall_ms)
            .max(remote.wall_ms);
        let (wall_ms, counter) = if wall == last.wall_ms && wall == remote.wall_ms {
            successor(wall, last.counter.max(remote.counter))
        } else if wall == last.wall_ms {
            successor(wall, last.counter)
        } else if wall == remote.wall_ms {
            successor(wall, remote.counter)
        } else {
            (wall, 0)
        };
        Hlc {
            wall_ms,
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

    /// A small deterministic generator for the property tests (no dependency needed).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        /// A value spread over the whole range, with the edges often.
        fn wall(&mut self) -> u64 {
            match self.next() % 6 {
                0 => 0,
                1 => MAX_WALL_MS - self.next() % 3,
                2 => 1_700_000_000_000 + self.next() % 100_000_000_000,
                _ => self.next() % (MAX_WALL_MS + 1),
            }
        }

        fn counter(&mut self) -> u32 {
            match self.next() % 4 {
                0 => MAX_COUNTER - (self.next() % 3) as u32,
                1 => 0,
                _ => (self.next() % u64::from(MAX_COUNTER + 1)) as u32,
            }
        }

        fn stamp(&mut self, device: Uuid) -> Hlc {
            Hlc {
                wall_ms: self.wall(),
                counter: self.counter(),
                device,
            }
        }
    }

    #[test]
    fn a_full_counter_carries_into_the_next_millisecond() {
        let full = Hlc {
            wall_ms: 5_000,
            counter: MAX_COUNTER,
            device: dev(1),
        };
        let next = Hlc::tick(&full, 10, dev(1));
        assert_eq!((next.wall_ms, next.counter), (5_001, 0));
        assert!(next > full && next.encode() > full.encode());
        assert_eq!(next.encode().parse::<Hlc>(), Ok(next));
        let seen = Hlc::observe(&full, &full, 10, dev(2));
        assert_eq!((seen.wall_ms, seen.counter), (5_001, 0));
    }

    #[test]
    fn a_clock_poisoned_far_ahead_keeps_writing_forever() {
        // A stamp a year ahead observed, then a million local writes with the real clock
        // behind it: every stamp is readable and strictly increasing.
        let ahead = Hlc {
            wall_ms: 1_732_370_000_000 + 365 * 86_400_000,
            counter: MAX_COUNTER - 5,
            device: dev(9),
        };
        let mut clock = Hlc::observe(&Hlc::zero(dev(1)), &ahead, 1_732_370_000_000, dev(1));
        for _ in 0..1_000_000 {
            let next = Hlc::tick(&clock, 1_732_370_000_000, dev(1));
            assert!(next > clock);
            clock = next;
        }
        assert_eq!(clock.encode().parse::<Hlc>(), Ok(clock));
        assert!(clock.counter <= MAX_COUNTER);
    }

    #[test]
    fn property_ticks_and_observations_increase_and_encode_in_order_over_the_whole_range() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..200_000 {
            let last = rng.stamp(dev(1));
            let remote = rng.stamp(dev(2));
            let now = rng.wall();
            for next in [
                Hlc::tick(&last, now, dev(1)),
                Hlc::observe(&last, &remote, now, dev(1)),
            ] {
                assert!(next.counter <= MAX_COUNTER && next.wall_ms <= MAX_WALL_MS);
                // Strictly after what it came from, except at the very end of the range.
                if last.wall_ms < MAX_WALL_MS {
                    assert!(next > last, "{last} -> {next}");
                }
                let text = next.encode();
                assert_eq!(text.len(), 16 + 1 + 5 + 1 + 36, "{text}");
                assert_eq!(text.parse::<Hlc>(), Ok(next));
            }
            let observed = Hlc::observe(&last, &remote, now, dev(1));
            if remote.wall_ms < MAX_WALL_MS {
                assert!(observed.wall_ms >= remote.wall_ms);
                assert!((observed.wall_ms, observed.counter) > (remote.wall_ms, remote.counter));
            }
            // Text order is value order.
            assert_eq!(last.cmp(&remote), last.encode().cmp(&remote.encode()));
        }
    }
}
