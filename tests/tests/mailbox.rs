//! Never online together: two partners whose devices are never awake at the same moment keep one
//! journal through a mailbox, a folder both reach. Real stores, a real folder; after pairing in
//! person the devices never run their network again.

mod support;

use std::path::Path;
use std::time::{Duration, SystemTime};

use hearth::MailboxPlace;
use hearth_crypto::mailbox::{HEADER_LEN, padded_len};
use support::*;

/// Ada's and Ben's data directories and a shared folder: they pair in person, then go their own
/// ways; both add the folder as a mailbox.
async fn paired_apart() -> (tempfile::TempDir, tempfile::TempDir, tempfile::TempDir) {
    let dirs = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    pair_apart(dirs.0.path(), dirs.1.path(), dirs.2.path()).await;
    dirs
}

async fn pair_apart(ada_dir: &Path, ben_dir: &Path, folder: &Path) {
    let ada = create(ada_dir, "Ada", local()).await;
    let ben = create(ben_dir, "Ben", local()).await;
    pair(&ada, &ben).await;
    assert!(eventually(30, async || ben.journal_ready()).await);
    ada.shutdown().await;
    ben.shutdown().await;
    for dir in [ada_dir, ben_dir] {
        let h = open(dir, offline()).await;
        h.add_mailbox(MailboxPlace::Folder {
            path: folder.to_path_buf(),
        })
        .await
        .expect("add the folder");
        h.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partners_never_online_together_keep_one_journal_through_a_folder() {
    let (a, b, shared) = paired_apart().await;

    // At night Ada writes and her laptop sleeps: closing leaves the entry in the folder.
    let ada = open(a.path(), offline()).await;
    write(&ada, "a night note from Ada, canary-7f3a").await;
    ada.shutdown().await;
    let left = files(shared.path());
    assert!(!left.is_empty(), "closing left the change in the folder");
    for (path, bytes) in &left {
        assert!(
            !bytes.windows(11).any(|w| w == b"canary-7f3a"),
            "{} holds journal plaintext",
            path.display()
        );
        if path.file_name().is_some_and(|n| n != "keys") {
            let sealed = bytes.len() - HEADER_LEN - 16;
            assert_eq!(padded_len(sealed), sealed, "{} is padded", path.display());
        }
    }

    // In the morning Ben's device picks it up, and he answers; that evening Ada has his answer.
    let ada = morning_and_evening(a.path(), b.path(), "a night note from Ada, canary-7f3a").await;
    let seen = ada.mailboxes().await.expect("mailboxes");
    assert!(seen[0].picked_up_ms.is_some() && seen[0].delivered_ms.is_some());
    // Both have everything now: an exchange that finds nothing new leaves nothing new.
    let again = ada.exchange_with_mailboxes().await.expect("exchange");
    assert!(
        !again[0].delivered && again[0].picked_up_from.is_empty(),
        "{again:?}"
    );
    ada.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_away_past_the_expiry_still_converges() {
    let (a, b, shared) = paired_apart().await;
    let ben = open(b.path(), offline()).await;
    ben.exchange_with_mailboxes().await.expect("exchange");
    ben.shutdown().await;
    let ada = open(a.path(), offline()).await;
    write(&ada, "written while Ben was away").await;
    ada.exchange_with_mailboxes().await.expect("exchange");
    ada.shutdown().await;

    // Ninety days pass: every file in the folder is past the expiry.
    let long_ago = SystemTime::now() - Duration::from_secs(90 * 24 * 3600);
    for (path, _) in files(shared.path()) {
        let file = std::fs::File::options()
            .write(true)
            .open(&path)
            .expect("open");
        file.set_modified(long_ago).expect("age the file");
    }
    let ada = open(a.path(), offline()).await;
    write(&ada, "and more since").await;
    ada.exchange_with_mailboxes().await.expect("exchange");
    ada.shutdown().await;
    // What expired is gone: everything left was written after.
    for (path, _) in files(shared.path()) {
        let modified = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("time");
        assert!(modified > long_ago, "{} expired and stayed", path.display());
    }
    let ben = open(b.path(), offline()).await;
    ben.exchange_with_mailboxes().await.expect("exchange");
    assert!(has(&ben, "written while Ben was away").await);
    assert!(has(&ben, "and more since").await);
    ben.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mailbox_is_added_once_named_and_removed() {
    let (a, shared) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let ada = create(a.path(), "Ada", offline()).await;
    let folder = shared.path().join("Hearth mailbox");
    let missing = ada
        .add_mailbox(MailboxPlace::Folder {
            path: folder.clone(),
        })
        .await;
    assert!(
        matches!(missing, Err(hearth::MailboxError::NotAFolder(_))),
        "{missing:?}"
    );
    std::fs::create_dir(&folder).expect("mkdir");
    let added = ada
        .add_mailbox(MailboxPlace::Folder {
            path: folder.clone(),
        })
        .await
        .expect("add");
    assert_eq!(added.name, "Hearth mailbox");
    // The same folder again is not an error, and is not listed twice.
    ada.add_mailbox(MailboxPlace::Folder { path: folder })
        .await
        .expect("again");
    assert_eq!(ada.mailboxes().await.expect("list").len(), 1);
    assert!(ada.remove_mailbox("elsewhere").await.is_err());
    ada.remove_mailbox("Hearth mailbox").await.expect("remove");
    assert!(ada.mailboxes().await.expect("list").is_empty());
    ada.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_device_reads_nothing_new_and_a_device_away_at_the_renewal_gets_the_key() {
    let dirs: Vec<_> = (0..4).map(|_| tempfile::tempdir().expect("dir")).collect();
    let (d_laptop, d_ben, d_phone, shared) = (
        dirs[0].path(),
        dirs[1].path(),
        dirs[2].path(),
        dirs[3].path(),
    );
    let laptop = create(d_laptop, "Ada", local()).await;
    let ben = create(d_ben, "Ben", local()).await;
    let phone = create(d_phone, "Ada", local()).await;
    pair(&laptop, &ben).await;
    assert!(eventually(30, async || ben.journal_ready()).await);
    pair_for(&laptop, &phone, Some(hearth::NewDevice::Mine)).await;
    assert!(eventually(30, async || phone.journal_ready()).await);
    let phone_id = phone.status().await.expect("status").device_id;
    for h in [&laptop, &ben, &phone] {
        h.add_mailbox(MailboxPlace::Folder {
            path: shared.to_path_buf(),
        })
        .await
        .expect("add");
    }
    for h in [laptop, ben, phone] {
        h.shutdown().await;
    }

    // The phone is lost. Ada removes it from her laptop while Ben's device is off: the journal
    // key is renewed, and what she writes next is sealed under the new one.
    let laptop = open(d_laptop, offline()).await;
    laptop.unpair(phone_id).await.expect("remove the phone");
    assert_eq!(laptop.status().await.expect("status").epoch, 1);
    write(&laptop, "after the phone was lost").await;
    laptop.shutdown().await;

    // Ben's device was away at the renewal: it takes the new key sealed to it in the folder,
    // opens what Ada left, and from then holds the key itself.
    let ben = open(d_ben, offline()).await;
    let got = ben.exchange_with_mailboxes().await.expect("exchange");
    assert_eq!(got[0].error, None);
    assert!(got[0].waiting_for_key.is_empty(), "{got:?}");
    assert!(has(&ben, "after the phone was lost").await);
    assert_eq!(ben.status().await.expect("status").epoch, 1);
    ben.shutdown().await;

    // The phone reads nothing sealed after its removal, and what it leaves is ignored.
    let phone = open(d_phone, offline()).await;
    let got = phone.exchange_with_mailboxes().await.expect("exchange");
    assert!(!got[0].waiting_for_key.is_empty(), "{got:?}");
    assert!(!has(&phone, "after the phone was lost").await);
    write(&phone, "written on the lost phone").await;
    phone.exchange_with_mailboxes().await.expect("exchange");
    phone.shutdown().await;
    let laptop = open(d_laptop, offline()).await;
    laptop.exchange_with_mailboxes().await.expect("exchange");
    assert!(!has(&laptop, "written on the lost phone").await);
    laptop.shutdown().await;
    // Every file of the removed phone is gone from the folder: only the laptop and Ben's device
    // have files there.
    let writers: std::collections::BTreeSet<_> = files(shared)
        .into_iter()
        .filter_map(|(p, _)| p.parent().map(Path::to_path_buf))
        .collect();
    assert_eq!(writers.len(), 2, "{writers:?}");
    let ben = open(d_ben, offline()).await;
    ben.exchange_with_mailboxes().await.expect("exchange");
    assert!(!has(&ben, "written on the lost phone").await);
    ben.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_device_leaves_its_changes_and_picks_up_by_itself() {
    let (a, b, _shared) = paired_apart().await;
    // Ben's device runs (as the app or `hearth serve` do), but cannot reach Ada's live: hers
    // runs no network. It looks in the mailbox on start.
    let ada = open(a.path(), offline()).await;
    write(&ada, "left while Ben's device was running").await;
    ada.exchange_with_mailboxes().await.expect("exchange");
    let ben = open(b.path(), local()).await;
    let mut events = ben.events();
    assert!(
        eventually(30, async || has(
            &ben,
            "left while Ben's device was running"
        )
        .await)
        .await,
        "picked up on start, with no exchange asked for"
    );
    // A change on the running device goes to the mailbox a moment later, by itself.
    write(&ben, "answered from the running device").await;
    let delivered = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            match events.recv().await {
                Ok(hearth::Event::Mailbox {
                    delivered: true, ..
                }) => return true,
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(_) => return false,
            }
        }
    })
    .await;
    assert_eq!(delivered, Ok(true), "an exchange left the change");
    ada.exchange_with_mailboxes().await.expect("exchange");
    assert!(has(&ada, "answered from the running device").await);
    ben.shutdown().await;
    ada.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mailbox_that_cannot_be_read_says_why() {
    let (a, _b, shared) = paired_apart().await;
    let ada = open(a.path(), offline()).await;
    write(&ada, "left in the folder").await;
    let done = ada.exchange_with_mailboxes().await.expect("exchange");
    assert_eq!(done[0].error, None);
    // The journal's place in the folder is broken: a file where its folder was.
    let place = std::fs::read_dir(shared.path())
        .expect("list")
        .map(|e| e.expect("entry").path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("hearth-"))
        })
        .expect("the journal's folder");
    std::fs::remove_dir_all(&place).expect("remove");
    std::fs::write(&place, b"not a folder").expect("write");
    let done = ada.exchange_with_mailboxes().await.expect("exchange");
    let error = done[0].error.as_deref().expect("an error");
    let cause = std::io::Error::from_raw_os_error(20).to_string();
    let cause = cause.split(" (os error").next().expect("text");
    assert!(
        error.starts_with("the mailbox could not be listed: ") && error.contains(cause),
        "{error}"
    );
    ada.shutdown().await;
}
