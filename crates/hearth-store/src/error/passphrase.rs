use std::io;
use std::path::PathBuf;

use hearth_crypto::passphrase::{UnwrapError, WrapError};

use crate::{KeyHeaderError, RandomnessError};

/// Why [`Store::change_passphrase`](crate::Store::change_passphrase) failed. The old passphrase
/// keeps working unless the call returned `Ok`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChangePassphraseError {
    /// The old passphrase given is wrong.
    #[error("the current passphrase is wrong")]
    WrongPassphrase,
    /// The old passphrase could not be checked for another reason than being wrong.
    #[error("could not unlock the storage key")]
    Unwrap {
        /// Why.
        #[source]
        source: UnwrapError,
    },
    /// The key header file is missing (removed while the store was open).
    #[error("the key header {} is missing", .path.display())]
    KeyHeaderMissing {
        /// Where it should be.
        path: PathBuf,
    },
    /// The key header file is damaged.
    #[error("the key header {} is damaged", .path.display())]
    KeyHeaderCorrupted {
        /// The key header file.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        source: KeyHeaderError,
    },
    /// No randomness for the new salt and nonce.
    #[error("could not generate a new salt")]
    Randomness {
        /// Why.
        #[from]
        source: RandomnessError,
    },
    /// The storage key could not be wrapped under the new passphrase.
    #[error("could not protect the storage key with the new passphrase")]
    WrapKey {
        /// Why.
        #[source]
        source: WrapError,
    },
    /// The key header file could not be read or replaced.
    #[error("could not write {}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
}
