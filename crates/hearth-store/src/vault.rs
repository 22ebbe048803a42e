//! The device's secret key and the journal binding.

use std::fmt;

use hearth_crypto::Key32;

use crate::codec::Writer;
use crate::store::vault_slot;
use crate::tables::{DEVICE_KEY_KEY, JOURNAL_BINDING_KEY, VAULT};
use crate::{DeviceKeyError, JournalBindingError, SetJournalBindingError, Store};
use crate::{decode, record};

/// Which journal this device belongs to: set when the device creates a journal, or when it joins
/// its partner's through pairing.
#[derive(Clone)]
pub struct JournalBinding {
    /// The journal key every frame and the journal's sync are sealed under.
    pub journal_key: Key32,
    /// The journal's id.
    pub journal_id: String,
    /// This device's member id in the journal.
    pub member_id: String,
}

impl fmt::Debug for JournalBinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JournalBinding")
            .field("journal_key", &"..")
            .field("journal_id", &self.journal_id)
            .field("member_id", &self.member_id)
            .finish()
    }
}

impl Store {
    /// The device's identity: the 32 bytes of its iroh secret key, generated from OS randomness
    /// when the store was created.
    pub fn device_secret_key(&self) -> Result<Key32, DeviceKeyError> {
        let txn = self.begin_read()?;
        let vault = txn.open_table(VAULT)?;
        let sealed = vault.get(DEVICE_KEY_KEY)?.ok_or(DeviceKeyError::Missing)?;
        let plain = record::open(
            &self.storage_key,
            vault_slot(DEVICE_KEY_KEY),
            sealed.value(),
        )
        .map_err(|source| DeviceKeyError::AuthenticationFailed { source })?;
        decode::device_key(&plain).map_err(|source| DeviceKeyError::Malformed { source })
    }

    /// Binds this device to a journal, replacing any previous binding.
    pub fn set_journal_binding(
        &self,
        binding: &JournalBinding,
    ) -> Result<(), SetJournalBindingError> {
        let mut plain = Writer::new();
        plain
            .bytes(binding.journal_key.expose())
            .str(&binding.journal_id)
            .str(&binding.member_id);
        let sealed = record::seal(
            &self.storage_key,
            vault_slot(JOURNAL_BINDING_KEY),
            &plain.finish(),
        )?;
        let txn = self.begin_write()?;
        txn.open_table(VAULT)?
            .insert(JOURNAL_BINDING_KEY, sealed.as_slice())?;
        txn.commit()?;
        Ok(())
    }

    /// The journal this device belongs to, if any yet.
    pub fn journal_binding(&self) -> Result<Option<JournalBinding>, JournalBindingError> {
        let txn = self.begin_read()?;
        let vault = txn.open_table(VAULT)?;
        let Some(sealed) = vault.get(JOURNAL_BINDING_KEY)? else {
            return Ok(None);
        };
        let plain = record::open(
            &self.storage_key,
            vault_slot(JOURNAL_BINDING_KEY),
            sealed.value(),
        )
        .map_err(|source| JournalBindingError::AuthenticationFailed { source })?;
        decode::journal_binding(&plain)
            .map(Some)
            .map_err(|source| JournalBindingError::Malformed { source })
    }
}
