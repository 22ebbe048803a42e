//! What the crate's unit tests share: a journal of two people, stamps and entry ids.

use crate::*;

pub(crate) const START: UnixMs = UnixMs::from_millis(1_763_800_000_000);

pub(crate) fn stamp(member: &str) -> Stamp {
    Stamp {
        member: MemberId::new(member),
        device: DeviceRef::new("phone"),
        now_ms: START,
    }
}

pub(crate) fn entry(n: u8) -> EntryId {
    EntryId::new(
        UnixMs::from_millis(START.as_millis() + i64::from(n)),
        [n; 9],
    )
}

pub(crate) fn note(body: &str) -> Content {
    Content::Journal { body: body.into() }
}

/// Ada's journal with Ben a member, and Ben's replica of it, both saved.
pub(crate) fn ada_and_ben() -> (Journal, Journal) {
    let member = |id: &str| Member {
        id: MemberId::new(id),
        name: id.into(),
        joined_ms: START,
    };
    let day = LocalDate::from_utc_ms(START, 0);
    let mut ada =
        Journal::create(&JournalId::new("j"), &member("ada"), day, START, [1; 16]).expect("create");
    ada.put_member(&member("ben")).expect("Ben joins");
    let mut ben = Journal::replica([2; 16]);
    ben.merge(&mut ada).expect("one journal");
    ada.save_incremental();
    ben.save_incremental();
    (ada, ben)
}
