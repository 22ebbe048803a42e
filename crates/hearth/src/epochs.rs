//! The journal key's epochs on this device: the keys it holds, taking a new key sealed to it in
//! the journal, making one when a device is removed, and sealing the newest key to a device that
//! lacks it (docs/decisions/0008-key-epochs.md).
//!
//! The key of epoch 0 is the one pairing gave (the store's journal binding). The keys of later
//! epochs are kept in one sealed setting, `epoch_keys`: a JSON object naming the journal
//! (`journal_id`) and, under `keys`, each epoch's key in lowercase hex. A device that makes a key
//! seals it to itself in the journal too, so a key whose record was acknowledged is never lost,
//! even if the device stops before keeping it here.

use std::collections::BTreeMap;

use hearth_crypto::exchange::{KeyFor, seal_key};
use hearth_crypto::{ExchangePublic, JournalKey};
use hearth_journal::{DeviceRef, EpochDuty, EpochRecord, JournalId, UnixMs};
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
            let key = crate::answer_keys::key_from_hex(&key).ok_or(EpochKeysError::Malformed)?;
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

    /// Looks after the journal's keys once the shared journal changed: takes each key sealed to
    /// this device; makes a new key if a removed device could still hold the newest; seals the
    /// newest key to each device of the journal that lacks it. A failure is logged: the next
    /// change tries again.
    pub(crate) fn tend_epochs(&mut self) {
        if self.broken || !self.shared.is_ready() || self.removed_by().is_some() {
            return;
        }
        self.take_keys();
        match self.shared.epoch_duty(self.epoch()) {
            EpochDuty::Nothing => {}
            EpochDuty::Rotate { epoch, removed, to } => {
                if let Err(e) = self.rotate(epoch, removed, &to) {
                    tracing::warn!(error = %e, "could not make the journal's new key");
                }
            }
            EpochDuty::Seal { epoch, to } => {
                for (id, exchange) in to {
                    let sealed = match self.seal(epoch, &id, exchange) {
                        Ok(sealed) => sealed,
                        Err(e) => {
                            tracing::warn!(error = %e, "could not seal the key to a device");
                            continue;
                        }
                    };
                    let added = self.apply(DocId::Shared, |journal| {
                        journal.add_epoch_key(epoch, &id, &sealed)
                    });
                    match added {
                        Ok(()) => tracing::info!(device = %id, epoch,
                            "sealed the journal's newest key to a device that lacked it"),
                        Err(e) => tracing::warn!(error = %e, "could not seal the key to a device"),
                    }
                }
            }
        }
    }

    /// Takes the key of each epoch sealed to this device, replacing one that lost a conflict.
    fn take_keys(&mut self) {
        if self.shared.latest_epoch() == 0 && self.epoch_keys.is_empty() {
            return;
        }
        // Exactly the keys the records in view seal to this device: a key this device made for an
        // epoch whose record lost to another's is dropped, and the one in view taken once a
        // device that holds it seals it here.
        let mut keys = BTreeMap::new();
        let secret = match self.store.device_secret_key() {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "could not read this device's secret");
                return;
            }
        };
        let opened = self.shared.keys_sealed_to(
            self.binding.journal_id.as_str(),
            self.id.as_bytes(),
            &secret,
        );
        for (epoch, key) in opened {
            match key {
                Ok(key) => {
                    keys.insert(epoch, key);
                }
                Err(e) => tracing::warn!(epoch, error = %e,
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

    /// `epoch`'s key (held here) sealed to the device `to`, whose exchange key is `exchange`.
    fn seal(&self, epoch: u32, to: &DeviceRef, exchange: [u8; 32]) -> Result<Vec<u8>, EpochError> {
        let key = self.journal_key(epoch).ok_or(EpochError::NoKey)?;
        seal_to(&self.binding.journal_id, key, epoch, to, exchange)
    }

    /// Makes the key of `epoch`, sealed to each of `to` and to this device, leaving out the
    /// `removed` devices, and records it.
    fn rotate(
        &mut self,
        epoch: u32,
        removed: Vec<DeviceRef>,
        to: &[(DeviceRef, [u8; 32])],
    ) -> Result<(), EpochError> {
        let key = JournalKey::from_bytes(random().map_err(EpochError::Randomness)?);
        let me = self.id.as_writer();
        let mut keys = BTreeMap::new();
        // This device's own record may have no exchange key yet: it seals to itself from here.
        let myself = (me.clone(), *self.exchange.as_bytes());
        for (id, exchange) in to.iter().chain(std::iter::once(&myself)) {
            if !keys.contains_key(id) {
                let sealed = seal_to(&self.binding.journal_id, &key, epoch, id, *exchange)?;
                keys.insert(id.clone(), sealed);
            }
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
        self.take_keys();
        Ok(())
    }
}

/// `key`, the key of `epoch` of `journal_id`, sealed to the device `to` with exchange key
/// `exchange`.
fn seal_to(
    journal_id: &JournalId,
    key: &JournalKey,
    epoch: u32,
    to: &DeviceRef,
    exchange: [u8; 32],
) -> Result<Vec<u8>, EpochError> {
    let device: crate::DeviceId = to.as_str().parse().map_err(|_| EpochError::NotADevice)?;
    let ephemeral = random().map_err(EpochError::Randomness)?;
    let to = KeyFor {
        journal_id: journal_id.as_str(),
        epoch,
        device: device.as_bytes(),
    };
    seal_key(&ExchangePublic::from_bytes(exchange), key, &to, ephemeral)
        .map(|sealed| sealed.to_vec())
        .map_err(EpochError::Seal)
}

/// Why a key could not be made or sealed.
#[derive(Debug, thiserror::Error)]
enum EpochError {
    #[error("this device does not hold the key")]
    NoKey,
    #[error("the record names no device")]
    NotADevice,
    #[error("no randomness available")]
    Randomness(#[source] getrandom::Error),
    #[error("could not seal the key to a device")]
    Seal(#[source] hearth_crypto::exchange::SealKeyError),
    #[error("could not record the key in the journal")]
    Write(#[source] crate::WriteError),
}
