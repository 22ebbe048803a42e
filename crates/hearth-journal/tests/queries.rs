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

/// An answer as a version before sealing wrote it: its text in the clear, hidden from the
/// partner only by the reading code until they answer too.
fn plain_answer(
    j: &mut Journal,
    n: i64,
    who: &str,
    question: &str,
    on: LocalDate,
    body: &str,
) -> EntryId {
    use automerge::transaction::Transactable;
    use automerge::{ObjType, ROOT, ReadDoc, Value};
    let id = w(
        j,
        n,
        who,
        Content::Answer {
            question: question.into(),
            day: on,
            body: body.into(),
        },
    );
    let doc = j.automerge_mut();
    let object = |doc: &automerge::AutoCommit, obj, key: &str| match doc.get(obj, key) {
        Ok(Some((Value::Object(_), id))) => id,
        other => panic!("no object at {key}: {other:?}"),
    };
    let entries = object(doc, &ROOT, "entries");
    let entry = object(doc, &entries, id.as_str());
    doc.delete(&entry, "sealed").expect("unseal");
    let text = doc.put_object(&entry, "body", ObjType::Text).expect("body");
    doc.splice_text(&text, 0, 0, body).expect("body");
    doc.commit();
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
    assert!(ben.open_bids_for(&benm, UnixMs::EPOCH).is_empty());
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

mod pages {
    //! A page reads only the entries it needs; paging through must still give exactly what
    //! reading the whole journal and filtering it gives.

    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Step {
        /// Free writing by Ada (true) or Ben, holding the word.
        Write(bool, &'static str),
        /// An answer, written in the clear, by Ada (true) or Ben, to one of two questions,
        /// some days from the journal's first.
        Answer(bool, bool, i64),
        /// The author deletes the entry written so many steps back.
        Delete(usize),
    }

    fn step() -> impl Strategy<Value = Step> {
        let word = prop::sample::select(vec!["lake", "soup", "train"]);
        prop_oneof![
            3 => (any::<bool>(), word).prop_map(|(a, w)| Step::Write(a, w)),
            3 => (any::<bool>(), any::<bool>(), 0..4i64).prop_map(|(a, q, d)| Step::Answer(a, q, d)),
            1 => (0..8usize).prop_map(Step::Delete),
        ]
    }

    fn filter() -> impl Strategy<Value = Filter> {
        (
            prop::option::of(prop::sample::select(vec![
                EntryKind::Journal,
                EntryKind::Answer,
            ])),
            prop::option::of(prop::sample::select(vec!["ada", "ben"])),
            prop::option::of(prop::sample::select(vec!["lake", "soup", "night", "the"])),
            any::<bool>(),
            prop::option::of(prop::sample::select(vec!["ada", "ben"])),
        )
            .prop_map(|(kind, author, text, include_deleted, reader)| Filter {
                kind,
                author: author.map(MemberId::new),
                text: text.map(str::to_owned),
                include_deleted,
                reader: reader.map(MemberId::new),
                later: false,
            })
    }

    proptest! {
        #[test]
        fn paging_gives_what_the_whole_journal_filtered_gives(
            steps in prop::collection::vec(step(), 0..30),
            filter in filter(),
            limit in 1..6usize,
        ) {
            let (mut j, _) = couple();
            let mut written: Vec<(EntryId, &str)> = Vec::new();
            for (n, s) in steps.into_iter().enumerate() {
                let n = i64::try_from(n).expect("few") + 10;
                let who = |ada: bool| if ada { "ada" } else { "ben" };
                match s {
                    Step::Write(a, word) => {
                        written.push((w(&mut j, n, who(a), journal(&format!("the {word}"))), who(a)));
                    }
                    Step::Answer(a, q, d) => {
                        let question = if q { "c001" } else { "c002" };
                        let body = format!("night {n}");
                        let id = plain_answer(&mut j, n, who(a), question, day().add_days(d * 2), &body);
                        written.push((id, who(a)));
                    }
                    Step::Delete(back) => {
                        if let Some((id, author)) = written.iter().rev().nth(back) {
                            let _ = j.delete(id, &stamp(author, "d", at(n)));
                        }
                    }
                }
            }
            let whole = match &filter.reader {
                Some(reader) => j.scan_as(reader),
                None => j.scan(),
            };
            let expected: Vec<Entry> = whole
                .entries
                .into_iter()
                .rev()
                .filter(|e| filter.matches(e))
                .collect();
            let mut paged = Vec::new();
            let mut cursor = None;
            loop {
                let page = j.timeline(&filter, cursor.as_ref(), limit);
                prop_assert!(page.entries.len() <= limit);
                prop_assert_eq!(page.next.is_some(), paged.len() + page.entries.len() < expected.len());
                paged.extend(page.entries);
                match page.next {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
            }
            prop_assert_eq!(paged, expected);
            // The readers that look at each entry's kind first find what reading all finds.
            for kinds in [&[EntryKind::Answer][..], &[EntryKind::Journal, EntryKind::Answer], &[]] {
                let all: Vec<Entry> = j.scan().entries.into_iter().filter(|e| kinds.contains(&e.kind())).collect();
                prop_assert_eq!(j.scan_kinds(kinds), all);
            }
            for me in ["ada", "ben"] {
                let me = MemberId::new(me);
                let latest: Vec<Entry> = j
                    .scan_as(&me)
                    .entries
                    .into_iter()
                    .rev()
                    .filter(|e| !e.deleted && e.author != me)
                    .take(limit)
                    .collect();
                prop_assert_eq!(j.latest_from_others(&me, limit), latest);
            }
        }
    }
}

#[test]
fn a_page_of_the_partners_answer_opens_by_an_answer_on_no_page_read() {
    let (mut ada, mut ben) = couple();
    let as_ada = Filter {
        reader: Some(MemberId::new("ada")),
        ..Filter::default()
    };
    // Ben's answer, written before sealing, is on Ada's first page, and hidden from her.
    plain_answer(&mut ben, 1, "ben", "c007", day(), "the night train");
    ada.merge(&mut ben).expect("merge");
    let page = ada.timeline(&as_ada, None, 3);
    assert!(matches!(
        page.entries[0].content,
        Content::HiddenAnswer { .. }
    ));
    // She answers, then writes much more: her answer is on no page the next read reaches, and
    // still opens his.
    plain_answer(
        &mut ada,
        2,
        "ada",
        "c007",
        day(),
        "the first message you sent",
    );
    for n in 3..40 {
        w(&mut ada, n, "ada", journal(&format!("entry {n}")));
    }
    let page = ada.timeline(&as_ada, Some(&id(3)), 1);
    assert_eq!(
        page.entries[0].content.main_text(),
        "the first message you sent"
    );
    let page = ada.timeline(&as_ada, Some(&id(2)), 1);
    assert_eq!(page.entries[0].content.main_text(), "the night train");
    // Read as Ben, who answered too, both read open; read as nobody, the document as it is.
    let as_ben = Filter {
        reader: Some(MemberId::new("ben")),
        ..Filter::default()
    };
    let page = ada.timeline(&as_ben, Some(&id(3)), 2);
    let texts: Vec<String> = page.entries.iter().map(|e| e.content.main_text()).collect();
    assert_eq!(texts, ["the first message you sent", "the night train"]);
}

mod kinds_followed {
    //! The questions Today asks read only the entries of their kind, from an index carried across
    //! the changes each device saves. On two devices writing, answering, responding, syncing and
    //! (as a broken or hostile device might) changing the kind of an entry, they must answer as
    //! reading the whole journal does, after every step.

    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{ROOT, ReadDoc, Value};
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Step {
        /// On Ada's device (true) or Ben's: a note, a bid, an answer to one of two questions, or
        /// a letter for later.
        Write(bool, u8),
        /// The partner turns toward (or keeps for later) the bid so many entries back.
        Respond(usize, bool),
        /// The author deletes the entry so many back.
        Delete(usize),
        /// The two devices sync.
        Sync,
        /// A device sets the stored kind of the entry so many back to another one.
        Rekind(bool, usize, &'static str),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            4 => (any::<bool>(), 0..4u8).prop_map(|(a, k)| Step::Write(a, k)),
            2 => (0..6usize, any::<bool>()).prop_map(|(b, t)| Step::Respond(b, t)),
            1 => (0..6usize).prop_map(Step::Delete),
            2 => Just(Step::Sync),
            1 => (any::<bool>(), 0..6usize, prop::sample::select(vec!["bid", "answer", "journal", "letter"]))
                .prop_map(|(a, b, k)| Step::Rekind(a, b, k)),
        ]
    }

    fn rekind(j: &mut Journal, id: &EntryId, kind: &str) {
        let doc = j.automerge_mut();
        let Ok(Some((Value::Object(_), entries))) = doc.get(ROOT, "entries") else {
            return;
        };
        if let Ok(Some((Value::Object(_), entry))) = doc.get(&entries, id.as_str()) {
            doc.put(&entry, "kind", kind).expect("kind");
            doc.commit();
        }
    }

    /// Each question Today asks, answered through the index and by reading everything.
    fn check(j: &Journal) -> Result<(), TestCaseError> {
        let all = j.scan().entries;
        for kinds in [
            &[EntryKind::Bid][..],
            &[EntryKind::Letter],
            &[EntryKind::Answer, EntryKind::Journal],
        ] {
            let expected: Vec<Entry> = all
                .iter()
                .filter(|e| kinds.contains(&e.kind()))
                .cloned()
                .collect();
            prop_assert_eq!(j.scan_kinds(kinds), expected);
        }
        for me in ["ada", "ben"] {
            let me = MemberId::new(me);
            let open: Vec<Entry> = all
                .iter()
                .rev()
                .filter(|e| !e.deleted && e.author != me)
                .filter(|e| matches!(e.content, Content::Bid { response: None, .. }))
                .cloned()
                .collect();
            prop_assert_eq!(j.open_bids_for(&me, UnixMs::EPOCH), open.clone());
            // Only those made since a moment: ids sort by creation time.
            let since = at(20);
            let recent: Vec<Entry> = open
                .into_iter()
                .filter(|e| e.id.created_ms() >= since)
                .collect();
            prop_assert_eq!(j.open_bids_for(&me, since), recent);
            let later: Vec<EntryId> = all
                .iter()
                .filter(|e| !e.deleted && e.author != me && e.kept_for_later())
                .map(|e| e.id.clone())
                .collect();
            let mut got: Vec<EntryId> = j.later_bids_for(&me).into_iter().map(|e| e.id).collect();
            got.sort();
            prop_assert_eq!(got, later);
            for question in ["c001", "c002"] {
                let state = j.answer_state(question, day(), &me);
                // The newest of one's answers to it, as a person may answer twice.
                let mine = all.iter().rev().find(|e| {
                    !e.deleted
                        && e.author == me
                        && e.content.question().is_some_and(|(q, _)| q == question)
                });
                prop_assert_eq!(state.mine.as_ref(), mine);
            }
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn what_today_asks_reads_as_the_whole_journal_does(steps in prop::collection::vec(step(), 1..30)) {
            let (mut ada, mut ben) = couple();
            ada.save_incremental();
            ben.save_incremental();
            let mut written: Vec<(EntryId, bool)> = Vec::new();
            for (n, s) in steps.into_iter().enumerate() {
                let n = i64::try_from(n).expect("few") + 10;
                let device = |on_ada: bool| on_ada;
                let who = |a: bool| if a { "ada" } else { "ben" };
                match s {
                    Step::Write(a, k) => {
                        let content = match k {
                            0 => journal("a note"),
                            1 => bid(BidKind::ThinkingOfYou),
                            2 => Content::Answer {
                                question: if n % 2 == 0 { "c001" } else { "c002" }.into(),
                                day: day(),
                                body: "the lake".into(),
                            },
                            _ => Content::Letter {
                                opens_at: at(1_000_000),
                                body: "for later".into(),
                            },
                        };
                        let j = if device(a) { &mut ada } else { &mut ben };
                        written.push((w(j, n, who(a), content), a));
                    }
                    Step::Respond(back, toward) => {
                        if let Some((id, a)) = written.iter().rev().nth(back).cloned() {
                            let j = if a { &mut ben } else { &mut ada };
                            let turn = if toward { Turn::Toward } else { Turn::Later };
                            let _ = j.respond(&id, &stamp(who(!a), "d", at(n)), turn);
                        }
                    }
                    Step::Delete(back) => {
                        if let Some((id, a)) = written.iter().rev().nth(back).cloned() {
                            let j = if a { &mut ada } else { &mut ben };
                            let _ = j.delete(&id, &stamp(who(a), "d", at(n)));
                        }
                    }
                    Step::Sync => {
                        ada.merge(&mut ben).expect("merge");
                        ben.merge(&mut ada).expect("merge");
                    }
                    Step::Rekind(a, back, kind) => {
                        if let Some((id, _)) = written.iter().rev().nth(back).cloned() {
                            rekind(if a { &mut ada } else { &mut ben }, &id, kind);
                        }
                    }
                }
                // Each device saves what changed, as a device does after every change.
                ada.save_incremental();
                ben.save_incremental();
                check(&ada)?;
                check(&ben)?;
            }
        }
    }
}

#[test]
fn pages_reach_entries_of_any_age_and_from_a_clock_ahead() {
    let (mut ada, _) = couple();
    let day_ms = 86_400_000i64;
    let now = UnixMs::now().as_millis();
    // From the first millisecond the ids can say, through the years, to a clock far ahead.
    let times = [
        1,
        now - 40 * 365 * day_ms,
        now - 400 * day_ms,
        now - 30 * day_ms,
        now - 8 * day_ms,
        now - 6 * day_ms,
        now,
        now + 70 * 365 * day_ms,
    ];
    for (n, ms) in times.iter().enumerate() {
        let id = EntryId::new(UnixMs::from_millis(*ms), [u8::try_from(n).expect("few"); 9]);
        ada.write(
            &id,
            &stamp("ada", "d", UnixMs::from_millis(*ms)),
            &journal(&format!("entry {n}")),
        )
        .expect("write");
    }
    for limit in [1, 3, 100] {
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = ada.timeline(&Filter::default(), cursor.as_ref(), limit);
            seen.extend(page.entries.iter().map(|e| e.content.main_text()));
            match page.next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let expected: Vec<String> = (0..times.len())
            .rev()
            .map(|n| format!("entry {n}"))
            .collect();
        assert_eq!(seen, expected, "pages of {limit}");
    }
}
