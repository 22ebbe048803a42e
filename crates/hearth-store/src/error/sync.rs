use crate::database_error::database_variant;
use crate::error::Hex;
use crate::{DatabaseError, RandomnessError, RecordOpenError};

/// Why [`Store::save_sync_state`](crate::Store::save_sync_state) failed. Nothing was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SaveSyncStateError {
    /// The database could not be written.
    #[error("could not save the sync state")]
    Database {
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// No randomness for the record's nonce.
    #[error("could not seal the sync state")]
    Randomness {
        /// Why.
        #[from]
        source: RandomnessError,
    },
}

database_variant!(SaveSyncStateError);

/// Why [`Store::load_sync_state`](crate::Store::load_sync_state) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadSyncStateError {
    /// The database could not be read.
    #[error("could not read the sync state")]
    Database {
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// The sync state record failed authentication: it was altered, truncated or moved.
    #[error("the sync state for peer {} failed authentication", Hex(.peer))]
    AuthenticationFailed {
        /// The peer's EndpointId.
        peer: [u8; 32],
        /// The authentication failure.
        #[source]
        source: RecordOpenError,
    },
}

database_variant!(LoadSyncStateError);
