//! An unpaired endpoint that dials a device's sync protocol receives no journal byte.

mod support;

use std::time::Duration;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_is_closed_before_any_journal_byte() {
    let dir = tempfile::tempdir().expect("dir");
    let ada = create(dir.path(), "Ada", local()).await;
    write(&ada, "only for Ben").await;
    let addr = support::raw::addr_of(&ada).await;
    let stranger = iroh::Endpoint::builder(iroh::endpoint::presets::Minimal)
        .clear_ip_transports()
        .bind_addr((std::net::Ipv4Addr::LOCALHOST, 0))
        .expect("addr")
        .bind()
        .await
        .expect("bind");
    let conn = stranger
        .connect(addr, hearth_net::SYNC_ALPN)
        .await
        .expect("the TLS handshake completes");
    let mut received = Vec::new();
    if let Ok((mut send, mut recv)) = conn.open_bi().await {
        let _ = send.write_all(&[1u8; 33]).await;
        if let Ok(bytes) = recv.read_to_end(1 << 20).await {
            received = bytes;
        }
    }
    assert!(
        received.is_empty(),
        "the stranger read {} bytes",
        received.len()
    );
    match tokio::time::timeout(Duration::from_secs(5), conn.closed())
        .await
        .expect("closed")
    {
        iroh::endpoint::ConnectionError::ApplicationClosed(close) => {
            assert_eq!(close.error_code, 403u32.into())
        }
        other => panic!("closed for another reason: {other:?}"),
    }
    ada.shutdown().await;
}
