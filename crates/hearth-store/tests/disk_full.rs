//! A full disk: the write that does not fit gets a typed error, not a panic, and every change
//! acknowledged before it is intact.

mod common;

use std::io::{BufRead, BufReader};

use common::{child_command_with_file_size_limit, child_role, create, open, tell_parent};
use hearth_store::{DocId, WriteError};

const HELPER: &str = "child_process_entry";
/// Large chunks, so the limit is reached after a moderate number of appends.
const CHUNK_LEN: usize = 8 * 1024;

fn fill_entry(index: u64) -> Vec<u8> {
    let mut entry = format!("fill {index} ").into_bytes();
    entry.resize(CHUNK_LEN, b'.');
    entry
}

fn before_entry(index: u64) -> Vec<u8> {
    format!("before {index}").into_bytes()
}

/// Not a test of its own: the body of the child that writes until its file size limit is reached.
/// In a normal test run it returns at once.
#[test]
fn child_process_entry() {
    let Some((role, dir)) = child_role() else {
        return;
    };
    assert_eq!(role, "fill", "unknown child role");
    let store = open(&dir);
    for index in 0..100_000 {
        match store.append_change(DocId::Shared, &fill_entry(index)) {
            Ok(_) => tell_parent(&format!("ACK {index}")),
            Err(WriteError::Database { source, .. }) if source.is_out_of_space() => {
                tell_parent(&format!("OUT_OF_SPACE {source}"));
                // The store stays usable enough to refuse further writes cleanly.
                let again = store.append_change(DocId::Shared, b"again");
                tell_parent(&format!("AGAIN_FAILED {}", again.is_err()));
                return;
            }
            Err(err) => {
                tell_parent(&format!("OTHER_ERROR {err:?}"));
                return;
            }
        }
    }
    tell_parent("NEVER_FULL");
}

#[test]
fn a_full_disk_is_a_typed_error_and_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    for index in 0..10 {
        store
            .append_change(DocId::Shared, &before_entry(index))
            .expect("append");
    }
    drop(store);

    let size = std::fs::metadata(dir.path().join("hearth.redb"))
        .expect("database file")
        .len();
    // At least a megabyte of room beyond the current file, whether the shell counts in 512- or
    // 1024-byte blocks.
    let blocks = size / 512 + 2048;
    let output = child_command_with_file_size_limit(HELPER, "fill", dir.path(), blocks)
        .spawn()
        .expect("the test executable can be run again")
        .wait_with_output()
        .expect("the child runs");
    assert!(
        output.status.success(),
        "the child failed: {}",
        output.status
    );
    let lines: Vec<String> = BufReader::new(&output.stdout[..])
        .lines()
        .map_while(Result::ok)
        .collect();
    let acked: Vec<u64> = lines
        .iter()
        .filter_map(|line| line.strip_prefix("ACK "))
        .map(|index| index.parse().expect("ACK lines carry an index"))
        .collect();
    let report = lines.iter().find(|line| line.starts_with("OUT_OF_SPACE "));
    println!("after {} acknowledged appends: {report:?}", acked.len());
    assert!(
        report.is_some(),
        "the full disk was not reported as such: {:?}",
        lines
            .iter()
            .filter(|l| !l.starts_with("ACK"))
            .collect::<Vec<_>>()
    );
    assert!(
        lines.iter().any(|line| line == "AGAIN_FAILED true"),
        "{lines:?}"
    );
    assert!(
        !acked.is_empty(),
        "no write fit before the limit; the test tested nothing"
    );
    assert_eq!(acked, (0..acked.len() as u64).collect::<Vec<_>>());

    // Without the limit, everything acknowledged is there, and the store takes writes again.
    let store = open(dir.path());
    let chunks = store.load(DocId::Shared).expect("load").chunks;
    let acked = acked.len();
    assert!(
        chunks.len() == 10 + acked || chunks.len() == 10 + acked + 1,
        "{} chunks for {acked} acknowledged",
        chunks.len()
    );
    for (position, chunk) in chunks.iter().enumerate() {
        let index = position as u64;
        let expected = if position < 10 {
            before_entry(index)
        } else {
            fill_entry(index - 10)
        };
        assert!(*chunk == expected, "chunk {position} differs");
    }
    store
        .append_change(DocId::Shared, b"after the disk was freed")
        .expect("append");
    drop(store);
    let chunks = open(dir.path()).load(DocId::Shared).expect("load").chunks;
    assert_eq!(
        chunks.last().map(Vec::as_slice),
        Some(&b"after the disk was freed"[..])
    );
}
