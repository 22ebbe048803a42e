//! A flaky link through a router: every packet it forwards may be lost, is delayed, and some
//! overtake others.
//!
//! Where the kernel has netem (the `sch_netem` queueing discipline), the router's two interfaces
//! each get one, so each direction is impaired once. Where it has not (some virtual machines'
//! kernels leave it out), the router hands every packet it would forward to this process instead:
//! a policy route sends what arrives on its LAN interfaces into a TUN device, a thread in the
//! router's namespace reads each packet there, drops, delays or hurries it with the same odds as
//! netem would, and writes it back, and the kernel forwards it on by its destination. Either way
//! the devices see a real lossy, slow, reordering path, at the level of IP packets.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{Net, output};

/// The link's faults.
#[derive(Clone, Copy, Debug)]
pub struct Faults {
    /// The share of packets lost, in percent.
    pub loss: u32,
    /// How long each packet that is not hurried waits.
    pub delay: Duration,
    /// The share of packets sent on at once instead (so they overtake the delayed ones), in
    /// percent.
    pub reorder: u32,
}

/// A router's impairment, removed with it (or when dropped).
pub struct Impairment {
    /// What makes it: "netem", or "a TUN device" (the harness's own forwarder).
    pub how: &'static str,
    stop: Arc<AtomicBool>,
    worker: Option<JoinHandle<()>>,
    /// Packets dropped and forwarded so far (the forwarder's; netem keeps its own).
    pub dropped: Arc<AtomicU64>,
    pub forwarded: Arc<AtomicU64>,
}

impl Impairment {
    /// Impairs every packet `router` forwards between its interfaces `lans`.
    pub fn start(net: &Net, router: &str, lans: &[&str], faults: Faults) -> Impairment {
        let delay = format!("{}ms", faults.delay.as_millis());
        let loss = format!("{}%", faults.loss);
        let reorder = format!("{}%", faults.reorder);
        let netem = |dev: &str| {
            output(
                "ip",
                &[
                    "netns", "exec", router, "tc", "qdisc", "add", "dev", dev, "root", "netem",
                    "delay", &delay, "loss", &loss, "reorder", &reorder, "50%",
                ],
            )
            .status
            .success()
        };
        let stop = Arc::new(AtomicBool::new(false));
        let dropped = Arc::new(AtomicU64::new(0));
        let forwarded = Arc::new(AtomicU64::new(0));
        if lans.iter().all(|dev| netem(dev)) {
            return Impairment {
                how: "netem",
                stop,
                worker: None,
                dropped,
                forwarded,
            };
        }
        // No netem here: the forwarder on a TUN device.
        let (ready_tx, ready) = std::sync::mpsc::channel();
        let worker = {
            let (router, stop) = (router.to_owned(), stop.clone());
            let (dropped, forwarded) = (dropped.clone(), forwarded.clone());
            std::thread::spawn(move || {
                let device = match open_tun(&router) {
                    Ok(device) => device,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(()));
                forward(&device, faults, &stop, &dropped, &forwarded);
            })
        };
        if let Err(e) = ready.recv().expect("the forwarder starts") {
            panic!("cannot make the flaky link's TUN device: {e}");
        }
        // What arrives on a LAN goes to the forwarder; what it writes back comes in on the TUN
        // device, and is forwarded by the main table. (The local table comes first: the router's
        // own addresses still answer.)
        net.ip(
            router,
            &["route", "add", "default", "dev", "imp0", "table", "100"],
        );
        for lan in lans {
            net.ip(router, &["rule", "add", "iif", lan, "lookup", "100"]);
        }
        net.exec(router, "sysctl", &["-qw", "net.ipv4.conf.all.rp_filter=0"]);
        net.exec(router, "sysctl", &["-qw", "net.ipv4.conf.imp0.rp_filter=0"]);
        Impairment {
            how: "a TUN device (this kernel has no netem)",
            stop,
            worker: Some(worker),
            dropped,
            forwarded,
        }
    }
}

impl Drop for Impairment {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// Opens the TUN device `imp0` in `router`'s namespace, from this thread (which it moves there).
fn open_tun(router: &str) -> Result<tun::Device, String> {
    let ns = std::fs::File::open(format!("/run/netns/{router}"))
        .map_err(|e| format!("open the namespace {router}: {e}"))?;
    rustix::thread::move_into_link_name_space(
        ns.as_fd(),
        Some(rustix::thread::LinkNameSpaceType::Network),
    )
    .map_err(|e| format!("enter the namespace {router}: {e}"))?;
    let mut config = tun::Configuration::default();
    config.tun_name("imp0").mtu(1500).up();
    tun::create(&config).map_err(|e| format!("create the TUN device: {e}"))
}

/// The forwarder's loop: takes packets off the device, drops, delays or hurries each, and puts
/// each back when its time comes, until `stop`.
fn forward(
    device: &tun::Device,
    faults: Faults,
    stop: &AtomicBool,
    dropped: &AtomicU64,
    forwarded: &AtomicU64,
) {
    // Packets waiting, the earliest due first (ties in the order they came).
    let mut waiting: BinaryHeap<Reverse<(Instant, u64, Vec<u8>)>> = BinaryHeap::new();
    let mut odds = Odds(0x9e37_79b9_7f4a_7c15);
    let mut buf = vec![0u8; 65_536];
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let now = Instant::now();
        while waiting
            .peek()
            .is_some_and(|Reverse((due, _, _))| *due <= now)
        {
            if let Some(Reverse((_, _, packet))) = waiting.pop() {
                let _ = device.send(&packet);
                forwarded.fetch_add(1, Ordering::Relaxed);
            }
        }
        let wait = waiting
            .peek()
            .map_or(Duration::from_millis(20), |Reverse((due, _, _))| {
                due.saturating_duration_since(now)
            })
            .clamp(Duration::from_millis(1), Duration::from_millis(20));
        let Ok(len) = device.recv_timeout(&mut buf, wait) else {
            continue;
        };
        n += 1;
        if odds.percent() < faults.loss {
            dropped.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        let hurried = odds.percent() < faults.reorder;
        let due = if hurried {
            Instant::now()
        } else {
            Instant::now() + faults.delay
        };
        waiting.push(Reverse((due, n, buf[..len].to_vec())));
    }
}

/// A small, seeded source of odds (xorshift64*): the same run of faults each time.
struct Odds(u64);

impl Odds {
    /// A number from 0 to 99.
    fn percent(&mut self) -> u32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as u32 % 100
    }
}
