//! Sealing records stored on disk under the [`StorageKey`] (XChaCha20-Poly1305).
//!
//! A sealed record is `version (1 byte) || nonce (24 bytes) || ciphertext || tag (16 bytes)`. The
//! associated data the AEAD authenticates is the version byte followed by the caller's `aad`, so a
//! record cannot be moved to a place where the caller expects different associated data (for
//! instance another table or another record id) without failing to open.

use std::fmt;

use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::StorageKey;
use crate::aead::{self, NONCE_LEN, TAG_LEN};

/// The format version written as the first byte of every sealed record.
pub const AT_REST_VERSION: u8 = 1;

/// Bytes a sealed record adds to its plaintext: version, nonce and tag.
pub const SEAL_OVERHEAD: usize = 1 + NONCE_LEN + TAG_LEN;

/// Why a sealed record could not be opened.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpenError {
    /// The record is shorter than a version byte, a nonce and a tag.
    #[error("sealed record is {len} bytes, shorter than the {SEAL_OVERHEAD}-byte minimum")]
    TooShort {
        /// The record's length.
        len: usize,
    },
    /// The record was written in a format version this build does not know.
    #[error("sealed record has unknown format version {version}")]
    UnknownVersion {
        /// The version byte found.
        version: u8,
    },
    /// Wrong key, wrong associated data, or the record was altered.
    #[error("sealed record failed authentication (wrong key or altered data)")]
    AuthenticationFailed,
}

fn full_aad(aad: &[u8]) -> Vec<u8> {
    let mut full = Vec::with_capacity(1 + aad.len());
    full.push(AT_REST_VERSION);
    full.extend_from_slice(aad);
    full
}

/// Seals `plaintext` under `key`. The `nonce` must never be reused with the same key: pass 24
/// fresh random bytes.
pub fn seal(key: &StorageKey, nonce: [u8; 24], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let ciphertext = aead::seal(key, &nonce, &full_aad(aad), plaintext);
    let mut sealed = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
    sealed.push(AT_REST_VERSION);
    sealed.extend_from_slice(&nonce);
    sealed.extend_from_slice(&ciphertext);
    sealed
}

/// Opens a record made by [`seal`] with the same key and associated data.
pub fn open(key: &StorageKey, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    if sealed.len() < SEAL_OVERHEAD {
        return Err(OpenError::TooShort { len: sealed.len() });
    }
    let (version, rest) = sealed.split_at(1);
    if version[0] != AT_REST_VERSION {
        return Err(OpenError::UnknownVersion {
            version: version[0],
        });
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce
        .try_into()
        .expect("split_at(NONCE_LEN) yields exactly NONCE_LEN bytes");
    aead::open(key, &nonce, &full_aad(aad), ciphertext).map_err(|_| OpenError::AuthenticationFailed)
}

/// The key of a store's ledger: a keyed digest of every record a store holds, so that records
/// from different moments cannot be mixed unnoticed (see hearth-store's `ledger`). Derived from
/// the storage key with HKDF-SHA256, so that the key that seals records is never also a MAC key.
#[derive(Clone)]
pub struct LedgerKey(Hmac<Sha256>);

impl fmt::Debug for LedgerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LedgerKey(..)")
    }
}

const LEDGER_INFO: &[u8] = b"hearth-store ledger v1";

impl LedgerKey {
    /// The ledger key of `storage_key`.
    pub fn of(storage_key: &StorageKey) -> LedgerKey {
        let hkdf = Hkdf::<Sha256>::new(None, storage_key.expose());
        let mut okm = Zeroizing::new([0u8; 32]);
        hkdf.expand(LEDGER_INFO, okm.as_mut())
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(okm.as_ref())
            .expect("HMAC takes a key of any length");
        LedgerKey(mac)
    }

    /// The tag of one stored record: HMAC-SHA256 over its table, key and stored value, each
    /// prefixed with its length, so no two different records share a tag.
    pub fn tag(&self, table: &[u8], key: &[u8], value: &[u8]) -> [u8; 32] {
        let mut mac = self.0.clone();
        for part in [table, key, value] {
            mac.update(&(part.len() as u64).to_le_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }
}
