use crate::database_error::database_variant;
use crate::{DatabaseError, RandomnessError, RecordOpenError};

/// Why [`Store::put_setting`](crate::Store::put_setting) failed. Nothing was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PutSettingError {
    /// The database could not be written.
    #[error("could not save the setting")]
    Database {
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// No randomness for the record's nonce.
    #[error("could not seal the setting")]
    Randomness {
        /// Why.
        #[from]
        source: RandomnessError,
    },
}

database_variant!(PutSettingError);

/// Why [`Store::get_setting`](crate::Store::get_setting) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GetSettingError {
    /// The database could not be read.
    #[error("could not read the setting")]
    Database {
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// The setting's record failed authentication: it was altered, truncated or moved.
    #[error("the record of setting {key:?} failed authentication")]
    AuthenticationFailed {
        /// The setting's name.
        key: String,
        /// The authentication failure.
        #[source]
        source: RecordOpenError,
    },
}

database_variant!(GetSettingError);
