//! Live sync latency: an edit on Ada's device until Ben's device reports the change, beside the
//! round trip of a 64-byte echo between two iroh endpoints on the same loopback.

use std::time::{Duration, Instant};

use anyhow::Context;
use hearth::{Content, Edit, Filter};

use crate::corpus;
use crate::echo;
use crate::events::{drain, partner_change, synced, wait_for};
use crate::fixture::Live;
use crate::measure::Samples;
use crate::report::{Row, Target, Unit};
use crate::rng::Rng;

/// Longer than any sync step takes when nothing is wrong.
const TIMEOUT: Duration = Duration::from_secs(30);
/// How long to let the acknowledgement come back before the next sample.
const SETTLE: Duration = Duration::from_secs(2);

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

pub async fn run(live: &Live, samples: usize, rng: &mut Rng) -> anyhow::Result<Vec<Row>> {
    let recent = live
        .ada
        .timeline(&Filter::default(), None, samples.clamp(1, 500))
        .items;
    let mut ben_events = live.ben.events();
    let mut ada_events = live.ada.events();
    let mut latency = Samples::new();
    let mut acked = Samples::new();
    for i in 0..samples {
        let id = &recent
            .get(i % recent.len().max(1))
            .context("Ada's journal has entries")?
            .entry
            .id;
        let now = live.ada.entry(id)?.context("the entry is there")?;
        let more = corpus::text(rng, 60);
        let edit = edit_of(&now.entry.content, &more);
        drain(&mut ben_events);
        drain(&mut ada_events);
        let start = Instant::now();
        live.ada.edit(id, edit).await?;
        acked.push_duration(start.elapsed());
        wait_for(&mut ben_events, TIMEOUT, partner_change).await?;
        latency.push_duration(start.elapsed());
        // Ben's answer comes back to Ada before the next edit.
        let _ = wait_for(&mut ada_events, SETTLE, synced).await;
    }
    let rtt = echo::round_trips(samples.max(1)).await?;
    let median_rtt = rtt.median();
    Ok(vec![
        Row::new("edit_latency", "edit on A → change event on B", Unit::Ms, &latency)
            .tail()
            .baseline(
                "round trip of a 64-byte echo between two iroh endpoints on the same loopback and runtime",
                &rtt,
            )
            .target(Target::Latency {
                rtt_factor: 1.5,
                plus_ms: 2.0,
                p99_max_ms: 20.0,
            })
            .note(format!(
                "{} samples; the bound for the median is {:.2} ms",
                latency.len(),
                1.5 * median_rtt + 2.0
            )),
        Row::new("edit_ack", "of which: the edit acknowledged on A (durable)", Unit::Ms, &acked)
            .tail(),
    ])
}
