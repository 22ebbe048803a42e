//! The devices this device is paired with.

use redb::{ReadableTable, TableHandle};

use crate::codec::Writer;
use crate::record::{self, Slot};
use crate::tables::{PAIRED_DEVICES, SYNC_STATES};
use crate::{
    ListPairedDevicesError, PutPairedDeviceError, RandomnessError, RemovePairedDeviceError, Store,
    UpdatePairedAddrsError,
};

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

    fn seal(&self, store: &Store) -> Result<Vec<u8>, RandomnessError> {
        record::seal(&store.storage_key, slot(&self.endpoint_id), &self.encode())
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
    pub fn put_paired_device(&self, device: &PairedDevice) -> Result<(), PutPairedDeviceError> {
        let sealed = device.seal(self)?;
        let txn = self.begin_write()?;
        txn.open_table(PAIRED_DEVICES)?
            .insert(device.endpoint_id, sealed.as_slice())?;
        txn.commit()?;
        Ok(())
    }

    /// Every paired device, ordered by EndpointId.
    pub fn paired_devices(&self) -> Result<Vec<PairedDevice>, ListPairedDevicesError> {
        let txn = self.begin_read()?;
        let table = txn.open_table(PAIRED_DEVICES)?;
        let mut devices = Vec::new();
        for entry in table.iter()? {
            let (key, sealed) = entry?;
            let endpoint_id = key.value();
            let plain = record::open(&self.storage_key, slot(&endpoint_id), sealed.value())
                .map_err(|source| ListPairedDevicesError::AuthenticationFailed {
                    endpoint_id,
                    source,
                })?;
            let device = crate::decode::paired_device(endpoint_id, &plain).map_err(|source| {
                ListPairedDevicesError::Malformed {
                    endpoint_id,
                    source,
                }
            })?;
            devices.push(device);
        }
        Ok(devices)
    }

    /// Replaces the last-known addresses of a paired device.
    pub fn update_paired_addrs(
        &self,
        endpoint_id: [u8; 32],
        addrs: Vec<String>,
    ) -> Result<(), UpdatePairedAddrsError> {
        let txn = self.begin_write()?;
        {
            let mut table = txn.open_table(PAIRED_DEVICES)?;
            let mut device = {
                let sealed = table
                    .get(endpoint_id)?
                    .ok_or(UpdatePairedAddrsError::NotPaired { endpoint_id })?;
                let plain = record::open(&self.storage_key, slot(&endpoint_id), sealed.value())
                    .map_err(|source| UpdatePairedAddrsError::AuthenticationFailed {
                        endpoint_id,
                        source,
                    })?;
                crate::decode::paired_device(endpoint_id, &plain).map_err(|source| {
                    UpdatePairedAddrsError::Malformed {
                        endpoint_id,
                        source,
                    }
                })?
            };
            device.addrs = addrs;
            table.insert(endpoint_id, device.seal(self)?.as_slice())?;
        }
        txn.commit()?;
        Ok(())
    }

    /// Forgets a paired device and its sync state. Returns whether it was paired.
    pub fn remove_paired_device(
        &self,
        endpoint_id: [u8; 32],
    ) -> Result<bool, RemovePairedDeviceError> {
        let txn = self.begin_write()?;
        let was_paired = txn
            .open_table(PAIRED_DEVICES)?
            .remove(endpoint_id)?
            .is_some();
        txn.open_table(SYNC_STATES)?.remove(endpoint_id)?;
        txn.commit()?;
        Ok(was_paired)
    }
}
