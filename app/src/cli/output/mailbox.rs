//! What `hearth mailbox` and the mailbox part of `hearth sync` print.

use anyhow::Result;
use hearth::{MailboxExchange, MailboxInfo, MailboxPlace, UnixMs, Zone};
use serde::Serialize;

use super::json;
use super::term::{Style, Term, outln};
use super::time::{iso, when};

#[derive(Serialize)]
pub(crate) struct MailboxJson {
    name: String,
    kind: &'static str,
    path: Option<String>,
    delivered_ms: Option<UnixMs>,
    delivered: Option<String>,
    picked_up_ms: Option<UnixMs>,
    picked_up: Option<String>,
    exchanged_ms: Option<UnixMs>,
    exchanged: Option<String>,
    last_error: Option<String>,
}

fn place(m: &MailboxInfo) -> (&'static str, Option<String>, String) {
    match &m.place {
        MailboxPlace::Folder { path } => (
            "folder",
            Some(path.display().to_string()),
            path.display().to_string(),
        ),
        MailboxPlace::Server { .. } => ("server", None, "a mailbox server".to_owned()),
        _ => ("other", None, String::new()),
    }
}

pub(crate) fn print_json(zone: &Zone, list: &[MailboxInfo]) -> Result<()> {
    json::print(&shaped(zone, list))
}

/// The mailboxes as `mailbox list --json` and `status --json` show them.
pub(crate) fn shaped(zone: &Zone, list: &[MailboxInfo]) -> Vec<MailboxJson> {
    let at = |ms: Option<UnixMs>| ms.map(|ms| iso(ms, zone));
    list.iter()
        .map(|m| {
            let (kind, path, _) = place(m);
            MailboxJson {
                name: m.name.clone(),
                kind,
                path,
                delivered_ms: m.delivered_ms,
                delivered: at(m.delivered_ms),
                picked_up_ms: m.picked_up_ms,
                picked_up: at(m.picked_up_ms),
                exchanged_ms: m.exchanged_ms,
                exchanged: at(m.exchanged_ms),
                last_error: m.last_error.clone(),
            }
        })
        .collect()
}

/// One line of the text status for a mailbox.
pub(crate) fn summary(m: &MailboxInfo, zone: &Zone) -> String {
    let now = UnixMs::now();
    let at = |ms: Option<UnixMs>| ms.map_or_else(|| "never".to_owned(), |ms| when(ms, now, zone));
    let mut line = format!(
        "“{}” · delivered {} · picked up {}",
        m.name,
        at(m.delivered_ms),
        at(m.picked_up_ms)
    );
    if let Some(e) = &m.last_error {
        line.push_str(&format!(" · last exchange failed: {e}"));
    }
    line
}

pub(crate) fn print_text(t: &Term, zone: &Zone, list: &[MailboxInfo]) {
    if list.is_empty() {
        eprintln!(
            "No mailbox yet. Add a folder both your computers reach (hearth mailbox add DIR), or \
             a mailbox server by its ticket (hearth mailbox add TICKET)."
        );
        return;
    }
    let now = UnixMs::now();
    let at = |ms: Option<UnixMs>| ms.map_or_else(|| "never".to_owned(), |ms| when(ms, now, zone));
    for m in list {
        let (_, _, where_) = place(m);
        outln(&format!(
            "{}  {}",
            t.paint(Style::Bold, &m.name),
            t.paint(Style::Dim, &where_)
        ));
        outln(&format!(
            "    delivered {} · picked up {}",
            at(m.delivered_ms),
            at(m.picked_up_ms)
        ));
        if let Some(e) = &m.last_error {
            outln(&format!(
                "    {}",
                t.paint(Style::Warn, &format!("last exchange failed: {e}"))
            ));
        }
    }
}

pub(crate) fn added(t: &Term, added: &MailboxInfo, exchanged: Option<&MailboxExchange>) {
    eprintln!(
        "{} Added the mailbox “{}”. Your devices leave sealed changes there for each other; \
         nothing in it is readable without your journal's key.",
        t.epaint(Style::Good, "✓"),
        added.name
    );
    if let Some(e) = exchanged.and_then(|x| x.error.as_ref()) {
        eprintln!(
            "{} The first exchange with it failed: {e}",
            t.epaint(Style::Warn, "!")
        );
    }
}

pub(crate) fn removed(t: &Term, name: &str) {
    eprintln!(
        "{} This device no longer uses the mailbox “{name}”. What it left there goes once the \
         others have it, or after 60 days.",
        t.epaint(Style::Good, "✓")
    );
}

/// One line per mailbox after `hearth sync`: what was left, what was picked up and from whom
/// (`from` names the devices), or why it failed.
pub(crate) fn exchanged(t: &Term, m: &MailboxExchange, from: &str) {
    if let Some(e) = &m.error {
        eprintln!("{} Mailbox “{}”: {e}", t.epaint(Style::Warn, "!"), m.name);
        return;
    }
    let mut said = Vec::new();
    if m.delivered {
        said.push("left your changes there".to_owned());
    }
    if !m.picked_up_from.is_empty() {
        said.push(format!("picked up what {from} left"));
    }
    if said.is_empty() {
        said.push("nothing new either way".to_owned());
    }
    eprintln!(
        "{} Mailbox “{}”: {}.",
        t.epaint(Style::Good, "✓"),
        m.name,
        said.join("; ")
    );
    if !m.waiting_for_key.is_empty() {
        eprintln!(
            "{} Some of it is sealed under a journal key this device has not received yet; it \
             opens once it has.",
            t.epaint(Style::Dim, "·")
        );
    }
}

/// What `hearth mailbox serve` says once it serves, on standard error (standard output has only
/// the ticket).
pub(crate) fn serving(t: &Term, name: &str, storage: &str) {
    eprintln!(
        "{} Mailbox server “{name}” is serving, keeping its files in {storage}. Add it on a \
         device of each journal it serves with `hearth mailbox add TICKET` (the line above); it \
         keeps only sealed files it cannot read. Stop it with Ctrl-C.",
        t.epaint(Style::Good, "✓")
    );
}

/// What `hearth mailbox serve` says when it stops.
pub(crate) fn stopped(t: &Term, signal: &str) {
    eprintln!(
        "{} {signal}: the mailbox server stopped; its files and identity stay in its storage.",
        t.epaint(Style::Dim, "·")
    );
}
