//! The errors of reading and writing the records of an open store, each naming its [`Record`].

use std::fmt;

use super::Hex;
use crate::{DatabaseError, DocId, RandomnessError, RecordDecodeError, RecordOpenError};

/// The record of the store an error is about.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Record {
    /// The device's secret key, in the vault.
    DeviceKey,
    /// The journal binding (journal key, journal id, member id), in the vault.
    JournalBinding,
    /// A journal document as a whole: its snapshot, its chunks and their counters.
    Document {
        /// The document.
        doc: DocId,
    },
    /// The snapshot of a journal document.
    Snapshot {
        /// The document.
        doc: DocId,
    },
    /// A chunk of changes of a journal document.
    Chunk {
        /// The document.
        doc: DocId,
        /// The chunk's position among the chunks after the snapshot, from 0.
        index: usize,
    },
    /// The Automerge sync state kept for a peer.
    SyncState {
        /// The peer's EndpointId.
        peer: [u8; 32],
    },
    /// A setting.
    Setting {
        /// The setting's name.
        key: String,
    },
    /// The list of paired devices, as a whole.
    PairedDevices,
    /// The record of one paired device.
    PairedDevice {
        /// The EndpointId the record is stored under.
        endpoint_id: [u8; 32],
    },
    /// The sealed record that proves the storage key fits the database.
    KeyCheck,
    /// The sealed ledger that commits to every record of the store.
    Ledger,
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Record::DeviceKey => f.write_str("the device key"),
            Record::JournalBinding => f.write_str("the journal binding"),
            Record::Document { doc } => write!(f, "the {doc} document"),
            Record::Snapshot { doc } => write!(f, "the snapshot of the {doc} document"),
            Record::Chunk { doc, index } => write!(f, "chunk {index} of the {doc} document"),
            Record::SyncState { peer } => write!(f, "the sync state for peer {}", Hex(peer)),
            Record::Setting { key } => write!(f, "setting {key:?}"),
            Record::PairedDevices => f.write_str("the paired devices"),
            Record::KeyCheck => f.write_str("the key check"),
            Record::Ledger => f.write_str("the store's ledger"),
            Record::PairedDevice { endpoint_id } => {
                write!(f, "paired device {}", Hex(endpoint_id))
            }
        }
    }
}

/// Why a record could not be read: [`Store::load`](crate::Store::load),
/// [`Store::mark`](crate::Store::mark),
/// [`Store::chunks_since_snapshot`](crate::Store::chunks_since_snapshot),
/// [`Store::device_secret_key`](crate::Store::device_secret_key),
/// [`Store::journal_binding`](crate::Store::journal_binding),
/// [`Store::paired_devices`](crate::Store::paired_devices),
/// [`Store::get_setting`](crate::Store::get_setting) and
/// [`Store::load_sync_state`](crate::Store::load_sync_state). Reading changes nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The database could not be read.
    #[error("could not read {record}")]
    Database {
        /// The record being read.
        record: Record,
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// A record the store always holds is not there (the device key, written when the store is
    /// created).
    #[error("{record} is not in the store")]
    Missing {
        /// The record.
        record: Record,
    },
    /// The record failed authentication: it was altered, truncated or moved.
    #[error("{record} failed authentication")]
    AuthenticationFailed {
        /// The record.
        record: Record,
        /// The authentication failure.
        #[source]
        source: RecordOpenError,
    },
    /// The record decrypted but cannot be decoded (written by a newer or broken build).
    #[error("{record} is malformed")]
    Malformed {
        /// The record.
        record: Record,
        /// Why.
        #[source]
        source: RecordDecodeError,
    },
}

/// Why a record could not be written: [`Store::append_change`](crate::Store::append_change) and
/// the other appends, [`Store::compact`](crate::Store::compact),
/// [`Store::set_journal_binding`](crate::Store::set_journal_binding),
/// [`Store::put_paired_device`](crate::Store::put_paired_device),
/// [`Store::update_paired_addrs`](crate::Store::update_paired_addrs),
/// [`Store::remove_paired_device`](crate::Store::remove_paired_device),
/// [`Store::put_setting`](crate::Store::put_setting) and
/// [`Store::save_sync_state`](crate::Store::save_sync_state).
///
/// Every write is one transaction: on error nothing was written (none of the changes, for a
/// batch; after a failed compaction the previous snapshot and every chunk are still there), and
/// the store holds exactly what it held before the call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The database could not be written (or read, within the write);
    /// [`DatabaseError::is_out_of_space`] tells a full disk.
    #[error("could not write {record}")]
    Database {
        /// The record being written.
        record: Record,
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// No randomness for the record's nonce.
    #[error("could not seal {record}")]
    Randomness {
        /// The record being sealed.
        record: Record,
        /// Why.
        #[source]
        source: RandomnessError,
    },
    /// The record to update is not there: a device that is not paired, given to
    /// [`Store::update_paired_addrs`](crate::Store::update_paired_addrs).
    #[error("{record} is not in the store")]
    Missing {
        /// The record asked for.
        record: Record,
    },
    /// The record to update could not be read back: it failed authentication or is malformed.
    #[error("the record to update could not be read")]
    Read {
        /// Why.
        #[source]
        source: ReadError,
    },
    /// The document's chunk sequence numbers are used up (2^64 appends).
    #[error("the {doc} document has no chunk sequence numbers left")]
    SequenceExhausted {
        /// The document.
        doc: DocId,
    },
    /// [`Store::compact`](crate::Store::compact) with a snapshot that covers fewer changes than
    /// the one already stored (its mark is older): storing it would lose changes.
    #[error("the snapshot of the {doc} document is older than the stored one")]
    StaleSnapshot {
        /// The document.
        doc: DocId,
    },
}

/// A failure on its way to a [`ReadError`] or a [`WriteError`], with the record it concerns.
pub(crate) struct InRecord<E> {
    record: Record,
    source: E,
}

/// Names the record a database or randomness failure concerns, so that `?` turns it into the
/// operation's error: `txn.open_table(VAULT).at(&record)?`.
pub(crate) trait At<T, E> {
    fn at(self, record: &Record) -> Result<T, InRecord<E>>;
}

impl<T, E> At<T, E> for Result<T, E> {
    fn at(self, record: &Record) -> Result<T, InRecord<E>> {
        self.map_err(|source| InRecord {
            record: record.clone(),
            source,
        })
    }
}

impl<E: Into<DatabaseError>> From<InRecord<E>> for ReadError {
    fn from(InRecord { record, source }: InRecord<E>) -> Self {
        ReadError::Database {
            record,
            source: source.into(),
        }
    }
}

impl<E: Into<DatabaseError>> From<InRecord<E>> for WriteError {
    fn from(InRecord { record, source }: InRecord<E>) -> Self {
        WriteError::Database {
            record,
            source: source.into(),
        }
    }
}

impl From<InRecord<RandomnessError>> for WriteError {
    fn from(InRecord { record, source }: InRecord<RandomnessError>) -> Self {
        WriteError::Randomness { record, source }
    }
}
