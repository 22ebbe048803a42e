//! The `--json` shapes. They are part of the command line's contract (docs/cli.md): fields are
//! only ever added, never renamed or given another meaning.

use std::collections::BTreeSet;

use hearth::{Comment, Content, Entry, Item, MemberId};
use serde::Serialize;

use super::names::Names;
use super::term::outln;
use super::time::iso;

/// A member as the JSON shows them beside what they wrote.
#[derive(Serialize)]
pub(crate) struct Person {
    /// Member id.
    pub(crate) id: String,
    /// Display name.
    pub(crate) name: String,
    /// Whether it is the person using this device.
    pub(crate) me: bool,
}

impl Person {
    pub(crate) fn of(names: &Names, id: &MemberId) -> Person {
        Person {
            id: id.to_string(),
            name: names.name(id),
            me: names.is_me(id),
        }
    }
}

/// An entry.
#[derive(Serialize)]
pub(crate) struct EntryJson<'a> {
    id: &'a str,
    kind: &'static str,
    private: bool,
    author: Person,
    device: &'a str,
    created_ms: hearth::UnixMs,
    created: String,
    edited_ms: hearth::UnixMs,
    edited: String,
    text: String,
    mood: Option<u8>,
    content: &'a Content,
    comments: Vec<CommentJson<'a>>,
    reactions: Vec<ReactionJson<'a>>,
    deleted: bool,
}

#[derive(Serialize)]
struct CommentJson<'a> {
    id: &'a str,
    author: Person,
    created_ms: hearth::UnixMs,
    created: String,
    text: &'a str,
}

#[derive(Serialize)]
struct ReactionJson<'a> {
    author: Person,
    emoji: &'a BTreeSet<String>,
}

/// An entry of the shared journal (`private` false) or of either (`item`).
pub(crate) fn entry<'a>(names: &Names, entry: &'a Entry, private: bool) -> EntryJson<'a> {
    let zone = &names.zone;
    EntryJson {
        id: entry.id.as_str(),
        kind: entry.kind().as_str(),
        private,
        author: Person::of(names, &entry.author),
        device: entry.device.as_str(),
        created_ms: entry.created_ms,
        created: iso(entry.created_ms, zone),
        edited_ms: entry.edited_ms,
        edited: iso(entry.edited_ms, zone),
        text: entry.content.main_text(),
        mood: match &entry.content {
            Content::CheckIn { mood, .. } => Some(mood.get()),
            _ => None,
        },
        content: &entry.content,
        comments: entry.comments.iter().map(|c| comment(names, c)).collect(),
        reactions: entry
            .reactions
            .iter()
            .filter(|(_, set)| !set.is_empty())
            .map(|(who, emoji)| ReactionJson {
                author: Person::of(names, who),
                emoji,
            })
            .collect(),
        deleted: entry.deleted,
    }
}

fn comment<'a>(names: &Names, c: &'a Comment) -> CommentJson<'a> {
    CommentJson {
        id: c.id.as_str(),
        author: Person::of(names, &c.author),
        created_ms: c.created_ms,
        created: iso(c.created_ms, &names.zone),
        text: &c.text,
    }
}

/// An entry of either journal.
pub(crate) fn item<'a>(names: &Names, item: &'a Item) -> EntryJson<'a> {
    entry(names, &item.entry, item.private)
}

/// Prints `value` as pretty JSON on standard output.
pub(crate) fn print<T: Serialize>(value: &T) -> anyhow::Result<()> {
    outln(&serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Prints `value` as one line of JSON on standard output.
pub(crate) fn print_line<T: Serialize>(value: &T) -> anyhow::Result<()> {
    outln(&serde_json::to_string(value)?);
    Ok(())
}
