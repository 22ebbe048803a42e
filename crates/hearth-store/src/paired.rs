//! The devices this device is paired with.

use hearth_crypto::StorageKey;
use redb::{ReadableTable, TableHandle};

use crate::codec::Writer;
use crate::error::At;
use crate::record::{self, Slot};
use crate::tables::{PAIRED_DEVICES, SYNC_STATES};
use crate::{RandomnessError, ReadError, Record, Store, WriteError};

/// A device this device has paired with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairedDevice {
    /// Its iroh EndpointId (public key).
    pub endpoint_id: [u8; 32],
    /// The member (person) the device belongs to.
    pub member_id: String,
    /// The device's name, as its owner set it.
    pub name: String,
    /// Where it was last reached: addresses as opaque strings, for the network layer to parse.
    pub addrs: Vec<String>,
    /// When the pairing completed, in milliseconds since the Unix epoch.
    pub paired_at_ms: u64,
}

impl PairedDevice {
    fn encode(&self) -> zeroize::Zeroizing<Vec<u8>> {
        let mut plain = Writer::new();
        plain
            .str(&self.member_id)
            .str(&self.name)
            .strs(&self.addrs)
            .u64(self.paired_at_ms);
        plain.finish()
    }

    fn seal(&self, storage_key: &StorageKey) -> Result<Vec<u8>, RandomnessError> {
        record::seal(storage_key, slot(&self.endpoint_id), &self.encode())
    }
}

fn slot(endpoint_id: &[u8; 32]) -> Slot<'_> {
    Slot {
        table: PAIRED_DEVICES.name(),
        key: endpoint_id,
    }
}

impl Store {
    /// Stores a paired device, replacing the one with the same EndpointId if present.
    pub fn put_paired_device(&self, device: &PairedDevice) -> Result<(), WriteError> {
        let subject = Record::PairedDevice {
            endpoint_id: device.endpoint_id,
        };
        let mut w = self.begin_write().at(&subject)?;
        let sealed = device.seal(&w.keys.storage).at(&subject)?;
        let id = device.endpoint_id;
        w.put(PAIRED_DEVICES, id, &id, &sealed).at(&subject)?;
        w.commit(&subject)
    }

    /// Every paired device, ordered by EndpointId.
    pub fn paired_devices(&self) -> Result<Vec<PairedDevice>, ReadError> {
        let subject = Record::PairedDevices;
        let r = self.begin_read().at(&subject)?;
        let table = r.txn.open_table(PAIRED_DEVICES).at(&subject)?;
        let mut devices = Vec::new();
        for entry in table.iter().at(&subject)? {
            let (key, sealed) = entry.at(&subject)?;
            let endpoint_id = key.value();
            devices.push(open_paired_device(
                &r.keys.storage,
                endpoint_id,
                sealed.value(),
            )?);
        }
        Ok(devices)
    }

    /// Replaces the last-known addresses of a paired device.
    pub fn update_paired_addrs(
        &self,
        endpoint_id: [u8; 32],
        addrs: Vec<String>,
    ) -> Result<(), WriteError> {
        let subject = Record::PairedDevice { endpoint_id };
        let mut w = self.begin_write().at(&subject)?;
        let mut device = {
            let table = w.txn.open_table(PAIRED_DEVICES).at(&subject)?;
            let Some(sealed) = table.get(endpoint_id).at(&subject)? else {
                return Err(WriteError::Missing { record: subject });
            };
            open_paired_device(&w.keys.storage, endpoint_id, sealed.value())
                .map_err(|source| WriteError::Read { source })?
        };
        device.addrs = addrs;
        let sealed = device.seal(&w.keys.storage).at(&subject)?;
        w.put(PAIRED_DEVICES, endpoint_id, &endpoint_id, &sealed)
            .at(&subject)?;
        w.commit(&subject)
    }

    /// Forgets a paired device and its sync state. Returns whether it was paired.
    pub fn remove_paired_device(&self, endpoint_id: [u8; 32]) -> Result<bool, WriteError> {
        let subject = Record::PairedDevice { endpoint_id };
        let mut w = self.begin_write().at(&subject)?;
        let was_paired = w
            .remove(PAIRED_DEVICES, endpoint_id, &endpoint_id)
            .at(&subject)?;
        w.remove(SYNC_STATES, endpoint_id, &endpoint_id)
            .at(&subject)?;
        w.commit(&subject)?;
        Ok(was_paired)
    }
}

/// Opens and decodes the sealed record of the paired device `endpoint_id`.
fn open_paired_device(
    storage_key: &StorageKey,
    endpoint_id: [u8; 32],
    sealed: &[u8],
) -> Result<PairedDevice, ReadError> {
    let subject = || Record::PairedDevice { endpoint_id };
    let plain = record::open(storage_key, slot(&endpoint_id), sealed).map_err(|source| {
        ReadError::AuthenticationFailed {
            record: subject(),
            source,
        }
    })?;
    crate::decode::paired_device(endpoint_id, &plain).map_err(|source| ReadError::Malformed {
        record: subject(),
        source,
    })
}
