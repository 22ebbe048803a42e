//! A mailbox server's storage and rules, on a real folder through object_store: who it lets in,
//! what a removal changes, quotas, expiry, and that a restart keeps its identity and files.

use std::sync::Arc;

use hearth_crypto::mailbox::access_verifier;
use hearth_mailbox::keeper::{Keeper, Limits};
use hearth_mailbox::proto::{Failure, Hello, Proof, Refusal};
use object_store::local::LocalFileSystem;

const FRESH: [u8; 48] = [3; 48];
const SETUP: [u8; 16] = [3; 16];
const ALICE: [u8; 32] = [0xa1; 32];
const BOB: [u8; 32] = [0xb0; 32];
const TABLET: [u8; 32] = [0x7a; 32];
const STRANGER: [u8; 32] = [0x55; 32];

async fn keeper(dir: &std::path::Path, limits: Limits) -> Keeper {
    let store = Arc::new(LocalFileSystem::new_with_prefix(dir).unwrap());
    Keeper::open(store, limits, &FRESH).await.unwrap().0
}

fn hello(setup: Option<[u8; 16]>, epochs: &[u32], devices: &[[u8; 32]]) -> Hello {
    Hello {
        mailbox_id: [9; 16],
        setup,
        proofs: epochs
            .iter()
            .map(|e| Proof {
                epoch: *e,
                token: [*e as u8 + 100; 32],
            })
            .collect(),
        devices: devices.to_vec(),
    }
}

#[tokio::test]
async fn only_the_setup_secret_brings_a_journal_in_and_only_its_devices_get_in() {
    let dir = tempfile::tempdir().unwrap();
    let k = keeper(dir.path(), Limits::default()).await;
    // Without the ticket's secret, or with a wrong one, the server does not know the journal.
    let unknown = k
        .greet(ALICE, &hello(None, &[0], &[ALICE, BOB]))
        .await
        .unwrap();
    assert_eq!(unknown, Err(Refusal::UnknownJournal));
    let wrong = k
        .greet(ALICE, &hello(Some([4; 16]), &[0], &[ALICE, BOB]))
        .await
        .unwrap();
    assert_eq!(wrong, Err(Refusal::UnknownJournal));
    assert!(
        k.greet(ALICE, &hello(Some(SETUP), &[0], &[ALICE, BOB]))
            .await
            .unwrap()
            .is_ok()
    );
    // Bob is on the list Alice gave; a second greeting with the ticket is no error.
    assert!(k.greet(BOB, &hello(None, &[], &[])).await.unwrap().is_ok());
    assert!(
        k.greet(BOB, &hello(Some(SETUP), &[0], &[ALICE, BOB]))
            .await
            .unwrap()
            .is_ok()
    );
    // A stranger with the ticket but no journal key is refused, before any file.
    let mut guess = hello(Some(SETUP), &[0], &[STRANGER]);
    guess.proofs[0].token = [1; 32];
    let stranger = k.greet(STRANGER, &guess).await.unwrap();
    assert_eq!(stranger, Err(Refusal::NotAllowed));
    // A new device that holds the journal key adds itself.
    assert!(
        k.greet(TABLET, &hello(None, &[0], &[ALICE, BOB, TABLET]))
            .await
            .unwrap()
            .is_ok()
    );
}

#[tokio::test]
async fn a_removal_at_a_newer_epoch_shuts_the_removed_device_out() {
    let dir = tempfile::tempdir().unwrap();
    let k = keeper(dir.path(), Limits::default()).await;
    k.greet(ALICE, &hello(Some(SETUP), &[0], &[ALICE, BOB, TABLET]))
        .await
        .unwrap()
        .unwrap();
    // Bob removes the tablet: epoch 1, proven with epoch 0's token, names the devices that stay.
    k.greet(BOB, &hello(None, &[0, 1], &[ALICE, BOB]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        k.greet(TABLET, &hello(None, &[0], &[ALICE, BOB, TABLET]))
            .await
            .unwrap(),
        Err(Refusal::NotAllowed),
        "the removed tablet's epoch-0 token no longer changes the list"
    );
    // Alice has not heard of the removal yet: she still gets in, to fetch the new key.
    assert!(
        k.greet(ALICE, &hello(None, &[0], &[ALICE, BOB, TABLET]))
            .await
            .unwrap()
            .is_ok()
    );
    assert_eq!(
        k.greet(TABLET, &hello(None, &[], &[])).await.unwrap(),
        Err(Refusal::NotAllowed)
    );
    // The verifier never was the token itself.
    let record = std::fs::read(
        dir.path()
            .join("journals/09090909090909090909090909090909/record"),
    )
    .unwrap();
    assert!(!record.windows(32).any(|w| w == [101u8; 32]));
    assert!(record.windows(32).any(|w| w == access_verifier(&[101; 32])));
}

#[tokio::test]
async fn files_stay_within_the_quota_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        quota_bytes: 4096,
        ..Limits::default()
    };
    let k = keeper(dir.path(), limits).await;
    let j = k
        .greet(ALICE, &hello(Some(SETUP), &[0], &[ALICE, BOB]))
        .await
        .unwrap()
        .unwrap();
    let blob = "0102030405060708/0000000000000001.blob";
    k.put(&j, blob, vec![1; 3000]).await.unwrap();
    // Replacing a file counts its new size, not both.
    k.put(&j, blob, vec![2; 3500]).await.unwrap();
    assert_eq!(
        k.put(&j, "0102030405060708/state", vec![3; 1000]).await,
        Err(Failure::QuotaFull)
    );
    assert_eq!(k.put(&j, "../escape", vec![0]).await, Err(Failure::BadName));
    assert_eq!(k.get(&j, "not/a name").await, Err(Failure::BadName));
    drop(k);
    let (k, identity) = Keeper::open(
        Arc::new(LocalFileSystem::new_with_prefix(dir.path()).unwrap()),
        limits,
        &[8; 48],
    )
    .await
    .unwrap();
    assert_eq!(
        *identity.secret_key, [3; 32],
        "a restart keeps the server's identity"
    );
    assert!(identity.setup.matches(&SETUP));
    let j = k.greet(BOB, &hello(None, &[], &[])).await.unwrap().unwrap();
    assert_eq!(k.get(&j, blob).await.unwrap(), Some(vec![2; 3500]));
    let listed = k.list(&j).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].size, 3500);
    // Past the expiry it goes; before, it stays.
    assert_eq!(k.sweep(listed[0].modified_ms + 1000).await.unwrap(), 0);
    let later = listed[0].modified_ms + hearth_mailbox::EXPIRY_MS + 1000;
    assert_eq!(k.sweep(later).await.unwrap(), 1);
    assert_eq!(k.get(&j, blob).await.unwrap(), None);
    k.delete(&j, blob).await.unwrap();
}

#[tokio::test]
async fn a_journals_requests_are_rate_limited() {
    let dir = tempfile::tempdir().unwrap();
    let k = keeper(
        dir.path(),
        Limits {
            burst: 5,
            per_second: 1,
            ..Limits::default()
        },
    )
    .await;
    let j = k
        .greet(ALICE, &hello(Some(SETUP), &[0], &[ALICE]))
        .await
        .unwrap()
        .unwrap();
    let allowed = (0..20).filter(|_| k.take_request(&j)).count();
    assert!(
        (5..=6).contains(&allowed),
        "{allowed} of 20 requests at once"
    );
}

#[tokio::test]
async fn the_server_keeps_no_more_journals_than_it_may() {
    let dir = tempfile::tempdir().unwrap();
    let k = keeper(
        dir.path(),
        Limits {
            max_journals: 1,
            ..Limits::default()
        },
    )
    .await;
    k.greet(ALICE, &hello(Some(SETUP), &[0], &[ALICE]))
        .await
        .unwrap()
        .unwrap();
    let mut other = hello(Some(SETUP), &[0], &[BOB]);
    other.mailbox_id = [10; 16];
    assert_eq!(k.greet(BOB, &other).await.unwrap(), Err(Refusal::Full));
}
