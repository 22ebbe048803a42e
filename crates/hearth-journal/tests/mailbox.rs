//! What a device leaves in a mailbox for the others, and taking it in.

mod common;

use common::*;
use hearth_journal::*;

fn texts(j: &Journal) -> Vec<String> {
    let mut t: Vec<String> = j
        .scan()
        .entries
        .iter()
        .map(|e| format!("{:?}", e.content))
        .collect();
    t.sort();
    t
}

#[test]
fn a_device_that_acknowledged_nothing_gets_the_whole_journal() {
    let (mut ada, _) = couple();
    ada.write(&id(1), &stamp("ada", "d", at(1)), &journal("first"))
        .expect("write");
    let Missing::Document(whole) = ada.missing_for(&[None]) else {
        panic!("the whole document");
    };
    let mut fresh = Journal::replica([9; 16]);
    fresh.take_from_mailbox(&whole).expect("take");
    assert!(fresh.is_ready());
    assert_eq!(texts(&fresh), texts(&ada));
}

#[test]
fn only_what_a_device_lacks_goes_and_taking_twice_changes_nothing() {
    let (mut ada, mut ben) = couple();
    // Ben has everything Ada has: nothing to leave.
    assert_eq!(ada.missing_for(&[Some(ben.heads())]), Missing::Nothing);
    assert_eq!(ada.missing_for(&[]), Missing::Nothing);
    ada.write(&id(1), &stamp("ada", "d", at(1)), &journal("new"))
        .expect("write");
    let Missing::Changes(changes) = ada.missing_for(&[Some(ben.heads())]) else {
        panic!("changes");
    };
    ben.take_from_mailbox(&changes).expect("take");
    ben.take_from_mailbox(&changes).expect("again");
    assert_eq!(texts(&ben), texts(&ada));
    assert_eq!(ben.heads(), ada.heads());
    assert_eq!(ada.missing_for(&[Some(ben.heads())]), Missing::Nothing);
}

#[test]
fn changes_go_to_whichever_device_lacks_them() {
    let (mut ada, mut ben) = couple();
    let before = ben.heads();
    ada.write(&id(1), &stamp("ada", "d", at(1)), &journal("one"))
        .expect("write");
    let up_to_date = ada.heads();
    ada.write(&id(2), &stamp("ada", "d", at(2)), &journal("two"))
        .expect("write");
    // One device has the first entry, the other nothing new: both entries go, once each.
    let Missing::Changes(changes) = ada.missing_for(&[Some(up_to_date), Some(before)]) else {
        panic!("changes");
    };
    ben.take_from_mailbox(&changes).expect("take");
    assert_eq!(texts(&ben), texts(&ada));
    // Heads this journal never saw (a device ahead of it) send nothing on their account.
    let ahead = vec![ChangeHash([7; 32])];
    assert_eq!(
        ada.missing_for(&[Some(ben.heads()), Some(ahead)]),
        ada.missing_for(&[Some(ben.heads()), Some(vec![])]),
    );
}

#[test]
fn garbage_is_refused_before_automerge_and_the_journal_is_untouched() {
    let (mut ada, _) = couple();
    let heads = ada.heads();
    for junk in [
        &b"not automerge"[..],
        &[0x85, 0x6f, 0x4a, 0x83, 0xff, 0xff, 0xff][..],
    ] {
        assert!(ada.take_from_mailbox(junk).is_err());
    }
    assert_eq!(ada.heads(), heads);
}
