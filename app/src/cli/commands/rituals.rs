//! `hearth rituals` (list, propose, accept, decline) and `hearth date-night`.

use anyhow::Result;
use hearth::{Hearth, Proposal, Ritual, Schedule};

use super::change::{read_text, write_error};
use super::open::open;
use super::with;
use crate::cli::Ctx;
use crate::cli::args::{DateNightAction, DateNightArgs, ProposeArgs, RitualsAction, RitualsArgs};
use crate::cli::exit::fail;
use crate::cli::output::names::Names;
use crate::cli::output::{self};

/// The names the rituals' output gives people (no entry ids are shown).
async fn names(h: &Hearth, ctx: &Ctx) -> Result<Names> {
    let me = h.me().await?;
    let members = h.members().await?;
    Ok(Names::new(
        me,
        members,
        Vec::new(),
        ctx.term,
        ctx.zone.clone(),
    ))
}

pub(crate) async fn run(ctx: &Ctx, args: RitualsArgs) -> Result<()> {
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let names = names(h, ctx).await?;
        let acted = args.action.is_some();
        match args.action {
            None => {}
            Some(RitualsAction::Propose(p)) => {
                let (ritual, schedule) = proposed(h, p).await?;
                let outcome = h
                    .propose_ritual(ritual, schedule)
                    .await
                    .map_err(write_error)?;
                output::rituals::proposed(&ctx.term, ritual, &schedule, outcome, args.json)?;
            }
            Some(RitualsAction::Accept(r)) => {
                let p = waiting(h, &names, r.ritual.map(|r| r.ritual()), false).await?;
                h.accept_ritual(p.ritual).await.map_err(write_error)?;
                output::rituals::answered(&ctx.term, &p, true, args.json)?;
            }
            Some(RitualsAction::Decline(r)) => {
                let p = waiting(h, &names, r.ritual.map(|r| r.ritual()), true).await?;
                h.decline_ritual(p.ritual).await.map_err(write_error)?;
                output::rituals::answered(&ctx.term, &p, false, args.json)?;
            }
        }
        if args.json && acted {
            return Ok(());
        }
        let rituals = h.rituals().await?;
        output::rituals::print(&names, &rituals, args.json)
    })
    .await
}

/// The ritual and schedule a `propose` asks for: what it names, the rest as the ritual is kept.
async fn proposed(h: &Hearth, p: ProposeArgs) -> Result<(Ritual, Schedule)> {
    let ritual = p.ritual.ritual();
    let now = h
        .rituals()
        .await?
        .settings
        .into_iter()
        .find(|s| s.ritual == ritual)
        .map(|s| s.schedule)
        .unwrap_or_else(|| Schedule::default_for(ritual));
    if p.days.is_none() && p.at.is_none() && !p.off && !p.on {
        return Err(fail(
            "say what to change: --days, --at, --off or --on (`hearth rituals propose --help`)",
        ));
    }
    Ok((
        ritual,
        Schedule {
            on: !p.off && (p.on || now.on),
            days: p.days.unwrap_or(now.days),
            at: p.at.unwrap_or(now.at),
        },
    ))
}

/// The proposal an `accept` or `decline` answers: the one named, or the only one waiting for
/// this person (a `decline` may also withdraw one's own).
async fn waiting(
    h: &Hearth,
    names: &Names,
    named: Option<Ritual>,
    own_too: bool,
) -> Result<Proposal> {
    let all = h.rituals().await?.proposals;
    let mine = |p: &Proposal| names.is_me(&p.by);
    let answerable: Vec<Proposal> = all
        .iter()
        .filter(|p| own_too || !mine(p))
        .filter(|p| named.is_none_or(|r| p.ritual == r))
        .cloned()
        .collect();
    match (answerable.as_slice(), named) {
        ([one], _) => Ok(one.clone()),
        ([], Some(r)) if all.iter().any(|p| p.ritual == r) => Err(fail(format!(
            "the change to {} is yours; it waits for your partner (`hearth rituals decline {}` \
             withdraws it)",
            r.title().to_lowercase(),
            output::rituals::cli_name(r)
        ))),
        ([], Some(r)) => Err(fail(format!(
            "no change to {} is waiting",
            r.title().to_lowercase()
        ))),
        ([], None) => Err(fail("no change to your rituals is waiting for you")),
        (many, _) => Err(fail(format!(
            "changes to {} are waiting; name the one you mean",
            many.iter()
                .map(|p| output::rituals::cli_name(p.ritual))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

pub(crate) async fn date_night(ctx: &Ctx, args: DateNightArgs) -> Result<()> {
    let text = match &args.action {
        Some(DateNightAction::Plan { text } | DateNightAction::Remember { text }) => {
            read_text(Some(text.clone()))?
        }
        _ => None,
    };
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let names = names(h, ctx).await?;
        let text = text.unwrap_or_default();
        let acted = args.action.is_some();
        match args.action {
            None => {}
            Some(DateNightAction::Another) => {
                let idea = h.another_date_idea().await.map_err(write_error)?;
                output::rituals::another(&idea, args.json)?;
            }
            Some(DateNightAction::Plan { .. }) => {
                h.plan_date_night(&text).await.map_err(write_error)?;
                output::rituals::noted("Noted the plan, for both of you.", args.json)?;
            }
            Some(DateNightAction::Remember { .. }) => {
                h.remember_date_night(&text).await.map_err(write_error)?;
                output::rituals::noted("Kept your line about date night.", args.json)?;
            }
        }
        if args.json && acted {
            return Ok(());
        }
        let nights = h.date_nights().await?;
        output::rituals::print_date_nights(&names, &nights, args.json)
    })
    .await
}
