//! A faulty link between two devices: a UDP proxy on loopback that drops, duplicates, delays,
//! reorders and cuts datagrams, its choices drawn from a seeded generator.
//!
//! iroh speaks QUIC over UDP, so a device that believes its partner lives at the proxy's address
//! sends every packet through it. The proxy has one socket facing each device: what device A
//! sends to the socket facing A leaves through the socket facing B, towards B, and back. Each
//! device sees its partner at the proxy's socket facing it, so both dial through the link.
//!
//! For the link to be the only way, the two devices should not be able to reach each other
//! directly: iroh tells its partner its own addresses and tries them (hole punching). Put one
//! device on IPv4 loopback and the other on IPv6 loopback: a socket of one family cannot send to
//! the other, and the proxy, with a socket of each family, is the only bridge.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::net::UdpSocket;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// How a datagram crossing the link is treated. Probabilities are in `0.0..=1.0`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Faults {
    /// Each datagram is lost with this probability.
    pub drop: f64,
    /// Each datagram that survives is sent twice with this probability.
    pub duplicate: f64,
    /// Each copy waits a random time up to this long before it is sent.
    pub jitter: Duration,
    /// Each copy is held back with this probability for a further 20 to 60 ms, so that the
    /// datagrams after it overtake it.
    pub reorder: f64,
    /// Nothing crosses at all.
    pub cut: bool,
}

impl Faults {
    /// A perfect link.
    pub fn none() -> Faults {
        Faults::default()
    }

    /// A link that carries nothing.
    pub fn cut() -> Faults {
        Faults {
            cut: true,
            ..Faults::default()
        }
    }
}

/// What the link did so far, counted over both directions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Datagrams from A delivered towards B (copies counted once each).
    pub a_to_b: u64,
    /// Datagrams from B delivered towards A.
    pub b_to_a: u64,
    /// Datagrams lost, by chance or in a cut.
    pub dropped: u64,
    /// Datagrams sent twice.
    pub duplicated: u64,
    /// Copies held back for reordering.
    pub reordered: u64,
    /// Datagrams from any other sender, ignored.
    pub strays: u64,
}

#[derive(Default)]
struct Counters {
    a_to_b: AtomicU64,
    b_to_a: AtomicU64,
    dropped: AtomicU64,
    duplicated: AtomicU64,
    reordered: AtomicU64,
    strays: AtomicU64,
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// A running link. Dropping it stops it.
pub struct FaultyLink {
    facing_a: SocketAddr,
    facing_b: SocketAddr,
    faults: watch::Sender<Faults>,
    counters: Arc<Counters>,
    pumps: [AbortOnDrop; 2],
}

impl FaultyLink {
    /// Starts a perfect link between device A at `a` and device B at `b`. Each socket of the
    /// proxy binds the loopback address of the family of the device it faces. `seed` decides
    /// every fault.
    pub async fn start(a: SocketAddr, b: SocketAddr, seed: u64) -> std::io::Result<FaultyLink> {
        let socket_a = Arc::new(UdpSocket::bind(SocketAddr::new(a.ip(), 0)).await?);
        let socket_b = Arc::new(UdpSocket::bind(SocketAddr::new(b.ip(), 0)).await?);
        let (faults, watching) = watch::channel(Faults::none());
        let counters = Arc::new(Counters::default());
        let a_to_b = Pump {
            from: socket_a.clone(),
            sender: a,
            to: socket_b.clone(),
            dest: b,
            faults: watching.clone(),
            rng: SplitMix64(seed),
            counters: counters.clone(),
            delivered: |c| &c.a_to_b,
        };
        let b_to_a = Pump {
            from: socket_b.clone(),
            sender: b,
            to: socket_a.clone(),
            dest: a,
            faults: watching,
            rng: SplitMix64(seed ^ 0x9e37_79b9_7f4a_7c15),
            counters: counters.clone(),
            delivered: |c| &c.b_to_a,
        };
        Ok(FaultyLink {
            facing_a: socket_a.local_addr()?,
            facing_b: socket_b.local_addr()?,
            faults,
            counters,
            pumps: [
                AbortOnDrop(tokio::spawn(a_to_b.run())),
                AbortOnDrop(tokio::spawn(b_to_a.run())),
            ],
        })
    }

    /// Where device B should believe device A is.
    pub fn a_as_seen_by_b(&self) -> SocketAddr {
        self.facing_b
    }

    /// Where device A should believe device B is.
    pub fn b_as_seen_by_a(&self) -> SocketAddr {
        self.facing_a
    }

    /// From now on, treat datagrams this way (both directions).
    pub fn set(&self, faults: Faults) {
        self.faults.send_replace(faults);
    }

    /// What the link did so far.
    pub fn stats(&self) -> Stats {
        let c = &self.counters;
        let get = |n: &AtomicU64| n.load(Ordering::Relaxed);
        Stats {
            a_to_b: get(&c.a_to_b),
            b_to_a: get(&c.b_to_a),
            dropped: get(&c.dropped),
            duplicated: get(&c.duplicated),
            reordered: get(&c.reordered),
            strays: get(&c.strays),
        }
    }

    /// Whether both pumps still run (they stop only on a socket error).
    pub fn is_running(&self) -> bool {
        self.pumps.iter().all(|p| !p.0.is_finished())
    }
}

/// One direction of the link.
struct Pump {
    from: Arc<UdpSocket>,
    sender: SocketAddr,
    to: Arc<UdpSocket>,
    dest: SocketAddr,
    faults: watch::Receiver<Faults>,
    rng: SplitMix64,
    counters: Arc<Counters>,
    delivered: fn(&Counters) -> &AtomicU64,
}

impl Pump {
    async fn run(mut self) {
        let mut buf = vec![0u8; 64 * 1024];
        // Copies waiting out their delay; aborted with the pump.
        let mut waiting = JoinSet::new();
        loop {
            tokio::select! {
                received = self.from.recv_from(&mut buf) => {
                    let Ok((len, source)) = received else { return };
                    if source != self.sender {
                        bump(&self.counters.strays);
                        continue;
                    }
                    let faults = *self.faults.borrow();
                    if faults.cut || self.rng.chance(faults.drop) {
                        bump(&self.counters.dropped);
                        continue;
                    }
                    let copies = if self.rng.chance(faults.duplicate) {
                        bump(&self.counters.duplicated);
                        2
                    } else {
                        1
                    };
                    for _ in 0..copies {
                        let mut delay = self.rng.up_to(faults.jitter);
                        if self.rng.chance(faults.reorder) {
                            bump(&self.counters.reordered);
                            delay += Duration::from_millis(20) + self.rng.up_to(Duration::from_millis(40));
                        }
                        bump((self.delivered)(&self.counters));
                        if delay.is_zero() {
                            let _ = self.to.send_to(&buf[..len], self.dest).await;
                        } else {
                            let (to, dest, datagram) = (self.to.clone(), self.dest, buf[..len].to_vec());
                            waiting.spawn(async move {
                                tokio::time::sleep(delay).await;
                                let _ = to.send_to(&datagram, dest).await;
                            });
                        }
                    }
                }
                Some(_) = waiting.join_next(), if !waiting.is_empty() => {}
            }
        }
    }
}

/// A small deterministic generator (SplitMix64): the same seed gives the same faults.
#[derive(Clone, Debug)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// A duration from zero up to `max`, in whole microseconds.
    pub fn up_to(&mut self, max: Duration) -> Duration {
        let micros = u64::try_from(max.as_micros()).unwrap_or(u64::MAX);
        if micros == 0 {
            return Duration::ZERO;
        }
        Duration::from_micros(self.next_u64() % (micros + 1))
    }
}

struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn socket(ip: &str) -> UdpSocket {
        UdpSocket::bind(format!("{ip}:0")).await.expect("bind")
    }

    async fn recv(s: &UdpSocket) -> Option<Vec<u8>> {
        let mut buf = [0u8; 64];
        match tokio::time::timeout(Duration::from_millis(500), s.recv_from(&mut buf)).await {
            Ok(Ok((n, _))) => Some(buf[..n].to_vec()),
            _ => None,
        }
    }

    #[tokio::test]
    async fn a_perfect_link_carries_both_ways_between_the_families() {
        let (a, b) = (socket("[::1]").await, socket("127.0.0.1").await);
        let link = FaultyLink::start(a.local_addr().unwrap(), b.local_addr().unwrap(), 1)
            .await
            .expect("link");
        a.send_to(b"to b", link.b_as_seen_by_a()).await.unwrap();
        assert_eq!(recv(&b).await.as_deref(), Some(&b"to b"[..]));
        b.send_to(b"to a", link.a_as_seen_by_b()).await.unwrap();
        assert_eq!(recv(&a).await.as_deref(), Some(&b"to a"[..]));
        let stats = link.stats();
        assert_eq!((stats.a_to_b, stats.b_to_a, stats.dropped), (1, 1, 0));
    }

    #[tokio::test]
    async fn a_cut_link_carries_nothing_and_a_stranger_is_ignored() {
        let (a, b) = (socket("127.0.0.1").await, socket("127.0.0.1").await);
        let link = FaultyLink::start(a.local_addr().unwrap(), b.local_addr().unwrap(), 2)
            .await
            .expect("link");
        link.set(Faults::cut());
        a.send_to(b"lost", link.b_as_seen_by_a()).await.unwrap();
        assert_eq!(recv(&b).await, None);
        let stranger = socket("127.0.0.1").await;
        stranger
            .send_to(b"hello?", link.b_as_seen_by_a())
            .await
            .unwrap();
        link.set(Faults::none());
        a.send_to(b"back", link.b_as_seen_by_a()).await.unwrap();
        assert_eq!(recv(&b).await.as_deref(), Some(&b"back"[..]));
        let stats = link.stats();
        assert_eq!((stats.dropped, stats.strays, stats.a_to_b), (1, 1, 1));
    }

    #[tokio::test]
    async fn duplicates_arrive_twice() {
        let (a, b) = (socket("127.0.0.1").await, socket("127.0.0.1").await);
        let link = FaultyLink::start(a.local_addr().unwrap(), b.local_addr().unwrap(), 3)
            .await
            .expect("link");
        link.set(Faults {
            duplicate: 1.0,
            ..Faults::none()
        });
        a.send_to(b"twice", link.b_as_seen_by_a()).await.unwrap();
        assert_eq!(recv(&b).await.as_deref(), Some(&b"twice"[..]));
        assert_eq!(recv(&b).await.as_deref(), Some(&b"twice"[..]));
        assert_eq!(link.stats().duplicated, 1);
    }

    #[test]
    fn the_generator_is_deterministic_and_roughly_fair() {
        let (mut x, mut y) = (SplitMix64(7), SplitMix64(7));
        assert!((0..100).all(|_| x.next_u64() == y.next_u64()));
        let hits = (0..10_000).filter(|_| x.chance(0.25)).count();
        assert!((2_000..3_000).contains(&hits), "{hits}");
        assert!(!x.chance(0.0));
        assert!((0..1000).all(|_| x.up_to(Duration::from_millis(5)) <= Duration::from_millis(5)));
    }
}
