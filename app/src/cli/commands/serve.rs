//! `hearth serve`: stay online for the partner's devices, sync live, and print what happens, one
//! line per event, until SIGINT or SIGTERM; then close the network and the store cleanly.

use std::collections::BTreeMap;

use anyhow::Result;
use hearth::{Closed, DeviceId, EntryId, Event, Filter, Hearth, Item, Warning};
use tokio::sync::broadcast::error::RecvError;

use super::open::open_serving;
use super::signal::Stop;
use super::{names, with};
use crate::cli::Ctx;
use crate::cli::args::ServeArgs;
use crate::cli::output::{self, serve::Printer};

/// Every entry of the shared and private journals, deleted or not, to tell what changed.
async fn snapshot(h: &Hearth) -> Result<BTreeMap<EntryId, Item>, Closed> {
    let all = Filter {
        include_deleted: true,
        ..Filter::default()
    };
    Ok(h.timeline(&all, None, usize::MAX)
        .await?
        .items
        .into_iter()
        .map(|i| (i.entry.id.clone(), i))
        .collect())
}

/// The name of the owner of a paired device, if it is one.
async fn device_name(h: &Hearth, device: &DeviceId) -> Result<Option<String>, Closed> {
    Ok(h.status()
        .await?
        .partner_devices
        .into_iter()
        .find(|d| d.device_id == *device)
        .map(|d| d.name))
}

pub(crate) async fn run(ctx: &Ctx, args: ServeArgs) -> Result<()> {
    let hearth = open_serving(ctx, &args.net).await?;
    with(hearth, async |h| serve(ctx, h, &args).await).await?;
    Ok(())
}

/// The rituals' reminders while serving: where each stands, and the answers given on them.
struct Reminders {
    rests: std::collections::HashMap<hearth::Ritual, crate::remind::Rest>,
    quiet: Option<crate::remind::Quiet>,
    tx: crate::remind::Heards,
    heard: std::sync::mpsc::Receiver<(hearth::Ritual, crate::remind::Heard)>,
}

impl Reminders {
    fn new(args: &ServeArgs) -> Self {
        let (tx, heard) = std::sync::mpsc::channel();
        Reminders {
            rests: std::collections::HashMap::new(),
            quiet: args.quiet_hours.map(|(from, until)| crate::remind::Quiet {
                from: from.minutes(),
                until: until.minutes(),
            }),
            tx,
            heard,
        }
    }

    /// Takes the answers given, then sends the notification of each ritual due now.
    async fn look(&mut self, ctx: &Ctx, h: &Hearth, printer: &Printer) -> Result<()> {
        let now = hearth::UnixMs::now();
        while let Ok((ritual, heard)) = self.heard.try_recv() {
            match heard {
                crate::remind::Heard::Answer(answer) => {
                    self.rests
                        .entry(ritual)
                        .or_default()
                        .answer(answer, now, &ctx.zone);
                    printer.reminder_answered(ritual, answer == crate::remind::Answer::Snooze)?;
                }
                crate::remind::Heard::NotShown(why) => printer.reminded(ritual, Some(why))?,
            }
        }
        let rituals = h.rituals().await?;
        for setting in &rituals.settings {
            let rest = self.rests.entry(setting.ritual).or_default();
            if crate::remind::should_notify(setting, rest, self.quiet, now, &ctx.zone) {
                rest.notified_day = ctx.zone.date_at(now).days_since_epoch();
                crate::remind::send(setting.ritual, self.tx.clone());
                printer.reminded(setting.ritual, None)?;
            }
        }
        Ok(())
    }
}

/// How often `serve --remind` looks whether a ritual is due.
const REMIND_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

async fn serve(ctx: &Ctx, h: &Hearth, args: &ServeArgs) -> Result<()> {
    let mut stop = Stop::listen()?;
    let mut reminders = args.remind.then(|| Reminders::new(args));
    let mut remind_tick = tokio::time::interval(REMIND_EVERY);
    let mut events = h.events();
    let printer = Printer::new(ctx.term, ctx.zone.clone(), args.json);
    let status = h.status().await?;
    let mut known = snapshot(h).await?;
    let reachable = output::status::reachable_at(&status);
    printer.started(status.device_id, &status.member.name, &reachable)?;
    printer.serving(status.partner_devices.len());
    let signal = loop {
        let event = tokio::select! {
            biased;
            signal = stop.wait() => break signal,
            event = events.recv() => event,
            _ = remind_tick.tick(), if reminders.is_some() => {
                if let Some(r) = reminders.as_mut() {
                    r.look(ctx, h, &printer).await?;
                }
                continue;
            }
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
                let name = device_name(h, &device).await?;
                printer.presence(device, name, online, route)?;
            }
            Event::Synced { device, .. } => {
                let name = device_name(h, &device).await?;
                printer.synced(device, name)?;
            }
            Event::Paired { device, name } => printer.paired(device, name)?,
            Event::Removed { by } => {
                let status = h.status().await?;
                printer.removed(by, &status.device_label(by))?;
            }
            Event::JournalChanged { .. } => {
                let now = snapshot(h).await?;
                let names = names(h, ctx).await?;
                printer.changes(&names, &known, &now)?;
                known = now;
            }
            Event::Mailbox {
                name,
                delivered,
                picked_up,
                error,
            } => printer.mailbox(name, delivered, picked_up, error)?,
            Event::Warning(warning) => {
                let owner = match &warning {
                    Warning::Misbehaved { device, .. } => device_name(h, device).await?,
                    Warning::VersionMismatch { device, .. } => {
                        Some(h.status().await?.device_label(*device))
                    }
                    _ => None,
                };
                printer.warning(warning, owner)?;
            }
            // Local changes: none while serving (the store is ours alone).
            _ => {}
        }
    };
    printer.stopped(signal)?;
    Ok(())
}
