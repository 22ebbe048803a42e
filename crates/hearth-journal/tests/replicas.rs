//! Replicas start from one created document, never from two independent ones.

mod common;

use common::*;
use hearth_journal::*;

/// Why the journal is created once: two independently created documents hold two different
/// `entries` maps under the same key, and Automerge shows only one of them after a merge. Merging
/// them is refused.
#[test]
fn independently_created_journals_are_never_merged() {
    let id = JournalId::new("same-id");
    let mut a =
        Journal::create(&id, &member("ada", "Ada"), day(), START_MS, [1; 16]).expect("create");
    let mut b =
        Journal::create(&id, &member("ben", "Ben"), day(), START_MS, [2; 16]).expect("create");
    a.write(
        &common::id(1),
        &stamp("ada", "d", START_MS),
        &journal("from a"),
    )
    .expect("write");
    b.write(
        &common::id(2),
        &stamp("ben", "d", START_MS),
        &journal("from b"),
    )
    .expect("write");
    assert!(matches!(
        a.merge(&mut b),
        Err(MergeError::DifferentJournals)
    ));
    assert_eq!(a.scan().entries.len(), 1, "a refused merge changes nothing");

    // This is what the refusal prevents: the raw documents merge, and one side's entry vanishes.
    let mut raw = a.automerge().clone();
    raw.merge(&mut b.automerge().clone()).expect("raw merge");
    let merged = Journal::load(&raw.save(), [3; 16]).expect("load");
    assert_eq!(
        merged.scan().entries.len(),
        1,
        "a root conflict hides one side's entries"
    );
}

#[test]
fn replicas_from_one_creation_keep_both_sides_entries() {
    let (mut ada, mut ben) = couple();
    ada.write(&id(1), &stamp("ada", "d", START_MS), &journal("from ada"))
        .expect("write");
    ben.write(&id(2), &stamp("ben", "d", START_MS), &journal("from ben"))
        .expect("write");
    ada.merge(&mut ben).expect("merge");
    ben.merge(&mut ada).expect("merge");
    for j in [&ada, &ben] {
        let texts: Vec<String> = j
            .scan()
            .entries
            .iter()
            .map(|e| e.content.main_text())
            .collect();
        assert_eq!(texts, vec!["from ada", "from ben"]);
    }
}

#[test]
fn concurrent_edits_of_one_body_merge_character_by_character() {
    let (mut ada, mut ben) = couple();
    let e = id(1);
    ada.write(
        &e,
        &stamp("ada", "d", START_MS),
        &journal("We went to the market."),
    )
    .expect("write");
    ben.merge(&mut ada).expect("merge");
    ada.edit(
        &e,
        &stamp("ada", "d", at(1)),
        &Edit::Body("On Sunday we went to the market.".into()),
    )
    .expect("edit");
    // The author again, on her other device (only the author edits an entry).
    ben.edit(
        &e,
        &stamp("ada", "phone", at(2)),
        &Edit::Body("We went to the market and bought plums 🍑.".into()),
    )
    .expect("edit");
    ada.merge(&mut ben).expect("merge");
    ben.merge(&mut ada).expect("merge");
    let text = |j: &Journal| {
        j.entry(&e)
            .expect("fits")
            .expect("exists")
            .content
            .main_text()
    };
    assert_eq!(
        text(&ada),
        "On Sunday we went to the market and bought plums 🍑."
    );
    assert_eq!(text(&ada), text(&ben));
}

/// A copy taken to be saved elsewhere saves the journal as it was when copied, and leaves the
/// journal's own saving as it was: a change not yet saved when the copy was taken is still in
/// what the journal saves next.
#[test]
fn a_frozen_copy_saves_the_journal_as_it_was_and_the_journal_goes_on() {
    let (mut ada, _) = couple();
    let start = ada.save_incremental();
    ada.write(&id(1), &stamp("ada", "d", START_MS), &journal("first"))
        .expect("write");
    let frozen = ada.freeze();
    ada.write(&id(2), &stamp("ada", "d", START_MS), &journal("second"))
        .expect("write");

    let copy = Journal::load(&frozen.save(), [7; 16]).expect("the copy loads");
    let ids: Vec<EntryId> = copy.scan().entries.into_iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        vec![id(1)],
        "the copy holds what was there when it was taken"
    );

    let next = ada.save_incremental();
    let stored = Journal::load(&[start, next].concat(), [8; 16]).expect("what was saved loads");
    let ids: Vec<EntryId> = stored.scan().entries.into_iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        vec![id(1), id(2)],
        "both changes were saved after the copy"
    );
}
