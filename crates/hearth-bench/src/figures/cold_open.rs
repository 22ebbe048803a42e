//! Cold open: unlocking and loading a device's journal until it can be read, with the key
//! derivation set to almost nothing (Argon2id is measured on its own), beside Automerge loading
//! the same document from its plaintext bytes.

use std::path::Path;
use std::time::Instant;

use anyhow::bail;
use automerge::AutoCommit;
use hearth::{Filter, Hearth, KdfParams};
use hearth_crypto::{StorageKey, unwrap_key, wrap_key};

use crate::fixture::{Couple, any_port, copy_device, options, passphrase};
use crate::measure::{Samples, timed};
use crate::report::{Row, Target, Unit};

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
