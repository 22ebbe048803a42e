//! The device's secret key.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// The device's own secret key: the 32 bytes of its network identity (an Ed25519 secret key, from
/// which its endpoint id follows). Made once when the store is created and kept in its vault.
///
/// Wiped on drop, redacted in `Debug`. This crate uses it for nothing: it has a type of its own
/// only so that no other key can be passed for it, nor it for another.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DeviceSecret([u8; 32]);

impl DeviceSecret {
    /// Wraps 32 bytes: fresh randomness for a new device, or the bytes read back from the vault.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The key's bytes, to build the network endpoint's key or to store them. Copy them nowhere
    /// that outlives the call.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for DeviceSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeviceSecret(..)")
    }
}
