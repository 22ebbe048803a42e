//! One new entry synced: written on Ada's device until Ben's device reports it, in a large
//! journal and in a 100-entry one. The cost of a new entry should not grow with the journal.

use std::time::{Duration, Instant};

use hearth::Draft;

use crate::corpus;
use crate::events::{drain, partner_change, synced, wait_for};
use crate::fixture::Live;
use crate::measure::Samples;
use crate::report::{Row, Target, Unit};
use crate::rng::Rng;

const TIMEOUT: Duration = Duration::from_secs(30);
const SETTLE: Duration = Duration::from_secs(2);

/// `samples` new entries from Ada, each timed until Ben has it.
pub async fn samples(live: &Live, samples: usize, rng: &mut Rng) -> anyhow::Result<Samples> {
    let partner = live.ben.me().id;
    let today = corpus::today();
    let mut ben_events = live.ben.events();
    let mut ada_events = live.ada.events();
    let mut took = Samples::new();
    for _ in 0..samples {
        let content = corpus::content(rng, &partner, today);
        drain(&mut ben_events);
        drain(&mut ada_events);
        let start = Instant::now();
        live.ada.write(Draft::shared(content)).await?;
        wait_for(&mut ben_events, TIMEOUT, partner_change).await?;
        took.push_duration(start.elapsed());
        let _ = wait_for(&mut ada_events, SETTLE, synced).await;
    }
    Ok(took)
}

pub fn row(large: &Samples, entries: usize, small: &Samples, small_entries: usize) -> Row {
    Row::new(
        "new_entry",
        format!("one new entry synced into a {entries}-entry journal"),
        Unit::Ms,
        large,
    )
    .tail()
    .baseline(
        format!("the same into a {small_entries}-entry journal"),
        small,
    )
    .target(Target::Ratio { max: 2.0 })
}
