//! One new entry synced: written on Ada's device until Ben's device reports it, in a large
//! journal and in a 100-entry one. The cost of a new entry should not grow with the journal.

use std::path::Path;
use std::time::Instant;

use hearth::{Draft, EntryId};

use crate::corpus;
use crate::events::Arrivals;
use crate::figures::alone::{Alone, Pair};
use crate::fixture::{Couple, Live, bring_up};
use crate::measure::Samples;
use crate::report::{Row, Target, Unit};
use crate::rng::Rng;

/// `samples` new entries from Ada, each timed until Ben has it.
pub async fn samples(live: &Live, samples: usize, rng: &mut Rng) -> anyhow::Result<Samples> {
    let partner = live.ben.me().await?.id;
    let today = corpus::today();
    let mut arrivals = Arrivals::new(live);
    let mut took = Samples::new();
    for _ in 0..samples {
        let content = corpus::content(rng, &partner, today);
        arrivals.ready();
        let start = Instant::now();
        live.ada.write(Draft::shared(content)).await?;
        took.push_duration(arrivals.arrived(start).await?);
    }
    Ok(took)
}

/// The same new entries written and synced by the journal alone, in memory; and Automerge's apply
/// of each alone.
fn in_memory(couple: &Couple, samples: usize, rng: &mut Rng) -> anyhow::Result<Alone> {
    let mut pair = Pair::new(&couple.ada_doc, rng)?;
    let partner = couple.people.members[1].clone();
    let today = corpus::today();
    let mut alone = Alone::default();
    for i in 0..samples {
        let stamp = couple.ada_in_memory(i);
        let id = EntryId::new(stamp.now_ms, rng.bytes());
        let content = corpus::content(rng, &partner, today);
        alone.push(pair.round(|ada| Ok(ada.write(&id, &stamp, &content)?))?);
    }
    Ok(alone)
}

/// The live figure and the journal alone, for one journal.
struct Measured {
    live: Samples,
    alone: Alone,
    entries: usize,
}

impl Measured {
    fn of(couple: &Couple, live: Samples, rng: &mut Rng) -> anyhow::Result<Measured> {
        let samples = live.len();
        Ok(Measured {
            alone: tokio::task::block_in_place(|| in_memory(couple, samples, rng))?,
            live,
            entries: couple.written.entries,
        })
    }
}

/// The row: `large_samples` (taken on the large journal's running devices) against the same on
/// the small journal's, brought up here; and the journal alone for both.
pub async fn compare(
    large: &Couple,
    large_samples: Samples,
    small: &Couple,
    samples_each: usize,
    scratch: &Path,
    rng: &mut Rng,
) -> anyhow::Result<Row> {
    let (small_live, _) = bring_up(small, scratch).await?;
    let small_samples = samples(&small_live, samples_each, rng).await;
    small_live.shutdown().await;
    let large = Measured::of(large, large_samples, rng)?;
    let small = Measured::of(small, small_samples?, rng)?;
    Ok(row(&large, &small))
}

fn row(large: &Measured, small: &Measured) -> Row {
    Row::new(
        "new_entry",
        format!("one new entry synced into a {}-entry journal", large.entries),
        Unit::Ms,
        &large.live,
    )
    .tail()
    .baseline(
        format!("the same into a {}-entry journal", small.entries),
        &small.live,
    )
    .target(Target::Ratio { max: 2.0 })
    .note(format!(
        "the same written and synced by the journal alone, in memory: {:.2} ms into {} entries, {:.2} ms into {} ({:.2}×)",
        large.alone.took.median(),
        large.entries,
        small.alone.took.median(),
        small.entries,
        large.alone.took.median() / small.alone.took.median()
    ))
    .note(format!(
        "of which Automerge alone applying the entry's change on B: {:.3} ms into {} entries, {:.3} ms into {} ({:.2}×)",
        large.alone.applied.median(),
        large.entries,
        small.alone.applied.median(),
        small.entries,
        large.alone.applied.median() / small.alone.applied.median()
    ))
}
