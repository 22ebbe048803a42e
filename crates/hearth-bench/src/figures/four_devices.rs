//! Four devices converging: Ada's laptop and phone, Ben's laptop and phone, each paired as people
//! pair them, all running on loopback. A new entry written on Ada's laptop is timed until each of
//! the three others reports it; the figure is the last of the three, its baseline the first (which
//! is what two devices alone take).

use std::path::Path;
use std::time::{Duration, Instant};

use hearth::{Draft, Hearth, NewDevice};

use crate::corpus;
use crate::events::{drain, partner_change, wait_for};
use crate::fixture::{any_port, options, pair_for, passphrase};
use crate::measure::Samples;
use crate::report::{Row, Target, Unit};
use crate::rng::Rng;

/// Longer than any sync step takes when nothing is wrong.
const ARRIVAL_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the four take to settle after each entry (answers, and what one device passes on to
/// another it reached first).
const SETTLE: Duration = Duration::from_millis(50);
/// How long the four may take to find each other.
const MEET: Duration = Duration::from_secs(120);

/// Waits until `events` tells of a change that arrived; returns the time since `start`.
async fn arrival(
    events: &mut tokio::sync::broadcast::Receiver<hearth::Event>,
    start: Instant,
) -> anyhow::Result<Duration> {
    wait_for(events, ARRIVAL_TIMEOUT, partner_change).await?;
    Ok(start.elapsed())
}

pub async fn run(samples: usize, scratch: &Path, rng: &mut Rng) -> anyhow::Result<Row> {
    let dir = tempfile::tempdir_in(scratch)?;
    let open = |name: &'static str, label: &'static str| {
        let path = dir.path().join(label);
        async move {
            Hearth::create(&path, &passphrase(), name, options(any_port(), true))
                .await
                .map_err(anyhow::Error::from)
        }
    };
    let ada = open("Ada", "ada-laptop").await?;
    let ben = open("Ben", "ben-laptop").await?;
    pair_for(&ada, &ben, None).await?;
    let ada_phone = open("Ada", "ada-phone").await?;
    pair_for(&ada, &ada_phone, Some(NewDevice::Mine)).await?;
    let ben_phone = open("Ben", "ben-phone").await?;
    pair_for(&ben, &ben_phone, Some(NewDevice::Mine)).await?;
    // Each learns of the others from the journal's device records, and dials them.
    let devices = [&ada, &ada_phone, &ben, &ben_phone];
    for h in devices {
        h.sync_now(MEET).await?;
    }
    let others = [&ada_phone, &ben, &ben_phone];
    let partner = ben.me().await?.id;
    let today = corpus::today();
    let mut first = Samples::new();
    let mut last = Samples::new();
    for _ in 0..samples.max(1) {
        let mut events = others.map(|h| h.events());
        tokio::time::sleep(SETTLE).await;
        for e in &mut events {
            drain(e);
        }
        let content = corpus::content(rng, &partner, today);
        let start = Instant::now();
        ada.write(Draft::shared(content)).await?;
        let [a, b, c] = &mut events;
        let (a, b, c) = tokio::join!(arrival(a, start), arrival(b, start), arrival(c, start));
        let mut took = [a?, b?, c?];
        took.sort();
        first.push_duration(took[0]);
        last.push_duration(took[took.len() - 1]);
    }
    for h in devices {
        h.shutdown().await;
    }
    Ok(Row::new(
        "four_devices",
        "a new entry on one of four devices until the three others have it",
        Unit::Ms,
        &last,
    )
    .tail()
    .baseline(
        "until the first of the three has it, in the same samples (what two devices take)",
        &first,
    )
    .target(Target::Report)
    .note(format!(
        "{} entries into a new journal; Ada's laptop and phone, Ben's laptop and phone, on loopback",
        last.len()
    )))
}
