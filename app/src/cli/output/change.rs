//! What the commands that change the journal print: the id of what was added (on standard
//! output, for scripts), or a word of what was done.

use hearth::EntryId;

use super::term::outln;

/// The id of a new entry or comment, alone on a line of standard output.
pub(crate) fn added(id: &EntryId) {
    outln(id.as_str());
}

/// An entry was changed.
pub(crate) fn changed(id: &EntryId) {
    eprintln!("Changed {id}.");
}

/// An entry was deleted.
pub(crate) fn deleted(id: &EntryId) {
    eprintln!("Deleted {id}.");
}

/// An earlier version of an entry was brought back.
pub(crate) fn restored(id: &EntryId, number: usize) {
    eprintln!("Brought back version {number} of {id}; it is the newest version now.");
}

/// Devices of the journal whose older Hearth will not show what was just written.
pub(crate) fn older_devices(term: &super::term::Term, labels: &[String]) {
    if labels.is_empty() {
        return;
    }
    eprintln!(
        "{}",
        term.epaint(
            super::term::Style::Warn,
            &format!(
                "Note: {} runs an older Hearth, which shows evening debriefs once it is updated.",
                labels.join(" and ")
            )
        )
    );
}
