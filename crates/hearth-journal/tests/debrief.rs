//! The evening debrief: its own kind, what was hard and what helped.

mod common;

use common::*;
use hearth_journal::*;

fn debrief(hard: &str, helped: &str) -> Content {
    Content::Debrief {
        hard: hard.into(),
        helped: helped.into(),
    }
}

#[test]
fn a_debrief_keeps_what_was_hard_and_what_helped_and_each_part_is_edited_alone() {
    let (mut ada, mut ben) = couple();
    let stamp = stamp("ada", "laptop", at(1));
    ada.transact(|j| {
        j.write(
            &id(1),
            &stamp,
            &debrief("The meeting ran long.", "Your soup."),
        )
    })
    .expect("write");
    ben.merge(&mut ada).expect("merge");
    let read = ben.entry(&id(1)).expect("readable").expect("there");
    assert_eq!(read.kind(), EntryKind::Debrief);
    assert_eq!(read.content, debrief("The meeting ran long.", "Your soup."));
    assert_eq!(
        read.content.lines(),
        Some(vec!["The meeting ran long.", "Your soup."])
    );

    let later = stamp_at("ada", 2);
    ada.transact(|j| {
        j.edit(
            &id(1),
            &later,
            &Edit::Line {
                index: 1,
                text: "Your soup, and the walk.".into(),
            },
        )
    })
    .expect("edit what helped");
    assert_eq!(
        ada.entry(&id(1)).expect("readable").expect("there").content,
        debrief("The meeting ran long.", "Your soup, and the walk.")
    );
    // A debrief has no single body, and a third part does not exist.
    assert!(matches!(
        ada.transact(|j| j.edit(&id(1), &later, &Edit::Body("x".into()))),
        Err(WriteError::WrongKind { .. })
    ));
    assert!(matches!(
        ada.transact(|j| j.edit(
            &id(1),
            &later,
            &Edit::Line {
                index: 2,
                text: "x".into()
            }
        )),
        Err(WriteError::NoSuchLine { .. })
    ));

    // The history has both versions, and the first comes back.
    let versions = ada.history(&id(1), &MemberId::new("ada")).expect("history");
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[0].content,
        debrief("The meeting ran long.", "Your soup.")
    );
    ada.transact(|j| j.restore(&id(1), &stamp_at("ada", 3), 1))
        .expect("restore");
    assert_eq!(
        ada.entry(&id(1)).expect("readable").expect("there").content,
        debrief("The meeting ran long.", "Your soup.")
    );
}

#[test]
fn a_debrief_needs_one_of_its_parts() {
    let (mut ada, _) = couple();
    let stamp = stamp("ada", "laptop", at(1));
    assert!(matches!(
        ada.transact(|j| j.write(&id(1), &stamp, &debrief("  ", ""))),
        Err(WriteError::Empty)
    ));
    ada.transact(|j| j.write(&id(1), &stamp, &debrief("", "A long bath.")))
        .expect("only what helped");
    assert!(matches!(
        ada.transact(|j| j.edit(
            &id(1),
            &stamp_at("ada", 2),
            &Edit::Line {
                index: 1,
                text: " ".into()
            }
        )),
        Err(WriteError::Empty)
    ));
}

#[test]
fn a_debrief_that_does_not_hold_two_parts_is_left_unread() {
    let (mut ada, _) = couple();
    ada.transact(|j| {
        j.write(
            &id(1),
            &stamp("ada", "laptop", at(1)),
            &debrief("hard", "helped"),
        )
    })
    .expect("write");
    ada.transact(|j| {
        use automerge::ReadDoc as _;
        use automerge::transaction::Transactable as _;
        let doc = j.automerge_mut();
        let entries = match doc.get(automerge::ROOT, "entries")? {
            Some((_, obj)) => obj,
            None => panic!("a ready journal has entries"),
        };
        let entry = match doc.get(&entries, id(1).as_str())? {
            Some((_, obj)) => obj,
            None => panic!("just written"),
        };
        let lines = match doc.get(&entry, "lines")? {
            Some((_, obj)) => obj,
            None => panic!("a debrief has lines"),
        };
        let third = doc.insert_object(&lines, 2, automerge::ObjType::Text)?;
        doc.splice_text(&third, 0, 0, "a third part")?;
        Ok::<_, automerge::AutomergeError>(())
    })
    .expect("write");
    let scan = ada.scan();
    assert!(scan.entries.iter().all(|e| e.id != id(1)));
    assert!(
        scan.warnings
            .iter()
            .any(|w| w.to_string().contains("invalid value")),
        "{:?}",
        scan.warnings
    );
}

/// `member`'s stamp on their laptop, `n` milliseconds after the start.
fn stamp_at(member: &str, n: i64) -> Stamp {
    stamp(member, "laptop", at(n))
}
