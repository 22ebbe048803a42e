//! What `list`, `show` and `search` print: entries as the timeline or in full, or as JSON.

use anyhow::Result;
use hearth::{Content, Item, Version};

use super::entries::{detail, timeline};
use super::json::{self, Person};
use super::names::Names;
use super::term::{Style, Term, out, outln};
use super::time::{iso, when};

/// Prints entries as JSON (an array) or as the timeline; `empty` when there are none (text only).
fn items(names: &Names, items: &[Item], as_json: bool, empty: &str) -> Result<()> {
    if as_json {
        let shaped: Vec<_> = items.iter().map(|i| json::item(names, i)).collect();
        return json::print(&shaped);
    }
    if items.is_empty() {
        outln(empty);
    } else {
        out(&timeline(names, items));
    }
    Ok(())
}

/// The timeline `list` asked for.
pub(crate) fn list(names: &Names, entries: &[Item], as_json: bool) -> Result<()> {
    items(
        names,
        entries,
        as_json,
        "Nothing here yet. Write the first entry with `hearth write \"...\"`.",
    )
}

/// `list --author partner` before there is a partner.
pub(crate) fn no_partner(names: &Names, as_json: bool) -> Result<()> {
    items(names, &[], as_json, "No partner yet.")
}

/// A person reading the timeline is told how to see the entries older than `limit`.
pub(crate) fn older_entries(t: &Term, limit: usize) {
    if !t.stdout_tty {
        return;
    }
    eprintln!(
        "{}",
        t.epaint(
            Style::Dim,
            &format!(
                "Older entries too: `hearth list --limit {}` (0 for all).",
                limit.saturating_mul(2)
            )
        )
    );
}

/// One entry in full.
pub(crate) fn show(names: &Names, item: &Item, as_json: bool) -> Result<()> {
    if as_json {
        json::print(&json::item(names, item))
    } else {
        out(&detail(names, item));
        Ok(())
    }
}

/// The entries that hold `query`.
pub(crate) fn search(names: &Names, found: &[Item], as_json: bool, query: &str) -> Result<()> {
    items(
        names,
        found,
        as_json,
        &format!("Nothing holds “{}”.", query.trim()),
    )
}

/// A version as `history --json` shows it.
#[derive(serde::Serialize)]
struct VersionJson<'a> {
    number: usize,
    at_ms: hearth::UnixMs,
    at: String,
    by: Person,
    device: Option<&'a str>,
    text: String,
    mood: Option<u8>,
    content: &'a Content,
}

/// An entry's versions, oldest first.
pub(crate) fn history(names: &Names, versions: &[Version], as_json: bool) -> Result<()> {
    if as_json {
        let shaped: Vec<VersionJson<'_>> = versions
            .iter()
            .map(|v| VersionJson {
                number: v.number,
                at_ms: v.at_ms,
                at: iso(v.at_ms, &names.zone),
                by: Person::of(names, &v.by),
                device: v.device.as_deref(),
                text: v.content.main_text(),
                mood: match &v.content {
                    Content::CheckIn { mood, .. } => Some(mood.get()),
                    _ => None,
                },
                content: &v.content,
            })
            .collect();
        return json::print(&shaped);
    }
    let t = &names.term;
    let mut text = String::new();
    for v in versions {
        let mut heading = format!(
            "Version {} · {} · {}",
            v.number,
            when(v.at_ms, names.now_ms, &names.zone),
            names.name(&v.by)
        );
        if let Some(device) = &v.device {
            heading.push_str(&format!(" on {device}"));
        }
        text.push_str(&t.paint(Style::Bold, &heading));
        text.push('\n');
        if let Content::CheckIn { mood, .. } = &v.content {
            text.push_str(&format!("  {}/10\n", mood.get()));
        }
        match &v.content {
            Content::HiddenAnswer { .. } => text.push_str(&format!(
                "  {}\n",
                t.paint(
                    Style::Dim,
                    "(an answer that opens once you have both answered)"
                )
            )),
            content => {
                for line in content.main_text().lines() {
                    text.push_str(&format!("  {line}\n"));
                }
            }
        }
        text.push('\n');
    }
    if versions.len() > 1 {
        text.push_str(&t.paint(
            Style::Dim,
            "`hearth restore ID N` brings version N back (your own entries).",
        ));
        text.push('\n');
    }
    out(&text);
    Ok(())
}
