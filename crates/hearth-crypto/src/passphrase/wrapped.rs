//! The stored form of a key sealed under a passphrase.

use super::params::{KdfParams, KdfParamsError};

/// The format version written as the first byte of a [`WrappedKey`].
pub const WRAPPED_KEY_VERSION: u8 = 1;

/// Length of the header that the AEAD authenticates: version, three parameters, salt.
pub(super) const HEADER_LEN: usize = 1 + 3 * 4 + 16;

/// Length of the sealed 32-byte key: ciphertext and 16-byte tag.
pub(super) const SEALED_KEY_LEN: usize = 32 + 16;

/// Exact length of an encoded [`WrappedKey`].
pub const WRAPPED_KEY_LEN: usize = HEADER_LEN + 24 + SEALED_KEY_LEN;

/// The 32-byte storage key sealed under a passphrase, with everything needed to unseal it but
/// the passphrase.
///
/// Encoded as `version (1) || memory_kib (u32 BE) || iterations (u32 BE) || parallelism (u32 BE)
/// || salt (16) || nonce (24) || ciphertext+tag (48)`, [`WRAPPED_KEY_LEN`] bytes in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrappedKey {
    pub(super) params: KdfParams,
    pub(super) salt: [u8; 16],
    pub(super) nonce: [u8; 24],
    pub(super) sealed: [u8; SEALED_KEY_LEN],
}

/// Why bytes are not a [`WrappedKey`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum WrappedKeyDecodeError {
    /// Not exactly [`WRAPPED_KEY_LEN`] bytes.
    #[error("wrapped key is {len} bytes, expected {WRAPPED_KEY_LEN}")]
    WrongLength {
        /// The length found.
        len: usize,
    },
    /// A format version this build does not know.
    #[error("wrapped key has unknown format version {version}")]
    UnknownVersion {
        /// The version byte found.
        version: u8,
    },
    /// The stored Argon2 parameters are out of bounds (a corrupted or hostile file).
    #[error("wrapped key has unacceptable key-derivation parameters")]
    BadParams(#[source] KdfParamsError),
}

impl WrappedKey {
    /// The Argon2id parameters this key was wrapped with.
    pub fn params(&self) -> KdfParams {
        self.params
    }

    /// The bytes the AEAD authenticates as associated data: version, parameters and salt.
    pub(super) fn header(&self) -> [u8; HEADER_LEN] {
        let mut header = [0u8; HEADER_LEN];
        header[0] = WRAPPED_KEY_VERSION;
        header[1..5].copy_from_slice(&self.params.memory_kib.to_be_bytes());
        header[5..9].copy_from_slice(&self.params.iterations.to_be_bytes());
        header[9..13].copy_from_slice(&self.params.parallelism.to_be_bytes());
        header[13..29].copy_from_slice(&self.salt);
        header
    }

    /// The encoded form described on the type.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(WRAPPED_KEY_LEN);
        bytes.extend_from_slice(&self.header());
        bytes.extend_from_slice(&self.nonce);
        bytes.extend_from_slice(&self.sealed);
        bytes
    }

    /// Decodes and bounds-checks an encoded wrapped key. Does not need the passphrase, and never
    /// runs Argon2.
    pub fn from_bytes(b: &[u8]) -> Result<Self, WrappedKeyDecodeError> {
        let b: &[u8; WRAPPED_KEY_LEN] = b
            .try_into()
            .map_err(|_| WrappedKeyDecodeError::WrongLength { len: b.len() })?;
        if b[0] != WRAPPED_KEY_VERSION {
            return Err(WrappedKeyDecodeError::UnknownVersion { version: b[0] });
        }
        let u32_at = |at: usize| u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
        let params = KdfParams {
            memory_kib: u32_at(1),
            iterations: u32_at(5),
            parallelism: u32_at(9),
        };
        params
            .validate()
            .map_err(WrappedKeyDecodeError::BadParams)?;
        let mut salt = [0u8; 16];
        salt.copy_from_slice(&b[13..29]);
        let mut nonce = [0u8; 24];
        nonce.copy_from_slice(&b[29..53]);
        let mut sealed = [0u8; SEALED_KEY_LEN];
        sealed.copy_from_slice(&b[53..]);
        Ok(Self {
            params,
            salt,
            nonce,
            sealed,
        })
    }
}
