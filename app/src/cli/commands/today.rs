//! `hearth today`: the question of the day and where the answers stand, the rituals for now, the
//! partner's bids waiting, and their latest entries.

use anyhow::Result;
use hearth::{Refusal, TodayError, WriteError};

use super::change::write_error;
use super::open::open;
use super::{names, with};
use crate::cli::Ctx;
use crate::cli::args::JsonArgs;
use crate::cli::exit::fail;
use crate::cli::output;

pub(crate) async fn run(ctx: &Ctx, args: JsonArgs) -> Result<()> {
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let today = h.today().await.map_err(|e| match e {
            TodayError::NotReady => fail(
                "your partner's journal has not arrived on this device yet; run `hearth sync` \
                 while their device is online",
            ),
            e => anyhow::Error::new(e),
        })?;
        let names = names(h, ctx).await?;
        if args.json {
            output::today::print_json(&names, &today)
        } else {
            let partner = h.partner().await?.map(|m| m.name);
            output::today::print_text(&names, &today, partner.as_deref());
            Ok(())
        }
    })
    .await
}

/// `hearth skip-question`: today's question gives way to the next, for both partners.
pub(crate) async fn skip(ctx: &Ctx, args: JsonArgs) -> Result<()> {
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let question = h.skip_question().await.map_err(|e| match e {
            WriteError::Refused(Refusal::Answered) => fail(
                "today's question has an answer already, so it stays; `hearth today` shows where \
                 the answers stand",
            ),
            e => write_error(e),
        })?;
        output::today::print_skipped(&question, args.json)
    })
    .await
}
