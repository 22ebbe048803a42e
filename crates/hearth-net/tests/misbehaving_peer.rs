//! A paired device that sends what it never should is disconnected; the journal stays as it was.

#[path = "../../hearth-journal/tests/support/crafted.rs"]
mod crafted;
mod support;

use std::time::Duration;

use crafted::{bloom, sync_message_with_bloom};
use hearth_crypto::JournalKey;
use hearth_crypto::frame;
use hearth_net::{Misbehaviour, NetEvent};
use iroh::endpoint::{ConnectionError, presets};
use support::*;

/// Session message kinds inside a frame (docs/protocol.md, "Sync session").
const LAST_PART: u8 = 2;

/// A device that completed pairing with Ada but runs its own, broken code.
struct Rogue {
    endpoint: iroh::Endpoint,
}

impl Rogue {
    /// A rogue device that `device` counts as paired.
    async fn paired_with(device: &Device) -> Rogue {
        let rogue = Rogue::new().await;
        device
            .paired
            .lock()
            .unwrap()
            .insert(rogue.endpoint.id(), vec![]);
        rogue
    }

    async fn new() -> Rogue {
        let endpoint = iroh::Endpoint::builder(presets::Minimal)
            .secret_key(iroh::SecretKey::from_bytes(&[0x77; 32]))
            .clear_ip_transports()
            .bind_addr((std::net::Ipv4Addr::LOCALHOST, 0))
            .expect("addr")
            .bind()
            .await
            .expect("bind");
        Rogue { endpoint }
    }

    /// Connects, says hello, and sends one frame made by `make` from the session's sealer.
    async fn send(
        &self,
        to: &hearth_net::Node,
        make: impl FnOnce(&mut frame::FrameSealer) -> Vec<u8>,
    ) -> ConnectionError {
        let conn = self
            .endpoint
            .connect(to.addr(), hearth_net::SYNC_ALPN)
            .await
            .expect("connect");
        let (mut send, mut recv) = conn.open_bi().await.expect("stream");
        let nonce = [9u8; 32];
        let key = JournalKey::from_bytes([0x42; 32]);
        // Version 2, holding the key of epoch 0 alone, and the nonce.
        let mut hello = vec![2u8, 1, 0, 0, 0, 0];
        hello.extend_from_slice(&frame::key_check(&key, 0));
        hello.extend_from_slice(&nonce);
        send.write_all(&hello).await.expect("hello");
        let mut theirs = [0u8; 2 + 12 + 32];
        recv.read_exact(&mut theirs).await.expect("their hello");
        let their_nonce: [u8; 32] = theirs[14..].try_into().expect("32 bytes");
        let (mut sealer, _) = frame::session(
            &key,
            0,
            *self.endpoint.id().as_bytes(),
            nonce,
            *to.id().as_bytes(),
            their_nonce,
        )
        .expect("session");
        let bytes = make(&mut sealer);
        send.write_all(&bytes).await.expect("frame");
        tokio::time::timeout(Duration::from_secs(10), conn.closed())
            .await
            .expect("disconnected in time")
    }
}

async fn misbehaviour(events: &mut tokio::sync::broadcast::Receiver<NetEvent>) -> Misbehaviour {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Ok(NetEvent::Misbehaved { what, .. }) = events.recv().await {
                return what;
            }
        }
    })
    .await
    .expect("the misbehaviour is reported")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_frame_disconnects_the_peer() {
    let ada = Device::founder("ada");
    ada.write(1, "kept safe");
    let na = node(&ada).await;
    let rogue = Rogue::paired_with(&ada).await;
    let mut events = na.events();
    let before = ada.texts();

    let closed = rogue
        .send(&na, |sealer| {
            let mut frame = sealer.seal(&[LAST_PART, 1, 2, 3]).expect("seal");
            let last = frame.len() - 1;
            frame[last] ^= 0x01;
            frame
        })
        .await;
    assert!(
        matches!(closed, ConnectionError::ApplicationClosed(ref c) if c.error_code == 2u32.into()),
        "{closed:?}"
    );
    assert_eq!(misbehaviour(&mut events).await, Misbehaviour::BadFrame);
    assert_eq!(ada.texts(), before);
    na.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malicious_bloom_filter_disconnects_the_peer_and_nothing_crashes() {
    let ada = Device::founder("ada");
    ada.write(1, "kept safe");
    let na = node(&ada).await;
    let rogue = Rogue::paired_with(&ada).await;
    let mut events = na.events();
    let before = ada.texts();

    // A sync message whose Bloom filter has zero bits per entry: unchecked, Automerge's next
    // generate would divide by zero.
    let message = sync_message_with_bloom(&bloom(1, 0, 7, 0));

    let closed = rogue
        .send(&na, |sealer| {
            let mut plain = vec![LAST_PART];
            plain.extend_from_slice(&message);
            sealer.seal(&plain).expect("seal")
        })
        .await;
    assert!(
        matches!(closed, ConnectionError::ApplicationClosed(ref c) if c.error_code == 2u32.into()),
        "{closed:?}"
    );
    assert_eq!(
        misbehaviour(&mut events).await,
        Misbehaviour::BadSyncMessage
    );
    assert_eq!(ada.texts(), before);

    // The device is still fine: a real partner pairs and syncs.
    let ben = Device::newcomer("ben");
    let nb = node(&ben).await;
    pair(&na, &nb).await;
    assert!(
        eventually(20, || ben.texts() == before).await,
        "ben got {:?}",
        ben.texts()
    );
    na.shutdown().await;
    nb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_unpaired_while_it_holds_back_its_hello_is_not_admitted() {
    let ada = Device::founder("ada");
    ada.write(1, "written before the removal");
    let na = node(&ada).await;
    let rogue = Rogue::paired_with(&ada).await;
    let mut events = na.events();

    // Paired at the door: the connection and its stream are accepted, and Ada says hello.
    let conn = rogue
        .endpoint
        .connect(na.addr(), hearth_net::SYNC_ALPN)
        .await
        .expect("connect");
    let (mut send, mut recv) = conn.open_bi().await.expect("stream");
    // The first byte of its hello opens the stream; the rest waits.
    send.write_all(&[2u8])
        .await
        .expect("the hello's first byte");
    let mut theirs = [0u8; 2 + 12 + 32];
    recv.read_exact(&mut theirs).await.expect("ada's hello");

    // Removed while its own hello is held back.
    ada.paired.lock().unwrap().remove(&rogue.endpoint.id());
    na.forget(&rogue.endpoint.id());

    let mut rest = vec![1u8, 0, 0, 0, 0];
    rest.extend_from_slice(&hearth_crypto::frame::key_check(
        &JournalKey::from_bytes([0x42; 32]),
        0,
    ));
    rest.extend_from_slice(&[9u8; 32]);
    send.write_all(&rest).await.expect("the rest of the hello");
    let closed = tokio::time::timeout(Duration::from_secs(10), conn.closed())
        .await
        .expect("turned away instead of admitted");
    assert!(
        matches!(closed, ConnectionError::ApplicationClosed(ref c) if c.error_code == 403u32.into()),
        "{closed:?}"
    );
    let mut went_online = false;
    while let Ok(event) = events.try_recv() {
        went_online |=
            matches!(event, NetEvent::PeerOnline { peer, .. } if peer == rogue.endpoint.id());
    }
    assert!(!went_online, "the removed device was never online");
    assert!(
        ada.live.lock().unwrap().is_empty(),
        "no sync session was started for it"
    );
    na.shutdown().await;
}
