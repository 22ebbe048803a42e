//! Hearth's encrypted, crash-safe per-device store: the vault (device key, journal binding,
//! paired devices, settings), the two journal documents as snapshots and chunks of changes, and
//! the sync state kept for each peer. It stores bytes; it knows nothing of iroh or Automerge.
//!
//! # Layout
//!
//! A data directory ([`default_data_dir`] by default; the command line and the app let the user
//! choose another) holds three files:
//!
//! - `hearth.key`, the key header: the format version and the *storage key* (32 random bytes)
//!   wrapped under the passphrase with Argon2id and XChaCha20-Poly1305, with a SHA-256 checksum.
//!   It is small and replaced atomically (temporary file, flush, rename, flush of the directory).
//! - `hearth.redb`, one redb database. Every value in it is sealed with XChaCha20-Poly1305 under
//!   the storage key, with a random nonce and with associated data that names the record's table
//!   and key, so a record moved to another slot fails authentication. Only the format version,
//!   the chunk sequence counters and the compaction marks are plaintext. A sealed *ledger*
//!   commits to every entry, so records from different moments cannot be mixed unnoticed.
//! - `hearth.lock`, empty, whose advisory lock marks the directory as in use by one process.
//!
//! Nothing else is written (but `hearth.key.next`, the key header of a passphrase change under
//! way), and nothing secret is ever plaintext on disk. Changing the passphrase makes a new storage
//! key and seals every record anew under it, in one transaction.
//!
//! # Guarantees
//!
//! - **Acknowledged means durable.** [`Store::append_change`] (and every other write) returns
//!   only after its redb transaction committed with `Durability::Immediate`. An acknowledged
//!   change survives a crash or power loss at any later instant; a failed write leaves the store
//!   as it was. Compaction replaces the snapshot and drops the chunks it covers in one
//!   transaction.
//! - **One process at a time.** A second [`Store::open`] of the same directory, from another
//!   process or from this one, fails at once with [`OpenError::AlreadyOpen`]. The lock is
//!   released by the operating system when the process ends, however it ends.
//! - **A wrong passphrase changes no file.** [`Store::open`] reads the key header and unwraps the
//!   storage key before the database is opened for writing (redb writes to its file when it
//!   opens it), so [`OpenError::WrongPassphrase`] leaves every file as it was, even right after
//!   a crash.
//! - **No panics on bad data.** A damaged or altered record gives a typed error naming it: at
//!   open, [`OpenError::RecordDamaged`] with the [`Record::Chunk`] that failed; records that each
//!   open but were not written together give [`OpenError::RecordsMixed`].
//!
//! # Example
//!
//! ```
//! use hearth_crypto::passphrase::{KdfParams, Passphrase};
//! use hearth_store::{DocId, Store};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let passphrase = Passphrase::new("correct horse battery staple");
//! let store = Store::create(dir.path(), &passphrase, KdfParams::insecure_fast_for_tests())?;
//! let outcome = store.append_change(DocId::Shared, b"an Automerge change")?;
//! assert!(!outcome.compaction_due);
//! drop(store);
//!
//! let store = Store::open(dir.path(), &passphrase)?;
//! assert_eq!(store.load(DocId::Shared)?.chunks, vec![b"an Automerge change".to_vec()]);
//! # Ok(())
//! # }
//! ```
//!
//! # Testing crash safety
//!
//! The crash test runs a child process that appends changes in a loop and prints each
//! acknowledged one, kills it with `SIGKILL` at a random moment, reopens the store and checks that
//! every acknowledged change is there, in order. It runs 50 rounds by default; set
//! `HEARTH_CRASH_ROUNDS` for more, and `HEARTH_CRASH_SEED` to replay the rounds of a failure (the
//! test prints its seed):
//!
//! ```text
//! HEARTH_CRASH_ROUNDS=1000 cargo test -p hearth-store --release --test crash -- --nocapture
//! ```
//!
//! Release mode matters here: the debug build seals and opens records far more slowly, and the
//! snapshot the writers compact grows with every round. A thousand rounds take a few minutes on
//! two cores.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod codec;
pub mod decode;
mod error;
mod header;
mod journal;
mod layout;
mod ledger;
mod lock;
mod owner_only;
mod paired;
mod random;
mod record;
mod settings;
mod store;
mod sync_state;
mod tables;
mod vault;

pub use codec::RecordDecodeError;
pub use error::{
    ChangePassphraseError, CreateError, DatabaseError, OpenError, ReadError, Record, WriteError,
};
pub use header::KeyHeaderError;
pub use journal::{AppendOutcome, COMPACT_AFTER_CHUNKS, ChunkMark, DocId, StoredDoc};
pub use layout::default_data_dir;
pub use paired::PairedDevice;
pub use random::RandomnessError;
pub use record::RecordOpenError;
pub use store::Store;
pub use vault::JournalBinding;

/// The version of the on-disk format this build writes, recorded in the key header and in the
/// database. Version 1 (before the ledger) is still read, and migrated when opened.
pub const FORMAT_VERSION: u16 = 2;

#[cfg(test)]
mod tests {
    #[test]
    fn store_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<crate::Store>();
    }
}
