//! Bulk initial sync: Ada's whole journal into Ben's device, which holds only the journal's
//! structure, over loopback iroh in sealed frames and stored durably. Beside it, loading Ada's
//! saved journal with `AutoCommit::load`: a new device cannot hold the journal faster than it
//! loads. The same two Automerge documents synced in memory, messages handed over directly, are
//! a note, and the bytes of their messages the baseline of the bytes on the wire.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use automerge::AutoCommit;
use automerge::sync::{State, SyncDoc};

use crate::fixture::{Couple, Live, bring_up};
use crate::measure::Samples;
use crate::report::{Row, Target, Unit};

/// Far more rounds than a sync of two documents takes.
const MAX_ROUNDS: usize = 100;

/// Runs the sync `runs` times; returns the rows and the pair from the last run, still running.
pub async fn run(couple: &Couple, runs: usize, scratch: &Path) -> anyhow::Result<(Vec<Row>, Live)> {
    let mut sync = Samples::new();
    let mut wire = Samples::new();
    let mut load = Samples::new();
    let mut memory = Samples::new();
    let mut messages = Samples::new();
    let mut live: Option<Live> = None;
    for run in 0..runs.max(1) {
        if let Some(previous) = live.take() {
            previous.shutdown().await;
        }
        let (ada, ben) = (couple.ada_doc.clone(), couple.ben_doc.clone());
        let (took, bytes, loading) = tokio::task::spawn_blocking(move || {
            let loading = load_time(&ada)?;
            in_memory(&ada, &ben).map(|(took, bytes)| (took, bytes, loading))
        })
        .await??;
        load.push_duration(loading);
        memory.push_duration(took);
        messages.push(bytes as f64);

        let (pair, arrival) = bring_up(couple, scratch).await?;
        sync.push_duration(arrival.elapsed);
        wire.push(arrival.wire_bytes as f64);
        eprintln!(
            "  bulk sync run {}: {:.0} ms over iroh, {:.0} ms to load, {:.0} ms synced in memory",
            run + 1,
            arrival.elapsed.as_secs_f64() * 1e3,
            loading.as_secs_f64() * 1e3,
            took.as_secs_f64() * 1e3
        );
        live = Some(pair);
    }
    let live = live.context("at least one run")?;
    let n = couple.written.entries;
    let rows = vec![
        Row::new(
            "bulk_sync",
            format!("bulk initial sync of {n} entries into an empty device"),
            Unit::Ms,
            &sync,
        )
        .baseline("`AutoCommit::load` of Ada's saved journal", &load)
        .target(Target::Ratio { max: 1.3 })
        .note("from Ben's open returning (network up, dialing) to his holding the whole journal durably")
        .note(format!(
            "the same two Automerge documents synced in memory, messages handed over directly: {:.0} ms median ({:.2}× the load)",
            memory.median(),
            memory.median() / load.median()
        )),
        Row::new("wire_bytes", "bytes on the wire for the bulk sync", Unit::Bytes, &wire)
            .baseline(
                "total bytes of the Automerge sync messages of the in-memory sync",
                &messages,
            )
            .target(Target::Ratio { max: 1.05 })
            .note("sealed frames both ways (length prefix, header, counter, tag), as the network counts them"),
    ];
    Ok((rows, live))
}

/// How long `AutoCommit::load` takes to load `saved`.
fn load_time(saved: &[u8]) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let doc = AutoCommit::load(saved)?;
    let took = start.elapsed();
    drop(doc);
    Ok(took)
}

/// Syncs two documents loaded from `ada` and `ben` with Automerge's protocol, each message handed
/// straight to the other side. Returns the time (loading and encoding excluded) and the bytes the
/// messages would take encoded.
pub fn in_memory(ada: &[u8], ben: &[u8]) -> anyhow::Result<(Duration, u64)> {
    let mut a = AutoCommit::load(ada)?;
    let mut b = AutoCommit::load(ben)?;
    let (mut sa, mut sb) = (State::new(), State::new());
    let mut bytes = 0u64;
    let mut encoding = Duration::ZERO;
    let start = Instant::now();
    let mut rounds = 0;
    loop {
        let one = step(&mut a, &mut sa, &mut b, &mut sb, &mut bytes, &mut encoding)?;
        let other = step(&mut b, &mut sb, &mut a, &mut sa, &mut bytes, &mut encoding)?;
        if !one && !other {
            break;
        }
        rounds += 1;
        if rounds > MAX_ROUNDS {
            bail!("the in-memory sync did not finish in {MAX_ROUNDS} rounds");
        }
    }
    let took = start.elapsed().saturating_sub(encoding);
    let (mut ha, mut hb) = (a.get_heads(), b.get_heads());
    ha.sort();
    hb.sort();
    if ha != hb {
        bail!("the in-memory sync ended with different documents");
    }
    Ok((took, bytes))
}

fn step(
    from: &mut AutoCommit,
    from_state: &mut State,
    to: &mut AutoCommit,
    to_state: &mut State,
    bytes: &mut u64,
    encoding: &mut Duration,
) -> anyhow::Result<bool> {
    let Some(message) = from.sync().generate_sync_message(from_state) else {
        return Ok(false);
    };
    let start = Instant::now();
    *bytes += message.clone().encode().len() as u64;
    *encoding += start.elapsed();
    to.sync().receive_sync_message(to_state, message)?;
    Ok(true)
}
