//! Wrapping and unwrapping the storage key under a passphrase.

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use super::Passphrase;
use super::params::{KdfParams, KdfParamsError};
use super::wrapped::{SEALED_KEY_LEN, WrappedKey};
use crate::aead;
use crate::secret::{DerivedKey, StorageKey};

/// Why the storage key could not be wrapped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WrapError {
    /// The parameters are out of bounds.
    #[error("unacceptable key-derivation parameters")]
    BadParams(#[source] KdfParamsError),
    /// Argon2 refused to run (for instance, it could not allocate its memory).
    #[error("passphrase key derivation failed")]
    Kdf(#[source] argon2::Error),
}

/// Why a wrapped storage key could not be unwrapped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UnwrapError {
    /// The passphrase is not the one the key was wrapped with (or the record was altered).
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// The stored parameters are out of bounds.
    #[error("unacceptable key-derivation parameters")]
    BadParams(#[source] KdfParamsError),
    /// Argon2 refused to run (for instance, it could not allocate its memory).
    #[error("passphrase key derivation failed")]
    Kdf(#[source] argon2::Error),
}

/// Runs Argon2id over the passphrase, giving the key that wraps the storage key. The caller has
/// validated `params`.
fn derive(
    passphrase: &Passphrase,
    params: KdfParams,
    salt: &[u8; 16],
) -> Result<DerivedKey, argon2::Error> {
    let argon_params = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        Some(32),
    )?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(passphrase.expose().as_bytes(), salt, &mut *out)?;
    Ok(DerivedKey::from_bytes(*out))
}

/// Seals the storage key under a key derived from `passphrase`. `salt` and `nonce` must be fresh
/// random bytes.
pub fn wrap_key(
    key: &StorageKey,
    passphrase: &Passphrase,
    params: KdfParams,
    salt: [u8; 16],
    nonce: [u8; 24],
) -> Result<WrappedKey, WrapError> {
    params.validate().map_err(WrapError::BadParams)?;
    let kek = derive(passphrase, params, &salt).map_err(WrapError::Kdf)?;
    let mut wrapped = WrappedKey {
        params,
        salt,
        nonce,
        sealed: [0u8; SEALED_KEY_LEN],
    };
    let sealed = aead::seal(&kek, &nonce, &wrapped.header(), key.expose());
    wrapped.sealed.copy_from_slice(&sealed);
    Ok(wrapped)
}

/// Recovers the storage key sealed by [`wrap_key`]. Runs Argon2id once, with the stored
/// parameters.
pub fn unwrap_key(
    wrapped: &WrappedKey,
    passphrase: &Passphrase,
) -> Result<StorageKey, UnwrapError> {
    wrapped.params.validate().map_err(UnwrapError::BadParams)?;
    let kek = derive(passphrase, wrapped.params, &wrapped.salt).map_err(UnwrapError::Kdf)?;
    let plain = aead::open(&kek, &wrapped.nonce, &wrapped.header(), &wrapped.sealed)
        .map_err(|_| UnwrapError::WrongPassphrase)?;
    let bytes: Zeroizing<[u8; 32]> =
        Zeroizing::new(plain.as_slice().try_into().expect(
            "the sealed part is exactly 32 bytes of key and a tag, so it opens to 32 bytes",
        ));
    Ok(StorageKey::from_bytes(*bytes))
}
