//! Small sealed records by name: the device's settings, and a journal waiting to be carried over.

use redb::TableHandle;

use crate::error::At;
use crate::record::{self, Slot};
use crate::tables::SETTINGS;
use crate::{ReadError, Record, Store, WriteError};

fn slot(key: &str) -> Slot<'_> {
    Slot {
        table: SETTINGS.name(),
        key: key.as_bytes(),
    }
}

impl Store {
    /// Stores a setting, replacing any previous value.
    pub fn put_setting(&self, key: &str, value: &[u8]) -> Result<(), WriteError> {
        let subject = Record::Setting { key: key.into() };
        let sealed = record::seal(&self.storage_key, slot(key), value).at(&subject)?;
        let txn = self.begin_write().at(&subject)?;
        txn.open_table(SETTINGS)
            .at(&subject)?
            .insert(key, sealed.as_slice())
            .at(&subject)?;
        txn.commit().at(&subject)?;
        Ok(())
    }

    /// Stores a setting and removes others in one transaction: for settings that replace the
    /// ones an earlier version kept. Removing a setting that is not there is not an error.
    pub fn replace_settings(
        &self,
        key: &str,
        value: &[u8],
        replaced: &[&str],
    ) -> Result<(), WriteError> {
        let subject = Record::Setting { key: key.into() };
        let sealed = record::seal(&self.storage_key, slot(key), value).at(&subject)?;
        let txn = self.begin_write().at(&subject)?;
        {
            let mut table = txn.open_table(SETTINGS).at(&subject)?;
            table.insert(key, sealed.as_slice()).at(&subject)?;
            for old in replaced {
                table.remove(*old).at(&subject)?;
            }
        }
        txn.commit().at(&subject)?;
        Ok(())
    }

    /// A setting's value, if it was ever set.
    pub fn get_setting(&self, key: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let subject = Record::Setting { key: key.into() };
        let txn = self.begin_read().at(&subject)?;
        let table = txn.open_table(SETTINGS).at(&subject)?;
        let Some(sealed) = table.get(key).at(&subject)? else {
            return Ok(None);
        };
        let plain =
            record::open(&self.storage_key, slot(key), sealed.value()).map_err(|source| {
                ReadError::AuthenticationFailed {
                    record: subject,
                    source,
                }
            })?;
        Ok(Some(plain.to_vec()))
    }
}
