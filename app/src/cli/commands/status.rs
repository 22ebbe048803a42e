//! `hearth status`: this device, this person, the partner's devices and how they are reached.

use std::time::Duration;

use anyhow::Result;

use super::open::open;
use crate::cli::Ctx;
use crate::cli::args::StatusArgs;
use crate::cli::output;

pub(crate) async fn run(ctx: &Ctx, args: StatusArgs) -> Result<()> {
    let net = args.online.then_some(&args.net);
    let hearth = open(ctx, net).await?;
    if args.online {
        // Reaching the partner shows presence and the path; not reaching them is an answer too.
        let _ = hearth.sync_now(Duration::from_secs(args.timeout)).await;
    }
    let status = hearth.status().await;
    let partner = hearth.partner().await;
    hearth.shutdown().await;
    let (status, partner) = (status?, partner?);
    if args.json {
        return output::status::print_json(ctx, &status, partner);
    }
    let name = partner.map(|m| m.name);
    output::status::print_text(ctx, &status, name.as_deref(), args.online);
    Ok(())
}
