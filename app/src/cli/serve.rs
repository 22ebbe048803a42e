//! `hearth serve`: stay online for the partner's devices, sync live, and print what happens, one
//! line per event, until SIGINT or SIGTERM; then close the network and the store cleanly.

use anyhow::Result;
use hearth::{Closed, Event, Hearth, Route, Warning};
use serde::Serialize;
use tokio::sync::broadcast::error::RecvError;

use super::args::ServeArgs;
use super::json::{self, EntryJson};
use super::lens::Lens;
use super::news::{change, describe, snapshot};
use super::open::open;
use super::signal::Stop;
use super::term::{Style, outln};
use super::time::{iso, stamp};
use super::{Ctx, with};
use crate::clock::now_ms;

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

/// The name of the owner of a paired device, if it is one.
async fn device_name(h: &Hearth, device: &str) -> Result<Option<String>, Closed> {
    Ok(h.status()
        .await?
        .partner_devices
        .into_iter()
        .find(|d| d.device_id == device)
        .map(|d| d.name))
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
    let status = h.status().await?;
    let mut known = snapshot(h).await?;
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
                line.name = device_name(h, &device).await?;
                line.device = Some(device);
                line.route = route;
                printer.print(&line)?;
            }
            Event::Synced { device, .. } => {
                let mut line = Line::new("synced", ctx.offset_minutes);
                line.name = device_name(h, &device).await?;
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
                let now = snapshot(h).await?;
                let lens = Lens::new(h, ctx.term, ctx.offset_minutes).await?;
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
                        let whose = device_name(h, &device).await?.map_or_else(
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
