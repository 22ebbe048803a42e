//! Property: replicas that make random edits and merge in random orders end identical.

mod common;

use common::*;
use hearth_journal::*;
use proptest::prelude::*;

const TEN_YEARS_MS: i64 = 10 * 365 * 86_400_000;

#[derive(Clone, Debug)]
enum Op {
    Write {
        text: String,
        kind: u8,
    },
    Edit {
        target: usize,
        text: String,
    },
    Comment {
        target: usize,
        text: String,
    },
    React {
        target: usize,
        emoji: usize,
        on: bool,
    },
    Delete {
        target: usize,
    },
    Respond {
        target: usize,
        toward: bool,
    },
    /// Merge another replica into this one.
    Merge {
        from: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let text = "[a-zäöü😊 ]{0,12}";
    prop_oneof![
        3 => (text, 0u8..6).prop_map(|(text, kind)| Op::Write { text, kind }),
        4 => (any::<usize>(), text).prop_map(|(target, text)| Op::Edit { target, text }),
        1 => (any::<usize>(), "[a-z]{1,8}").prop_map(|(target, text)| Op::Comment { target, text }),
        1 => (any::<usize>(), 0usize..3, any::<bool>()).prop_map(|(target, emoji, on)| Op::React { target, emoji, on }),
        1 => any::<usize>().prop_map(|target| Op::Delete { target }),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(target, toward)| Op::Respond { target, toward }),
        2 => any::<usize>().prop_map(|from| Op::Merge { from }),
    ]
}

fn content(kind: u8, text: &str) -> Content {
    let text = if text.trim().is_empty() {
        "x".to_owned()
    } else {
        text.to_owned()
    };
    match kind {
        0 => Content::Journal { body: text },
        1 => Content::CheckIn {
            mood: Mood::new(i64::from(kind) + 3).expect("1-10"),
            why: text,
        },
        2 => Content::Gratitude {
            to: None,
            lines: vec![text.clone(), text.clone(), text],
        },
        3 => Content::Appreciation {
            to: None,
            body: text,
        },
        4 => Content::Answer {
            question: "l001".into(),
            day: day(),
            body: text,
        },
        _ => Content::Bid {
            to: None,
            bid: BidKind::Opinion,
            body: text,
            response: None,
        },
    }
}

/// A replica of the shared journal on one device, whose clock is `offset_ms` off.
struct Device {
    journal: Journal,
    member: &'static str,
    offset_ms: i64,
    counter: u8,
}

fn apply(devices: &mut [Device], who: usize, op: &Op, step: i64) {
    let n = devices.len();
    let ids: Vec<EntryId> = devices[who]
        .journal
        .scan()
        .entries
        .iter()
        .map(|e| e.id.clone())
        .collect();
    let pick = |t: usize| (!ids.is_empty()).then(|| ids[t % ids.len()].clone());
    let d = &mut devices[who];
    d.counter = d.counter.wrapping_add(1);
    let now = at(step * 1_000 + d.offset_ms);
    let s = stamp(d.member, d.member, now);
    let unique = [
        who as u8,
        d.counter,
        (step & 0xff) as u8,
        (step >> 8) as u8,
        0,
        0,
        0,
        0,
        0,
    ];
    // Refusals (a deleted target, a kind that does not take the change) are part of the game.
    let _ = match op {
        Op::Write { text, kind } => {
            d.journal
                .write(&EntryId::new(now, unique), &s, &content(*kind, text))
        }
        Op::Edit { target, text } => match pick(*target) {
            Some(id) => d
                .journal
                .edit(&id, &s, &Edit::Body(text.clone()))
                .or_else(|_| {
                    d.journal.edit(
                        &id,
                        &s,
                        &Edit::Line {
                            index: 1,
                            text: text.clone(),
                        },
                    )
                }),
            None => Ok(()),
        },
        Op::Comment { target, text } => match pick(*target) {
            Some(id) => d.journal.comment(&id, &EntryId::new(now, unique), &s, text),
            None => Ok(()),
        },
        Op::React { target, emoji, on } => match pick(*target) {
            Some(id) => d.journal.react(&id, &s, ["❤️", "😂", "🙏"][*emoji], *on),
            None => Ok(()),
        },
        Op::Delete { target } => match pick(*target) {
            Some(id) => d.journal.delete(&id, &s),
            None => Ok(()),
        },
        Op::Respond { target, toward } => match pick(*target) {
            Some(id) => {
                d.journal
                    .respond(&id, &s, if *toward { Turn::Toward } else { Turn::Later })
            }
            None => Ok(()),
        },
        Op::Merge { from } => {
            let from = from % n;
            if from != who {
                let (a, b) = if from < who {
                    let (l, r) = devices.split_at_mut(who);
                    (&mut r[0].journal, &mut l[from].journal)
                } else {
                    let (l, r) = devices.split_at_mut(from);
                    (&mut l[who].journal, &mut r[0].journal)
                };
                a.merge(b).expect("replicas of one journal merge");
            }
            Ok(())
        }
    };
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge(
        n in 2usize..=3,
        offsets in proptest::collection::vec(-TEN_YEARS_MS..=TEN_YEARS_MS, 3),
        script in proptest::collection::vec((0usize..3, op()), 1..40),
        merge_order in proptest::collection::vec(0usize..3, 6),
    ) {
        let (mut ada, _) = couple();
        let mut devices: Vec<Device> = (0..n)
            .map(|i| Device {
                journal: ada.fork([10 + i as u8; 16]),
                member: ["ada", "ben", "ada"][i],
                offset_ms: offsets[i],
                counter: 0,
            })
            .collect();
        for (step, (who, op)) in script.iter().enumerate() {
            apply(&mut devices, who % n, op, step as i64);
        }
        // Everyone merges everyone, in a random order, twice round.
        for round in 0..2 {
            for k in 0..n {
                let who = merge_order[(k + round * 3) % merge_order.len()] % n;
                for from in 0..n {
                    apply(&mut devices, who, &Op::Merge { from }, 0);
                }
            }
        }
        for who in 0..n {
            for from in 0..n {
                apply(&mut devices, who, &Op::Merge { from }, 0);
            }
        }
        // Each device holds the keys of the answers written on it; the document is the same
        // everywhere, and so is what it reads as with the same keys.
        let keys: hearth_journal::AnswerKeys = devices
            .iter()
            .flat_map(|d| d.journal.answer_keys().clone())
            .collect();
        for d in &mut devices {
            d.journal.keep_answer_keys(keys.clone());
        }
        let first = devices[0].journal.scan();
        let mut heads0 = devices[0].journal.automerge_mut().get_heads();
        heads0.sort();
        for d in devices.iter_mut().skip(1) {
            let mut heads = d.journal.automerge_mut().get_heads();
            heads.sort();
            prop_assert_eq!(&heads, &heads0);
            prop_assert_eq!(&d.journal.scan().entries, &first.entries);
        }
        prop_assert!(first.warnings.is_empty(), "{:?}", first.warnings);
    }
}
