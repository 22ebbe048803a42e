//! `Node::shutdown` is ordered: when it returns, the live session has ended through `sync_end`,
//! and the peer's sync state is kept, even if the session was busy when the node stopped.

mod support;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use hearth_net::{EndpointId, Node};
use support::*;

/// Ada and Ben, paired and in sync; then Ada is made slow to take a sync message, and Ben sends
/// her one. Returns once Ada has started taking it.
///
/// Only one device dials, so Ada's session is known: the one her dialer opened (`dialed`), or the
/// one her router accepted from Ben's dialer.
async fn ada_busy(dialed: bool) -> (Arc<Device>, Node, Arc<Device>, Node) {
    let ada = Device::founder("ada");
    let ben = Device::newcomer("ben");
    let not_dialing = if dialed { &ben } else { &ada };
    not_dialing.no_dial.store(true, Ordering::SeqCst);
    ada.write(1, "before pairing");
    let (na, nb) = (node(&ada).await, node(&ben).await);
    pair(&na, &nb).await;
    assert!(
        eventually(20, || ben.texts() == vec!["before pairing"]).await,
        "ben got {:?}",
        ben.texts()
    );
    assert!(
        eventually(20, || {
            na.status().get(&nb.id()).is_some_and(|s| s.online)
                && nb.status().get(&na.id()).is_some_and(|s| s.online)
        })
        .await,
        "both devices see each other online"
    );

    *ada.receive_delay.lock().unwrap() = Duration::from_millis(1500);
    ben.write(2, "while ada is busy");
    nb.local_change();
    assert!(
        eventually(20, || ada.delayed_receives.load(Ordering::SeqCst) > 0).await,
        "ben's change reaches ada"
    );
    // Sessions that ended before (a duplicate at the start, say) are not what is tested.
    ada.ended.lock().unwrap().clear();
    (ada, na, ben, nb)
}

/// The sync state `sync_end` kept for `peer`, once it has returned; panics if it was not called.
fn kept_at_end(device: &Device, peer: &EndpointId) -> Vec<u8> {
    let ended = device.ended.lock().unwrap().clone();
    let kept = ended
        .iter()
        .find_map(|(p, kept)| (p == peer).then_some(kept.clone()))
        .expect("sync_end was called for the peer, and has returned");
    let kept = kept.expect("sync_end found the session's live state");
    assert!(
        !device.live.lock().unwrap().contains_key(peer),
        "no sync state is left in flight"
    );
    assert_eq!(
        device.states.lock().unwrap().get(peer),
        Some(&kept),
        "the state sync_end kept is the state saved"
    );
    kept
}

async fn shutdown_while_busy(dialed: bool) {
    let (ada, na, _ben, nb) = ada_busy(dialed).await;
    tokio::time::timeout(Duration::from_secs(30), na.shutdown())
        .await
        .expect("shutdown finishes");
    // Checked right away: all of it happened before shutdown returned.
    kept_at_end(&ada, &nb.id());
    // The message being taken when the node stopped was taken whole.
    assert_eq!(ada.texts().len(), 2, "ada has {:?}", ada.texts());

    tokio::time::timeout(Duration::from_secs(10), na.shutdown())
        .await
        .expect("a second shutdown returns at once");
    nb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_ends_a_dialed_session_through_sync_end() {
    shutdown_while_busy(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_ends_an_accepted_session_through_sync_end() {
    shutdown_while_busy(false).await;
}

/// Forgetting a device stops its dialer alone; the session it opened still ends through
/// `sync_end`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forget_ends_a_dialed_session_through_sync_end() {
    let (ada, na, _ben, nb) = ada_busy(true).await;
    // As the facade does: the device leaves the paired list, then the node forgets it.
    ada.paired.lock().unwrap().remove(&nb.id());
    na.forget(&nb.id());
    assert!(
        eventually(20, || !ada.ended.lock().unwrap().is_empty()).await,
        "the session ends"
    );
    kept_at_end(&ada, &nb.id());
    na.shutdown().await;
    nb.shutdown().await;
}
