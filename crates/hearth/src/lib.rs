//! The facade every front end uses: [`Hearth`] = the encrypted store + the journal + the network,
//! behind one async command API and one stream of [`Event`]s.
//!
//! - [`Hearth::create`] starts a new journal in a data directory, [`Hearth::open`] unlocks one.
//! - Journal commands ([`Hearth::write`], [`Hearth::edit`], [`Hearth::comment`], ...) return once
//!   the change is durable on disk, then push it to the partner's connected devices.
//! - Reads ([`Hearth::timeline`], [`Hearth::today`], [`Hearth::insights`], ...) show the shared
//!   journal and the private one together; private entries never leave the device.
//! - Pairing ([`Hearth::invite`], [`Hearth::join`]) and sync ([`Hearth::sync_now`]) run over
//!   `hearth-net`; [`Hearth::events`] reports what happens.
//!
//! ```no_run
//! use hearth::{Content, Draft, Hearth, Options, Passphrase};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let passphrase = Passphrase::new("correct horse battery staple");
//! let hearth = Hearth::create("journal-dir", &passphrase, "Ada", Options::default()).await?;
//! let id = hearth
//!     .write(Draft::shared(Content::Journal { body: "A quiet evening.".into() }))
//!     .await?;
//! assert_eq!(hearth.entry(&id).await?.map(|item| item.private), Some(false));
//! hearth.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # Joining a partner's journal
//!
//! Every device starts with a journal of its own. When it joins its partner's through pairing, its
//! shared journal becomes an empty replica that the first sync fills (two independently created
//! Automerge documents are never merged). Entries written before joining are kept aside and
//! written into the shared journal, under their own ids, once it has arrived.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod answer_keys;
mod compaction;
mod device;
mod device_id;
mod devices;
mod epochs;
mod error;
mod events;
mod export;
mod first_screen;
mod hearth;
mod mailbox;
mod mailbox_server;
mod net_requests;
mod network;
mod options;
mod os;
mod owner;
mod paired;
mod pairing;
mod persist;
mod read;
mod rituals;
mod settings;
mod strength;
mod today;
mod write;
mod zone;

pub use answer_keys::AnswerKeysError;
pub use device_id::{DeviceId, DeviceIdError};
pub use devices::{JournalDevice, NewDevice, RemovedDevice};
pub use epochs::EpochKeysError;
pub use error::*;
pub use events::{Event, Route, Warning};
pub use export::{Format, JSON_EXPORT_VERSION, JsonExport};
pub use first_screen::{FIRST_SCREEN_PAGE, FirstScreen};
pub use hearth::{Hearth, MAX_NAME_CHARS};
pub use mailbox::{MailboxError, MailboxExchange, MailboxInfo, MailboxPlace};
pub use mailbox_server::{MailboxServer, ServerError, ServerOptions, ServerStorage};
pub use network::{DeviceStatus, MemberDevices, Status, SyncReport, SyncedDevice};
pub use options::Options;
pub use pairing::PairingDataError;
pub use persist::{LoadDocError, ReplaceDocError};
pub use read::{Item, MIN_ID_PREFIX, Named, Page};
pub use rituals::{DateNights, Rituals};
pub use settings::SettingsError;
pub use strength::Strength;
pub use today::{AnswerState, Insights, PartnerAnswer, RitualPrompt, Today, Together};
pub use write::Draft;
pub use zone::{UnknownZone, Zone};

// The types of the crates behind the facade that its API speaks in. A front end depends on this
// crate alone.
pub use hearth_crypto::pairing::Sas;
pub use hearth_crypto::ticket::TicketDecodeError;
pub use hearth_crypto::{KdfParams, Passphrase, Ticket};
pub use hearth_journal::deck::{Cost, DateIdea, Place, Prompt, Question, Ritual, Tier};
pub use hearth_journal::{
    BadClockTime, BadDays, BidKind, BidResponse, BidStats, ClockTime, Comment, Content, DateNight,
    DeviceRef, Edit, Entry, EntryId, EntryKind, Filter, LocalDate, Member, MemberId, Mood,
    MoodPoint, Note, Proposal, Proposed, RitualSetting, Schedule, SchemaWarning, Sealing, Turn,
    UnixMs, Version, Weekdays, WriteError as Refusal,
};
pub use hearth_net::{
    Misbehaviour, NetworkMode, PairingEvent, PairingFailure, PairingHandle, RelayUrl,
};

/// The question deck: every question of the day, by id.
pub mod deck {
    pub use hearth_journal::deck::question;
}
