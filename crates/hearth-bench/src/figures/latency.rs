//! Live sync latency: an edit on Ada's device until Ben's device reports the change, beside the
//! round trip of a 64-byte echo between two iroh endpoints on the same loopback.

use std::time::Instant;

use anyhow::Context;
use hearth::{Content, Edit, Filter};

use crate::corpus;
use crate::echo;
use crate::events::Arrivals;
use crate::figures::alone::{Alone, Pair};
use crate::fixture::{Couple, Live};
use crate::measure::Samples;
use crate::report::{Row, Target, Unit};
use crate::rng::Rng;

/// The edit a person might make to an entry: a sentence more.
fn edit_of(content: &Content, more: &str) -> Edit {
    match content {
        Content::Gratitude { lines, .. } => Edit::Line {
            index: 0,
            text: format!("{} {more}", lines.first().map_or("", String::as_str)),
        },
        other => Edit::Body(format!("{} {more}", other.main_text())),
    }
}

/// Whether the benchmark edits entries of this kind. Answers are sealed under keys that only the
/// device which wrote them holds, and the generated journal was written by none of the devices
/// measured: they are left out, here and in the baseline alike.
fn editable_here(kind: hearth::EntryKind) -> bool {
    kind != hearth::EntryKind::Answer
}

/// The same kind of edit made and synced by the journal alone, in memory; and Automerge's apply of
/// each alone.
fn in_memory(couple: &Couple, samples: usize, rng: &mut Rng) -> anyhow::Result<Alone> {
    let mut pair = Pair::new(&couple.ada_doc, rng)?;
    let stamp = couple.ada_in_memory(0);
    // Ada edits what she wrote: only its author changes an entry.
    let hers = Filter {
        author: Some(stamp.member.clone()),
        ..Filter::default()
    };
    let recent: Vec<_> = pair
        .ada
        .timeline(&hers, None, samples.clamp(1, 500))
        .entries
        .into_iter()
        .filter(|e| editable_here(e.kind()))
        .collect();
    let mut alone = Alone::default();
    for i in 0..samples {
        let entry = recent
            .get(i % recent.len().max(1))
            .context("the journal has entries")?;
        let now = pair.ada.entry(&entry.id)?.context("the entry is there")?;
        let edit = edit_of(&now.content, &corpus::text(rng, 60));
        alone.push(pair.round(|ada| Ok(ada.edit(&entry.id, &stamp, &edit)?))?);
    }
    Ok(alone)
}

pub async fn run(
    live: &Live,
    couple: &Couple,
    samples: usize,
    rng: &mut Rng,
) -> anyhow::Result<Vec<Row>> {
    // Ada edits what she wrote: only its author changes an entry.
    let hers = Filter {
        author: Some(live.ada.me().await?.id),
        ..Filter::default()
    };
    let recent = live
        .ada
        .timeline(&hers, None, samples.clamp(1, 500))
        .await?
        .items
        .into_iter()
        .filter(|i| editable_here(i.entry.kind()))
        .collect::<Vec<_>>();
    let mut arrivals = Arrivals::new(live);
    let mut latency = Samples::new();
    let mut acked = Samples::new();
    let mut shown = Samples::new();
    for i in 0..samples {
        let id = &recent
            .get(i % recent.len().max(1))
            .context("Ada's journal has entries")?
            .entry
            .id;
        let now = live.ada.entry(id).await?.context("the entry is there")?;
        let before = now.entry.content.main_text();
        // Text the entry does not hold yet, so that Ben's read can tell the edit is there.
        let more = std::iter::repeat_with(|| corpus::text(rng, 60))
            .find(|more| !before.contains(more.as_str()))
            .context("new text")?;
        let edit = edit_of(&now.entry.content, &more);
        arrivals.ready();
        let start = Instant::now();
        live.ada.edit(id, edit).await?;
        acked.push_duration(start.elapsed());
        let (took, read) = arrivals
            .arrived_and_shown(start, || async {
                let entry = live.ben.entry(id).await?.context("Ben has the entry")?;
                Ok(entry.entry.content.main_text().contains(more.as_str()))
            })
            .await?;
        latency.push_duration(took);
        shown.push_duration(read);
    }
    let rtt = echo::round_trips(samples.max(1)).await?;
    let median_rtt = rtt.median();
    let journal_alone = {
        let mut rng = rng.fork();
        tokio::task::block_in_place(|| in_memory(couple, samples, &mut rng))?
    };
    Ok(vec![
        Row::new("edit_latency", "edit on A → change event on B", Unit::Ms, &latency)
            .tail()
            .baseline(
                "round trip of a 64-byte echo between two iroh endpoints on the same loopback and runtime",
                &rtt,
            )
            .target(Target::Latency {
                rtt_factor: 1.5,
                plus_ms: 1.0,
                p99_max_ms: 5.0,
            })
            .note(format!(
                "{} samples; the bound for the median is {:.2} ms",
                latency.len(),
                1.5 * median_rtt + 1.0
            ))
            .note(format!(
                "the same edits made and synced by the journal alone, in memory (no disk, no network): {:.2} ms median, {:.2} ms p99",
                journal_alone.took.median(),
                journal_alone.took.quantile(0.99)
            ))
            .note(format!(
                "of which Automerge alone applying the change on B (`load_incremental` of its bytes, as a live session takes it): {:.3} ms median",
                journal_alone.applied.median()
            )),
        Row::new("edit_ack", "of which: the edit acknowledged on A (durable)", Unit::Ms, &acked)
            .tail(),
        Row::new(
            "edit_shown",
            "edit on A → a read on B shows it (stored on B first)",
            Unit::Ms,
            &shown,
        )
        .tail(),
    ])
}
