//! The window's refresh: Today and the first page of the timeline, read through the facade as
//! the window reads them after every change, in the large journal against a smaller one (1,000
//! entries; 100 with `--quick`, where both read a page no longer than the smaller journal). What
//! a person sees after a change should not cost more as the journal grows.

use std::path::Path;
use std::time::Instant;

use anyhow::bail;
use hearth::{FIRST_SCREEN_PAGE, Filter, Hearth};

use crate::fixture::{Couple, any_port, copy_device, options, passphrase};
use crate::measure::Samples;
use crate::report::{Row, Target, Unit};

pub async fn run(
    large: &Couple,
    small: &Couple,
    samples: usize,
    scratch: &Path,
) -> anyhow::Result<Row> {
    let page = FIRST_SCREEN_PAGE
        .min(small.written.entries)
        .min(large.written.entries);
    let large_took = refreshes(large, page, samples, scratch).await?;
    let small_took = refreshes(small, page, samples, scratch).await?;
    Ok(Row::new(
        "refresh",
        format!(
            "Today and the first timeline page ({page} entries) read in a {}-entry journal",
            large.written.entries
        ),
        Unit::Ms,
        &large_took,
    )
    .tail()
    .baseline(
        format!("the same in a {}-entry journal", small.written.entries),
        &small_took,
    )
    .target(Target::Ratio { max: 1.3 }))
}

/// `samples` refreshes, each reading a page of `page` entries, on a copy of Ada's device opened
/// on its own.
async fn refreshes(
    couple: &Couple,
    page: usize,
    samples: usize,
    scratch: &Path,
) -> anyhow::Result<Samples> {
    let dir = tempfile::tempdir_in(scratch)?;
    copy_device(&couple.ada, dir.path())?;
    let h = Hearth::open(dir.path(), &passphrase(), options(any_port(), false)).await?;
    let mut took = Samples::new();
    for _ in 0..samples.max(1) {
        let start = Instant::now();
        h.today().await?;
        let read = h.timeline(&Filter::default(), None, page).await?;
        took.push_duration(start.elapsed());
        if read.items.len() != page {
            bail!(
                "the first page held {} entries, not {page}",
                read.items.len()
            );
        }
    }
    h.shutdown().await;
    Ok(took)
}
