//! Two devices in one process over loopback: pairing with a ticket's text, syncing both ways, the
//! question of the day revealed once both answered, and private entries that never travel.

mod support;

use std::time::Duration;

use hearth::{Content, Draft, Event, Hearth, JoinError, PartnerAnswer, SyncError};
use support::{create, open, pair, sync, texts};

fn journal(body: &str) -> Content {
    Content::Journal { body: body.into() }
}

async fn has(h: &Hearth, text: &str) -> bool {
    texts(h).await.iter().any(|t| t == text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paired_devices_sync_both_ways_and_keep_private_entries_home() {
    let (dir_a, dir_b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let ada = create(dir_a.path(), "Ada", true).await;
    let bob = create(dir_b.path(), "Bob", true).await;
    // Bob used Hearth alone before pairing: his entries come along.
    bob.write(Draft::shared(journal("written before we paired")))
        .await
        .expect("write alone");
    bob.write(Draft::private(journal("Bob's secret")))
        .await
        .expect("private");
    ada.write(Draft::private(journal("Ada's secret")))
        .await
        .expect("private");
    let mut ada_events = ada.events();

    pair(&ada, &bob).await;
    let paired = loop {
        match tokio::time::timeout(Duration::from_secs(30), ada_events.recv())
            .await
            .expect("an event")
            .expect("open channel")
        {
            Event::Paired { name, .. } => break name,
            _ => continue,
        }
    };
    assert_eq!(paired, "Bob");

    sync(&ada, &bob).await;
    assert!(bob.journal_ready(), "the joiner received the journal");
    assert_eq!(
        ada.status().await.expect("status").journal_id,
        bob.status().await.expect("status").journal_id
    );
    ada.write(Draft::shared(journal("from Ada")))
        .await
        .expect("write");
    bob.write(Draft::shared(journal("from Bob")))
        .await
        .expect("write");
    sync(&ada, &bob).await;

    for h in [&ada, &bob] {
        for text in ["from Ada", "from Bob", "written before we paired"] {
            assert!(
                has(h, text).await,
                "{text:?} missing from {:?}",
                texts(h).await
            );
        }
        assert_eq!(h.members().await.expect("members").len(), 2);
    }
    assert!(has(&ada, "Ada's secret").await && !has(&ada, "Bob's secret").await);
    assert!(has(&bob, "Bob's secret").await && !has(&bob, "Ada's secret").await);
    assert_eq!(
        ada.partner().await.expect("partner").map(|m| m.name),
        Some("Bob".to_owned())
    );
    assert_eq!(
        bob.partner().await.expect("partner").map(|m| m.name),
        Some("Ada".to_owned())
    );
    let carried = bob.search("before we paired").await.expect("search");
    assert_eq!(carried.len(), 1);
    assert_eq!(carried[0].entry.author, bob.me().await.expect("me").id);
    let status = ada.status().await.expect("status");
    assert_eq!(status.partner_devices.len(), 1);
    assert_eq!(status.partner_devices[0].name, "Bob");
    assert_eq!(
        status.partner_devices[0].device_id,
        bob.status().await.expect("status").device_id
    );
    assert!(status.partner_devices[0].last_synced_ms.is_some());
    let json = serde_json::to_value(&status).expect("status as JSON");
    assert_eq!(json["partner_devices"][0]["name"], "Bob");

    // The question of the day: hidden until both have answered.
    ada.answer_today("A cabin by the lake")
        .await
        .expect("answer");
    sync(&ada, &bob).await;
    let today = bob.today().await.expect("today");
    assert_eq!(today.question, ada.today().await.expect("today").question);
    assert_eq!(today.answers.partner, PartnerAnswer::Hidden);
    bob.answer_today("The sea").await.expect("answer");
    sync(&ada, &bob).await;
    for (h, theirs) in [(&ada, "The sea"), (&bob, "A cabin by the lake")] {
        match h.today().await.expect("today").answers.partner {
            PartnerAnswer::Revealed(entry) => assert_eq!(entry.content.main_text(), theirs),
            other => panic!("expected the partner's answer, got {other:?}"),
        }
    }

    // The joiner's replica reads back from its store.
    let before = texts(&bob).await;
    bob.shutdown().await;
    let bob = open(dir_b.path(), true).await;
    assert!(bob.journal_ready());
    assert_eq!(texts(&bob).await, before);
    ada.write(Draft::shared(journal("after Bob came back")))
        .await
        .expect("write");
    sync(&ada, &bob).await;
    assert!(has(&bob, "after Bob came back").await);
    assert!(
        !bob.search("secret")
            .await
            .expect("search")
            .iter()
            .any(|i| i.entry.content.main_text() == "Ada's secret")
    );
    ada.shutdown().await;
    bob.shutdown().await;
}

fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

/// Ada's and Bob's devices, paired and in sync (their directories are kept as long as the first
/// value lives).
async fn paired() -> ([tempfile::TempDir; 2], Hearth, Hearth) {
    let dirs = [
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    ];
    let ada = create(dirs[0].path(), "Ada", true).await;
    let bob = create(dirs[1].path(), "Bob", true).await;
    pair(&ada, &bob).await;
    sync(&ada, &bob).await;
    (dirs, ada, bob)
}

/// The answer to the question of the day is sealed: on the partner's device, every byte of the
/// journal (even a full copy with its history, as a modified app could read it) holds no word of
/// it until both have answered; the second to answer sees the first's once the first's device has
/// synced again, and the window says so meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_is_ciphertext_on_the_partners_device_until_both_have_answered() {
    let (dirs, ada, bob) = paired().await;

    ada.answer_today("a lighthouse keeper in Porthcurno")
        .await
        .expect("answer");
    sync(&ada, &bob).await;
    assert_eq!(
        bob.today().await.expect("today").answers.partner,
        PartnerAnswer::Hidden
    );
    let copy = bob
        .export(hearth::Format::AutomergeWithHistory)
        .await
        .expect("export");
    assert!(
        !holds(&copy, "lighthouse"),
        "Bob's journal holds Ada's words"
    );
    assert!(
        !holds(&copy, "Porthcurno"),
        "Bob's journal holds Ada's words"
    );
    assert!(bob.search("lighthouse").await.expect("search").is_empty());
    // Ada's device closes before Bob answers.
    ada.shutdown().await;

    bob.answer_today("a baker by the sea")
        .await
        .expect("answer");
    assert_eq!(
        bob.today().await.expect("today").answers.partner,
        PartnerAnswer::Opening,
        "Ada's answer opens when her device next syncs"
    );
    let copy = bob
        .export(hearth::Format::AutomergeWithHistory)
        .await
        .expect("export");
    assert!(!holds(&copy, "lighthouse"), "still sealed");

    // Ada's device comes back: it reads Bob's answer (his device published its key as he
    // answered), and publishes hers in the same sync.
    let ada = open(dirs[0].path(), true).await;
    sync(&ada, &bob).await;
    for (h, theirs) in [
        (&ada, "a baker by the sea"),
        (&bob, "a lighthouse keeper in Porthcurno"),
    ] {
        match h.today().await.expect("today").answers.partner {
            PartnerAnswer::Revealed(entry) => assert_eq!(entry.content.main_text(), theirs),
            other => panic!("expected the partner's answer, got {other:?}"),
        }
    }
    assert_eq!(bob.search("lighthouse").await.expect("search").len(), 1);
    // Ada's own answer read back from her store after the restart: her key was kept.
    assert!(has(&ada, "a lighthouse keeper in Porthcurno").await);
    ada.shutdown().await;
    bob.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_tickets_are_refused_before_any_traffic() {
    let (dir_a, dir_b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let ada = create(dir_a.path(), "Ada", true).await;
    let bob = create(dir_b.path(), "Bob", true).await;
    assert!(matches!(
        bob.join("not a ticket").await,
        Err(JoinError::Ticket(_))
    ));
    let expired = hearth::Ticket::with_expiry(
        [7; 32],
        None,
        vec![],
        hearth_crypto::InvitationSecret::from_bytes([1; 16]),
        1_000,
    )
    .expect("ticket");
    assert!(matches!(
        bob.join(&expired.to_text()).await,
        Err(JoinError::Ticket(_))
    ));
    let (own, _handle) = bob.invite(None).await.expect("invite");
    assert!(matches!(
        bob.join(&own.to_text()).await,
        Err(JoinError::OwnTicket)
    ));
    assert!(matches!(
        ada.sync_now(Duration::from_secs(1)).await,
        Err(SyncError::NotPaired)
    ));
    ada.shutdown().await;
    bob.shutdown().await;

    let offline = open(dir_a.path(), false).await;
    assert!(matches!(
        offline.invite(None).await,
        Err(hearth::InviteError::NetworkOff)
    ));
    offline.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_udp_port_is_tried_again_next_time() {
    let dir = tempfile::tempdir().expect("dir");
    let h = create(dir.path(), "Ada", true).await;
    async fn port(h: &Hearth) -> Vec<u16> {
        h.status()
            .await
            .expect("status")
            .addresses
            .iter()
            .map(|a| a.port())
            .collect()
    }
    let first = port(&h).await;
    assert!(!first.is_empty(), "a loopback address is known");
    h.shutdown().await;
    // No bind given: every interface, on the port used last time.
    let options = hearth::Options {
        bind: None,
        ..support::options(true)
    };
    let h = Hearth::open(dir.path(), &support::passphrase(), options)
        .await
        .expect("open");
    assert!(
        port(&h).await.contains(&first[0]),
        "{:?} then {:?}",
        first,
        port(&h).await
    );
    h.shutdown().await;
}

/// A change made on one device reaches the other live, without asking for a sync: it is sent
/// while it is stored, and the partner's device tells of it once it holds it. A read of the
/// partner's journal made as soon as it is told finds the change there (decision 0015).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_is_told_on_the_partners_device_once_a_read_there_finds_it() {
    let (_dirs, ada, bob) = paired().await;
    // What pairing wrote has settled: from here on, each change Bob's device is told of is Ada's
    // next entry.
    tokio::time::sleep(Duration::from_millis(500)).await;
    sync(&ada, &bob).await;
    let mut told = bob.events();
    for i in 0..12 {
        let text = format!("live change {i}");
        ada.write(Draft::shared(journal(&text)))
            .await
            .expect("write");
        loop {
            match tokio::time::timeout(Duration::from_secs(30), told.recv())
                .await
                .expect("Bob's device tells of Ada's change without a sync being asked for")
            {
                Ok(Event::JournalChanged { by_partner: true }) => break,
                Ok(_) => {}
                Err(e) => panic!("Bob's events: {e}"),
            }
        }
        assert!(
            has(&bob, &text).await,
            "told of {text:?} before a read finds it: {:?}",
            texts(&bob).await
        );
    }
}
