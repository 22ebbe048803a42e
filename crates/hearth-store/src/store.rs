//! The store: creating, opening and re-keying a data directory.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard};

use hearth_crypto::passphrase::{KdfParams, Passphrase, UnwrapError, unwrap_key, wrap_key};
use hearth_crypto::{DeviceSecret, StorageKey};
use redb::{
    Database, Durability, ReadTransaction, ReadableDatabase, ReadableTable, TableDefinition,
    TableHandle, WriteTransaction,
};

use crate::error::At;
use crate::header::{self, FileIoError, KeyHeader};
use crate::layout::{database_path, key_next_path, key_path, key_tmp_path, lock_path};
use crate::ledger::{self, Keys, Ledger, LedgerError, LedgerWriteError, Sum, Tally};
use crate::lock::{DirLock, LockError};
use crate::owner_only;
use crate::random::{random_array, random_key_bytes};
use crate::record::{self, Slot};
use crate::tables::{
    self, CHUNK_COUNTERS, CHUNKS, DEVICE_KEY_KEY, FORMAT_VERSION_KEY, KEY_CHECK_KEY,
    KEY_CHECK_PLAINTEXT, META, PAIRED_DEVICES, SETTINGS, SNAPSHOT_COVERS, SNAPSHOTS, SYNC_STATES,
    VAULT,
};
use crate::{ChangePassphraseError, CreateError, FORMAT_VERSION, OpenError, codec};
use crate::{DatabaseError, ReadError, Record, WriteError};

/// The oldest database format this build opens (and migrates to [`FORMAT_VERSION`]).
const OLDEST_FORMAT_VERSION: u16 = 1;

/// redb's page cache. The journal of a couple is megabytes, not gigabytes.
const CACHE_BYTES: usize = 16 * 1024 * 1024;

/// An open, unlocked store: one data directory, held exclusively by this `Store` until it is
/// dropped.
///
/// Every method takes `&self` and the store is `Send + Sync`: share it (in an `Arc`) between
/// threads. Each call is one redb transaction; writes are serialised by redb and each returns
/// only once its transaction is durable on disk.
pub struct Store {
    // Field order is drop order: the database closes before the directory lock is released.
    pub(crate) db: Database,
    /// The storage key and the ledger key. Every transaction holds this lock for reading from
    /// before it begins until it ends; a passphrase change, which seals every record under a new
    /// storage key, holds it for writing.
    keys: RwLock<Keys>,
    dir: PathBuf,
    /// The key derivation the key header is locked with; its lock serialises passphrase changes
    /// (read, check and replace of the key header).
    key_header: Mutex<KdfParams>,
    _lock: DirLock,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Whether `dir` holds a store (its key header file exists). A directory left by a `create`
    /// that was interrupted before it finished does not count: `create` may be run there again.
    pub fn exists(dir: impl AsRef<Path>) -> bool {
        key_path(dir.as_ref()).is_file()
    }

    /// Creates a new store in `dir` (created if needed), locked with `passphrase`: a random
    /// storage key wrapped under the passphrase with `params`, and a random device secret key.
    ///
    /// Refuses if a store already exists there. The key header is written last, so a `create`
    /// interrupted at any point leaves no store; the next `create` removes its partial database
    /// (which nothing could ever decrypt: its key existed only in the memory of the interrupted
    /// process).
    pub fn create(
        dir: impl AsRef<Path>,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<Store, CreateError> {
        let dir = dir.as_ref();
        let io_at = |path: &Path| {
            let path = path.to_path_buf();
            move |source| CreateError::Io { path, source }
        };
        owner_only::create_dir(dir).map_err(io_at(dir))?;
        let lock = match DirLock::try_acquire(&lock_path(dir)) {
            Ok(lock) => lock,
            Err(LockError::Held) => return Err(CreateError::AlreadyOpen { dir: dir.into() }),
            Err(LockError::Io(source)) => {
                return Err(CreateError::Io {
                    path: lock_path(dir),
                    source,
                });
            }
        };
        if Store::exists(dir) {
            return Err(CreateError::AlreadyExists { dir: dir.into() });
        }
        for leftover in [database_path(dir), key_tmp_path(dir)] {
            remove_if_present(&leftover).map_err(io_at(&leftover))?;
        }

        let storage_key = StorageKey::from_bytes(*random_key_bytes()?);
        let device_secret = DeviceSecret::from_bytes(*random_key_bytes()?);
        // redb would create the file with the umask's mode; an empty file made first is one it
        // initialises in place.
        let path = database_path(dir);
        owner_only::file_options()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io_at(&path))?;
        let db = redb::Builder::new()
            .set_cache_size(CACHE_BYTES)
            .create(&path)?;
        let keys = Keys::new(storage_key);
        let txn = begin_durable_write(&db)?;
        tables::create_all(&txn)?;
        {
            let mut tally = Tally::new(&keys.ledger);
            let mut meta = txn.open_table(META)?;
            let version = FORMAT_VERSION.to_le_bytes();
            meta.insert(FORMAT_VERSION_KEY, version.as_slice())?;
            tally.swap(
                META.name(),
                FORMAT_VERSION_KEY.as_bytes(),
                None,
                Some(&version),
            );
            let check = record::seal(&keys.storage, meta_slot(KEY_CHECK_KEY), KEY_CHECK_PLAINTEXT)?;
            meta.insert(KEY_CHECK_KEY, check.as_slice())?;
            tally.swap(META.name(), KEY_CHECK_KEY.as_bytes(), None, Some(&check));
            let mut vault = txn.open_table(VAULT)?;
            let mut plain = codec::Writer::new();
            plain.bytes(device_secret.expose());
            let sealed = record::seal(&keys.storage, vault_slot(DEVICE_KEY_KEY), &plain.finish())?;
            vault.insert(DEVICE_KEY_KEY, sealed.as_slice())?;
            tally.swap(VAULT.name(), DEVICE_KEY_KEY.as_bytes(), None, Some(&sealed));
            Ledger::starting_at(Sum::default())
                .after(&tally)
                .write(&mut meta, &keys)
                .map_err(|e| match e {
                    LedgerWriteError::Storage(e) => CreateError::from(DatabaseError::from(e)),
                    LedgerWriteError::Randomness(e) => CreateError::from(e),
                })?;
        }
        txn.commit()?;

        let wrapped = wrap_key(
            &keys.storage,
            passphrase,
            params,
            random_array()?,
            random_array()?,
        )
        .map_err(|source| CreateError::WrapKey { source })?;
        header::write_atomically(dir, &header::encode(FORMAT_VERSION, &wrapped))
            .map_err(|FileIoError { path, source }| CreateError::Io { path, source })?;

        Ok(Store {
            db,
            keys: RwLock::new(keys),
            dir: dir.to_path_buf(),
            key_header: Mutex::new(params),
            _lock: lock,
        })
    }

    /// Opens and unlocks the store in `dir`.
    ///
    /// The order of checks makes a wrong passphrase change no file: the directory lock is taken
    /// (creating the empty lock file only if it was deleted), the key header is read and the
    /// storage key unwrapped, and only then is the database opened for writing. redb writes to
    /// its file when it opens it (and repairs it after a crash), which is why the wrapped key
    /// lives in its own file rather than in the database.
    ///
    /// Then the ledger is checked (every record on disk is the one the store last wrote; see
    /// [`OpenError::RecordsMixed`]), a passphrase change interrupted by a crash is finished or
    /// undone, and a store of the previous format is migrated.
    pub fn open(dir: impl AsRef<Path>, passphrase: &Passphrase) -> Result<Store, OpenError> {
        let dir = dir.as_ref();
        if !Store::exists(dir) {
            return Err(OpenError::NotFound { dir: dir.into() });
        }
        let lock = match DirLock::try_acquire(&lock_path(dir)) {
            Ok(lock) => lock,
            Err(LockError::Held) => return Err(OpenError::AlreadyOpen { dir: dir.into() }),
            Err(LockError::Io(source)) => {
                return Err(OpenError::Io {
                    path: lock_path(dir),
                    source,
                });
            }
        };
        let current = read_header(dir, header::read, key_path(dir))?
            .ok_or_else(|| OpenError::NotFound { dir: dir.into() })?;
        // A passphrase change that a crash interrupted leaves the new key beside the old one.
        let pending = read_header(dir, header::read_pending, key_next_path(dir))?;
        let has_pending = pending.is_some();
        let mut unlocked = None;
        for (header, is_pending) in [(Some(current), false), (pending, true)] {
            let Some(header) = header else { continue };
            check_version(header.format_version)?;
            match unwrap_key(&header.wrapped, passphrase) {
                Ok(key) => {
                    unlocked = Some((key, header.wrapped.params(), is_pending));
                    break;
                }
                Err(UnwrapError::WrongPassphrase) => {}
                Err(source) => return Err(OpenError::Unwrap { source }),
            }
        }
        let (storage_key, params, is_pending) = unlocked.ok_or(OpenError::WrongPassphrase)?;
        let keys = Keys::new(storage_key);

        // From here on the passphrase is right, and the database may be written (repaired).
        let path = database_path(dir);
        if !path.is_file() {
            return Err(OpenError::DatabaseMissing { path });
        }
        // A store of an earlier version may be readable by others; from now on it is not.
        owner_only::restrict_dir(dir).map_err(|source| OpenError::Io {
            path: dir.into(),
            source,
        })?;
        for file in [path.clone(), key_path(dir), lock_path(dir)] {
            owner_only::restrict_file(&file).map_err(|source| OpenError::Io {
                path: file.clone(),
                source,
            })?;
        }
        let db = redb::Builder::new()
            .set_cache_size(CACHE_BYTES)
            // Verifies every page checksum, so a file damaged outside redb is reported as an
            // error rather than trusted.
            .set_check_integrity_on_open(true)
            .open(&path)
            .map_err(DatabaseError::from)
            .map_err(|source| {
                if source.is_already_open() {
                    OpenError::AlreadyOpen { dir: dir.into() }
                } else {
                    OpenError::Database { source }
                }
            })?;
        let version = match check_database(&db, &keys) {
            Ok(version) => version,
            // The passphrase opened one side of an interrupted change, and the database is sealed
            // under the other: this passphrase is no longer (or not yet) the store's.
            Err(OpenError::KeyMismatch { .. }) if has_pending => {
                return Err(OpenError::WrongPassphrase);
            }
            Err(err) => return Err(err),
        };
        let io = |FileIoError { path, source }| OpenError::Io { path, source };
        if is_pending {
            header::promote_pending(dir).map_err(io)?;
        } else if has_pending {
            header::discard_pending(dir).map_err(io)?;
        }
        if version < FORMAT_VERSION {
            migrate(&db, &keys)?;
        } else {
            check_ledger(&db, &keys)?;
        }

        Ok(Store {
            db,
            keys: RwLock::new(keys),
            dir: dir.to_path_buf(),
            key_header: Mutex::new(params),
            _lock: lock,
        })
    }

    /// The key derivation the passphrase is locked with now.
    pub fn kdf_params(&self) -> KdfParams {
        *self
            .key_header
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The data directory of this store.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Locks the store with `new` instead of `old`, with fresh key derivation `params` and salt,
    /// under a new storage key.
    ///
    /// Every record is sealed anew under the new storage key in one transaction, so a copy of the
    /// old key header and the old passphrase open nothing the store holds afterwards. The new
    /// key, wrapped under `new`, is written first as a pending header beside the current one and
    /// made the key header once the transaction has committed; after a crash at any instant,
    /// exactly one of the two passphrases opens the store (see [`Store::open`]).
    ///
    /// Every other call on the store waits while the records are sealed anew.
    pub fn change_passphrase(
        &self,
        old: &Passphrase,
        new: &Passphrase,
        params: KdfParams,
    ) -> Result<(), ChangePassphraseError> {
        // A poisoned mutex only means another change panicked; the header file is still whole.
        let mut current = self
            .key_header
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let path = key_path(&self.dir);
        let io = |FileIoError { path, source }| ChangePassphraseError::Io { path, source };
        let bytes = header::read(&self.dir)
            .map_err(io)?
            .ok_or_else(|| ChangePassphraseError::KeyHeaderMissing { path: path.clone() })?;
        let header = header::decode(&bytes)
            .map_err(|source| ChangePassphraseError::KeyHeaderCorrupted { path, source })?;
        unwrap_key(&header.wrapped, old).map_err(|err| match err {
            UnwrapError::WrongPassphrase => ChangePassphraseError::WrongPassphrase,
            source => ChangePassphraseError::Unwrap { source },
        })?;
        let new_keys = Keys::new(StorageKey::from_bytes(*random_key_bytes()?));
        let wrapped = wrap_key(
            &new_keys.storage,
            new,
            params,
            random_array()?,
            random_array()?,
        )
        .map_err(|source| ChangePassphraseError::WrapKey { source })?;
        header::write_pending(&self.dir, &header::encode(FORMAT_VERSION, &wrapped)).map_err(io)?;

        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        if let Err(err) = reseal_all(&self.db, &keys, &new_keys) {
            // Nothing committed: the old key still seals everything.
            let _ = header::discard_pending(&self.dir);
            return Err(err);
        }
        *keys = new_keys;
        drop(keys);
        *current = params;
        // The database is sealed under the new key. Were the rename to fail, the next open
        // finds the pending header, sees that it fits, and renames it then.
        header::promote_pending(&self.dir).map_err(io)?;
        Ok(())
    }

    /// Begins a write transaction whose commit returns only once it is durable, and which keeps
    /// the ledger.
    pub(crate) fn begin_write(&self) -> Result<Writing<'_>, DatabaseError> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        let txn = begin_durable_write(&self.db)?;
        let tally = Tally::new(&keys.ledger);
        Ok(Writing { txn, keys, tally })
    }

    /// Begins a read transaction on the last committed state.
    pub(crate) fn begin_read(&self) -> Result<Reading<'_>, DatabaseError> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        let txn = self.db.begin_read()?;
        Ok(Reading { txn, keys })
    }
}

/// A write transaction, the keys it seals with, and what it changes in the ledger. Every change
/// to a table must be told to `tally`; [`Writing::commit`] writes the ledger.
pub(crate) struct Writing<'s> {
    pub(crate) txn: WriteTransaction,
    pub(crate) keys: RwLockReadGuard<'s, Keys>,
    pub(crate) tally: Tally,
}

impl Writing<'_> {
    /// Puts `value` at `key` of `table`, and tells the ledger (`slot_key`: the key's bytes as
    /// the record's seal names them).
    pub(crate) fn put<'k, K: redb::Key + 'static>(
        &mut self,
        table: TableDefinition<K, &'static [u8]>,
        key: impl std::borrow::Borrow<K::SelfType<'k>>,
        slot_key: &[u8],
        value: &[u8],
    ) -> Result<(), redb::Error> {
        let mut open = self.txn.open_table(table)?;
        let old = open.insert(key, value)?;
        self.tally.swap(
            table.name(),
            slot_key,
            old.as_ref().map(|old| old.value()),
            Some(value),
        );
        Ok(())
    }

    /// Removes `key` of `table` if it is there, and tells the ledger. Returns whether it was.
    pub(crate) fn remove<'k, K: redb::Key + 'static>(
        &mut self,
        table: TableDefinition<K, &'static [u8]>,
        key: impl std::borrow::Borrow<K::SelfType<'k>>,
        slot_key: &[u8],
    ) -> Result<bool, redb::Error> {
        let mut open = self.txn.open_table(table)?;
        let Some(old) = open.remove(key)? else {
            return Ok(false);
        };
        self.tally
            .swap(table.name(), slot_key, Some(old.value()), None);
        Ok(true)
    }

    /// Brings the ledger up to date with this transaction's changes and commits durably.
    pub(crate) fn commit(self, record: &Record) -> Result<(), WriteError> {
        {
            let mut meta = self.txn.open_table(META).at(record)?;
            let ledger =
                Ledger::read(&meta, &self.keys).map_err(|err| ledger_read_error(err, record))?;
            ledger
                .after(&self.tally)
                .write(&mut meta, &self.keys)
                .map_err(|err| match err {
                    LedgerWriteError::Storage(source) => WriteError::Database {
                        record: record.clone(),
                        source: source.into(),
                    },
                    LedgerWriteError::Randomness(source) => WriteError::Randomness {
                        record: record.clone(),
                        source,
                    },
                })?;
        }
        self.txn.commit().at(record)?;
        Ok(())
    }
}

/// A read transaction and the keys its records open with.
pub(crate) struct Reading<'s> {
    pub(crate) txn: ReadTransaction,
    pub(crate) keys: RwLockReadGuard<'s, Keys>,
}

fn ledger_read_error(err: LedgerError, record: &Record) -> WriteError {
    let source = match err {
        LedgerError::Missing => ReadError::Missing {
            record: Record::Ledger,
        },
        LedgerError::Storage(source) => {
            return WriteError::Database {
                record: record.clone(),
                source: source.into(),
            };
        }
        LedgerError::Open(source) => ReadError::AuthenticationFailed {
            record: Record::Ledger,
            source,
        },
        LedgerError::Malformed => ReadError::Malformed {
            record: Record::Ledger,
            source: codec::RecordDecodeError::Truncated,
        },
    };
    WriteError::Read { source }
}

fn read_header(
    dir: &Path,
    read: fn(&Path) -> Result<Option<Vec<u8>>, FileIoError>,
    path: PathBuf,
) -> Result<Option<KeyHeader>, OpenError> {
    let Some(bytes) =
        read(dir).map_err(|FileIoError { path, source }| OpenError::Io { path, source })?
    else {
        return Ok(None);
    };
    header::decode(&bytes)
        .map(Some)
        .map_err(|source| OpenError::KeyHeaderCorrupted { path, source })
}

fn begin_durable_write(db: &Database) -> Result<WriteTransaction, DatabaseError> {
    let mut txn = db.begin_write()?;
    txn.set_durability(Durability::Immediate)?;
    Ok(txn)
}

fn check_version(found: u16) -> Result<(), OpenError> {
    if (OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&found) {
        Ok(())
    } else {
        Err(OpenError::UnsupportedVersion {
            found,
            supported: FORMAT_VERSION,
        })
    }
}

/// Checks the database's own format version (returned), and that the unwrapped key opens its key
/// check.
fn check_database(db: &Database, keys: &Keys) -> Result<u16, OpenError> {
    let txn = db.begin_read()?;
    let meta = txn.open_table(META)?;
    let version = meta
        .get(FORMAT_VERSION_KEY)?
        .ok_or(OpenError::FormatVersionMissing)?;
    let version: [u8; 2] =
        version
            .value()
            .try_into()
            .map_err(|_| OpenError::FormatVersionMalformed {
                len: version.value().len(),
            })?;
    let version = u16::from_le_bytes(version);
    check_version(version)?;
    let check = meta.get(KEY_CHECK_KEY)?.ok_or(OpenError::KeyCheckMissing)?;
    record::open(&keys.storage, meta_slot(KEY_CHECK_KEY), check.value())
        .map_err(|source| OpenError::KeyMismatch { source })?;
    Ok(version)
}

/// Checks that the records on disk are the ones the ledger commits to.
fn check_ledger(db: &Database, keys: &Keys) -> Result<(), OpenError> {
    let txn = db.begin_read()?;
    let ledger = match Ledger::read(&txn.open_table(META)?, keys) {
        Ok(ledger) => ledger,
        Err(LedgerError::Storage(e)) => return Err(DatabaseError::from(e).into()),
        Err(LedgerError::Missing) => return Err(OpenError::RecordsMixed),
        Err(LedgerError::Open(source)) => {
            return Err(OpenError::RecordDamaged {
                record: Record::Ledger,
                source,
            });
        }
        Err(LedgerError::Malformed) => return Err(OpenError::RecordsMixed),
    };
    if ledger::sum_of(&txn, keys)? == ledger.sum {
        return Ok(());
    }
    // Name the damaged record if one is; otherwise each record is whole and some are from
    // another moment (or missing, or added).
    match ledger::first_unopenable(&txn, keys)? {
        Some((record, source)) => Err(OpenError::RecordDamaged { record, source }),
        None => Err(OpenError::RecordsMixed),
    }
}

/// Brings a database of format 1 (no ledger) to the current format, in one transaction: writes
/// the ledger of what is there, and the new format version.
fn migrate(db: &Database, keys: &Keys) -> Result<(), OpenError> {
    // The directory lock is held and the store not yet handed out: nothing writes in between.
    let sum = ledger::sum_of(&db.begin_read()?, keys)?;
    let txn = begin_durable_write(db)?;
    {
        let mut meta = txn.open_table(META)?;
        let version = FORMAT_VERSION.to_le_bytes();
        let old = meta
            .insert(FORMAT_VERSION_KEY, version.as_slice())?
            .map(|guard| guard.value().to_vec());
        let mut tally = Tally::new(&keys.ledger);
        tally.swap(
            META.name(),
            FORMAT_VERSION_KEY.as_bytes(),
            old.as_deref(),
            Some(&version),
        );
        Ledger::starting_at(sum)
            .after(&tally)
            .write(&mut meta, keys)
            .map_err(|err| match err {
                LedgerWriteError::Storage(e) => OpenError::from(DatabaseError::from(e)),
                LedgerWriteError::Randomness(source) => OpenError::Randomness { source },
            })?;
    }
    txn.commit()?;
    Ok(())
}

/// Seals every record anew under `new` in one transaction, with a ledger under `new`.
fn reseal_all(db: &Database, old: &Keys, new: &Keys) -> Result<(), ChangePassphraseError> {
    let txn = begin_durable_write(db)?;
    let mut tally = Tally::new(&new.ledger);
    let mut reseal = Reseal {
        txn: &txn,
        old,
        new,
        tally: &mut tally,
    };
    reseal.named(META, |key| {
        key != FORMAT_VERSION_KEY && key != tables::LEDGER_KEY
    })?;
    reseal.named(VAULT, |_| true)?;
    reseal.named(SETTINGS, |_| true)?;
    reseal.by_id(PAIRED_DEVICES)?;
    reseal.by_id(SYNC_STATES)?;
    reseal.numbers(CHUNK_COUNTERS)?;
    reseal.numbers(SNAPSHOT_COVERS)?;
    reseal.snapshots()?;
    reseal.chunks()?;
    {
        let mut meta = txn.open_table(META)?;
        // The count of writes starts again: it is the new key's ledger.
        Ledger::starting_at(Sum::default())
            .after(&tally)
            .write(&mut meta, new)
            .map_err(|err| match err {
                LedgerWriteError::Storage(e) => ChangePassphraseError::from(DatabaseError::from(e)),
                LedgerWriteError::Randomness(source) => {
                    ChangePassphraseError::Randomness { source }
                }
            })?;
    }
    txn.commit()?;
    Ok(())
}

/// Seals the records of each table anew, table by table, and tallies every entry (sealed or
/// not) under the new ledger key.
struct Reseal<'a> {
    txn: &'a WriteTransaction,
    old: &'a Keys,
    new: &'a Keys,
    tally: &'a mut Tally,
}

impl Reseal<'_> {
    fn value(
        &self,
        table: &str,
        key: &[u8],
        sealed: &[u8],
    ) -> Result<Vec<u8>, ChangePassphraseError> {
        let slot = Slot { table, key };
        let plain = record::open(&self.old.storage, slot, sealed).map_err(|source| {
            ChangePassphraseError::RecordDamaged {
                table: table.to_owned(),
                source,
            }
        })?;
        Ok(record::seal(&self.new.storage, slot, &plain)?)
    }

    fn named(
        &mut self,
        table: TableDefinition<&str, &[u8]>,
        sealed: impl Fn(&str) -> bool,
    ) -> Result<(), ChangePassphraseError> {
        let mut open = self.txn.open_table(table)?;
        let entries: Vec<(String, Vec<u8>)> = open
            .iter()?
            .map(|entry| entry.map(|(k, v)| (k.value().to_owned(), v.value().to_vec())))
            .collect::<Result<_, _>>()?;
        for (key, value) in entries {
            if key == tables::LEDGER_KEY {
                continue;
            }
            let value = if sealed(&key) {
                let value = self.value(table.name(), key.as_bytes(), &value)?;
                open.insert(key.as_str(), value.as_slice())?;
                value
            } else {
                value
            };
            self.tally
                .swap(table.name(), key.as_bytes(), None, Some(&value));
        }
        Ok(())
    }

    fn by_id(
        &mut self,
        table: TableDefinition<[u8; 32], &[u8]>,
    ) -> Result<(), ChangePassphraseError> {
        let mut open = self.txn.open_table(table)?;
        let entries: Vec<([u8; 32], Vec<u8>)> = open
            .iter()?
            .map(|entry| entry.map(|(k, v)| (k.value(), v.value().to_vec())))
            .collect::<Result<_, _>>()?;
        for (key, value) in entries {
            let value = self.value(table.name(), &key, &value)?;
            open.insert(key, value.as_slice())?;
            self.tally.swap(table.name(), &key, None, Some(&value));
        }
        Ok(())
    }

    fn numbers(&mut self, table: TableDefinition<u8, u64>) -> Result<(), ChangePassphraseError> {
        for entry in self.txn.open_table(table)?.iter()? {
            let (code, n) = entry?;
            self.tally
                .swap_number(table.name(), code.value(), None, n.value());
        }
        Ok(())
    }

    fn snapshots(&mut self) -> Result<(), ChangePassphraseError> {
        let mut open = self.txn.open_table(SNAPSHOTS)?;
        let entries: Vec<(u8, Vec<u8>)> = open
            .iter()?
            .map(|entry| entry.map(|(k, v)| (k.value(), v.value().to_vec())))
            .collect::<Result<_, _>>()?;
        for (code, value) in entries {
            let value = self.value(SNAPSHOTS.name(), &[code], &value)?;
            open.insert(code, value.as_slice())?;
            self.tally
                .swap(SNAPSHOTS.name(), &[code], None, Some(&value));
        }
        Ok(())
    }

    fn chunks(&mut self) -> Result<(), ChangePassphraseError> {
        let mut open = self.txn.open_table(CHUNKS)?;
        let entries: Vec<((u8, u64), Vec<u8>)> = open
            .iter()?
            .map(|entry| entry.map(|(k, v)| (k.value(), v.value().to_vec())))
            .collect::<Result<_, _>>()?;
        for ((code, seq), value) in entries {
            let key = record::chunk_key(code, seq);
            let value = self.value(CHUNKS.name(), &key, &value)?;
            open.insert((code, seq), value.as_slice())?;
            self.tally.swap(CHUNKS.name(), &key, None, Some(&value));
        }
        Ok(())
    }
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

fn meta_slot(key: &str) -> Slot<'_> {
    Slot {
        table: META.name(),
        key: key.as_bytes(),
    }
}

pub(crate) fn vault_slot(key: &str) -> Slot<'_> {
    Slot {
        table: VAULT.name(),
        key: key.as_bytes(),
    }
}
