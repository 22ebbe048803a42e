//! The errors of the data directory as a whole: creating a store, opening it, and changing its
//! passphrase. They concern files (the key header, the database, the lock), not records.

use std::io;
use std::path::PathBuf;

use hearth_crypto::passphrase::{UnwrapError, WrapError};

use super::database::database_variant;
use crate::{DatabaseError, KeyHeaderError, RandomnessError, Record, RecordOpenError};

/// Why [`Store::open`](crate::Store::open) failed. Every failure before the passphrase is
/// verified leaves all files as they were.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// There is no store in this directory yet (no key header file): create one.
    #[error("there is no Hearth store in {} yet", .dir.display())]
    NotFound {
        /// The data directory.
        dir: PathBuf,
    },
    /// Another process (or another `Store` in this one) has the directory open.
    #[error("the store in {} is already open by another Hearth process", .dir.display())]
    AlreadyOpen {
        /// The data directory.
        dir: PathBuf,
    },
    /// The passphrase is not the one the store was locked with.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// The passphrase could not be checked for another reason than being wrong.
    #[error("could not unlock the storage key")]
    Unwrap {
        /// Why.
        #[source]
        source: UnwrapError,
    },
    /// The key header file is damaged.
    #[error("the key header {} is damaged", .path.display())]
    KeyHeaderCorrupted {
        /// The key header file.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        source: KeyHeaderError,
    },
    /// The store was written in a format this build does not read (a newer Hearth wrote it).
    #[error("the store has format version {found}; this build reads version {supported}")]
    UnsupportedVersion {
        /// The version found on disk.
        found: u16,
        /// The version this build reads and writes.
        supported: u16,
    },
    /// The key header is there but the database file is missing.
    #[error("the database file {} is missing", .path.display())]
    DatabaseMissing {
        /// Where the database file should be.
        path: PathBuf,
    },
    /// The database has no format version record: it was not written by Hearth, or damaged.
    #[error("the database has no format version record")]
    FormatVersionMissing,
    /// The key header unlocked, but its key does not open this database's records: the header and
    /// the database come from different stores.
    #[error("the key header does not belong to this database")]
    KeyMismatch {
        /// The authentication failure of the key check record.
        #[source]
        source: RecordOpenError,
    },
    /// The database's key check record is missing.
    #[error("the database has no key check record")]
    KeyCheckMissing,
    /// The format version record of the database is not two bytes long.
    #[error("the database's format version record is {len} bytes long instead of 2")]
    FormatVersionMalformed {
        /// Its length.
        len: usize,
    },
    /// A file could not be read, or the lock file could not be opened.
    #[error("could not access {}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// The database file could not be opened (damaged beyond repair, unreadable).
    #[error("could not open the database")]
    Database {
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// A record of the store was altered or damaged on disk: it does not open under the storage
    /// key in its own place.
    #[error("{record} in the store is damaged or was altered")]
    RecordDamaged {
        /// The record.
        record: Record,
        /// Why it does not open.
        #[source]
        source: RecordOpenError,
    },
    /// Every record opens, but they are not the records the store last wrote: some were put
    /// back from an earlier moment, removed or added outside Hearth (the store's ledger does not
    /// match them).
    #[error(
        "the store's records do not match its ledger: some were removed, or put back from an earlier moment, outside Hearth"
    )]
    RecordsMixed,
    /// No randomness to seal the migrated store's ledger.
    #[error("could not generate randomness to migrate the store")]
    Randomness {
        /// Why.
        #[source]
        source: RandomnessError,
    },
}

database_variant!(OpenError);

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

/// Why [`Store::change_passphrase`](crate::Store::change_passphrase) failed. The old passphrase
/// keeps working, unless the records were already sealed under the new key and only renaming the
/// new key header failed (an `Io` error on `hearth.key`): then the new passphrase opens the store,
/// and the next open finishes the change.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChangePassphraseError {
    /// The old passphrase given is wrong.
    #[error("the current passphrase is wrong")]
    WrongPassphrase,
    /// The old passphrase could not be checked for another reason than being wrong.
    #[error("could not unlock the storage key")]
    Unwrap {
        /// Why.
        #[source]
        source: UnwrapError,
    },
    /// The key header file is missing (removed while the store was open).
    #[error("the key header {} is missing", .path.display())]
    KeyHeaderMissing {
        /// Where it should be.
        path: PathBuf,
    },
    /// The key header file is damaged.
    #[error("the key header {} is damaged", .path.display())]
    KeyHeaderCorrupted {
        /// The key header file.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        source: KeyHeaderError,
    },
    /// No randomness for the new salt and nonce.
    #[error("could not generate a new salt")]
    Randomness {
        /// Why.
        #[from]
        source: RandomnessError,
    },
    /// The storage key could not be wrapped under the new passphrase.
    #[error("could not protect the storage key with the new passphrase")]
    WrapKey {
        /// Why.
        #[source]
        source: WrapError,
    },
    /// The key header file could not be read or replaced.
    #[error("could not write {}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// The records could not be sealed anew (nothing changed).
    #[error("could not seal the store anew")]
    Database {
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// A record did not open under the current key while being sealed anew (nothing changed).
    #[error("a record of table {table:?} is damaged; nothing was changed")]
    RecordDamaged {
        /// The table.
        table: String,
        /// Why it does not open.
        #[source]
        source: RecordOpenError,
    },
}

database_variant!(ChangePassphraseError);
