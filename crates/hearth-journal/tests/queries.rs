//! The questions front ends ask of a journal.

mod common;

use common::*;
use hearth_journal::*;

fn w(j: &mut Journal, n: i64, who: &str, content: Content) -> EntryId {
    let id = id(n);
    j.write(&id, &stamp(who, "d", at(n)), &content)
        .expect("write");
    id
}

fn mood(n: i64) -> Mood {
    Mood::new(n).expect("1-10")
}

#[test]
fn timeline_is_newest_first_and_pages() {
    let (mut ada, _) = couple();
    for n in 0..25 {
        w(&mut ada, n, "ada", journal(&format!("entry {n}")));
    }
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = ada.timeline(&Filter::default(), cursor.as_ref(), 10);
        assert!(page.entries.len() <= 10);
        seen.extend(page.entries.iter().map(|e| e.content.main_text()));
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let expected: Vec<String> = (0..25).rev().map(|n| format!("entry {n}")).collect();
    assert_eq!(seen, expected);
}

#[test]
fn filters_by_kind_author_and_text() {
    let (mut ada, mut ben) = couple();
    w(&mut ada, 1, "ada", journal("The Lake was frozen"));
    w(
        &mut ada,
        2,
        "ada",
        Content::CheckIn {
            mood: mood(4),
            why: "long day at the lake".into(),
        },
    );
    ben.merge(&mut ada).expect("merge");
    let b = w(&mut ben, 3, "ben", journal("soup night"));
    ben.comment(
        &b,
        &EntryId::new(at(4), [4; 9]),
        &stamp("ben", "d", at(4)),
        "with lentils",
    )
    .expect("comment");

    let kinds = Filter {
        kind: Some(EntryKind::CheckIn),
        ..Filter::default()
    };
    assert_eq!(ben.timeline(&kinds, None, 10).entries.len(), 1);
    let bens = Filter {
        author: Some(MemberId::new("ben")),
        ..Filter::default()
    };
    assert_eq!(ben.timeline(&bens, None, 10).entries[0].id, b);

    let lake: Vec<i64> = ben
        .search("LAKE")
        .iter()
        .map(|e| e.created_ms.as_millis() - START_MS.as_millis())
        .collect();
    assert_eq!(lake, vec![2, 1]);
    assert_eq!(ben.search("lake frozen").len(), 1, "every word must match");
    assert_eq!(ben.search("lentils").len(), 1, "comments are searched");
    assert!(ben.search("nowhere").is_empty());
}

#[test]
fn mood_series_per_member_within_range() {
    let (mut ada, mut ben) = couple();
    w(
        &mut ada,
        10,
        "ada",
        Content::CheckIn {
            mood: mood(6),
            why: String::new(),
        },
    );
    w(
        &mut ada,
        20,
        "ada",
        Content::CheckIn {
            mood: mood(8),
            why: String::new(),
        },
    );
    w(
        &mut ada,
        500,
        "ada",
        Content::CheckIn {
            mood: mood(2),
            why: String::new(),
        },
    );
    ben.merge(&mut ada).expect("merge");
    w(
        &mut ben,
        15,
        "ben",
        Content::CheckIn {
            mood: mood(9),
            why: String::new(),
        },
    );
    w(&mut ben, 16, "ben", journal("not a check-in"));
    let gone = w(
        &mut ben,
        17,
        "ben",
        Content::CheckIn {
            mood: mood(1),
            why: String::new(),
        },
    );
    ben.delete(&gone, &stamp("ben", "d", at(18)))
        .expect("delete");
    let series = ben.mood_series(START_MS, at(100));
    let ratings = |m: &str| {
        series[&MemberId::new(m)]
            .iter()
            .map(|p| p.mood.get())
            .collect::<Vec<_>>()
    };
    assert_eq!(ratings("ada"), vec![6, 8]);
    assert_eq!(ratings("ben"), vec![9]);
    assert_eq!(series[&MemberId::new("ada")][0].at_ms, at(10));
}

/// A bid with no note, not answered yet.
fn bid(kind: BidKind) -> Content {
    Content::Bid {
        to: None,
        bid: kind,
        body: String::new(),
        response: None,
    }
}

#[test]
fn bid_stats_count_turns() {
    let (mut ada, mut ben) = couple();
    let a1 = w(&mut ada, 1, "ada", bid(BidKind::ThinkingOfYou));
    let a2 = w(&mut ada, 2, "ada", bid(BidKind::Opinion));
    w(&mut ada, 3, "ada", bid(BidKind::LookAtThis));
    ben.merge(&mut ada).expect("merge");
    ben.respond(&a1, &stamp("ben", "d", at(5)), Turn::Toward)
        .expect("respond");
    ben.respond(&a2, &stamp("ben", "d", at(6)), Turn::Later)
        .expect("respond");
    let stats = ben.bid_stats(START_MS, at(1_000));
    assert_eq!(
        stats[&MemberId::new("ada")],
        BidStats {
            made: 3,
            turned_toward: 1,
            later: 1,
            open: 1
        }
    );
    assert!(!stats.contains_key(&MemberId::new("ben")));
}

#[test]
fn a_bid_kept_for_later_stays_listed_until_turned_toward() {
    let (mut ada, mut ben) = couple();
    let a1 = w(&mut ada, 1, "ada", bid(BidKind::ThinkingOfYou));
    let a2 = w(&mut ada, 2, "ada", bid(BidKind::Opinion));
    let a3 = w(&mut ada, 3, "ada", bid(BidKind::LookAtThis));
    ben.merge(&mut ada).expect("merge");
    let benm = MemberId::new("ben");
    ben.respond(&a1, &stamp("ben", "d", at(5)), Turn::Later)
        .expect("respond");
    ben.respond(&a2, &stamp("ben", "d", at(7)), Turn::Later)
        .expect("respond");
    ben.respond(&a3, &stamp("ben", "d", at(6)), Turn::Toward)
        .expect("respond");
    let ids = |bids: Vec<Entry>| bids.into_iter().map(|e| e.id).collect::<Vec<_>>();
    // The most recently kept first; not the one turned toward, and never one's own.
    assert_eq!(ids(ben.later_bids_for(&benm)), vec![a2.clone(), a1.clone()]);
    assert!(ben.later_bids_for(&MemberId::new("ada")).is_empty());
    let later = Filter {
        later: true,
        ..Filter::default()
    };
    let mut listed = ids(ben.timeline(&later, None, 10).entries);
    listed.sort();
    assert_eq!(listed, vec![a1.clone(), a2.clone()]);
    // Turned toward at last, it leaves the list.
    ben.respond(&a2, &stamp("ben", "d", at(9)), Turn::Toward)
        .expect("respond");
    assert_eq!(ids(ben.later_bids_for(&benm)), vec![a1]);
    assert!(ben.open_bids_for(&benm).is_empty());
}

#[test]
fn the_partners_answer_is_hidden_until_both_answered() {
    let (mut ada, mut ben) = couple();
    let (adam, benm) = (MemberId::new("ada"), MemberId::new("ben"));
    let answer = |body: &str| Content::Answer {
        question: "c007".into(),
        day: day(),
        body: body.into(),
    };
    assert_eq!(
        ada.answer_state("c007", day(), &adam),
        AnswerState {
            mine: None,
            partner: PartnerAnswer::Waiting
        }
    );
    w(&mut ben, 1, "ben", answer("the night train"));
    ada.merge(&mut ben).expect("merge");
    let state = ada.answer_state("c007", day(), &adam);
    assert_eq!(state.mine, None);
    assert_eq!(state.partner, PartnerAnswer::Hidden);
    w(&mut ada, 2, "ada", answer("the first message you sent"));
    let state = ada.answer_state("c007", day(), &adam);
    assert!(state.mine.is_some());
    // Ben's answer is sealed until his device has seen hers and published its key.
    assert_eq!(state.partner, PartnerAnswer::Opening);
    ben.merge(&mut ada).expect("merge");
    ben.open_answers(&benm).expect("open");
    ada.merge(&mut ben).expect("merge");
    let state = ada.answer_state("c007", day(), &adam);
    match state.partner {
        PartnerAnswer::Revealed(e) => assert_eq!(e.content.main_text(), "the night train"),
        other => panic!("not revealed: {other:?}"),
    }
    // Ben has her answer now; it opens to him once her device publishes its key.
    assert_eq!(
        ben.answer_state("c007", day(), &benm).partner,
        PartnerAnswer::Opening
    );
    // An answer to the same question long ago does not count for today.
    assert_eq!(
        ada.answer_state("c007", day().add_days(200), &adam).partner,
        PartnerAnswer::Waiting
    );
}
