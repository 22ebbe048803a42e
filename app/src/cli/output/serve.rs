//! What `hearth serve` prints: one line per event, as text or as a JSON object (docs/cli.md).

use std::collections::BTreeMap;

use anyhow::Result;
use hearth::{DeviceId, EntryId, Item, Route, Warning};
use serde::Serialize;

use super::entry_changes::{Change, change, describe};
use super::json::{self, EntryJson};
use super::names::Names;
use super::term::{Style, Term, outln};
use super::time::{iso, stamp};
use hearth::Zone;

/// How many characters of a device id an event line shows.
const DEVICE_CHARS: usize = 12;

/// One line of output.
#[derive(Serialize)]
struct Line<'a> {
    at_ms: hearth::UnixMs,
    at: String,
    event: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    device: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    route: Option<Route>,
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entry: Option<EntryJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mailbox: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delivered: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    picked_up: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

impl Line<'_> {
    fn new(event: &'static str, zone: &Zone) -> Self {
        let at_ms = hearth::UnixMs::now();
        Line {
            at_ms,
            at: iso(at_ms, zone),
            event,
            device: None,
            name: None,
            route: None,
            change: None,
            entry: None,
            mailbox: None,
            delivered: None,
            picked_up: None,
            message: None,
        }
    }
}

fn route_name(route: Route) -> &'static str {
    match route {
        Route::Lan => "the local network",
        Route::Internet => "the internet, directly",
        Route::Relayed => "a relay",
        Route::Unknown => "a path not known yet",
    }
}

/// Prints the events, each as it happens.
pub(crate) struct Printer {
    term: Term,
    zone: Zone,
    json: bool,
}

impl Printer {
    /// Lines for `term`, with times in the local time zone; JSON objects when `json`.
    pub(crate) fn new(term: Term, zone: Zone, json: bool) -> Printer {
        Printer { term, zone, json }
    }

    fn line<'a>(&self, event: &'static str) -> Line<'a> {
        Line::new(event, &self.zone)
    }

    fn device(&self, id: &str) -> String {
        id.chars().take(DEVICE_CHARS).collect()
    }

    fn print(&self, line: &Line<'_>) -> Result<()> {
        if self.json {
            return json::print_line(line);
        }
        let t = &self.term;
        let mut text = format!(
            "{}  {:<9}",
            t.paint(Style::Dim, &stamp(line.at_ms, &self.zone)),
            line.event
        );
        if let Some(device) = &line.device {
            let whose = line.name.as_deref().unwrap_or("unknown");
            text.push_str(&format!(
                " {}'s device {}",
                t.paint(Style::Bold, whose),
                t.paint(Style::Dim, &self.device(device))
            ));
        }
        if let Some(route) = line.route {
            text.push_str(&format!(" via {}", route_name(route)));
        }
        if let Some(message) = &line.message {
            text.push(' ');
            text.push_str(message);
        }
        outln(&text);
        Ok(())
    }

    /// Serving has started: this device, this person, and the addresses it is reachable at.
    pub(crate) fn started(&self, device: DeviceId, name: &str, addresses: &[String]) -> Result<()> {
        let mut line = self.line("started");
        line.device = Some(device.to_string());
        line.name = Some(name.to_owned());
        line.message =
            (!addresses.is_empty()).then(|| format!("reachable at {}", addresses.join(", ")));
        self.print(&line)
    }

    /// For the person, on standard error: how many devices are served, and how to stop.
    pub(crate) fn serving(&self, partners: usize) {
        eprintln!(
            "{}",
            self.term.epaint(
                Style::Dim,
                &format!(
                    "Serving the journal for {} paired device{}; press Ctrl-C to stop.",
                    partners,
                    if partners == 1 { "" } else { "s" }
                )
            )
        );
    }

    /// A partner's device came online (by `route`) or went offline; `name` is its owner's.
    pub(crate) fn presence(
        &self,
        device: DeviceId,
        name: Option<String>,
        online: bool,
        route: Option<Route>,
    ) -> Result<()> {
        let mut line = self.line(if online { "online" } else { "offline" });
        line.name = name;
        line.device = Some(device.to_string());
        line.route = route;
        self.print(&line)
    }

    /// This device and `device` have the same journal.
    pub(crate) fn synced(&self, device: DeviceId, name: Option<String>) -> Result<()> {
        let mut line = self.line("synced");
        line.name = name;
        line.device = Some(device.to_string());
        self.print(&line)
    }

    /// A ritual's desktop notification was sent (`sent`), or could not be (`why`).
    pub(crate) fn reminded(&self, ritual: hearth::Ritual, why: Option<String>) -> Result<()> {
        let mut line = self.line("reminded");
        line.message = Some(match why {
            None => ritual.title().to_owned(),
            Some(why) => format!("{}: {why}", ritual.title()),
        });
        self.print(&line)
    }

    /// An answer given on a ritual's notification: snoozed for an hour, or set aside for today.
    pub(crate) fn reminder_answered(&self, ritual: hearth::Ritual, snoozed: bool) -> Result<()> {
        let mut line = self.line("reminder");
        line.message = Some(format!(
            "{}: {}",
            ritual.title(),
            if snoozed {
                "snoozed for an hour"
            } else {
                "not today"
            }
        ));
        self.print(&line)
    }

    /// A device was paired.
    pub(crate) fn paired(&self, device: DeviceId, name: String) -> Result<()> {
        let mut line = self.line("paired");
        line.device = Some(device.to_string());
        line.name = Some(name);
        self.print(&line)
    }

    /// A line for each entry that changed between the journal as it was (`before`) and as it is
    /// (`now`): every entry of both journals, deleted or not, by id.
    pub(crate) fn changes(
        &self,
        names: &Names,
        before: &BTreeMap<EntryId, Item>,
        now: &BTreeMap<EntryId, Item>,
    ) -> Result<()> {
        for (id, item) in now {
            let entry = &item.entry;
            let Some(what) = change(before.get(id).map(|i| &i.entry), entry) else {
                continue;
            };
            let event = if what == Change::New {
                "entry"
            } else {
                "changed"
            };
            let mut line = self.line(event);
            line.change = Some(what.as_str());
            line.message = Some(describe(names, what, entry));
            line.entry = Some(json::item(names, item));
            self.print(&line)?;
        }
        Ok(())
    }

    /// Something the person may want to know; `owner` is the name of the owner of the device it
    /// is about, when that is a paired device (for a version mismatch: the device as a person
    /// names it).
    pub(crate) fn warning(&self, warning: Warning, owner: Option<String>) -> Result<()> {
        let mut line = self.line("warning");
        line.message = Some(match warning {
            Warning::Misbehaved { what, .. } => {
                let whose =
                    owner.map_or_else(|| "a paired device".to_owned(), |n| format!("{n}'s device"));
                format!("{whose} was disconnected ({what})")
            }
            Warning::StrangerRefused { device } => format!(
                "a device that is not paired ({}) tried to sync and was turned away",
                self.device(&device.to_string())
            ),
            Warning::Schema(w) => format!("part of the journal cannot be read: {w}"),
            Warning::VersionMismatch { update_here, .. } => {
                let device = owner.unwrap_or_else(|| "a device of the journal".to_owned());
                if update_here {
                    format!(
                        "{device} runs a newer Hearth, whose sync this version does not speak: \
                         update Hearth on this device"
                    )
                } else {
                    format!(
                        "{device} runs an older Hearth, which cannot sync with this one: update \
                         Hearth on {device}"
                    )
                }
            }
            other => format!("{other:?}"),
        });
        self.print(&line)
    }

    /// This device was removed from the journal; `on` names the device that said so.
    pub(crate) fn removed(&self, by: DeviceId, on: &str) -> Result<()> {
        let mut line = self.line("removed");
        line.device = Some(by.to_string());
        line.message = Some(format!(
            "this device was removed from the journal (on {on}); it syncs with nobody from now \
             on, and keeps what it holds, read only"
        ));
        self.print(&line)
    }

    /// An exchange with a mailbox left or picked up something, or failed (one that did nothing
    /// prints nothing).
    pub(crate) fn mailbox(
        &self,
        name: String,
        delivered: bool,
        picked_up: bool,
        error: Option<String>,
    ) -> Result<()> {
        if !delivered && !picked_up && error.is_none() {
            return Ok(());
        }
        let mut line = self.line("mailbox");
        let said = match (&error, delivered, picked_up) {
            (Some(e), ..) => format!("“{name}”: {e}"),
            (None, true, true) => {
                format!("“{name}”: left this device's changes, picked up new ones")
            }
            (None, true, false) => format!("“{name}”: left this device's changes"),
            (None, _, _) => format!("“{name}”: picked up new changes"),
        };
        line.mailbox = Some(name);
        line.delivered = Some(delivered);
        line.picked_up = Some(picked_up);
        line.message = Some(said);
        self.print(&line)
    }

    /// Serving stopped, on `signal`.
    pub(crate) fn stopped(&self, signal: &str) -> Result<()> {
        let mut line = self.line("stopped");
        line.message = Some(format!("on {signal}"));
        self.print(&line)
    }
}
