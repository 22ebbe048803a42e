//! The fuzz targets of this crate, replayed in the ordinary test suite.
//!
//! The harnesses are the fuzz crate's own files (fuzz/src), included here, so these tests run
//! exactly what the fuzzers run: every input of the committed corpus (fuzz/corpus/<target>/) and
//! every crash the fuzzers found (fuzz/regressions/<target>/), each of which once failed.
//!
//! The seed corpus is written by the ignored test `write_seed_corpus`; `seeds_are_current` fails
//! when the journal's encoding changed and the seeds no longer match it:
//!
//! ```text
//! cargo test -p hearth-journal --test fuzz_regressions -- --ignored write_seed_corpus
//! ```

#[allow(dead_code)]
#[path = "../../../fuzz/src/input.rs"]
mod input;
#[path = "../../../fuzz/src/replay.rs"]
mod replay;

#[path = "../../../fuzz/src/journal_read.rs"]
mod journal_read;
#[path = "../../../fuzz/src/sync.rs"]
mod sync;

use std::path::{Path, PathBuf};

type Run = fn(&[u8]);
type Seeds = fn() -> Vec<(String, Vec<u8>)>;

const TARGETS: &[(&str, Run, Seeds)] = &[
    ("sync_message", sync::run, sync::seeds),
    ("journal_read", journal_read::run, journal_read::seeds),
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// Runs every committed input of `target`; returns how many ran. Fails naming each input that
/// panicked.
fn replay(target: &str, run: Run) -> usize {
    let inputs = replay::inputs(&fuzz_dir(), target);
    let failed: Vec<String> = inputs
        .iter()
        .filter(|(_, bytes)| std::panic::catch_unwind(|| run(bytes)).is_err())
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{target}: these inputs fail: {failed:#?}"
    );
    inputs.len()
}

#[test]
fn sync_message_corpus_and_crashes_replay() {
    assert!(replay("sync_message", sync::run) >= sync::seeds().len());
}

#[test]
fn journal_read_corpus_and_crashes_replay() {
    assert!(replay("journal_read", journal_read::run) >= journal_read::seeds().len());
}

#[test]
fn seeds_are_current() {
    for (target, _, seeds) in TARGETS {
        let dir = fuzz_dir().join("corpus").join(target);
        for (name, bytes) in seeds() {
            let path = dir.join(format!("seed-{name}"));
            let stored = std::fs::read(&path).unwrap_or_default();
            assert!(
                stored == bytes,
                "{} is missing or stale: run write_seed_corpus (see this file's docs)",
                path.display()
            );
        }
    }
}

#[test]
#[ignore = "writes the seed corpus into fuzz/corpus; run it on purpose"]
fn write_seed_corpus() {
    for (target, _, seeds) in TARGETS {
        replay::write_seeds(&fuzz_dir(), target, &seeds());
    }
}

/// The seeds are what they claim to be: a real sync that brings the partner's entries, and real
/// documents that read as journals.
#[test]
fn seeds_go_as_far_as_real_data_does() {
    let seeds: std::collections::HashMap<String, Vec<u8>> = sync::seeds().into_iter().collect();
    // Ada's journal holds 2 entries; Ben's messages bring his 4.
    assert_eq!(sync::drive(&seeds["full-sync"]), Some(6));
    assert_eq!(sync::drive(&seeds["empty-replica"]), Some(2));

    let seeds: std::collections::HashMap<String, Vec<u8>> =
        journal_read::seeds().into_iter().collect();
    assert_eq!(journal_read::drive(&seeds["saved"]), Some((6, 0)));
    assert_eq!(journal_read::drive(&seeds["changes"]), Some((6, 0)));
    assert_eq!(journal_read::drive(&seeds["built-checkin"]), Some((1, 0)));
    let (entries, warnings) = journal_read::drive(&seeds["built-odd"]).expect("loads");
    assert_eq!(entries, 0, "a check-in whose mood is a word is skipped");
    assert!(warnings >= 1, "and reported");
}
