//! The key header file, `hearth.key`: the format version and the passphrase-wrapped storage key.
//!
//! ```text
//! magic "HEARTHKY" (8) | format version u16 LE | length u32 LE | wrapped key | SHA-256 of all before (32)
//! ```
//!
//! It lives beside the database rather than in it because unlocking must not write: redb marks
//! its file on every read-write open (and repairs it after a crash), and a read-only open is
//! refused after an unclean shutdown. Reading a separate file is the only way that opening with a
//! wrong passphrase changes no file in every state the directory can be in. The checksum tells a
//! damaged header from a wrong passphrase. The file is replaced atomically (write a temporary
//! file, flush it, rename it over, flush the directory), so a crash during a passphrase change
//! leaves either the old or the new header, each complete.
//!
//! A passphrase change also replaces the storage key, and every record is sealed anew under it in
//! one database transaction. The new key, wrapped under the new passphrase, is written first as a
//! *pending* header, `hearth.key.next`; once the database transaction has committed it is renamed
//! over `hearth.key`. An open that finds a pending header tries both with the passphrase it is
//! given, and the database's key check says which one the database is sealed under: that one is
//! kept, the other removed.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use hearth_crypto::passphrase::{WrappedKey, WrappedKeyDecodeError};
use sha2::{Digest, Sha256};

use crate::layout::{key_next_path, key_path, key_tmp_path};

const MAGIC: &[u8; 8] = b"HEARTHKY";
const CHECKSUM_LEN: usize = 32;
const FIXED_LEN: usize = MAGIC.len() + 2 + 4;

/// The key header file could not be decoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyHeaderError {
    /// The file does not start as a key header does.
    #[error("the file is not a Hearth key header")]
    NotAKeyHeader,
    /// The file is shorter than its own length fields say.
    #[error("the key header is truncated")]
    Truncated,
    /// The checksum does not match: the file was damaged.
    #[error("the key header's checksum does not match")]
    ChecksumMismatch,
    /// The checksum matches but the wrapped key inside cannot be decoded.
    #[error("the wrapped key in the key header cannot be decoded")]
    WrappedKey {
        /// Why the wrapped key is invalid.
        #[source]
        source: WrappedKeyDecodeError,
    },
}

/// A decoded key header (see [`crate::decode::key_header`]).
#[derive(Debug)]
pub struct KeyHeader {
    pub(crate) format_version: u16,
    pub(crate) wrapped: WrappedKey,
}

impl KeyHeader {
    /// The on-disk format version the header records.
    pub fn format_version(&self) -> u16 {
        self.format_version
    }

    /// The storage key, wrapped under the passphrase.
    pub fn wrapped(&self) -> &WrappedKey {
        &self.wrapped
    }
}

pub(crate) fn encode(format_version: u16, wrapped: &WrappedKey) -> Vec<u8> {
    let wrapped = wrapped.to_bytes();
    let mut out = Vec::with_capacity(FIXED_LEN + wrapped.len() + CHECKSUM_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&format_version.to_le_bytes());
    // A wrapped key is a few dozen bytes.
    let len = u32::try_from(wrapped.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&wrapped);
    let checksum = Sha256::digest(&out);
    out.extend_from_slice(checksum.as_slice());
    out
}

pub(crate) fn decode(bytes: &[u8]) -> Result<KeyHeader, KeyHeaderError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(KeyHeaderError::NotAKeyHeader);
    }
    if bytes.len() < FIXED_LEN + CHECKSUM_LEN {
        return Err(KeyHeaderError::Truncated);
    }
    let (body, checksum) = bytes.split_at(bytes.len() - CHECKSUM_LEN);
    if Sha256::digest(body).as_slice() != checksum {
        return Err(KeyHeaderError::ChecksumMismatch);
    }
    let format_version = u16::from_le_bytes([body[8], body[9]]);
    let len = u32::from_le_bytes([body[10], body[11], body[12], body[13]]);
    let wrapped = &body[FIXED_LEN..];
    if usize::try_from(len).ok() != Some(wrapped.len()) {
        return Err(KeyHeaderError::Truncated);
    }
    let wrapped =
        WrappedKey::from_bytes(wrapped).map_err(|source| KeyHeaderError::WrappedKey { source })?;
    Ok(KeyHeader {
        format_version,
        wrapped,
    })
}

/// An I/O failure on a named file.
pub(crate) struct FileIoError {
    pub(crate) path: PathBuf,
    pub(crate) source: io::Error,
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> FileIoError + '_ {
    move |source| FileIoError {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads the header bytes. `Ok(None)` when there is no header file.
pub(crate) fn read(dir: &Path) -> Result<Option<Vec<u8>>, FileIoError> {
    read_file(&key_path(dir))
}

/// Reads the pending header of an interrupted passphrase change, if there is one.
pub(crate) fn read_pending(dir: &Path) -> Result<Option<Vec<u8>>, FileIoError> {
    read_file(&key_next_path(dir))
}

fn read_file(path: &Path) -> Result<Option<Vec<u8>>, FileIoError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(at(path)(err)),
    }
}

/// Writes the header so that, after a crash at any instant, the file holds either its previous
/// content or `bytes`, and returns only once `bytes` is durable.
pub(crate) fn write_atomically(dir: &Path, bytes: &[u8]) -> Result<(), FileIoError> {
    write_file_atomically(dir, &key_path(dir), bytes)
}

/// Writes the pending header of a passphrase change (the new storage key under the new
/// passphrase), durably, beside the current one.
pub(crate) fn write_pending(dir: &Path, bytes: &[u8]) -> Result<(), FileIoError> {
    write_file_atomically(dir, &key_next_path(dir), bytes)
}

/// Makes the pending header the key header (once the database is sealed under its key).
pub(crate) fn promote_pending(dir: &Path) -> Result<(), FileIoError> {
    let path = key_path(dir);
    fs::rename(key_next_path(dir), &path).map_err(at(&path))?;
    sync_dir(dir).map_err(at(dir))
}

/// Removes the pending header of a passphrase change that did not happen.
pub(crate) fn discard_pending(dir: &Path) -> Result<(), FileIoError> {
    let path = key_next_path(dir);
    match fs::remove_file(&path) {
        Ok(()) => sync_dir(dir).map_err(at(dir)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(at(&path)(err)),
    }
}

fn write_file_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), FileIoError> {
    let tmp = key_tmp_path(dir);
    let mut file = crate::owner_only::file_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&tmp)
        .map_err(at(&tmp))?;
    // A leftover from an interrupted write keeps the mode it was made with.
    crate::owner_only::restrict_file(&tmp).map_err(at(&tmp))?;
    file.write_all(bytes).map_err(at(&tmp))?;
    file.sync_all().map_err(at(&tmp))?;
    drop(file);
    fs::rename(&tmp, path).map_err(at(path))?;
    sync_dir(dir).map_err(at(dir))
}

/// Makes a rename in `dir` durable. Windows has no directory handles to flush (and makes renames
/// durable itself), so there it does nothing.
fn sync_dir(dir: &Path) -> io::Result<()> {
    if cfg!(unix) {
        File::open(dir)?.sync_all()
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use hearth_crypto::StorageKey;
    use hearth_crypto::passphrase::{KdfParams, Passphrase, wrap_key};

    use super::*;

    fn wrapped() -> WrappedKey {
        wrap_key(
            &StorageKey::from_bytes([1; 32]),
            &Passphrase::new("p"),
            KdfParams::insecure_fast_for_tests(),
            [2; 16],
            [3; 24],
        )
        .expect("the test parameters are valid")
    }

    #[test]
    fn the_layout_is_magic_version_length_key_checksum() {
        let wrapped = wrapped();
        let key_bytes = wrapped.to_bytes();
        let bytes = encode(1, &wrapped);
        let len = u32::try_from(key_bytes.len()).expect("a wrapped key is small");
        assert_eq!(&bytes[..8], b"HEARTHKY");
        assert_eq!(&bytes[8..10], &[1, 0]);
        assert_eq!(&bytes[10..14], &len.to_le_bytes());
        assert_eq!(&bytes[14..14 + key_bytes.len()], key_bytes.as_slice());
        let (body, checksum) = bytes.split_at(14 + key_bytes.len());
        assert_eq!(checksum, Sha256::digest(body).as_slice());

        let decoded = decode(&bytes).expect("a header we wrote decodes");
        assert_eq!(decoded.format_version, 1);
        assert_eq!(decoded.wrapped.to_bytes(), key_bytes);
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_detected() {
        let bytes = encode(1, &wrapped());
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len]).is_err(), "cut to {len} bytes");
        }
        for position in 0..bytes.len() {
            let mut altered = bytes.clone();
            altered[position] ^= 0x80;
            assert!(decode(&altered).is_err(), "byte {position} flipped");
        }
    }

    #[test]
    fn an_atomic_write_replaces_the_header_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(read(dir.path()).ok().flatten().is_none());
        assert!(write_atomically(dir.path(), b"first").is_ok());
        assert!(write_atomically(dir.path(), b"second").is_ok());
        assert_eq!(read(dir.path()).ok().flatten(), Some(b"second".to_vec()));
        assert!(!key_tmp_path(dir.path()).exists());
    }
}
