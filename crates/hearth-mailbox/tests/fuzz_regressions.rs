//! The fuzz targets of this crate, replayed in the ordinary test suite.
//!
//! The harness is the fuzz crate's own file (fuzz/src/mailbox.rs), included here, so these tests
//! run exactly what the fuzzer runs: every input of the committed corpora
//! (fuzz/corpus/mailbox_file/, fuzz/corpus/mailbox_protocol/) and every crash the fuzzer found
//! (fuzz/regressions/<target>/), each of which once failed.
//!
//! The seed corpus is written by the ignored test `write_seed_corpus`; `seeds_are_current` fails
//! when the mailbox file, state or keys formats changed and the seeds no longer match them:
//!
//! ```text
//! cargo test -p hearth-mailbox --test fuzz_regressions -- --ignored write_seed_corpus
//! ```

#[allow(dead_code)]
#[path = "../../../fuzz/src/input.rs"]
mod input;
#[path = "../../../fuzz/src/replay.rs"]
mod replay;

#[path = "../../../fuzz/src/mailbox.rs"]
mod mailbox;
#[path = "../../../fuzz/src/mailbox_protocol.rs"]
mod mailbox_protocol;

use std::collections::HashMap;
use std::path::PathBuf;

use replay::Target;

const MAILBOX_FILE: Target = Target {
    name: "mailbox_file",
    run: mailbox::run,
    seeds: mailbox::seeds,
};
const MAILBOX_PROTOCOL: Target = Target {
    name: "mailbox_protocol",
    run: mailbox_protocol::run,
    seeds: mailbox_protocol::seeds,
};
const TARGETS: &[Target] = &[MAILBOX_FILE, MAILBOX_PROTOCOL];

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

#[test]
fn mailbox_file_corpus_and_crashes_replay() {
    MAILBOX_FILE.replay(&fuzz_dir());
}

#[test]
fn mailbox_protocol_corpus_and_crashes_replay() {
    MAILBOX_PROTOCOL.replay(&fuzz_dir());
}

/// Every protocol seed goes all the way: each message decodes, each ticket reads.
#[test]
fn protocol_seeds_are_what_they_claim() {
    for (name, seed) in mailbox_protocol::seeds() {
        assert!(
            mailbox_protocol::drive(&seed),
            "seed {name} goes all the way"
        );
    }
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

/// The seeds are what they claim to be: files that open, states and keys files that decode,
/// names Hearth writes; and the altered files are refused.
#[test]
fn seeds_go_as_far_as_real_files_do() {
    let seeds: HashMap<String, Vec<u8>> = mailbox::seeds().into_iter().collect();
    for name in [
        "blob",
        "state-file",
        "sealed-blob",
        "sealed-state",
        "state",
        "state-empty",
        "keys",
        "name-state",
        "name-keys",
        "name-blob",
    ] {
        assert!(mailbox::drive(&seeds[name]), "seed {name} goes all the way");
    }
    for name in [
        "sealed-flipped",
        "sealed-cut",
        "sealed-lengthened",
        "sealed-renumbered",
    ] {
        assert!(!mailbox::drive(&seeds[name]), "seed {name} is refused");
    }

    // The sealed state holds a state, as a device's state file does.
    let key = hearth_crypto::JournalKey::from_bytes([0x42; 32]);
    let (header, payload) = hearth_crypto::mailbox::open(
        &key,
        b"journal-mailbox",
        &[0xad; 32],
        &seeds["state-file"][1..],
    )
    .expect("the state file opens");
    assert_eq!(header.kind, hearth_crypto::mailbox::Kind::State);
    let state = hearth_mailbox::DeviceState::decode(&payload).expect("it holds a state");
    assert_eq!(state.applied.len(), 2);
}
