//! The Hearth journal as data.
//!
//! A journal is one Automerge document that every device of the couple holds in full. This crate
//! defines its schema, the typed entries people write (free journal, check-in, gratitude,
//! appreciation, answer to the question of the day, bid for connection), the changes they make
//! (edit, comment, react, delete, respond), the queries the front ends ask, and the prompt deck.
//!
//! It is pure: no IO, no clock, no randomness of its own. Times and random bytes come in as
//! arguments, so every replica can be driven deterministically in tests. (It defines the one time
//! type, [`UnixMs`], whose `now` is where the devices driving it read the clock.)
//!
//! ```
//! use hearth_journal::*;
//!
//! let me = Member { id: MemberId::new("ada"), name: "Ada".into(), joined_ms: UnixMs::EPOCH };
//! let day = LocalDate::from_ymd(2026, 11, 22).expect("a real day");
//! let mut journal = Journal::create(&JournalId::new("j1"), &me, day, UnixMs::EPOCH, [1; 16])?;
//! let stamp = Stamp { member: me.id.clone(), device: DeviceRef::new("laptop"), now_ms: UnixMs::from_millis(5) };
//! let id = EntryId::new(UnixMs::from_millis(5), [7; 9]);
//! journal.write(&id, &stamp, &Content::CheckIn { mood: Mood::new(8)?, why: "slept well".into() })?;
//! assert_eq!(journal.timeline(&Filter::default(), None, 10).entries[0].id, id);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod answers;
mod counted;
mod date;
mod date_night;
pub mod deck;
mod devices;
mod entry;
mod epochs;
mod history;
mod home_zone;
mod ids;
mod journal;
mod kind;
mod kinds;
mod late;
mod letters;
mod mailbox;
mod map_fields;
mod query;
mod rituals;
mod schema;
mod skips;
pub mod sync;
mod time;
#[cfg(test)]
mod unit;
mod warning;

pub use answers::{AnswerKeys, SEALED_NOTICE};
pub use automerge::ChangeHash;
pub use date::{DateError, LocalDate};
pub use date_night::{DateNight, MAX_LINE_CHARS, MAX_PLAN_CHARS, Note};
pub use devices::{
    ACTOR_DEVICE_BYTES, DeviceRecord, MAX_DEVICE_ADDRS, MAX_DEVICE_NAME_CHARS, Owner, READS,
    Removal, Undoing, device_actor, judge_removals,
};
pub use entry::{BidResponse, Comment, Content, Entry, Sealing};
pub use epochs::{
    EpochDuty, EpochRecord, MAX_EPOCH, MAX_EPOCH_DEVICES, MAX_EPOCH_HEADS, SEALED_KEY_LEN,
};
pub use history::Version;
pub use home_zone::MAX_ZONE_NAME;
pub use ids::{DeviceRef, EntryId, IdError, JournalId, MemberId};
pub use journal::{
    ArrivedDocument, Edit, Frozen, Journal, LoadError, MAX_TEXT_CHARS, MergeError, Scan, Stamp,
    WriteError,
};
pub use kind::{BidKind, EntryKind, Mood, MoodOutOfRange, Turn, UnknownKind};
pub use letters::LETTER_NOTICE;
pub use mailbox::{MAX_MAILBOX_SERVERS, MAX_SERVER_TICKET, Missing, TakeError};
pub use query::{AnswerState, BidStats, Filter, MoodPoint, Page, PartnerAnswer};
pub use rituals::{
    BadClockTime, BadDays, ClockTime, Proposal, Proposed, RitualSetting, Schedule, Weekdays,
};
pub use schema::{JournalInfo, Member, SCHEMA_VERSION};
pub use time::UnixMs;
pub use warning::{Place, Problem, SchemaWarning};
