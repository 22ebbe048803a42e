//! The store: creating, opening and re-keying a data directory.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use hearth_crypto::passphrase::{KdfParams, Passphrase, UnwrapError, unwrap_key, wrap_key};
use hearth_crypto::{DeviceSecret, StorageKey};
use redb::{Database, Durability, ReadableDatabase, TableHandle, WriteTransaction};

use crate::DatabaseError;
use crate::header::{self, FileIoError};
use crate::layout::{database_path, key_path, key_tmp_path, lock_path};
use crate::lock::{DirLock, LockError};
use crate::owner_only;
use crate::random::{random_array, random_key_bytes};
use crate::record::{self, Slot};
use crate::tables::{
    self, DEVICE_KEY_KEY, FORMAT_VERSION_KEY, KEY_CHECK_KEY, KEY_CHECK_PLAINTEXT, META, VAULT,
};
use crate::{ChangePassphraseError, CreateError, FORMAT_VERSION, OpenError, codec};

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
    pub(crate) storage_key: StorageKey,
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
        let txn = begin_durable_write(&db)?;
        tables::create_all(&txn)?;
        {
            let mut meta = txn.open_table(META)?;
            meta.insert(FORMAT_VERSION_KEY, FORMAT_VERSION.to_le_bytes().as_slice())?;
            let check = record::seal(&storage_key, meta_slot(KEY_CHECK_KEY), KEY_CHECK_PLAINTEXT)?;
            meta.insert(KEY_CHECK_KEY, check.as_slice())?;
            let mut vault = txn.open_table(VAULT)?;
            let mut plain = codec::Writer::new();
            plain.bytes(device_secret.expose());
            let sealed = record::seal(&storage_key, vault_slot(DEVICE_KEY_KEY), &plain.finish())?;
            vault.insert(DEVICE_KEY_KEY, sealed.as_slice())?;
        }
        txn.commit()?;

        let wrapped = wrap_key(
            &storage_key,
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
            storage_key,
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
        let bytes = header::read(dir)
            .map_err(|FileIoError { path, source }| OpenError::Io { path, source })?
            .ok_or_else(|| OpenError::NotFound { dir: dir.into() })?;
        let header = header::decode(&bytes).map_err(|source| OpenError::KeyHeaderCorrupted {
            path: key_path(dir),
            source,
        })?;
        check_version(header.format_version)?;
        let storage_key = unwrap_key(&header.wrapped, passphrase).map_err(|err| match err {
            UnwrapError::WrongPassphrase => OpenError::WrongPassphrase,
            source => OpenError::Unwrap { source },
        })?;

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
        check_database(&db, &storage_key)?;

        Ok(Store {
            db,
            storage_key,
            dir: dir.to_path_buf(),
            key_header: Mutex::new(header.wrapped.params()),
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

    /// Locks the store with `new` instead of `old`, with fresh key derivation `params` and salt.
    ///
    /// Only the key header changes (the storage key is re-wrapped, no record is re-sealed); it is
    /// replaced atomically, so after a crash either passphrase works, never neither.
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
        let bytes = header::read(&self.dir)
            .map_err(|FileIoError { path, source }| ChangePassphraseError::Io { path, source })?
            .ok_or_else(|| ChangePassphraseError::KeyHeaderMissing { path: path.clone() })?;
        let header = header::decode(&bytes)
            .map_err(|source| ChangePassphraseError::KeyHeaderCorrupted { path, source })?;
        unwrap_key(&header.wrapped, old).map_err(|err| match err {
            UnwrapError::WrongPassphrase => ChangePassphraseError::WrongPassphrase,
            source => ChangePassphraseError::Unwrap { source },
        })?;
        let wrapped = wrap_key(
            &self.storage_key,
            new,
            params,
            random_array()?,
            random_array()?,
        )
        .map_err(|source| ChangePassphraseError::WrapKey { source })?;
        header::write_atomically(&self.dir, &header::encode(FORMAT_VERSION, &wrapped))
            .map_err(|FileIoError { path, source }| ChangePassphraseError::Io { path, source })?;
        *current = params;
        Ok(())
    }

    /// Begins a write transaction whose commit returns only once it is durable.
    pub(crate) fn begin_write(&self) -> Result<WriteTransaction, DatabaseError> {
        begin_durable_write(&self.db)
    }

    /// Begins a read transaction on the last committed state.
    pub(crate) fn begin_read(&self) -> Result<redb::ReadTransaction, DatabaseError> {
        Ok(self.db.begin_read()?)
    }
}

fn begin_durable_write(db: &Database) -> Result<WriteTransaction, DatabaseError> {
    let mut txn = db.begin_write()?;
    txn.set_durability(Durability::Immediate)?;
    Ok(txn)
}

fn check_version(found: u16) -> Result<(), OpenError> {
    if found == FORMAT_VERSION {
        Ok(())
    } else {
        Err(OpenError::UnsupportedVersion {
            found,
            supported: FORMAT_VERSION,
        })
    }
}

/// Checks the database's own format version, and that the unwrapped key opens its key check.
fn check_database(db: &Database, storage_key: &StorageKey) -> Result<(), OpenError> {
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
    check_version(u16::from_le_bytes(version))?;
    let check = meta.get(KEY_CHECK_KEY)?.ok_or(OpenError::KeyCheckMissing)?;
    record::open(storage_key, meta_slot(KEY_CHECK_KEY), check.value())
        .map_err(|source| OpenError::KeyMismatch { source })?;
    Ok(())
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
