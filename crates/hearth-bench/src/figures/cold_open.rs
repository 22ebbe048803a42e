//! Cold open: unlocking and loading a device's journal until it can be read, with the key
//! derivation set to almost nothing (Argon2id is measured on its own), beside Automerge loading
//! the same document from its plaintext bytes.

use std::path::Path;
use std::time::Instant;

use anyhow::bail;
use automerge::AutoCommit;
use hearth::{Filter, Hearth, KdfParams};
use hearth_crypto::{StorageKey, unwrap_key, wrap_key};
use hearth_journal::{EntryId, Journal};

use crate::corpus;
use crate::fixture::{Couple, any_port, copy_device, options, passphrase};
use crate::measure::{Samples, timed};
use crate::report::{Row, Target, Unit};
use crate::rng::Rng;

pub async fn run(
    couple: &Couple,
    runs: usize,
    kdf_runs: usize,
    scratch: &Path,
) -> anyhow::Result<Vec<Row>> {
    let dir = tempfile::tempdir_in(scratch)?;
    copy_device(&couple.ada, dir.path())?;
    let mut open = Samples::new();
    let mut load = Samples::new();
    for run in 0..runs.max(1) {
        let doc = couple.ada_doc.clone();
        let (loaded, took) =
            tokio::task::spawn_blocking(move || timed(|| AutoCommit::load(&doc))).await?;
        loaded?;
        load.push_duration(took);

        let start = Instant::now();
        let h = Hearth::open(dir.path(), &passphrase(), options(any_port(), false)).await?;
        open.push_duration(start.elapsed());
        if run == 0 {
            let have = h
                .timeline(&Filter::default(), None, usize::MAX)
                .await?
                .items
                .len();
            if have != couple.written.entries {
                bail!(
                    "the opened journal has {have} entries, not {}",
                    couple.written.entries
                );
            }
        }
        h.shutdown().await;
    }
    let kdf = tokio::task::spawn_blocking(move || argon2id(kdf_runs)).await??;
    let n = couple.written.entries;
    Ok(vec![
        Row::new(
            "cold_open",
            format!("cold open of a {n}-entry journal (Argon2id excluded)"),
            Unit::Ms,
            &open,
        )
        .baseline(
            "automerge::AutoCommit::load of the same plaintext bytes",
            &load,
        )
        .target(Target::Ratio { max: 1.3 }),
        Row::new(
            "argon2id",
            "Argon2id unlock, production parameters (added to every open)",
            Unit::Ms,
            &kdf,
        ),
    ])
}

/// What an open adds to loading the snapshot: taking the changes stored after it. A store holds up
/// to [`hearth_store::COMPACT_AFTER_CHUNKS`] of them before it compacts; here one short of that,
/// each a new entry written on Ada's device, as after a busy stretch of writing. They are taken
/// together, as an open takes them, beside the same taken one change at a time.
pub fn stored_changes(couple: &Couple, runs: usize, rng: &mut Rng) -> anyhow::Result<Row> {
    let count = hearth_store::COMPACT_AFTER_CHUNKS - 1;
    let mut ada = Journal::load(&couple.ada_doc, rng.bytes())?;
    ada.mark_saved();
    let partner = couple.people.members[1].clone();
    let today = corpus::today();
    let mut chunks = Vec::with_capacity(count);
    for i in 0..count {
        let stamp = couple.ada_in_memory(i);
        let id = EntryId::new(stamp.now_ms, rng.bytes());
        ada.write(&id, &stamp, &corpus::content(rng, &partner, today))?;
        chunks.push(ada.save_incremental());
    }
    let heads = ada.heads();
    drop(ada);
    let mut together = Samples::new();
    let mut one_by_one = Samples::new();
    for _ in 0..runs.max(1) {
        let mut journal = Journal::load(&couple.ada_doc, rng.bytes())?;
        let start = Instant::now();
        journal.load_chunks(chunks.iter().map(Vec::as_slice))?;
        together.push_duration(start.elapsed());
        anyhow::ensure!(journal.heads() == heads, "every stored change was taken");
        drop(journal);

        let mut journal = Journal::load(&couple.ada_doc, rng.bytes())?;
        let start = Instant::now();
        for chunk in &chunks {
            journal.load_incremental(chunk)?;
        }
        one_by_one.push_duration(start.elapsed());
        anyhow::ensure!(journal.heads() == heads, "every stored change was taken");
    }
    Ok(Row::new(
        "stored_changes",
        format!(
            "open: taking the {count} new entries stored after the snapshot of a {}-entry journal",
            couple.written.entries
        ),
        Unit::Ms,
        &together,
    )
    .baseline("the same changes taken one at a time", &one_by_one))
}

/// Unwrapping a key sealed under a passphrase with the production parameters.
fn argon2id(runs: usize) -> anyhow::Result<Samples> {
    let key = StorageKey::from_bytes([9; 32]);
    let wrapped = wrap_key(
        &key,
        &passphrase(),
        KdfParams::production(),
        [1; 16],
        [2; 24],
    )?;
    let mut took = Samples::new();
    for _ in 0..runs.max(1) {
        let (result, elapsed) = timed(|| unwrap_key(&wrapped, &passphrase()));
        result?;
        took.push_duration(elapsed);
    }
    Ok(took)
}
