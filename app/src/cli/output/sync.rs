//! What `hearth sync` says when it is done.

use super::term::{Style, Term};

/// In sync with the devices of `owners` (their names, joined), and how many entries arrived.
pub(crate) fn in_sync(t: &Term, owners: &str, arrived: usize) {
    let news = match arrived {
        0 => "nothing new arrived".to_owned(),
        1 => "1 new entry arrived".to_owned(),
        n => format!("{n} new entries arrived"),
    };
    eprintln!(
        "{} In sync with {owners}'s device; {news}.",
        t.epaint(Style::Good, "✓")
    );
}
