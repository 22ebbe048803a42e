//! One new entry through a mailbox — a folder, and a mailbox server on loopback — written on
//! Ada's device, left in the mailbox, and picked up by Ben's device when it next looks, beside the
//! same new entry synced live (the `new_entry` samples of the same run). Neither device runs its
//! network here: they are never online together.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use hearth::{
    Draft, Hearth, MailboxPlace, MailboxServer, NetworkMode, Options, ServerOptions, ServerStorage,
};

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
    let one = done.first().context("the device has its mailbox")?;
    if let Some(e) = &one.error {
        anyhow::bail!("the mailbox exchange failed: {e}");
    }
    Ok(!one.picked_up_from.is_empty())
}

/// The pause before each sample through a server (not timed).
const SERVER_PACE: std::time::Duration = std::time::Duration::from_millis(800);

/// The kind of mailbox a figure goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Folder,
    Server,
}

pub async fn run(
    couple: &Couple,
    samples: usize,
    live: &Samples,
    rng: &mut Rng,
    scratch: &Path,
    kind: Kind,
) -> anyhow::Result<Row> {
    let dir = tempfile::tempdir_in(scratch)?;
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder)?;
    let (server, place) = match kind {
        Kind::Folder => (
            None,
            MailboxPlace::Folder {
                path: folder.clone(),
            },
        ),
        Kind::Server => {
            let server = MailboxServer::start(ServerOptions {
                bind: Some(std::net::SocketAddr::from(([127, 0, 0, 1], 0))),
                network: NetworkMode::Local,
                ..ServerOptions::new(ServerStorage::Folder(folder.clone()))
            })
            .await?;
            let place = MailboxPlace::server(&server.ticket().await)?;
            (Some(server), place)
        }
    };
    let (ada_dir, ben_dir) = (dir.path().join("ada"), dir.path().join("ben"));
    copy_device(&couple.ada, &ada_dir)?;
    copy_device(&couple.ben, &ben_dir)?;
    let ada = Hearth::open(&ada_dir, &passphrase(), offline()).await?;
    let ben = Hearth::open(&ben_dir, &passphrase(), offline()).await?;
    for h in [&ada, &ben] {
        h.add_mailbox(place.clone()).await?;
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
        if kind == Kind::Server {
            // A server answers a journal's devices 16 requests a second once a burst of 256 is
            // used, and a sample takes about a dozen: samples are paced to stay inside that.
            tokio::time::sleep(SERVER_PACE).await;
        }
        let content = corpus::content(rng, &partner, today);
        let start = Instant::now();
        ada.write(Draft::shared(content)).await?;
        exchange(&ada).await?;
        let arrived = exchange(&ben).await?;
        took.push_duration(start.elapsed());
        anyhow::ensure!(arrived, "the entry arrived through the mailbox");
    }
    ada.shutdown().await;
    ben.shutdown().await;
    if let Some(server) = server {
        server.shutdown().await;
    }
    let (id, through) = match kind {
        Kind::Folder => ("mailbox_entry", "a folder mailbox"),
        Kind::Server => ("mailbox_server_entry", "a mailbox server on loopback"),
    };
    Ok(Row::new(
        id,
        format!(
            "one new entry through {through} into a {}-entry journal (write, leave, pick up)",
            couple.written.entries
        ),
        Unit::Ms,
        &took,
    )
    .tail()
    .baseline("the same new entry synced live (new_entry)", live)
    .note(format!(
        "the first pickup, bringing Ben's device the whole {}-entry history through {through}, took {:.0} ms",
        couple.written.entries,
        catch_up.as_secs_f64() * 1000.0
    )))
}
