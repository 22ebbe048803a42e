//! A device's long-term X25519 key, for keys sent to that one device alone (a new journal key
//! after a device is removed is sealed to each remaining device's exchange key).
//!
//! The key is derived from the device's secret, so it needs no storage of its own and lives
//! exactly as long as the device's identity:
//!
//! ```text
//! exchange secret = HKDF-SHA-256(salt = "hearth/device/1", IKM = device secret,
//!                                info = "hearth/device/1 exchange key", 32 bytes)
//! exchange public = X25519(exchange secret, 9)
//! ```
//!
//! The device's network identity (an Ed25519 key) is a different key from the same secret; the
//! two derivations share nothing but their input.

use hkdf::Hkdf;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::DeviceSecret;

const SALT: &[u8] = b"hearth/device/1";
const INFO: &[u8] = b"hearth/device/1 exchange key";

/// A device's public exchange key, as other devices learn it (32 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExchangePublic([u8; 32]);

impl ExchangePublic {
    /// Wraps 32 bytes read from a device record.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The key's bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

fn exchange_secret(device: &DeviceSecret) -> StaticSecret {
    let hk = Hkdf::<Sha256>::new(Some(SALT), device.expose());
    let mut okm = Zeroizing::new([0u8; 32]);
    // 32 bytes is far below HKDF-SHA-256's limit of 8160.
    hk.expand(INFO, okm.as_mut())
        .expect("32 bytes is a valid HKDF-SHA-256 output length");
    StaticSecret::from(*okm)
}

impl DeviceSecret {
    /// This device's public exchange key.
    pub fn exchange_public(&self) -> ExchangePublic {
        ExchangePublic(PublicKey::from(&exchange_secret(self)).to_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_device_has_its_own_exchange_key_and_keeps_it() {
        let a = DeviceSecret::from_bytes([1; 32]);
        let b = DeviceSecret::from_bytes([2; 32]);
        assert_eq!(a.exchange_public(), a.exchange_public());
        assert_ne!(a.exchange_public(), b.exchange_public());
        // Not the secret itself, nor the X25519 public key of the secret taken raw.
        let raw = PublicKey::from(&StaticSecret::from(*a.expose())).to_bytes();
        assert_ne!(a.exchange_public().as_bytes(), &raw);
        assert_ne!(a.exchange_public().as_bytes(), a.expose());
    }
}
