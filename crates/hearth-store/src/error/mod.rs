//! The store's errors: those of the data directory as a whole (creating, opening, changing the
//! passphrase), and one for reading and one for writing a record, which name the [`Record`].

pub(crate) mod database;
mod lifecycle;
mod record;

pub use database::DatabaseError;
pub use lifecycle::{ChangePassphraseError, CreateError, OpenError};
pub(crate) use record::At;
pub use record::{ReadError, Record, WriteError};

/// Formats a 32-byte id as lowercase hex, for error messages.
pub(crate) struct Hex<'a>(pub(crate) &'a [u8]);

impl std::fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}
