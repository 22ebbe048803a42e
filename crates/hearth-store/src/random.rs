//! Operating-system randomness for keys, salts and nonces.

use zeroize::Zeroizing;

/// The operating system could not provide random bytes.
#[derive(Debug, thiserror::Error)]
#[error("the operating system could not provide random bytes")]
pub struct RandomnessError {
    #[source]
    source: getrandom::Error,
}

/// `N` random bytes, for values that are not secret (nonces, salts).
pub(crate) fn random_array<const N: usize>() -> Result<[u8; N], RandomnessError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|source| RandomnessError { source })?;
    Ok(bytes)
}

/// 32 random bytes for a key, wiped when dropped.
pub(crate) fn random_key_bytes() -> Result<Zeroizing<[u8; 32]>, RandomnessError> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(bytes.as_mut_slice()).map_err(|source| RandomnessError { source })?;
    Ok(bytes)
}
