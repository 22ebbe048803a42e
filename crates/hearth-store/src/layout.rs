//! The files of a data directory, and where the data directory is by default.

use std::path::{Path, PathBuf};

/// The redb database holding every sealed record.
pub(crate) const DATABASE_FILE: &str = "hearth.redb";
/// The key header: format version and the passphrase-wrapped storage key.
pub(crate) const KEY_FILE: &str = "hearth.key";
/// The key header being replaced; renamed over [`KEY_FILE`] once it is on disk.
pub(crate) const KEY_FILE_TMP: &str = "hearth.key.tmp";
/// The key header of a passphrase change under way: the new storage key under the new
/// passphrase, renamed over [`KEY_FILE`] once the database is sealed under that key.
pub(crate) const KEY_FILE_NEXT: &str = "hearth.key.next";
/// An empty file whose advisory lock marks the directory as in use by one process.
pub(crate) const LOCK_FILE: &str = "hearth.lock";

pub(crate) fn database_path(dir: &Path) -> PathBuf {
    dir.join(DATABASE_FILE)
}

pub(crate) fn key_path(dir: &Path) -> PathBuf {
    dir.join(KEY_FILE)
}

pub(crate) fn key_tmp_path(dir: &Path) -> PathBuf {
    dir.join(KEY_FILE_TMP)
}

pub(crate) fn key_next_path(dir: &Path) -> PathBuf {
    dir.join(KEY_FILE_NEXT)
}

pub(crate) fn lock_path(dir: &Path) -> PathBuf {
    dir.join(LOCK_FILE)
}

/// The platform's usual place for Hearth's data: `$XDG_DATA_HOME/hearth` (or
/// `~/.local/share/hearth`) on Linux, `~/Library/Application Support/hearth` on macOS and
/// `%APPDATA%\hearth\data` on Windows.
///
/// `None` when the platform reports no home directory. This is only a default: the command line
/// and the app let the user choose another data directory, and tests always pass their own.
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "hearth").map(|dirs| dirs.data_dir().to_path_buf())
}
