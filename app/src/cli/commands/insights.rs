//! `hearth insights`: how both of you felt over the last weeks, and what you shared.

use anyhow::Result;

use super::open::open;
use super::{names, with};
use crate::cli::Ctx;
use crate::cli::args::InsightsArgs;
use crate::cli::exit::fail;
use crate::cli::output;

/// The most weeks looked back over: four years.
const MAX_WEEKS: u32 = 208;

pub(crate) async fn run(ctx: &Ctx, args: InsightsArgs) -> Result<()> {
    if args.weeks == 0 || args.weeks > MAX_WEEKS {
        return Err(fail(format!(
            "--weeks takes 1 to {MAX_WEEKS} (the weeks to look back over)"
        )));
    }
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let to = hearth::UnixMs::now();
        let from = to.minus(std::time::Duration::from_secs(
            u64::from(args.weeks) * 7 * 86_400,
        ));
        let until = to.plus(std::time::Duration::from_millis(1));
        let insights = h.insights(from, until).await?;
        let names = names(h, ctx).await?;
        output::insights::print(&names, &insights, args.weeks, args.json)
    })
    .await
}
