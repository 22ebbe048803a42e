//! The crate's one symmetric secret type.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// Thirty-two secret bytes: a symmetric key (the journal key, a key derived from a passphrase, a
/// session key).
///
/// The bytes are wiped when the value is dropped, never appear in `Debug` output, and are reached
/// only through [`Key32::expose`].
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Key32([u8; 32]);

impl Key32 {
    /// Wraps 32 bytes (typically fresh randomness, or bytes read back from a sealed record).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The key's bytes. Copy them nowhere that outlives the call.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for Key32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key32(..)")
    }
}

/// The one-time 128-bit secret of an invitation. Shown once (inside a ticket), proven by both
/// sides during pairing, then forgotten. Wiped on drop, redacted in `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct InvitationSecret([u8; 16]);

impl InvitationSecret {
    /// Wraps 16 fresh random bytes.
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The secret's bytes.
    pub fn expose(&self) -> &[u8; 16] {
        &self.0
    }
}

impl fmt::Debug for InvitationSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InvitationSecret(..)")
    }
}
