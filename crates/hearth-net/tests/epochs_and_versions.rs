//! Sessions under key epochs, and devices of another protocol version told to update.

mod support;

use std::time::Duration;

use hearth_crypto::JournalKey;
use hearth_net::{NetEvent, Outdated};
use support::*;

/// Two nodes that know each other as paired, without pairing (their keys are the test's).
async fn known_to_each_other(
    ada: &std::sync::Arc<Device>,
    ben: &std::sync::Arc<Device>,
) -> (hearth_net::Node, hearth_net::Node) {
    let (na, nb) = (node(ada).await, node(ben).await);
    ada.paired
        .lock()
        .unwrap()
        .insert(nb.id(), nb.addr().addrs.into_iter().collect());
    ben.paired
        .lock()
        .unwrap()
        .insert(na.id(), na.addr().addrs.into_iter().collect());
    (na, nb)
}

async fn version_mismatch(
    events: &mut tokio::sync::broadcast::Receiver<NetEvent>,
) -> (hearth_net::EndpointId, Outdated) {
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            if let Ok(NetEvent::VersionMismatch { peer, outdated }) = events.recv().await {
                return (peer, outdated);
            }
        }
    })
    .await
    .expect("the version mismatch is reported")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_on_a_newer_epoch_syncs_with_one_still_on_the_older() {
    let ada = Device::founder("ada");
    let ben = Device::newcomer("ben");
    let (na, nb) = (node(&ada).await, node(&ben).await);
    pair(&na, &nb).await;
    ada.write(1, "on epoch zero");
    na.local_change();
    assert!(eventually(20, || ben.texts().len() == 1).await);

    // Ada holds the key of epoch 1 now; Ben has not received it yet.
    ada.later_keys
        .lock()
        .unwrap()
        .insert(1, JournalKey::from_bytes([0x51; 32]));
    na.local_change();
    ada.write(2, "while ben is still on epoch zero");
    na.local_change();
    assert!(
        eventually(20, || ben.texts().len() == 2).await,
        "ben got {:?}",
        ben.texts()
    );
    na.shutdown().await;
    nb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_on_a_newer_epoch_seal_under_its_key() {
    // Both hold the key of epoch 1, and their keys of epoch 0 differ: a session can only work
    // if it runs under epoch 1.
    let ada = Device::founder("ada");
    let ben = Device::newcomer("ben");
    let new_key = JournalKey::from_bytes([0x61; 32]);
    for (device, old) in [(&ada, 0x01), (&ben, 0x02)] {
        *device.key.lock().unwrap() = Some(JournalKey::from_bytes([old; 32]));
        device.later_keys.lock().unwrap().insert(1, new_key.clone());
    }
    let (na, nb) = known_to_each_other(&ada, &ben).await;
    ada.write(3, "sealed under epoch one");
    na.dial_now();
    assert!(
        eventually(20, || ben.texts() == vec!["sealed under epoch one"]).await,
        "ben got {:?}",
        ben.texts()
    );
    na.shutdown().await;
    nb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_speaking_the_older_protocol_is_told_to_update_both_ways() {
    let ada = Device::founder("ada");
    let na = node(&ada).await;
    let mut events = na.events();
    // A device of the journal still running the Hearth before key epochs: its endpoint speaks
    // only `hearth/sync/1`.
    let old = iroh::Endpoint::builder(iroh::endpoint::presets::Minimal)
        .clear_ip_transports()
        .bind_addr((std::net::Ipv4Addr::LOCALHOST, 0))
        .expect("addr")
        .alpns(vec![hearth_net::OLD_SYNC_ALPN.to_vec()])
        .bind()
        .await
        .expect("bind");
    ada.paired
        .lock()
        .unwrap()
        .insert(old.id(), old.addr().addrs.into_iter().collect());

    // It dials Ada: she closes with the reason, and tells her person.
    let conn = old
        .connect(na.addr(), hearth_net::OLD_SYNC_ALPN)
        .await
        .expect("the older protocol is still accepted, to say why not");
    assert_eq!(close_code(&conn).await, Some(426));
    assert_eq!(
        version_mismatch(&mut events).await,
        (old.id(), Outdated::Peer)
    );

    // Ada dials it: it answers in the older protocol, and she tells her person again.
    let accepting = tokio::spawn({
        let old = old.clone();
        async move {
            let incoming = old.accept().await.expect("a dial");
            let conn = incoming.await.expect("handshake");
            (conn.alpn().to_vec(), close_code(&conn).await)
        }
    });
    na.dial_now();
    assert_eq!(
        version_mismatch(&mut events).await,
        (old.id(), Outdated::Peer)
    );
    let (alpn, code) = accepting.await.expect("accepted");
    assert_eq!(alpn, hearth_net::OLD_SYNC_ALPN);
    assert_eq!(code, Some(426));
    na.shutdown().await;
    old.close().await;
}

async fn close_code(conn: &iroh::endpoint::Connection) -> Option<u64> {
    match tokio::time::timeout(Duration::from_secs(10), conn.closed()).await {
        Ok(iroh::endpoint::ConnectionError::ApplicationClosed(close)) => {
            Some(close.error_code.into_inner())
        }
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_that_made_different_keys_of_one_epoch_meet_under_the_newest_they_share() {
    // Each made a key of epoch 1 while apart: the two keys differ, and the session runs under
    // epoch 0, which both hold alike.
    let ada = Device::founder("ada");
    let ben = Device::newcomer("ben");
    *ben.key.lock().unwrap() = ada.key.lock().unwrap().clone();
    for (device, made) in [(&ada, 0x71), (&ben, 0x72)] {
        device
            .later_keys
            .lock()
            .unwrap()
            .insert(1, JournalKey::from_bytes([made; 32]));
    }
    let (na, nb) = known_to_each_other(&ada, &ben).await;
    ada.write(4, "met under the key both hold");
    na.dial_now();
    assert!(
        eventually(20, || ben.texts() == vec!["met under the key both hold"]).await,
        "ben got {:?}",
        ben.texts()
    );
    na.shutdown().await;
    nb.shutdown().await;
}
