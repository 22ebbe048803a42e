//! What a person may read of the journal: the partner's unopened answers, deleted entries and
//! comments, and a copy without history.

mod common;

use common::*;
use hearth_journal::*;

fn answer(question: &str, day: LocalDate, body: &str) -> Content {
    Content::Answer {
        question: question.into(),
        day,
        body: body.into(),
    }
}

fn w(j: &mut Journal, n: i64, who: &str, content: Content) -> EntryId {
    let id = id(n);
    j.write(&id, &stamp(who, "d", at(n)), &content)
        .expect("write");
    id
}

fn comment(j: &mut Journal, entry: &EntryId, n: i64, who: &str, text: &str) -> EntryId {
    let id = id(n);
    j.comment(entry, &id, &stamp(who, "d", at(n)), text)
        .expect("comment");
    id
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn search_as(j: &Journal, reader: &str, query: &str) -> Vec<EntryId> {
    let filter = Filter {
        text: Some(query.into()),
        reader: Some(MemberId::new(reader)),
        ..Filter::default()
    };
    j.timeline(&filter, None, usize::MAX)
        .entries
        .into_iter()
        .map(|e| e.id)
        .collect()
}

#[test]
fn an_unopened_answer_reads_as_answered_and_nothing_more() {
    let (mut ada, mut ben) = couple();
    let bens = w(&mut ben, 1, "ben", answer("c007", day(), "the night train"));
    comment(&mut ben, &bens, 2, "ben", "and the snow on the tracks");
    ada.merge(&mut ben).expect("merge");
    let (adam, benm) = (MemberId::new("ada"), MemberId::new("ben"));

    // Every way Ada reads it: one entry, the whole journal, a page, a search.
    let hidden = Content::HiddenAnswer {
        question: "c007".into(),
        day: day(),
    };
    let one = ada.entry_as(&bens, &adam).expect("reads").expect("there");
    assert_eq!(one.content, hidden);
    assert!(one.comments.is_empty(), "its comments stay closed too");
    assert_eq!(one.texts().count(), 0);
    let scanned = ada.scan_as(&adam).entries;
    assert_eq!(scanned.len(), 1);
    assert_eq!(scanned[0].content, hidden);
    assert_eq!(one.kind(), EntryKind::Answer);
    assert!(search_as(&ada, "ada", "train").is_empty());
    assert!(search_as(&ada, "ada", "snow").is_empty());
    // Its author reads it whole; Ada's copy of the document holds only its sealed text.
    assert_eq!(search_as(&ben, "ben", "train"), vec![bens.clone()]);
    assert_eq!(
        ben.entry_as(&bens, &benm)
            .expect("reads")
            .expect("there")
            .content
            .main_text(),
        "the night train"
    );
    assert_eq!(
        ada.entry(&bens).expect("reads").expect("there").content,
        hidden
    );

    // An answer to another question, or to this one a week away, opens nothing.
    w(&mut ada, 3, "ada", answer("c008", day(), "tea"));
    w(
        &mut ada,
        4,
        "ada",
        answer("c007", day().add_days(7), "later"),
    );
    assert!(search_as(&ada, "ada", "train").is_empty());

    // Ada answers the same question (on her calendar a day later): Ben's opens to her.
    let adas = w(
        &mut ada,
        5,
        "ada",
        answer("c007", day().add_days(1), "your laugh"),
    );
    // It opens once Ben's device has seen her answer and published its key.
    assert_eq!(
        ada.entry_as(&bens, &adam)
            .expect("reads")
            .expect("there")
            .content,
        hidden
    );
    ben.merge(&mut ada).expect("merge");
    assert_eq!(ben.open_answers(&benm).expect("open"), vec![bens.clone()]);
    ada.merge(&mut ben).expect("merge");
    let opened = ada.entry_as(&bens, &adam).expect("reads").expect("there");
    assert_eq!(opened.content.main_text(), "the night train");
    assert_eq!(opened.comments.len(), 1);
    assert_eq!(search_as(&ada, "ada", "snow"), vec![bens.clone()]);

    // What has been read stays open, even if she deletes her answer, in today's view too.
    ada.delete(&adas, &stamp("ada", "d", at(6)))
        .expect("delete");
    assert_eq!(search_as(&ada, "ada", "train"), vec![bens]);
    let today = ada.answer_state("c007", day(), &adam);
    assert_eq!(today.mine, None, "her answer is deleted");
    assert!(
        matches!(today.partner, PartnerAnswer::Revealed(_)),
        "{today:?}"
    );
}

#[test]
fn a_hidden_answer_cannot_be_written() {
    let (mut ada, _) = couple();
    let hidden = Content::HiddenAnswer {
        question: "c007".into(),
        day: day(),
    };
    assert!(matches!(
        ada.write(&id(1), &stamp("ada", "d", at(1)), &hidden),
        Err(WriteError::Empty)
    ));
}

#[test]
fn deleting_clears_the_text_and_the_partner_receives_it() {
    let (mut ada, mut ben) = couple();
    let entry = w(&mut ada, 1, "ada", journal("the secret about the lake"));
    ada.react(&entry, &stamp("ada", "d", at(2)), "🔥", true)
        .expect("react");
    ben.merge(&mut ada).expect("merge");
    comment(&mut ben, &entry, 3, "ben", "my reply about the lake");
    ada.merge(&mut ben).expect("merge");

    ada.delete(&entry, &stamp("ada", "d", at(4)))
        .expect("delete");
    // Ben, not having seen the deletion yet, comments again: that goes with the entry too.
    comment(&mut ben, &entry, 5, "ben", "and the boat on the lake");
    ben.merge(&mut ada).expect("merge");
    ada.merge(&mut ben).expect("merge");
    for j in [&ada, &ben] {
        let gone = j.entry(&entry).expect("reads").expect("there");
        assert!(gone.deleted);
        assert_eq!(gone.content.main_text(), "");
        assert!(gone.reactions.is_empty());
        // Whose comments went with it stays, so the view can say so; their text does not.
        assert_eq!(gone.comments.len(), 2);
        assert!(
            gone.comments
                .iter()
                .all(|c| c.author == MemberId::new("ben"))
        );
        assert!(gone.comments.iter().all(|c| c.text.is_empty()));
        assert!(j.search("lake").is_empty());
    }
    // The history still holds it; a fresh copy does not.
    assert!(contains(&ada.save(), "secret"));
    let copy = ada.fresh_copy(&MemberId::new("ada")).expect("copy");
    assert!(!contains(&copy, "secret"));
    assert!(!contains(&copy, "reply"));
}

#[test]
fn a_person_edits_and_deletes_their_own_comments_only() {
    let (mut ada, mut ben) = couple();
    let entry = w(&mut ada, 1, "ada", journal("pancakes"));
    ben.merge(&mut ada).expect("merge");
    let bens = comment(&mut ben, &entry, 2, "ben", "with blueberries");
    ada.merge(&mut ben).expect("merge");

    let ada_now = stamp("ada", "d", at(3));
    assert!(matches!(
        ada.edit_comment(&entry, &bens, &ada_now, "with nothing"),
        Err(WriteError::NotYours { .. })
    ));
    assert!(matches!(
        ada.delete_comment(&entry, &bens, &ada_now),
        Err(WriteError::NotYours { .. })
    ));
    assert!(matches!(
        ada.delete_comment(&entry, &id(99), &ada_now),
        Err(WriteError::UnknownEntry { .. })
    ));

    let ben_now = stamp("ben", "d", at(4));
    ben.edit_comment(&entry, &bens, &ben_now, "with raspberries")
        .expect("edit");
    assert!(matches!(
        ben.edit_comment(&entry, &bens, &ben_now, "  "),
        Err(WriteError::Empty)
    ));
    ada.merge(&mut ben).expect("merge");
    let read = ada.entry(&entry).expect("reads").expect("there");
    assert_eq!(read.comments[0].text, "with raspberries");

    ben.delete_comment(&entry, &bens, &ben_now).expect("delete");
    ada.merge(&mut ben).expect("merge");
    assert!(
        ada.entry(&entry)
            .expect("reads")
            .expect("there")
            .comments
            .is_empty()
    );
    assert!(!contains(
        &ada.fresh_copy(&MemberId::new("ada")).expect("copy"),
        "raspberries"
    ));
}

#[test]
fn a_fresh_copy_reads_as_the_journal_does_without_its_history() {
    let (mut ada, mut ben) = couple();
    let first = w(&mut ada, 1, "ada", journal("first draft"));
    ada.edit(
        &first,
        &stamp("ada", "d", at(2)),
        &Edit::Body("final words".into()),
    )
    .expect("edit");
    let gone = w(&mut ada, 3, "ada", journal("never mind"));
    ada.delete(&gone, &stamp("ada", "d", at(4)))
        .expect("delete");
    w(
        &mut ada,
        5,
        "ada",
        Content::Gratitude {
            to: Some(MemberId::new("ben")),
            lines: vec!["coffee".into(), "the walk".into(), "your hands".into()],
        },
    );
    ben.merge(&mut ada).expect("merge");
    let hidden = w(&mut ben, 6, "ben", answer("c001", day(), "the red door"));
    comment(&mut ben, &first, 7, "ben", "love these words");
    ada.merge(&mut ben).expect("merge");

    let adam = MemberId::new("ada");
    let bytes = ada.fresh_copy(&adam).expect("copy");
    for word in ["first draft", "never mind", "red door"] {
        assert!(!contains(&bytes, word), "{word} left the device");
    }
    let mut copy = Journal::load(&bytes, [9; 16]).expect("loads");
    assert_eq!(copy.info().expect("reads"), ada.info().expect("reads"));
    let live: Vec<Entry> = ada
        .scan_as(&adam)
        .entries
        .into_iter()
        .filter(|e| !e.deleted && e.id != hidden)
        .collect();
    assert_eq!(copy.scan().entries, live);
    assert!(copy.scan().warnings.is_empty());
    // One change: no history to walk.
    assert_eq!(copy.automerge_mut().get_changes(&[]).len(), 1);
}
