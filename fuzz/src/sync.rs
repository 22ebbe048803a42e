//! Sync messages from a paired peer: validation, then Automerge's receive and generate, on a
//! small journal.
//!
//! The script is a sequence of messages. Each is validated as the network layer does; a valid one
//! is received into the journal and the journal answers with its next message, then the journal
//! is read as the app would read it. A message Automerge refuses leaves the journal as it was; a
//! panic inside Automerge is caught and reported by the sync module (the caller then reloads the
//! journal), so that is the end of the script.

use std::cell::RefCell;

use hearth_journal::sync::{PeerSync, SyncError, validate_sync_message};
use hearth_journal::{
    BidKind, Content, DeviceRef, EntryId, Filter, Journal, JournalId, LocalDate, Member, MemberId,
    Mood, Stamp, UnixMs,
};

use crate::input::{Input, Script};

#[path = "../../crates/hearth-journal/tests/support/bombs.rs"]
mod bombs;

const START_MS: UnixMs = UnixMs::from_millis(1_763_800_000_000);

/// `n` milliseconds after the start.
fn at(n: i64) -> UnixMs {
    UnixMs::from_millis(START_MS.as_millis() + n)
}

fn member(id: &str, name: &str) -> Member {
    Member {
        id: MemberId::new(id),
        name: name.into(),
        joined_ms: START_MS,
    }
}

fn stamp(member: &str, now_ms: UnixMs) -> Stamp {
    Stamp {
        member: MemberId::new(member),
        device: DeviceRef::new(format!("{member}-laptop")),
        now_ms,
    }
}

fn day() -> LocalDate {
    LocalDate::from_utc_ms(START_MS, 0)
}

/// Ada's journal with a few entries, and Ben's replica that has it all plus entries of his own.
fn couple() -> (Journal, Journal) {
    let mut ada = Journal::create(
        &JournalId::new("journal-1"),
        &member("ada", "Ada"),
        day(),
        START_MS,
        [1; 16],
    )
    .expect("a new journal");
    ada.put_member(&member("ben", "Ben")).expect("add Ben");
    let first = EntryId::new(at(1), [1; 9]);
    ada.write(
        &first,
        &stamp("ada", at(1)),
        &Content::Journal {
            body: "We walked to the lake.".into(),
        },
    )
    .expect("write");
    ada.write(
        &EntryId::new(at(2), [2; 9]),
        &stamp("ada", at(2)),
        &Content::CheckIn {
            mood: Mood::new(7).expect("7 is a mood"),
            why: "tired but glad".into(),
        },
    )
    .expect("write");
    let mut ben = ada.fork([2; 16]);
    ben.write(
        &EntryId::new(at(3), [3; 9]),
        &stamp("ben", at(3)),
        &Content::Bid {
            to: Some(MemberId::new("ada")),
            bid: BidKind::LookAtThis,
            body: "the heron is back".into(),
            response: None,
        },
    )
    .expect("write");
    ben.write(
        &EntryId::new(at(5), [5; 9]),
        &stamp("ben", at(5)),
        &Content::Gratitude {
            to: Some(MemberId::new("ada")),
            lines: vec!["tea".into(), "the map".into(), "your laugh".into()],
        },
    )
    .expect("write");
    ben.write(
        &EntryId::new(at(6), [6; 9]),
        &stamp("ben", at(6)),
        &Content::Appreciation {
            to: None,
            body: "thank you for fixing the bike".into(),
        },
    )
    .expect("write");
    // A fixed key, so the seed's sealed answer is the same on every run.
    ben.keep_answer_key(
        EntryId::new(at(7), [7; 9]),
        hearth_crypto::AnswerKey::from_bytes([0x77; 32]),
    );
    ben.write(
        &EntryId::new(at(7), [7; 9]),
        &stamp("ben", at(7)),
        &Content::Answer {
            question: "q-001".into(),
            day: day(),
            body: "the first snow".into(),
        },
    )
    .expect("write");
    ben.comment(
        &first,
        &EntryId::new(at(4), [4; 9]),
        &stamp("ben", at(4)),
        "and the rain held off",
    )
    .expect("comment");
    (ada, ben)
}

/// A journal with entries of several kinds, a comment and two members, for seeds.
pub fn seed_journal() -> Journal {
    let (mut ada, mut ben) = couple();
    ada.merge(&mut ben)
        .expect("two replicas of one journal merge");
    ada
}

thread_local! {
    /// Ada's journal, built once; each run works on a fork.
    static ADA: RefCell<Journal> = RefCell::new(couple().0);
}

/// Runs one script.
pub fn run(data: &[u8]) {
    drive(data);
}

/// Runs one script; returns how many entries the journal holds at the end (`None` if Automerge
/// panicked and the journal would be reloaded).
pub fn drive(data: &[u8]) -> Option<usize> {
    let mut input = Input::new(data);
    let mut journal = ADA.with(|ada| ada.borrow_mut().fork([9; 16]));
    let mut peer = PeerSync::new();
    // Say hello first, as a session does.
    if journal.generate_sync_message(&mut peer).is_err() {
        panic!("generating the first message of a fresh journal does not fail");
    }
    let mut messages = 0;
    while !input.is_empty() && messages < 16 {
        messages += 1;
        let bytes = input.slice();
        let Ok(message) = validate_sync_message(bytes) else {
            continue;
        };
        match journal.receive_sync_message(&mut peer, message) {
            Ok(()) | Err(SyncError::Rejected(_)) => {}
            Err(_) => return None,
        }
        if journal.generate_sync_message(&mut peer).is_err() {
            return None;
        }
        let _ = journal.in_sync_with(&peer);
        let page = journal.timeline(&Filter::default(), None, 50);
        for entry in &page.entries {
            let _ = journal.entry(&entry.id);
        }
    }
    // What survives a reconnect must read back.
    let saved = peer.persist();
    let mut restored = PeerSync::restore(&saved).expect("a persisted sync state restores");
    restored.reconnect();
    Some(journal.scan().entries.len())
}

/// Real sync traffic: Ben's messages to Ada's journal in a full sync, a sync from an empty
/// replica, and Ada's own messages echoed back; and crafted changes and documents that declare
/// far more work than their size, each of which the validation refuses.
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    let (mut ada, mut ben) = couple();
    let mut to_ada = Vec::new();
    let mut to_ben = Vec::new();
    let (mut ada_peer, mut ben_peer) = (PeerSync::new(), PeerSync::new());
    for _ in 0..8 {
        let from_ada = ada.generate_sync_message(&mut ada_peer).expect("generate");
        let from_ben = ben.generate_sync_message(&mut ben_peer).expect("generate");
        if from_ada.is_none() && from_ben.is_none() {
            break;
        }
        if let Some(m) = from_ada {
            to_ben.push(m.clone());
            let m = validate_sync_message(&m).expect("Automerge's own message");
            ben.receive_sync_message(&mut ben_peer, m).expect("receive");
        }
        if let Some(m) = from_ben {
            to_ada.push(m.clone());
            let m = validate_sync_message(&m).expect("Automerge's own message");
            ada.receive_sync_message(&mut ada_peer, m).expect("receive");
        }
    }
    let script = |messages: &[Vec<u8>]| {
        messages
            .iter()
            .fold(Script::new(), |s, m| s.slice(m))
            .finish()
    };
    let mut empty = Journal::replica([3; 16]);
    let hello = empty
        .generate_sync_message(&mut PeerSync::new())
        .expect("generate")
        .expect("a fresh replica says hello");
    let mut seeds = vec![
        ("full-sync".to_owned(), script(&to_ada)),
        ("echo".to_owned(), script(&to_ben)),
        ("empty-replica".to_owned(), script(&[hello])),
    ];
    for (i, m) in to_ada.iter().enumerate() {
        seeds.push((format!("message-{i}"), script(std::slice::from_ref(m))));
    }
    let bombs = [
        ("bomb-change", bombs::change(1, 1 << 24)),
        ("bomb-compressed-change", bombs::compressed(1, 1 << 24)),
        ("bomb-predecessors", bombs::predecessors(1 << 32)),
        ("bomb-document-ops", bombs::document(1, 1 << 32)),
        ("bomb-document-changes", bombs::document(1 << 32, 1)),
        ("bomb-start-op", bombs::change(u64::from(u32::MAX), 2)),
        (
            "bomb-document-max-op",
            bombs::document_numbered(u64::from(u32::MAX) + 2),
        ),
        ("bomb-document-dependency", bombs::document_depending_on(2)),
    ];
    for (name, bomb) in bombs {
        seeds.push((name.to_owned(), script(&[bombs::sync_message(&[bomb])])));
    }
    seeds
}
