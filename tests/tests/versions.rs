//! A device of the journal that has not been updated (it speaks the sync protocol from before key
//! epochs) is recognised, and its person's partner is told which device to update.

mod support;

use std::time::Duration;

use hearth::{Event, Warning};
use iroh::endpoint::presets;
use iroh::{Endpoint, SecretKey};
use support::raw::{addr_of, close_code, endpoint_with, pair_as_joiner};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_not_yet_updated_is_named_for_updating() {
    let dir = tempfile::tempdir().expect("dir");
    let ada = create(dir.path(), "Ada", local()).await;
    let mut events = ada.events();

    // Ben's phone pairs (as today's version does), then runs its old sync protocol.
    let secret = SecretKey::generate();
    let pairing = endpoint_with(secret.clone(), None).await;
    let (ticket, invitation) = ada.invite(None).await.expect("invite");
    let _ = tokio::join!(
        pair_as_joiner(&pairing, &ticket, "ben", "Ben"),
        drive(invitation)
    );
    pairing.close().await;
    let old = Endpoint::builder(presets::Minimal)
        .secret_key(secret)
        .clear_ip_transports()
        .bind_addr((std::net::Ipv4Addr::LOCALHOST, 0))
        .expect("loopback")
        .alpns(vec![hearth_net::OLD_SYNC_ALPN.to_vec()])
        .bind()
        .await
        .expect("bind");
    let conn = old
        .connect(addr_of(&ada).await, hearth_net::OLD_SYNC_ALPN)
        .await
        .expect("the old protocol is still accepted, to say why not");
    assert_eq!(close_code(&conn, 10).await, Some(426));

    let told = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Ok(Event::Warning(Warning::VersionMismatch {
                device,
                update_here,
            })) = events.recv().await
            {
                return (device, update_here);
            }
        }
    })
    .await
    .expect("Ada's device says so");
    assert_eq!(told.0.to_string(), old.id().to_string());
    assert!(!told.1, "the update is due on Ben's phone, not here");
    let status = ada.status().await.expect("status");
    let ben = status
        .members
        .iter()
        .flat_map(|m| &m.devices)
        .find(|d| d.id == told.0)
        .expect("Ben's phone is a device of the journal");
    assert!(ben.needs_update, "{status:#?}");
    assert!(!status.update_this_device);
    ada.shutdown().await;
    old.close().await;
}
