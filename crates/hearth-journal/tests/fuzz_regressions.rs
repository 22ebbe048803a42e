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

use std::path::PathBuf;

use hearth_journal::sync::{InvalidSyncMessage, validate_sync_message};
use replay::Target;

const SYNC_MESSAGE: Target = Target {
    name: "sync_message",
    run: sync::run,
    seeds: sync::seeds,
};
const JOURNAL_READ: Target = Target {
    name: "journal_read",
    run: journal_read::run,
    seeds: journal_read::seeds,
};
const TARGETS: &[Target] = &[SYNC_MESSAGE, JOURNAL_READ];

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

#[test]
fn sync_message_corpus_and_crashes_replay() {
    SYNC_MESSAGE.replay(&fuzz_dir());
}

#[test]
fn journal_read_corpus_and_crashes_replay() {
    JOURNAL_READ.replay(&fuzz_dir());
}

#[test]
fn seeds_are_current() {
    replay::assert_seeds_current(&fuzz_dir(), TARGETS);
}

#[test]
#[ignore = "writes the seed corpus into fuzz/corpus; run it on purpose"]
fn write_seed_corpus() {
    replay::write_all_seeds(&fuzz_dir(), TARGETS);
}

/// The seeds are what they claim to be: a real sync that brings the partner's entries, crafted
/// bombs that are refused, and real documents that read as journals.
#[test]
fn seeds_go_as_far_as_real_data_does() {
    let seeds: std::collections::HashMap<String, Vec<u8>> = sync::seeds().into_iter().collect();
    // Ada's journal holds 2 entries; Ben's messages bring his 4.
    assert_eq!(sync::drive(&seeds["full-sync"]), Some(6));
    assert_eq!(sync::drive(&seeds["empty-replica"]), Some(2));
    // Each crafted bomb is refused before Automerge reads it, and changes nothing.
    let bombs: Vec<_> = seeds
        .iter()
        .filter(|(name, _)| name.starts_with("bomb-"))
        .collect();
    assert_eq!(bombs.len(), 8);
    for (name, seed) in bombs {
        let message = input::Input::new(seed).slice();
        assert!(
            matches!(
                validate_sync_message(message),
                Err(InvalidSyncMessage::Chunks(_))
            ),
            "{name}"
        );
        assert_eq!(sync::drive(seed), Some(2), "{name}");
    }

    let seeds: std::collections::HashMap<String, Vec<u8>> =
        journal_read::seeds().into_iter().collect();
    assert_eq!(journal_read::drive(&seeds["saved"]), Some((6, 0)));
    assert_eq!(journal_read::drive(&seeds["changes"]), Some((6, 0)));
    assert_eq!(journal_read::drive(&seeds["built-checkin"]), Some((1, 0)));
    let (entries, warnings) = journal_read::drive(&seeds["built-odd"]).expect("loads");
    assert_eq!(entries, 0, "a check-in whose mood is a word is skipped");
    assert!(warnings >= 1, "and reported");
}
