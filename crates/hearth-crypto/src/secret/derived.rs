//! Keys derived and used inside this crate.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::AeadKey;

/// A key this crate derives for one purpose of its own: a direction of a sync session, one of the
/// pairing keys, or the key a passphrase derives to wrap the storage key. Never handed out.
///
/// Wiped on drop, redacted in `Debug` (the frame sealer and opener print it).
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct DerivedKey([u8; 32]);

impl DerivedKey {
    /// Wraps 32 bytes a key derivation just produced.
    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The key's bytes, for a MAC.
    pub(crate) fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl AeadKey for DerivedKey {
    fn aead_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for DerivedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DerivedKey(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wipes_on_drop<T: ZeroizeOnDrop>() {}

    #[test]
    fn a_derived_key_zeroizes_on_drop_and_debug_is_redacted() {
        wipes_on_drop::<DerivedKey>();
        let key = DerivedKey::from_bytes([0xab; 32]);
        let shown = format!("{key:?} {key:#?}");
        assert_eq!(shown, "DerivedKey(..) DerivedKey(..)");
    }

    #[test]
    fn zeroize_wipes_the_bytes() {
        let mut key = DerivedKey::from_bytes([0xab; 32]);
        key.zeroize();
        assert_eq!(key.expose(), &[0; 32]);
    }
}
