//! Rituals set together, and date night.

mod common;

use automerge::transaction::Transactable as _;
use common::*;
use hearth_journal::deck::{self, Ritual};
use hearth_journal::*;

fn ada() -> MemberId {
    MemberId::new("ada")
}

fn ben() -> MemberId {
    MemberId::new("ben")
}

fn schedule(days: &str, at: &str) -> Schedule {
    Schedule {
        on: true,
        days: days.parse().expect("days"),
        at: at.parse().expect("time"),
    }
}

#[test]
fn rituals_keep_their_defaults_until_the_couple_sets_them() {
    let (ada, _) = couple();
    let all = ada.rituals();
    assert_eq!(
        all.iter().map(|r| r.ritual).collect::<Vec<_>>(),
        Ritual::SCHEDULED.to_vec()
    );
    let morning = ada.ritual(Ritual::Morning);
    assert_eq!(morning.schedule, Schedule::default_for(Ritual::Morning));
    assert_eq!(morning.schedule.at.to_string(), "08:00");
    assert_eq!(morning.set_by, None);
    let date_night = ada.ritual(Ritual::DateNight).schedule;
    assert_eq!(date_night.days.to_string(), "fri");
    assert!(ada.ritual_proposals().is_empty());
}

#[test]
fn a_change_takes_effect_when_the_partner_accepts_and_both_see_who_set_it() {
    let (mut ada_j, mut ben_j) = couple();
    let early = schedule("mon,tue,wed,thu,fri", "07:15");
    let outcome = ada_j
        .transact(|j| j.propose_ritual(Ritual::Morning, early, &ada(), at(10)))
        .expect("propose");
    assert_eq!(outcome, Proposed::Waiting);
    assert_eq!(
        ada_j.ritual(Ritual::Morning).schedule,
        Schedule::default_for(Ritual::Morning),
        "nothing changes before Ben agrees"
    );
    // Ada cannot accept her own proposal.
    assert!(matches!(
        ada_j.transact(|j| j.accept_ritual(Ritual::Morning, &ada(), at(11))),
        Err(WriteError::OwnProposal { .. })
    ));

    ben_j.merge(&mut ada_j).expect("merge");
    let waiting = ben_j.ritual_proposals();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].by, ada());
    assert_eq!(waiting[0].schedule, early);
    ben_j
        .transact(|j| j.accept_ritual(Ritual::Morning, &ben(), at(20)))
        .expect("accept");
    ada_j.merge(&mut ben_j).expect("merge");
    for j in [&ada_j, &ben_j] {
        let morning = j.ritual(Ritual::Morning);
        assert_eq!(morning.schedule, early);
        assert_eq!(morning.set_by, Some(ada()));
        assert_eq!(morning.agreed_by, Some(ben()));
        assert_eq!(morning.since, Some(at(20)));
        assert!(j.ritual_proposals().is_empty());
    }
}

#[test]
fn a_declined_change_leaves_the_ritual_as_it_was() {
    let (mut ada_j, mut ben_j) = couple();
    let off = Schedule {
        on: false,
        ..Schedule::default_for(Ritual::Weekly)
    };
    ada_j
        .transact(|j| j.propose_ritual(Ritual::Weekly, off, &ada(), at(1)))
        .expect("propose");
    ben_j.merge(&mut ada_j).expect("merge");
    ben_j
        .transact(|j| j.decline_ritual(Ritual::Weekly))
        .expect("decline");
    ada_j.merge(&mut ben_j).expect("merge");
    assert!(ada_j.ritual(Ritual::Weekly).schedule.on);
    assert!(ada_j.ritual_proposals().is_empty());
    assert!(matches!(
        ben_j.transact(|j| j.accept_ritual(Ritual::Weekly, &ben(), at(2))),
        Err(WriteError::NoProposal { .. })
    ));
}

#[test]
fn proposing_what_the_partner_proposed_agrees_and_what_is_kept_already_changes_nothing() {
    let (mut ada_j, mut ben_j) = couple();
    let later = schedule("daily", "22:00");
    ada_j
        .transact(|j| j.propose_ritual(Ritual::Gratitude, later, &ada(), at(1)))
        .expect("propose");
    ben_j.merge(&mut ada_j).expect("merge");
    let outcome = ben_j
        .transact(|j| j.propose_ritual(Ritual::Gratitude, later, &ben(), at(2)))
        .expect("propose the same");
    assert_eq!(outcome, Proposed::Applied);
    assert_eq!(ben_j.ritual(Ritual::Gratitude).schedule, later);
    assert_eq!(ben_j.ritual(Ritual::Gratitude).agreed_by, Some(ben()));
    let again = ben_j
        .transact(|j| j.propose_ritual(Ritual::Gratitude, later, &ben(), at(3)))
        .expect("propose what is kept");
    assert_eq!(again, Proposed::Unchanged);
    assert!(ben_j.ritual_proposals().is_empty());
}

#[test]
fn before_pairing_one_person_sets_rituals_at_once() {
    let mut alone = Journal::create(
        &JournalId::new("journal-alone"),
        &member("ada", "Ada"),
        day(),
        START_MS,
        [1; 16],
    )
    .expect("create");
    let outcome = alone
        .transact(|j| j.propose_ritual(Ritual::DateNight, schedule("sat", "18:30"), &ada(), at(1)))
        .expect("propose");
    assert_eq!(outcome, Proposed::Applied);
    let set = alone.ritual(Ritual::DateNight);
    assert_eq!(set.schedule.days.to_string(), "sat");
    assert_eq!((set.set_by, set.agreed_by), (Some(ada()), None));
}

#[test]
fn start_small_and_a_ritual_on_no_day_are_refused() {
    let (mut ada_j, _) = couple();
    assert!(matches!(
        ada_j.transact(|j| j.propose_ritual(
            Ritual::StartSmall,
            Schedule::default_for(Ritual::Morning),
            &ada(),
            at(1)
        )),
        Err(WriteError::NotScheduled { .. })
    ));
    let no_days = Schedule {
        days: Weekdays::NONE,
        ..Schedule::default_for(Ritual::Morning)
    };
    assert!(matches!(
        ada_j.transact(|j| j.propose_ritual(Ritual::Morning, no_days, &ada(), at(1))),
        Err(WriteError::NoDays)
    ));
}

#[test]
fn what_a_device_declares_about_rituals_is_read_only_when_it_makes_sense() {
    let (mut ada_j, _) = couple();
    ada_j
        .transact(|j| {
            let doc = j.automerge_mut();
            let rituals = doc.put_object(automerge::ROOT, "rituals", automerge::ObjType::Map)?;
            // A stranger's name, nonsense days, a time past midnight, a key no ritual has.
            for (key, days, at_, by) in [
                ("morning", "mon", "07:00", "mallory"),
                ("evening", "funday", "21:00", "ada"),
                ("gratitude", "daily", "25:00", "ada"),
                ("bowling", "daily", "20:00", "ada"),
            ] {
                let obj = doc.put_object(&rituals, key, automerge::ObjType::Map)?;
                doc.put(&obj, "on", true)?;
                doc.put(&obj, "days", days)?;
                doc.put(&obj, "at", at_)?;
                doc.put(&obj, "set_by", by)?;
            }
            let long = doc.put_object(&rituals, "weekly", automerge::ObjType::Map)?;
            doc.put(&long, "on", true)?;
            doc.put(&long, "days", "mon,".repeat(10_000))?;
            doc.put(&long, "at", "19:00")?;
            Ok::<_, automerge::AutomergeError>(())
        })
        .expect("write");
    let morning = ada_j.ritual(Ritual::Morning);
    assert_eq!(morning.schedule.at.to_string(), "07:00");
    assert_eq!(morning.set_by, None, "not a member of the journal");
    for r in [Ritual::Evening, Ritual::Gratitude, Ritual::Weekly] {
        assert_eq!(ada_j.ritual(r).schedule, Schedule::default_for(r), "{r:?}");
    }
    assert_eq!(ada_j.rituals().len(), Ritual::SCHEDULED.len());
}

fn friday() -> LocalDate {
    // 2026-11-27 was a Friday.
    LocalDate::from_ymd(2026, 11, 27).expect("a real day")
}

#[test]
fn date_night_offers_the_weeks_idea_a_plan_and_a_line_from_each_afterwards() {
    let (mut ada_j, mut ben_j) = couple();
    let wednesday = friday().add_days(-2);
    assert_eq!(ada_j.next_date_night(wednesday), Some(friday()));
    assert_eq!(ada_j.next_date_night(friday()), Some(friday()));
    assert_eq!(ada_j.last_date_night(friday().add_days(1)), Some(friday()));

    let night = ada_j.date_night(friday()).expect("ready");
    let info = ada_j.info().expect("readable").expect("ready");
    assert_eq!(night.idea, deck::date_idea(&info.id, friday()));
    assert_eq!(night.at.to_string(), "19:00");
    assert_eq!((night.plan.clone(), night.lines.len()), (None, 0));

    let other = ada_j
        .transact(|j| j.another_date_idea(friday()))
        .expect("another");
    assert_ne!(other, night.idea);
    ada_j
        .transact(|j| j.plan_date_night(friday(), "  Picnic by the river, 6pm  ", &ada(), at(5)))
        .expect("plan");
    ben_j.merge(&mut ada_j).expect("merge");
    let seen = ben_j.date_night(friday()).expect("ready");
    assert_eq!(seen.idea, other, "both see the idea asked for");
    let plan = seen.plan.expect("a plan");
    assert_eq!(
        (plan.by, plan.text.as_str()),
        (ada(), "Picnic by the river, 6pm")
    );

    ben_j
        .transact(|j| j.remember_date_night(friday(), "The swans were rude.", &ben(), at(9)))
        .expect("line");
    ada_j.merge(&mut ben_j).expect("merge");
    ada_j
        .transact(|j| j.remember_date_night(friday(), "Best picnic yet.", &ada(), at(10)))
        .expect("line");
    let lines = ada_j.date_night(friday()).expect("ready").lines;
    assert_eq!(
        lines
            .iter()
            .map(|n| (n.by.as_str(), n.text.as_str()))
            .collect::<Vec<_>>(),
        vec![("ada", "Best picnic yet."), ("ben", "The swans were rude.")]
    );
}

#[test]
fn date_night_notes_are_bounded_and_follow_the_couples_schedule() {
    let (mut ada_j, _) = couple();
    assert!(matches!(
        ada_j.transact(|j| j.plan_date_night(friday(), "   ", &ada(), at(1))),
        Err(WriteError::Empty)
    ));
    let long = "x".repeat(MAX_LINE_CHARS + 1);
    assert!(matches!(
        ada_j.transact(|j| j.remember_date_night(friday(), &long, &ada(), at(1))),
        Err(WriteError::NoteTooLong { .. })
    ));
    ada_j
        .transact(|j| {
            j.propose_ritual(
                Ritual::DateNight,
                Schedule {
                    on: false,
                    ..Schedule::default_for(Ritual::DateNight)
                },
                &ada(),
                at(2),
            )
        })
        .expect("propose");
    let mut ben_j = Journal::replica([3; 16]);
    ben_j.merge(&mut ada_j).expect("merge");
    ben_j
        .transact(|j| j.accept_ritual(Ritual::DateNight, &ben(), at(3)))
        .expect("accept");
    assert_eq!(ben_j.next_date_night(friday()), None, "switched off");
    assert_eq!(ben_j.last_date_night(friday()), None);
}
