//! The door's rate limit: how many QUIC handshakes the device begins, from each source and in all,
//! decided on the first packet, before any state is kept for the caller.
//!
//! A stranger's connection is closed as soon as its handshake shows who it is (403 on sync, 404 or
//! a failed proof on pairing), but by then iroh has made state for the caller's endpoint id and
//! keeps it for a minute after the last connection (about 40 KiB each). Endpoint ids cost nothing
//! to make, so without a limit a flood of fresh keys costs memory in proportion to its rate. The
//! limit is a token bucket per source — an IPv4 address, an IPv6 /64 (what one host usually
//! holds), or a relay — and one for all sources together; a caller with no token left is refused
//! on its first packet (QUIC `CONNECTION_REFUSED`, a packet smaller than the one that asked).
//!
//! The partner's devices are not slowed by a stranger's flood from elsewhere, and while the device
//! is flooded from their own address its own dialers still reach them (the limit is on what comes
//! in). A source's buckets are forgotten once full again; when the table of sources is full, a
//! caller from a new source must prove its address first (a QUIC retry, which keeps no state), so
//! that forged source addresses cannot fill the table.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use iroh::RelayUrl;
use iroh::endpoint::{Incoming, IncomingAddr};
use iroh::protocol::IncomingFilterOutcome;

/// How many handshakes one source may begin at once, and how many more each second after.
pub const PER_SOURCE: Rate = Rate {
    burst: 64,
    per_second: 4,
};
/// How many handshakes all sources together may begin at once, and each second after.
pub const ALL_SOURCES: Rate = Rate {
    burst: 256,
    per_second: 32,
};
/// How many sources the door remembers at once.
const MAX_SOURCES: usize = 4096;

/// A token bucket's size and refill: how many handshakes the door begins at once, and how many
/// more each second after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    /// At once.
    pub burst: u32,
    /// Each second after.
    pub per_second: u32,
}

impl Rate {
    /// How long an empty bucket takes to fill.
    fn fill_time(self) -> Duration {
        Duration::from_secs_f64(f64::from(self.burst) / f64::from(self.per_second))
    }
}

/// Where a handshake comes from, as the door counts it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Source {
    V4([u8; 4]),
    /// The first 64 bits of an IPv6 address.
    V6([u8; 8]),
    Relay(RelayUrl),
    Other,
}

impl Source {
    fn of(addr: &IncomingAddr) -> Source {
        match addr {
            IncomingAddr::Ip(addr) => match addr.ip().to_canonical() {
                IpAddr::V4(ip) => Source::V4(ip.octets()),
                IpAddr::V6(ip) => {
                    let mut prefix = [0u8; 8];
                    prefix.copy_from_slice(&ip.octets()[..8]);
                    Source::V6(prefix)
                }
            },
            IncomingAddr::Relay { url, .. } => Source::Relay(url.clone()),
            _ => Source::Other,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(rate: Rate, now: Instant) -> Bucket {
        Bucket {
            tokens: f64::from(rate.burst),
            at: now,
        }
    }

    fn refill(&mut self, rate: Rate, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens =
            (self.tokens + elapsed * f64::from(rate.per_second)).min(f64::from(rate.burst));
        self.at = now;
    }

    fn has_token(&self) -> bool {
        self.tokens >= 1.0
    }
}

/// The door's buckets.
#[derive(Debug)]
pub(crate) struct Door {
    state: Mutex<State>,
    per_source: Rate,
    all_sources: Rate,
    max_sources: usize,
}

#[derive(Debug)]
struct State {
    sources: HashMap<Source, Bucket>,
    all: Bucket,
}

/// What the door does with a handshake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Accept,
    /// Too many from this source, or from all: refused on the first packet.
    Refuse,
    /// The table of sources is full and the address is not proven: prove it first.
    ProveAddress,
}

impl Door {
    pub(crate) fn new() -> Door {
        Door::with_rates(PER_SOURCE, ALL_SOURCES, MAX_SOURCES)
    }

    fn with_rates(per_source: Rate, all_sources: Rate, max_sources: usize) -> Door {
        Door {
            state: Mutex::new(State {
                sources: HashMap::new(),
                all: Bucket::full(all_sources, Instant::now()),
            }),
            per_source,
            all_sources,
            max_sources,
        }
    }

    /// The filter iroh's router calls on each incoming connection's first packet.
    pub(crate) fn filter(&self, incoming: &Incoming) -> IncomingFilterOutcome {
        let verdict = self.admit(
            Source::of(&incoming.remote_addr()),
            incoming.remote_addr_validated(),
            Instant::now(),
        );
        match verdict {
            Verdict::Accept => IncomingFilterOutcome::Accept,
            Verdict::Refuse => {
                tracing::debug!("refused a handshake: too many from its source or in all");
                IncomingFilterOutcome::Reject
            }
            Verdict::ProveAddress => IncomingFilterOutcome::Retry,
        }
    }

    fn admit(&self, source: Source, validated: bool, now: Instant) -> Verdict {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let State { sources, all } = &mut *state;
        if !sources.contains_key(&source) && sources.len() >= self.max_sources {
            // Forget the sources whose buckets have filled again: they owe nothing.
            let fill = self.per_source.fill_time();
            sources.retain(|_, bucket| now.saturating_duration_since(bucket.at) < fill);
            if sources.len() >= self.max_sources && !validated {
                return Verdict::ProveAddress;
            }
        }
        all.refill(self.all_sources, now);
        if sources.len() >= self.max_sources && !sources.contains_key(&source) {
            // Proven, but no room to count it alone: it counts against all sources only.
            if !all.has_token() {
                return Verdict::Refuse;
            }
            all.tokens -= 1.0;
            return Verdict::Accept;
        }
        let bucket = sources
            .entry(source)
            .or_insert_with(|| Bucket::full(self.per_source, now));
        bucket.refill(self.per_source, now);
        if !bucket.has_token() || !all.has_token() {
            return Verdict::Refuse;
        }
        bucket.tokens -= 1.0;
        all.tokens -= 1.0;
        Verdict::Accept
    }
}

/// Whether a connection attempt was refused on its first packet (QUIC `CONNECTION_REFUSED`), as
/// a device's door refuses one handshake too many.
pub fn refused_at_the_door(e: &iroh::endpoint::ConnectError) -> bool {
    use iroh::endpoint::{ConnectError, ConnectingError, ConnectionError, TransportErrorCode};
    matches!(
        e,
        ConnectError::Connecting {
            source: ConnectingError::ConnectionError {
                source: ConnectionError::ConnectionClosed(close),
                ..
            },
            ..
        } if close.error_code == TransportErrorCode::CONNECTION_REFUSED
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(last: u8) -> Source {
        Source::V4([192, 0, 2, last])
    }

    fn rate(burst: u32, per_second: u32) -> Rate {
        Rate { burst, per_second }
    }

    #[test]
    fn a_source_gets_its_burst_then_its_rate() {
        let door = Door::with_rates(rate(3, 2), rate(100, 100), 16);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(door.admit(v4(1), false, t0), Verdict::Accept);
        }
        assert_eq!(door.admit(v4(1), false, t0), Verdict::Refuse);
        // Another source is not held back by the first.
        assert_eq!(door.admit(v4(2), false, t0), Verdict::Accept);
        // Half a second later, one more (2 a second).
        let later = t0 + Duration::from_millis(500);
        assert_eq!(door.admit(v4(1), false, later), Verdict::Accept);
        assert_eq!(door.admit(v4(1), false, later), Verdict::Refuse);
    }

    #[test]
    fn all_sources_together_have_their_own_limit() {
        let door = Door::with_rates(rate(10, 1), rate(4, 1), 16);
        let t0 = Instant::now();
        for n in 0..4 {
            assert_eq!(door.admit(v4(n), false, t0), Verdict::Accept);
        }
        assert_eq!(door.admit(v4(9), false, t0), Verdict::Refuse);
    }

    #[test]
    fn one_ipv6_host_counts_once_however_many_addresses_it_uses() {
        let door = Door::with_rates(rate(2, 1), rate(100, 100), 16);
        let t0 = Instant::now();
        let addr = |host: u16| {
            IncomingAddr::Ip(std::net::SocketAddr::new(
                IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 1, 0, 0, 0, host)),
                4000 + host,
            ))
        };
        assert_eq!(door.admit(Source::of(&addr(1)), false, t0), Verdict::Accept);
        assert_eq!(door.admit(Source::of(&addr(2)), false, t0), Verdict::Accept);
        assert_eq!(door.admit(Source::of(&addr(3)), false, t0), Verdict::Refuse);
        // An IPv4 address mapped into IPv6 counts as the IPv4 address.
        let mapped = IncomingAddr::Ip("[::ffff:192.0.2.1]:4000".parse().expect("addr"));
        assert_eq!(Source::of(&mapped), v4(1));
    }

    #[test]
    fn a_full_table_asks_new_sources_to_prove_their_address_and_forgets_settled_ones() {
        let door = Door::with_rates(rate(2, 1), rate(100, 100), 2);
        let t0 = Instant::now();
        assert_eq!(door.admit(v4(1), false, t0), Verdict::Accept);
        assert_eq!(door.admit(v4(2), false, t0), Verdict::Accept);
        // The table is full and neither bucket has filled again: a forged address gets a retry.
        assert_eq!(door.admit(v4(3), false, t0), Verdict::ProveAddress);
        // A proven one is let in, counted against all sources.
        assert_eq!(door.admit(v4(3), true, t0), Verdict::Accept);
        // Once the first two buckets are full again (2 s), they are forgotten and make room.
        let later = t0 + Duration::from_secs(3);
        assert_eq!(door.admit(v4(4), false, later), Verdict::Accept);
        let state = door.state.lock().expect("lock");
        assert_eq!(state.sources.len(), 1, "{:?}", state.sources.keys());
    }
}
