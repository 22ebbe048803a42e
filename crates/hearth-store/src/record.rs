//! Sealing of records at rest.
//!
//! Each record is sealed with XChaCha20-Poly1305 under the storage key, with a fresh random
//! nonce, and with associated data naming its table and key:
//!
//! ```text
//! "hearth-store/1" 0x00 | len(table) as u8 | table | key bytes
//! ```
//!
//! so a record copied or moved to another slot (another table, another key, another position in
//! a document) fails authentication instead of being read as the record of that slot.

use hearth_crypto::StorageKey;
use hearth_crypto::at_rest;
use zeroize::Zeroizing;

use crate::random::{RandomnessError, random_array};

/// The error of opening a sealed record, re-exported from the crypto crate.
pub use hearth_crypto::at_rest::OpenError as RecordOpenError;

const AAD_PREFIX: &[u8] = b"hearth-store/1\0";

/// Where a record lives: its table and its key (as bytes).
#[derive(Clone, Copy)]
pub(crate) struct Slot<'a> {
    pub(crate) table: &'a str,
    pub(crate) key: &'a [u8],
}

impl Slot<'_> {
    fn aad(&self) -> Vec<u8> {
        let table = self.table.as_bytes();
        let mut aad = Vec::with_capacity(AAD_PREFIX.len() + 1 + table.len() + self.key.len());
        aad.extend_from_slice(AAD_PREFIX);
        // Table names are short constants of this crate; none reaches 256 bytes.
        aad.push(u8::try_from(table.len()).unwrap_or(u8::MAX));
        aad.extend_from_slice(table);
        aad.extend_from_slice(self.key);
        aad
    }
}

/// Seals `plaintext` for `slot`.
pub(crate) fn seal(
    key: &StorageKey,
    slot: Slot<'_>,
    plaintext: &[u8],
) -> Result<Vec<u8>, RandomnessError> {
    let nonce = random_array::<24>()?;
    Ok(at_rest::seal(key, nonce, &slot.aad(), plaintext))
}

/// Opens a record sealed for `slot`.
pub(crate) fn open(
    key: &StorageKey,
    slot: Slot<'_>,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, RecordOpenError> {
    at_rest::open(key, &slot.aad(), sealed)
}

/// The key bytes of a chunk's slot: document code, then sequence number big-endian.
pub(crate) fn chunk_key(doc_code: u8, seq: u64) -> [u8; 9] {
    let mut key = [0u8; 9];
    key[0] = doc_code;
    key[1..].copy_from_slice(&seq.to_be_bytes());
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_associated_data_is_prefix_table_length_table_and_key() {
        let key = StorageKey::from_bytes([4; 32]);
        let sealed = seal(
            &key,
            Slot {
                table: "chunks",
                key: &chunk_key(1, 258),
            },
            b"change",
        )
        .expect("the OS has randomness");
        let aad = b"hearth-store/1\0\x06chunks\x01\0\0\0\0\0\0\x01\x02";
        let plain = at_rest::open(&key, aad, &sealed).expect("the documented AAD opens it");
        assert_eq!(plain.as_slice(), b"change");
    }

    #[test]
    fn a_record_opens_only_in_its_own_slot() {
        let key = StorageKey::from_bytes([4; 32]);
        let slot = Slot {
            table: "settings",
            key: b"a",
        };
        let sealed = seal(&key, slot, b"value").expect("the OS has randomness");
        assert_eq!(
            open(&key, slot, &sealed).expect("own slot").as_slice(),
            b"value"
        );
        for other in [
            Slot {
                table: "settings",
                key: b"b",
            },
            Slot {
                table: "vault",
                key: b"a",
            },
            Slot {
                table: "settingsa",
                key: b"",
            },
        ] {
            assert!(open(&key, other, &sealed).is_err());
        }
        assert!(open(&StorageKey::from_bytes([5; 32]), slot, &sealed).is_err());
    }
}
