//! Letters for later: sealed until their moment, opened by any of their author's devices.

mod common;

use common::*;
use hearth_crypto::DeviceSecret;
use hearth_journal::*;

fn hexid(n: u8) -> String {
    format!("{n:02x}").repeat(32)
}

/// A device of `member`, its record and its secret.
fn device(n: u8, member: &str) -> (DeviceRecord, DeviceSecret) {
    let secret = DeviceSecret::from_bytes([n; 32]);
    let record = DeviceRecord {
        id: DeviceRef::new(hexid(n)),
        owner: Owner::Member(MemberId::new(member)),
        name: format!("device {n}"),
        exchange: Some(*secret.exchange_public().as_bytes()),
        added_ms: at(0),
        addrs: Vec::new(),
        relay: None,
        epoch: 0,
        removed: None,
    };
    (record, secret)
}

fn letter(opens_at: UnixMs, body: &str) -> Content {
    Content::Letter {
        opens_at,
        body: body.into(),
    }
}

#[test]
fn a_letter_stays_sealed_to_the_partner_until_an_authors_device_opens_it() {
    let (mut laptop, mut ben) = couple();
    let (laptop_record, _) = device(1, "ada");
    let (phone_record, phone_secret) = device(2, "ada");
    let (ben_record, ben_secret) = device(3, "ben");
    for r in [&laptop_record, &phone_record, &ben_record] {
        laptop.transact(|j| j.put_device(r)).expect("record");
    }
    let moment = at(1_000);
    let id = id(1);
    laptop
        .transact(|j| {
            j.write(
                &id,
                &stamp("ada", &hexid(1), at(1)),
                &letter(moment, "Open this when the year is done."),
            )
        })
        .expect("write");
    // The author's device reads it, sealed.
    let mine = laptop.entry(&id).expect("readable").expect("there");
    assert_eq!(
        mine.content,
        letter(moment, "Open this when the year is done.")
    );
    assert_eq!(mine.sealing, Sealing::Sealed);
    assert_eq!(
        laptop.next_letter_moment(&MemberId::new("ada")),
        Some(moment)
    );

    // The partner sees that a letter waits and when it opens, never its text.
    ben.merge(&mut laptop).expect("merge");
    assert_eq!(
        ben.entry(&id).expect("readable").expect("there").content,
        Content::SealedLetter { opens_at: moment }
    );
    assert!(ben.take_letter_keys(&ben_record.id, &ben_secret).is_empty());
    assert!(!format!("{:?}", ben.scan_as(&MemberId::new("ben"))).contains("year is done"));

    // Ada's phone takes its copy of the key and could open it too; before the moment, nothing
    // opens.
    let mut phone = Journal::replica([9; 16]);
    phone.merge(&mut laptop).expect("merge");
    assert_eq!(
        phone.take_letter_keys(&phone_record.id, &phone_secret),
        vec![id.clone()]
    );
    assert_eq!(
        phone.entry(&id).expect("readable").expect("there").content,
        letter(moment, "Open this when the year is done.")
    );
    let ada = MemberId::new("ada");
    assert!(
        phone
            .transact(|j| j.open_letters(&ada, at(999)))
            .expect("open")
            .is_empty()
    );
    // After the moment, the phone (the first of Ada's devices to run) publishes the key.
    assert_eq!(
        phone
            .transact(|j| j.open_letters(&ada, moment))
            .expect("open"),
        vec![id.clone()]
    );
    assert_eq!(phone.next_letter_moment(&ada), None);
    ben.merge(&mut phone).expect("merge");
    let opened = ben.entry(&id).expect("readable").expect("there");
    assert_eq!(
        opened.content,
        letter(moment, "Open this when the year is done.")
    );
    assert_eq!(opened.sealing, Sealing::Opened);
}

#[test]
fn a_letter_needs_words_and_its_key_is_not_read_from_the_wrong_place() {
    let (mut ada, mut ben) = couple();
    let (record, _) = device(1, "ada");
    let (ben_record, ben_secret) = device(3, "ben");
    ada.transact(|j| j.put_device(&record)).expect("record");
    ada.transact(|j| j.put_device(&ben_record)).expect("record");
    assert!(matches!(
        ada.transact(|j| j.write(
            &id(1),
            &stamp("ada", &hexid(1), at(1)),
            &letter(at(5), "  ")
        )),
        Err(WriteError::Empty)
    ));
    ada.transact(|j| {
        j.write(
            &id(2),
            &stamp("ada", &hexid(1), at(1)),
            &letter(at(5), "Soon."),
        )
    })
    .expect("write");
    // A copy of the key under Ben's device that is not a sealed key is not read.
    ada.transact(|j| {
        use automerge::ReadDoc as _;
        use automerge::transaction::Transactable as _;
        let doc = j.automerge_mut();
        let entries = doc
            .get(automerge::ROOT, "entries")?
            .map(|(_, o)| o)
            .expect("entries");
        let entry = doc
            .get(&entries, id(2).as_str())?
            .map(|(_, o)| o)
            .expect("the letter");
        let keys = doc.get(&entry, "keys")?.map(|(_, o)| o).expect("keys");
        doc.put(
            &keys,
            hexid(3).as_str(),
            automerge::ScalarValue::Bytes(vec![0; 80]),
        )?;
        Ok::<_, automerge::AutomergeError>(())
    })
    .expect("write");
    ben.merge(&mut ada).expect("merge");
    assert!(ben.take_letter_keys(&ben_record.id, &ben_secret).is_empty());
    assert_eq!(
        ben.entry(&id(2)).expect("readable").expect("there").content,
        Content::SealedLetter { opens_at: at(5) }
    );
}
