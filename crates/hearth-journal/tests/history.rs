//! An entry's history, read from Automerge's own history, and restoring a version.

mod common;

use common::*;
use hearth_journal::*;

fn edit(j: &mut Journal, n: i64, member: &str, when: i64, edit: Edit) {
    j.transact(|j| j.edit(&id(n), &stamp(member, "d", at(when)), &edit))
        .expect("edit");
}

fn texts(versions: &[Version]) -> Vec<String> {
    versions.iter().map(|v| v.content.main_text()).collect()
}

#[test]
fn every_edit_is_a_version_and_an_earlier_one_comes_back_as_a_new_change() {
    let (mut ada, mut ben) = couple();
    ada.transact(|j| j.write(&id(1), &stamp("ada", "d", at(1)), &journal("first words")))
        .expect("write");
    edit(&mut ada, 1, "ada", 5, Edit::Body("second thoughts".into()));
    edit(&mut ada, 1, "ada", 9, Edit::Body("third time lucky".into()));
    let me = MemberId::new("ada");
    let versions = ada.history(&id(1), &me).expect("a live entry");
    assert_eq!(
        texts(&versions),
        ["first words", "second thoughts", "third time lucky"]
    );
    assert_eq!(
        versions.iter().map(|v| v.number).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(
        versions.iter().map(|v| v.at_ms).collect::<Vec<_>>(),
        [at(1), at(5), at(9)]
    );
    assert!(versions.iter().all(|v| v.by == me));
    assert!(
        versions
            .iter()
            .all(|v| v.device.as_deref() == Some("0101010101010101"))
    );

    // Ben sees the same history once it arrives, and cannot restore Ada's entry.
    ben.merge(&mut ada).expect("merge");
    assert_eq!(
        texts(&ben.history(&id(1), &MemberId::new("ben")).expect("there")),
        texts(&versions)
    );
    assert!(matches!(
        ben.transact(|j| j.restore(&id(1), &stamp("ben", "d", at(10)), 1)),
        Err(WriteError::NotYours { .. })
    ));

    // Ada brings the first back: it is a new change, so it syncs, and a new version.
    let restored = ada
        .transact(|j| j.restore(&id(1), &stamp("ada", "d", at(12)), 1))
        .expect("restore");
    assert_eq!(restored.content.main_text(), "first words");
    ben.merge(&mut ada).expect("merge");
    let entry = ben.entry(&id(1)).expect("readable").expect("there");
    assert_eq!(entry.content.main_text(), "first words");
    assert_eq!(
        texts(&ada.history(&id(1), &me).expect("there")),
        [
            "first words",
            "second thoughts",
            "third time lucky",
            "first words"
        ]
    );
    assert!(matches!(
        ada.transact(|j| j.restore(&id(1), &stamp("ada", "d", at(13)), 9)),
        Err(WriteError::NoSuchVersion {
            number: 9,
            versions: 4
        })
    ));
}

#[test]
fn a_check_in_and_a_gratitude_keep_their_rating_and_lines_in_each_version() {
    let (mut ada, _) = couple();
    ada.transact(|j| {
        j.write(
            &id(1),
            &stamp("ada", "d", at(1)),
            &Content::CheckIn {
                mood: Mood::new(4).expect("mood"),
                why: "a long day".into(),
            },
        )?;
        j.write(
            &id(2),
            &stamp("ada", "d", at(1)),
            &Content::Gratitude {
                to: None,
                lines: vec!["the tea".into(), "the walk".into(), "the call".into()],
            },
        )
    })
    .expect("write");
    edit(
        &mut ada,
        1,
        "ada",
        3,
        Edit::Mood(Mood::new(7).expect("mood")),
    );
    edit(
        &mut ada,
        2,
        "ada",
        4,
        Edit::Line {
            index: 1,
            text: "the walk in the rain".into(),
        },
    );
    let me = MemberId::new("ada");
    let moods: Vec<Content> = ada
        .history(&id(1), &me)
        .expect("there")
        .into_iter()
        .map(|v| v.content)
        .collect();
    assert_eq!(
        moods,
        [
            Content::CheckIn {
                mood: Mood::new(4).expect("mood"),
                why: "a long day".into()
            },
            Content::CheckIn {
                mood: Mood::new(7).expect("mood"),
                why: "a long day".into()
            },
        ]
    );
    ada.transact(|j| j.restore(&id(2), &stamp("ada", "d", at(6)), 1))
        .expect("restore");
    let now = ada.entry(&id(2)).expect("readable").expect("there");
    assert_eq!(
        now.content,
        Content::Gratitude {
            to: None,
            lines: vec!["the tea".into(), "the walk".into(), "the call".into()],
        }
    );
    assert_eq!(ada.history(&id(2), &me).expect("there").len(), 3);
}

#[test]
fn edits_made_at_once_on_two_devices_end_in_the_merged_version() {
    let (mut ada, _) = couple();
    ada.transact(|j| {
        j.write(
            &id(1),
            &stamp("ada", "d", at(1)),
            &journal("a quiet evening"),
        )
    })
    .expect("write");
    let mut phone = Journal::replica([9; 16]);
    phone.merge(&mut ada).expect("merge");
    edit(
        &mut ada,
        1,
        "ada",
        3,
        Edit::Body("a quiet evening in".into()),
    );
    edit(
        &mut phone,
        1,
        "ada",
        4,
        Edit::Body("such a quiet evening".into()),
    );
    ada.merge(&mut phone).expect("merge");
    let versions = ada.history(&id(1), &MemberId::new("ada")).expect("there");
    let now = ada.entry(&id(1)).expect("readable").expect("there");
    assert_eq!(versions.len(), 4, "{:?}", texts(&versions));
    assert_eq!(versions[3].content, now.content);
    assert_eq!(now.content.main_text(), "such a quiet evening in");
}

#[test]
fn a_deleted_entry_has_no_history_and_a_hidden_answer_shows_none_of_its_words() {
    let (mut ada, mut ben) = couple();
    ada.transact(|j| j.write(&id(1), &stamp("ada", "d", at(1)), &journal("gone soon")))
        .expect("write");
    ada.transact(|j| j.delete(&id(1), &stamp("ada", "d", at(2))))
        .expect("delete");
    assert_eq!(ada.history(&id(1), &MemberId::new("ada")), None);
    assert!(matches!(
        ada.transact(|j| j.restore(&id(1), &stamp("ada", "d", at(3)), 1)),
        Err(WriteError::Deleted { .. })
    ));

    let today = day();
    ada.transact(|j| {
        j.write(
            &id(2),
            &stamp("ada", "d", at(4)),
            &Content::Answer {
                question: "q".into(),
                day: today,
                body: "the first version, secret".into(),
            },
        )
    })
    .expect("answer");
    edit(
        &mut ada,
        2,
        "ada",
        5,
        Edit::Body("the second, also secret".into()),
    );
    ben.merge(&mut ada).expect("merge");
    let seen = ben.history(&id(2), &MemberId::new("ben")).expect("there");
    assert!(
        seen.iter()
            .all(|v| matches!(v.content, Content::HiddenAnswer { .. })),
        "{seen:?}"
    );
    let own = ada.history(&id(2), &MemberId::new("ada")).expect("there");
    assert_eq!(
        texts(&own),
        ["the first version, secret", "the second, also secret"]
    );
}
