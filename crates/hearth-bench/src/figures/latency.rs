//! Live sync latency: an edit on Ada's device until Ben's device reports the change, beside the
//! round trip of a 64-byte echo between two iroh endpoints on the same loopback.

use std::time::{Duration, Instant};

use anyhow::Context;
use hearth::journal::sync::{PeerSync, validate_sync_message};
use hearth::journal::{DeviceId, Journal, Stamp};
use hearth::{Content, Edit, Filter};

use crate::corpus;
use crate::echo;
use crate::events::{drain, partner_change, synced, wait_for};
use crate::fixture::{Couple, Live};
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

/// The same kind of edit made and synced by the journal alone, in memory: Ada edits and encodes
/// the change, her sync message goes straight to Ben, who takes it and encodes it for storage.
/// No disk, no network, no threads: what Automerge and the journal cost on this journal.
fn in_memory(couple: &Couple, samples: usize, rng: &mut Rng) -> anyhow::Result<Samples> {
    let mut ada = Journal::load(&couple.ada_doc, rng.bytes())?;
    let mut ben = Journal::load(&couple.ada_doc, rng.bytes())?;
    ada.mark_saved();
    ben.mark_saved();
    let (mut to_ben, mut to_ada) = (PeerSync::new(), PeerSync::new());
    // Settle the sync states first, as a live session has.
    for _ in 0..16 {
        let a = hand_over(&mut ada, &mut to_ben, &mut ben, &mut to_ada)?;
        let b = hand_over(&mut ben, &mut to_ada, &mut ada, &mut to_ben)?;
        if !a && !b {
            break;
        }
    }
    let stamp = Stamp {
        member: couple.people.members[0].clone(),
        device: DeviceId::new("ada"),
        now_ms: 1_900_000_000_000,
    };
    let recent = ada.timeline(&Filter::default(), None, samples.clamp(1, 500));
    let mut took = Samples::new();
    for i in 0..samples {
        let entry = recent
            .entries
            .get(i % recent.entries.len().max(1))
            .context("the journal has entries")?;
        let now = ada.entry(&entry.id)?.context("the entry is there")?;
        let more = corpus::text(rng, 60);
        let edit = edit_of(&now.content, &more);
        let start = Instant::now();
        ada.edit(&entry.id, &stamp, &edit)?;
        let _ = ada.save_incremental();
        hand_over(&mut ada, &mut to_ben, &mut ben, &mut to_ada)?;
        let _ = ben.save_incremental();
        took.push_duration(start.elapsed());
        // Ben's answer, untimed, as the live figure waits for it too.
        hand_over(&mut ben, &mut to_ada, &mut ada, &mut to_ben)?;
    }
    Ok(took)
}

/// One sync message from `from` to `to`, checked as the network checks it. Whether there was one.
fn hand_over(
    from: &mut Journal,
    from_state: &mut PeerSync,
    to: &mut Journal,
    to_state: &mut PeerSync,
) -> anyhow::Result<bool> {
    let Some(bytes) = from.generate_sync_message(from_state)? else {
        return Ok(false);
    };
    to.receive_sync_message(to_state, validate_sync_message(&bytes)?)?;
    Ok(true)
}

pub async fn run(
    live: &Live,
    couple: &Couple,
    samples: usize,
    rng: &mut Rng,
) -> anyhow::Result<Vec<Row>> {
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
                plus_ms: 2.0,
                p99_max_ms: 20.0,
            })
            .note(format!(
                "{} samples; the bound for the median is {:.2} ms",
                latency.len(),
                1.5 * median_rtt + 2.0
            ))
            .note(format!(
                "the same edits made and synced by the journal alone, in memory (no disk, no network): {:.2} ms median, {:.2} ms p99",
                journal_alone.median(),
                journal_alone.quantile(0.99)
            )),
        Row::new("edit_ack", "of which: the edit acknowledged on A (durable)", Unit::Ms, &acked)
            .tail(),
    ])
}
