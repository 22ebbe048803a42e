//! What `hearth sync` says when it is done.

use super::term::{Style, Term};

/// In sync with the devices of `owners` (their names, joined), and how many entries arrived.
pub(crate) fn in_sync(t: &Term, devices: &str, arrived: usize) {
    let news = match arrived {
        0 => "nothing new arrived".to_owned(),
        1 => "1 new entry arrived".to_owned(),
        n => format!("{n} new entries arrived"),
    };
    eprintln!(
        "{} In sync with {devices}; {news}.",
        t.epaint(Style::Good, "✓")
    );
}

/// No device was reached live, but a mailbox was; how many entries arrived through it.
pub(crate) fn through_mailboxes(t: &Term, arrived: usize) {
    let news = match arrived {
        0 => "nothing new arrived".to_owned(),
        1 => "1 new entry arrived".to_owned(),
        n => format!("{n} new entries arrived"),
    };
    eprintln!(
        "{} Exchanged through the mailbox; {news}.",
        t.epaint(Style::Good, "✓")
    );
}

/// Names the devices of the journal that could not be reached while others were.
pub(crate) fn needs_update(t: &Term, devices: &str) {
    eprintln!(
        "{} {devices} runs an older Hearth, which cannot sync with this one: update Hearth there.",
        t.epaint(Style::Dim, "·")
    );
}

pub(crate) fn not_reached(t: &Term, devices: &str) {
    eprintln!(
        "{} could not reach {devices}; it will catch up from any device of the journal it meets.",
        t.epaint(Style::Dim, "·")
    );
}
