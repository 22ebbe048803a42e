//! The secret of an invitation.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

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
