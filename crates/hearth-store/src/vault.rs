//! The device's secret key and the journal binding.

use std::fmt;

use hearth_crypto::{DeviceSecret, JournalKey};

use crate::codec::Writer;
use crate::error::At;
use crate::store::vault_slot;
use crate::tables::{DEVICE_KEY_KEY, JOURNAL_BINDING_KEY, VAULT};
use crate::{ReadError, Record, Store, WriteError};
use crate::{decode, record};

/// Which journal this device belongs to: set when the device creates a journal, or when it joins
/// its partner's through pairing.
#[derive(Clone)]
pub struct JournalBinding {
    /// The journal key every frame and the journal's sync are sealed under.
    pub journal_key: JournalKey,
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
    pub fn device_secret_key(&self) -> Result<DeviceSecret, ReadError> {
        let subject = Record::DeviceKey;
        let r = self.begin_read().at(&subject)?;
        let vault = r.txn.open_table(VAULT).at(&subject)?;
        let Some(sealed) = vault.get(DEVICE_KEY_KEY).at(&subject)? else {
            return Err(ReadError::Missing { record: subject });
        };
        let plain = record::open(&r.keys.storage, vault_slot(DEVICE_KEY_KEY), sealed.value())
            .map_err(|source| ReadError::AuthenticationFailed {
                record: subject.clone(),
                source,
            })?;
        decode::device_key(&plain).map_err(|source| ReadError::Malformed {
            record: subject,
            source,
        })
    }

    /// Binds this device to a journal, replacing any previous binding.
    pub fn set_journal_binding(&self, binding: &JournalBinding) -> Result<(), WriteError> {
        let subject = Record::JournalBinding;
        let mut plain = Writer::new();
        plain
            .bytes(binding.journal_key.expose())
            .str(&binding.journal_id)
            .str(&binding.member_id);
        let mut w = self.begin_write().at(&subject)?;
        let sealed = record::seal(
            &w.keys.storage,
            vault_slot(JOURNAL_BINDING_KEY),
            &plain.finish(),
        )
        .at(&subject)?;
        w.put(
            VAULT,
            JOURNAL_BINDING_KEY,
            JOURNAL_BINDING_KEY.as_bytes(),
            &sealed,
        )
        .at(&subject)?;
        w.commit(&subject)
    }

    /// The journal this device belongs to, if any yet.
    pub fn journal_binding(&self) -> Result<Option<JournalBinding>, ReadError> {
        let subject = Record::JournalBinding;
        let r = self.begin_read().at(&subject)?;
        let vault = r.txn.open_table(VAULT).at(&subject)?;
        let Some(sealed) = vault.get(JOURNAL_BINDING_KEY).at(&subject)? else {
            return Ok(None);
        };
        let plain = record::open(
            &r.keys.storage,
            vault_slot(JOURNAL_BINDING_KEY),
            sealed.value(),
        )
        .map_err(|source| ReadError::AuthenticationFailed {
            record: subject.clone(),
            source,
        })?;
        decode::journal_binding(&plain)
            .map(Some)
            .map_err(|source| ReadError::Malformed {
                record: subject,
                source,
            })
    }
}
