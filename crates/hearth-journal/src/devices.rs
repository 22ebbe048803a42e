//! The journal's devices: which devices hold it, whose each one is, and how to reach it.
//!
//! Every device of a journal has a record in the shared document, so that every device learns of
//! every other by sync alone and all agree on the list (docs/decisions/0007-devices-in-the-journal.md).
//! A record belongs to one member, or to the home: a device that keeps the journal for both
//! people and writes nothing of its own.
//!
//! ```text
//! devices: map      device (64 hex digits of its endpoint id) → {
//!                     member: str      the owner's member id; "" for a home device
//!                     name: str        the device's own name ("Sam's laptop")
//!                     exchange: bytes  its public X25519 exchange key (32 bytes)
//!                     added_ms: int    when it joined the journal
//!                     addrs: str       where it was last reachable: socket addresses, spaces between
//!                     relay: str       its home relay's URL, "" for none
//!                     epoch: int       the newest epoch whose journal key it holds (absent: 0)
//!                     reads: int       what its Hearth reads of the journal (absent: 1; see
//!                                      [`READS`])
//!                     removed: map     once removed: { at_ms: int, by: str (the device that
//!                                      removed it), undone: map (once a device undid it:
//!                                      { at_ms: int, by: str }) }
//!                   }
//! ```
//!
//! Journals made before devices had records gain the map on the first record written. Two devices
//! may create it at once; a reader takes the records of every copy Automerge kept, so no record is
//! lost to the conflict, and writers write into the copy Automerge shows.

use std::collections::{BTreeMap, BTreeSet};

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};

use crate::journal::WriteError;
use crate::schema::{map_at, str_at};
use crate::{DeviceRef, Journal, MemberId, UnixMs};

pub(crate) const DEVICES: &str = "devices";
const MEMBER: &str = "member";
const NAME: &str = "name";
const EXCHANGE: &str = "exchange";
const ADDED_MS: &str = "added_ms";
const ADDRS: &str = "addrs";
const RELAY: &str = "relay";
const EPOCH: &str = "epoch";
const REMOVED: &str = "removed";
const AT_MS: &str = "at_ms";
const BY: &str = "by";
const UNDONE: &str = "undone";
const READS_KEY: &str = "reads";

/// What this version of Hearth reads of the journal, as each device says in its record: 1 for
/// the first version (whose records do not say), 2 for evening debriefs, letters for later and
/// rituals set together. A device that reads less than what its partner writes is told to update
/// on the other devices ([`Journal::devices_reading_less`]).
pub const READS: u32 = 2;

/// The most characters of a device's name, as of a person's.
pub const MAX_DEVICE_NAME_CHARS: usize = 64;
/// The most addresses a record keeps.
pub const MAX_DEVICE_ADDRS: usize = 16;
/// The most bytes of a record's addresses or relay text read; a longer value is not Hearth's.
const MAX_ADDR_TEXT: usize = 2048;

/// Whose a device is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// One of the two people.
    Member(MemberId),
    /// The home: a device that keeps the journal for both and writes nothing of its own.
    Home,
}

/// A device of the journal, as its record says.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DeviceRecord {
    /// The device (its endpoint id in hex).
    pub id: DeviceRef,
    /// Whose it is.
    pub owner: Owner,
    /// Its name.
    pub name: String,
    /// Its public exchange key, if its record has one (32 bytes).
    pub exchange: Option<[u8; 32]>,
    /// When it joined.
    pub added_ms: UnixMs,
    /// Where it was last reachable (socket addresses as text), at most [`MAX_DEVICE_ADDRS`].
    pub addrs: Vec<String>,
    /// Its home relay's URL.
    pub relay: Option<String>,
    /// The newest epoch whose journal key it holds, as it said last.
    pub epoch: u32,
    /// Its removal from the journal, once removed.
    pub removed: Option<Removal>,
}

/// A device's removal from the journal.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Removal {
    /// When.
    pub at_ms: UnixMs,
    /// The device that removed it.
    pub by: DeviceRef,
    /// Whether a device undid it, and which, when (it counts only as [`judge_removals`] says).
    pub undone: Option<Undoing>,
}

/// The undoing of a removal made by a device that was itself removed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Undoing {
    /// When.
    pub at_ms: UnixMs,
    /// The device that undid it.
    pub by: DeviceRef,
}

/// The first bytes of an actor id that name the device whose replica made the change.
pub const ACTOR_DEVICE_BYTES: usize = 8;

/// The actor id for a replica opened on `device` (its 32-byte endpoint id): the device's first
/// [`ACTOR_DEVICE_BYTES`] bytes, then `fresh` random bytes, new on every open, so that a replica
/// restored from an old copy never repeats a sequence number its earlier self used.
pub fn device_actor(device: &[u8; 32], fresh: [u8; 8]) -> [u8; 16] {
    let mut actor = [0u8; 16];
    actor[..ACTOR_DEVICE_BYTES].copy_from_slice(&device[..ACTOR_DEVICE_BYTES]);
    actor[ACTOR_DEVICE_BYTES..].copy_from_slice(&fresh);
    actor
}

fn read_record(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<DeviceRecord> {
    let valid_id = key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit());
    if !valid_id {
        return None;
    }
    let member = str_at(doc, obj, MEMBER)?;
    let owner = if member.is_empty() {
        Owner::Home
    } else {
        Owner::Member(MemberId::new(member))
    };
    let name: String = str_at(doc, obj, NAME)?
        .chars()
        .take(MAX_DEVICE_NAME_CHARS)
        .collect();
    let exchange = match doc.get(obj, EXCHANGE) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            ScalarValue::Bytes(b) => <[u8; 32]>::try_from(b.as_slice()).ok(),
            _ => None,
        },
        _ => None,
    };
    let added_ms = match doc.get(obj, ADDED_MS) {
        Ok(Some((Value::Scalar(s), _))) => s.as_i64().map(UnixMs::from_millis),
        _ => None,
    }
    .unwrap_or(UnixMs::EPOCH);
    let text = |k| str_at(doc, obj, k).filter(|t| t.len() <= MAX_ADDR_TEXT);
    let addrs = text(ADDRS)
        .map(|a| {
            a.split_whitespace()
                .take(MAX_DEVICE_ADDRS)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let relay = text(RELAY).filter(|r| !r.is_empty());
    let epoch = match doc.get(obj, EPOCH) {
        Ok(Some((Value::Scalar(s), _))) => s.as_u64().and_then(|e| u32::try_from(e).ok()),
        _ => None,
    }
    .unwrap_or(0);
    let when = |m: &ObjId| {
        match doc.get(m, AT_MS) {
            Ok(Some((Value::Scalar(s), _))) => s.as_i64().map(UnixMs::from_millis),
            _ => None,
        }
        .unwrap_or(UnixMs::EPOCH)
    };
    let removed = map_at(doc, obj, REMOVED).map(|r| Removal {
        at_ms: when(&r),
        by: DeviceRef::new(str_at(doc, &r, BY).unwrap_or_default()),
        undone: map_at(doc, &r, UNDONE).map(|u| Undoing {
            at_ms: when(&u),
            by: DeviceRef::new(str_at(doc, &u, BY).unwrap_or_default()),
        }),
    });
    Some(DeviceRecord {
        id: DeviceRef::new(key.to_ascii_lowercase()),
        owner,
        name,
        exchange,
        added_ms,
        addrs,
        relay,
        epoch,
        removed,
    })
}

/// Every record of every copy of the devices map; where copies disagree, the copy Automerge
/// shows wins.
pub(crate) fn read_devices(doc: &AutoCommit) -> BTreeMap<DeviceRef, DeviceRecord> {
    let mut devices: BTreeMap<DeviceRef, DeviceRecord> = BTreeMap::new();
    let winner = map_at(doc, &ROOT, DEVICES);
    let mut copies: Vec<ObjId> = doc
        .get_all(ROOT, DEVICES)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(v, id)| matches!(v, Value::Object(ObjType::Map)).then_some(id))
        .filter(|id| Some(id) != winner.as_ref())
        .collect();
    // The copy Automerge shows is read last, so that its records win.
    copies.extend(winner);
    for copy in &copies {
        for key in doc.keys(copy) {
            if let Some(obj) = map_at(doc, copy, &key)
                && let Some(mut record) = read_record(doc, &obj, &key)
            {
                // A removal in any copy holds.
                if let Some(earlier) = devices.get(&record.id) {
                    record.removed = record.removed.or_else(|| earlier.removed.clone());
                }
                devices.insert(record.id.clone(), record);
            }
        }
    }
    devices
}

impl Journal {
    /// Every device of the journal that has a record, by id.
    pub fn devices(&self) -> BTreeMap<DeviceRef, DeviceRecord> {
        read_devices(self.automerge())
    }

    /// Writes a device's record, adding it or changing what differs. A field the record already
    /// holds with the same value is left alone, so a device that says what it said before
    /// changes nothing. Its `removed` is not written: see [`Journal::remove_device`].
    pub fn put_device(&mut self, record: &DeviceRecord) -> Result<(), WriteError> {
        if !self.is_ready() {
            return Err(WriteError::NotReady);
        }
        let held = self.devices().remove(&record.id);
        // Written where readers look first: a record only in a copy that lost a conflict is
        // written again into the copy Automerge shows.
        let in_winner = map_at(self.automerge(), &ROOT, DEVICES)
            .is_some_and(|d| map_at(self.automerge(), &d, record.id.as_str()).is_some());
        let same = held.as_ref().map(|h| DeviceRecord {
            removed: record.removed.clone(),
            ..h.clone()
        }) == Some(record.clone());
        if in_winner && same {
            return Ok(());
        }
        if in_winner && held.is_some_and(|h| h.removed.is_some()) {
            // A removed device stays removed, and its record as it was.
            return Ok(());
        }
        let doc = self.automerge_mut();
        let devices = match map_at(doc, &ROOT, DEVICES) {
            Some(obj) => obj,
            None => doc.put_object(ROOT, DEVICES, ObjType::Map)?,
        };
        let key = record.id.as_str();
        let obj = match map_at(doc, &devices, key) {
            Some(obj) => obj,
            None => doc.put_object(&devices, key, ObjType::Map)?,
        };
        let member = match &record.owner {
            Owner::Member(id) => id.as_str().to_owned(),
            Owner::Home => String::new(),
        };
        let name: String = record.name.chars().take(MAX_DEVICE_NAME_CHARS).collect();
        let addrs = record
            .addrs
            .iter()
            .take(MAX_DEVICE_ADDRS)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        let relay = record.relay.clone().unwrap_or_default();
        put_str(doc, &obj, MEMBER, &member)?;
        put_str(doc, &obj, NAME, &name)?;
        if let Some(exchange) = record.exchange {
            let same = matches!(doc.get(&obj, EXCHANGE), Ok(Some((Value::Scalar(s), _)))
                if matches!(s.as_ref(), ScalarValue::Bytes(b) if b.as_slice() == exchange));
            if !same {
                doc.put(&obj, EXCHANGE, ScalarValue::Bytes(exchange.to_vec()))?;
            }
        }
        if doc.get(&obj, ADDED_MS).ok().flatten().is_none() {
            doc.put(&obj, ADDED_MS, record.added_ms.as_millis())?;
        }
        put_str(doc, &obj, ADDRS, &addrs)?;
        put_str(doc, &obj, RELAY, &relay)?;
        let held_epoch = match doc.get(&obj, EPOCH) {
            Ok(Some((Value::Scalar(s), _))) => s.as_u64(),
            _ => None,
        };
        // A device's epoch only grows.
        if record.epoch > 0 && held_epoch.is_none_or(|e| e < u64::from(record.epoch)) {
            doc.put(&obj, EPOCH, u64::from(record.epoch))?;
        }
        Ok(())
    }
}

impl Journal {
    /// What `device`'s Hearth reads of the journal, as its record says: 1 when it does not say
    /// (the first version's records do not).
    pub fn device_reads(&self, device: &DeviceRef) -> u32 {
        let doc = self.automerge();
        map_at(doc, &ROOT, DEVICES)
            .and_then(|all| map_at(doc, &all, device.as_str()))
            .and_then(|obj| match doc.get(&obj, READS_KEY) {
                Ok(Some((Value::Scalar(s), _))) => s.as_u64(),
                _ => None,
            })
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(1)
    }

    /// Says in `device`'s record that its Hearth reads the journal up to `reads`. The number
    /// only grows; a device without a record is left alone (its record comes first).
    pub fn note_reads(&mut self, device: &DeviceRef, reads: u32) -> Result<(), WriteError> {
        if self.device_reads(device) >= reads {
            return Ok(());
        }
        let doc = self.automerge_mut();
        let Some(obj) =
            map_at(doc, &ROOT, DEVICES).and_then(|all| map_at(doc, &all, device.as_str()))
        else {
            return Ok(());
        };
        doc.put(&obj, READS_KEY, u64::from(reads))?;
        Ok(())
    }

    /// The devices of the journal, not removed, whose Hearth reads less than this one: they do
    /// not show what this version writes that theirs does not know.
    pub fn devices_reading_less(&self) -> Vec<DeviceRecord> {
        self.devices_reading(|reads| reads < READS)
    }

    /// The devices of the journal, not removed, whose Hearth reads more than this one: what they
    /// write may not show here until this one is updated.
    pub fn devices_reading_more(&self) -> Vec<DeviceRecord> {
        self.devices_reading(|reads| reads > READS)
    }

    fn devices_reading(&self, which: impl Fn(u32) -> bool) -> Vec<DeviceRecord> {
        let removed = self.removed_devices();
        self.devices()
            .into_values()
            .filter(|r| !removed.contains(&r.id) && which(self.device_reads(&r.id)))
            .collect()
    }

    /// Removes a device from the journal, as `by` at `at_ms`: every device stops syncing with
    /// it. A device without a record gets one, as `record` says. Removing a removed device
    /// changes nothing.
    pub fn remove_device(
        &mut self,
        record: &DeviceRecord,
        by: &DeviceRef,
        at_ms: UnixMs,
    ) -> Result<(), WriteError> {
        let held = self.devices().remove(&record.id);
        if held.as_ref().is_some_and(|h| h.removed.is_some()) {
            return Ok(());
        }
        self.put_device(held.as_ref().unwrap_or(record))?;
        let doc = self.automerge_mut();
        let devices = map_at(doc, &ROOT, DEVICES).ok_or(WriteError::NotReady)?;
        let obj = map_at(doc, &devices, record.id.as_str()).ok_or(WriteError::NotReady)?;
        let removed = doc.put_object(&obj, REMOVED, ObjType::Map)?;
        doc.put(&removed, AT_MS, at_ms.as_millis())?;
        doc.put(&removed, BY, by.as_str())?;
        Ok(())
    }
}

fn put_str(doc: &mut AutoCommit, obj: &ObjId, key: &str, value: &str) -> Result<(), WriteError> {
    if str_at(doc, obj, key).as_deref() != Some(value) {
        doc.put(obj, key, value)?;
    }
    Ok(())
}

impl Journal {
    /// Undoes the removal of `device`, as `by` at `at_ms`: it counts if `by` stays in the journal
    /// and the device that made the removal does not ([`judge_removals`]). Undoing a removal that
    /// is not there, or undone already, changes nothing.
    pub fn undo_removal(
        &mut self,
        device: &DeviceRef,
        by: &DeviceRef,
        at_ms: UnixMs,
    ) -> Result<(), WriteError> {
        let held = self.devices().remove(device);
        if held
            .as_ref()
            .and_then(|h| h.removed.as_ref())
            .is_none_or(|r| r.undone.is_some())
        {
            return Ok(());
        }
        let doc = self.automerge_mut();
        let removal = map_at(doc, &ROOT, DEVICES)
            .and_then(|d| map_at(doc, &d, device.as_str()))
            .and_then(|r| map_at(doc, &r, REMOVED))
            .ok_or(WriteError::NotReady)?;
        let undone = doc.put_object(&removal, UNDONE, ObjType::Map)?;
        doc.put(&undone, AT_MS, at_ms.as_millis())?;
        doc.put(&undone, BY, by.as_str())?;
        Ok(())
    }

    /// The devices removed from the journal, as judged from every removal it holds
    /// ([`judge_removals`]).
    pub fn removed_devices(&self) -> BTreeSet<DeviceRef> {
        judge_removals(&self.devices())
    }
}

/// Which devices are removed, judged from the removals the records hold, the same on every
/// device (docs/decisions/0007-devices-in-the-journal.md):
///
/// - Where two devices removed each other, the one that removed more devices loses: none of its
///   removals counts. A tie leaves both removed. (A stolen device that cuts off the couple's
///   devices is outnumbered by the one removal that answers it.)
/// - An undone removal does not count if the device that undid it is not removed and the one
///   that made it is.
///
/// Applied until nothing changes.
pub fn judge_removals(records: &BTreeMap<DeviceRef, DeviceRecord>) -> BTreeSet<DeviceRef> {
    let removals: Vec<(&DeviceRef, &Removal)> = records
        .iter()
        .filter_map(|(id, r)| Some((id, r.removed.as_ref()?)))
        .collect();
    let made_by = |remover: &DeviceRef| removals.iter().filter(|(_, r)| r.by == *remover).count();
    let removed_by = |device: &DeviceRef| {
        removals
            .iter()
            .find(|(d, _)| *d == device)
            .map(|(_, r)| &r.by)
    };
    // A remover that lost a contest of mutual removals.
    let outnumbered: BTreeSet<&DeviceRef> = removals
        .iter()
        .filter(|(device, removal)| {
            removed_by(&removal.by) == Some(device) && made_by(&removal.by) > made_by(device)
        })
        .map(|(_, removal)| &removal.by)
        .collect();
    let mut judged: BTreeSet<DeviceRef> = removals.iter().map(|(d, _)| (*d).clone()).collect();
    for _ in 0..=removals.len() {
        let next: BTreeSet<DeviceRef> = removals
            .iter()
            .filter(|(_, removal)| !outnumbered.contains(&removal.by))
            .filter(|(_, removal)| {
                removal
                    .undone
                    .as_ref()
                    .is_none_or(|u| judged.contains(&u.by) || !judged.contains(&removal.by))
            })
            .map(|(d, _)| (*d).clone())
            .collect();
        if next == judged {
            break;
        }
        judged = next;
    }
    judged
}
