//! The journal key's epochs on this device: the keys it holds, taking a new key sealed to it in
//! the journal, making one when a device is removed, and sealing the newest key to a device that
//! lacks it (docs/decisions/0008-key-epochs.md).
//!
//! The key of epoch 0 is the one pairing gave (the store's journal binding). The keys of later
//! epochs are kept in one sealed setting, `epoch_keys`: a JSON object naming the journal
//! (`journal_id`) and, under `keys`, each epoch's key in lowercase hex. A device that makes a key seals it to itself in the journal too, so a key whose
//! record was acknowledged is never lost, even if the device stops before keeping it here.

use std::collections::BTreeMap;

use hearth_crypto::exchange::{KeyFor, open_key, seal_key};
use hearth_crypto::{ExchangePublic, JournalKey};
use hearth_journal::{DeviceRef, EpochRecord, JournalId, UnixMs};
use hearth_store::{DocId, Store};

use crate::device::Device;
use crate::os::random;

/// The setting the keys of later epochs are kept in.
const SETTING: &str = "epoch_keys";

/// Why the stored keys could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EpochKeysError {
    /// The store could not read them.
    #[error("the journal's newer keys could not be read")]
    Read(#[source] hearth_store::ReadError),
    /// They are not in the form this version writes.
    #[error("the journal's newer keys are not in a form this version of Hearth reads")]
    Malformed,
}

/// What the setting holds: the journal the keys are of, and each key in lowercase hex.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    journal_id: String,
    keys: BTreeMap<u32, String>,
}

/// The keys of epochs after the first of `journal_id`, as kept in `store`. Keys kept for another
/// journal (one this device left to join another) are not this journal's.
pub(crate) fn load(
    store: &Store,
    journal_id: &JournalId,
) -> Result<BTreeMap<u32, JournalKey>, EpochKeysError> {
    let Some(bytes) = store.get_setting(SETTING).map_err(EpochKeysError::Read)? else {
        return Ok(BTreeMap::new());
    };
    let stored: Stored = serde_json::from_slice(&bytes).map_err(|_| EpochKeysError::Malformed)?;
    if stored.journal_id != journal_id.as_str() {
        return Ok(BTreeMap::new());
    }
    stored
        .keys
        .into_iter()
        .map(|(epoch, key)| {
            let key = data_encoding::HEXLOWER
                .decode(key.as_bytes())
                .ok()
                .and_then(|k| <[u8; 32]>::try_from(k).ok())
                .ok_or(EpochKeysError::Malformed)?;
            Ok((epoch, JournalKey::from_bytes(key)))
        })
        .collect()
}

/// Keeps `keys`, of `journal_id`, in `store`, replacing what was kept.
pub(crate) fn save(
    store: &Store,
    journal_id: &JournalId,
    keys: &BTreeMap<u32, JournalKey>,
) -> Result<(), hearth_store::WriteError> {
    let stored = Stored {
        journal_id: journal_id.as_str().to_owned(),
        keys: keys
            .iter()
            .map(|(epoch, key)| (*epoch, data_encoding::HEXLOWER.encode(key.expose())))
            .collect(),
    };
    let bytes = serde_json::to_vec(&stored).expect("a map of strings always serialises");
    store.put_setting(SETTING, &bytes)
}

impl Device {
    /// A device of the journal runs another version of Hearth: remembered until this device
    /// closes, for the status.
    pub(crate) fn note_version_mismatch(&mut self, device: crate::DeviceId, update_here: bool) {
        self.outdated.insert(device, update_here);
    }

    /// The newest epoch whose key this device holds.
    pub(crate) fn epoch(&self) -> u32 {
        self.epoch_keys.keys().next_back().copied().unwrap_or(0)
    }

    /// The key of `epoch`, if this device holds it.
    pub(crate) fn journal_key(&self, epoch: u32) -> Option<&JournalKey> {
        match epoch {
            0 => Some(&self.binding.key),
            later => self.epoch_keys.get(&later),
        }
    }

    /// Every key this device holds, by epoch.
    pub(crate) fn journal_keys(&self) -> BTreeMap<u32, JournalKey> {
        let mut keys = self.epoch_keys.clone();
        keys.insert(0, self.binding.key.clone());
        keys
    }

    fn key_for<'a>(&'a self, epoch: u32, device: &'a [u8; 32]) -> KeyFor<'a> {
        KeyFor {
            journal_id: self.binding.journal_id.as_str(),
            epoch,
            device,
        }
    }

    /// Looks after the journal's keys once the shared journal changed: takes each key sealed to
    /// this device; makes a new key if a removed device could still hold the newest; seals the
    /// newest key to each device of the journal that lacks it. A failure is logged: the next
    /// change tries again.
    pub(crate) fn tend_epochs(&mut self) {
        if self.broken || !self.shared.is_ready() || self.removed_by().is_some() {
            return;
        }
        let records = self.shared.epochs();
        self.take_keys(&records);
        let latest = records.last().map_or(0, |r| r.epoch);
        if self.epoch() != latest {
            // Not holding the newest key (yet): a device that does will look after it.
            return;
        }
        let devices = self.shared.devices();
        let removed: Vec<DeviceRef> = devices
            .values()
            .filter(|d| d.removed.is_some())
            .map(|d| d.id.clone())
            .collect();
        let left_out = records
            .last()
            .map(|r| r.removed.clone())
            .unwrap_or_default();
        if removed.iter().any(|d| !left_out.contains(d)) {
            if let Err(e) = self.rotate(latest + 1, removed) {
                tracing::warn!(error = %e, "could not make the journal's new key");
            }
            return;
        }
        let Some(newest) = records.last() else {
            return;
        };
        for record in devices.values() {
            let (Some(exchange), None) = (record.exchange, &record.removed) else {
                continue;
            };
            if newest.keys.contains_key(&record.id) {
                continue;
            }
            let Ok(device) = record.id.as_str().parse::<crate::DeviceId>() else {
                continue;
            };
            match self.seal_newest(newest.epoch, &device, &ExchangePublic::from_bytes(exchange)) {
                Ok(sealed) => {
                    let (epoch, id) = (newest.epoch, record.id.clone());
                    let added = self.apply(DocId::Shared, |journal| {
                        journal.add_epoch_key(epoch, &id, &sealed)
                    });
                    match added {
                        Ok(()) => tracing::info!(device = %device, epoch,
                            "sealed the journal's newest key to a device that lacked it"),
                        Err(e) => tracing::warn!(error = %e, "could not seal the key to a device"),
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not seal the key to a device"),
            }
        }
    }

    /// Takes the key of each epoch sealed to this device, replacing one that lost a conflict.
    fn take_keys(&mut self, records: &[EpochRecord]) {
        let me = self.id.as_writer();
        let mut keys = self.epoch_keys.clone();
        let mut secret = None;
        for record in records {
            let Some(sealed) = record.keys.get(&me) else {
                continue;
            };
            let secret = match &mut secret {
                Some(secret) => secret,
                None => match self.store.device_secret_key() {
                    Ok(s) => secret.insert(s),
                    Err(e) => {
                        tracing::warn!(error = %e, "could not read this device's secret");
                        return;
                    }
                },
            };
            let bytes = *self.id.as_bytes();
            match open_key(secret, sealed, &self.key_for(record.epoch, &bytes)) {
                Ok(key) => {
                    if keys.get(&record.epoch).map(JournalKey::expose) != Some(key.expose()) {
                        keys.insert(record.epoch, key);
                    }
                }
                Err(e) => tracing::warn!(epoch = record.epoch, error = %e,
                    "a key sealed to this device did not open"),
            }
        }
        let changed = keys.len() != self.epoch_keys.len()
            || keys
                .iter()
                .any(|(e, k)| self.epoch_keys.get(e).map(JournalKey::expose) != Some(k.expose()));
        if !changed {
            return;
        }
        if let Err(e) = save(&self.store, &self.binding.journal_id, &keys) {
            tracing::warn!(error = %e, "could not keep the journal's new key");
            return;
        }
        let epoch = keys.keys().next_back().copied().unwrap_or(0);
        tracing::info!(epoch, "this device holds the journal's key of a new epoch");
        self.epoch_keys = keys;
        self.publish();
        // Every device learns that this one holds the new key.
        self.note_own_record();
    }

    fn seal_newest(
        &self,
        epoch: u32,
        to: &crate::DeviceId,
        exchange: &ExchangePublic,
    ) -> Result<Vec<u8>, EpochError> {
        let key = self.journal_key(epoch).ok_or(EpochError::NoKey)?;
        let ephemeral = random().map_err(EpochError::Randomness)?;
        let bytes = *to.as_bytes();
        seal_key(exchange, key, &self.key_for(epoch, &bytes), ephemeral)
            .map(|sealed| sealed.to_vec())
            .map_err(EpochError::Seal)
    }

    /// Makes the key of `epoch`, sealed to every device of the journal but the `removed` ones,
    /// this one included, and records it.
    fn rotate(&mut self, epoch: u32, removed: Vec<DeviceRef>) -> Result<(), EpochError> {
        let key = JournalKey::from_bytes(random().map_err(EpochError::Randomness)?);
        let mut keys = BTreeMap::new();
        for record in self.shared.devices().values() {
            let (Some(exchange), None) = (record.exchange, &record.removed) else {
                continue;
            };
            let Ok(device) = record.id.as_str().parse::<crate::DeviceId>() else {
                continue;
            };
            let ephemeral = random().map_err(EpochError::Randomness)?;
            let bytes = *device.as_bytes();
            let sealed = seal_key(
                &ExchangePublic::from_bytes(exchange),
                &key,
                &self.key_for(epoch, &bytes),
                ephemeral,
            )
            .map_err(EpochError::Seal)?;
            keys.insert(record.id.clone(), sealed.to_vec());
        }
        let me = self.id.as_writer();
        if !keys.contains_key(&me) {
            // This device's own record has no exchange key yet: seal to it from here.
            let ephemeral = random().map_err(EpochError::Randomness)?;
            let bytes = *self.id.as_bytes();
            let sealed = seal_key(
                &self.exchange,
                &key,
                &self.key_for(epoch, &bytes),
                ephemeral,
            )
            .map_err(EpochError::Seal)?;
            keys.insert(me.clone(), sealed.to_vec());
        }
        let record = EpochRecord {
            epoch,
            by: me,
            at_ms: UnixMs::now(),
            removed,
            heads: self.shared.heads(),
            keys,
        };
        self.apply(DocId::Shared, |journal| journal.put_epoch(&record))
            .map_err(EpochError::Write)?;
        tracing::info!(epoch, "made the journal's key of a new epoch");
        // The key is taken back from the record, as any device takes its own.
        let records = self.shared.epochs();
        self.take_keys(&records);
        Ok(())
    }
}

/// Why a key could not be made or sealed.
#[derive(Debug, thiserror::Error)]
enum EpochError {
    #[error("this device does not hold the key")]
    NoKey,
    #[error("no randomness available")]
    Randomness(#[source] getrandom::Error),
    #[error("could not seal the key to a device")]
    Seal(#[source] hearth_crypto::exchange::SealKeyError),
    #[error("could not record the key in the journal")]
    Write(#[source] crate::WriteError),
}
