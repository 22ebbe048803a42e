//! Pure decoders of what the store reads back from disk.
//!
//! The store reads every record through these functions; they are public so that they can be
//! tested and fuzzed on their own, and used by tools that inspect a data directory. None of them
//! touches a file, and none panics: bytes that are not what the store writes give a typed error.
//!
//! ```
//! use hearth_crypto::StorageKey;
//! use hearth_store::{DocId, decode};
//!
//! let storage_key = StorageKey::from_bytes([9; 32]);
//! assert!(decode::chunk(&storage_key, DocId::Shared, 0, b"not a sealed chunk").is_err());
//! assert!(decode::key_header(b"HEARTHKY").is_err());
//! assert!(decode::journal_binding(&[1, 2, 3]).is_err());
//! ```

use hearth_crypto::{DeviceSecret, JournalKey, StorageKey};
use zeroize::Zeroizing;

use crate::codec::Reader;
use crate::journal::chunk_slot;
use crate::record::{self, chunk_key};
use crate::{DocId, JournalBinding, PairedDevice, RecordDecodeError, RecordOpenError};

use crate::KeyHeaderError;
pub use crate::header::KeyHeader;

/// Decodes the key header file (`hearth.key`): checks its magic bytes, length and checksum, and
/// the bounds of the key-derivation parameters stored in it. Does not need the passphrase and
/// never runs the key derivation.
pub fn key_header(bytes: &[u8]) -> Result<KeyHeader, KeyHeaderError> {
    crate::header::decode(bytes)
}

/// Opens the sealed chunk number `seq` of `doc` under the storage key: the bytes of one
/// Automerge change (or several), as appended.
pub fn chunk(
    storage_key: &StorageKey,
    doc: DocId,
    seq: u64,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, RecordOpenError> {
    record::open(storage_key, chunk_slot(&chunk_key(doc.code(), seq)), sealed)
}

/// Decodes the opened device-key record of the vault: the device's 32-byte iroh secret key.
pub fn device_key(plain: &[u8]) -> Result<DeviceSecret, RecordDecodeError> {
    let mut reader = Reader::new(plain)?;
    let bytes = Zeroizing::new(reader.array::<32>()?);
    reader.finish()?;
    Ok(DeviceSecret::from_bytes(*bytes))
}

/// Decodes the opened journal-binding record of the vault.
pub fn journal_binding(plain: &[u8]) -> Result<JournalBinding, RecordDecodeError> {
    let mut reader = Reader::new(plain)?;
    let key = Zeroizing::new(reader.array::<32>()?);
    let journal_id = reader.str()?;
    let member_id = reader.str()?;
    reader.finish()?;
    Ok(JournalBinding {
        journal_key: JournalKey::from_bytes(*key),
        journal_id,
        member_id,
    })
}

/// Decodes the opened record of the paired device `endpoint_id` (the record's key in its table).
pub fn paired_device(
    endpoint_id: [u8; 32],
    plain: &[u8],
) -> Result<PairedDevice, RecordDecodeError> {
    let mut reader = Reader::new(plain)?;
    let device = PairedDevice {
        endpoint_id,
        member_id: reader.str()?,
        name: reader.str()?,
        addrs: reader.strs()?,
        paired_at_ms: reader.u64()?,
    };
    reader.finish()?;
    Ok(device)
}
