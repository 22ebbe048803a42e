//! `hearth mailbox add | list | remove`.

use anyhow::Result;
use hearth::{MailboxError, MailboxPlace};

use super::open::open;
use super::with;
use crate::cli::Ctx;
use crate::cli::args::MailboxCommand;
use crate::cli::exit::fail;
use crate::cli::output;

fn refused(e: MailboxError) -> anyhow::Error {
    match e {
        MailboxError::NotAFolder(_)
        | MailboxError::NameTaken(_)
        | MailboxError::NoSuchMailbox(_) => fail(e.to_string()),
        e => anyhow::Error::new(e),
    }
}

pub(crate) async fn run(ctx: &Ctx, command: MailboxCommand) -> Result<()> {
    match command {
        MailboxCommand::Add { place } => {
            // Checked before the passphrase is asked for.
            if !place.is_dir() {
                return Err(refused(MailboxError::NotAFolder(place)));
            }
            let hearth = open(ctx, None).await?;
            let (added, exchanged) = with(hearth, async |h| {
                let added = h
                    .add_mailbox(MailboxPlace::Folder { path: place })
                    .await
                    .map_err(refused)?;
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
    }
}
