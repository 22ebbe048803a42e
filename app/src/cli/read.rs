//! Reading the journal: `list`, `show`, `search`.

use anyhow::Result;
use hearth::{Filter, Item};

use super::args::{AuthorArg, ListArgs, SearchArgs, ShowArgs};
use super::change::resolve;
use super::exit::fail;
use super::json;
use super::lens::Lens;
use super::open::open;
use super::term::{Style, out, outln};
use super::{Ctx, with};

/// Prints entries as JSON (an array) or as the timeline.
fn print_items(lens: &Lens, items: &[Item], as_json: bool, empty: &str) -> Result<()> {
    if as_json {
        let shaped: Vec<_> = items.iter().map(|i| json::item(lens, i)).collect();
        return json::print(&shaped);
    }
    if items.is_empty() {
        outln(empty);
    } else {
        out(&lens.timeline(items));
    }
    Ok(())
}

pub(crate) async fn list(ctx: &Ctx, args: ListArgs) -> Result<()> {
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let lens = Lens::new(h, ctx.term, ctx.offset_minutes).await?;
        let author = match args.author {
            None => None,
            Some(AuthorArg::Me) => Some(lens.me().clone()),
            Some(AuthorArg::Partner) => match h.partner().await? {
                Some(partner) => Some(partner.id),
                // Nobody has written as the partner yet.
                None => return print_items(&lens, &[], args.json, "No partner yet."),
            },
        };
        let filter = Filter {
            kind: args.kind.map(|k| k.kind()),
            author,
            ..Filter::default()
        };
        let limit = if args.limit == 0 {
            usize::MAX
        } else {
            args.limit
        };
        let page = h.timeline(&filter, None, limit).await?;
        print_items(
            &lens,
            &page.items,
            args.json,
            "Nothing here yet. Write the first entry with `hearth write \"...\"`.",
        )?;
        if page.next.is_some() && !args.json && ctx.term.stdout_tty {
            eprintln!(
                "{}",
                ctx.term.epaint(
                    Style::Dim,
                    &format!(
                        "Older entries too: `hearth list --limit {}` (0 for all).",
                        limit.saturating_mul(2)
                    )
                )
            );
        }
        Ok(())
    })
    .await
}

pub(crate) async fn show(ctx: &Ctx, args: ShowArgs) -> Result<()> {
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let id = resolve(h, &args.id).await?;
        let item = h
            .entry(&id)
            .await?
            .ok_or_else(|| fail(format!("no entry {id}")))?;
        let lens = Lens::new(h, ctx.term, ctx.offset_minutes).await?;
        if args.json {
            json::print(&json::item(&lens, &item))
        } else {
            out(&lens.detail(&item));
            Ok(())
        }
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
        let lens = Lens::new(h, ctx.term, ctx.offset_minutes).await?;
        print_items(
            &lens,
            &items,
            args.json,
            &format!("Nothing holds “{}”.", query.trim()),
        )
    })
    .await
}
