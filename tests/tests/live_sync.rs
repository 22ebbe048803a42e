//! Two devices, paired in person over loopback with relays off, keep one journal.

mod support;

use std::time::Duration;

use hearth::{Edit, Route};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_write_and_both_see_everything_within_seconds() {
    let (da, db) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let ada = create(da.path(), "Ada", local()).await;
    let ben = create(db.path(), "Ben", local()).await;
    pair(&ada, &ben).await;
    assert!(
        eventually(20, async || ben.journal_ready()).await,
        "Ben receives the journal"
    );

    write(&ada, "the first frost on the window").await;
    write(&ben, "you left the light on for me").await;
    let want = vec![
        "the first frost on the window".to_owned(),
        "you left the light on for me".to_owned(),
    ];
    // No explicit sync: changes are pushed live.
    assert!(
        eventually(20, async || texts(&ada).await == want
            && texts(&ben).await == want)
        .await,
        "{:?} / {:?}",
        texts(&ada).await,
        texts(&ben).await
    );
    let status = ada.status().await.expect("status");
    assert_eq!(status.partner_devices.len(), 1);
    assert_eq!(status.partner_devices[0].name, "Ben");
    assert!(status.partner_devices[0].online);
    assert_eq!(status.partner_devices[0].route, Some(Route::Lan));
    ada.shutdown().await;
    ben.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_offline_changes_to_one_entry_converge() {
    let (da, db) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let ada = create(da.path(), "Ada", local()).await;
    let ben = create(db.path(), "Ben", local()).await;
    pair(&ada, &ben).await;
    let id = write(&ada, "We cooked dinner together.").await;
    assert!(eventually(20, async || !texts(&ben).await.is_empty()).await);
    ada.shutdown().await;
    ben.shutdown().await;

    // Both change the same entry while neither has the network: Ada edits it, Ben (who may not
    // edit what Ada wrote) comments on it.
    let offline = || hearth::Options {
        start_network: false,
        ..local()
    };
    let ada = open(da.path(), offline()).await;
    let ben = open(db.path(), offline()).await;
    ada.edit(
        &id,
        Edit::Body("On Friday we cooked dinner together.".into()),
    )
    .await
    .expect("edit");
    let refused = ben
        .edit(&id, Edit::Body("We cooked dinner, badly.".into()))
        .await;
    assert!(
        matches!(
            refused,
            Err(hearth::WriteError::Refused(
                hearth::Refusal::NotYours { .. }
            ))
        ),
        "{refused:?}"
    );
    ben.comment(&id, "And laughed.").await.expect("comment");
    ada.shutdown().await;
    ben.shutdown().await;

    // Back online, each on the port it had (as a device does), so each finds the other where it
    // was last seen: there is no mDNS or relay here to look it up.
    let same_port = || hearth::Options {
        bind: None,
        ..local()
    };
    let ada = open(da.path(), same_port()).await;
    let ben = open(db.path(), same_port()).await;
    let timeout = Duration::from_secs(30);
    let (x, y) = tokio::join!(ada.sync_now(timeout), ben.sync_now(timeout));
    x.expect("Ada syncs");
    y.expect("Ben syncs");
    let merged = (
        "On Friday we cooked dinner together.".to_owned(),
        vec!["And laughed.".to_owned()],
    );
    assert!(
        eventually(20, async || seen(&ada, &id).await == merged
            && seen(&ben, &id).await == merged)
        .await,
        "{:?} / {:?}",
        seen(&ada, &id).await,
        seen(&ben, &id).await
    );
    ada.shutdown().await;
    ben.shutdown().await;
}

/// An entry's text and its comments' texts, as `h` reads it.
async fn seen(h: &hearth::Hearth, id: &hearth::EntryId) -> (String, Vec<String>) {
    let item = h.entry(id).await.expect("readable").expect("there");
    let comments = item.entry.comments.iter().map(|c| c.text.clone()).collect();
    (item.entry.content.main_text(), comments)
}

/// Text that does not compress away: letters from a small generator seeded by `seed`.
fn varied(seed: u64, len: usize) -> String {
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            char::from(b"abcdefghijklmnopqrstuvwxyz "[(x >> 59) as usize % 27])
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_only_new_changes_cross() {
    let (da, db) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let ada = create(da.path(), "Ada", local()).await;
    let ben = create(db.path(), "Ben", local()).await;
    for n in 0..60 {
        write(&ada, &varied(n, 300)).await;
    }
    pair(&ada, &ben).await;
    assert!(
        eventually(30, async || texts(&ben).await.len() == 60).await,
        "Ben has {}",
        texts(&ben).await.len()
    );
    let first = ada.status().await.expect("status").partner_devices[0].bytes_sent;
    ben.shutdown().await;

    // Ben comes back; Ada has written one more thing meanwhile.
    write(&ada, "one more").await;
    let ben = open(db.path(), local()).await;
    assert!(
        eventually(30, async || texts(&ben).await.len() == 61).await,
        "Ben has {}",
        texts(&ben).await.len()
    );
    let after = ben.status().await.expect("status").partner_devices[0].bytes_received;
    assert!(after > 0, "something crossed");
    assert!(
        after * 10 < first,
        "the reconnect moved {after} bytes; the first sync {first}"
    );
    ada.shutdown().await;
    ben.shutdown().await;
}
