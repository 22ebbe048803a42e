//! Exporting the shared journal: readable Markdown, JSON of a stable shape, or an Automerge
//! document. The private journal is never exported. Every export is read as this person sees
//! the journal (the partner's unopened answers show only that they exist) and is not encrypted:
//! the front ends say so. Only [`Format::AutomergeWithHistory`] carries the document's history,
//! where deleted and edited-away text and the partner's unopened answers still are.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use hearth_journal::{
    Content, Entry, Journal, JournalInfo, LocalDate, Member, MemberId, Turn, UnixMs,
};

use crate::{ExportError, Hearth, Zone};

/// The format of an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A readable document, grouped by day (local time), with each entry's kind, author, text,
    /// reactions and comments.
    Markdown,
    /// JSON of the shape of [`JsonExport`].
    Json,
    /// The journal as it reads now, as a fresh Automerge document without history (see
    /// `hearth_journal::Journal::fresh_copy`): loads with `hearth_journal::Journal::load`.
    Automerge,
    /// The whole Automerge document with its history: every word ever written in the journal,
    /// deleted and edited-away text and the partner's unopened answers included. A full copy,
    /// for someone who knows why they want it.
    AutomergeWithHistory,
}

impl Format {
    /// Whether this export holds more than the journal as this person reads it now.
    pub fn carries_history(self) -> bool {
        self == Format::AutomergeWithHistory
    }
}

/// The version of the JSON shape; raised only when a field changes meaning or goes away.
pub const JSON_EXPORT_VERSION: u32 = 1;

/// The JSON export, version [`JSON_EXPORT_VERSION`]:
///
/// ```text
/// { "format": "hearth-journal", "version": 1, "exported_ms": <int>,
///   "journal_id": <str or null>, "start_day": "YYYY-MM-DD" or null,
///   "members": [ { "id", "name", "joined_ms" } ],
///   "entries": [ { "id", "author", "device", "created_ms", "edited_ms",
///                  "content": { "kind": "journal" | "checkin" | "gratitude" | "appreciation"
///                                      | "answer" | "hidden_answer" | "bid", ...its fields },
///                  "comments": [ { "id", "author", "device", "created_ms", "text" } ],
///                  "reactions": { <member id>: [ <emoji> ] }, "deleted": false } ] }
/// ```
///
/// Entries are oldest first; deleted entries are left out. A `hidden_answer` is the partner's
/// answer to a question this person has not answered: it has `question` and `day`, no text.
#[derive(Debug, serde::Serialize)]
pub struct JsonExport {
    /// Always `hearth-journal`.
    pub format: &'static str,
    /// [`JSON_EXPORT_VERSION`].
    pub version: u32,
    /// When the export was made (UTC milliseconds).
    pub exported_ms: UnixMs,
    /// The journal's id (absent while the journal has not arrived).
    pub journal_id: Option<String>,
    /// The journal's first day.
    pub start_day: Option<LocalDate>,
    /// The members.
    pub members: Vec<Member>,
    /// The live entries, oldest first.
    pub entries: Vec<Entry>,
}

impl Hearth {
    /// The shared journal in `format`.
    pub async fn export(&self, format: Format) -> Result<Vec<u8>, ExportError> {
        let zone = self.core.options.time_zone.clone();
        self.call(move |d| {
            let me = d.binding.member.clone();
            let journal = &mut d.shared;
            match format {
                Format::Automerge => journal.fresh_copy(&me).map_err(ExportError::Copy),
                Format::AutomergeWithHistory => Ok(journal.save()),
                Format::Json => {
                    serde_json::to_vec_pretty(&json(journal, &me)).map_err(ExportError::Json)
                }
                Format::Markdown => Ok(markdown(journal, &me, &zone).into_bytes()),
            }
        })
        .await?
    }
}

fn info(journal: &Journal) -> Option<JournalInfo> {
    journal.info().ok().flatten()
}

fn live_entries(journal: &Journal, me: &MemberId) -> Vec<Entry> {
    journal
        .scan_as(me)
        .entries
        .into_iter()
        .filter(|e| !e.deleted)
        .collect()
}

fn json(journal: &Journal, me: &MemberId) -> JsonExport {
    let info = info(journal);
    JsonExport {
        format: "hearth-journal",
        version: JSON_EXPORT_VERSION,
        exported_ms: UnixMs::now(),
        journal_id: info.as_ref().map(|i| i.id.as_str().to_owned()),
        start_day: info.as_ref().map(|i| i.start_day),
        members: info.map(|i| i.members).unwrap_or_default(),
        entries: live_entries(journal, me),
    }
}

fn markdown(journal: &Journal, me: &MemberId, zone: &Zone) -> String {
    let members: BTreeMap<MemberId, String> = info(journal)
        .map(|i| i.members)
        .unwrap_or_default()
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let name = |id: &MemberId| members.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut out = String::from("# Hearth journal\n");
    if !members.is_empty() {
        let names: Vec<&str> = members.values().map(String::as_str).collect();
        let _ = writeln!(out, "\n{}\n", names.join(" and "));
    }
    let mut day = None;
    for entry in live_entries(journal, me) {
        let date = zone.date_at(entry.created_ms);
        if day != Some(date) {
            let _ = writeln!(out, "\n## {date}");
            day = Some(date);
        }
        let minutes = zone.minutes_of_day(entry.created_ms);
        let _ = writeln!(
            out,
            "\n### {:02}:{:02} · {} · {}\n",
            minutes / 60,
            minutes % 60,
            entry.kind(),
            name(&entry.author)
        );
        out.push_str(&body(&entry.content, &name, zone));
        out.push('\n');
        let reactions: Vec<String> = entry
            .reactions
            .iter()
            .filter(|(_, set)| !set.is_empty())
            .map(|(who, set)| {
                format!(
                    "{} {}",
                    name(who),
                    set.iter().cloned().collect::<Vec<_>>().join(" ")
                )
            })
            .collect();
        if !reactions.is_empty() {
            let _ = writeln!(out, "\nReactions: {}", reactions.join("; "));
        }
        for comment in &entry.comments {
            let _ = writeln!(
                out,
                "\n> **{}:** {}",
                name(&comment.author),
                quote(&comment.text)
            );
        }
    }
    out
}

/// The question of the deck with this id, or the id if this version does not know it.
fn asked(question: &str) -> &str {
    hearth_journal::deck::question(question).map_or(question, |q| q.text)
}

fn quote(text: &str) -> String {
    text.replace('\n', "\n> ")
}

fn body(content: &Content, name: &dyn Fn(&MemberId) -> String, zone: &Zone) -> String {
    let moment = |at: hearth_journal::UnixMs| {
        let minutes = zone.minutes_of_day(at);
        format!(
            "{} at {:02}:{:02}",
            zone.date_at(at),
            minutes / 60,
            minutes % 60
        )
    };
    let to = |to: &Option<MemberId>| match to {
        Some(id) => format!("To {}:\n\n", name(id)),
        None => String::new(),
    };
    match content {
        Content::Journal { body } => format!("{body}\n"),
        Content::CheckIn { mood, why } => format!("Mood {}/10. {why}\n", mood.get()),
        Content::Gratitude { to: who, lines } => {
            let mut s = to(who);
            for line in lines {
                let _ = writeln!(s, "- {line}");
            }
            s
        }
        Content::Appreciation { to: who, body } => format!("{}{body}\n", to(who)),
        Content::Letter { opens_at, body } => {
            format!(
                "*A letter for later, to open on {}.*\n\n{body}\n",
                moment(*opens_at)
            )
        }
        Content::SealedLetter { opens_at } => {
            format!(
                "*A letter for later, sealed until {}.*\n",
                moment(*opens_at)
            )
        }
        Content::Debrief { hard, helped } => {
            let mut s = String::new();
            if !hard.trim().is_empty() {
                let _ = writeln!(s, "What was hard: {hard}");
            }
            if !helped.trim().is_empty() {
                let _ = writeln!(s, "What helped: {helped}");
            }
            s
        }
        Content::Answer { question, body, .. } => format!("*{}*\n\n{body}\n", asked(question)),
        Content::HiddenAnswer { question, .. } => format!(
            "*{}*\n\n(Answered; it opens once you have answered too.)\n",
            asked(question)
        ),
        Content::Bid {
            to: who,
            bid,
            body,
            response,
        } => {
            let mut s = format!("{}**{}**", to(who), bid.phrase());
            if !body.is_empty() {
                let _ = write!(s, " {body}");
            }
            s.push('\n');
            match response.map(|r| r.turn) {
                Some(Turn::Toward) => s.push_str("\n(turned toward)\n"),
                Some(Turn::Later) => s.push_str("\n(kept for later)\n"),
                None => {}
            }
            s
        }
    }
}
