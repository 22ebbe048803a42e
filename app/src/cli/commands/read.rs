//! Reading the journal: `list`, `show`, `search`.

use anyhow::Result;
use hearth::Filter;

use super::change::resolve_entry;
use super::open::open;
use super::{names, with};
use crate::cli::Ctx;
use crate::cli::args::{AuthorArg, ListArgs, SearchArgs, ShowArgs};
use crate::cli::exit::fail;
use crate::cli::output;

pub(crate) async fn list(ctx: &Ctx, args: ListArgs) -> Result<()> {
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let names = names(h, ctx).await?;
        let author = match args.author {
            None => None,
            Some(AuthorArg::Me) => Some(names.me().clone()),
            Some(AuthorArg::Partner) => match h.partner().await? {
                Some(partner) => Some(partner.id),
                // Nobody has written as the partner yet.
                None => return output::read::no_partner(&names, args.json),
            },
        };
        let filter = Filter {
            kind: args.kind.map(|k| k.kind()),
            author,
            later: args.later,
            ..Filter::default()
        };
        let limit = if args.limit == 0 {
            usize::MAX
        } else {
            args.limit
        };
        let page = h.timeline(&filter, None, limit).await?;
        output::read::list(&names, &page.items, args.json)?;
        if page.next.is_some() && !args.json {
            output::read::older_entries(&ctx.term, limit);
        }
        Ok(())
    })
    .await
}

pub(crate) async fn show(ctx: &Ctx, args: ShowArgs) -> Result<()> {
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let (_, item) = resolve_entry(h, &args.id).await?;
        let names = names(h, ctx).await?;
        output::read::show(&names, &item, args.json)
    })
    .await
}

pub(crate) async fn history(ctx: &Ctx, args: ShowArgs) -> Result<()> {
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let (id, _) = resolve_entry(h, &args.id).await?;
        let versions = h.history(&id).await?.ok_or_else(|| {
            fail(format!(
                "entry {id} was deleted: a deleted entry keeps no history to show"
            ))
        })?;
        let names = names(h, ctx).await?;
        output::read::history(&names, &versions, args.json)
    })
    .await
}

pub(crate) async fn search(ctx: &Ctx, args: SearchArgs) -> Result<()> {
    let query = args.query.join(" ");
    if query.trim().is_empty() {
        return Err(fail("what should I look for?"));
    }
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let items = h.search(&query).await?;
        let names = names(h, ctx).await?;
        output::read::search(&names, &items, args.json, &query)
    })
    .await
}
