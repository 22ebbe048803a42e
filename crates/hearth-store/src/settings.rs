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
        self.replace_settings(key, value, &[])
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
        let mut w = self.begin_write().at(&subject)?;
        let sealed = record::seal(&w.keys.storage, slot(key), value).at(&subject)?;
        w.put(SETTINGS, key, key.as_bytes(), &sealed).at(&subject)?;
        for replaced in replaced.iter().filter(|replaced| **replaced != key) {
            w.remove(SETTINGS, *replaced, replaced.as_bytes())
                .at(&subject)?;
        }
        w.commit(&subject)
    }

    /// A setting's value, if it was ever set.
    pub fn get_setting(&self, key: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let subject = Record::Setting { key: key.into() };
        let r = self.begin_read().at(&subject)?;
        let table = r.txn.open_table(SETTINGS).at(&subject)?;
        let Some(sealed) = table.get(key).at(&subject)? else {
            return Ok(None);
        };
        let plain = record::open(&r.keys.storage, slot(key), sealed.value()).map_err(|source| {
            ReadError::AuthenticationFailed {
                record: subject,
                source,
            }
        })?;
        Ok(Some(plain.to_vec()))
    }
}
