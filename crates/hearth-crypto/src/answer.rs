//! Sealing the text of an answer to the question of the day (XChaCha20-Poly1305 under its
//! [`AnswerKey`]).
//!
//! A sealed answer is `version (1 byte) || nonce (24 bytes) || ciphertext || tag (16 bytes)`; the
//! associated data is `"hearth-answer/1" 0x00` and the id of the entry that holds it, so the
//! sealed text of one answer cannot be passed off as another's.
//!
//! The nonce is synthetic: the first 24 bytes of HMAC-SHA256 under the answer key of
//! `"hearth-answer nonce" 0x00 || entry id || 0x00 || text`. Two different texts never share a
//! nonce under one key (short of an HMAC collision), and sealing needs no randomness; the one thing
//! it tells is that a text sealed twice is the same text, which only the key's holders can see
//! anyway as the key opens both.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::AnswerKey;
use crate::aead::{self, NONCE_LEN, TAG_LEN};

/// The format version written as the first byte of a sealed answer.
pub const ANSWER_VERSION: u8 = 1;

/// Bytes sealing adds to an answer's text.
pub const SEAL_OVERHEAD: usize = 1 + NONCE_LEN + TAG_LEN;

const AAD_PREFIX: &[u8] = b"hearth-answer/1\0";

/// Why a sealed answer did not open.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpenError {
    /// Shorter than a version byte, a nonce and a tag.
    #[error("the sealed answer is too short")]
    TooShort,
    /// Written in a format this build does not know.
    #[error("the sealed answer has unknown format version {version}")]
    UnknownVersion {
        /// The version byte found.
        version: u8,
    },
    /// Wrong key, another entry's text, or altered.
    #[error("the sealed answer failed authentication")]
    AuthenticationFailed,
}

fn aad(entry_id: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(AAD_PREFIX.len() + entry_id.len());
    aad.extend_from_slice(AAD_PREFIX);
    aad.extend_from_slice(entry_id.as_bytes());
    aad
}

/// Seals the text of the answer held by entry `entry_id`.
pub fn seal(key: &AnswerKey, entry_id: &str, text: &str) -> Vec<u8> {
    let nonce = synthetic_nonce(key, entry_id, text);
    let ciphertext = aead::seal(key, &nonce, &aad(entry_id), text.as_bytes());
    let mut sealed = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
    sealed.push(ANSWER_VERSION);
    sealed.extend_from_slice(&nonce);
    sealed.extend_from_slice(&ciphertext);
    sealed
}

fn synthetic_nonce(key: &AnswerKey, entry_id: &str, text: &str) -> [u8; NONCE_LEN] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key.expose())
        .expect("HMAC takes a key of any length");
    mac.update(b"hearth-answer nonce\0");
    mac.update(entry_id.as_bytes());
    mac.update(b"\0");
    mac.update(text.as_bytes());
    let tag = mac.finalize().into_bytes();
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&tag[..NONCE_LEN]);
    nonce
}

/// Opens a sealed answer of entry `entry_id`. The text is returned as bytes: the caller checks
/// that they are UTF-8.
pub fn open(
    key: &AnswerKey,
    entry_id: &str,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    if sealed.len() < SEAL_OVERHEAD {
        return Err(OpenError::TooShort);
    }
    let (version, rest) = sealed.split_at(1);
    if version[0] != ANSWER_VERSION {
        return Err(OpenError::UnknownVersion {
            version: version[0],
        });
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| OpenError::TooShort)?;
    aead::open(key, &nonce, &aad(entry_id), ciphertext).map_err(|_| OpenError::AuthenticationFailed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_opens_with_its_key_for_its_entry_only() {
        let key = AnswerKey::from_bytes([7; 32]);
        let sealed = seal(&key, "entry-a", "the first time I saw you");
        assert_eq!(sealed, seal(&key, "entry-a", "the first time I saw you"));
        assert_ne!(
            sealed[1..25],
            seal(&key, "entry-a", "the first time I saw you!")[1..25],
            "another text, another nonce"
        );
        assert!(!sealed.windows(5).any(|w| w == b"first"));
        let text = open(&key, "entry-a", &sealed).expect("opens");
        assert_eq!(text.as_slice(), b"the first time I saw you");
        assert_eq!(
            open(&key, "entry-b", &sealed),
            Err(OpenError::AuthenticationFailed)
        );
        assert_eq!(
            open(&AnswerKey::from_bytes([8; 32]), "entry-a", &sealed),
            Err(OpenError::AuthenticationFailed)
        );
        for cut in [0, 10, SEAL_OVERHEAD - 1] {
            assert_eq!(
                open(&key, "entry-a", &sealed[..cut]),
                Err(OpenError::TooShort)
            );
        }
        let mut other = sealed.clone();
        other[0] = 9;
        assert_eq!(
            open(&key, "entry-a", &other),
            Err(OpenError::UnknownVersion { version: 9 })
        );
    }
}
