//! Where a journal's devices leave sealed files for each other when they are never online at the
//! same moment (docs/decisions/0009-mailbox.md, docs/protocol.md "Mailbox").
//!
//! A mailbox is a flat store of named files behind one interface, [`Mailbox`]. In it each device
//! keeps, under an opaque tag of its own:
//!
//! - one current **blob** (`TAG/SEQ.blob`): what some other device has not acknowledged, sealed;
//! - its **state** (`TAG/state`): the heads it holds and the newest blob of each other device it
//!   applied, sealed; the others read it as its acknowledgement;
//! - once the journal key has moved past its first epoch, its **keys** (`TAG/keys`): the newest
//!   epoch's key sealed to each device of the journal, as the journal's epoch record holds it, so a
//!   device that was away can open what was sealed under a key it has not received yet.
//!
//! Nothing here reads the journal: the facade decides what goes in a blob and applies what comes
//! out. This crate names, seals, encodes and moves the files, and bounds everything it reads.

mod folder;
pub mod keeper;
mod names;
pub mod proto;
mod store;
mod wire;

pub use folder::Folder;
pub use names::{FileName, blob_name, keys_name, state_name, tag_hex};
pub use store::{Entry, MAX_ENTRIES, Mailbox, MailboxError};
pub use wire::{
    DeviceState, KeyEntry, KeysFile, MAX_APPLIED, MAX_KEY_ENTRIES, MAX_STATE_HEADS, WireError,
};

/// How long a file stays in a mailbox before any device deletes it: 60 days.
pub const EXPIRY_MS: u64 = 60 * 24 * 60 * 60 * 1000;
