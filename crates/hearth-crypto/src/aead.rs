//! XChaCha20-Poly1305 over our own key types: the one place the AEAD crate is called, and only
//! with a key that implements [`AeadKey`].

use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::secret::AeadKey;

/// Length of the authentication tag appended to every ciphertext.
pub(crate) const TAG_LEN: usize = 16;

/// Length of an XChaCha20 nonce.
pub(crate) const NONCE_LEN: usize = 24;

/// The AEAD rejected a ciphertext: wrong key, wrong associated data, or altered bytes.
#[derive(Debug)]
pub(crate) struct AuthenticationFailed;

fn cipher(key: &impl AeadKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(&(*key.aead_bytes()).into())
}

/// Encrypts `plaintext` and appends the 16-byte tag.
pub(crate) fn seal(
    key: &impl AeadKey,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    plaintext: &[u8],
) -> Vec<u8> {
    let mut buffer = Vec::with_capacity(plaintext.len() + TAG_LEN);
    buffer.extend_from_slice(plaintext);
    cipher(key)
        .encrypt_in_place(&XNonce::from(*nonce), aad, &mut buffer)
        .expect(
            "XChaCha20-Poly1305 fails only past 256 GiB per message, far above any caller's cap",
        );
    buffer
}

/// Checks the tag and decrypts; the plaintext is wiped when dropped.
pub(crate) fn open(
    key: &impl AeadKey,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, AuthenticationFailed> {
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    cipher(key)
        .decrypt_in_place(&XNonce::from(*nonce), aad, &mut *buffer)
        .map_err(|_| AuthenticationFailed)?;
    Ok(buffer)
}
