//! One new entry through a folder mailbox: written on Ada's device, left in the folder, and
//! picked up by Ben's device when it next looks, beside the same new entry synced live (the
//! `new_entry` samples of the same run). Neither device runs its network here: they are never
//! online together.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use hearth::{Draft, Hearth, MailboxPlace, Options};

use crate::corpus;
use crate::fixture::{Couple, any_port, copy_device, options, passphrase};
use crate::measure::Samples;
use crate::report::{Row, Unit};
use crate::rng::Rng;

fn offline() -> Options {
    Options {
        keep_mailboxes: false,
        ..options(any_port(), false)
    }
}

/// One exchange; fails on a mailbox error.
async fn exchange(h: &Hearth) -> anyhow::Result<bool> {
    let done = h.exchange_with_mailboxes().await?;
    let one = done.first().context("the folder is a mailbox")?;
    if let Some(e) = &one.error {
        anyhow::bail!("the mailbox exchange failed: {e}");
    }
    Ok(!one.picked_up_from.is_empty())
}

pub async fn run(
    couple: &Couple,
    samples: usize,
    live: &Samples,
    rng: &mut Rng,
    scratch: &Path,
) -> anyhow::Result<Row> {
    let dir = tempfile::tempdir_in(scratch)?;
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder)?;
    let (ada_dir, ben_dir) = (dir.path().join("ada"), dir.path().join("ben"));
    copy_device(&couple.ada, &ada_dir)?;
    copy_device(&couple.ben, &ben_dir)?;
    let ada = Hearth::open(&ada_dir, &passphrase(), offline()).await?;
    let ben = Hearth::open(&ben_dir, &passphrase(), offline()).await?;
    for h in [&ada, &ben] {
        h.add_mailbox(MailboxPlace::Folder {
            path: folder.clone(),
        })
        .await?;
    }
    // Ben's device holds the journal as it was at pairing: the first pickup brings it the whole
    // history, timed on its own.
    exchange(&ben).await?;
    exchange(&ada).await?;
    let start = Instant::now();
    let caught_up = exchange(&ben).await?;
    let catch_up = start.elapsed();
    anyhow::ensure!(caught_up, "Ben's device took in Ada's history");
    exchange(&ada).await?;

    let partner = ben.me().await?.id;
    let today = corpus::today();
    let mut took = Samples::new();
    for _ in 0..samples.max(1) {
        let content = corpus::content(rng, &partner, today);
        let start = Instant::now();
        ada.write(Draft::shared(content)).await?;
        exchange(&ada).await?;
        let arrived = exchange(&ben).await?;
        took.push_duration(start.elapsed());
        anyhow::ensure!(arrived, "the entry arrived through the folder");
    }
    ada.shutdown().await;
    ben.shutdown().await;
    Ok(Row::new(
        "mailbox_entry",
        format!(
            "one new entry through a folder mailbox into a {}-entry journal (write, leave, pick up)",
            couple.written.entries
        ),
        Unit::Ms,
        &took,
    )
    .tail()
    .baseline("the same new entry synced live (new_entry)", live)
    .note(format!(
        "the first pickup, bringing Ben's device the whole {}-entry history through the folder, took {:.0} ms",
        couple.written.entries,
        catch_up.as_secs_f64() * 1000.0
    )))
}
