//! Through a relay only: an in-process iroh relay, and no direct IP transport on either device.

mod support;

use hearth::Route;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_works_through_the_relay_and_presence_says_relayed() {
    let (_map, url, _relay) = iroh::test_utils::run_relay_server().await.expect("relay");
    let url = url.to_string();
    let (da, db) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let ada = create(da.path(), "Ada", relayed(&url)).await;
    let ben = create(db.path(), "Ben", relayed(&url)).await;
    write(&ada, "sent the long way round").await;
    pair(&ada, &ben).await;
    assert!(
        eventually(30, async || texts(&ben).await
            == vec!["sent the long way round"])
        .await,
        "{:?}",
        texts(&ben).await
    );
    write(&ben, "and back again").await;
    assert!(
        eventually(30, async || texts(&ada).await.len() == 2).await,
        "{:?}",
        texts(&ada).await
    );
    for h in [&ada, &ben] {
        let status = h.status().await.expect("status");
        let device = &status.partner_devices[0];
        assert!(device.online);
        assert_eq!(device.route, Some(Route::Relayed));
    }
    ada.shutdown().await;
    ben.shutdown().await;
}
