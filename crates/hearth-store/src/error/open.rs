use std::io;
use std::path::PathBuf;

use hearth_crypto::passphrase::UnwrapError;

use crate::database_error::database_variant;
use crate::{DatabaseError, KeyHeaderError, RecordOpenError};

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
}

database_variant!(OpenError);
