//! Errors of settings and export.

use crate::{Closed, NameError, WriteError};

/// Why the name could not be changed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetNameError {
    /// The name is not usable.
    #[error("that name cannot be used")]
    Name(#[source] NameError),
    /// The journal could not take the new name.
    #[error("could not rename you in the journal")]
    Write(#[source] WriteError),
    /// The name could not be stored.
    #[error("could not store the name")]
    Setting(#[source] hearth_store::WriteError),
    /// The journal was closed ([`Hearth::shutdown`](crate::Hearth::shutdown)).
    #[error(transparent)]
    Closed(#[from] Closed),
}

/// Why the passphrase could not be changed. The old one still works.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChangePassphraseError {
    /// The old passphrase given is wrong.
    #[error("the current passphrase is wrong")]
    WrongPassphrase(#[source] hearth_store::ChangePassphraseError),
    /// The store could not change it.
    #[error("could not change the passphrase")]
    Store(#[source] hearth_store::ChangePassphraseError),
    /// The journal was closed ([`Hearth::shutdown`](crate::Hearth::shutdown)).
    #[error(transparent)]
    Closed(#[from] Closed),
}

/// Why a device could not be unpaired.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UnpairError {
    /// No paired device has this id.
    #[error("no paired device {device}")]
    NotPaired {
        /// The id.
        device: crate::DeviceId,
    },
    /// The store could not forget it.
    #[error("could not forget the device")]
    Store(#[source] hearth_store::WriteError),
    /// The removal could not be written into the journal.
    #[error("could not write the removal into the journal")]
    Write(#[source] crate::WriteError),
    /// A device cannot remove itself; another device of the journal removes it.
    #[error("this is the device you are using; remove it from another device of the journal")]
    ThisDevice,
    /// This device was removed from the journal: it may remove only the device that removed it
    /// (if that one is lost or stolen), nothing else.
    #[error(
        "this device was removed from the journal; it can remove only the device that removed it"
    )]
    RemovedHere,
    /// The journal was closed ([`Hearth::shutdown`](crate::Hearth::shutdown)).
    #[error(transparent)]
    Closed(#[from] Closed),
}

/// Why the network setting could not be stored.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetNetworkError {
    /// A custom relay that is not an `https://` or `http://` URL.
    #[error("{url} is not a relay URL: a relay is reached by https:// or http://")]
    BadRelayUrl {
        /// What was given.
        url: hearth_net::RelayUrl,
    },
    /// The store could not keep it.
    #[error("could not store the network setting")]
    Setting(#[source] hearth_store::WriteError),
    /// The journal was closed ([`Hearth::shutdown`](crate::Hearth::shutdown)).
    #[error(transparent)]
    Closed(#[from] Closed),
}

/// Why an export could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The JSON could not be written.
    #[error("could not write the JSON export")]
    Json(#[source] serde_json::Error),
    /// The fresh copy of the journal could not be made.
    #[error("could not copy the journal for the export")]
    Copy(#[source] hearth_journal::WriteError),
    /// The journal was closed ([`Hearth::shutdown`](crate::Hearth::shutdown)).
    #[error(transparent)]
    Closed(#[from] Closed),
}
