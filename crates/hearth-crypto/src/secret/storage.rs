//! The storage key.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::AeadKey;

/// The key a device seals its records with at rest ([`crate::at_rest`]). It is stored only
/// wrapped under the passphrase ([`crate::wrap_key`]), and its bytes never leave this crate.
///
/// Wiped on drop, redacted in `Debug`. It is not a journal key:
///
/// ```compile_fail,E0308
/// use hearth_crypto::{StorageKey, frame};
///
/// let storage_key = StorageKey::from_bytes([7; 32]);
/// let _ = frame::session(&storage_key, 0, [1; 32], [2; 32], [3; 32], [4; 32]);
/// ```
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct StorageKey([u8; 32]);

impl StorageKey {
    /// Wraps 32 bytes of fresh randomness, when a store is created.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The key's bytes, to wrap them under a passphrase.
    pub(crate) fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl AeadKey for StorageKey {
    fn aead_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for StorageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StorageKey(..)")
    }
}
