//! Small sealed settings (network mode, last bound port, interface preferences).

use redb::TableHandle;

use crate::record::{self, Slot};
use crate::tables::SETTINGS;
use crate::{GetSettingError, PutSettingError, Store};

fn slot(key: &str) -> Slot<'_> {
    Slot {
        table: SETTINGS.name(),
        key: key.as_bytes(),
    }
}

impl Store {
    /// Stores a setting, replacing any previous value.
    pub fn put_setting(&self, key: &str, value: &[u8]) -> Result<(), PutSettingError> {
        let sealed = record::seal(&self.storage_key, slot(key), value)?;
        let txn = self.begin_write()?;
        txn.open_table(SETTINGS)?.insert(key, sealed.as_slice())?;
        txn.commit()?;
        Ok(())
    }

    /// A setting's value, if it was ever set.
    pub fn get_setting(&self, key: &str) -> Result<Option<Vec<u8>>, GetSettingError> {
        let txn = self.begin_read()?;
        let table = txn.open_table(SETTINGS)?;
        let Some(sealed) = table.get(key)? else {
            return Ok(None);
        };
        let plain =
            record::open(&self.storage_key, slot(key), sealed.value()).map_err(|source| {
                GetSettingError::AuthenticationFailed {
                    key: key.to_owned(),
                    source,
                }
            })?;
        Ok(Some(plain.to_vec()))
    }
}
