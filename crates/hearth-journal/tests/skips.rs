//! Skipping the question of the day.

mod common;

use common::*;
use hearth_journal::*;

fn answer(j: &mut Journal, n: i64, member: &str, question: &str) {
    j.transact(|j| {
        j.write(
            &id(n),
            &stamp(member, "d", at(n)),
            &Content::Answer {
                question: question.into(),
                day: day(),
                body: "an answer".into(),
            },
        )
    })
    .expect("answer");
}

fn skip(j: &mut Journal, who: &str) -> Result<(), WriteError> {
    j.transact(|j| j.skip_question(day(), &MemberId::new(who)))
}

fn question(j: &Journal, on: LocalDate) -> &'static str {
    j.question_of_the_day(on)
        .expect("readable")
        .expect("ready")
        .id
}

#[test]
fn a_skip_moves_the_couple_on_to_the_next_question_today_and_after() {
    let (mut ada, mut ben) = couple();
    let info = ada.info().expect("readable").expect("ready");
    let walk = |n: i64, skipped: u64| {
        deck::question_after_skips(
            &info.id,
            info.start_day,
            LocalDate::from_days_since_epoch(day().days_since_epoch() + n),
            skipped,
        )
        .id
    };
    let tomorrow = LocalDate::from_days_since_epoch(day().days_since_epoch() + 1);
    let yesterday = LocalDate::from_days_since_epoch(day().days_since_epoch() - 1);
    assert_eq!(question(&ada, day()), walk(0, 0));
    skip(&mut ada, "ada").expect("skip");
    // Today's question is tomorrow's as it would have been, and every later day moves one on.
    assert_eq!(question(&ada, day()), walk(1, 0));
    assert_eq!(question(&ada, tomorrow), walk(2, 0));
    assert_eq!(
        question(&ada, yesterday),
        walk(-1, 0),
        "days before are as they were"
    );
    // The partner sees the same once the skip arrives, and the skip names nobody.
    ben.merge(&mut ada).expect("merge");
    assert_eq!(question(&ben, day()), question(&ada, day()));
    // A second skip the same day moves on once more.
    skip(&mut ben, "ben").expect("skip");
    assert_eq!(question(&ben, day()), walk(2, 0));
}

#[test]
fn both_skipping_the_same_question_at_once_skip_it_once() {
    let (mut ada, mut ben) = couple();
    skip(&mut ada, "ada").expect("skip");
    skip(&mut ben, "ben").expect("skip");
    ada.merge(&mut ben).expect("merge");
    ben.merge(&mut ada).expect("merge");
    assert_eq!(ada.skips_until(day()), 1);
    assert_eq!(question(&ada, day()), question(&ben, day()));
}

#[test]
fn a_question_with_an_answer_is_not_skipped() {
    let (mut ada, mut ben) = couple();
    let today = question(&ada, day());
    answer(&mut ada, 1, "ada", today);
    assert!(matches!(skip(&mut ada, "ada"), Err(WriteError::Answered)));
    // Nor by the partner, whose skip would leave Ada's answer waiting for ever.
    ben.merge(&mut ada).expect("merge");
    assert!(matches!(skip(&mut ben, "ben"), Err(WriteError::Answered)));
    assert_eq!(question(&ben, day()), today);
}

#[test]
fn skips_a_device_declares_count_only_when_they_name_a_day_and_a_question() {
    let (mut ada, _) = couple();
    ada.transact(|j| {
        use automerge::transaction::Transactable as _;
        let doc = j.automerge_mut();
        let map = doc.put_object(
            automerge::ROOT,
            "skipped_questions",
            automerge::ObjType::Map,
        )?;
        for key in ["nonsense", "2025-13-40/x", "1999-01-01/not-a-question"] {
            doc.put(&map, key, true)?;
        }
        Ok::<_, automerge::AutomergeError>(())
    })
    .expect("write");
    assert_eq!(ada.skips_until(day()), 0);
}

#[test]
fn starting_small_is_one_switch_for_both() {
    let (mut ada, mut ben) = couple();
    assert!(!ada.start_small());
    ada.transact(|j| j.set_start_small(true)).expect("on");
    ben.merge(&mut ada).expect("merge");
    assert!(ben.start_small());
    ben.transact(|j| j.set_start_small(false)).expect("off");
    ada.merge(&mut ben).expect("merge");
    assert!(!ada.start_small());
    let mut waiting = Journal::replica([7; 16]);
    assert!(matches!(
        waiting.transact(|j| j.set_start_small(true)),
        Err(WriteError::NotReady)
    ));
}
