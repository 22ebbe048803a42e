//! Every kind of entry, and every change to one, read back through the public API.

mod common;

use common::*;
use hearth_journal::*;

fn write(j: &mut Journal, n: i64, who: &str, content: Content) -> EntryId {
    let id = id(n);
    j.write(&id, &stamp(who, &format!("{who}-laptop"), at(n)), &content)
        .expect("write");
    id
}

fn read(j: &Journal, id: &EntryId) -> Entry {
    j.entry(id).expect("fits the schema").expect("exists")
}

#[test]
fn every_kind_round_trips() {
    let (mut ada, _) = couple();
    let ben = Some(MemberId::new("ben"));
    let kinds = vec![
        journal("We walked to the lake.\nIt was cold and lovely."),
        Content::CheckIn {
            mood: Mood::new(7).expect("1-10"),
            why: "tired but glad".into(),
        },
        Content::Gratitude {
            to: ben.clone(),
            lines: vec![
                "the coffee".into(),
                "your laugh at dinner".into(),
                "the note on the fridge".into(),
            ],
        },
        Content::Appreciation {
            to: ben.clone(),
            body: "Thank you for fixing the bike.".into(),
        },
        Content::Answer {
            question: "l001".into(),
            day: day(),
            body: "Pancakes, always.".into(),
        },
        Content::Bid {
            to: ben,
            bid: BidKind::LookAtThis,
            body: "the moon tonight".into(),
            response: None,
        },
    ];
    for (n, content) in kinds.into_iter().enumerate() {
        let id = write(&mut ada, n as i64, "ada", content.clone());
        let entry = read(&ada, &id);
        assert_eq!(entry.content, content);
        assert_eq!(entry.kind(), content.kind());
        assert_eq!(entry.author, MemberId::new("ada"));
        assert_eq!(entry.device, DeviceRef::new("ada-laptop"));
        assert_eq!(entry.created_ms, at(n as i64));
        assert_eq!(entry.edited_ms, entry.created_ms);
        assert!(!entry.deleted);
    }
    let scan = ada.scan();
    assert_eq!(scan.entries.len(), 6);
    assert!(scan.warnings.is_empty(), "{:?}", scan.warnings);
}

#[test]
fn edits_change_text_and_time() {
    let (mut ada, _) = couple();
    let id = write(&mut ada, 1, "ada", journal("Grüße aus Köln 🌧️"));
    ada.edit(
        &id,
        &stamp("ada", "ada-laptop", at(50)),
        &Edit::Body("Grüße aus Köln ☀️ — finally".into()),
    )
    .expect("edit");
    let entry = read(&ada, &id);
    assert_eq!(entry.content, journal("Grüße aus Köln ☀️ — finally"));
    assert_eq!(entry.edited_ms, at(50));

    let check = write(
        &mut ada,
        2,
        "ada",
        Content::CheckIn {
            mood: Mood::new(3).expect("1-10"),
            why: String::new(),
        },
    );
    let s = stamp("ada", "ada-laptop", at(60));
    ada.edit(&check, &s, &Edit::Mood(Mood::new(6).expect("1-10")))
        .expect("mood");
    ada.edit(&check, &s, &Edit::Body("better after a walk".into()))
        .expect("why");
    assert_eq!(
        read(&ada, &check).content,
        Content::CheckIn {
            mood: Mood::new(6).expect("1-10"),
            why: "better after a walk".into()
        }
    );

    let thanks = write(
        &mut ada,
        3,
        "ada",
        Content::Gratitude {
            to: None,
            lines: vec!["a".into(), "b".into(), "c".into()],
        },
    );
    ada.edit(
        &thanks,
        &s,
        &Edit::Line {
            index: 1,
            text: "the soup".into(),
        },
    )
    .expect("line");
    assert!(
        matches!(read(&ada, &thanks).content, Content::Gratitude { ref lines, .. } if lines[1] == "the soup")
    );
    assert!(matches!(
        ada.edit(
            &thanks,
            &s,
            &Edit::Line {
                index: 3,
                text: "d".into()
            }
        ),
        Err(WriteError::NoSuchLine { index: 3 })
    ));
    assert!(matches!(
        ada.edit(&thanks, &s, &Edit::Body("x".into())),
        Err(WriteError::WrongKind {
            kind: EntryKind::Gratitude
        })
    ));
    assert!(matches!(
        ada.edit(&id, &s, &Edit::Mood(Mood::new(2).expect("1-10"))),
        Err(WriteError::WrongKind {
            kind: EntryKind::Journal
        })
    ));
}

#[test]
fn comments_reactions_and_deletion() {
    let (mut ada, mut ben) = couple();
    let id = write(&mut ada, 1, "ada", journal("first snow"));
    ben.merge(&mut ada).expect("merge");
    let b = stamp("ben", "ben-phone", at(10));
    ben.comment(&id, &EntryId::new(at(10), [9; 9]), &b, "I saw it too!")
        .expect("comment");
    ben.react(&id, &b, "❤️", true).expect("react");
    ben.react(&id, &b, "😂", true).expect("react");
    ben.react(&id, &b, "😂", false).expect("unreact");
    ada.merge(&mut ben).expect("merge");
    let entry = read(&ada, &id);
    assert_eq!(entry.comments.len(), 1);
    assert_eq!(entry.comments[0].text, "I saw it too!");
    assert_eq!(entry.comments[0].author, MemberId::new("ben"));
    let hearts: Vec<&String> = entry.reactions[&MemberId::new("ben")].iter().collect();
    assert_eq!(hearts, vec!["❤️"]);

    // Ada cannot delete Ben's comment, nor Ben Ada's entry; Ben deletes his own comment.
    let comment = entry.comments[0].id.clone();
    let early = stamp("ada", "ada-laptop", at(15));
    assert!(matches!(
        ada.delete_comment(&id, &comment, &early),
        Err(WriteError::NotYours { id: refused }) if refused == comment
    ));
    assert!(matches!(
        ben.delete(&id, &b),
        Err(WriteError::NotYours { .. })
    ));
    assert!(matches!(
        ben.edit(&id, &b, &Edit::Body("rewritten by Ben".into())),
        Err(WriteError::NotYours { .. })
    ));
    assert_eq!(read(&ben, &id).content.main_text(), "first snow");
    ben.delete_comment(&id, &comment, &b)
        .expect("delete his own comment");
    ada.merge(&mut ben).expect("merge");
    assert!(read(&ada, &id).comments.is_empty());

    let a = stamp("ada", "ada-laptop", at(20));
    ada.delete(&id, &a).expect("delete");
    assert!(read(&ada, &id).deleted);
    assert!(
        ada.timeline(&Filter::default(), None, 10)
            .entries
            .is_empty()
    );
    assert!(matches!(
        ada.comment(&id, &EntryId::new(at(30), [1; 9]), &a, "x"),
        Err(WriteError::Deleted { .. })
    ));
    assert!(matches!(
        ada.react(&id, &a, "👍", true),
        Err(WriteError::Deleted { .. })
    ));
}

#[test]
fn bids_are_answered() {
    let (mut ada, mut ben) = couple();
    let bid = write(
        &mut ada,
        1,
        "ada",
        Content::Bid {
            to: Some(MemberId::new("ben")),
            bid: BidKind::ThinkingOfYou,
            body: String::new(),
            response: None,
        },
    );
    ben.merge(&mut ada).expect("merge");
    assert_eq!(
        ben.open_bids_for(&MemberId::new("ben"), UnixMs::EPOCH)
            .len(),
        1
    );
    assert!(
        ada.open_bids_for(&MemberId::new("ada"), UnixMs::EPOCH)
            .is_empty()
    );
    ben.respond(&bid, &stamp("ben", "ben-phone", at(99)), Turn::Toward)
        .expect("respond");
    assert!(
        ben.open_bids_for(&MemberId::new("ben"), UnixMs::EPOCH)
            .is_empty()
    );
    match read(&ben, &bid).content {
        Content::Bid {
            response: Some(r), ..
        } => {
            assert_eq!(r.turn, Turn::Toward);
            assert_eq!(r.at_ms, at(99));
        }
        other => panic!("not an answered bid: {other:?}"),
    }
    let note = write(&mut ben, 2, "ben", journal("x"));
    assert!(matches!(
        ben.respond(&note, &stamp("ben", "p", UnixMs::EPOCH), Turn::Later),
        Err(WriteError::WrongKind {
            kind: EntryKind::Journal
        })
    ));
}

#[test]
fn bad_writes_are_refused_and_change_nothing() {
    let (mut ada, _) = couple();
    let before = ada.save();
    let s = stamp("ada", "ada-laptop", START_MS);
    assert!(matches!(
        ada.write(&id(1), &s, &journal("   ")),
        Err(WriteError::Empty)
    ));
    let long = "x".repeat(MAX_TEXT_CHARS + 1);
    assert!(matches!(
        ada.write(&id(1), &s, &journal(&long)),
        Err(WriteError::TooLong { .. })
    ));
    assert!(matches!(
        ada.edit(&id(9), &s, &Edit::Body("y".into())),
        Err(WriteError::UnknownEntry { .. })
    ));
    assert!(matches!(
        ada.respond(&id(9), &s, Turn::Toward),
        Err(WriteError::UnknownEntry { .. })
    ));
    write(&mut ada, 1, "ada", journal("once"));
    assert!(matches!(
        ada.write(&id(1), &s, &journal("twice")),
        Err(WriteError::Exists { .. })
    ));
    assert_eq!(ada.timeline(&Filter::default(), None, 10).entries.len(), 1);
    let mut fresh = Journal::load(&before, [3; 16]).expect("load");
    assert!(
        fresh
            .timeline(&Filter::default(), None, 10)
            .entries
            .is_empty()
    );
    assert!(!fresh.save().is_empty());
}

#[test]
fn a_replica_waits_for_the_journal() {
    let mut waiting = Journal::replica([5; 16]);
    assert!(!waiting.is_ready());
    assert!(matches!(waiting.info(), Ok(None)));
    assert!(matches!(
        waiting.write(&id(1), &stamp("ben", "p", UnixMs::EPOCH), &journal("hi")),
        Err(WriteError::NotReady)
    ));
    let (mut ada, _) = couple();
    waiting.merge(&mut ada).expect("merge");
    assert!(waiting.is_ready());
    let info = waiting.info().expect("fits").expect("ready");
    assert_eq!(info.id, JournalId::new("journal-1"));
    assert_eq!(info.start_day, day());
    let names: Vec<&str> = info.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, vec!["Ada", "Ben"]);
}

#[test]
fn saving_and_loading_keeps_everything() {
    let (mut ada, _) = couple();
    write(&mut ada, 1, "ada", journal("one"));
    let snapshot = ada.save();
    write(&mut ada, 2, "ada", journal("two"));
    let delta = ada.save_incremental();
    let mut loaded = Journal::load(&snapshot, [7; 16]).expect("snapshot");
    loaded.load_incremental(&delta).expect("changes");
    let bodies: Vec<String> = loaded
        .timeline(&Filter::default(), None, 10)
        .entries
        .iter()
        .map(|e| e.content.main_text())
        .collect();
    assert_eq!(bodies, vec!["two", "one"]);
    // Bytes that are not Automerge chunks are refused before Automerge reads them.
    assert!(matches!(
        Journal::load(b"not a journal", [7; 16]),
        Err(LoadError::Refused(sync::ChunkError::Malformed))
    ));
}

#[test]
fn chunks_loaded_together_make_the_journal_they_make_one_by_one() {
    let (mut ada, _) = couple();
    write(&mut ada, 1, "ada", journal("one"));
    let snapshot = ada.save();
    // Each change stored on its own, as the store keeps them after a snapshot.
    let mut chunks = Vec::new();
    for n in 2..8 {
        write(&mut ada, n, "ada", journal(&format!("entry {n}")));
        chunks.push(ada.save_incremental());
    }
    let bodies = |j: &Journal| -> Vec<String> {
        j.timeline(&Filter::default(), None, 20)
            .entries
            .iter()
            .map(|e| e.content.main_text())
            .collect()
    };

    let mut one_by_one = Journal::load(&snapshot, [7; 16]).expect("snapshot");
    for chunk in &chunks {
        one_by_one.load_incremental(chunk).expect("a change");
    }
    let mut together = Journal::load(&snapshot, [8; 16]).expect("snapshot");
    together
        .load_chunks(chunks.iter().map(Vec::as_slice))
        .expect("the changes");
    assert_eq!(together.heads(), ada.heads());
    assert_eq!(together.heads(), one_by_one.heads());
    assert_eq!(bodies(&together), bodies(&one_by_one));
    assert_eq!(bodies(&together).len(), 7);

    // Out of order, each change before the one it builds on: taken all the same.
    let mut reversed = Journal::load(&snapshot, [9; 16]).expect("snapshot");
    reversed
        .load_chunks(chunks.iter().rev().map(Vec::as_slice))
        .expect("the changes");
    assert_eq!(reversed.heads(), ada.heads());

    // A chunk that is not Automerge's is refused before Automerge reads any of them.
    let mut refused = Journal::load(&snapshot, [10; 16]).expect("snapshot");
    let bad: [&[u8]; 2] = [&chunks[0], b"not a change"];
    assert!(matches!(
        refused.load_chunks(bad),
        Err(LoadError::Refused(sync::ChunkError::Malformed))
    ));
    assert_eq!(bodies(&refused), vec!["one"]);
}

#[test]
fn a_journal_marked_saved_after_loading_saves_only_what_is_new() {
    let (mut ada, _) = couple();
    write(&mut ada, 1, "ada", journal("one"));
    let stored = ada.save();
    let mut loaded = Journal::load(&stored, [7; 16]).expect("loads");
    assert!(
        !loaded.save_incremental().is_empty(),
        "unmarked, a loaded journal saves everything again"
    );

    let mut loaded = Journal::load(&stored, [8; 16]).expect("loads");
    loaded.mark_saved();
    assert!(loaded.save_incremental().is_empty());
    write(&mut loaded, 2, "ada", journal("two"));
    let delta = loaded.save_incremental();
    assert!(!delta.is_empty());
    assert!(loaded.save_incremental().is_empty(), "saved once");
    let mut again = Journal::load(&stored, [9; 16]).expect("loads");
    again
        .load_incremental(&delta)
        .expect("the new change applies");
    let bodies: Vec<String> = again
        .timeline(&Filter::default(), None, 10)
        .entries
        .iter()
        .map(|e| e.content.main_text())
        .collect();
    assert_eq!(bodies, vec!["two", "one"]);
    let mut unmarked = Journal::load(&stored, [8; 16]).expect("loads");
    write(&mut unmarked, 2, "ada", journal("two"));
    assert!(
        delta.len() < unmarked.save_incremental().len(),
        "the delta holds the new change, not the journal again"
    );
}

#[test]
fn a_refused_change_in_a_transaction_leaves_nothing_behind() {
    let (mut ada, _) = couple();
    let kept = write(&mut ada, 1, "ada", journal("kept"));
    ada.save_incremental();
    let heads = ada.automerge_mut().get_heads();
    let refused: Result<(), WriteError> = ada.transact(|j| {
        // A first part that works, then one the journal refuses: neither may stay.
        j.write(
            &id(2),
            &stamp("ada", "ada-laptop", at(2)),
            &journal("half a change"),
        )?;
        j.edit(
            &id(99),
            &stamp("ada", "ada-laptop", at(3)),
            &Edit::Body("no such entry".into()),
        )
    });
    assert!(refused.is_err(), "editing an unknown entry is refused");
    assert_eq!(ada.automerge_mut().get_heads(), heads);
    assert!(ada.save_incremental().is_empty(), "nothing left to save");
    assert!(ada.entry(&id(2)).expect("fits").is_none());

    let done: Result<(), WriteError> = ada.transact(|j| {
        j.edit(
            &kept,
            &stamp("ada", "ada-laptop", at(4)),
            &Edit::Body("kept, and edited".into()),
        )
    });
    done.expect("an edit of a known entry");
    assert_ne!(ada.automerge_mut().get_heads(), heads);
    assert!(
        matches!(read(&ada, &kept).content, Content::Journal { ref body } if body == "kept, and edited")
    );
}
