//! Pairing two devices in a test as two people do in person: both compare the short string and
//! confirm. Shared by the facade's tests and the end-to-end tests.

use std::time::Duration;

use hearth::{Hearth, PairingEvent, PairingHandle};

/// Follows one side of a pairing, confirming the short string when it shows; returns the digits
/// shown once `Paired` arrives.
pub async fn drive(mut handle: PairingHandle) -> String {
    let mut digits = None;
    loop {
        match tokio::time::timeout(Duration::from_secs(60), handle.next())
            .await
            .expect("pairing stalls")
        {
            Some(PairingEvent::Compare(sas)) => {
                digits = Some(sas.digits());
                handle.confirm(&sas, true);
            }
            Some(PairingEvent::Paired { .. }) => return digits.expect("compared before paired"),
            Some(PairingEvent::Failed(why)) => panic!("pairing failed: {why}"),
            Some(_) => {}
            None => panic!("pairing ended without an outcome"),
        }
    }
}

/// Pairs `joiner` with an invitation of `inviter`, the ticket given as text.
pub async fn pair(inviter: &Hearth, joiner: &Hearth) {
    pair_for(inviter, joiner, None).await;
}

/// Pairs `joiner` with an invitation of `inviter` for a device whose `device_for` says.
pub async fn pair_for(inviter: &Hearth, joiner: &Hearth, device_for: Option<hearth::NewDevice>) {
    let (ticket, invitation) = inviter.invite(device_for).await.expect("invite");
    let joining = joiner
        .join(&ticket.to_text())
        .await
        .expect("join with the ticket text");
    let (a, b) = tokio::join!(drive(invitation), drive(joining));
    assert_eq!(a, b, "both screens show the same digits");
}
