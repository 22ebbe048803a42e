//! Shutting a device down: the order of `Hearth::shutdown`, proven from the outside.

mod support;

use std::time::Duration;

use hearth::{Content, Draft, Hearth, WriteError};
use support::*;

fn journal(body: &str) -> Content {
    Content::Journal { body: body.into() }
}

/// The tasks alive on this test's runtime.
fn alive() -> usize {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

/// Lets tasks that end on their own (the test's own helpers) finish.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(200)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_saves_the_sync_state_closes_the_store_and_leaves_no_task_behind() {
    let (dir_a, dir_b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    settle().await;
    let before = alive();

    let ada = create(dir_a.path(), "Ada", true).await;
    let bob = create(dir_b.path(), "Bob", true).await;
    pair(&ada, &bob).await;
    sync(&ada, &bob).await;
    ada.write(Draft::shared(journal("the last words before closing")))
        .await
        .expect("write");
    sync(&ada, &bob).await;
    let bob_id = bob.status().await.expect("status").device_id;
    assert!(alive() > before, "a running device has tasks");

    // Both handles of Ada's device close together: a clone is the same device.
    let other_handle: Hearth = ada.clone();
    ada.shutdown().await;
    bob.shutdown().await;
    // Checked at once: nothing may be left to end on its own later.
    assert_eq!(
        alive(),
        before,
        "every task of both devices ended with shutdown"
    );
    assert!(
        matches!(
            other_handle.write(Draft::shared(journal("too late"))).await,
            Err(WriteError::Closed(_))
        ),
        "a clone of a closed device is closed too"
    );
    other_handle.shutdown().await;

    // The store was closed: the directory opens again at once, with the partner's sync state,
    // so the next session sends only what is new.
    let store = hearth_store::Store::open(dir_a.path(), &passphrase()).expect("the store is free");
    let peer: [u8; 32] = data_encoding::HEXLOWER
        .decode(bob_id.to_string().as_bytes())
        .expect("hex device id")
        .try_into()
        .expect("32 bytes");
    assert!(
        store.load_sync_state(peer).expect("readable").is_some(),
        "the session's sync state was kept"
    );
    drop(store);
    let again = open(dir_a.path(), false).await;
    assert!(
        texts(&again)
            .await
            .iter()
            .any(|t| t == "the last words before closing")
    );
    again.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_every_handle_without_shutdown_still_releases_the_directory() {
    let dir = tempfile::tempdir().expect("dir");
    let ada = create(dir.path(), "Ada", true).await;
    ada.write(Draft::shared(journal("kept")))
        .await
        .expect("write");
    drop(ada);
    // The owner closes the store once the network's last request is answered.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let reopened = loop {
        match Hearth::open(dir.path(), &passphrase(), options(false)).await {
            Ok(h) => break h,
            Err(hearth::OpenError::AlreadyOpen { .. })
                if tokio::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => panic!("the directory was never released: {e}"),
        }
    };
    assert_eq!(texts(&reopened).await, vec!["kept".to_owned()]);
    reopened.shutdown().await;
}
