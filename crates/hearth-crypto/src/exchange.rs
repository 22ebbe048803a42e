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
//!
//! A journal key is sealed to one device with [`seal_key`] and opened there with [`open_key`]:
//!
//! ```text
//! shared     = X25519(ephemeral secret, recipient's exchange public)   refused if all zero
//! transcript = H("hearth/key/1 transcript" || u8 len || journal id || epoch (u32 BE)
//!                || recipient device (32) || recipient exchange public (32) || ephemeral public (32))
//! key        = HKDF-SHA-256(salt = "hearth/key/1", IKM = shared,
//!                           info = "hearth/key/1 seal" || transcript, 32 bytes)
//! sealed     = ephemeral public (32) || XChaCha20-Poly1305(key, nonce = 24 zero bytes,
//!                                         associated data = transcript, the journal key)
//! ```
//!
//! 80 bytes in all. Each sealing has a fresh ephemeral key, so each derived key seals one message
//! and the fixed nonce is never reused.
//!
//! The key of a letter for later is sealed to each of its author's devices the same way
//! ([`seal_letter_key`], [`open_letter_key`]), under labels of its own so that neither kind of
//! sealed key can pass for the other:
//!
//! ```text
//! transcript = H("hearth/letter-key/1 transcript" || u8 len || journal id || u8 len || entry id
//!                || recipient device (32) || recipient exchange public (32) || ephemeral public (32))
//! key        = HKDF-SHA-256(salt = "hearth/letter-key/1", IKM = shared,
//!                           info = "hearth/letter-key/1 seal" || transcript, 32 bytes)
//! ```

use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::aead::{self, NONCE_LEN};
use crate::secret::DerivedKey;
use crate::{AnswerKey, DeviceSecret, JournalKey};

const SALT: &[u8] = b"hearth/device/1";
const INFO: &[u8] = b"hearth/device/1 exchange key";

/// The length of a journal key sealed to one device.
pub const SEALED_KEY_LEN: usize = 32 + 32 + 16;
/// The longest journal id a sealing binds.
pub const MAX_JOURNAL_ID_LEN: usize = 255;

/// Which key a sealed journal key is, and for whom: bound into its associated data, so a sealed
/// key opens only as what it was sealed as.
#[derive(Clone, Copy, Debug)]
pub struct KeyFor<'a> {
    /// The journal's id.
    pub journal_id: &'a str,
    /// The key's epoch.
    pub epoch: u32,
    /// The recipient device's endpoint id.
    pub device: &'a [u8; 32],
}

/// Which letter's key a sealed letter key is, and for whom: bound into its associated data.
#[derive(Clone, Copy, Debug)]
pub struct LetterKeyFor<'a> {
    /// The journal's id.
    pub journal_id: &'a str,
    /// The id of the entry that holds the letter.
    pub entry_id: &'a str,
    /// The recipient device's endpoint id.
    pub device: &'a [u8; 32],
}

/// The labels of one kind of sealed key.
struct Labels {
    transcript: &'static [u8],
    salt: &'static [u8],
    info: &'static [u8],
}

const JOURNAL_KEY: Labels = Labels {
    transcript: b"hearth/key/1 transcript",
    salt: b"hearth/key/1",
    info: b"hearth/key/1 seal",
};

const LETTER_KEY: Labels = Labels {
    transcript: b"hearth/letter-key/1 transcript",
    salt: b"hearth/letter-key/1",
    info: b"hearth/letter-key/1 seal",
};

/// Why a journal key could not be sealed to a device.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum SealKeyError {
    /// The recipient's exchange key is of low order: nothing sealed to it would be secret.
    #[error("the device's exchange key is not a usable key")]
    LowOrderKey,
    /// The journal id is longer than a sealing binds.
    #[error("the journal id is longer than {MAX_JOURNAL_ID_LEN} bytes")]
    JournalIdTooLong,
}

/// Why a sealed journal key did not open.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpenKeyError {
    /// Not [`SEALED_KEY_LEN`] bytes.
    #[error("a sealed key is {SEALED_KEY_LEN} bytes; this one is {0}")]
    Length(usize),
    /// Sealed to another device, as another key, or altered.
    #[error("the sealed key is not for this device, or was altered")]
    NotForThisDevice,
}

fn transcript(
    to: &KeyFor<'_>,
    recipient: &ExchangePublic,
    ephemeral: &[u8; 32],
) -> Result<[u8; 32], SealKeyError> {
    let id = to.journal_id.as_bytes();
    let len = u8::try_from(id.len()).map_err(|_| SealKeyError::JournalIdTooLong)?;
    let mut h = Sha256::new();
    h.update(JOURNAL_KEY.transcript);
    h.update([len]);
    h.update(id);
    h.update(to.epoch.to_be_bytes());
    h.update(to.device);
    h.update(recipient.as_bytes());
    h.update(ephemeral);
    Ok(h.finalize().into())
}

fn letter_transcript(
    to: &LetterKeyFor<'_>,
    recipient: &ExchangePublic,
    ephemeral: &[u8; 32],
) -> Result<[u8; 32], SealKeyError> {
    let id = to.journal_id.as_bytes();
    let len = u8::try_from(id.len()).map_err(|_| SealKeyError::JournalIdTooLong)?;
    let entry = to.entry_id.as_bytes();
    let entry_len = u8::try_from(entry.len()).map_err(|_| SealKeyError::JournalIdTooLong)?;
    let mut h = Sha256::new();
    h.update(LETTER_KEY.transcript);
    h.update([len]);
    h.update(id);
    h.update([entry_len]);
    h.update(entry);
    h.update(to.device);
    h.update(recipient.as_bytes());
    h.update(ephemeral);
    Ok(h.finalize().into())
}

fn sealing_key(labels: &Labels, shared: &[u8; 32], transcript: &[u8; 32]) -> DerivedKey {
    let hk = Hkdf::<Sha256>::new(Some(labels.salt), shared);
    let mut okm = Zeroizing::new([0u8; 32]);
    hk.expand_multi_info(&[labels.info, transcript], okm.as_mut())
        .expect("32 bytes is a valid HKDF-SHA-256 output length");
    DerivedKey::from_bytes(*okm)
}

/// Seals 32 key bytes to `recipient`; `transcript` binds what they are and for whom.
fn seal_bytes(
    labels: &Labels,
    recipient: &ExchangePublic,
    key: &[u8; 32],
    ephemeral: [u8; 32],
    transcript: impl FnOnce(&[u8; 32]) -> Result<[u8; 32], SealKeyError>,
) -> Result<[u8; SEALED_KEY_LEN], SealKeyError> {
    let secret = StaticSecret::from(ephemeral);
    let ephemeral_public = PublicKey::from(&secret).to_bytes();
    let shared = secret.diffie_hellman(&PublicKey::from(*recipient.as_bytes()));
    if !shared.was_contributory() {
        return Err(SealKeyError::LowOrderKey);
    }
    let transcript = transcript(&ephemeral_public)?;
    let sealed = aead::seal(
        &sealing_key(labels, shared.as_bytes(), &transcript),
        &[0u8; NONCE_LEN],
        &transcript,
        key,
    );
    let mut out = [0u8; SEALED_KEY_LEN];
    out[..32].copy_from_slice(&ephemeral_public);
    out[32..].copy_from_slice(&sealed);
    Ok(out)
}

/// Opens 32 key bytes sealed to this device (`device` is its secret).
fn open_bytes(
    labels: &Labels,
    device: &DeviceSecret,
    sealed: &[u8],
    transcript: impl FnOnce(&ExchangePublic, &[u8; 32]) -> Result<[u8; 32], SealKeyError>,
) -> Result<Zeroizing<[u8; 32]>, OpenKeyError> {
    let sealed: &[u8; SEALED_KEY_LEN] = sealed
        .try_into()
        .map_err(|_| OpenKeyError::Length(sealed.len()))?;
    let mut ephemeral_public = [0u8; 32];
    ephemeral_public.copy_from_slice(&sealed[..32]);
    let secret = exchange_secret(device);
    let shared = secret.diffie_hellman(&PublicKey::from(ephemeral_public));
    if !shared.was_contributory() {
        return Err(OpenKeyError::NotForThisDevice);
    }
    let recipient = ExchangePublic(PublicKey::from(&secret).to_bytes());
    let transcript =
        transcript(&recipient, &ephemeral_public).map_err(|_| OpenKeyError::NotForThisDevice)?;
    let plain = aead::open(
        &sealing_key(labels, shared.as_bytes(), &transcript),
        &[0u8; NONCE_LEN],
        &transcript,
        &sealed[32..],
    )
    .map_err(|_| OpenKeyError::NotForThisDevice)?;
    let bytes: [u8; 32] = plain
        .as_slice()
        .try_into()
        .map_err(|_| OpenKeyError::NotForThisDevice)?;
    Ok(Zeroizing::new(bytes))
}

/// Seals `key` to the device whose exchange key is `recipient`, as `to` says, with `ephemeral`
/// (32 fresh random bytes from the caller) as the one-time secret.
pub fn seal_key(
    recipient: &ExchangePublic,
    key: &JournalKey,
    to: &KeyFor<'_>,
    ephemeral: [u8; 32],
) -> Result<[u8; SEALED_KEY_LEN], SealKeyError> {
    seal_bytes(&JOURNAL_KEY, recipient, key.expose(), ephemeral, |e| {
        transcript(to, recipient, e)
    })
}

/// Opens a journal key sealed to this device (`device` is its secret) as `to` says.
pub fn open_key(
    device: &DeviceSecret,
    sealed: &[u8],
    to: &KeyFor<'_>,
) -> Result<JournalKey, OpenKeyError> {
    let bytes = open_bytes(&JOURNAL_KEY, device, sealed, |r, e| transcript(to, r, e))?;
    Ok(JournalKey::from_bytes(*bytes))
}

/// Seals a letter's `key` to one of its author's devices, whose exchange key is `recipient`, as
/// `to` says, with `ephemeral` (32 fresh random bytes) as the one-time secret.
pub fn seal_letter_key(
    recipient: &ExchangePublic,
    key: &AnswerKey,
    to: &LetterKeyFor<'_>,
    ephemeral: [u8; 32],
) -> Result<[u8; SEALED_KEY_LEN], SealKeyError> {
    seal_bytes(&LETTER_KEY, recipient, key.expose(), ephemeral, |e| {
        letter_transcript(to, recipient, e)
    })
}

/// Opens a letter's key sealed to this device (`device` is its secret) as `to` says.
pub fn open_letter_key(
    device: &DeviceSecret,
    sealed: &[u8],
    to: &LetterKeyFor<'_>,
) -> Result<AnswerKey, OpenKeyError> {
    let bytes = open_bytes(&LETTER_KEY, device, sealed, |r, e| {
        letter_transcript(to, r, e)
    })?;
    Ok(AnswerKey::from_bytes(*bytes))
}

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

    const JOURNAL: &str = "journal-1";

    fn to(device: &[u8; 32], epoch: u32) -> KeyFor<'_> {
        KeyFor {
            journal_id: JOURNAL,
            epoch,
            device,
        }
    }

    #[test]
    fn a_key_sealed_to_a_device_opens_there_and_nowhere_else() {
        let (laptop, phone) = (
            DeviceSecret::from_bytes([1; 32]),
            DeviceSecret::from_bytes([2; 32]),
        );
        let laptop_id = [11u8; 32];
        let key = JournalKey::from_bytes([42; 32]);
        let sealed =
            seal_key(&laptop.exchange_public(), &key, &to(&laptop_id, 1), [7; 32]).expect("seal");
        assert_eq!(sealed.len(), SEALED_KEY_LEN);
        let opened = open_key(&laptop, &sealed, &to(&laptop_id, 1)).expect("opens");
        assert_eq!(opened.expose(), key.expose());
        // Another device, another epoch, another journal, another recipient id: nothing.
        assert_eq!(
            open_key(&phone, &sealed, &to(&laptop_id, 1)).err(),
            Some(OpenKeyError::NotForThisDevice)
        );
        assert!(open_key(&laptop, &sealed, &to(&laptop_id, 2)).is_err());
        assert!(open_key(&laptop, &sealed, &to(&[12; 32], 1)).is_err());
        let other = KeyFor {
            journal_id: "journal-2",
            ..to(&laptop_id, 1)
        };
        assert!(open_key(&laptop, &sealed, &other).is_err());
        // Any altered bit, or a wrong length.
        for i in 0..SEALED_KEY_LEN {
            let mut bent = sealed;
            bent[i] ^= 1;
            assert!(
                open_key(&laptop, &bent, &to(&laptop_id, 1)).is_err(),
                "byte {i}"
            );
        }
        assert_eq!(
            open_key(&laptop, &sealed[1..], &to(&laptop_id, 1)).err(),
            Some(OpenKeyError::Length(SEALED_KEY_LEN - 1))
        );
    }

    #[test]
    fn each_sealing_differs_and_a_low_order_key_is_refused() {
        let laptop = DeviceSecret::from_bytes([1; 32]);
        let id = [11u8; 32];
        let key = JournalKey::from_bytes([42; 32]);
        let one = seal_key(&laptop.exchange_public(), &key, &to(&id, 1), [7; 32]).expect("seal");
        let two = seal_key(&laptop.exchange_public(), &key, &to(&id, 1), [8; 32]).expect("seal");
        assert_ne!(one, two);
        assert_eq!(
            seal_key(
                &ExchangePublic::from_bytes([0; 32]),
                &key,
                &to(&id, 1),
                [7; 32]
            )
            .err(),
            Some(SealKeyError::LowOrderKey)
        );
        let long = "j".repeat(256);
        let too_long = KeyFor {
            journal_id: &long,
            ..to(&id, 1)
        };
        assert_eq!(
            seal_key(&laptop.exchange_public(), &key, &too_long, [7; 32]).err(),
            Some(SealKeyError::JournalIdTooLong)
        );
    }

    #[test]
    fn a_letter_key_opens_only_on_its_device_as_that_letters_key() {
        let (laptop, phone) = (
            DeviceSecret::from_bytes([1; 32]),
            DeviceSecret::from_bytes([2; 32]),
        );
        let laptop_id = [11u8; 32];
        let key = AnswerKey::from_bytes([42; 32]);
        let letter = |entry_id| LetterKeyFor {
            journal_id: JOURNAL,
            entry_id,
            device: &laptop_id,
        };
        let sealed =
            seal_letter_key(&laptop.exchange_public(), &key, &letter("e1"), [7; 32]).expect("seal");
        let opened = open_letter_key(&laptop, &sealed, &letter("e1")).expect("opens");
        assert_eq!(opened.expose(), key.expose());
        assert!(open_letter_key(&phone, &sealed, &letter("e1")).is_err());
        assert!(open_letter_key(&laptop, &sealed, &letter("e2")).is_err());
        // Neither kind of sealed key passes for the other.
        assert!(open_key(&laptop, &sealed, &to(&laptop_id, 0)).is_err());
        let journal_key = JournalKey::from_bytes([42; 32]);
        let epoch = seal_key(
            &laptop.exchange_public(),
            &journal_key,
            &to(&laptop_id, 0),
            [7; 32],
        )
        .expect("seal");
        assert!(open_letter_key(&laptop, &epoch, &letter("e1")).is_err());
    }

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
