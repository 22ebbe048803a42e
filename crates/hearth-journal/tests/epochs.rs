//! The journal key's epoch records, and entries a removed device began after its removal.

mod common;

use std::collections::BTreeMap;

use common::*;
use hearth_journal::*;

fn device(n: u8) -> [u8; 32] {
    [n; 32]
}

fn device_ref(n: u8) -> DeviceRef {
    DeviceRef::new(data_encoding::HEXLOWER.encode(&device(n)))
}

/// A replica of `from` opened on device `n`, its actor naming the device.
fn replica_on(from: &mut Journal, n: u8, fresh: u8) -> Journal {
    let mut j = Journal::replica(device_actor(&device(n), [fresh; 8]));
    j.merge(from).expect("same journal");
    j
}

fn record(epoch: u32, by: u8, removed: &[u8], heads: Vec<ChangeHash>, to: &[u8]) -> EpochRecord {
    EpochRecord {
        epoch,
        by: device_ref(by),
        at_ms: at(1_000),
        removed: removed.iter().map(|n| device_ref(*n)).collect(),
        heads,
        keys: to
            .iter()
            .map(|n| (device_ref(*n), vec![*n; SEALED_KEY_LEN]))
            .collect(),
    }
}

fn record_of(n: u8) -> DeviceRecord {
    DeviceRecord {
        id: device_ref(n),
        owner: Owner::Member(MemberId::new("ada")),
        name: "device".into(),
        exchange: Some([n; 32]),
        added_ms: at(1),
        addrs: Vec::new(),
        relay: None,
        epoch: 0,
        removed: None,
    }
}

/// Device `by` removes device `n` and makes the key that leaves it out, as a device does.
fn remove(j: &mut Journal, by: u8, n: u8) {
    j.transact(|j| j.remove_device(&record_of(n), &device_ref(by), at(5)))
        .expect("remove");
    let heads = j.heads();
    let epoch = j.latest_epoch() + 1;
    j.transact(|j| j.put_epoch(&record(epoch, by, &[n], heads, &[by])))
        .expect("epoch");
}

fn write(j: &mut Journal, n: i64, member: &str, text: &str) {
    j.transact(|j| j.write(&id(n), &stamp(member, "d", at(n)), &journal(text)))
        .expect("write");
}

fn texts(j: &Journal) -> Vec<String> {
    j.scan()
        .entries
        .iter()
        .map(|e| e.content.main_text())
        .collect()
}

#[test]
fn an_epoch_record_reads_back_as_written_on_every_replica() {
    let (mut ada, mut ben) = couple();
    assert_eq!(ada.latest_epoch(), 0);
    let heads = ada.heads();
    let rec = record(1, 1, &[9], heads, &[1, 2]);
    ada.transact(|j| j.put_epoch(&rec)).expect("epoch");
    ben.merge(&mut ada).expect("merge");
    assert_eq!(ben.epochs(), vec![rec.clone()]);
    assert_eq!(ben.latest_epoch(), 1);

    // A device the record lacks gets the key added; one it holds is not replaced.
    ben.transact(|j| j.add_epoch_key(1, &device_ref(3), &[3; SEALED_KEY_LEN]))
        .expect("add");
    ben.transact(|j| j.add_epoch_key(1, &device_ref(1), &[7; SEALED_KEY_LEN]))
        .expect("add");
    let keys = &ben.epochs()[0].keys;
    assert_eq!(keys[&device_ref(3)], vec![3; SEALED_KEY_LEN]);
    assert_eq!(keys[&device_ref(1)], vec![1; SEALED_KEY_LEN]);
}

#[test]
fn two_keys_made_apart_for_one_epoch_read_as_the_same_one_everywhere() {
    let (mut ada, mut ben) = couple();
    let (a_heads, b_heads) = (ada.heads(), ben.heads());
    ada.transact(|j| j.put_epoch(&record(1, 1, &[8], a_heads, &[1, 2])))
        .expect("epoch");
    ben.transact(|j| j.put_epoch(&record(1, 2, &[9], b_heads, &[1, 2])))
        .expect("epoch");
    ada.merge(&mut ben).expect("merge");
    ben.merge(&mut ada).expect("merge");
    let (a, b) = (ada.epochs(), ben.epochs());
    assert_eq!(a.len(), 1, "one record in view: {a:?}");
    assert_eq!(a, b, "the same record on both");
}

#[test]
fn what_a_record_declares_is_bounded() {
    let (mut ada, _) = couple();
    let mut rec = record(1, 1, &[9], ada.heads(), &[1, 2]);
    // A key of the wrong length is not read; nor are names that are not device ids.
    rec.keys.insert(device_ref(4), vec![4; 12]);
    rec.removed.push(DeviceRef::new("not a device"));
    ada.transact(|j| j.put_epoch(&rec)).expect("epoch");
    let read = &ada.epochs()[0];
    assert!(!read.keys.contains_key(&device_ref(4)));
    assert_eq!(read.removed, vec![device_ref(9)]);
    // An epoch number past the bound is not read.
    let far = record(MAX_EPOCH + 1, 1, &[], ada.heads(), &[1]);
    ada.transact(|j| j.put_epoch(&far)).expect("epoch");
    assert_eq!(ada.latest_epoch(), 1);
    // More devices than a record names: only the first are read.
    let many: BTreeMap<DeviceRef, Vec<u8>> = (0..MAX_EPOCH_DEVICES + 44)
        .map(|n| (DeviceRef::new(format!("{n:064x}")), vec![7; SEALED_KEY_LEN]))
        .collect();
    let crowded = EpochRecord {
        keys: many,
        ..record(2, 1, &[], ada.heads(), &[])
    };
    ada.transact(|j| j.put_epoch(&crowded)).expect("epoch");
    assert_eq!(ada.epochs()[1].keys.len(), MAX_EPOCH_DEVICES);
}

#[test]
fn an_entry_a_removed_device_began_after_its_removal_is_not_read() {
    let (mut ada, _) = couple();
    // Ada's phone (device 9) holds a replica; Bob's device (2) another.
    let mut phone = replica_on(&mut ada, 9, 1);
    let mut bob = replica_on(&mut ada, 2, 1);
    write(&mut phone, 1, "ada", "from the phone, before it was lost");
    ada.merge(&mut phone).expect("merge");
    bob.merge(&mut phone).expect("merge");

    // Ada's laptop removes the phone: the record keeps the journal's heads then.
    remove(&mut ada, 1, 9);
    // The phone, in a thief's hands, writes on; Bob's device, not yet told of the removal,
    // syncs with it and then with the laptop.
    write(&mut phone, 2, "ada", "written by the thief");
    bob.merge(&mut phone).expect("merge");
    bob.merge(&mut ada).expect("merge");
    ada.merge(&mut bob).expect("merge");
    write(&mut bob, 3, "ben", "Bob, afterwards");
    ada.merge(&mut bob).expect("merge");

    for j in [&ada, &bob] {
        let texts = texts(j);
        assert!(texts.contains(&"from the phone, before it was lost".to_owned()));
        assert!(texts.contains(&"Bob, afterwards".to_owned()));
        assert!(
            !texts.contains(&"written by the thief".to_owned()),
            "{texts:?}"
        );
    }
    // The phone itself still reads what it wrote: it is not told apart there.
    assert!(texts(&phone).contains(&"written by the thief".to_owned()));
}

#[test]
fn one_entry_read_by_its_id_is_left_out_the_same_way() {
    let (mut ada, _) = couple();
    let mut phone = replica_on(&mut ada, 9, 1);
    remove(&mut ada, 1, 9);
    write(&mut phone, 5, "ada", "written by the thief");
    ada.merge(&mut phone).expect("merge");
    assert_eq!(ada.entry(&id(5)).expect("readable"), None);
    assert!(phone.entry(&id(5)).expect("readable").is_some());
}

#[test]
fn a_comment_a_removed_device_began_after_its_removal_is_not_read() {
    let (mut ada, _) = couple();
    write(&mut ada, 1, "ada", "a day by the sea");
    let mut phone = replica_on(&mut ada, 9, 1);
    phone
        .transact(|j| {
            j.comment(
                &id(1),
                &EntryId::new(at(2), [2; 9]),
                &stamp("ada", "d", at(2)),
                "before",
            )
        })
        .expect("comment");
    ada.merge(&mut phone).expect("merge");
    remove(&mut ada, 1, 9);
    phone
        .transact(|j| {
            j.comment(
                &id(1),
                &EntryId::new(at(3), [3; 9]),
                &stamp("ada", "d", at(3)),
                "after the removal",
            )
        })
        .expect("comment");
    ada.merge(&mut phone).expect("merge");
    let said = |j: &Journal| -> Vec<String> {
        j.entry(&id(1))
            .expect("readable")
            .expect("there")
            .comments
            .iter()
            .map(|c| c.text.clone())
            .collect()
    };
    assert_eq!(said(&ada), vec!["before".to_owned()]);
    assert_eq!(
        ada.scan().entries[0]
            .comments
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>(),
        vec!["before"]
    );
    assert_eq!(said(&phone).len(), 2, "the phone still reads its own");
}

#[test]
fn a_device_brought_back_is_read_again() {
    let (mut ada, _) = couple();
    for n in [1, 2, 9] {
        ada.transact(|j| j.put_device(&record_of(n)))
            .expect("record");
    }
    let mut phone = replica_on(&mut ada, 9, 1);
    // A stolen laptop (1) removes the phone (9) and Bob's device (2), and makes a key without
    // them.
    for n in [9, 2] {
        ada.transact(|j| j.remove_device(&record_of(n), &device_ref(1), at(5)))
            .expect("remove");
    }
    let heads = ada.heads();
    ada.transact(|j| j.put_epoch(&record(1, 1, &[2, 9], heads, &[1])))
        .expect("epoch");
    write(&mut phone, 6, "ada", "written while cut off");
    ada.merge(&mut phone).expect("merge");
    assert!(!texts(&ada).contains(&"written while cut off".to_owned()));
    // The phone answers: the laptop is outnumbered, and the phone is back.
    phone.merge(&mut ada).expect("merge");
    phone
        .transact(|j| j.remove_device(&record_of(1), &device_ref(9), at(7)))
        .expect("answer");
    ada.merge(&mut phone).expect("merge");
    assert_eq!(
        ada.removed_devices().into_iter().collect::<Vec<_>>(),
        vec![device_ref(1)]
    );
    assert!(texts(&ada).contains(&"written while cut off".to_owned()));
}

#[test]
fn a_device_brought_back_gets_a_new_key_not_the_one_that_left_it_out() {
    let (mut ada, _) = couple();
    for n in [1, 2, 3, 9] {
        ada.transact(|j| j.put_device(&record_of(n)))
            .expect("record");
    }
    // A stolen laptop (1) removes the phone (9) and Bob's device (2), and makes a key without
    // them, sealed to itself and to the desktop (3).
    for n in [9, 2] {
        ada.transact(|j| j.remove_device(&record_of(n), &device_ref(1), at(5)))
            .expect("remove");
    }
    let heads = ada.heads();
    ada.transact(|j| j.put_epoch(&record(1, 1, &[2, 9], heads, &[1, 3])))
        .expect("epoch");
    // The desktop removes the laptop, and makes the key that leaves out all three.
    ada.transact(|j| j.remove_device(&record_of(1), &device_ref(3), at(6)))
        .expect("remove");
    assert!(matches!(
        ada.epoch_duty(1),
        EpochDuty::Rotate { epoch: 2, .. }
    ));
    let heads = ada.heads();
    ada.transact(|j| j.put_epoch(&record(2, 3, &[1, 2, 9], heads, &[3])))
        .expect("epoch");
    assert_eq!(ada.epoch_duty(2), EpochDuty::Nothing);
    // Then it undoes the laptop's removals: the phone and Bob's device are back.
    for n in [9, 2] {
        ada.transact(|j| j.undo_removal(&device_ref(n), &device_ref(3), at(7)))
            .expect("undo");
    }
    assert_eq!(
        ada.removed_devices().into_iter().collect::<Vec<_>>(),
        vec![device_ref(1)]
    );
    // The newest key's record says it leaves them out. Sealing that key to them would keep it
    // saying so, and removing either again would then make no new key: the desktop makes a new
    // one instead.
    match ada.epoch_duty(2) {
        EpochDuty::Rotate { epoch, removed, to } => {
            assert_eq!(epoch, 3);
            assert_eq!(removed, vec![device_ref(1)]);
            let to: Vec<DeviceRef> = to.into_iter().map(|(d, _)| d).collect();
            assert_eq!(to, vec![device_ref(2), device_ref(3), device_ref(9)]);
        }
        other => panic!("expected a new key, got {other:?}"),
    }
}

/// What an entry reads as on `j`: its main text, whether it is deleted, and who reacted how.
fn entry_on(j: &Journal, n: i64) -> (String, bool, Vec<(String, String)>) {
    let e = j.entry(&id(n)).expect("readable").expect("there");
    let reactions = e
        .reactions
        .iter()
        .flat_map(|(who, emojis)| emojis.iter().map(|e| (who.as_str().to_owned(), e.clone())))
        .collect();
    (e.content.main_text(), e.deleted, reactions)
}

/// Ada's laptop (1), her phone (9) and Bob's device (2) share a journal holding one entry of
/// Ada's, written on the phone, with Bob's reaction; then the laptop removes the phone.
fn stolen_phone() -> (Journal, Journal, Journal) {
    let (mut ada, _) = couple();
    let mut phone = replica_on(&mut ada, 9, 1);
    let mut bob = replica_on(&mut ada, 2, 1);
    write(&mut phone, 1, "ada", "the morning we missed the ferry");
    phone
        .transact(|j| j.react(&id(1), &stamp("ada", "d", at(2)), "🌊", true))
        .expect("react");
    bob.merge(&mut phone).expect("merge");
    bob.transact(|j| j.react(&id(1), &stamp("ben", "d", at(3)), "❤", true))
        .expect("react");
    ada.merge(&mut bob).expect("merge");
    phone.merge(&mut bob).expect("merge");
    remove(&mut ada, 1, 9);
    (ada, phone, bob)
}

/// The thief's changes reach Bob's device, which has not heard of the removal, and through it
/// the laptop.
fn passed_on(ada: &mut Journal, phone: &mut Journal, bob: &mut Journal) {
    bob.merge(phone).expect("merge");
    bob.merge(ada).expect("merge");
    ada.merge(bob).expect("merge");
}

#[test]
fn an_edit_a_removed_device_made_after_its_removal_is_not_read() {
    let (mut ada, mut phone, mut bob) = stolen_phone();
    phone
        .transact(|j| {
            j.edit(
                &id(1),
                &stamp("ada", "d", at(10)),
                &Edit::Body("the thief's words".into()),
            )
        })
        .expect("edit");
    passed_on(&mut ada, &mut phone, &mut bob);
    for j in [&ada, &bob] {
        assert_eq!(entry_on(j, 1).0, "the morning we missed the ferry");
    }
    assert_eq!(
        entry_on(&phone, 1).0,
        "the thief's words",
        "the phone reads its own"
    );

    // Ada, on her laptop, writes her entry again: her text is what everyone reads.
    ada.transact(|j| {
        j.edit(
            &id(1),
            &stamp("ada", "d", at(11)),
            &Edit::Body("the morning we missed the ferry, and laughed".into()),
        )
    })
    .expect("edit");
    bob.merge(&mut ada).expect("merge");
    for j in [&ada, &bob] {
        assert_eq!(
            entry_on(j, 1).0,
            "the morning we missed the ferry, and laughed"
        );
    }
}

#[test]
fn a_deletion_a_removed_device_made_after_its_removal_is_not_read() {
    let (mut ada, mut phone, mut bob) = stolen_phone();
    phone
        .transact(|j| j.delete(&id(1), &stamp("ada", "d", at(10))))
        .expect("delete");
    passed_on(&mut ada, &mut phone, &mut bob);
    let expected = (
        "the morning we missed the ferry".to_owned(),
        false,
        vec![
            ("ada".to_owned(), "🌊".to_owned()),
            ("ben".to_owned(), "❤".to_owned()),
        ],
    );
    assert_eq!(entry_on(&ada, 1), expected);
    assert_eq!(entry_on(&bob, 1), expected);
    assert!(entry_on(&phone, 1).1, "deleted on the phone itself");
    // Every way of reading agrees: the whole scan and a fresh copy for Bob.
    let scanned = ada.scan();
    assert_eq!(scanned.entries[0].content.main_text(), expected.0);
    let copy = Journal::load(
        &ada.fresh_copy(&MemberId::new("ben")).expect("copy"),
        [7; 16],
    )
    .expect("load");
    assert_eq!(entry_on(&copy, 1), expected);
}

#[test]
fn reactions_and_a_name_a_removed_device_changed_after_its_removal_are_not_read() {
    let (mut ada, mut phone, mut bob) = stolen_phone();
    phone
        .transact(|j| {
            j.react(&id(1), &stamp("ada", "d", at(10)), "🌊", false)?;
            j.react(&id(1), &stamp("ada", "d", at(10)), "🙄", true)?;
            j.put_member(&member("ada", "not Ada"))
        })
        .expect("react");
    // Bob reacts once more at the same time, and that stays.
    bob.transact(|j| j.react(&id(1), &stamp("ben", "d", at(11)), "☀", true))
        .expect("react");
    passed_on(&mut ada, &mut phone, &mut bob);
    for j in [&ada, &bob] {
        assert_eq!(
            entry_on(j, 1).2,
            vec![
                ("ada".to_owned(), "🌊".to_owned()),
                ("ben".to_owned(), "☀".to_owned()),
                ("ben".to_owned(), "❤".to_owned()),
            ]
        );
        let names: Vec<String> = j
            .info()
            .expect("readable")
            .expect("ready")
            .members
            .iter()
            .map(|m| m.name.clone())
            .collect();
        assert_eq!(names, vec!["Ada".to_owned(), "Ben".to_owned()]);
    }
}

#[test]
fn a_text_edited_by_both_keeps_only_the_staying_device_s_part() {
    let (mut ada, mut phone, mut bob) = stolen_phone();
    // The thief cuts a word and adds one at the end; Ada's laptop, at the same time, adds one
    // at the start.
    phone
        .transact(|j| {
            j.edit(
                &id(1),
                &stamp("ada", "d", at(10)),
                &Edit::Body("the morning we the ferry, ha".into()),
            )
        })
        .expect("edit");
    ada.transact(|j| {
        j.edit(
            &id(1),
            &stamp("ada", "d", at(10)),
            &Edit::Body("Sunday: the morning we missed the ferry".into()),
        )
    })
    .expect("edit");
    passed_on(&mut ada, &mut phone, &mut bob);
    for j in [&ada, &bob] {
        assert_eq!(entry_on(j, 1).0, "Sunday: the morning we missed the ferry");
    }
}

#[test]
fn a_device_brought_back_has_its_edits_read_again() {
    let (mut ada, _) = couple();
    for n in [1, 2, 9] {
        ada.transact(|j| j.put_device(&record_of(n)))
            .expect("record");
    }
    write(&mut ada, 1, "ada", "the morning we missed the ferry");
    let mut phone = replica_on(&mut ada, 9, 1);
    // A stolen laptop (1) removes the phone (9) and Bob's device (2), and makes a key without
    // them.
    for n in [9, 2] {
        ada.transact(|j| j.remove_device(&record_of(n), &device_ref(1), at(5)))
            .expect("remove");
    }
    let heads = ada.heads();
    ada.transact(|j| j.put_epoch(&record(1, 1, &[2, 9], heads, &[1])))
        .expect("epoch");
    phone
        .transact(|j| {
            j.edit(
                &id(1),
                &stamp("ada", "d", at(6)),
                &Edit::Body("written while cut off".into()),
            )
        })
        .expect("edit");
    ada.merge(&mut phone).expect("merge");
    assert_eq!(entry_on(&ada, 1).0, "the morning we missed the ferry");
    // The phone answers: the laptop is outnumbered, the phone is back, and so is its edit.
    phone.merge(&mut ada).expect("merge");
    phone
        .transact(|j| j.remove_device(&record_of(1), &device_ref(9), at(7)))
        .expect("answer");
    ada.merge(&mut phone).expect("merge");
    assert_eq!(entry_on(&ada, 1).0, "written while cut off");
}
