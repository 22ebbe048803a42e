//! Entries as a person reads them in a terminal: the timeline grouped by day, and one entry in
//! full.

use std::fmt::Write as _;

use hearth::{BidResponse, Content, Entry, EntryKind, Item, Turn};

use super::names::Names;
use super::term::Style;
use super::time::{day_heading, long_date, when};
use crate::clock::clock;

/// How many lines of an entry the timeline shows before "…".
const PREVIEW_LINES: usize = 4;
/// Text under a heading starts here.
const INDENT: &str = "       ";

/// What a kind of entry is called.
pub(crate) fn kind_label(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Journal => "journal",
        EntryKind::CheckIn => "check-in",
        EntryKind::Debrief => "evening debrief",
        EntryKind::Letter => "letter for later",
        EntryKind::Gratitude => "gratitude",
        EntryKind::Appreciation => "appreciation",
        EntryKind::Answer => "answer",
        EntryKind::Bid => "bid",
    }
}

/// A rating as `7/10 ●●●●●●●○○○`.
pub(crate) fn mood(value: u8) -> String {
    let value = usize::from(value.min(10));
    format!("{value}/10 {}{}", "●".repeat(value), "○".repeat(10 - value))
}

fn turn_text(response: Option<BidResponse>) -> &'static str {
    match response.map(|r| r.turn) {
        Some(Turn::Toward) => "turned toward",
        Some(Turn::Later) => "kept for later",
        None => "waiting for an answer",
    }
}

/// `Ada · check-in 7/10 ●●●●●●●○○○ · private`, the words after the time of an entry.
fn headline(names: &Names, entry: &Entry, private: bool) -> String {
    let mut line = names
        .term
        .paint(Style::Bold, &names.name(&entry.author))
        .to_string();
    let kind = names.term.paint(Style::Warm, kind_label(entry.kind()));
    let _ = write!(line, " · {kind}");
    let to = |who: &Option<hearth::MemberId>| {
        who.as_ref()
            .map(|id| format!(" for {}", names.name(id)))
            .unwrap_or_default()
    };
    match &entry.content {
        Content::CheckIn { mood: m, .. } => {
            let _ = write!(line, " {}", mood(m.get()));
        }
        Content::Gratitude { to: who, .. } | Content::Appreciation { to: who, .. } => {
            line.push_str(&to(who));
        }
        Content::Bid {
            to: who, response, ..
        } => {
            let _ = write!(line, "{} · {}", to(who), turn_text(*response));
        }
        Content::Letter { opens_at, .. } | Content::SealedLetter { opens_at } => {
            let when = crate::clock::on_day_at(*opens_at, names.now_ms, &names.zone);
            let state = match entry.sealing {
                hearth::Sealing::Opened => format!("opened {when}"),
                _ => format!("opens {when}"),
            };
            let _ = write!(line, " · {state}");
        }
        Content::Journal { .. }
        | Content::Debrief { .. }
        | Content::Answer { .. }
        | Content::HiddenAnswer { .. } => {}
    }
    if private {
        let _ = write!(line, " · {}", names.term.paint(Style::Warn, "private"));
    }
    if entry.deleted {
        let _ = write!(line, " · {}", names.term.paint(Style::Warn, "deleted"));
    }
    line
}

/// The question of the day an answer answers, as its first line.
fn asked(names: &Names, question: &str) -> String {
    let asked = hearth::deck::question(question).map_or(question, |q| q.text);
    names.term.paint(Style::Dim, &format!("“{asked}”"))
}

/// The lines an entry's content reads as.
fn body_lines(names: &Names, entry: &Entry) -> Vec<String> {
    let split = |text: &str| -> Vec<String> { text.lines().map(str::to_owned).collect() };
    match &entry.content {
        Content::Letter { body, .. } => split(body),
        Content::SealedLetter { opens_at } => vec![names.term.paint(
            Style::Dim,
            &crate::clock::letter_opens(
                *opens_at,
                names.now_ms,
                &names.zone,
                Some(&names.name(&entry.author)),
            ),
        )],
        Content::Journal { body } | Content::Appreciation { body, .. } => split(body),
        Content::CheckIn { why, .. } => split(why),
        Content::Gratitude { lines, .. } => lines.iter().map(|l| format!("• {l}")).collect(),
        Content::Debrief { hard, helped } => [("What was hard", hard), ("What helped", helped)]
            .into_iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .flat_map(|(title, text)| {
                let title = names.term.paint(Style::Dim, &format!("{title}:"));
                split(&format!("{title} {text}"))
            })
            .collect(),
        Content::Answer { question, body, .. } => {
            let mut out = vec![asked(names, question)];
            out.extend(split(body));
            out
        }
        Content::HiddenAnswer { question, .. } => vec![
            asked(names, question),
            names.term.paint(
                Style::Dim,
                "Answered. It opens here once you have both answered and their device has synced.",
            ),
        ],
        Content::Bid { bid, body, .. } => {
            let mut first = names.term.paint(Style::Bold, bid.phrase());
            if !body.trim().is_empty() {
                let mut rest = body.lines();
                if let Some(line) = rest.next() {
                    let _ = write!(first, " — {line}");
                }
                let mut out = vec![first];
                out.extend(rest.map(str::to_owned));
                return out;
            }
            vec![first]
        }
    }
}

/// `❤️ Bob · 💬 2`: what others did with an entry, in brief.
fn footer(names: &Names, entry: &Entry) -> Option<String> {
    let mut parts: Vec<String> = entry
        .reactions
        .iter()
        .filter(|(_, set)| !set.is_empty())
        .map(|(who, set)| {
            let emoji: Vec<&str> = set.iter().map(String::as_str).collect();
            format!("{} {}", emoji.join(""), names.name(who))
        })
        .collect();
    match entry.comments.len() {
        0 => {}
        1 => parts.push("1 comment".to_owned()),
        n => parts.push(format!("{n} comments")),
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// The timeline: entries (newest first) grouped under their day.
pub(crate) fn timeline(names: &Names, items: &[Item]) -> String {
    let today = names.zone.date_at(names.now_ms);
    let mut out = String::new();
    let mut day = None;
    for item in items {
        let entry = &item.entry;
        let date = names.zone.date_at(entry.created_ms);
        if day != Some(date) {
            if day.is_some() {
                out.push('\n');
            }
            let heading = day_heading(date, today);
            let _ = writeln!(out, "{}\n", names.term.paint(Style::Bold, &heading));
            day = Some(date);
        } else {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{}  {}  {}",
            names
                .term
                .paint(Style::Dim, &clock(entry.created_ms, &names.zone)),
            headline(names, entry, item.private),
            names.term.paint(Style::Dim, names.short_id(&entry.id)),
        );
        let lines = body_lines(names, entry);
        for line in lines.iter().take(PREVIEW_LINES) {
            let _ = writeln!(out, "{INDENT}{line}");
        }
        if lines.len() > PREVIEW_LINES {
            let _ = writeln!(out, "{INDENT}{}", names.term.paint(Style::Dim, "…"));
        }
        if let Some(footer) = footer(names, entry) {
            let _ = writeln!(out, "{INDENT}{}", names.term.paint(Style::Dim, &footer));
        }
    }
    out
}

/// One entry in full: every line, each reaction and comment, its full id.
pub(crate) fn detail(names: &Names, item: &Item) -> String {
    let entry = &item.entry;
    let zone = &names.zone;
    let mut out = String::new();
    let _ = writeln!(out, "{}", headline(names, entry, item.private));
    let date = zone.date_at(entry.created_ms);
    let mut meta = format!("{}, {}", long_date(date), clock(entry.created_ms, zone));
    if entry.edited_ms > entry.created_ms {
        let _ = write!(
            meta,
            " · edited {}",
            when(entry.edited_ms, names.now_ms, zone)
        );
    }
    let journal = if item.private {
        "private: on this device only"
    } else {
        "shared"
    };
    let _ = write!(meta, " · {journal} · id {}", entry.id);
    let _ = writeln!(out, "{}\n", names.term.paint(Style::Dim, &meta));
    for line in body_lines(names, entry) {
        let _ = writeln!(out, "  {line}");
    }
    if let Content::Bid { response, .. } = &entry.content
        && let Some(r) = response
    {
        let _ = writeln!(
            out,
            "\n  {}",
            names.term.paint(
                Style::Dim,
                &format!(
                    "{} {}",
                    turn_text(Some(*r)),
                    when(r.at_ms, names.now_ms, zone)
                )
            )
        );
    }
    let reactions = names.reactions(entry);
    if !reactions.is_empty() {
        let _ = writeln!(out, "\n  {}", reactions.join(" · "));
    }
    for comment in &entry.comments {
        // The comment's id, for `hearth edit` and `hearth delete` of one's own.
        let _ = writeln!(
            out,
            "\n  {} {}  {}",
            names.term.paint(Style::Bold, &names.name(&comment.author)),
            names
                .term
                .paint(Style::Dim, &when(comment.created_ms, names.now_ms, zone)),
            names.term.paint(Style::Dim, names.short_id(&comment.id)),
        );
        for line in comment.text.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moods_show_as_a_row_of_dots() {
        assert_eq!(mood(7), "7/10 ●●●●●●●○○○");
        assert_eq!(mood(1), "1/10 ●○○○○○○○○○");
        assert_eq!(mood(10), "10/10 ●●●●●●●●●●");
    }
}
