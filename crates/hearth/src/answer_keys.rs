//! The keys of this device's own sealed answers, kept in the device's encrypted store (never in
//! the journal, never synced) until each is published into the journal (see
//! `hearth_journal::Journal::open_answers`).
//!
//! One sealed setting, `answer_keys`: a JSON object from entry id to the key in lowercase hex. A
//! key is stored before the change that seals an answer under it, so no acknowledged answer is
//! ever without its key.

use std::collections::BTreeMap;

use hearth_crypto::AnswerKey;
use hearth_journal::{AnswerKeys, EntryId};
use hearth_store::Store;

/// The setting the keys are kept in.
pub(crate) const SETTING: &str = "answer_keys";

/// Why the stored keys could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnswerKeysError {
    /// The store could not read them.
    #[error("the keys of your answers could not be read")]
    Read(#[source] hearth_store::ReadError),
    /// They are not in the form this version writes.
    #[error("the keys of your answers are not in a form this version of Hearth reads")]
    Malformed,
}

/// The keys kept in `store`.
pub(crate) fn load(store: &Store) -> Result<AnswerKeys, AnswerKeysError> {
    let Some(bytes) = store.get_setting(SETTING).map_err(AnswerKeysError::Read)? else {
        return Ok(AnswerKeys::new());
    };
    let stored: BTreeMap<String, String> =
        serde_json::from_slice(&bytes).map_err(|_| AnswerKeysError::Malformed)?;
    stored
        .into_iter()
        .map(|(id, key)| {
            let id: EntryId = id.parse().map_err(|_| AnswerKeysError::Malformed)?;
            let key = key_from_hex(&key).ok_or(AnswerKeysError::Malformed)?;
            Ok((id, AnswerKey::from_bytes(key)))
        })
        .collect()
}

/// A 32-byte key kept in a setting as lowercase hex (the keys of answers and of epochs).
pub(crate) fn key_from_hex(hex: &str) -> Option<[u8; 32]> {
    let bytes = data_encoding::HEXLOWER.decode(hex.as_bytes()).ok()?;
    bytes.try_into().ok()
}

/// Keeps `keys` in `store`, replacing what was kept.
pub(crate) fn save(store: &Store, keys: &AnswerKeys) -> Result<(), hearth_store::WriteError> {
    let stored: BTreeMap<&str, String> = keys
        .iter()
        .map(|(id, key)| (id.as_str(), data_encoding::HEXLOWER.encode(key.expose())))
        .collect();
    let bytes = serde_json::to_vec(&stored).expect("a map of strings always serialises");
    store.put_setting(SETTING, &bytes)
}
