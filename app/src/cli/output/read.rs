//! What `list`, `show` and `search` print: entries as the timeline or in full, or as JSON.

use anyhow::Result;
use hearth::Item;

use super::entries::{detail, timeline};
use super::json;
use super::names::Names;
use super::term::{Style, Term, out, outln};

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
