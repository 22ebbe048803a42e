//! The journal key.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// The key the two partners of a journal share: every sync session derives its frame keys from
/// it ([`crate::frame::session`]), and a pairing [`crate::pairing::Grant`] carries it to the
/// joining device.
///
/// Wiped on drop, redacted in `Debug`. It seals nothing itself, so it cannot stand in for a
/// storage key:
///
/// ```compile_fail,E0308
/// use hearth_crypto::{JournalKey, at_rest};
///
/// let journal_key = JournalKey::from_bytes([7; 32]);
/// let _ = at_rest::seal(&journal_key, [0; 24], b"", b"record");
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct JournalKey([u8; 32]);

impl JournalKey {
    /// Wraps 32 bytes: fresh randomness for a new journal, or the bytes read back from the
    /// device's vault.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The key's bytes, to store them in the vault. Copy them nowhere that outlives the call.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for JournalKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JournalKey(..)")
    }
}
