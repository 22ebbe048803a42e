//! Errors of creating, opening and closing a journal.

use std::path::PathBuf;

use crate::persist::LoadDocError;
use crate::{NameError, WriteError};

/// The journal was closed with [`Hearth::shutdown`](crate::Hearth::shutdown) (by this handle or
/// another of the same journal): nothing more can be read or changed through it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the journal is closed")]
pub struct Closed;

/// Why the network could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The endpoint could not start.
    #[error("could not start the network")]
    Network(#[source] hearth_net::StartError),
}

/// Why a new journal could not be created.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CreateError {
    /// The name is not usable.
    #[error("that name cannot be used")]
    Name(#[source] NameError),
    /// A journal already exists in this directory.
    #[error("a journal already exists in {dir}")]
    AlreadyExists {
        /// The data directory.
        dir: PathBuf,
        /// The store's error.
        #[source]
        source: hearth_store::CreateError,
    },
    /// Another process has this directory open.
    #[error("{dir} is in use by another Hearth")]
    AlreadyOpen {
        /// The data directory.
        dir: PathBuf,
        /// The store's error.
        #[source]
        source: hearth_store::CreateError,
    },
    /// The store could not be created.
    #[error("could not create the store")]
    Store(#[source] hearth_store::CreateError),
    /// The operating system gave no randomness.
    #[error("no randomness available")]
    Randomness(#[source] getrandom::Error),
    /// The journal binding could not be stored.
    #[error("could not store the journal key")]
    Binding(#[source] hearth_store::WriteError),
    /// The name could not be stored.
    #[error("could not store the name")]
    Setting(#[source] hearth_store::WriteError),
    /// The new journal could not be written.
    #[error("could not write the new journal")]
    Journal(#[source] WriteError),
    /// The device's public identity could not be derived.
    #[error("could not read this device's key")]
    DeviceKey(#[source] hearth_store::ReadError),
    /// The journal was created and stored, but the network did not start; open it again.
    #[error("the journal was created, but the network did not start")]
    Network(#[source] StartError),
    /// The work was cut short (the runtime is shutting down).
    #[error("creating the journal was interrupted")]
    Interrupted(#[source] tokio::task::JoinError),
}

/// Why a journal could not be opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// No journal was set up in this directory.
    #[error("no journal in {dir}")]
    NotFound {
        /// The data directory.
        dir: PathBuf,
        /// The store's error.
        #[source]
        source: hearth_store::OpenError,
    },
    /// The passphrase is wrong. Nothing was changed.
    #[error("wrong passphrase")]
    WrongPassphrase(#[source] hearth_store::OpenError),
    /// Another process has this directory open.
    #[error("{dir} is in use by another Hearth")]
    AlreadyOpen {
        /// The data directory.
        dir: PathBuf,
        /// The store's error.
        #[source]
        source: hearth_store::OpenError,
    },
    /// The store could not be opened.
    #[error("could not open the store")]
    Store(#[source] hearth_store::OpenError),
    /// The store holds no journal: setting it up was interrupted. Remove the directory and set
    /// it up again.
    #[error("the journal in {dir} was never completely set up")]
    Incomplete {
        /// The data directory.
        dir: PathBuf,
    },
    /// The journal binding could not be read.
    #[error("could not read the journal key")]
    Binding(#[source] hearth_store::ReadError),
    /// The device key could not be read.
    #[error("could not read this device's key")]
    DeviceKey(#[source] hearth_store::ReadError),
    /// A journal document could not be read.
    #[error("could not read the journal")]
    Load(#[source] Box<LoadDocError>),
    /// A join was interrupted, and the journal it replaced could not be set aside now.
    #[error("could not finish joining your partner's journal")]
    Replace(#[source] crate::persist::ReplaceDocError),
    /// The operating system gave no randomness.
    #[error("no randomness available")]
    Randomness(#[source] getrandom::Error),
    /// The list of paired devices could not be read.
    #[error("could not read the paired devices")]
    Paired(#[source] hearth_store::ReadError),
    /// The settings could not be read.
    #[error("could not read the settings")]
    Settings(#[source] crate::SettingsError),
    /// The journal's keys of later epochs could not be read.
    #[error(transparent)]
    EpochKeys(crate::EpochKeysError),
    /// Entries written before pairing could not be carried into the shared journal.
    #[error("could not finish moving earlier entries into the shared journal")]
    CarryOver(#[source] WriteError),
    /// The journal opened, but the network did not start.
    #[error("the network did not start")]
    Network(#[source] StartError),
    /// The work was cut short (the runtime is shutting down).
    #[error("opening the journal was interrupted")]
    Interrupted(#[source] tokio::task::JoinError),
}
