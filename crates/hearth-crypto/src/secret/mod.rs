//! The crate's secrets, one type for each role, so that one cannot be passed where another is
//! wanted.
//!
//! - [`JournalKey`]: the key the two partners share. Sync sessions derive their frame keys from
//!   it, and a pairing grant carries it to the new device.
//! - [`StorageKey`]: the key a device seals its records with at rest, kept wrapped under the
//!   passphrase.
//! - [`DeviceSecret`]: the device's own secret key, its identity on the network.
//! - [`InvitationSecret`]: the one-time secret of an invitation.
//! - [`AnswerKey`]: the key of one sealed answer to the question of the day.
//! - `DerivedKey` (private): keys this crate derives and uses itself (the two directions of a sync
//!   session, the pairing keys, the key a passphrase derives).
//!
//! Each is wiped when dropped and prints as `Name(..)`. Only the storage key, answer keys and the
//! derived keys seal anything: they implement the crate-private [`AeadKey`], through which the
//! AEAD alone reads their bytes. The journal key is only ever key material for HKDF or the plaintext of a grant.

mod answer;
mod derived;
mod device;
mod invitation;
mod journal;
mod storage;

pub use answer::AnswerKey;
pub(crate) use derived::DerivedKey;
pub use device::DeviceSecret;
pub use invitation::InvitationSecret;
pub use journal::JournalKey;
pub use storage::StorageKey;

/// A key the AEAD may seal under. Crate-private, so the bytes it gives are out of reach of
/// callers.
pub(crate) trait AeadKey {
    /// The key's bytes, for the cipher.
    fn aead_bytes(&self) -> &[u8; 32];
}
