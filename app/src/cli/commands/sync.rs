//! `hearth sync`: dial the partner's devices and exchange until neither side has anything new.

use std::collections::BTreeSet;
use std::time::Duration;

use anyhow::Result;
use hearth::{Closed, DeviceId, EntryId, Filter, Hearth, SyncError};

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
                Ok::<_, Closed>((labels(h, &old).await?, labels(h, &unreached).await?))
            };
            match described.await {
                Ok((old, unreached)) if unreached.is_empty() => exit(
                    UPDATE_NEEDED,
                    format!(
                        "{old} runs an older Hearth, which cannot sync with this one; update \
                         Hearth on {old}"
                    ),
                ),
                Ok((old, unreached)) => {
                    let also = if old.is_empty() {
                        String::new()
                    } else {
                        format!(" ({old} runs an older Hearth: update Hearth there)")
                    };
                    exit(
                        UNREACHABLE,
                        format!(
                            "could not reach {unreached} within {} s; is Hearth open there (the \
                             app, or `hearth serve`), on a network this device can reach?{also}",
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

pub(crate) async fn run(ctx: &Ctx, args: SyncArgs) -> Result<()> {
    let hearth = open(ctx, Some(&args.net)).await?;
    with(hearth, async |h| {
        let before = live_ids(h).await?;
        let report = match h.sync_now(Duration::from_secs(args.timeout)).await {
            Ok(report) => report,
            Err(e) => return Err(sync_error(h, e).await),
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
        output::sync::in_sync(&ctx.term, &labels(h, &devices).await?, arrived);
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
