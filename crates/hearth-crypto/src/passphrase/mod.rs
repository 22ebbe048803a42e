//! The storage key protected by a passphrase: Argon2id (RFC 9106) derives a key-encryption key
//! from the passphrase, and XChaCha20-Poly1305 seals the [`crate::StorageKey`] under it.

mod params;
mod wrap;
mod wrapped;

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

pub use params::{KdfParams, KdfParamsError};
pub use wrap::{UnwrapError, WrapError, unwrap_key, wrap_key};
pub use wrapped::{WRAPPED_KEY_LEN, WRAPPED_KEY_VERSION, WrappedKey, WrappedKeyDecodeError};

/// A passphrase typed by the user. Wiped on drop, redacted in `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Passphrase(String);

impl Passphrase {
    /// Takes ownership of the typed text (move it here straight from the input field).
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    /// The passphrase's text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(..)")
    }
}
