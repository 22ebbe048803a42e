//! Sealed answers to the question of the day.
//!
//! An answer is written sealed (XChaCha20-Poly1305, [`hearth_crypto::answer`]) under a fresh key
//! of its own, which only its author's device holds ([`Journal::keep_answer_key`]; the device
//! keeps it in its encrypted store). Once that device sees the partner's answer to the same
//! question, it publishes the key into the entry ([`Journal::open_answers`]), and the answer
//! reads open on every device. Until then every other device holds only the sealed bytes: a
//! modified app learns that an answer exists and its size, never its text.
//!
//! In the document, a sealed answer keeps `body` for versions that do not know sealing: it says,
//! in words, that the answer is sealed and that Hearth should be updated to read it.
//!
//! ```text
//! entry (kind "answer"): { question, day, body: text (the notice), sealed: bytes,
//!                          answer_key: bytes (32, once published) }
//! ```
//!
//! Answers written before sealing existed have their text in `body` and no `sealed`: they are
//! read as before, hidden from the partner by the reading code until the partner has answered.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjId, ReadDoc, ScalarValue};
use hearth_crypto::AnswerKey;

use crate::schema;
use crate::{EntryId, WriteError};

/// What a sealed answer's `body` says to a version of Hearth that cannot open it.
pub const SEALED_NOTICE: &str =
    "This answer is sealed. Update Hearth on this device to read it once you have both answered.";

/// The keys of this device's own sealed answers, by entry.
pub type AnswerKeys = BTreeMap<EntryId, AnswerKey>;

/// A fresh answer key from the operating system's randomness.
pub(crate) fn fresh_key() -> Result<AnswerKey, WriteError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|_| WriteError::Randomness)?;
    Ok(AnswerKey::from_bytes(bytes))
}

/// Seals `text` for the answer `id` under `key`.
pub(crate) fn seal(key: &AnswerKey, id: &EntryId, text: &str) -> Vec<u8> {
    hearth_crypto::answer::seal(key, id.as_str(), text)
}

/// The bytes stored at `key` of `obj`, if they are bytes.
pub(crate) fn bytes_at(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<Vec<u8>> {
    match doc.get(obj, key).ok().flatten() {
        Some((automerge::Value::Scalar(value), _)) => match value.as_ref() {
            ScalarValue::Bytes(bytes) => Some(bytes.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The published key of a sealed answer, if it is there and 32 bytes long.
pub(crate) fn published_key(doc: &AutoCommit, obj: &ObjId) -> Option<AnswerKey> {
    let bytes = bytes_at(doc, obj, schema::ANSWER_KEY)?;
    let bytes: [u8; 32] = bytes.try_into().ok()?;
    Some(AnswerKey::from_bytes(bytes))
}

/// Opens a sealed answer with `key`: its text, or `None` if the key does not open it or the text
/// is not UTF-8.
pub(crate) fn open(key: &AnswerKey, id: &str, sealed: &[u8]) -> Option<String> {
    let plain = hearth_crypto::answer::open(key, id, sealed).ok()?;
    String::from_utf8(plain.to_vec()).ok()
}
