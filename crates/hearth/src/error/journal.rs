//! Errors of writing to and reading from the journal.

use hearth_journal::SchemaWarning;

use crate::Closed;

/// Why a change to the journal (a new entry, an edit, a comment, a reaction, a deletion, a
/// response) was not made. Nothing was changed, in memory or on disk.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The journal refused the change (unknown or deleted entry, empty text, not received from
    /// the partner yet, ...).
    #[error("the change was refused")]
    Refused(#[source] hearth_journal::WriteError),
    /// The change could not be stored durably; it was undone.
    #[error("the change could not be saved")]
    NotSaved(#[source] hearth_store::WriteError),
    /// After a storage failure the journal could not be read back; restart Hearth.
    #[error("the journal could not be read back after a storage failure; restart Hearth")]
    Reload(#[source] Box<crate::persist::LoadDocError>),
    /// An earlier failure left the journal unusable until Hearth is restarted.
    #[error("the journal is unusable after an earlier storage failure; restart Hearth")]
    Broken,
    /// This device was removed from the journal: it keeps what it holds, read only.
    #[error("this device was removed from the journal: it keeps what it holds, read only")]
    Removed,
    /// This is a home device: it keeps the journal for both people and writes nothing itself.
    #[error(
        "this is a home device: it keeps the journal for both of you and writes nothing itself"
    )]
    HomeDevice,
    /// The operating system gave no randomness for the new id.
    #[error("no randomness available")]
    Randomness(#[source] getrandom::Error),
    /// The journal was closed ([`Hearth::shutdown`](crate::Hearth::shutdown)).
    #[error(transparent)]
    Closed(#[from] Closed),
}

/// Why an entry could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EntryError {
    /// The entry as stored does not fit the schema.
    #[error("the entry cannot be read")]
    Malformed(#[source] SchemaWarning),
    /// The journal was closed ([`Hearth::shutdown`](crate::Hearth::shutdown)).
    #[error(transparent)]
    Closed(#[from] Closed),
}

/// Why an id typed by a person does not name one entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// Too few characters to be worth matching.
    #[error("an entry id needs at least {min} characters; {len} given")]
    TooShort {
        /// How many were given.
        len: usize,
        /// The least accepted.
        min: usize,
    },
    /// No entry id starts with it.
    #[error("no entry id starts with {prefix:?}")]
    Unknown {
        /// What was typed.
        prefix: String,
    },
    /// Several entry ids start with it.
    #[error("{count} entries have ids starting with {prefix:?}; type more of the id")]
    Ambiguous {
        /// What was typed.
        prefix: String,
        /// How many entries match.
        count: usize,
    },
    /// The journal was closed ([`Hearth::shutdown`](crate::Hearth::shutdown)).
    #[error(transparent)]
    Closed(#[from] Closed),
}

/// Why today's view could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TodayError {
    /// The shared journal has not arrived from the partner yet.
    #[error("the journal has not been received from your partner yet")]
    NotReady,
    /// The journal's header does not fit the schema.
    #[error("the journal's header cannot be read")]
    Malformed(#[source] SchemaWarning),
    /// The journal was closed ([`Hearth::shutdown`](crate::Hearth::shutdown)).
    #[error(transparent)]
    Closed(#[from] Closed),
}

/// Why a display name is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// Nothing but spaces.
    #[error("the name is empty")]
    Empty,
    /// Longer than [`MAX_NAME_CHARS`](crate::MAX_NAME_CHARS).
    #[error(
        "the name has {chars} characters; at most {} are allowed",
        crate::MAX_NAME_CHARS
    )]
    TooLong {
        /// Its length.
        chars: usize,
    },
}
