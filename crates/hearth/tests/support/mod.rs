//! Helpers for the facade's tests: real stores in temporary directories, real nodes on loopback.
#![allow(dead_code)]

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use hearth::{Hearth, KdfParams, NetworkMode, Options, PairingEvent, PairingHandle, Passphrase};

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

/// Confirms the short string when it shows and waits for `Paired`; returns the digits shown.
pub async fn drive(mut handle: PairingHandle) -> String {
    let mut digits = None;
    loop {
        match tokio::time::timeout(Duration::from_secs(60), handle.next())
            .await
            .expect("pairing stalls")
        {
            Some(PairingEvent::Compare(sas)) => {
                digits = Some(sas.digits());
                handle.confirm(true);
            }
            Some(PairingEvent::Paired { .. }) => return digits.expect("compared before paired"),
            Some(PairingEvent::Failed(why)) => panic!("pairing failed: {why}"),
            Some(_) => {}
            None => panic!("pairing ended without an outcome"),
        }
    }
}

/// Pairs `joiner` with an invitation of `inviter`, both people confirming equal strings.
pub async fn pair(inviter: &Hearth, joiner: &Hearth) {
    let (ticket, invitation) = inviter.invite().await.expect("invite");
    let joining = joiner
        .join(&ticket.to_text())
        .expect("join with the ticket text");
    let (a, b) = tokio::join!(drive(invitation), drive(joining));
    assert_eq!(a, b, "both screens show the same digits");
}

/// Syncs until both sides agree (each side's view), generously bounded.
pub async fn sync(a: &Hearth, b: &Hearth) {
    let timeout = Duration::from_secs(60);
    let (x, y) = tokio::join!(a.sync_now(timeout), b.sync_now(timeout));
    x.expect("first device syncs");
    y.expect("second device syncs");
}

/// The main texts of the timeline, newest first.
pub fn texts(h: &Hearth) -> Vec<String> {
    h.timeline(&hearth::Filter::default(), None, usize::MAX)
        .items
        .iter()
        .map(|i| i.entry.content.main_text())
        .collect()
}
