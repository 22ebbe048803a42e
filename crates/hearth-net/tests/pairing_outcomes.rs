//! Pairing that does not end in pairing: each side hears why, and nothing is stored.

mod support;

use std::time::Duration;

use hearth_crypto::pairing::Sas;
use hearth_crypto::{InvitationSecret, Ticket};
use hearth_net::{PairingEvent, PairingFailure, PairingHandle};
use support::*;

/// Drives a handle to its end, answering `matches` when the string shows.
async fn outcome(handle: &mut PairingHandle, matches: bool) -> Result<(), PairingFailure> {
    outcome_with(handle, |_| {}, matches).await
}

/// Drives a handle to its end, answering `matches` about the string shown; `seen` is told of
/// that string first.
async fn outcome_with(
    handle: &mut PairingHandle,
    mut seen: impl FnMut(Sas),
    matches: bool,
) -> Result<(), PairingFailure> {
    loop {
        match tokio::time::timeout(Duration::from_secs(30), handle.next())
            .await
            .expect("pairing stalls")
        {
            Some(PairingEvent::Compare(sas)) => {
                seen(sas);
                handle.confirm(&sas, matches);
            }
            Some(PairingEvent::Paired { .. }) => return Ok(()),
            Some(PairingEvent::Failed(why)) => return Err(why),
            Some(_) => {}
            None => panic!("pairing ended without an outcome"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mismatch_pairs_nobody_and_both_sides_know_why() {
    let (ada, ben) = (Device::founder("ada"), Device::newcomer("ben"));
    let (na, nb) = (node(&ada).await, node(&ben).await);
    let (ticket, mut inv) = na.invite(60_000).await.expect("invite");
    let mut join = nb.join(ticket);
    let (a, b) = tokio::join!(outcome(&mut inv, true), outcome(&mut join, false));
    assert!(matches!(a, Err(PairingFailure::DeclinedByPartner)), "{a:?}");
    assert!(matches!(b, Err(PairingFailure::Mismatch)), "{b:?}");
    assert!(ada.paired.lock().unwrap().is_empty());
    assert!(ben.paired.lock().unwrap().is_empty());
    assert!(
        ben.key.lock().unwrap().is_none(),
        "no journal key without a confirmed pairing"
    );
}

/// Drives a handle to its end having answered yes early, about `sas`, whatever shows.
async fn answered_early(handle: &mut PairingHandle, sas: Sas) -> Result<(), PairingFailure> {
    handle.confirm(&sas, true);
    loop {
        match tokio::time::timeout(Duration::from_secs(30), handle.next())
            .await
            .expect("pairing stalls")
        {
            Some(PairingEvent::Paired { .. }) => return Ok(()),
            Some(PairingEvent::Failed(why)) => return Err(why),
            Some(_) => {}
            None => panic!("pairing ended without an outcome"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_yes_counts_only_for_the_string_it_names_once_that_string_shows() {
    let (ada, ben) = (Device::founder("ada"), Device::newcomer("ben"));
    let (na, nb) = (node(&ada).await, node(&ben).await);
    // A first pairing, declined: its string is one that a script, or an attacker, saw.
    let (ticket, mut inv) = na.invite(60_000).await.expect("invite");
    let mut join = nb.join(ticket);
    let mut old = None;
    let (_, declined) = tokio::join!(
        outcome(&mut inv, true),
        outcome_with(&mut join, |s| old = Some(s), false)
    );
    assert!(matches!(declined, Err(PairingFailure::Mismatch)));
    let old = old.expect("the first string showed");

    // The second pairing shows another string. Ben's side said yes at once, before any string,
    // naming the old one; Ada's side says yes to the string shown. Nobody is paired.
    let (ticket, mut inv) = na.invite(60_000).await.expect("invite");
    let mut join = nb.join(ticket);
    let (a, b) = tokio::join!(outcome(&mut inv, true), answered_early(&mut join, old));
    assert!(matches!(b, Err(PairingFailure::Mismatch)), "{b:?}");
    assert!(matches!(a, Err(PairingFailure::DeclinedByPartner)), "{a:?}");
    assert!(ada.paired.lock().unwrap().is_empty());
    assert!(ben.paired.lock().unwrap().is_empty());

    // The same, from the inviting side.
    let (ticket, mut inv) = na.invite(60_000).await.expect("invite");
    let mut join = nb.join(ticket);
    let (a, b) = tokio::join!(answered_early(&mut inv, old), outcome(&mut join, true));
    assert!(matches!(a, Err(PairingFailure::Mismatch)), "{a:?}");
    assert!(matches!(b, Err(PairingFailure::DeclinedByPartner)), "{b:?}");
    assert!(ada.paired.lock().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joining_without_an_open_invitation_says_so() {
    let (ada, ben) = (Device::founder("ada"), Device::newcomer("ben"));
    let (na, nb) = (node(&ada).await, node(&ben).await);
    let (ticket, _inv) = na.invite(60_000).await.expect("invite");
    na.cancel_invitation();
    let mut join = nb.join(ticket);
    let result = outcome(&mut join, true).await;
    assert!(
        matches!(result, Err(PairingFailure::NoInvitation)),
        "{result:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_does_not_use_up_the_invitation() {
    let (ada, eve, ben) = (
        Device::founder("ada"),
        Device::newcomer("eve"),
        Device::newcomer("ben"),
    );
    let (na, ne, nb) = (node(&ada).await, node(&eve).await, node(&ben).await);
    let (ticket, mut inv) = na.invite(60_000).await.expect("invite");
    // Eve knows where Ada is but not the invitation secret.
    let forged = Ticket::with_expiry(
        *ticket.endpoint_id(),
        None,
        ticket.direct_addrs().to_vec(),
        InvitationSecret::from_bytes([0xee; 16]),
        ticket.expires_at_ms(),
    )
    .expect("ticket");
    let mut eve_join = ne.join(forged);
    assert!(outcome(&mut eve_join, true).await.is_err());
    assert!(
        inv.try_next().is_none(),
        "Ada's screen is not bothered by a failed stranger"
    );
    // Ben, with the real ticket, still pairs.
    let mut join = nb.join(ticket);
    let (a, b) = tokio::join!(outcome(&mut inv, true), outcome(&mut join, true));
    assert!(a.is_ok() && b.is_ok(), "{a:?} {b:?}");
    assert!(eve.key.lock().unwrap().is_none());
    assert_eq!(ada.paired.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unused_invitation_expires() {
    let ada = Device::founder("ada");
    let na = node(&ada).await;
    let (_ticket, mut inv) = na.invite(300).await.expect("invite");
    let result = outcome(&mut inv, true).await;
    assert!(matches!(result, Err(PairingFailure::Expired)), "{result:?}");
    let _ = now();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalling_stranger_does_not_hold_up_the_partner() {
    let (ada, ben) = (Device::founder("ada"), Device::newcomer("ben"));
    let (na, nb) = (node(&ada).await, node(&ben).await);
    let (ticket, mut inv) = na.invite(60_000).await.expect("invite");
    // A stranger opens the pairing stream and says nothing.
    let stranger = iroh::Endpoint::builder(iroh::endpoint::presets::Minimal)
        .clear_ip_transports()
        .bind_addr((std::net::Ipv4Addr::LOCALHOST, 0))
        .expect("addr")
        .bind()
        .await
        .expect("bind");
    let conn = stranger
        .connect(na.addr(), hearth_net::PAIR_ALPN)
        .await
        .expect("connect");
    let (mut send, _recv) = conn.open_bi().await.expect("stream");
    send.write_all(&[0, 0, 0]).await.expect("a first byte");
    let mut join = nb.join(ticket);
    let (a, b) = tokio::time::timeout(Duration::from_secs(10), async {
        tokio::join!(outcome(&mut inv, true), outcome(&mut join, true))
    })
    .await
    .expect("the partner pairs while the stranger stalls");
    assert!(a.is_ok() && b.is_ok(), "{a:?} {b:?}");
}
