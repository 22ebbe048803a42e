//! One error type per operation of the store.

mod create;
mod journal;
mod open;
mod paired;
mod passphrase;
mod settings;
mod sync;
mod vault;

pub use create::CreateError;
pub use journal::{AppendError, CompactError, CountChunksError, LoadError};
pub use open::OpenError;
pub use paired::{
    ListPairedDevicesError, PutPairedDeviceError, RemovePairedDeviceError, UpdatePairedAddrsError,
};
pub use passphrase::ChangePassphraseError;
pub use settings::{GetSettingError, PutSettingError};
pub use sync::{LoadSyncStateError, SaveSyncStateError};
pub use vault::{DeviceKeyError, JournalBindingError, SetJournalBindingError};

/// Formats a 32-byte id as lowercase hex, for error messages.
pub(crate) struct Hex<'a>(pub(crate) &'a [u8]);

impl std::fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}
