//! Answers to the question of the day are sealed by cryptography: until the partner has answered
//! too, the partner's device holds only ciphertext, whatever app reads it.

mod common;

use automerge::ReadDoc;
use common::*;
use hearth_journal::*;

fn answer(question: &str, body: &str) -> Content {
    Content::Answer {
        question: question.into(),
        day: day(),
        body: body.into(),
    }
}

fn w(j: &mut Journal, n: i64, who: &str, content: Content) -> EntryId {
    let id = id(n);
    j.transact(|j| j.write(&id, &stamp(who, "d", at(n)), &content))
        .expect("write");
    id
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn content_of(j: &Journal, id: &EntryId) -> Content {
    j.entry(id).expect("readable").expect("there").content
}

/// Publishes what `who` may open, as their device does after every change.
fn open(j: &mut Journal, who: &str) -> Vec<EntryId> {
    j.transact(|j| j.open_answers(&MemberId::new(who)))
        .expect("open")
}

#[test]
fn the_partners_device_holds_only_ciphertext_until_both_have_answered() {
    let (mut ada, mut ben) = couple();
    let adas = w(
        &mut ada,
        1,
        "ada",
        answer("c007", "the night train to Lisbon"),
    );
    assert!(open(&mut ada, "ada").is_empty(), "Ben has not answered");
    ben.merge(&mut ada).expect("merge");

    // Ben's device, read with no reading rule at all (as a modified app would): no text.
    assert_eq!(
        content_of(&ben, &adas),
        Content::HiddenAnswer {
            question: "c007".into(),
            day: day(),
        }
    );
    assert_eq!(
        ben.entry(&adas).expect("readable").expect("there").sealing,
        Sealing::Sealed
    );
    let bytes = ben.save();
    assert!(!contains(&bytes, "Lisbon"), "the document holds the text");
    assert!(
        !contains(&bytes, "night train"),
        "the document holds the text"
    );
    // What a version without sealing reads where the text was: that it is sealed.
    let entries = ben
        .automerge()
        .get(automerge::ROOT, "entries")
        .expect("get")
        .expect("entries")
        .1;
    let entry = ben
        .automerge()
        .get(&entries, adas.as_str())
        .expect("get")
        .expect("entry")
        .1;
    let body = ben
        .automerge()
        .get(&entry, "body")
        .expect("get")
        .expect("body")
        .1;
    assert_eq!(ben.automerge().text(&body).expect("text"), SEALED_NOTICE);

    // Ada reads her own answer on her device.
    assert_eq!(
        content_of(&ada, &adas).main_text(),
        "the night train to Lisbon"
    );

    // Ben answers; his device sees Ada's answer and publishes his key at once.
    let bens = w(&mut ben, 2, "ben", answer("c007", "the ferry at dawn"));
    assert_eq!(open(&mut ben, "ben"), vec![bens.clone()]);
    let state = ben.answer_state("c007", day(), &MemberId::new("ben"));
    assert_eq!(
        state.partner,
        PartnerAnswer::Opening,
        "Ada's is still sealed"
    );

    // Ada's device receives it, reads it, and publishes her key in turn.
    ada.merge(&mut ben).expect("merge");
    assert_eq!(content_of(&ada, &bens).main_text(), "the ferry at dawn");
    assert_eq!(open(&mut ada, "ada"), vec![adas.clone()]);
    ben.merge(&mut ada).expect("merge");
    assert_eq!(
        content_of(&ben, &adas).main_text(),
        "the night train to Lisbon"
    );
    match ben
        .answer_state("c007", day(), &MemberId::new("ben"))
        .partner
    {
        PartnerAnswer::Revealed(e) => assert_eq!(e.id, adas),
        other => panic!("not revealed: {other:?}"),
    }
    // Nothing more to publish.
    assert!(open(&mut ada, "ada").is_empty());
    assert!(!ada.answers_waiting());
}

#[test]
fn an_answer_to_a_question_only_one_answered_stays_sealed_unless_its_author_opens_it() {
    let (mut ada, mut ben) = couple();
    let adas = w(&mut ada, 1, "ada", answer("c010", "the smell of rain"));
    // Ben answers another question; a deleted answer of his does not count either.
    let other = w(&mut ben, 2, "ben", answer("c011", "something else"));
    let deleted = w(&mut ben, 3, "ben", answer("c010", "a first try"));
    ben.transact(|j| j.delete(&deleted, &stamp("ben", "d", at(4))))
        .expect("delete");
    ada.merge(&mut ben).expect("merge");
    assert!(open(&mut ada, "ada").is_empty(), "the question was skipped");
    ben.merge(&mut ada).expect("merge");
    assert!(matches!(
        content_of(&ben, &adas),
        Content::HiddenAnswer { .. }
    ));

    // Ada chooses to show it.
    ada.transact(|j| j.open_answer(&adas, &stamp("ada", "d", at(5))))
        .expect("open");
    ben.merge(&mut ada).expect("merge");
    assert_eq!(content_of(&ben, &adas).main_text(), "the smell of rain");
    assert_eq!(
        ben.entry(&adas).expect("readable").expect("there").sealing,
        Sealing::Opened
    );
    // Only the author can: Ben cannot open Ada's, and his own other answer opens on his word.
    let err = ben
        .transact(|j| j.open_answer(&adas, &stamp("ben", "d", at(6))))
        .expect_err("not his");
    assert!(matches!(err, WriteError::NotYours { .. }), "{err:?}");
    assert!(matches!(
        content_of(&ada, &other),
        Content::HiddenAnswer { .. }
    ));
}

#[test]
fn an_edited_answer_stays_sealed_and_a_deleted_one_leaves_no_key_or_text() {
    let (mut ada, mut ben) = couple();
    let adas = w(&mut ada, 1, "ada", answer("c012", "first thoughts"));
    ada.transact(|j| {
        j.edit(
            &adas,
            &stamp("ada", "d", at(2)),
            &Edit::Body("second thoughts, kinder".into()),
        )
    })
    .expect("edit");
    assert_eq!(
        content_of(&ada, &adas).main_text(),
        "second thoughts, kinder"
    );
    ben.merge(&mut ada).expect("merge");
    let bytes = ben.save();
    assert!(!contains(&bytes, "thoughts"), "an edit is sealed too");

    ada.transact(|j| j.delete(&adas, &stamp("ada", "d", at(3))))
        .expect("delete");
    let entry = ada.entry(&adas).expect("readable").expect("there");
    assert!(entry.deleted);
    assert_eq!(entry.content.main_text(), "");
}

#[test]
fn a_copy_to_keep_reads_my_sealed_answers_and_not_the_partners_unopened_ones() {
    let (mut ada, mut ben) = couple();
    let adas = w(&mut ada, 1, "ada", answer("c020", "my half"));
    let bens = w(&mut ben, 2, "ben", answer("c021", "his half"));
    ada.merge(&mut ben).expect("merge");
    let copy = ada.fresh_copy(&MemberId::new("ada")).expect("copy");
    let copy = Journal::load(&copy, [9; 16]).expect("loads");
    assert_eq!(content_of(&copy, &adas).main_text(), "my half");
    assert!(copy.entry(&bens).expect("readable").is_none());
}

#[test]
fn an_answer_written_before_sealing_still_reads_and_opens_as_before() {
    // A journal of the previous version: the answer's text in `body`, no `sealed`.
    let (mut ada, mut ben) = couple();
    let old = id(1);
    ben.transact(|j| {
        let doc = j.automerge_mut();
        let entries = doc
            .get(automerge::ROOT, "entries")
            .expect("get")
            .expect("entries")
            .1;
        use automerge::transaction::Transactable;
        let e = doc
            .put_object(&entries, old.as_str(), automerge::ObjType::Map)
            .expect("put");
        for (k, v) in [
            ("kind", "answer"),
            ("author", "ben"),
            ("device", "d"),
            ("question", "c030"),
        ] {
            doc.put(&e, k, v).expect("put");
        }
        doc.put(&e, "day", day().to_string()).expect("put");
        doc.put(&e, "created_ms", at(1).as_millis()).expect("put");
        let body = doc
            .put_object(&e, "body", automerge::ObjType::Text)
            .expect("put");
        doc.splice_text(&body, 0, 0, "written the old way")
            .expect("text");
        Ok::<_, automerge::AutomergeError>(())
    })
    .expect("old answer");
    ada.merge(&mut ben).expect("merge");
    let adam = MemberId::new("ada");
    assert!(matches!(
        ada.entry_as(&old, &adam)
            .expect("readable")
            .expect("there")
            .content,
        Content::HiddenAnswer { .. }
    ));
    w(&mut ada, 2, "ada", answer("c030", "and mine the new way"));
    assert_eq!(
        ada.entry_as(&old, &adam)
            .expect("readable")
            .expect("there")
            .content
            .main_text(),
        "written the old way"
    );
}

/// After a person's own write, only the answers it wrote are looked at: one written after the
/// partner answered opens at once; the partner's unanswered question stays sealed; and each
/// answer is handed over once.
#[test]
fn an_answer_written_after_the_partners_opens_when_the_answers_written_are_looked_at() {
    let (mut ada, mut ben) = couple();
    w(&mut ada, 1, "ada", answer("c007", "the night train"));
    w(&mut ada, 2, "ada", answer("c008", "a kite"));
    assert_eq!(ada.take_answers_written(), vec![id(1), id(2)]);
    ben.merge(&mut ada).expect("merge");

    let bens = w(&mut ben, 3, "ben", answer("c007", "a harbour at dawn"));
    let written = ben.take_answers_written();
    assert_eq!(written, vec![bens.clone()]);
    assert!(ben.take_answers_written().is_empty(), "handed over once");
    let opened = ben
        .transact(|j| j.open_answers_among(&MemberId::new("ben"), written))
        .expect("open");
    assert_eq!(opened, vec![bens.clone()], "Ada answered c007 already");
    assert!(
        ben.transact(|j| j.open_answers_among(&MemberId::new("ben"), vec![bens.clone()]))
            .expect("open")
            .is_empty(),
        "an answer opened already is not opened again"
    );

    let lone = w(&mut ben, 4, "ben", answer("c009", "the garden"));
    let written = ben.take_answers_written();
    assert!(
        ben.transact(|j| j.open_answers_among(&MemberId::new("ben"), written))
            .expect("open")
            .is_empty(),
        "nobody else answered c009"
    );
    assert_eq!(
        ben.entry(&lone).expect("readable").expect("there").sealing,
        Sealing::Sealed
    );
}
