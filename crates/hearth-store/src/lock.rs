//! Exclusive use of a data directory by one process.
//!
//! The lock is an advisory lock (`flock` on Unix, `LockFileEx` on Windows) on an empty file that is
//! never replaced, so every process locks the same inode. The operating system drops the lock when
//! the process exits, however it exits, so a crashed process never leaves a stale lock behind.
//! Two `Store`s in one process conflict too: the lock belongs to the open file, not the process.
//! The descriptor is opened close-on-exec, but a child process that is being spawned shares it
//! until it starts its own program: a reopen racing with a spawn may briefly see the lock held.

use std::fs::{File, TryLockError};
use std::io;
use std::path::Path;

/// Held for as long as the store is open; dropping it releases the directory.
#[derive(Debug)]
pub(crate) struct DirLock {
    _file: File,
}

pub(crate) enum LockError {
    /// Another open file (in this or another process) holds the lock.
    Held,
    /// The lock file could not be opened or locked.
    Io(io::Error),
}

impl DirLock {
    /// Takes the lock without waiting. Creates the (empty) lock file if it is missing; an existing
    /// one is opened without being written.
    pub(crate) fn try_acquire(path: &Path) -> Result<DirLock, LockError> {
        let file = crate::owner_only::file_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(LockError::Io)?;
        match file.try_lock() {
            Ok(()) => Ok(DirLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(LockError::Held),
            Err(TryLockError::Error(err)) => Err(LockError::Io(err)),
        }
    }
}
