//! What each command asks of the facade, and the exit code it ends with: one file per group of
//! commands, each checking its input before anything is opened, then opening the journal, doing
//! one thing and closing it cleanly. How the results are printed is in [`super::output`]; the
//! sentences of the errors, which go with their exit codes, are here.

pub(crate) mod change;
pub(crate) mod export;
pub(crate) mod init;
pub(crate) mod insights;
pub(crate) mod mailbox;
pub(crate) mod open;
pub(crate) mod pair;
pub(crate) mod read;
pub(crate) mod rituals;
pub(crate) mod secret;
pub(crate) mod serve;
pub(crate) mod settings;
pub(crate) mod signal;
pub(crate) mod status;
pub(crate) mod sync;
pub(crate) mod today;

use anyhow::Result;
use hearth::{Closed, EntryId, Filter, Hearth};

use super::Ctx;
use super::output::names::Names;

/// Runs `work` on an open journal, then shuts it down cleanly whatever the outcome.
pub(crate) async fn with<T>(
    hearth: Hearth,
    work: impl AsyncFnOnce(&Hearth) -> Result<T>,
) -> Result<T> {
    let result = work(&hearth).await;
    hearth.shutdown().await;
    result
}

/// The names output gives the journal's people and entries: the members, and every entry and
/// comment id of both journals, deleted or not (so that a short id names one thing whatever is
/// shown, as `edit` and `delete` take either).
pub(crate) async fn names(h: &Hearth, ctx: &Ctx) -> Result<Names, Closed> {
    let me = h.me().await?;
    let members = h.members().await?;
    let all = Filter {
        include_deleted: true,
        ..Filter::default()
    };
    let ids: Vec<EntryId> = h
        .timeline(&all, None, usize::MAX)
        .await?
        .items
        .into_iter()
        .flat_map(|i| {
            let comments: Vec<EntryId> = i.entry.comments.iter().map(|c| c.id.clone()).collect();
            std::iter::once(i.entry.id).chain(comments)
        })
        .collect();
    Ok(Names::new(me, members, ids, ctx.term, ctx.zone.clone()))
}
