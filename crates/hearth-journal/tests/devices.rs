//! The journal's device records: every device learns of every other by sync, and no record is
//! lost when two devices write at once.

mod common;

use automerge::{ROOT, transaction::Transactable};
use common::*;
use hearth_journal::*;

fn hexid(n: u8) -> String {
    format!("{n:02x}").repeat(32)
}

fn record(n: u8, owner: Owner, name: &str) -> DeviceRecord {
    DeviceRecord {
        id: DeviceRef::new(hexid(n)),
        owner,
        name: name.into(),
        exchange: Some([n; 32]),
        added_ms: at(n.into()),
        addrs: vec![format!("192.168.1.{n}:4433")],
        relay: None,
        epoch: 0,
        removed: None,
    }
}

fn put(j: &mut Journal, r: &DeviceRecord) {
    j.transact(|j| j.put_device(r)).expect("put device");
}

fn ada() -> Owner {
    Owner::Member(MemberId::new("ada"))
}

#[test]
fn a_record_written_on_one_replica_is_read_on_the_other() {
    let (mut ada_j, mut ben_j) = couple();
    let laptop = record(1, ada(), "Ada's laptop");
    let home = record(3, Owner::Home, "Living room");
    put(&mut ada_j, &laptop);
    put(&mut ada_j, &home);
    ben_j.merge(&mut ada_j).expect("merge");
    let devices = ben_j.devices();
    assert_eq!(devices.len(), 2);
    assert_eq!(devices[&laptop.id], laptop);
    assert_eq!(devices[&home.id], home);
}

#[test]
fn saying_the_same_again_changes_nothing_and_a_new_address_changes_only_that() {
    let (mut j, _) = couple();
    let mut laptop = record(1, ada(), "Ada's laptop");
    put(&mut j, &laptop);
    let heads = j.automerge_mut().get_heads();
    put(&mut j, &laptop);
    assert_eq!(
        j.automerge_mut().get_heads(),
        heads,
        "nothing new was written"
    );

    laptop.addrs = vec!["10.0.0.7:1234".into(), "[fe80::1]:9".into()];
    laptop.relay = Some("https://relay.example/".into());
    put(&mut j, &laptop);
    assert_eq!(j.devices()[&laptop.id], laptop);
}

#[test]
fn two_replicas_that_add_the_first_records_at_once_keep_both() {
    // A journal from before device records: both devices add theirs while apart.
    let (mut ada_j, mut ben_j) = couple();
    let a = record(1, ada(), "Ada's laptop");
    let b = record(2, Owner::Member(MemberId::new("ben")), "Ben's phone");
    put(&mut ada_j, &a);
    put(&mut ben_j, &b);
    ada_j.merge(&mut ben_j).expect("merge");
    ben_j.merge(&mut ada_j).expect("merge");
    for j in [&ada_j, &ben_j] {
        let devices = j.devices();
        assert_eq!(devices.len(), 2, "neither record is lost to the conflict");
        assert_eq!(devices[&a.id], a);
        assert_eq!(devices[&b.id], b);
    }
    // And a later change lands where everyone reads it.
    let mut b2 = b.clone();
    b2.name = "Ben's new phone".into();
    put(&mut ada_j, &b2);
    ben_j.merge(&mut ada_j).expect("merge");
    assert_eq!(ben_j.devices()[&b.id].name, "Ben's new phone");
}

#[test]
fn records_that_do_not_fit_are_left_out_and_long_fields_are_cut() {
    let (mut j, _) = couple();
    let mut long = record(1, ada(), &"n".repeat(500));
    long.addrs = (0..40).map(|i| format!("10.0.0.{i}:1")).collect();
    put(&mut j, &long);
    let doc = j.automerge_mut();
    let devices = automerge::ReadDoc::get(doc, ROOT, "devices")
        .expect("read")
        .expect("there")
        .1;
    // Not a device id; a record that is not a map; a record without an owner.
    let bad = doc
        .put_object(&devices, "not-hex", automerge::ObjType::Map)
        .expect("put");
    doc.put(&bad, "member", "ada").expect("put");
    doc.put(&bad, "name", "x").expect("put");
    doc.put(&devices, hexid(7), 5).expect("put");
    let no_owner = doc
        .put_object(&devices, hexid(8), automerge::ObjType::Map)
        .expect("put");
    doc.put(&no_owner, "name", "x").expect("put");
    doc.commit();

    let devices = j.devices();
    assert_eq!(devices.len(), 1);
    let read = &devices[&long.id];
    assert_eq!(read.name.chars().count(), MAX_DEVICE_NAME_CHARS);
    assert_eq!(read.addrs.len(), MAX_DEVICE_ADDRS);
}

#[test]
fn an_actor_names_its_device_and_differs_on_every_open() {
    let device = [9u8; 32];
    let one = device_actor(&device, [1; 8]);
    let two = device_actor(&device, [2; 8]);
    assert_ne!(one, two);
    assert_eq!(one[..ACTOR_DEVICE_BYTES], device[..ACTOR_DEVICE_BYTES]);
    assert_eq!(two[..ACTOR_DEVICE_BYTES], device[..ACTOR_DEVICE_BYTES]);
}

#[test]
fn a_replica_without_the_structure_takes_no_record() {
    let mut empty = Journal::replica([5; 16]);
    let r = record(1, ada(), "x");
    assert!(matches!(
        empty.transact(|j| j.put_device(&r)),
        Err(WriteError::NotReady)
    ));
}

#[test]
fn a_removal_holds_on_every_replica_and_is_never_undone() {
    let (mut ada_j, mut ben_j) = couple();
    let phone = record(4, ada(), "Ada's old phone");
    put(&mut ada_j, &phone);
    ben_j.merge(&mut ada_j).expect("merge");
    let by = DeviceRef::new(hexid(2));
    ben_j
        .transact(|j| j.remove_device(&phone, &by, at(9)))
        .expect("remove");
    // Meanwhile the phone renames itself on Ada's replica.
    let mut renamed = phone.clone();
    renamed.name = "still here".into();
    put(&mut ada_j, &renamed);
    ada_j.merge(&mut ben_j).expect("merge");
    ben_j.merge(&mut ada_j).expect("merge");
    for j in [&mut ada_j, &mut ben_j] {
        let removal = j.devices()[&phone.id].removed.clone();
        assert_eq!(
            removal,
            Some(Removal {
                at_ms: at(9),
                by: by.clone(),
                undone: None,
            })
        );
        // Writing the record again does not bring it back.
        put(j, &phone);
        assert!(j.devices()[&phone.id].removed.is_some());
    }
}

#[test]
fn a_device_without_a_record_is_removed_with_one() {
    let (mut j, _) = couple();
    let legacy = record(5, Owner::Member(MemberId::new("ben")), "Ben's device");
    let by = DeviceRef::new(hexid(1));
    j.transact(|j| j.remove_device(&legacy, &by, at(3)))
        .expect("remove");
    let held = &j.devices()[&legacy.id];
    assert_eq!(held.name, "Ben's device");
    assert!(held.removed.is_some());
}

mod judging {
    use super::*;

    /// Records of devices 1..=n, with `removals` (remover, removed) written in order.
    fn journal_with(n: u8, removals: &[(u8, u8)]) -> Journal {
        let (mut j, _) = couple();
        for d in 1..=n {
            put(&mut j, &record(d, ada(), "device"));
        }
        for (by, d) in removals {
            let rec = j.devices()[&DeviceRef::new(hexid(*d))].clone();
            j.transact(|j| j.remove_device(&rec, &DeviceRef::new(hexid(*by)), at(9)))
                .expect("remove");
        }
        j
    }

    fn judged(j: &Journal) -> Vec<u8> {
        let mut out: Vec<u8> = j
            .removed_devices()
            .iter()
            .map(|d| u8::from_str_radix(&d.as_str()[..2], 16).expect("hex"))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_removal_counts() {
        assert_eq!(judged(&journal_with(3, &[(1, 2)])), vec![2]);
    }

    #[test]
    fn a_stolen_device_that_cut_off_the_others_loses_to_the_one_removal_that_answers_it() {
        // The phone (3) removes the laptop (1) and Bob's device (2); the laptop answers.
        let j = journal_with(3, &[(3, 1), (3, 2), (1, 3)]);
        assert_eq!(judged(&j), vec![3]);
    }

    #[test]
    fn two_devices_that_removed_each_other_one_for_one_are_both_removed() {
        assert_eq!(judged(&journal_with(3, &[(1, 2), (2, 1)])), vec![1, 2]);
    }

    #[test]
    fn a_removal_made_by_a_removed_device_can_be_undone_by_one_that_stays() {
        // The phone (3) removed the laptop (1); Bob's device (2) removes the phone and undoes
        // what it did.
        let mut j = journal_with(3, &[(3, 1), (2, 3)]);
        assert_eq!(judged(&j), vec![1, 3]);
        j.transact(|j| {
            j.undo_removal(&DeviceRef::new(hexid(1)), &DeviceRef::new(hexid(2)), at(10))
        })
        .expect("undo");
        assert_eq!(judged(&j), vec![3]);
    }

    #[test]
    fn an_undoing_by_a_removed_device_or_of_a_removal_by_one_that_stays_does_not_count() {
        // The phone (3) was removed by the laptop (1); it cannot undo its own removal.
        let mut j = journal_with(3, &[(1, 3)]);
        j.transact(|j| {
            j.undo_removal(&DeviceRef::new(hexid(3)), &DeviceRef::new(hexid(3)), at(10))
        })
        .expect("undo");
        assert_eq!(judged(&j), vec![3]);
        // A sold laptop (1) removed the lost phone (3) and was removed by Bob (2): undoing the
        // laptop's removal of the phone brings it back only by the person's choice.
        let mut j = journal_with(3, &[(1, 3), (2, 1)]);
        assert_eq!(judged(&j), vec![1, 3], "the lost phone stays removed");
        j.transact(|j| {
            j.undo_removal(&DeviceRef::new(hexid(3)), &DeviceRef::new(hexid(2)), at(10))
        })
        .expect("undo");
        assert_eq!(judged(&j), vec![1]);
    }
}

#[test]
fn each_device_says_what_its_hearth_reads_and_older_or_newer_ones_are_named() {
    let (mut ada_j, mut ben_j) = couple();
    let laptop = record(1, ada(), "Ada's laptop");
    let phone = record(2, Owner::Member(MemberId::new("ben")), "Ben's phone");
    put(&mut ada_j, &laptop);
    put(&mut ada_j, &phone);
    // The first version's records say nothing: they read 1.
    assert_eq!(ada_j.device_reads(&phone.id), 1);
    assert_eq!(
        ada_j
            .devices_reading_less()
            .into_iter()
            .map(|r| r.name)
            .collect::<Vec<_>>(),
        vec!["Ada's laptop", "Ben's phone"]
    );
    ada_j
        .transact(|j| j.note_reads(&laptop.id, READS))
        .expect("note");
    ben_j.merge(&mut ada_j).expect("merge");
    assert_eq!(ben_j.device_reads(&laptop.id), READS);
    assert_eq!(
        ben_j
            .devices_reading_less()
            .into_iter()
            .map(|r| r.name)
            .collect::<Vec<_>>(),
        vec!["Ben's phone"]
    );
    // The number only grows; a newer version's device is named too.
    ben_j
        .transact(|j| j.note_reads(&laptop.id, 1))
        .expect("note");
    assert_eq!(ben_j.device_reads(&laptop.id), READS);
    ben_j
        .transact(|j| j.note_reads(&phone.id, READS + 1))
        .expect("note");
    assert!(ben_j.devices_reading_less().is_empty());
    assert_eq!(
        ben_j
            .devices_reading_more()
            .into_iter()
            .map(|r| r.name)
            .collect::<Vec<_>>(),
        vec!["Ben's phone"]
    );
    // A device without a record gets no number.
    let stranger = DeviceRef::new(hexid(9));
    ben_j
        .transact(|j| j.note_reads(&stranger, READS))
        .expect("note");
    assert_eq!(ben_j.device_reads(&stranger), 1);
}
