//! Helpers for the facade's tests: real stores in temporary directories, real nodes on loopback.
#![allow(dead_code)]

mod pairing;
#[allow(unused_imports)]
pub use pairing::{drive, pair};

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use hearth::{Hearth, KdfParams, NetworkMode, Options, Passphrase};

pub const PASSPHRASE: &str = "correct horse battery staple";

pub fn passphrase() -> Passphrase {
    Passphrase::new(PASSPHRASE)
}

/// Options for a test: fast key derivation, LAN-only on loopback, no mDNS.
pub fn options(network: bool) -> Options {
    Options {
        network: Some(NetworkMode::Local),
        bind: Some(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))),
        mdns: false,
        kdf: KdfParams::insecure_fast_for_tests(),
        start_network: network,
        ..Options::default()
    }
}

pub async fn create(dir: &std::path::Path, name: &str, network: bool) -> Hearth {
    Hearth::create(dir, &passphrase(), name, options(network))
        .await
        .expect("create a journal")
}

pub async fn open(dir: &std::path::Path, network: bool) -> Hearth {
    Hearth::open(dir, &passphrase(), options(network))
        .await
        .expect("open the journal")
}

/// Syncs until both sides agree (each side's view), generously bounded.
pub async fn sync(a: &Hearth, b: &Hearth) {
    let timeout = Duration::from_secs(60);
    let (x, y) = tokio::join!(a.sync_now(timeout), b.sync_now(timeout));
    x.expect("first device syncs");
    y.expect("second device syncs");
}

/// The main texts of the timeline, newest first.
pub async fn texts(h: &Hearth) -> Vec<String> {
    h.timeline(&hearth::Filter::default(), None, usize::MAX)
        .await
        .expect("the timeline")
        .items
        .iter()
        .map(|i| i.entry.content.main_text())
        .collect()
}
