//! What a completed pairing hands over, and how it is sealed under the pairing keys.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::MAX_PAYLOAD_LEN;
use super::error::PairingError;
use crate::aead;
use crate::secret::{DerivedKey, JournalKey};

/// The nonce of the two sealed pairing messages. Each key seals exactly one message and is never
/// used again, so a fixed nonce is safe.
const SINGLE_USE_NONCE: [u8; 24] = [0; 24];

/// What the inviter hands the joiner once both people confirmed: the journal key and an opaque
/// payload the higher layer fills (journal id, member list).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Grant {
    journal_key: JournalKey,
    payload: Vec<u8>,
}

impl Grant {
    /// A grant of `journal_key` with `payload` (at most [`MAX_PAYLOAD_LEN`] bytes, checked when
    /// the grant is handed to the inviter).
    pub fn new(journal_key: JournalKey, payload: Vec<u8>) -> Self {
        Self {
            journal_key,
            payload,
        }
    }

    /// The journal key.
    pub fn journal_key(&self) -> &JournalKey {
        &self.journal_key
    }

    /// The higher layer's payload.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }
}

impl fmt::Debug for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Grant")
            .field("journal_key", &self.journal_key)
            .field("payload_len", &self.payload.len())
            .finish()
    }
}

/// Refuses payloads over the cap.
pub(super) fn check_payload(len: usize) -> Result<(), PairingError> {
    if len > MAX_PAYLOAD_LEN {
        return Err(PairingError::PayloadTooLarge {
            len,
            max: MAX_PAYLOAD_LEN,
        });
    }
    Ok(())
}

/// Seals `plaintext` with a single-use pairing key, binding the transcript and the label.
pub(super) fn seal(
    key: &DerivedKey,
    label: &[u8],
    transcript: &[u8; 32],
    plaintext: &[u8],
) -> Vec<u8> {
    aead::seal(
        key,
        &SINGLE_USE_NONCE,
        &[label, transcript].concat(),
        plaintext,
    )
}

/// Opens what [`seal`] made.
pub(super) fn open(
    key: &DerivedKey,
    label: &[u8],
    transcript: &[u8; 32],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, PairingError> {
    aead::open(
        key,
        &SINGLE_USE_NONCE,
        &[label, transcript].concat(),
        sealed,
    )
    .map_err(|_| PairingError::SealedMessageRejected)
}

/// The plaintext of a grant: the journal key, then the payload.
pub(super) fn encode(grant: &Grant) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(32 + grant.payload.len()));
    out.extend_from_slice(grant.journal_key.expose());
    out.extend_from_slice(&grant.payload);
    out
}

/// Reads a grant's plaintext.
pub(super) fn decode(plain: &[u8]) -> Result<Grant, PairingError> {
    if plain.len() < 32 {
        return Err(PairingError::MalformedGrant);
    }
    let (key, payload) = plain.split_at(32);
    let mut bytes = Zeroizing::new([0u8; 32]);
    bytes.copy_from_slice(key);
    Ok(Grant::new(JournalKey::from_bytes(*bytes), payload.to_vec()))
}
