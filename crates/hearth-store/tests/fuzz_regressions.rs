//! The fuzz targets of this crate, replayed in the ordinary test suite.
//!
//! The harnesses are the fuzz crate's own files (fuzz/src), included here, so these tests run
//! exactly what the fuzzers run: every input of the committed corpus (fuzz/corpus/<target>/) and
//! every crash the fuzzers found (fuzz/regressions/<target>/), each of which once failed.
//!
//! The seed corpus is written by the ignored test `write_seed_corpus`; `seeds_are_current` fails
//! when the store's record formats changed and the seeds no longer match it:
//!
//! ```text
//! cargo test -p hearth-store --test fuzz_regressions -- --ignored write_seed_corpus
//! ```

#[allow(dead_code)]
#[path = "../../../fuzz/src/input.rs"]
mod input;
#[path = "../../../fuzz/src/replay.rs"]
mod replay;

#[path = "../../../fuzz/src/store.rs"]
mod store;

use std::path::PathBuf;

use replay::Target;

const STORE_CHUNK: Target = Target {
    name: "store_chunk",
    run: store::run_chunk,
    seeds: store::chunk_seeds,
};
const STORE_VAULT: Target = Target {
    name: "store_vault",
    run: store::run_vault,
    seeds: store::vault_seeds,
};
const TARGETS: &[Target] = &[STORE_CHUNK, STORE_VAULT];

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

#[test]
fn store_chunk_corpus_and_crashes_replay() {
    STORE_CHUNK.replay(&fuzz_dir());
}

#[test]
fn store_vault_corpus_and_crashes_replay() {
    STORE_VAULT.replay(&fuzz_dir());
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

/// The seeds are what they claim to be: chunks the store opens and vault bytes it decodes.
#[test]
fn seeds_decode_as_the_store_reads_them() {
    use hearth_store::{DocId, decode};
    let key = hearth_crypto::StorageKey::from_bytes([0x5e; 32]);
    for (name, bytes) in store::chunk_seeds() {
        let doc = if bytes[0] == 0 {
            DocId::Shared
        } else {
            DocId::Private
        };
        let seq = u64::from(u32::from_be_bytes(bytes[1..5].try_into().expect("4 bytes")));
        assert!(
            decode::chunk(&key, doc, seq, &bytes[5..]).is_ok(),
            "chunk seed {name} opens"
        );
    }
    let seeds: std::collections::HashMap<String, Vec<u8>> =
        store::vault_seeds().into_iter().collect();
    let header = decode::key_header(&seeds["key-header"]).expect("the key header decodes");
    assert_eq!(header.format_version(), hearth_store::FORMAT_VERSION);
    assert!(decode::device_key(&seeds["device-key"]).is_ok());
    let binding = decode::journal_binding(&seeds["journal-binding"]).expect("binding decodes");
    assert_eq!(
        (binding.journal_id.as_str(), binding.member_id.as_str()),
        ("journal-1", "ada")
    );
    let device = decode::paired_device([3; 32], &seeds["paired-device"]).expect("device decodes");
    assert_eq!(device.addrs.len(), 2);
}

/// A key header written by the store itself decodes with the public decoder, and the seed's
/// layout is the store's.
#[test]
fn the_store_writes_key_headers_the_decoder_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let passphrase = hearth_crypto::passphrase::Passphrase::new("p");
    let store = hearth_store::Store::create(
        dir.path(),
        &passphrase,
        hearth_crypto::KdfParams::insecure_fast_for_tests(),
    )
    .expect("create");
    drop(store);
    let bytes = std::fs::read(dir.path().join("hearth.key")).expect("the key header");
    let header = hearth_store::decode::key_header(&bytes).expect("decodes");
    assert_eq!(header.format_version(), hearth_store::FORMAT_VERSION);
    store::run_vault(&bytes);
}
