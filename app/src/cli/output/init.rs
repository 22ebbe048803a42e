//! What `hearth init` says once the journal is ready.

use std::path::Path;

use super::term::{Style, Term};

/// Welcomes `name`, says where the journal is and which device this is, and what to do next.
pub(crate) fn welcome(t: &Term, name: &str, dir: &Path, device: &str) {
    eprintln!(
        "Welcome, {}. Your journal is ready in {}.",
        t.epaint(Style::Bold, name),
        dir.display()
    );
    eprintln!(
        "{}",
        t.epaint(Style::Dim, &format!("This device: {device}"))
    );
    eprintln!(
        "Next: `hearth invite` to pair with your partner's device (together, in person), or \
         `hearth write \"...\"` to begin."
    );
}

/// Says the home device is ready, and how it joins the journal.
pub(crate) fn home_ready(t: &Term, dir: &Path, device: &str) {
    eprintln!(
        "This home device is ready in {}. It keeps the journal for both of you and writes \
         nothing of its own.",
        dir.display()
    );
    eprintln!(
        "{}",
        t.epaint(Style::Dim, &format!("This device: {device}"))
    );
    eprintln!(
        "Next: on a device of the journal run `hearth invite --for home`, then here \
         `hearth join TICKET`; afterwards keep `hearth serve` running here."
    );
}
