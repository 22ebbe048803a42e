//! Letters for later: a letter sealed until a moment its author chose.
//!
//! A letter is written sealed like an answer to the question of the day (under a fresh key of its
//! own, [`crate::answers`]), and its key is sealed to each of its author's devices that the
//! journal knows at writing time ([`hearth_crypto::exchange::seal_letter_key`]), so that any of
//! them can open it: the first of them that runs after the moment publishes the key into the
//! entry, and the letter reads open everywhere. Until then every other device holds only sealed
//! bytes and the moment.
//!
//! ```text
//! entry (kind "letter"): { opens_ms: int, body: text (the notice), sealed: bytes,
//!                          keys: map device → bytes (the key sealed to that device, 80),
//!                          answer_key: bytes (32, once published) }
//! ```
//!
//! What a device declares is bounded: `keys` is read only for this device's own entry of it, and
//! only if it is [`SEALED_KEY_LEN`] bytes; a published key only if it is 32 bytes and opens the
//! letter.

use automerge::transaction::Transactable as _;
use automerge::{ObjType, ReadDoc, ScalarValue};
use hearth_crypto::exchange::{
    ExchangePublic, LetterKeyFor, SEALED_KEY_LEN, open_letter_key, seal_letter_key,
};
use hearth_crypto::{AnswerKey, DeviceSecret};

use crate::answers;
use crate::schema::{self, map_at};
use crate::{Content, DeviceRef, EntryId, EntryKind, Journal, MemberId, Owner, UnixMs, WriteError};

/// Where the letter's key is kept for each of its author's devices.
pub(crate) const KEYS: &str = "keys";

/// What a sealed letter's `body` says to a version of Hearth that cannot open it.
pub const LETTER_NOTICE: &str =
    "A letter for later, sealed until the moment its writer chose. Update Hearth to read it then.";

/// A device's id as the 32 bytes of its endpoint id, from its 64 hex digits.
fn device_bytes(device: &DeviceRef) -> Option<[u8; 32]> {
    let bytes = data_encoding::HEXLOWER_PERMISSIVE
        .decode(device.as_str().as_bytes())
        .ok()?;
    bytes.try_into().ok()
}

impl Journal {
    /// Seals the key of the letter `id` to each device of `author` the journal knows (not
    /// removed, with an exchange key), for its `keys` map.
    pub(crate) fn seal_letter_key_to_devices(
        &self,
        id: &EntryId,
        author: &MemberId,
        key: &AnswerKey,
    ) -> Result<Vec<(DeviceRef, Vec<u8>)>, WriteError> {
        let info = self
            .info()
            .map_err(WriteError::Malformed)?
            .ok_or(WriteError::NotReady)?;
        let removed = self.removed_devices();
        let mut sealed = Vec::new();
        for record in self.devices().into_values() {
            let theirs = matches!(&record.owner, Owner::Member(m) if m == author);
            let (Some(exchange), Some(device)) = (record.exchange, device_bytes(&record.id)) else {
                continue;
            };
            if !theirs || removed.contains(&record.id) {
                continue;
            }
            let mut ephemeral = [0u8; 32];
            getrandom::fill(&mut ephemeral).map_err(|_| WriteError::Randomness)?;
            let to = LetterKeyFor {
                journal_id: info.id.as_str(),
                entry_id: id.as_str(),
                device: &device,
            };
            // A record whose exchange key is unusable gets no copy.
            if let Ok(bytes) =
                seal_letter_key(&ExchangePublic::from_bytes(exchange), key, &to, ephemeral)
            {
                sealed.push((record.id.clone(), bytes.to_vec()));
            }
        }
        Ok(sealed)
    }

    /// Takes the keys of letters sealed to this device (`device`, whose secret is `secret`) that
    /// it does not hold yet: a letter written on another of its person's devices. Returns the
    /// letters whose keys were taken; the caller keeps them with the answers' keys.
    pub fn take_letter_keys(&mut self, device: &DeviceRef, secret: &DeviceSecret) -> Vec<EntryId> {
        let (Some(entries), Some(device_id)) = (self.entries_obj(), device_bytes(device)) else {
            return Vec::new();
        };
        let Ok(Some(info)) = self.info() else {
            return Vec::new();
        };
        let doc = self.reading();
        let mut taken = Vec::new();
        let mut not_letters = Vec::new();
        for key in doc.keys(&entries) {
            if self.not_letters.contains(&key) {
                continue;
            }
            let Ok(id) = key.parse::<EntryId>() else {
                continue;
            };
            if self.answer_keys().contains_key(&id) {
                continue;
            }
            let Some(obj) = map_at(doc, &entries, &key) else {
                continue;
            };
            // An entry's kind never changes: one that is not a letter is not read again.
            if schema::str_at(doc, &obj, schema::KIND).as_deref()
                != Some(EntryKind::Letter.as_str())
            {
                not_letters.push(key);
                continue;
            }
            let Some(sealed) = map_at(doc, &obj, KEYS)
                .and_then(|keys| answers::bytes_at(doc, &keys, device.as_str()))
                .filter(|b| b.len() == SEALED_KEY_LEN)
            else {
                continue;
            };
            let to = LetterKeyFor {
                journal_id: info.id.as_str(),
                entry_id: id.as_str(),
                device: &device_id,
            };
            if let Ok(letter_key) = open_letter_key(secret, &sealed, &to) {
                taken.push((id, letter_key));
            }
        }
        self.not_letters.extend(not_letters);
        let ids = taken.iter().map(|(id, _)| id.clone()).collect();
        self.keep_answer_keys(taken.into_iter().collect());
        ids
    }

    /// `me`'s letters whose key this device holds and has not published, with when each opens.
    fn own_sealed_letters(&self, me: &MemberId) -> Vec<(EntryId, UnixMs)> {
        let Some(entries) = self.entries_obj() else {
            return Vec::new();
        };
        let doc = self.reading();
        self.answer_keys()
            .keys()
            .filter_map(|id| {
                let obj = map_at(doc, &entries, id.as_str())?;
                // Most keys held are answers': a letter not yet opened is told by two fields
                // before the entry is read whole.
                let letter = schema::str_at(doc, &obj, schema::KIND).as_deref()
                    == Some(EntryKind::Letter.as_str());
                if !letter || answers::published_key(doc, &obj).is_some() {
                    return None;
                }
                let entry = self.entry(id).ok()??;
                let Content::Letter { opens_at, .. } = entry.content else {
                    return None;
                };
                let waiting = entry.author == *me
                    && !entry.deleted
                    && answers::published_key(doc, &obj).is_none();
                waiting.then(|| (id.clone(), opens_at))
            })
            .collect()
    }

    /// When the next of `me`'s sealed letters opens, if this device holds its key.
    pub fn next_letter_moment(&self, me: &MemberId) -> Option<UnixMs> {
        self.own_sealed_letters(me)
            .into_iter()
            .map(|(_, at)| at)
            .min()
    }

    /// Opens `me`'s letters whose moment has come by `now`: publishes each one's key, so it reads
    /// open on every device. Returns the letters opened.
    pub fn open_letters(&mut self, me: &MemberId, now: UnixMs) -> Result<Vec<EntryId>, WriteError> {
        let due: Vec<EntryId> = self
            .own_sealed_letters(me)
            .into_iter()
            .filter(|(_, at)| *at <= now)
            .map(|(id, _)| id)
            .collect();
        for id in &due {
            self.publish_answer_key(id)?;
        }
        Ok(due)
    }

    /// Writes a letter's fields into its new entry `obj`: the moment, the notice, the sealed
    /// text and its key sealed to each of the author's devices.
    pub(crate) fn put_letter(
        &mut self,
        obj: &automerge::ObjId,
        id: &EntryId,
        author: &MemberId,
        opens_at: UnixMs,
        body: &str,
    ) -> Result<(), WriteError> {
        let key = self.own_key(id)?;
        let copies = self.seal_letter_key_to_devices(id, author, &key)?;
        let sealed = answers::seal(&key, id, body);
        let doc = self.automerge_mut();
        doc.put(obj, schema::OPENS_MS, opens_at.as_millis())?;
        let notice = doc.put_object(obj, schema::BODY, ObjType::Text)?;
        doc.splice_text(&notice, 0, 0, LETTER_NOTICE)?;
        doc.put(obj, schema::SEALED, ScalarValue::Bytes(sealed))?;
        let keys = doc.put_object(obj, KEYS, ObjType::Map)?;
        for (device, bytes) in copies {
            doc.put(&keys, device.as_str(), ScalarValue::Bytes(bytes))?;
        }
        Ok(())
    }
}
