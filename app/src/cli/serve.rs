//! `hearth serve`: stay online for the partner's devices, sync live, and print what happens, one
//! line per event, until SIGINT or SIGTERM; then close the network and the store cleanly.

use std::collections::BTreeMap;

use anyhow::Result;
use hearth::{
    BidResponse, Content, Entry, EntryId, EntryKind, Event, Filter, Hearth, Item, Route, Turn,
    Warning,
};
use serde::Serialize;
use tokio::sync::broadcast::error::RecvError;

use super::args::ServeArgs;
use super::json::{self, EntryJson};
use super::lens::Lens;
use super::open::open;
use super::render::kind_label;
use super::term::{Style, outln};
use super::time::{iso, now_ms, stamp};
use super::{Ctx, with};

/// How many characters of a device id an event line shows.
const DEVICE_CHARS: usize = 12;

/// One line of output.
#[derive(Serialize)]
struct Line<'a> {
    at_ms: i64,
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
    message: Option<String>,
}

impl Line<'_> {
    fn new(event: &'static str, offset_minutes: i32) -> Self {
        let at_ms = now_ms();
        Line {
            at_ms,
            at: iso(at_ms, offset_minutes),
            event,
            device: None,
            name: None,
            route: None,
            change: None,
            entry: None,
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

/// Waits for SIGINT or SIGTERM. Listening starts when it is made, so that a signal sent as soon
/// as the banner shows is caught.
struct Stop {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl Stop {
    fn listen() -> Result<Stop> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Stop {
                term: signal(SignalKind::terminate())?,
                int: signal(SignalKind::interrupt())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Stop {})
        }
    }

    async fn wait(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.term.recv() => "SIGTERM",
                _ = self.int.recv() => "SIGINT",
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}

/// Every entry of the shared and private journals, deleted or not, to tell what changed.
fn snapshot(h: &Hearth) -> BTreeMap<EntryId, Item> {
    let all = Filter {
        include_deleted: true,
        ..Filter::default()
    };
    h.timeline(&all, None, usize::MAX)
        .items
        .into_iter()
        .map(|i| (i.entry.id.clone(), i))
        .collect()
}

fn response(entry: &Entry) -> Option<BidResponse> {
    match entry.content {
        Content::Bid { response, .. } => response,
        _ => None,
    }
}

/// What happened to an entry between two snapshots.
fn change(old: Option<&Entry>, new: &Entry) -> Option<&'static str> {
    let Some(old) = old else {
        return (!new.deleted).then_some("new");
    };
    if old == new {
        return None;
    }
    Some(if new.deleted && !old.deleted {
        "deleted"
    } else if new.comments.len() > old.comments.len() {
        "commented"
    } else if new.reactions != old.reactions {
        "reacted"
    } else if response(new) != response(old) {
        "responded"
    } else {
        "edited"
    })
}

/// A kind of entry with its article, as in "Bob wrote a check-in".
fn a_kind(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Journal => "a journal entry",
        EntryKind::CheckIn => "a check-in",
        EntryKind::Gratitude => "their gratitude",
        EntryKind::Appreciation => "an appreciation",
        EntryKind::Answer => "an answer",
        EntryKind::Bid => "a bid",
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// What happened to an entry, in a sentence: `Bob commented on Ada's journal: Me too.`.
fn describe(lens: &Lens, what: &str, entry: &Entry) -> String {
    let author = lens.name(&entry.author);
    let kind = kind_label(entry.kind());
    let sentence = match what {
        "new" => format!(
            "{author} wrote {}: {}",
            a_kind(entry.kind()),
            first_line(&entry.content.main_text())
        ),
        "commented" => match entry.comments.last() {
            Some(c) => format!(
                "{} commented on {author}'s {kind}: {}",
                lens.name(&c.author),
                first_line(&c.text)
            ),
            None => format!("{author}'s {kind} has a new comment"),
        },
        "reacted" => {
            let reactions: Vec<String> = entry
                .reactions
                .iter()
                .filter(|(_, set)| !set.is_empty())
                .map(|(who, set)| {
                    let emoji: Vec<&str> = set.iter().map(String::as_str).collect();
                    format!("{} {}", emoji.join(""), lens.name(who))
                })
                .collect();
            format!("reactions to {author}'s {kind}: {}", reactions.join(", "))
        }
        "responded" => match response(entry).map(|r| r.turn) {
            Some(Turn::Toward) => format!("{author}'s bid was turned toward"),
            Some(Turn::Later) => format!("{author}'s bid was kept for later"),
            None => format!("{author}'s bid is open again"),
        },
        "deleted" => format!("{author}'s {kind} was deleted"),
        _ => format!(
            "{author}'s {kind} was edited: {}",
            first_line(&entry.content.main_text())
        ),
    };
    format!("{sentence}  {}", lens.short_id(&entry.id))
}

struct Printer<'a> {
    ctx: &'a Ctx,
    json: bool,
}

impl Printer<'_> {
    fn device(&self, id: &str) -> String {
        id.chars().take(DEVICE_CHARS).collect()
    }

    fn print(&self, line: &Line<'_>) -> Result<()> {
        if self.json {
            return json::print_line(line);
        }
        let t = &self.ctx.term;
        let mut text = format!(
            "{}  {:<9}",
            t.paint(Style::Dim, &stamp(line.at_ms, self.ctx.offset_minutes)),
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
}

pub(crate) async fn run(ctx: &Ctx, args: ServeArgs) -> Result<()> {
    let hearth = open(ctx, Some(&args.net)).await?;
    with(hearth, async |h| serve(ctx, h, &args).await).await?;
    Ok(())
}

async fn serve(ctx: &Ctx, h: &Hearth, args: &ServeArgs) -> Result<()> {
    let mut stop = Stop::listen()?;
    let mut events = h.events();
    let printer = Printer {
        ctx,
        json: args.json,
    };
    let device_name = |h: &Hearth, device: &str| {
        h.status()
            .partner_devices
            .into_iter()
            .find(|d| d.device_id == device)
            .map(|d| d.name)
    };
    let status = h.status();
    let mut known = snapshot(h);
    let mut started = Line::new("started", ctx.offset_minutes);
    started.device = Some(status.device_id.clone());
    started.name = Some(status.member.name.clone());
    started.message = (!status.addresses.is_empty())
        .then(|| format!("reachable at {}", status.addresses.join(", ")));
    printer.print(&started)?;
    let partners = status.partner_devices.len();
    eprintln!(
        "{}",
        ctx.term.epaint(
            Style::Dim,
            &format!(
                "Serving the journal for {} paired device{}; press Ctrl-C to stop.",
                partners,
                if partners == 1 { "" } else { "s" }
            )
        )
    );
    let signal = loop {
        let event = tokio::select! {
            biased;
            signal = stop.wait() => break signal,
            event = events.recv() => event,
        };
        let event = match event {
            Ok(event) => event,
            // Missed some: the journal is compared as a whole below anyway.
            Err(RecvError::Lagged(_)) => Event::JournalChanged { by_partner: true },
            Err(RecvError::Closed) => break "the network stopped",
        };
        match event {
            Event::Presence {
                device,
                online,
                route,
            } => {
                let mut line = Line::new(
                    if online { "online" } else { "offline" },
                    ctx.offset_minutes,
                );
                line.name = device_name(h, &device);
                line.device = Some(device);
                line.route = route;
                printer.print(&line)?;
            }
            Event::Synced { device, .. } => {
                let mut line = Line::new("synced", ctx.offset_minutes);
                line.name = device_name(h, &device);
                line.device = Some(device);
                printer.print(&line)?;
            }
            Event::Paired { device, name } => {
                let mut line = Line::new("paired", ctx.offset_minutes);
                line.device = Some(device);
                line.name = Some(name);
                printer.print(&line)?;
            }
            Event::JournalChanged { .. } => {
                let now = snapshot(h);
                let lens = Lens::new(h, ctx.term, ctx.offset_minutes);
                for (id, item) in &now {
                    let entry = &item.entry;
                    let Some(what) = change(known.get(id).map(|i| &i.entry), entry) else {
                        continue;
                    };
                    let event = if what == "new" { "entry" } else { "changed" };
                    let mut line = Line::new(event, ctx.offset_minutes);
                    line.change = Some(what);
                    line.message = Some(describe(&lens, what, entry));
                    line.entry = Some(json::item(&lens, item));
                    printer.print(&line)?;
                }
                known = now;
            }
            Event::Warning(warning) => {
                let mut line = Line::new("warning", ctx.offset_minutes);
                line.message = Some(match warning {
                    Warning::Misbehaved { device, what } => {
                        let whose = device_name(h, &device).map_or_else(
                            || "a paired device".to_owned(),
                            |n| format!("{n}'s device"),
                        );
                        format!("{whose} was disconnected ({what})")
                    }
                    Warning::StrangerRefused { device } => format!(
                        "a device that is not paired ({}) tried to sync and was turned away",
                        printer.device(&device)
                    ),
                    Warning::Schema(w) => format!("part of the journal cannot be read: {w}"),
                    other => format!("{other:?}"),
                });
                printer.print(&line)?;
            }
            // Local changes: none while serving (the store is ours alone).
            _ => {}
        }
    };
    let mut stopped = Line::new("stopped", ctx.offset_minutes);
    stopped.message = Some(format!("on {signal}"));
    printer.print(&stopped)?;
    Ok(())
}
