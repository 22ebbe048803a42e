//! The document's layout, and reading it into typed values defensively.
//!
//! ```text
//! ROOT
//! ├─ schema: uint            SCHEMA_VERSION of the writer that created the journal
//! ├─ journal_id: str
//! ├─ start_day: str          YYYY-MM-DD, the creator's first day; the deck walks from it
//! ├─ created_ms: int
//! ├─ members: map            member id → { name: str, joined_ms: int }
//! ├─ devices: map            device id → its record (see `devices`)
//! ├─ skipped_questions: map  "<day>/<question id>" → true (see `skips`)
//! ├─ home_zone: str          the couple's time zone, for the question of the day (`home_zone`)
//! ├─ start_small: bool       one small prompt a day instead of the question (`home_zone`)
//! ├─ rituals: map            ritual → how the couple keeps it, and who set it (`rituals`)
//! ├─ ritual_proposals: map   ritual → a change waiting for the partner (`rituals`)
//! ├─ date_nights: map        day → the idea, the plan, a line from each (`date_night`)
//! └─ entries: map            entry id → entry
//!      entry: { kind: str, author: str, device: str, created_ms: int, edited_ms: int,
//!               body: text, mood: int, lines: list of text, to: str, question: str,
//!               day: str, bid: str, response: { turn: str, by: str, at_ms: int },
//!               comments: map id → { author, device, created_ms, text: text, deleted: bool },
//!               reactions: map member → map emoji → at_ms, deleted: bool,
//!               sealed: bytes, answer_key: bytes }     (answers; see `answers`)
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};

use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc};
use autosurgeon::{Hydrate, HydrateError, Text, hydrate_prop};

use crate::answers::{self, AnswerKeys};
use crate::map_fields::{MapFields, hydrate_found};
use crate::warning::{Place, Problem, SchemaWarning};
use crate::{
    BidKind, BidResponse, Comment, Content, DeviceRef, Entry, EntryId, EntryKind, LocalDate,
    MemberId, Mood, Turn,
};

/// The schema version this code writes and reads.
pub const SCHEMA_VERSION: u64 = 1;

pub(crate) const SCHEMA: &str = "schema";
pub(crate) const JOURNAL_ID: &str = "journal_id";
pub(crate) const START_DAY: &str = "start_day";
pub(crate) const CREATED_MS: &str = "created_ms";
pub(crate) const MEMBERS: &str = "members";
pub(crate) const ENTRIES: &str = "entries";

pub(crate) const NAME: &str = "name";
pub(crate) const JOINED_MS: &str = "joined_ms";

pub(crate) const KIND: &str = "kind";
pub(crate) const AUTHOR: &str = "author";
pub(crate) const DEVICE: &str = "device";
pub(crate) const EDITED_MS: &str = "edited_ms";
pub(crate) const BODY: &str = "body";
pub(crate) const MOOD: &str = "mood";
pub(crate) const LINES: &str = "lines";
pub(crate) const TO: &str = "to";
pub(crate) const QUESTION: &str = "question";
pub(crate) const DAY: &str = "day";
pub(crate) const BID: &str = "bid";
pub(crate) const RESPONSE: &str = "response";
pub(crate) const TURN: &str = "turn";
pub(crate) const BY: &str = "by";
pub(crate) const AT_MS: &str = "at_ms";
pub(crate) const COMMENTS: &str = "comments";
pub(crate) const TEXT: &str = "text";
pub(crate) const REACTIONS: &str = "reactions";
pub(crate) const DELETED: &str = "deleted";
pub(crate) const SEALED: &str = "sealed";
pub(crate) const ANSWER_KEY: &str = "answer_key";
pub(crate) const OPENS_MS: &str = "opens_ms";

/// A member of the journal: a person, with the name their partner sees.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Member {
    /// Stable id.
    pub id: MemberId,
    /// Display name.
    pub name: String,
    /// When they joined.
    pub joined_ms: crate::UnixMs,
}

/// The journal's header: who and since when.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct JournalInfo {
    /// The journal's id.
    pub id: crate::JournalId,
    /// The schema version it was created with.
    pub schema: u64,
    /// The creator's first day; the question deck walks from it.
    pub start_day: LocalDate,
    /// When it was created.
    pub created_ms: crate::UnixMs,
    /// Its members, by id.
    pub members: Vec<Member>,
}

#[derive(Hydrate)]
struct StoredHeader {
    schema: u64,
    journal_id: String,
    start_day: String,
    created_ms: i64,
}

#[derive(Hydrate)]
struct StoredMember {
    name: String,
    #[autosurgeon(missing = "Default::default")]
    joined_ms: i64,
}

/// An entry as stored. Read in one pass over its map ([`MapFields`]), each field as a derived
/// `Hydrate` would read it.
struct StoredEntry {
    kind: String,
    author: String,
    device: String,
    created_ms: i64,
    edited_ms: Option<i64>,
    body: Option<Text>,
    mood: Option<i64>,
    lines: Option<Vec<Text>>,
    to: Option<String>,
    question: Option<String>,
    day: Option<String>,
    bid: Option<String>,
    response: Option<StoredResponse>,
    reactions: Option<HashMap<String, HashMap<String, i64>>>,
    deleted: Option<bool>,
    opens_ms: Option<i64>,
    /// The entry's map, and the map of its comments if it has one.
    obj: ObjId,
    comments: Option<ObjId>,
}

impl Hydrate for StoredEntry {
    fn hydrate_map<D: autosurgeon::ReadDoc>(doc: &D, obj: &ObjId) -> Result<Self, HydrateError> {
        let f = MapFields::read(doc, obj);
        Ok(StoredEntry {
            kind: f.field(doc, KIND)?,
            author: f.field(doc, AUTHOR)?,
            device: f.field(doc, DEVICE)?,
            created_ms: f.field(doc, CREATED_MS)?,
            edited_ms: f.optional(doc, EDITED_MS)?,
            body: f.optional(doc, BODY)?,
            mood: f.optional(doc, MOOD)?,
            lines: f.optional(doc, LINES)?,
            to: f.optional(doc, TO)?,
            question: f.optional(doc, QUESTION)?,
            day: f.optional(doc, DAY)?,
            bid: f.optional(doc, BID)?,
            response: f.optional(doc, RESPONSE)?,
            reactions: f.optional(doc, REACTIONS)?,
            deleted: f.optional(doc, DELETED)?,
            opens_ms: f.optional(doc, OPENS_MS)?,
            obj: obj.clone(),
            comments: f.map(COMMENTS).cloned(),
        })
    }
}

#[derive(Hydrate)]
struct StoredResponse {
    turn: String,
    at_ms: i64,
}

/// A comment as stored, read as [`StoredEntry`] is.
struct StoredComment {
    author: String,
    device: String,
    created_ms: i64,
    text: Text,
    deleted: Option<bool>,
}

impl Hydrate for StoredComment {
    fn hydrate_map<D: autosurgeon::ReadDoc>(doc: &D, obj: &ObjId) -> Result<Self, HydrateError> {
        let f = MapFields::read(doc, obj);
        Ok(StoredComment {
            author: f.field(doc, AUTHOR)?,
            device: f.field(doc, DEVICE)?,
            created_ms: f.field(doc, CREATED_MS)?,
            text: f.field(doc, TEXT)?,
            deleted: f.optional(doc, DELETED)?,
        })
    }
}

/// The id of the map object at `key` of `parent`, if there is one.
pub(crate) fn map_at(doc: &AutoCommit, parent: &ObjId, key: &str) -> Option<ObjId> {
    match doc.get(parent, key) {
        Ok(Some((automerge::Value::Object(ObjType::Map), id))) => Some(id),
        _ => None,
    }
}

/// The string at `key` of `obj`, if it is one.
pub(crate) fn str_at(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key) {
        Ok(Some((automerge::Value::Scalar(s), _))) => match s.as_ref() {
            automerge::ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// The id of the text object at `key` of `parent`, if there is one.
pub(crate) fn text_at(
    doc: &AutoCommit,
    parent: &ObjId,
    key: impl Into<automerge::Prop>,
) -> Option<ObjId> {
    match doc.get(parent, key) {
        Ok(Some((automerge::Value::Object(ObjType::Text), id))) => Some(id),
        _ => None,
    }
}

fn shape(place: Place, e: &HydrateError) -> SchemaWarning {
    SchemaWarning {
        place,
        problem: Problem::Shape {
            detail: e.to_string(),
        },
    }
}

/// Reads the header and members. `None` while the journal's structure has not arrived yet.
pub(crate) fn read_info(
    doc: &AutoCommit,
    warnings: &mut Vec<SchemaWarning>,
) -> Result<Option<JournalInfo>, SchemaWarning> {
    if doc.get(&ROOT, JOURNAL_ID).ok().flatten().is_none() {
        return Ok(None);
    }
    let header: StoredHeader = autosurgeon::hydrate(doc).map_err(|e| shape(Place::Header, &e))?;
    let start_day = header.start_day.parse().map_err(|_| SchemaWarning {
        place: Place::Header,
        problem: Problem::InvalidValue { field: START_DAY },
    })?;
    if header.schema > SCHEMA_VERSION {
        warnings.push(SchemaWarning {
            place: Place::Header,
            problem: Problem::NewerSchema {
                found: header.schema,
                supported: SCHEMA_VERSION,
            },
        });
    }
    let mut members = Vec::new();
    if let Some(obj) = map_at(doc, &ROOT, MEMBERS) {
        for key in doc.keys(&obj) {
            match hydrate_prop::<_, StoredMember, _, _>(doc, &obj, key.as_str()) {
                Ok(m) => members.push(Member {
                    id: MemberId::new(key),
                    name: m.name,
                    joined_ms: crate::UnixMs::from_millis(m.joined_ms),
                }),
                Err(e) => warnings.push(shape(Place::Member(key), &e)),
            }
        }
    }
    Ok(Some(JournalInfo {
        id: crate::JournalId::new(header.journal_id),
        schema: header.schema,
        start_day,
        created_ms: crate::UnixMs::from_millis(header.created_ms),
        members,
    }))
}

/// A sealed entry's text (an answer's or a letter's): whether its key is published, and the text
/// if this reader holds a key that opens it (the published one, or its own). `None` for an entry
/// that holds no sealed text.
fn open_sealed(
    doc: &AutoCommit,
    obj: &ObjId,
    key: &str,
    id: &EntryId,
    own_keys: &AnswerKeys,
) -> Option<(crate::Sealing, Option<String>)> {
    let text = answers::bytes_at(doc, obj, SEALED)?;
    let published = answers::published_key(doc, obj);
    let sealing = if published.is_some() {
        crate::Sealing::Opened
    } else {
        crate::Sealing::Sealed
    };
    let opening = published.or_else(|| own_keys.get(id).cloned());
    Some((sealing, opening.and_then(|k| answers::open(&k, key, &text))))
}

/// A debrief from its stored lines: exactly two, what was hard and what helped.
pub(crate) fn debrief(lines: Vec<String>) -> Option<Content> {
    let [hard, helped]: [String; 2] = lines.try_into().ok()?;
    Some(Content::Debrief { hard, helped })
}

/// Reads one entry. Comments that do not fit are left out and reported in `warnings`.
pub(crate) fn read_entry(
    doc: &AutoCommit,
    entries: &ObjId,
    key: &str,
    own_keys: &AnswerKeys,
    warnings: &mut Vec<SchemaWarning>,
) -> Result<Entry, SchemaWarning> {
    let place = || Place::Entry(key.to_owned());
    let problem = |problem| SchemaWarning {
        place: place(),
        problem,
    };
    let id: EntryId = key.parse().map_err(|_| problem(Problem::BadKey))?;
    let stored: StoredEntry = hydrate_prop(doc, entries, key).map_err(|e| shape(place(), &e))?;
    let kind: EntryKind = stored.kind.parse().map_err(|_| {
        problem(Problem::UnknownKind {
            kind: stored.kind.clone(),
        })
    })?;
    let body = stored.body.as_ref().map(|t| t.as_str().to_owned());
    let need_body = || {
        body.clone()
            .ok_or_else(|| problem(Problem::Missing { field: BODY }))
    };
    let to = stored.to.map(MemberId::new);
    let mut sealing = crate::Sealing::Plain;
    let content = match kind {
        EntryKind::Journal => Content::Journal { body: need_body()? },
        EntryKind::CheckIn => {
            let mood = stored
                .mood
                .ok_or_else(|| problem(Problem::Missing { field: MOOD }))?;
            Content::CheckIn {
                mood: Mood::new(mood)
                    .map_err(|_| problem(Problem::InvalidValue { field: MOOD }))?,
                why: body.unwrap_or_default(),
            }
        }
        EntryKind::Gratitude => Content::Gratitude {
            to,
            lines: stored
                .lines
                .ok_or_else(|| problem(Problem::Missing { field: LINES }))?
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect(),
        },
        EntryKind::Appreciation => Content::Appreciation {
            to,
            body: need_body()?,
        },
        EntryKind::Debrief => debrief(
            stored
                .lines
                .ok_or_else(|| problem(Problem::Missing { field: LINES }))?
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect(),
        )
        .ok_or_else(|| problem(Problem::InvalidValue { field: LINES }))?,
        EntryKind::Answer => {
            let question = stored
                .question
                .ok_or_else(|| problem(Problem::Missing { field: QUESTION }))?;
            let day = stored
                .day
                .ok_or_else(|| problem(Problem::Missing { field: DAY }))?
                .parse()
                .map_err(|_| problem(Problem::InvalidValue { field: DAY }))?;
            match open_sealed(doc, &stored.obj, key, &id, own_keys) {
                Some((how, text)) => {
                    sealing = how;
                    match text {
                        Some(body) => Content::Answer {
                            question,
                            day,
                            body,
                        },
                        None => Content::HiddenAnswer { question, day },
                    }
                }
                None => Content::Answer {
                    question,
                    day,
                    body: need_body()?,
                },
            }
        }
        EntryKind::Letter => {
            let opens_at = crate::UnixMs::from_millis(
                stored
                    .opens_ms
                    .ok_or_else(|| problem(Problem::Missing { field: OPENS_MS }))?,
            );
            let (how, text) = open_sealed(doc, &stored.obj, key, &id, own_keys)
                .ok_or_else(|| problem(Problem::Missing { field: SEALED }))?;
            sealing = how;
            match text {
                Some(body) => Content::Letter { opens_at, body },
                None => Content::SealedLetter { opens_at },
            }
        }
        EntryKind::Bid => Content::Bid {
            to,
            bid: stored
                .bid
                .ok_or_else(|| problem(Problem::Missing { field: BID }))?
                .parse::<BidKind>()
                .map_err(|_| problem(Problem::InvalidValue { field: BID }))?,
            body: body.unwrap_or_default(),
            response: match stored.response {
                None => None,
                Some(r) => Some(BidResponse {
                    turn: r
                        .turn
                        .parse::<Turn>()
                        .map_err(|_| problem(Problem::InvalidValue { field: TURN }))?,
                    at_ms: crate::UnixMs::from_millis(r.at_ms),
                }),
            },
        },
    };
    let reactions = stored
        .reactions
        .unwrap_or_default()
        .into_iter()
        .map(|(member, emoji)| {
            (
                MemberId::new(member),
                emoji.into_keys().collect::<BTreeSet<_>>(),
            )
        })
        .filter(|(_, set)| !set.is_empty())
        .collect::<BTreeMap<_, _>>();
    let mut comments = read_comments(doc, stored.comments.as_ref(), key, warnings);
    if matches!(
        content,
        Content::HiddenAnswer { .. } | Content::SealedLetter { .. }
    ) {
        // What is said about an answer that is not open here stays unread with it.
        comments.clear();
    }
    let deleted = stored.deleted.unwrap_or(false);
    let reactions = if deleted { BTreeMap::new() } else { reactions };
    let mut content = content;
    if deleted {
        // Deleting cleared all of it; a comment written concurrently with the deletion, on a
        // device that had not seen it yet, may still hold text: it went with the entry too.
        content.clear_texts();
        for comment in &mut comments {
            comment.text.clear();
        }
    }
    Ok(Entry {
        id,
        author: MemberId::new(stored.author),
        device: DeviceRef::new(stored.device),
        created_ms: crate::UnixMs::from_millis(stored.created_ms),
        edited_ms: crate::UnixMs::from_millis(stored.edited_ms.unwrap_or(stored.created_ms)),
        content,
        comments,
        reactions,
        deleted,
        sealing,
    })
}

fn read_comments(
    doc: &AutoCommit,
    comments: Option<&ObjId>,
    entry_key: &str,
    warnings: &mut Vec<SchemaWarning>,
) -> Vec<Comment> {
    let Some(obj) = comments else {
        return Vec::new();
    };
    let mut comments = Vec::new();
    for item in doc.map_range(obj, ..) {
        let key = item.key.as_ref();
        let place = || Place::Comment {
            entry: entry_key.to_owned(),
            comment: key.to_owned(),
        };
        let Ok(id) = key.parse::<EntryId>() else {
            warnings.push(SchemaWarning {
                place: place(),
                problem: Problem::BadKey,
            });
            continue;
        };
        let value = item.value.clone().into_value();
        match hydrate_found::<StoredComment, _>(doc, Some((&value, &item.id()))) {
            Ok(c) if c.deleted == Some(true) => {}
            Ok(c) => comments.push(Comment {
                id,
                author: MemberId::new(c.author),
                device: DeviceRef::new(c.device),
                created_ms: crate::UnixMs::from_millis(c.created_ms),
                text: c.text.as_str().to_owned(),
            }),
            Err(e) => warnings.push(shape(place(), &e)),
        }
    }
    comments.sort_by(|a, b| a.id.cmp(&b.id));
    comments
}
