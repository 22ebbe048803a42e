use std::io;
use std::path::PathBuf;

use hearth_crypto::passphrase::WrapError;

use crate::database_error::database_variant;
use crate::{DatabaseError, RandomnessError};

/// Why [`Store::create`](crate::Store::create) failed. Nothing usable is left behind: a later
/// `create` in the same directory starts afresh.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CreateError {
    /// The directory already holds a store; open it instead.
    #[error("a Hearth store already exists in {}", .dir.display())]
    AlreadyExists {
        /// The data directory.
        dir: PathBuf,
    },
    /// Another process (or another `Store` in this one) has the directory open.
    #[error("the data directory {} is already open by another Hearth process", .dir.display())]
    AlreadyOpen {
        /// The data directory.
        dir: PathBuf,
    },
    /// A file or directory could not be created, written or removed.
    #[error("could not write {}", .path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// No randomness for the new keys.
    #[error("could not generate the store's keys")]
    Randomness {
        /// Why.
        #[from]
        source: RandomnessError,
    },
    /// The storage key could not be wrapped under the passphrase (for example, unusable key
    /// derivation parameters).
    #[error("could not protect the storage key with the passphrase")]
    WrapKey {
        /// Why.
        #[source]
        source: WrapError,
    },
    /// The database file could not be created or written.
    #[error("could not create the database")]
    Database {
        /// Why.
        #[source]
        source: DatabaseError,
    },
}

database_variant!(CreateError);
