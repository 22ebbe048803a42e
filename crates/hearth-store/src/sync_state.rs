//! The Automerge sync state kept for each peer, so that a reconnect sends only what is new.

use redb::TableHandle;

use crate::error::At;
use crate::record::{self, Slot};
use crate::tables::SYNC_STATES;
use crate::{ReadError, Record, Store, WriteError};

/// Where `peer`'s sync state is sealed to.
pub(crate) fn slot(peer: &[u8; 32]) -> Slot<'_> {
    Slot {
        table: SYNC_STATES.name(),
        key: peer,
    }
}

impl Store {
    /// Stores the (encoded) sync state for `peer`, replacing the previous one. It is removed
    /// together with the paired device.
    pub fn save_sync_state(&self, peer: [u8; 32], state: &[u8]) -> Result<(), WriteError> {
        let subject = Record::SyncState { peer };
        let mut w = self.begin_write().at(&subject)?;
        let sealed = record::seal(&w.keys.storage, slot(&peer), state).at(&subject)?;
        w.put(SYNC_STATES, peer, &peer, &sealed).at(&subject)?;
        w.commit(&subject)
    }

    /// The sync state last saved for `peer`, if any.
    pub fn load_sync_state(&self, peer: [u8; 32]) -> Result<Option<Vec<u8>>, ReadError> {
        let subject = Record::SyncState { peer };
        let r = self.begin_read().at(&subject)?;
        let table = r.txn.open_table(SYNC_STATES).at(&subject)?;
        let Some(sealed) = table.get(peer).at(&subject)? else {
            return Ok(None);
        };
        let plain =
            record::open(&r.keys.storage, slot(&peer), sealed.value()).map_err(|source| {
                ReadError::AuthenticationFailed {
                    record: subject,
                    source,
                }
            })?;
        Ok(Some(plain.to_vec()))
    }
}
