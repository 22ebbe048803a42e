//! Automerge data that declares far more work than its size is refused before Automerge reads it,
//! whether it comes in a sync message or is loaded (a snapshot, stored changes); real journals
//! pass.
//!
//! Each bomb here is a few dozen bytes with a valid checksum. Measured against Automerge 0.12
//! without the bounds: a change declaring a million operations takes 0.4 GiB and 3 s to load, 17
//! million abort the process; a document declaring two million changes takes 3.5 GiB and 12 s;
//! a change whose counters pass `u32::MAX`, or a document whose dependencies name a change it
//! does not hold, makes Automerge panic.

#[path = "support/bombs.rs"]
mod bombs;
mod common;
#[path = "support/crafted.rs"]
mod crafted;

use std::time::Duration;

use automerge::transaction::CommitOptions;
use common::*;
use hearth_journal::sync::{
    BYTES_PER_CHANGE, CHANGES_ALLOWANCE, COMPRESSION_CREDIT, ChunkError, InvalidSyncMessage,
    MAX_DOCUMENT_CHANGES, MAX_OP_COUNTER, MAX_OPS, OPS_ALLOWANCE, OPS_PER_BYTE, PeerSync,
    validate_sync_message,
};
use hearth_journal::*;
use proptest::prelude::RngExt;
use proptest::test_runner::{RngAlgorithm, TestRng};

/// How each way in refuses `bytes`: as one change of a sync message, loaded as a journal, and
/// added to a journal.
fn refusals(bytes: &[u8]) -> [Option<ChunkError>; 3] {
    let message = bombs::sync_message(&[bytes.to_vec()]);
    let synced = match validate_sync_message(&message) {
        Err(InvalidSyncMessage::Chunks(e)) => Some(e),
        _ => None,
    };
    let loaded = match Journal::load(bytes, [7; 16]) {
        Err(LoadError::Refused(e)) => Some(e),
        _ => None,
    };
    let added = match couple().0.load_incremental(bytes) {
        Err(LoadError::Refused(e)) => Some(e),
        _ => None,
    };
    [synced, loaded, added]
}

/// Asserts that every way in refuses `bytes` with an error that `expected` accepts.
#[track_caller]
fn assert_refused(bytes: &[u8], expected: impl Fn(&ChunkError) -> bool) {
    for (way, refusal) in ["sync", "load", "load_incremental"]
        .into_iter()
        .zip(refusals(bytes))
    {
        match refusal {
            Some(e) if expected(&e) => {}
            other => panic!("{way}: {other:?}"),
        }
    }
}

/// The most operations an input of `len` plain bytes may declare.
fn ops_limit(len: usize) -> u64 {
    (OPS_ALLOWANCE + OPS_PER_BYTE * len as u64).min(MAX_OPS)
}

/// The most changes the documents of an input of `len` plain bytes may declare.
fn changes_limit(len: usize) -> u64 {
    (CHANGES_ALLOWANCE + len as u64 / BYTES_PER_CHANGE).min(MAX_DOCUMENT_CHANGES)
}

#[test]
fn a_change_declaring_more_operations_than_its_size_allows_is_refused() {
    // Just past the limit: Automerge alone would take 0.4 GiB and seconds to load it.
    let ops = ops_limit(100) + 1;
    let bomb = bombs::change(1, ops);
    assert!(bomb.len() < 100, "{} bytes", bomb.len());
    assert_refused(
        &bomb,
        |e| matches!(e, ChunkError::TooManyOps { declared, limit } if *declared == ops && *limit == ops_limit(bomb.len())),
    );
    // Far past it: Automerge alone would abort the process, or run for many minutes.
    for ops in [1 << 24, 1 << 32, u64::MAX >> 1] {
        let bomb = bombs::change(1, ops);
        assert!(bomb.len() < 100, "{} bytes", bomb.len());
        assert_refused(&bomb, |e| matches!(e, ChunkError::TooManyOps { .. }));
    }
}

#[test]
fn a_compressed_change_is_bounded_by_what_it_inflates_to() {
    let ops = ops_limit(100) + 1;
    let data = bombs::change_data(1, ops, 0);
    for bomb in [
        bombs::compressed_change(&data, &crafted::deflate(&data)),
        bombs::compressed(1, ops),
    ] {
        assert_refused(&bomb, |e| matches!(e, ChunkError::TooManyOps { .. }));
    }
}

#[test]
fn compressed_padding_earns_no_more_than_its_credit() {
    // A change padded with a MiB of zeros (Automerge keeps bytes after the columns): counted as
    // inflated, they would earn ten million operations; compressed to about a KiB, they earn
    // COMPRESSION_CREDIT times that.
    let pad = 1 << 20;
    let padded = |ops: u64| {
        let mut data = bombs::change_data(1, ops, 0);
        data.resize(data.len() + pad, 0);
        let deflated = crafted::deflate(&data);
        (bombs::compressed_change(&data, &deflated), deflated.len())
    };
    let (_, deflated) = padded(u64::from(u32::MAX));
    let ops = ops_limit(100 + COMPRESSION_CREDIT as usize * deflated) + 1;
    let (bomb, deflated) = padded(ops);
    let earned = bomb.len() - deflated + COMPRESSION_CREDIT as usize * deflated;
    assert!(ops > ops_limit(earned), "{ops} ops, {earned} bytes earned");
    assert!(
        ops < ops_limit(pad),
        "uncapped, the padding would let it through"
    );
    assert_refused(&bomb, |e| matches!(e, ChunkError::TooManyOps { .. }));
}

#[test]
fn operations_listing_more_predecessors_than_the_size_allows_are_refused() {
    let bomb = bombs::predecessors(ops_limit(100) + 1);
    assert!(bomb.len() < 100, "{} bytes", bomb.len());
    assert_refused(&bomb, |e| matches!(e, ChunkError::TooManyLinks { .. }));
    let bomb = bombs::predecessors(1 << 40);
    assert_refused(&bomb, |e| matches!(e, ChunkError::TooManyLinks { .. }));
}

#[test]
fn a_document_declaring_more_operations_than_its_size_allows_is_refused() {
    for ops in [ops_limit(200) + 1, 1 << 32] {
        let bomb = bombs::document(1, ops);
        assert!(bomb.len() < 200, "{} bytes", bomb.len());
        assert_refused(&bomb, |e| matches!(e, ChunkError::TooManyOps { .. }));
    }
}

#[test]
fn a_document_declaring_more_changes_than_its_size_allows_is_refused() {
    for changes in [changes_limit(200) + 1, 1 << 32] {
        let bomb = bombs::document(changes, 1);
        assert!(bomb.len() < 200, "{} bytes", bomb.len());
        assert_refused(&bomb, |e| matches!(e, ChunkError::TooManyChanges { .. }));
    }
}

#[test]
fn a_change_whose_counters_pass_the_limit_is_refused() {
    // Automerge alone panics on this 58-byte change: its second operation's counter is 2^32.
    let bomb = bombs::change(u64::from(u32::MAX), 2);
    assert_eq!(bomb.len(), 58);
    assert_refused(&bomb, |e| matches!(e, ChunkError::OpCounter { .. }));
    // Automerge would take this one, and every change made here afterwards would need counters
    // past 2^32.
    assert_refused(&bombs::change(u64::from(u32::MAX), 1), |e| {
        matches!(e, ChunkError::OpCounter { .. })
    });
    assert_refused(
        &bombs::change(MAX_OP_COUNTER, 2),
        |e| matches!(e, ChunkError::OpCounter { counter, .. } if *counter == MAX_OP_COUNTER + 1),
    );
    assert!(
        refusals(&bombs::change(MAX_OP_COUNTER, 1))
            .iter()
            .all(Option::is_none),
        "the last counter allowed"
    );
    // A document numbers its changes' operations up to their highest counters.
    assert_refused(&bombs::document_numbered(MAX_OP_COUNTER + 1), |e| {
        matches!(e, ChunkError::OpCounter { .. })
    });
}

#[test]
fn a_document_whose_changes_depend_on_changes_it_lacks_is_refused() {
    // Automerge alone panics, reading a change index out of bounds.
    for index in [2, 1 << 20, -1] {
        let bomb = bombs::document_depending_on(index);
        assert!(bomb.len() < 200, "{} bytes", bomb.len());
        assert_refused(&bomb, |e| matches!(e, ChunkError::Malformed));
    }
    // The other change is there: Automerge reads it, and refuses the made-up head.
    let fine = bombs::document_depending_on(0);
    assert!(refusals(&fine).iter().all(Option::is_none));
}

const WORDS: &[&str] = &[
    "we",
    "walked",
    "to",
    "the",
    "lake",
    "after",
    "dinner",
    "and",
    "talked",
    "about",
    "your",
    "sister",
    "tired",
    "but",
    "glad",
    "morning",
    "coffee",
    "on",
    "balcony",
    "rain",
    "held",
    "off",
    "I",
    "loved",
    "how",
    "you",
    "laughed",
    "at",
    "my",
    "terrible",
    "joke",
    "again",
    "work",
    "was",
    "long",
    "today",
    "thank",
    "for",
    "fixing",
    "bike",
    "heron",
    "is",
    "back",
    "garden",
    "smells",
    "like",
    "summer",
    "a",
    "quiet",
    "evening",
    "with",
    "tea",
    "book",
    "slept",
    "well",
    "worried",
    "mother",
    "call",
    "soon",
    "weekend",
    "trip",
    "mountains",
    "snow",
    "first",
    "time",
    "since",
    "éclair",
    "café",
    "naïve",
    "über",
    "😊",
    "❤️",
    "🌧️",
];

/// Prose of `len` words or so, some long, as a couple writes it.
fn prose(rng: &mut TestRng, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        if i > 0 {
            text.push(if rng.random_range(0..12) == 0 {
                '\n'
            } else {
                ' '
            });
        }
        text.push_str(WORDS[rng.random_range(0..WORDS.len())]);
    }
    text
}

/// A journal written over years as the app writes it: entries of every kind, each its own change,
/// under many actors (a fresh one every time the app opens), with comments, reactions, responses
/// and edits.
fn a_real_journal(entries: i64) -> Journal {
    let mut rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let (mut ada, _) = couple();
    let people = ["ada", "ben"];
    let mut now = START_MS;
    for n in 0..entries {
        now = now.plus(Duration::from_millis(
            rng.random_range(1_200_000..57_600_000),
        ));
        if rng.random_range(0..4) == 0 {
            let actor: [u8; 16] = rng.random();
            ada.automerge_mut()
                .set_actor(automerge::ActorId::from(actor));
        }
        let who = people[rng.random_range(0..2)];
        let other = people
            .iter()
            .find(|p| **p != who)
            .map(|p| MemberId::new(*p));
        let id = EntryId::new(now, rng.random());
        let long = rng.random_range(30..350);
        let content = match n % 6 {
            0 | 1 => Content::Journal {
                body: prose(&mut rng, long),
            },
            2 => Content::CheckIn {
                mood: Mood::new(rng.random_range(1..=10)).expect("1 to 10"),
                why: prose(&mut rng, long / 4),
            },
            3 => Content::Gratitude {
                to: other,
                lines: (0..3).map(|_| prose(&mut rng, 8)).collect(),
            },
            4 => Content::Answer {
                question: format!("q-{:03}", n % 200),
                day: LocalDate::from_utc_ms(now, 0),
                body: prose(&mut rng, long / 2),
            },
            _ => Content::Appreciation {
                to: other,
                body: prose(&mut rng, 20),
            },
        };
        let commit = |j: &mut Journal, at: UnixMs| {
            j.automerge_mut()
                .commit_with(CommitOptions::default().with_time(at.as_millis() / 1000));
        };
        ada.write(&id, &stamp(who, "laptop", now), &content)
            .expect("write");
        commit(&mut ada, now);
        let later = now.plus(Duration::from_millis(rng.random_range(60_000..10_800_000)));
        let partner = people.iter().find(|p| **p != who).copied().unwrap_or("ada");
        if rng.random_range(0..3) == 0 {
            ada.react(&id, &stamp(partner, "phone", later), "❤️", true)
                .expect("react");
            commit(&mut ada, later);
        }
        if rng.random_range(0..4) == 0 {
            for k in 0..rng.random_range(1..4u64) {
                let at = later.plus(Duration::from_secs(k * 600));
                let comment = EntryId::new(at, rng.random());
                let text = prose(&mut rng, 12);
                ada.comment(&id, &comment, &stamp(partner, "phone", at), &text)
                    .expect("comment");
                commit(&mut ada, at);
            }
        }
        if rng.random_range(0..20) == 0 && !matches!(content, Content::Gratitude { .. }) {
            let more = prose(&mut rng, 25);
            let body = format!("{} {more}", content.main_text());
            ada.edit(&id, &stamp(who, "laptop", later), &Edit::Body(body))
                .expect("edit");
            commit(&mut ada, later);
        }
    }
    ada
}

/// Operations and changes in a journal.
fn census(journal: &mut Journal) -> (u64, u64) {
    let changes = journal.automerge_mut().get_changes(&[]);
    let ops = changes.iter().map(|c| c.len() as u64).sum();
    (ops, changes.len() as u64)
}

/// A journal of 600 entries written as people write: it passes every bound, whole or in
/// changes, loaded or synced, with room to spare that scales to the 50,000 entries of the
/// benchmark journal (docs/benchmarks.md: 98,406 changes, 38.5 MiB of text, a 19.4 MiB document,
/// so about 40 million operations).
#[test]
fn a_real_journal_passes_every_bound() {
    const ENTRIES: i64 = 600;
    let mut ada = a_real_journal(ENTRIES);
    let (ops, changes) = census(&mut ada);
    let saved = ada.save();
    let plain = ada.automerge_mut().save_nocompress().len() as u64;
    let stored: Vec<Vec<u8>> = ada
        .automerge_mut()
        .get_changes(&[])
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    let change_bytes = stored.iter().map(Vec::len).sum::<usize>() as u64;
    let figures = format!(
        "{ops} ops, {changes} changes; document {} bytes ({plain} uncompressed), changes {change_bytes} bytes",
        saved.len()
    );
    // Under one operation per byte, whole or in changes: a tenth of the limit. (Here 0.6, about
    // one per character written.)
    assert!(ops < plain, "{figures}");
    assert!(ops < change_bytes, "{figures}");
    // Ten times the bytes per change the limit asks for. (Here 160.)
    assert!(
        saved.len() as u64 > 10 * BYTES_PER_CHANGE * changes,
        "{figures}"
    );
    // At this rate 50,000 entries stay within a third of the caps; the benchmark journal, with
    // somewhat longer entries, within a third and a fortieth.
    assert!(ops * 50_000 / ENTRIES as u64 <= MAX_OPS / 3, "{figures}");
    assert!(
        changes * 50_000 / ENTRIES as u64 <= MAX_DOCUMENT_CHANGES / 20,
        "{figures}"
    );
    const { assert!(40_000_000 <= MAX_OPS / 3 && 98_406 <= MAX_DOCUMENT_CHANGES / 40) };

    // Its snapshot loads, and so do its changes, each alone and all at once.
    let mut loaded = Journal::load(&saved, [3; 16]).expect("the snapshot loads");
    assert_eq!(census(&mut loaded), (ops, changes));
    for change in &stored {
        validate_sync_message(&bombs::sync_message(std::slice::from_ref(change)))
            .expect("each change passes");
    }
    let mut replica = Journal::replica([4; 16]);
    replica
        .load_incremental(&stored.concat())
        .expect("the changes load");
    // With the keys of the answers sealed here, the replica reads as the original does.
    replica.keep_answer_keys(ada.answer_keys().clone());
    assert_eq!(replica.scan().entries, ada.scan().entries);

    // It syncs whole into an empty replica, every message passing the check.
    let mut ben = Journal::replica([5; 16]);
    let (mut sa, mut sb) = (PeerSync::new(), PeerSync::new());
    for _ in 0..100 {
        let mut quiet = true;
        if let Some(m) = ada.generate_sync_message(&mut sa).expect("generate") {
            let m = validate_sync_message(&m).expect("a real message passes");
            ben.receive_sync_message(&mut sb, m).expect("receive");
            quiet = false;
        }
        if let Some(m) = ben.generate_sync_message(&mut sb).expect("generate") {
            let m = validate_sync_message(&m).expect("a real message passes");
            ada.receive_sync_message(&mut sa, m).expect("receive");
            quiet = false;
        }
        if quiet {
            break;
        }
    }
    ben.keep_answer_keys(ada.answer_keys().clone());
    assert_eq!(ben.scan().entries, ada.scan().entries);
}
