//! Shared set-up for the journal's tests.
#![allow(dead_code, missing_docs)]

use hearth_journal::*;

pub const START_MS: UnixMs = UnixMs::from_millis(1_763_800_000_000);

/// `n` milliseconds after the start.
pub fn at(n: i64) -> UnixMs {
    UnixMs::from_millis(START_MS.as_millis() + n)
}

pub fn day() -> LocalDate {
    LocalDate::from_utc_ms(START_MS, 0)
}

pub fn member(id: &str, name: &str) -> Member {
    Member {
        id: MemberId::new(id),
        name: name.into(),
        joined_ms: START_MS,
    }
}

pub fn stamp(member: &str, device: &str, now_ms: UnixMs) -> Stamp {
    Stamp {
        member: MemberId::new(member),
        device: DeviceRef::new(device),
        now_ms,
    }
}

/// A journal started by Ada, with Ben as the second member, and Ben's replica of it.
pub fn couple() -> (Journal, Journal) {
    let mut ada = Journal::create(
        &JournalId::new("journal-1"),
        &member("ada", "Ada"),
        day(),
        START_MS,
        [1; 16],
    )
    .expect("create");
    ada.put_member(&member("ben", "Ben")).expect("add Ben");
    let mut ben = Journal::replica([2; 16]);
    ben.merge(&mut ada).expect("same journal");
    (ada, ben)
}

pub fn id(n: i64) -> EntryId {
    EntryId::new(at(n), [n as u8; 9])
}

pub fn journal(body: &str) -> Content {
    Content::Journal { body: body.into() }
}
