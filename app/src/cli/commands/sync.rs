//! `hearth sync`: dial the partner's devices and exchange until neither side has anything new.

use std::collections::BTreeSet;
use std::time::Duration;

use anyhow::Result;
use hearth::{Closed, DeviceId, EntryId, Filter, Hearth, MailboxError, MailboxExchange, SyncError};

use super::open::open;
use super::with;
use crate::cli::Ctx;
use crate::cli::args::SyncArgs;
use crate::cli::exit::{REMOVED, UNREACHABLE, UPDATE_NEEDED, exit, fail};
use crate::cli::output;

/// The live entries of both journals.
async fn live_ids(h: &Hearth) -> Result<BTreeSet<EntryId>, Closed> {
    Ok(h.timeline(&Filter::default(), None, usize::MAX)
        .await?
        .items
        .into_iter()
        .map(|i| i.entry.id)
        .collect())
}

/// These devices, as a person names them ("Bob's device and the home device “attic”").
async fn labels(h: &Hearth, devices: &[DeviceId]) -> Result<String, Closed> {
    let status = h.status().await?;
    let mut names: Vec<String> = devices.iter().map(|id| status.device_label(*id)).collect();
    names.sort();
    names.dedup();
    Ok(match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    })
}

/// Of `devices`, those found running an older Hearth, and the others.
async fn outdated(
    h: &Hearth,
    devices: &[DeviceId],
) -> Result<(Vec<DeviceId>, Vec<DeviceId>), Closed> {
    let status = h.status().await?;
    let needs_update: BTreeSet<DeviceId> = status
        .members
        .iter()
        .flat_map(|m| &m.devices)
        .chain(&status.home_devices)
        .filter(|d| d.needs_update)
        .map(|d| d.id)
        .collect();
    Ok(devices.iter().partition(|d| needs_update.contains(d)))
}

async fn sync_error(h: &Hearth, e: SyncError) -> anyhow::Error {
    match e {
        SyncError::PartnerUnreachable { waited, missing } => {
            let described = async {
                let (old, unreached) = outdated(h, &missing).await?;
                let lan_discovery = h.status().await?.lan_discovery;
                Ok::<_, Closed>((
                    labels(h, &old).await?,
                    labels(h, &unreached).await?,
                    lan_discovery,
                ))
            };
            match described.await {
                Ok((old, unreached, _)) if unreached.is_empty() => exit(
                    UPDATE_NEEDED,
                    format!(
                        "{old} runs an older Hearth, which cannot sync with this one; update \
                         Hearth on {old}"
                    ),
                ),
                Ok((old, unreached, lan_discovery)) => {
                    let also = if old.is_empty() {
                        String::new()
                    } else {
                        format!(" ({old} runs an older Hearth: update Hearth there)")
                    };
                    // Without LAN discovery a device that moved on the local network is looked
                    // for only where it was last seen: say so, it is the likeliest reason.
                    let blind = if lan_discovery {
                        ""
                    } else {
                        " (LAN discovery is off on this device: a device that moved on the local \
                         network is looked for only where it was last seen)"
                    };
                    exit(
                        UNREACHABLE,
                        format!(
                            "could not reach {unreached} within {} s; is Hearth open there (the \
                             app, or `hearth serve`), on a network this device can reach?{also}\
                             {blind}",
                            waited.as_secs()
                        ),
                    )
                }
                Err(closed) => closed.into(),
            }
        }
        SyncError::UpdateThisDevice { device } => match labels(h, &[device]).await {
            Ok(device) => exit(
                UPDATE_NEEDED,
                format!(
                    "{device} runs a newer Hearth, whose sync this version does not speak; \
                     update Hearth on this device"
                ),
            ),
            Err(closed) => closed.into(),
        },
        SyncError::Removed { by } => match labels(h, &[by]).await {
            Ok(device) => exit(
                REMOVED,
                format!(
                    "this device was removed from the journal (on {device}); it syncs with no \
                     device of the journal any more, and keeps what it holds, read only"
                ),
            ),
            Err(closed) => closed.into(),
        },
        SyncError::NotPaired => fail(
            "this device is not paired with anyone yet; pair with `hearth invite` or \
             `hearth join` first",
        ),
        e => anyhow::Error::new(e),
    }
}

/// Exchanges with every mailbox; `None` when this device was removed (the live sync says so).
async fn mailboxes(h: &Hearth) -> Result<Option<Vec<MailboxExchange>>> {
    match h.exchange_with_mailboxes().await {
        Ok(all) => Ok(Some(all)),
        Err(MailboxError::Removed) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Prints what each mailbox exchange did.
async fn tell_mailboxes(ctx: &Ctx, h: &Hearth, exchanges: &[MailboxExchange]) -> Result<()> {
    for m in exchanges {
        let from = labels(h, &m.picked_up_from).await?;
        output::mailbox::exchanged(&ctx.term, m, &from);
    }
    Ok(())
}

pub(crate) async fn run(ctx: &Ctx, args: SyncArgs) -> Result<()> {
    let hearth = open(ctx, Some(&args.net)).await?;
    with(hearth, async |h| {
        let before = live_ids(h).await?;
        // The mailboxes first: what the others left arrives, and what this device holds waits
        // there for them, whoever is online.
        let mut exchanges = mailboxes(h).await?.unwrap_or_default();
        let reached_mailbox = exchanges.iter().any(|m| m.error.is_none());
        let timeout = args.timeout.unwrap_or(if reached_mailbox { 5 } else { 30 });
        let live = h.sync_now(Duration::from_secs(timeout)).await;
        let report = match live {
            Ok(report) => {
                // What arrived live goes in the mailboxes too, for the devices that are not.
                if !exchanges.is_empty()
                    && let Some(again) = mailboxes(h).await?
                {
                    for (first, second) in exchanges.iter_mut().zip(again) {
                        first.delivered |= second.delivered;
                        first.picked_up_from.extend(second.picked_up_from);
                        first.error = second.error;
                    }
                }
                report
            }
            Err(SyncError::PartnerUnreachable { missing, .. }) if reached_mailbox => {
                hearth::SyncReport {
                    devices: Vec::new(),
                    unreachable: missing,
                }
            }
            Err(e) => {
                // A mailbox that failed says why before the live sync's own error.
                tell_mailboxes(ctx, h, &exchanges).await?;
                return Err(sync_error(h, e).await);
            }
        };
        let me = h.me().await?.id;
        let arrived = h
            .timeline(&Filter::default(), None, usize::MAX)
            .await?
            .items
            .into_iter()
            .filter(|i| !before.contains(&i.entry.id) && i.entry.author != me)
            .count();
        let devices: Vec<DeviceId> = report.devices.into_iter().map(|d| d.device_id).collect();
        tell_mailboxes(ctx, h, &exchanges).await?;
        if devices.is_empty() {
            output::sync::through_mailboxes(&ctx.term, arrived);
        } else {
            output::sync::in_sync(&ctx.term, &labels(h, &devices).await?, arrived);
        }
        let (old, unreached) = outdated(h, &report.unreachable).await?;
        if !unreached.is_empty() {
            output::sync::not_reached(&ctx.term, &labels(h, &unreached).await?);
        }
        if !old.is_empty() {
            output::sync::needs_update(&ctx.term, &labels(h, &old).await?);
        }
        Ok(())
    })
    .await
}
