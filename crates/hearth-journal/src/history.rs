//! An entry's history: its versions, read from Automerge's own history, and restoring one.
//!
//! Every change that writes, edits or restores an entry carries a message naming it (`write ID`,
//! `edit ID`, `restore ID`; see [`Journal::transact`]), so an entry's versions are found from the
//! changes' metadata alone, without decoding the journal's history. Each version is the entry as
//! the change that made it left it, read at that change's heads. An entry written before messages
//! were kept still has its first version (the change that holds the operation creating it) and
//! its version now.

use automerge::transaction::Transactable as _;
use automerge::{ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue, Value};

use crate::journal::check_text;
use crate::schema::{self, map_at};
use crate::{Content, EntryId, Journal, MemberId, Stamp, UnixMs, WriteError};

/// One version of an entry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Version {
    /// Its number, from 1 (the entry as first written).
    pub number: usize,
    /// What the entry said then.
    pub content: Content,
    /// Who wrote it: the entry's author (only the author changes an entry).
    pub by: MemberId,
    /// The device that made the change, when the journal can tell (the first bytes of its id,
    /// from the change's actor; see [`crate::device_actor`]).
    pub device: Option<String>,
    /// When: the entry's own time of writing or last edit, as that change set it.
    pub at_ms: UnixMs,
}

/// The message of a change that writes, edits or restores the entry `id`.
pub(crate) fn label(verb: &str, id: &EntryId) -> String {
    format!("{verb} {id}")
}

impl Journal {
    /// The versions of entry `id`, oldest first, as `reader` may see them: `None` if there is no
    /// such entry, or it was deleted (a deleted entry shows no history). An answer's versions
    /// read as its text does now: sealed ones as [`Content::HiddenAnswer`] until they open.
    pub fn history(&mut self, id: &EntryId, reader: &MemberId) -> Option<Vec<Version>> {
        let now = self.entry_as(id, reader).ok()??;
        if now.deleted {
            return None;
        }
        let entries = map_at(self.automerge(), &automerge::ROOT, schema::ENTRIES)?;
        let obj = map_at(self.automerge(), &entries, id.as_str())?;
        let names = [label("write", id), label("edit", id), label("restore", id)];
        let late = self.late_changes().to_vec();
        let created = match &obj {
            ObjId::Id(counter, actor, _) => Some((*counter, actor.clone())),
            ObjId::Root => None,
        };
        let mut made: Vec<(ChangeHash, Option<String>)> = Vec::new();
        for change in self.automerge_mut().get_changes_meta(&[]) {
            let creates = created.as_ref().is_some_and(|(counter, actor)| {
                *change.actor == *actor && (change.start_op..=change.max_op).contains(counter)
            });
            let named = change
                .message
                .as_deref()
                .is_some_and(|m| names.iter().any(|n| n == m));
            if (creates || named) && !late.contains(&change.hash) {
                let device = change
                    .actor
                    .to_bytes()
                    .get(..crate::ACTOR_DEVICE_BYTES)
                    .map(|p| data_encoding::HEXLOWER.encode(p));
                made.push((change.hash, device));
            }
        }
        let doc = self.automerge();
        let mut versions: Vec<Version> = Vec::new();
        for (hash, device) in made {
            let heads = [hash];
            let Some(content) = self.content_at(&obj, &now.content, id, &heads) else {
                continue;
            };
            if versions.last().is_some_and(|v| v.content == content) {
                continue;
            }
            let at_ms = match doc.get_at(&obj, schema::EDITED_MS, &heads) {
                Ok(Some((Value::Scalar(s), _))) => s.as_i64().map(UnixMs::from_millis),
                _ => None,
            }
            .unwrap_or(now.created_ms);
            versions.push(Version {
                number: versions.len() + 1,
                content,
                by: now.author.clone(),
                device,
                at_ms,
            });
        }
        // What it says now, when no single change left it so (edits made at once on two devices,
        // merged; or edits from before messages were kept).
        if versions.last().is_none_or(|v| v.content != now.content) {
            versions.push(Version {
                number: versions.len() + 1,
                content: now.content.clone(),
                by: now.author.clone(),
                device: None,
                at_ms: now.edited_ms,
            });
        }
        Some(versions)
    }

    /// Brings version `number` of entry `id` back, as a new change (so it syncs): only its author
    /// restores it, and only a live entry. Returns the restored version.
    pub fn restore(
        &mut self,
        id: &EntryId,
        stamp: &Stamp,
        number: usize,
    ) -> Result<Version, WriteError> {
        let (obj, _) = self.own_entry(id, stamp)?;
        let versions = self
            .history(id, &stamp.member)
            .ok_or_else(|| WriteError::UnknownEntry { id: id.clone() })?;
        let version = number
            .checked_sub(1)
            .and_then(|i| versions.get(i))
            .cloned()
            .ok_or(WriteError::NoSuchVersion {
                number,
                versions: versions.len(),
            })?;
        match &version.content {
            Content::Journal { body }
            | Content::Appreciation { body, .. }
            | Content::Bid { body, .. }
            | Content::Answer { body, .. }
            | Content::Letter { body, .. } => {
                self.edit(id, stamp, &crate::Edit::Body(body.clone()))?;
            }
            Content::CheckIn { mood, why } => {
                self.edit(id, stamp, &crate::Edit::Mood(*mood))?;
                self.edit(id, stamp, &crate::Edit::Body(why.clone()))?;
            }
            Content::Gratitude { .. } | Content::Debrief { .. } => {
                let lines = version.content.texts();
                for line in &lines {
                    check_text(line)?;
                }
                let doc = self.automerge_mut();
                crate::journal::put_lines(doc, &obj, &lines)?;
                doc.put(&obj, schema::EDITED_MS, stamp.now_ms.as_millis())?;
            }
            Content::HiddenAnswer { .. } | Content::SealedLetter { .. } => {
                return Err(WriteError::NoAnswerKey { id: id.clone() });
            }
        }
        self.set_label(label("restore", id));
        Ok(version)
    }

    /// The changeable parts of an entry (its text, rating, lines) at `heads`, on the entry as it
    /// reads now.
    fn content_at(
        &self,
        obj: &ObjId,
        now: &Content,
        id: &EntryId,
        heads: &[ChangeHash],
    ) -> Option<Content> {
        let doc = self.automerge();
        let text = |key: &str| -> Option<String> {
            match doc.get_at(obj, key, heads).ok()?? {
                (Value::Object(ObjType::Text), text) => doc.text_at(&text, heads).ok(),
                _ => None,
            }
        };
        Some(match now {
            Content::Journal { .. } => Content::Journal {
                body: text(schema::BODY)?,
            },
            Content::Appreciation { to, .. } => Content::Appreciation {
                to: to.clone(),
                body: text(schema::BODY)?,
            },
            Content::Bid {
                to, bid, response, ..
            } => Content::Bid {
                to: to.clone(),
                bid: *bid,
                body: text(schema::BODY).unwrap_or_default(),
                response: *response,
            },
            Content::CheckIn { mood, .. } => Content::CheckIn {
                mood: match doc.get_at(obj, schema::MOOD, heads).ok()?? {
                    (Value::Scalar(s), _) => s
                        .as_i64()
                        .and_then(|m| crate::Mood::new(m).ok())
                        .unwrap_or(*mood),
                    _ => *mood,
                },
                why: text(schema::BODY).unwrap_or_default(),
            },
            Content::Gratitude { .. } | Content::Debrief { .. } => {
                let (Value::Object(ObjType::List), list) =
                    doc.get_at(obj, schema::LINES, heads).ok()??
                else {
                    return None;
                };
                let lines: Vec<String> = doc
                    .values_at(&list, heads)
                    .filter_map(|(v, line)| match v {
                        Value::Object(ObjType::Text) => doc.text_at(&line, heads).ok(),
                        _ => None,
                    })
                    .collect();
                match now {
                    Content::Gratitude { to, .. } => Content::Gratitude {
                        to: to.clone(),
                        lines,
                    },
                    _ => crate::schema::debrief(lines)?,
                }
            }
            Content::Answer { question, day, .. } => {
                let sealed = match doc.get_at(obj, schema::SEALED, heads).ok()? {
                    Some((Value::Scalar(s), _)) => match s.as_ref() {
                        ScalarValue::Bytes(b) => Some(b.clone()),
                        _ => None,
                    },
                    _ => None,
                };
                let body = match sealed {
                    None => text(schema::BODY)?,
                    Some(sealed) => {
                        let key = crate::answers::published_key(doc, obj)
                            .or_else(|| self.answer_key(id).cloned())?;
                        crate::answers::open(&key, id.as_str(), &sealed)?
                    }
                };
                Content::Answer {
                    question: question.clone(),
                    day: *day,
                    body,
                }
            }
            Content::HiddenAnswer { question, day } => Content::HiddenAnswer {
                question: question.clone(),
                day: *day,
            },
            Content::Letter { opens_at, .. } | Content::SealedLetter { opens_at } => {
                let sealed = match doc.get_at(obj, schema::SEALED, heads).ok()? {
                    Some((Value::Scalar(s), _)) => match s.as_ref() {
                        ScalarValue::Bytes(b) => Some(b.clone()),
                        _ => None,
                    },
                    _ => None,
                }?;
                let key = crate::answers::published_key(doc, obj)
                    .or_else(|| self.answer_key(id).cloned());
                match key.and_then(|k| crate::answers::open(&k, id.as_str(), &sealed)) {
                    Some(body) => Content::Letter {
                        opens_at: *opens_at,
                        body,
                    },
                    None => Content::SealedLetter {
                        opens_at: *opens_at,
                    },
                }
            }
        })
    }
}
