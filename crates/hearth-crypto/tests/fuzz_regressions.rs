//! The fuzz targets of this crate, replayed in the ordinary test suite.
//!
//! The harnesses are the fuzz crate's own files (fuzz/src), included here, so these tests run
//! exactly what the fuzzers run: every input of the committed corpus (fuzz/corpus/<target>/) and
//! every crash the fuzzers found (fuzz/regressions/<target>/), each of which once failed.
//!
//! The seed corpus is written by the ignored test `write_seed_corpus`; `seeds_are_current` fails
//! when a wire format changed and the seeds no longer match it:
//!
//! ```text
//! cargo test -p hearth-crypto --test fuzz_regressions -- --ignored write_seed_corpus
//! ```

#[allow(dead_code)]
#[path = "../../../fuzz/src/input.rs"]
mod input;
#[path = "../../../fuzz/src/replay.rs"]
mod replay;

#[path = "../../../fuzz/src/frame.rs"]
mod frame;
#[path = "../../../fuzz/src/pairing.rs"]
mod pairing;
#[path = "../../../fuzz/src/ticket.rs"]
mod ticket;

use std::path::{Path, PathBuf};

type Run = fn(&[u8]);
type Seeds = fn() -> Vec<(String, Vec<u8>)>;

const TARGETS: &[(&str, Run, Seeds)] = &[
    ("ticket", ticket::run, ticket::seeds),
    ("pairing", pairing::run, pairing::seeds),
    ("frame_open", frame::run, frame::seeds),
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
fn ticket_corpus_and_crashes_replay() {
    assert!(replay("ticket", ticket::run) >= ticket::seeds().len());
}

#[test]
fn pairing_corpus_and_crashes_replay() {
    assert!(replay("pairing", pairing::run) >= pairing::seeds().len());
}

#[test]
fn frame_open_corpus_and_crashes_replay() {
    assert!(replay("frame_open", frame::run) >= frame::seeds().len());
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

/// The seeds are what they claim to be: real handshakes and real traffic, not inputs that stop
/// at the first check.
#[test]
fn seeds_go_as_far_as_real_traffic_does() {
    let seeds: std::collections::HashMap<String, Vec<u8>> = pairing::seeds().into_iter().collect();
    let complete = pairing::Outcome {
        sas_shown: true,
        granted: true,
        joined: true,
    };
    assert_eq!(pairing::drive(&seeds["complete-inviter-first"]), complete);
    assert_eq!(pairing::drive(&seeds["complete-joiner-first"]), complete);
    let shown_only = pairing::Outcome {
        sas_shown: true,
        ..Default::default()
    };
    assert_eq!(pairing::drive(&seeds["declined"]), shown_only);
    assert_eq!(pairing::drive(&seeds["timed-out"]), shown_only);
    assert_eq!(
        pairing::drive(&seeds["tampered-key"]),
        pairing::Outcome::default()
    );

    let seeds: std::collections::HashMap<String, Vec<u8>> = frame::seeds().into_iter().collect();
    assert_eq!(frame::drive(&seeds["in-order"]), 2);
    assert_eq!(frame::drive(&seeds["replay"]), 1);
    assert_eq!(frame::drive(&seeds["tampered"]), 0);
    assert_eq!(frame::drive(&seeds["reflected"]), 0);

    for (name, bytes) in ticket::seeds() {
        let decoded = if name.ends_with("bytes") {
            hearth_crypto::Ticket::from_bytes(&bytes, 1_000)
        } else {
            hearth_crypto::Ticket::from_text(std::str::from_utf8(&bytes).expect("text"), 1_000)
        };
        assert!(decoded.is_ok(), "ticket seed {name} decodes");
    }
}
