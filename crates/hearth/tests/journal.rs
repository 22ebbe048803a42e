//! The facade offline: a real store in a temporary directory, every kind of entry, reopening,
//! typed errors, ids typed by a person, exports, today's view and insights.

mod support;

use std::collections::BTreeSet;

use hearth::{
    BidKind, Content, Draft, Edit, EntryId, EntryKind, Event, Filter, Format, Hearth, KdfParams,
    Mood, OpenError, Options, PartnerAnswer, Passphrase, ResolveError, Turn, UnixMs, WriteError,
};
use hearth_journal::Journal;
use support::{create, open, options, passphrase, texts};

fn journal(body: &str) -> Content {
    Content::Journal { body: body.into() }
}

/// Every entry, deleted ones included, newest first, with its private flag.
async fn everything(h: &Hearth) -> Vec<hearth::Item> {
    let filter = Filter {
        include_deleted: true,
        ..Filter::default()
    };
    h.timeline(&filter, None, usize::MAX)
        .await
        .expect("the timeline")
        .items
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_survives_a_reopen_and_private_entries_stay_private() {
    let dir = tempfile::tempdir().expect("temp dir");
    let h = create(dir.path(), "Ada", false).await;
    let mut events = h.events();

    let free = h
        .write(Draft::shared(journal("The first snow")))
        .await
        .expect("journal");
    let checkin = h
        .write(Draft::shared(Content::CheckIn {
            mood: Mood::new(7).expect("in range"),
            why: "slept well".into(),
        }))
        .await
        .expect("check-in");
    let gratitude = h
        .write(Draft::shared(Content::Gratitude {
            to: None,
            lines: vec!["tea".into(), "the walk".into(), "your laugh".into()],
        }))
        .await
        .expect("gratitude");
    let thanks = h
        .write(Draft::shared(Content::Appreciation {
            to: None,
            body: "for fixing the shelf".into(),
        }))
        .await
        .expect("appreciation");
    let answer = h.answer_today("A cabin by the lake").await.expect("answer");
    let bid = h
        .write(Draft::shared(Content::Bid {
            to: None,
            bid: BidKind::ThinkingOfYou,
            body: "look at the moon".into(),
            response: None,
        }))
        .await
        .expect("bid");
    let secret = h
        .write(Draft::private(journal("only for me: the surprise party")))
        .await
        .expect("private");

    let comment = h.comment(&free, "it was lovely").await.expect("comment");
    h.react(&free, "❤️", true).await.expect("react");
    h.edit(&checkin, Edit::Mood(Mood::new(8).expect("in range")))
        .await
        .expect("edit mood");
    h.edit(&free, Edit::Body("The first snow, finally".into()))
        .await
        .expect("edit body");
    h.respond(&bid, Turn::Toward).await.expect("respond");
    h.delete(&thanks).await.expect("delete");
    h.comment(&secret, "remember the cake")
        .await
        .expect("comment on a private entry");

    match events.try_recv() {
        Ok(Event::EntryAdded {
            id,
            private,
            by_partner,
        }) => {
            assert_eq!(id, free);
            assert!(!private && !by_partner);
        }
        other => panic!("expected the first entry's event, got {other:?}"),
    }

    let before = everything(&h).await;
    assert_eq!(before.len(), 7);
    let private: Vec<&EntryId> = before
        .iter()
        .filter(|i| i.private)
        .map(|i| &i.entry.id)
        .collect();
    assert_eq!(private, vec![&secret]);
    let live = h
        .timeline(&Filter::default(), None, usize::MAX)
        .await
        .expect("the timeline")
        .items;
    assert_eq!(live.len(), 6, "the deleted appreciation is hidden");
    let kinds: BTreeSet<EntryKind> = live.iter().map(|i| i.entry.kind()).collect();
    assert_eq!(
        kinds.len(),
        5,
        "journal, check-in, gratitude, answer and bid: {kinds:?}"
    );
    h.shutdown().await;

    let h = open(dir.path(), false).await;
    assert_eq!(
        everything(&h).await,
        before,
        "everything reads back as it was"
    );
    let free_entry = h
        .entry(&free)
        .await
        .expect("readable")
        .expect("present")
        .entry;
    assert_eq!(free_entry.content.main_text(), "The first snow, finally");
    assert_eq!(free_entry.comments.len(), 1);
    assert_eq!(free_entry.comments[0].id, comment);
    assert_eq!(free_entry.reactions.values().flatten().count(), 1);
    match h
        .entry(&checkin)
        .await
        .expect("readable")
        .expect("present")
        .entry
        .content
    {
        Content::CheckIn { mood, .. } => assert_eq!(mood.get(), 8),
        other => panic!("not a check-in: {other:?}"),
    }
    match h
        .entry(&bid)
        .await
        .expect("readable")
        .expect("present")
        .entry
        .content
    {
        Content::Bid { response, .. } => {
            assert_eq!(response.map(|r| r.turn), Some(Turn::Toward))
        }
        other => panic!("not a bid: {other:?}"),
    }
    assert!(
        h.entry(&thanks)
            .await
            .expect("readable")
            .expect("present")
            .entry
            .deleted
    );
    assert!(h.entry(&gratitude).await.expect("readable").is_some());
    assert!(h.entry(&answer).await.expect("readable").is_some());
    let secret_item = h.entry(&secret).await.expect("readable").expect("present");
    assert!(secret_item.private);
    assert_eq!(secret_item.entry.comments.len(), 1);

    // The shared journal's Automerge document never holds the private entry.
    let bytes = h.export(Format::Automerge).await.expect("export");
    let exported = Journal::load(&bytes, [9; 16]).expect("loads");
    let ids: Vec<EntryId> = exported.scan().entries.into_iter().map(|e| e.id).collect();
    assert!(ids.contains(&free));
    assert!(!ids.contains(&thanks), "a deleted entry is not exported");
    assert!(!ids.contains(&secret));
    assert!(!String::from_utf8_lossy(&bytes).contains("surprise party"));
    // The copy with history holds the deleted entry (as deleted), and still nothing private.
    let bytes = h
        .export(Format::AutomergeWithHistory)
        .await
        .expect("export");
    let exported = Journal::load(&bytes, [9; 16]).expect("loads");
    let ids: Vec<EntryId> = exported.scan().entries.into_iter().map(|e| e.id).collect();
    assert!(ids.contains(&free) && ids.contains(&thanks));
    assert!(!String::from_utf8_lossy(&bytes).contains("surprise party"));
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_fails_with_typed_errors_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = Hearth::open(dir.path().join("nothing"), &passphrase(), options(false)).await;
    assert!(
        matches!(missing, Err(OpenError::NotFound { .. })),
        "{missing:?}"
    );

    let h = create(dir.path(), "Ada", false).await;
    let id = h
        .write(Draft::shared(journal("kept safe")))
        .await
        .expect("write");
    let twice = Hearth::create(dir.path(), &passphrase(), "Ada", options(false)).await;
    assert!(
        twice.is_err(),
        "a second journal in the same directory is refused"
    );
    let busy = Hearth::open(dir.path(), &passphrase(), options(false)).await;
    assert!(
        matches!(busy, Err(OpenError::AlreadyOpen { .. })),
        "{busy:?}"
    );
    h.shutdown().await;

    let wrong = Hearth::open(dir.path(), &Passphrase::new("wrong"), options(false)).await;
    match wrong {
        Err(e @ OpenError::WrongPassphrase(_)) => {
            assert!(
                std::error::Error::source(&e).is_some(),
                "the store's error is kept"
            );
        }
        other => panic!("expected a wrong passphrase, got {other:?}"),
    }
    let h = open(dir.path(), false).await;
    assert!(h.entry(&id).await.expect("readable").is_some());
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_to_unknown_entries_fail_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let h = create(dir.path(), "Ada", false).await;
    let real = h
        .write(Draft::shared(journal("real")))
        .await
        .expect("write");
    let ghost = EntryId::new(UnixMs::from_millis(1_000), [3; 9]);
    let unknown = |r: Result<(), WriteError>| {
        assert!(
            matches!(
                r,
                Err(WriteError::Refused(
                    hearth_journal::WriteError::UnknownEntry { .. }
                ))
            ),
            "{r:?}"
        )
    };
    unknown(h.edit(&ghost, Edit::Body("x".into())).await);
    unknown(h.comment(&ghost, "x").await.map(drop));
    unknown(h.react(&ghost, "🙂", true).await);
    unknown(h.delete(&ghost).await);
    unknown(h.respond(&ghost, Turn::Later).await);
    let empty = h.write(Draft::shared(journal("   "))).await;
    assert!(
        matches!(
            empty,
            Err(WriteError::Refused(hearth_journal::WriteError::Empty))
        ),
        "{empty:?}"
    );
    let wrong_kind = h.respond(&real, Turn::Toward).await;
    assert!(matches!(
        wrong_kind,
        Err(WriteError::Refused(
            hearth_journal::WriteError::WrongKind { .. }
        ))
    ));
    // Nothing of the refused changes was kept.
    let read = async |h: &Hearth| {
        h.entry(&real)
            .await
            .expect("readable")
            .expect("present")
            .entry
    };
    let shown = read(&h).await;
    assert_eq!(shown.content.main_text(), "real");
    assert!(shown.comments.is_empty());

    // Deleting clears the text; an edit after it is refused and leaves nothing, in memory or on
    // disk.
    h.delete(&real).await.expect("delete");
    let deleted = h.edit(&real, Edit::Body("again".into())).await;
    assert!(matches!(
        deleted,
        Err(WriteError::Refused(
            hearth_journal::WriteError::Deleted { .. }
        ))
    ));
    let gone = read(&h).await;
    assert!(gone.deleted);
    assert_eq!(gone.content.main_text(), "");
    h.shutdown().await;
    let h = open(dir.path(), false).await;
    assert_eq!(read(&h).await, gone);
    assert_eq!(h.entry(&ghost).await.expect("readable"), None);
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_id_prefixes_resolve_when_unique() {
    let dir = tempfile::tempdir().expect("temp dir");
    let h = create(dir.path(), "Ada", false).await;
    let a = h.write(Draft::shared(journal("one"))).await.expect("write");
    let b = h
        .write(Draft::private(journal("two")))
        .await
        .expect("write");
    assert_eq!(h.resolve_id(a.as_str()).await, Ok(a.clone()));
    assert_eq!(
        h.resolve_id(&b.as_str().to_ascii_uppercase()).await,
        Ok(b.clone())
    );
    // The shortest prefix that tells them apart, and one character less.
    let common = a
        .as_str()
        .chars()
        .zip(b.as_str().chars())
        .take_while(|(x, y)| x == y)
        .count();
    let unique = &a.as_str()[..(common + 1).max(hearth::MIN_ID_PREFIX)];
    assert_eq!(h.resolve_id(unique).await, Ok(a.clone()));
    if common >= hearth::MIN_ID_PREFIX {
        assert_eq!(
            h.resolve_id(&a.as_str()[..common]).await,
            Err(ResolveError::Ambiguous {
                prefix: a.as_str()[..common].to_owned(),
                count: 2
            })
        );
    }
    assert!(matches!(
        h.resolve_id("abc").await,
        Err(ResolveError::TooShort { len: 3, .. })
    ));
    assert!(matches!(
        h.resolve_id("zzzzzz").await,
        Err(ResolveError::Unknown { .. })
    ));
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_written_together_share_a_prefix_that_is_ambiguous() {
    let dir = tempfile::tempdir().expect("temp dir");
    let h = create(dir.path(), "Ada", false).await;
    let a = h.write(Draft::shared(journal("one"))).await.expect("write");
    let b = h.write(Draft::shared(journal("two"))).await.expect("write");
    // Ids begin with their creation time: two entries written within seconds share far more
    // than four characters.
    let prefix = &a.as_str()[..4];
    assert_eq!(&b.as_str()[..4], prefix);
    assert_eq!(
        h.resolve_id(prefix).await,
        Err(ResolveError::Ambiguous {
            prefix: prefix.to_owned(),
            count: 2
        })
    );
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_in_three_formats() {
    let dir = tempfile::tempdir().expect("temp dir");
    let h = create(dir.path(), "Ada", false).await;
    let first = h
        .write(Draft::shared(journal("Walked to the harbour")))
        .await
        .expect("write");
    h.comment(&first, "the gulls!").await.expect("comment");
    h.write(Draft::shared(Content::CheckIn {
        mood: Mood::new(4).expect("in range"),
        why: "long day".into(),
    }))
    .await
    .expect("write");
    h.write(Draft::private(journal("private musings")))
        .await
        .expect("write");

    let md = String::from_utf8(h.export(Format::Markdown).await.expect("markdown")).expect("utf-8");
    assert!(md.contains("Walked to the harbour"), "{md}");
    assert!(md.contains("the gulls!"), "{md}");
    assert!(md.contains("long day") && md.contains("checkin"), "{md}");
    assert!(md.contains("Ada"), "{md}");
    assert!(!md.contains("private musings"), "{md}");

    let json: serde_json::Value =
        serde_json::from_slice(&h.export(Format::Json).await.expect("json")).expect("parses");
    assert_eq!(json["format"], "hearth-journal");
    assert_eq!(json["version"], hearth::JSON_EXPORT_VERSION);
    let entries = json["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["content"]["kind"], "journal");
    assert_eq!(entries[0]["content"]["body"], "Walked to the harbour");
    assert_eq!(entries[0]["comments"][0]["text"], "the gulls!");
    assert_eq!(entries[1]["content"]["mood"], 4);
    assert_eq!(json["members"][0]["name"], "Ada");

    let doc = Journal::load(
        &h.export(Format::Automerge).await.expect("automerge"),
        [5; 16],
    )
    .expect("loads");
    let texts: Vec<String> = doc
        .scan()
        .entries
        .iter()
        .map(|e| e.content.main_text())
        .collect();
    assert_eq!(
        texts,
        vec!["Walked to the harbour".to_owned(), "long day".to_owned()]
    );
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn today_is_the_day_of_the_devices_time_zone() {
    // Fourteen hours east and twelve west of UTC are on different days for most of each day;
    // each device's "today" is its own zone's.
    for minutes in [14 * 60, -12 * 60] {
        let dir = tempfile::tempdir().expect("temp dir");
        let zone = hearth::Zone::fixed(minutes);
        let options = Options {
            time_zone: zone.clone(),
            ..options(false)
        };
        let h = Hearth::create(dir.path(), &passphrase(), "Ada", options)
            .await
            .expect("create");
        let before = zone.date_at(UnixMs::now());
        let today = h.today().await.expect("today").date;
        let after = zone.date_at(UnixMs::now());
        assert!(
            today == before || today == after,
            "{today} is not the day at {minutes} minutes from UTC ({before})"
        );
        h.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn today_asks_the_decks_question_and_insights_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    let h = create(dir.path(), "Ada", false).await;
    let doc =
        Journal::load(&h.export(Format::Automerge).await.expect("export"), [1; 16]).expect("loads");
    let info = doc.info().expect("readable").expect("ready");
    let today = h.today().await.expect("today");
    let expected = hearth_journal::deck::question_of_the_day(&info.id, info.start_day, today.date);
    assert_eq!(today.question, expected);
    assert_eq!(today.answers.mine, None);
    assert_eq!(today.answers.partner, PartnerAnswer::Waiting);

    let answer = h.answer_today("Somewhere warm").await.expect("answer");
    let today = h.today().await.expect("today");
    let mine = today.answers.mine.expect("my answer counts");
    assert_eq!(mine.id, answer);
    match mine.content {
        Content::Answer { question, day, .. } => {
            assert_eq!(question, expected.id);
            assert_eq!(day, today.date);
        }
        other => panic!("not an answer: {other:?}"),
    }

    for mood in [3, 8] {
        h.write(Draft::shared(Content::CheckIn {
            mood: Mood::new(mood).expect("in range"),
            why: String::new(),
        }))
        .await
        .expect("check-in");
    }
    h.write(Draft::shared(Content::Gratitude {
        to: None,
        lines: vec!["you".into()],
    }))
    .await
    .expect("gratitude");
    h.write(Draft::private(Content::Appreciation {
        to: None,
        body: "private".into(),
    }))
    .await
    .expect("appreciation");
    h.write(Draft::shared(Content::Debrief {
        hard: "Rain.".into(),
        helped: String::new(),
    }))
    .await
    .expect("debrief");
    h.plan_date_night("Soup and a film.").await.expect("a plan");
    let insights = h
        .insights(UnixMs::EPOCH, UnixMs::from_millis(i64::MAX))
        .await
        .expect("insights");
    let me = h.me().await.expect("me").id;
    let moods: Vec<u8> = insights.moods[&me].iter().map(|p| p.mood.get()).collect();
    assert_eq!(moods, vec![3, 8]);
    assert_eq!(
        insights.together,
        hearth::Together {
            check_ins: 2,
            gratitude: 1,
            // The appreciation is private: not in insights.
            appreciations: 0,
            bids_turned_toward: 0,
            questions_answered_together: 0,
            // Today's check-ins count once, the gratitude, the debrief and the date night
            // planned.
            rituals_kept: 4,
        }
    );
    assert!(
        h.insights(UnixMs::EPOCH, UnixMs::from_millis(1))
            .await
            .expect("insights")
            .moods
            .is_empty()
    );
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn name_and_passphrase_changes_last() {
    let dir = tempfile::tempdir().expect("temp dir");
    let h = create(dir.path(), "Ada", false).await;
    h.set_name("Ada L.").await.expect("rename");
    assert_eq!(h.me().await.expect("me").name, "Ada L.");
    assert!(h.set_name("   ").await.is_err());
    let new = Passphrase::new("a new passphrase");
    assert!(
        h.change_passphrase(&Passphrase::new("nope"), &new)
            .await
            .is_err()
    );
    h.change_passphrase(&passphrase(), &new)
        .await
        .expect("change");
    h.set_network(hearth::NetworkMode::Local)
        .await
        .expect("network setting");
    h.shutdown().await;

    let old = Hearth::open(dir.path(), &passphrase(), options(false)).await;
    assert!(matches!(old, Err(OpenError::WrongPassphrase(_))));
    let opts = Options {
        network: None,
        ..options(false)
    };
    let h = Hearth::open(dir.path(), &new, opts)
        .await
        .expect("open with the new passphrase");
    assert_eq!(h.me().await.expect("me").name, "Ada L.");
    assert_eq!(h.members().await.expect("members").len(), 1);
    assert_eq!(
        h.network_mode(),
        &hearth::NetworkMode::Local,
        "the stored mode applies"
    );
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compaction_keeps_every_entry() {
    let dir = tempfile::tempdir().expect("temp dir");
    let h = create(dir.path(), "Ada", false).await;
    // More changes than the store keeps as chunks before it asks for a snapshot, then a pause in
    // which the snapshot is saved apart and stored, then more changes while the next is saved.
    let first = hearth_store::COMPACT_AFTER_CHUNKS + 20;
    let count = 2 * hearth_store::COMPACT_AFTER_CHUNKS + 20;
    for n in 0..count {
        if n == first {
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        h.write(Draft::shared(journal(&format!("entry {n}"))))
            .await
            .expect("write");
    }
    h.shutdown().await;
    // The snapshot was taken (after the write that asked for it, or at the latest on closing):
    // the next open replays fewer chunks than the store allows.
    let store =
        hearth_store::Store::open(dir.path(), &support::passphrase()).expect("open the store");
    let left = store
        .chunks_since_snapshot(hearth_store::DocId::Shared)
        .expect("count");
    assert!(left < hearth_store::COMPACT_AFTER_CHUNKS, "{left} chunks");
    drop(store);
    let h = open(dir.path(), false).await;
    let texts = support::texts(&h).await;
    assert_eq!(texts.len(), count);
    assert_eq!(texts[0], format!("entry {}", count - 1));
    assert_eq!(texts[count - 1], "entry 0");
    h.shutdown().await;
}

#[test]
fn hearth_can_be_shared_between_tasks() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Hearth>();
}

/// The key derivation a store's passphrase lock is made with, read from its files.
fn lock_of(dir: &std::path::Path) -> KdfParams {
    let store = hearth_store::Store::open(dir, &passphrase()).expect("the store opens");
    store.kdf_params()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_locked_more_cheaply_is_locked_again_at_todays_settings_on_unlock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = create(dir.path(), "Ada", false).await;
    h.write(Draft::shared(journal("before the stronger lock")))
        .await
        .expect("write");
    h.shutdown().await;
    let cheap = KdfParams::insecure_fast_for_tests();
    assert_eq!(lock_of(dir.path()), cheap);

    // Opened by a build whose settings are dearer (here a little dearer, to stay quick).
    let dearer = KdfParams {
        memory_kib: 64,
        iterations: 2,
        parallelism: 1,
    };
    assert!(cheap.weaker_than(&dearer));
    let h = Hearth::open(
        dir.path(),
        &passphrase(),
        Options {
            kdf: dearer,
            ..options(false)
        },
    )
    .await
    .expect("opens with the same passphrase");
    h.shutdown().await;
    assert_eq!(
        lock_of(dir.path()),
        dearer,
        "locked again at the dearer settings"
    );

    // A cheaper build opening it later leaves the stronger lock alone, and everything is there.
    let h = open(dir.path(), false).await;
    assert_eq!(texts(&h).await, ["before the stronger lock"]);
    h.shutdown().await;
    assert_eq!(lock_of(dir.path()), dearer);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lan_discovery_is_on_until_turned_off_and_stays_as_set() {
    let dir = tempfile::tempdir().expect("tempdir");
    // mDNS allowed by the options (the network stays off: nothing is announced here).
    let with_mdns = || Options {
        mdns: true,
        ..options(false)
    };
    let h = Hearth::create(dir.path(), &passphrase(), "Ada", with_mdns())
        .await
        .expect("create");
    assert!(
        h.status().await.expect("status").lan_discovery,
        "on by default"
    );
    h.set_lan_discovery(false).await.expect("turn it off");
    h.shutdown().await;

    let h = Hearth::open(dir.path(), &passphrase(), with_mdns())
        .await
        .expect("open");
    assert!(
        !h.status().await.expect("status").lan_discovery,
        "stays off"
    );
    h.set_lan_discovery(true).await.expect("turn it on");
    h.shutdown().await;

    let h = Hearth::open(dir.path(), &passphrase(), with_mdns())
        .await
        .expect("open");
    assert!(h.status().await.expect("status").lan_discovery);
    h.shutdown().await;
    // Options that turn mDNS off win over the setting.
    let h = open(dir.path(), false).await;
    assert!(!h.status().await.expect("status").lan_discovery);
    h.shutdown().await;
}
