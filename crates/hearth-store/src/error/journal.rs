use crate::{DatabaseError, DocId, RandomnessError, RecordOpenError};

/// Why [`Store::append_change`](crate::Store::append_change) or
/// [`Store::append_changes`](crate::Store::append_changes) failed. The change was not stored
/// (none of them, for a batch): the store holds exactly what it held before the call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppendError {
    /// The database could not be written; [`DatabaseError::is_out_of_space`] tells a full disk.
    #[error("could not store the change in the {doc} document")]
    Database {
        /// The document.
        doc: DocId,
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// No randomness for the chunk's nonce.
    #[error("could not seal the change")]
    Randomness {
        /// Why.
        #[from]
        source: RandomnessError,
    },
    /// The document's chunk sequence numbers are used up (2^64 appends).
    #[error("the {doc} document has no chunk sequence numbers left")]
    SequenceExhausted {
        /// The document.
        doc: DocId,
    },
}

/// Why [`Store::load`](crate::Store::load) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The database could not be read.
    #[error("could not read the {doc} document")]
    Database {
        /// The document.
        doc: DocId,
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// The document's snapshot failed authentication: it was altered, truncated or moved.
    #[error("the snapshot of the {doc} document failed authentication")]
    SnapshotAuthenticationFailed {
        /// The document.
        doc: DocId,
        /// The authentication failure.
        #[source]
        source: RecordOpenError,
    },
    /// A chunk failed authentication: it was altered, truncated or moved.
    #[error("chunk {index} of the {doc} document failed authentication")]
    ChunkAuthenticationFailed {
        /// The document.
        doc: DocId,
        /// The chunk's position among the chunks after the snapshot, from 0.
        index: usize,
        /// The authentication failure.
        #[source]
        source: RecordOpenError,
    },
}

/// Why [`Store::compact`](crate::Store::compact) failed. Nothing changed: the previous snapshot
/// and every chunk are still there.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CompactError {
    /// The database could not be written; [`DatabaseError::is_out_of_space`] tells a full disk.
    #[error("could not compact the {doc} document")]
    Database {
        /// The document.
        doc: DocId,
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// The snapshot covers fewer changes than the one already stored (its mark is older): storing
    /// it would lose changes.
    #[error("the snapshot of the {doc} document is older than the stored one")]
    StaleSnapshot {
        /// The document.
        doc: DocId,
    },
    /// No randomness for the snapshot's nonce.
    #[error("could not seal the snapshot")]
    Randomness {
        /// Why.
        #[from]
        source: RandomnessError,
    },
}

/// Why [`Store::chunks_since_snapshot`](crate::Store::chunks_since_snapshot) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CountChunksError {
    /// The database could not be read.
    #[error("could not count the chunks of the {doc} document")]
    Database {
        /// The document.
        doc: DocId,
        /// Why.
        #[source]
        source: DatabaseError,
    },
}
