//! Devices for the end-to-end tests: real stores in temporary directories, real iroh nodes on
//! loopback, driven only through the facade.
#![allow(dead_code)]

#[path = "../../../crates/hearth/tests/support/pairing.rs"]
mod pairing;
#[allow(unused_imports)]
pub use pairing::{drive, pair, pair_for};

pub mod raw;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use hearth::{Content, Draft, Filter, Hearth, KdfParams, NetworkMode, Options, Passphrase};

pub fn passphrase() -> Passphrase {
    Passphrase::new("a long walk by the river")
}

/// A device on loopback with relays and mDNS off.
pub fn local() -> Options {
    Options {
        network: Some(NetworkMode::Local),
        bind: Some(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))),
        mdns: false,
        kdf: KdfParams::insecure_fast_for_tests(),
        ..Options::default()
    }
}

/// A device that reaches others only through the relay at `url`.
pub fn relayed(url: &str) -> Options {
    Options {
        network: Some(NetworkMode::CustomRelay(url.parse().expect("a relay URL"))),
        bind: None,
        relay_only: true,
        insecure_relay_tls: true,
        ..local()
    }
}

pub async fn create(dir: &Path, name: &str, options: Options) -> Hearth {
    Hearth::create(dir, &passphrase(), name, options)
        .await
        .expect("create")
}

pub async fn open(dir: &Path, options: Options) -> Hearth {
    Hearth::open(dir, &passphrase(), options)
        .await
        .expect("open")
}

pub async fn write(h: &Hearth, text: &str) -> hearth::EntryId {
    h.write(Draft::shared(Content::Journal { body: text.into() }))
        .await
        .expect("write")
}

/// The shared timeline's texts, newest first.
pub async fn texts(h: &Hearth) -> Vec<String> {
    let mut t: Vec<String> = h
        .timeline(&Filter::default(), None, usize::MAX)
        .await
        .expect("the timeline")
        .items
        .iter()
        .map(|i| i.entry.content.main_text())
        .collect();
    t.sort();
    t
}

/// Waits up to `secs` seconds for `check`.
pub async fn eventually(secs: u64, mut check: impl AsyncFnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while tokio::time::Instant::now() < deadline {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    check().await
}

/// A device on one loopback address family only (`127.0.0.1` or `::1`): two devices on
/// different families cannot reach each other except through a proxy with a socket in each.
pub fn on_loopback(ip: std::net::IpAddr) -> Options {
    Options {
        bind: Some(SocketAddr::new(ip, 0)),
        ..local()
    }
}

/// The one socket address the device is bound to.
pub async fn bound_addr(h: &Hearth) -> SocketAddr {
    let addrs: Vec<SocketAddr> = h.status().await.expect("status").addresses;
    assert_eq!(addrs.len(), 1, "one bound address: {addrs:?}");
    addrs[0]
}

/// Pairs the two devices in person, the joiner reaching the inviter at `inviter_at` (a proxy, say)
/// instead of the addresses the inviter put in its ticket.
pub async fn pair_via(inviter: &Hearth, joiner: &Hearth, inviter_at: SocketAddr) {
    let (ticket, invitation) = inviter.invite(None).await.expect("invite");
    let redirected = hearth::Ticket::with_expiry(
        *ticket.endpoint_id(),
        None,
        vec![inviter_at],
        ticket.secret().clone(),
        ticket.expires_at_ms(),
    )
    .expect("ticket");
    let joining = joiner.join(&redirected.to_text()).await.expect("join");
    let (a, b) = tokio::join!(drive(invitation), drive(joining));
    assert_eq!(a, b, "both screens show the same digits");
}

/// Now, as the pairing protocol writes time (unsigned milliseconds since the Unix epoch).
pub fn now_ms() -> u64 {
    hearth::UnixMs::now().as_unsigned_millis()
}

/// Ben writes a note that must reach Ada, then Ada one that must reach Ben, each within `secs`:
/// proof that the two keep syncing while something else goes on.
pub async fn round_trip(ada: &Hearth, ben: &Hearth, during: &str, n: usize) {
    const SECS: u64 = 60;
    let from_ben = format!("from Ben {during}, {n}");
    write(ben, &from_ben).await;
    assert!(
        eventually(SECS, async || texts(ada).await.contains(&from_ben)).await,
        "Ada did not receive {from_ben:?} within {SECS} s"
    );
    let from_ada = format!("from Ada {during}, {n}");
    write(ada, &from_ada).await;
    assert!(
        eventually(SECS, async || texts(ben).await.contains(&from_ada)).await,
        "Ben did not receive {from_ada:?} within {SECS} s"
    );
}

/// A device opened without its network: it reaches nobody live.
pub fn offline() -> Options {
    Options {
        start_network: false,
        ..local()
    }
}

pub async fn has(h: &Hearth, text: &str) -> bool {
    texts(h).await.iter().any(|t| t == text)
}

/// Every file under `dir`, with its bytes.
pub fn files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let path = e.expect("entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read");
                out.push((path, bytes));
            }
        }
    }
    out
}

/// The morning after Ada left `night_note` in the one mailbox the two share: Ben's device, never
/// online with hers, picks it up and leaves an answer; that evening Ada's has it. Returns Ada's
/// device, still open.
pub async fn morning_and_evening(ada_dir: &Path, ben_dir: &Path, night_note: &str) -> Hearth {
    let ben = open(ben_dir, offline()).await;
    let exchanged = ben.exchange_with_mailboxes().await.expect("exchange");
    assert_eq!(exchanged.len(), 1);
    assert_eq!(exchanged[0].error, None);
    assert_eq!(exchanged[0].picked_up_from.len(), 1, "{exchanged:?}");
    assert!(has(&ben, night_note).await);
    write(&ben, "good morning from Ben").await;
    let exchanged = ben.exchange_with_mailboxes().await.expect("exchange");
    assert!(exchanged[0].delivered, "{exchanged:?}");
    ben.shutdown().await;

    let ada = open(ada_dir, offline()).await;
    ada.exchange_with_mailboxes().await.expect("exchange");
    assert!(has(&ada, "good morning from Ben").await);
    ada
}
