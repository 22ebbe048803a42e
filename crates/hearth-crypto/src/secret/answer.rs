//! The key of one sealed answer.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::AeadKey;

/// The key one answer to the question of the day is sealed under ([`crate::answer`]). Made fresh
/// for each answer and kept by its author's device alone, until that device publishes it into the
/// journal once the partner has answered the same question.
///
/// Wiped on drop, redacted in `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct AnswerKey([u8; 32]);

impl AnswerKey {
    /// Wraps 32 bytes: fresh randomness for a new answer, or a key read back from the device's
    /// store or from the journal once published.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The key's bytes, to keep it in the device's store or publish it into the journal.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl AeadKey for AnswerKey {
    fn aead_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for AnswerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AnswerKey(..)")
    }
}
