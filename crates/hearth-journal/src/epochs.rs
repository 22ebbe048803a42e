//! The journal key's epochs: each removal of a device makes a new key, sealed in the journal to
//! every device that stays (docs/decisions/0008-key-epochs.md).
//!
//! ```text
//! epochs: map      epoch (decimal, from 1; epoch 0 is the key given at pairing) → {
//!                    by: str        the device that made the key (64 hex digits)
//!                    at_ms: int     when
//!                    removed: str   every device removed from the journal by then, which the
//!                                   key leaves out: hex ids, spaces between
//!                    heads: str     the journal's heads then: hex change hashes, spaces between
//!                    keys: map      device (hex) → bytes: the key sealed to that device alone
//!                                   (hearth_crypto::exchange, 80 bytes)
//!                  }
//! ```
//!
//! Two devices may make the key of the same epoch at once; Automerge keeps one record in view
//! and every device takes that one, so all end on the same key. A device that holds the key adds
//! it, sealed, for a device the record lacks.
//!
//! An entry or a comment that a removed device began after its removal — one its removal's recorded
//! heads do not hold — is not read: a removed device is turned away everywhere, but one that had not yet heard
//! of the removal may have passed such an entry on ([`Journal::scan`] leaves it out).
//!
//! Nothing here is trusted for its size: a record read back names at most [`MAX_EPOCH_DEVICES`]
//! devices and [`MAX_EPOCH_HEADS`] heads, and a sealed key of any length but
//! [`SEALED_KEY_LEN`] is not read.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{ChangeHash, ObjType, ROOT, ReadDoc, ScalarValue, Value};

use hearth_crypto::exchange::{KeyFor, OpenKeyError, open_key};

use crate::devices::ACTOR_DEVICE_BYTES;
use crate::journal::WriteError;
use crate::schema::map_at;
use crate::{DeviceRef, Journal, UnixMs};

const EPOCHS: &str = "epochs";
const BY: &str = "by";
const AT_MS: &str = "at_ms";
const REMOVED: &str = "removed";
const HEADS: &str = "heads";
const KEYS: &str = "keys";

/// The length of a key sealed to one device.
pub const SEALED_KEY_LEN: usize = 80;
/// The most devices an epoch's record names, in its keys or its removals.
pub const MAX_EPOCH_DEVICES: usize = 256;
/// The most heads an epoch's record keeps.
pub const MAX_EPOCH_HEADS: usize = 64;
/// The highest epoch read: far above what removals can make in a lifetime, far below overflow.
pub const MAX_EPOCH: u32 = 1 << 20;

/// The record of one epoch's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpochRecord {
    /// The epoch (1 and up).
    pub epoch: u32,
    /// The device that made the key.
    pub by: DeviceRef,
    /// When.
    pub at_ms: UnixMs,
    /// Every device removed from the journal by then: the key is sealed to none of them.
    pub removed: Vec<DeviceRef>,
    /// The journal's heads when the key was made.
    pub heads: Vec<ChangeHash>,
    /// The key, sealed to each device that received it.
    pub keys: BTreeMap<DeviceRef, Vec<u8>>,
}

fn is_device_id(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn device_list(text: &str) -> Vec<DeviceRef> {
    text.split_whitespace()
        .filter(|d| is_device_id(d))
        .take(MAX_EPOCH_DEVICES)
        .map(|d| DeviceRef::new(d.to_ascii_lowercase()))
        .collect()
}

fn str_at(doc: &automerge::AutoCommit, obj: &automerge::ObjId, key: &str) -> String {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            // The longest list a record holds, with room to spare; a longer one is not read.
            ScalarValue::Str(s) if s.len() <= MAX_EPOCH_DEVICES * 65 => s.to_string(),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

impl Journal {
    /// The record of each epoch after the first, in order, as Automerge shows them.
    pub fn epochs(&self) -> Vec<EpochRecord> {
        let doc = self.automerge();
        let Some(epochs) = map_at(doc, &ROOT, EPOCHS) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for key in doc.keys(&epochs) {
            let Some(epoch) = key
                .parse::<u32>()
                .ok()
                .filter(|e| (1..=MAX_EPOCH).contains(e))
            else {
                continue;
            };
            let Some(obj) = map_at(doc, &epochs, &key) else {
                continue;
            };
            let by = str_at(doc, &obj, BY);
            if !is_device_id(&by) {
                continue;
            }
            let at_ms = match doc.get(&obj, AT_MS) {
                Ok(Some((Value::Scalar(s), _))) => s.as_i64().map(UnixMs::from_millis),
                _ => None,
            }
            .unwrap_or(UnixMs::EPOCH);
            let heads = str_at(doc, &obj, HEADS)
                .split_whitespace()
                .take(MAX_EPOCH_HEADS)
                .filter_map(|h| h.parse::<ChangeHash>().ok())
                .collect();
            let mut keys = BTreeMap::new();
            if let Some(sealed) = map_at(doc, &obj, KEYS) {
                for device in doc.keys(&sealed).take(MAX_EPOCH_DEVICES) {
                    if !is_device_id(&device) {
                        continue;
                    }
                    if let Ok(Some((Value::Scalar(s), _))) = doc.get(&sealed, &device)
                        && let ScalarValue::Bytes(b) = s.as_ref()
                        && b.len() == SEALED_KEY_LEN
                    {
                        keys.insert(DeviceRef::new(device.to_ascii_lowercase()), b.clone());
                    }
                }
            }
            out.push(EpochRecord {
                epoch,
                by: DeviceRef::new(by.to_ascii_lowercase()),
                at_ms,
                removed: device_list(&str_at(doc, &obj, REMOVED)),
                heads,
                keys,
            });
        }
        out.sort_by_key(|r| r.epoch);
        out
    }

    /// The journal's heads: the changes nothing here builds on yet.
    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.automerge_mut().get_heads()
    }

    /// The newest epoch the journal has a record of (0 before any).
    pub fn latest_epoch(&self) -> u32 {
        self.epochs().last().map_or(0, |r| r.epoch)
    }

    /// Writes the record of a new epoch's key.
    pub fn put_epoch(&mut self, record: &EpochRecord) -> Result<(), WriteError> {
        if !self.is_ready() {
            return Err(WriteError::NotReady);
        }
        let doc = self.automerge_mut();
        let epochs = match map_at(doc, &ROOT, EPOCHS) {
            Some(obj) => obj,
            None => doc.put_object(ROOT, EPOCHS, ObjType::Map)?,
        };
        let obj = doc.put_object(&epochs, record.epoch.to_string(), ObjType::Map)?;
        doc.put(&obj, BY, record.by.as_str())?;
        doc.put(&obj, AT_MS, record.at_ms.as_millis())?;
        let removed: Vec<&str> = record.removed.iter().map(DeviceRef::as_str).collect();
        doc.put(&obj, REMOVED, removed.join(" "))?;
        let heads: Vec<String> = record.heads.iter().map(ChangeHash::to_string).collect();
        doc.put(&obj, HEADS, heads.join(" "))?;
        let keys = doc.put_object(&obj, KEYS, ObjType::Map)?;
        for (device, sealed) in &record.keys {
            doc.put(&keys, device.as_str(), ScalarValue::Bytes(sealed.clone()))?;
        }
        Ok(())
    }

    /// Adds `epoch`'s key sealed to `device` into the record Automerge shows, for a device the
    /// record lacks. Changes nothing if the record already holds a key for it.
    pub fn add_epoch_key(
        &mut self,
        epoch: u32,
        device: &DeviceRef,
        sealed: &[u8],
    ) -> Result<(), WriteError> {
        let doc = self.automerge_mut();
        let obj = map_at(doc, &ROOT, EPOCHS)
            .and_then(|epochs| map_at(doc, &epochs, &epoch.to_string()))
            .ok_or(WriteError::NotReady)?;
        let keys = match map_at(doc, &obj, KEYS) {
            Some(keys) => keys,
            None => doc.put_object(&obj, KEYS, ObjType::Map)?,
        };
        if doc.get(&keys, device.as_str()).ok().flatten().is_none() {
            doc.put(&keys, device.as_str(), ScalarValue::Bytes(sealed.to_vec()))?;
        }
        Ok(())
    }
}

/// What a device holding the journal's keys up to some epoch should do about them now
/// ([`Journal::epoch_duty`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EpochDuty {
    /// Nothing: the newest key leaves out every removed device and reaches every other one, or
    /// this device does not hold the newest key (a device that does looks after it).
    Nothing,
    /// A removed device could still hold the newest key: make the key of `epoch`, leaving out
    /// `removed`, sealed to each of `to` (every device of the journal that stays and has an
    /// exchange key).
    Rotate {
        /// The new epoch.
        epoch: u32,
        /// Every device removed from the journal.
        removed: Vec<DeviceRef>,
        /// Who gets the key, with their exchange keys.
        to: Vec<(DeviceRef, [u8; 32])>,
    },
    /// Seal the newest key (of `epoch`) to each of `to`, devices that stay and that its record
    /// lacks.
    Seal {
        /// The newest epoch.
        epoch: u32,
        /// Who lacks the key, with their exchange keys.
        to: Vec<(DeviceRef, [u8; 32])>,
    },
}

impl Journal {
    /// What a device holding keys up to `held` should do about the journal key now: the rule
    /// every device follows, so that the devices end on one key no removed device was given
    /// (docs/decisions/0008-key-epochs.md).
    pub fn epoch_duty(&self, held: u32) -> EpochDuty {
        let records = self.epochs();
        let newest = records.last();
        let devices = crate::devices::read_devices(self.automerge());
        let judged = crate::devices::judge_removals(&devices);
        let removed: Vec<DeviceRef> = judged.iter().cloned().collect();
        let staying: Vec<(DeviceRef, [u8; 32])> = devices
            .values()
            .filter(|d| !judged.contains(&d.id))
            .filter_map(|d| Some((d.id.clone(), d.exchange?)))
            .collect();
        // A key sealed to no device that stays (one a removed device made for itself) is no
        // one's: any device that stays makes the next.
        let orphaned = newest.is_some_and(|r| r.keys.keys().all(|d| judged.contains(d)));
        if orphaned {
            return EpochDuty::Rotate {
                epoch: newest.map_or(0, |r| r.epoch) + 1,
                removed,
                to: staying,
            };
        }
        if held != newest.map_or(0, |r| r.epoch) {
            return EpochDuty::Nothing;
        }
        let left_out = newest.map(|r| r.removed.as_slice()).unwrap_or_default();
        // A device the newest key left out is never given it, not even once brought back: the
        // record would go on saying it leaves that device out, and removing the device again
        // would then make no new key. A device brought back gets a new key instead.
        let brought_back = staying.iter().any(|(d, _)| left_out.contains(d));
        if brought_back || removed.iter().any(|d| !left_out.contains(d)) {
            return EpochDuty::Rotate {
                epoch: held + 1,
                removed,
                to: staying,
            };
        }
        let Some(newest) = newest else {
            return EpochDuty::Nothing;
        };
        let to: Vec<_> = staying
            .into_iter()
            .filter(|(d, _)| !newest.keys.contains_key(d))
            .collect();
        if to.is_empty() {
            EpochDuty::Nothing
        } else {
            EpochDuty::Seal {
                epoch: newest.epoch,
                to,
            }
        }
    }
}

impl Journal {
    /// Each epoch's key sealed to `device` (its endpoint id) in the records, opened with its
    /// `secret`, as keys of the journal `journal_id`; a sealed key that does not open (altered,
    /// or not for this device) comes back as its error.
    pub fn keys_sealed_to(
        &self,
        journal_id: &str,
        device: &[u8; 32],
        secret: &hearth_crypto::DeviceSecret,
    ) -> Vec<(u32, Result<hearth_crypto::JournalKey, OpenKeyError>)> {
        let me = DeviceRef::new(data_encoding::HEXLOWER.encode(device));
        self.epochs()
            .into_iter()
            .filter_map(|record| {
                let sealed = record.keys.get(&me)?;
                let to = KeyFor {
                    journal_id,
                    epoch: record.epoch,
                    device,
                };
                Some((record.epoch, open_key(secret, sealed, &to)))
            })
            .collect()
    }
}

/// Each removed device's actor prefix, with the journal's heads when the first key that left it
/// out was made.
pub(crate) type RemovalHeads = Vec<([u8; ACTOR_DEVICE_BYTES], Vec<ChangeHash>)>;

/// The heads each removed device's removal recorded, from the epoch records: the first record
/// that left it out.
pub(crate) fn removal_heads(journal: &Journal) -> RemovalHeads {
    let mut out: RemovalHeads = Vec::new();
    let records = journal.epochs();
    if records.is_empty() {
        return out;
    }
    // Only devices removed as the removals are judged now: one brought back writes again.
    let judged = journal.removed_devices();
    for record in records {
        for device in record.removed.iter().filter(|d| judged.contains(*d)) {
            let Some(prefix) = device_prefix(device) else {
                continue;
            };
            if record.heads.is_empty() || out.iter().any(|(p, _)| *p == prefix) {
                continue;
            }
            out.push((prefix, record.heads.clone()));
        }
    }
    out
}

fn device_prefix(device: &DeviceRef) -> Option<[u8; ACTOR_DEVICE_BYTES]> {
    let bytes = data_encoding::HEXLOWER_PERMISSIVE
        .decode(device.as_str().as_bytes())
        .ok()?;
    bytes.get(..ACTOR_DEVICE_BYTES)?.try_into().ok()
}

/// Whether the entry at `key` of `entries` was begun by a removed device after its removal: by
/// an actor of that device, and not in the journal as its removal's heads hold it.
pub(crate) fn written_after_removal(
    doc: &automerge::AutoCommit,
    entries: &automerge::ObjId,
    key: &str,
    removals: &RemovalHeads,
) -> bool {
    if removals.is_empty() {
        return false;
    }
    let Ok(Some((Value::Object(_), automerge::ObjId::Id(_, actor, _)))) = doc.get(entries, key)
    else {
        return false;
    };
    let Some(prefix) = actor.to_bytes().get(..ACTOR_DEVICE_BYTES) else {
        return false;
    };
    removals.iter().any(|(removed, heads)| {
        removed.as_slice() == prefix && !matches!(doc.get_at(entries, key, heads), Ok(Some(_)))
    })
}

/// Leaves out of `entry` the comments a removed device began after its removal.
pub(crate) fn drop_late_comments(
    doc: &automerge::AutoCommit,
    entries: &automerge::ObjId,
    entry: &mut crate::Entry,
    removals: &RemovalHeads,
) {
    if removals.is_empty() || entry.comments.is_empty() {
        return;
    }
    let Some(comments) = map_at(doc, entries, entry.id.as_str())
        .and_then(|e| map_at(doc, &e, crate::schema::COMMENTS))
    else {
        return;
    };
    entry
        .comments
        .retain(|c| !written_after_removal(doc, &comments, c.id.as_str(), removals));
}
