//! `hearth mailbox add | list | remove | serve`.

use anyhow::Result;
use hearth::{
    MailboxError, MailboxPlace, MailboxServer, NetworkMode, ServerOptions, ServerStorage,
};

use super::open::open;
use super::signal::Stop;
use super::with;
use crate::cli::Ctx;
use crate::cli::args::{MailboxCommand, MailboxServeArgs};
use crate::cli::exit::fail;
use crate::cli::output;
use crate::cli::output::term::outln;

fn refused(e: MailboxError) -> anyhow::Error {
    match e {
        MailboxError::NotAFolder(_)
        | MailboxError::BadTicket(_)
        | MailboxError::NameTaken(_)
        | MailboxError::NoSuchMailbox(_) => fail(e.to_string()),
        e => anyhow::Error::new(e),
    }
}

pub(crate) async fn run(ctx: &Ctx, command: MailboxCommand) -> Result<()> {
    match command {
        MailboxCommand::Add { place } => {
            // Checked before the passphrase is asked for.
            let place = match place.to_str() {
                Some(text) => MailboxPlace::parse(text).map_err(refused)?,
                None => MailboxPlace::Folder { path: place.into() },
            };
            if let MailboxPlace::Folder { path } = &place
                && !path.is_dir()
            {
                return Err(refused(MailboxError::NotAFolder(path.clone())));
            }
            let hearth = open(ctx, None).await?;
            let (added, exchanged) = with(hearth, async |h| {
                let added = h.add_mailbox(place).await.map_err(refused)?;
                // The first exchange right away: the folder holds this device's state from now.
                let exchanged = match h.exchange_with_mailboxes().await {
                    Ok(all) => all.into_iter().find(|m| m.name == added.name),
                    Err(MailboxError::Removed) => None,
                    Err(e) => return Err(e.into()),
                };
                Ok((added, exchanged))
            })
            .await?;
            output::mailbox::added(&ctx.term, &added, exchanged.as_ref());
            Ok(())
        }
        MailboxCommand::List(args) => {
            let hearth = open(ctx, None).await?;
            let list = with(hearth, async |h| Ok(h.mailboxes().await?)).await?;
            if args.json {
                output::mailbox::print_json(&ctx.zone, &list)
            } else {
                output::mailbox::print_text(&ctx.term, &ctx.zone, &list);
                Ok(())
            }
        }
        MailboxCommand::Remove { name } => {
            let hearth = open(ctx, None).await?;
            with(hearth, async |h| {
                h.remove_mailbox(&name).await.map_err(refused)
            })
            .await?;
            output::mailbox::removed(&ctx.term, &name);
            Ok(())
        }
        MailboxCommand::Serve(args) => serve(ctx, args).await,
    }
}

async fn serve(ctx: &Ctx, args: MailboxServeArgs) -> Result<()> {
    let storage = match &args.storage {
        Some(text) => ServerStorage::parse(text).map_err(|e| fail(format!("{e:#}")))?,
        None => ServerStorage::Folder(ctx.data_dir.join("mailbox-server")),
    };
    let network = if args.local {
        NetworkMode::Local
    } else {
        args.relay
            .map_or(NetworkMode::Default, NetworkMode::CustomRelay)
    };
    let options = ServerOptions {
        bind: args.bind,
        network,
        quota_bytes: args.quota_mib.saturating_mul(1024 * 1024),
        ..ServerOptions::new(storage.clone())
    };
    let mut stop = Stop::listen()?;
    let server = MailboxServer::start(options)
        .await
        .map_err(|e| fail(format!("the mailbox server could not start: {e:#}")))?;
    outln(&server.ticket().await);
    output::mailbox::serving(&ctx.term, &server.name(), &storage.to_string());
    let signal = stop.wait().await;
    server.shutdown().await;
    output::mailbox::stopped(&ctx.term, signal);
    Ok(())
}
