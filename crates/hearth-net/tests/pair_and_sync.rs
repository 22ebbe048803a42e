//! Two nodes on loopback: pairing, then live sync; a stranger at the door.

mod support;

use std::time::Duration;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pair_then_sync_live() {
    let ada = Device::founder("ada");
    let ben = Device::newcomer("ben");
    ada.write(1, "before pairing");
    let (na, nb) = (node(&ada).await, node(&ben).await);
    pair(&na, &nb).await;

    assert!(
        eventually(20, || ben.texts() == vec!["before pairing"]).await,
        "ben got {:?}",
        ben.texts()
    );
    ada.write(2, "live from ada");
    na.local_change();
    assert!(
        eventually(20, || ben.texts().len() == 2).await,
        "ben got {:?}",
        ben.texts()
    );
    ben.write(3, "live from ben");
    nb.local_change();
    assert!(
        eventually(20, || ada.texts().len() == 3).await,
        "ada got {:?}",
        ada.texts()
    );
    assert_eq!(ada.texts(), ben.texts());
    let status = na.status();
    let seen = status.get(&nb.id()).expect("ben is known");
    assert!(seen.online);
    assert_eq!(seen.path, Some(hearth_net::Path::Lan));
    assert!(seen.messages_received > 0 && seen.bytes_received > 0);
    na.shutdown().await;
    nb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_receives_no_journal_bytes() {
    let ada = Device::founder("ada");
    ada.write(1, "secret words");
    let na = node(&ada).await;
    let mut events = na.events();
    let stranger = iroh::Endpoint::builder(iroh::endpoint::presets::Minimal)
        .clear_ip_transports()
        .bind_addr((std::net::Ipv4Addr::LOCALHOST, 0))
        .expect("addr")
        .bind()
        .await
        .expect("bind");
    let conn = stranger
        .connect(na.addr(), hearth_net::SYNC_ALPN)
        .await
        .expect("TLS completes");
    let received = async {
        let (mut send, mut recv) = conn.open_bi().await?;
        send.write_all(&[1u8; 33]).await?;
        let bytes = recv.read_to_end(1 << 20).await?;
        Ok::<_, Box<dyn std::error::Error>>(bytes)
    }
    .await;
    assert!(received.is_err(), "the stranger read {:?}", received.ok());
    match tokio::time::timeout(Duration::from_secs(5), conn.closed())
        .await
        .expect("closed")
    {
        iroh::endpoint::ConnectionError::ApplicationClosed(close) => {
            assert_eq!(close.error_code, 403u32.into())
        }
        other => panic!("closed for another reason: {other:?}"),
    }
    let refused = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let Ok(hearth_net::NetEvent::StrangerRefused { peer }) = events.recv().await {
                return peer;
            }
        }
    })
    .await
    .expect("a refusal is reported");
    assert_eq!(refused, stranger.id());
    na.shutdown().await;
}
