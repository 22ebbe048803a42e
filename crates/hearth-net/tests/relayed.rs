//! Two devices that can reach each other only through a relay (an in-process iroh relay, with
//! every direct IP transport cleared on both sides) still pair and sync, and say "relayed".

mod support;

use hearth_net::{NetworkMode, Path};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pairing_and_sync_through_a_relay_only() {
    let (_map, url, _relay) = iroh::test_utils::run_relay_server()
        .await
        .expect("relay starts");
    let relayed = || {
        let mut config = loopback_config();
        config.mode = NetworkMode::CustomRelay(url.clone());
        config.relay_only = true;
        config.bind = None;
        config.insecure_relay_tls = true;
        config
    };
    let (ada, ben) = (Device::founder("ada"), Device::newcomer("ben"));
    ada.write(1, "over the relay");
    let na = hearth_net::Node::spawn(relayed(), ada.clone())
        .await
        .expect("node");
    let nb = hearth_net::Node::spawn(relayed(), ben.clone())
        .await
        .expect("node");
    assert!(
        na.addr().ip_addrs().next().is_none(),
        "no direct address at all"
    );
    pair(&na, &nb).await;
    assert!(
        eventually(30, || ben.texts() == vec!["over the relay"]).await,
        "ben got {:?}",
        ben.texts()
    );
    ben.write(2, "and back");
    nb.local_change();
    assert!(
        eventually(30, || ada.texts().len() == 2).await,
        "ada got {:?}",
        ada.texts()
    );
    let status = na.status();
    let seen = status.get(&nb.id()).expect("ben is known");
    assert!(seen.online);
    assert_eq!(seen.path, Some(Path::Relayed));
    na.shutdown().await;
    nb.shutdown().await;
}
