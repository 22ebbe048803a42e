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

use std::path::PathBuf;

use replay::Target;

const TICKET: Target = Target {
    name: "ticket",
    run: ticket::run,
    seeds: ticket::seeds,
};
const PAIRING: Target = Target {
    name: "pairing",
    run: pairing::run,
    seeds: pairing::seeds,
};
const FRAME_OPEN: Target = Target {
    name: "frame_open",
    run: frame::run,
    seeds: frame::seeds,
};
const TARGETS: &[Target] = &[TICKET, PAIRING, FRAME_OPEN];

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

#[test]
fn ticket_corpus_and_crashes_replay() {
    TICKET.replay(&fuzz_dir());
}

#[test]
fn pairing_corpus_and_crashes_replay() {
    PAIRING.replay(&fuzz_dir());
}

#[test]
fn frame_open_corpus_and_crashes_replay() {
    FRAME_OPEN.replay(&fuzz_dir());
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
