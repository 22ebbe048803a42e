use crate::database_error::database_variant;
use crate::{DatabaseError, RandomnessError, RecordDecodeError, RecordOpenError};

/// Why [`Store::device_secret_key`](crate::Store::device_secret_key) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeviceKeyError {
    /// The database could not be read.
    #[error("could not read the device key")]
    Database {
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// The store has no device key record (it is written when the store is created).
    #[error("the store has no device key")]
    Missing,
    /// The device key record failed authentication: it was altered, truncated or moved.
    #[error("the device key record failed authentication")]
    AuthenticationFailed {
        /// The authentication failure.
        #[source]
        source: RecordOpenError,
    },
    /// The device key record decrypted but is not a device key.
    #[error("the device key record is malformed")]
    Malformed {
        /// Why.
        #[source]
        source: RecordDecodeError,
    },
}

database_variant!(DeviceKeyError);

/// Why [`Store::set_journal_binding`](crate::Store::set_journal_binding) failed. Nothing was
/// written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetJournalBindingError {
    /// The database could not be written.
    #[error("could not save the journal binding")]
    Database {
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// No randomness for the record's nonce.
    #[error("could not seal the journal binding")]
    Randomness {
        /// Why.
        #[from]
        source: RandomnessError,
    },
}

database_variant!(SetJournalBindingError);

/// Why [`Store::journal_binding`](crate::Store::journal_binding) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalBindingError {
    /// The database could not be read.
    #[error("could not read the journal binding")]
    Database {
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// The journal binding record failed authentication: it was altered, truncated or moved.
    #[error("the journal binding record failed authentication")]
    AuthenticationFailed {
        /// The authentication failure.
        #[source]
        source: RecordOpenError,
    },
    /// The journal binding record decrypted but cannot be decoded.
    #[error("the journal binding record is malformed")]
    Malformed {
        /// Why.
        #[source]
        source: RecordDecodeError,
    },
}

database_variant!(JournalBindingError);
