//! The journal documents: appends, reloads, compaction and sync states.

mod common;

use common::{create, open};
use hearth_store::{COMPACT_AFTER_CHUNKS, DocId, WriteError};

fn change(n: usize) -> Vec<u8> {
    format!("change number {n}").into_bytes()
}

#[test]
fn appended_changes_reload_in_order_after_reopen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    let empty = store.load(DocId::Shared).expect("load");
    assert_eq!(empty.snapshot, None);
    assert!(empty.chunks.is_empty());

    for n in 0..5 {
        let outcome = store
            .append_change(DocId::Shared, &change(n))
            .expect("append");
        assert_eq!(outcome.chunks_since_snapshot, n + 1);
    }
    let batch: Vec<_> = (5..12).map(change).collect();
    let outcome = store
        .append_changes(DocId::Shared, &batch)
        .expect("append batch");
    assert_eq!(outcome.chunks_since_snapshot, 12);
    store
        .append_change(DocId::Shared, b"")
        .expect("an empty change is a change");
    drop(store);

    let store = open(dir.path());
    let doc = store.load(DocId::Shared).expect("load");
    let mut expected: Vec<_> = (0..12).map(change).collect();
    expected.push(Vec::new());
    assert_eq!(doc.snapshot, None);
    assert_eq!(doc.chunks, expected);
    assert_eq!(
        store.chunks_since_snapshot(DocId::Shared).expect("count"),
        13
    );
}

#[test]
fn the_private_document_is_kept_apart_from_the_shared_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    store
        .append_change(DocId::Shared, b"shared 1")
        .expect("append");
    store
        .append_change(DocId::Private, b"private 1")
        .expect("append");
    store
        .append_change(DocId::Shared, b"shared 2")
        .expect("append");
    let shared = store.load(DocId::Shared).expect("load");
    store
        .compact(DocId::Shared, b"shared snapshot", shared.mark)
        .expect("compact");
    drop(store);

    let store = open(dir.path());
    let private = store.load(DocId::Private).expect("load");
    assert_eq!(private.snapshot, None);
    assert_eq!(private.chunks, vec![b"private 1".to_vec()]);
    let shared = store.load(DocId::Shared).expect("load");
    assert_eq!(shared.snapshot, Some(b"shared snapshot".to_vec()));
    assert!(shared.chunks.is_empty());
    assert_eq!(
        store.chunks_since_snapshot(DocId::Private).expect("count"),
        1
    );
}

#[test]
fn compaction_replaces_the_snapshot_and_keeps_later_chunks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    store
        .append_changes(DocId::Shared, &[change(0), change(1)])
        .expect("append");
    let seen = store.load(DocId::Shared).expect("load");
    // A change arrives between taking the snapshot and storing it: it must survive.
    store
        .append_change(DocId::Shared, &change(2))
        .expect("append");
    store
        .compact(DocId::Shared, b"snapshot of 0 and 1", seen.mark)
        .expect("compact");
    assert_eq!(
        store.chunks_since_snapshot(DocId::Shared).expect("count"),
        1
    );

    let outcome = store
        .append_change(DocId::Shared, &change(3))
        .expect("append");
    store
        .compact(DocId::Shared, b"snapshot of 0 to 3", outcome.mark)
        .expect("compact");
    store
        .append_change(DocId::Shared, &change(4))
        .expect("append");
    drop(store);

    let doc = open(dir.path()).load(DocId::Shared).expect("load");
    assert_eq!(doc.snapshot, Some(b"snapshot of 0 to 3".to_vec()));
    assert_eq!(doc.chunks, vec![change(4)]);
}

#[test]
fn a_snapshot_older_than_the_stored_one_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    let old = store
        .append_change(DocId::Shared, &change(0))
        .expect("append");
    let new = store
        .append_change(DocId::Shared, &change(1))
        .expect("append");
    store
        .compact(DocId::Shared, b"snapshot of 0 and 1", new.mark)
        .expect("compact");
    let err = store
        .compact(DocId::Shared, b"snapshot of 0", old.mark)
        .expect_err("stale snapshot");
    assert!(
        matches!(err, WriteError::StaleSnapshot { doc: DocId::Shared }),
        "{err:?}"
    );
    // A snapshot of everything moved the mark on: the same mark again is older than it, and
    // the store's mark now is fine (a snapshot of the same state).
    assert!(store.mark(DocId::Shared).expect("mark") > new.mark);
    assert!(matches!(
        store.compact(DocId::Shared, b"again, late", new.mark),
        Err(WriteError::StaleSnapshot { .. })
    ));
    store
        .compact(
            DocId::Shared,
            b"again 0 and 1",
            store.mark(DocId::Shared).expect("mark"),
        )
        .expect("compact");
    drop(store);
    let doc = open(dir.path()).load(DocId::Shared).expect("load");
    assert_eq!(doc.snapshot, Some(b"again 0 and 1".to_vec()));
    assert!(doc.chunks.is_empty());
}

#[test]
fn compaction_is_due_once_enough_chunks_pile_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    let almost: Vec<_> = (0..COMPACT_AFTER_CHUNKS - 1).map(change).collect();
    let outcome = store
        .append_changes(DocId::Shared, &almost)
        .expect("append");
    assert!(!outcome.compaction_due);
    assert_eq!(outcome.chunks_since_snapshot, COMPACT_AFTER_CHUNKS - 1);

    let outcome = store
        .append_change(DocId::Shared, b"one more")
        .expect("append");
    assert!(outcome.compaction_due);
    assert_eq!(outcome.chunks_since_snapshot, COMPACT_AFTER_CHUNKS);
    // The private document has its own count.
    let private = store.append_change(DocId::Private, b"p").expect("append");
    assert!(!private.compaction_due);

    store
        .compact(DocId::Shared, b"everything", outcome.mark)
        .expect("compact");
    assert_eq!(
        store.chunks_since_snapshot(DocId::Shared).expect("count"),
        0
    );
    let after = store
        .append_change(DocId::Shared, b"fresh")
        .expect("append");
    assert!(!after.compaction_due);
    assert_eq!(after.chunks_since_snapshot, 1);
}

#[test]
fn sync_states_persist_across_reopen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    let alice = [1u8; 32];
    let bob = [2u8; 32];
    assert_eq!(store.load_sync_state(alice).expect("load"), None);
    store.save_sync_state(alice, b"first").expect("save");
    store.save_sync_state(alice, b"second").expect("overwrite");
    store.save_sync_state(bob, b"bob's").expect("save");
    drop(store);

    let store = open(dir.path());
    assert_eq!(
        store.load_sync_state(alice).expect("load"),
        Some(b"second".to_vec())
    );
    assert_eq!(
        store.load_sync_state(bob).expect("load"),
        Some(b"bob's".to_vec())
    );
    assert_eq!(store.load_sync_state([3; 32]).expect("load"), None);
}

#[test]
fn a_received_change_and_its_sync_state_are_stored_together() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    let alice = [1u8; 32];
    store.save_sync_state(alice, b"before").expect("save");
    store
        .append_change(DocId::Shared, &change(0))
        .expect("append");
    let outcome = store
        .append_change_with_sync_state(DocId::Shared, &change(1), alice, b"after change 1")
        .expect("append with state");
    assert_eq!(outcome.chunks_since_snapshot, 2);
    assert!(!outcome.compaction_due);
    drop(store);

    let store = open(dir.path());
    assert_eq!(
        store.load(DocId::Shared).expect("load").chunks,
        vec![change(0), change(1)]
    );
    assert_eq!(
        store.load_sync_state(alice).expect("load"),
        Some(b"after change 1".to_vec())
    );
    assert_eq!(store.load_sync_state([2; 32]).expect("load"), None);
}

#[test]
fn the_count_after_a_snapshot_keeps_chunks_appended_after_its_mark() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    let batch: Vec<_> = (0..3).map(change).collect();
    let mark = store
        .append_changes(DocId::Shared, &batch)
        .expect("append")
        .mark;
    store
        .append_changes(DocId::Shared, &[change(3), change(4)])
        .expect("append after the mark");
    store
        .compact(DocId::Shared, b"0 to 2", mark)
        .expect("compact");
    let outcome = store
        .append_change(DocId::Shared, &change(5))
        .expect("append");
    assert_eq!(outcome.chunks_since_snapshot, 3);
    assert_eq!(
        store.chunks_since_snapshot(DocId::Shared).expect("count"),
        3,
        "the count an append reports is the chunks really there"
    );
    assert_eq!(
        store.load(DocId::Shared).expect("load").chunks,
        vec![change(3), change(4), change(5)]
    );
}

#[test]
fn the_mark_is_the_one_the_last_append_gave() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    assert_eq!(
        store.mark(DocId::Shared).expect("mark"),
        store.load(DocId::Shared).expect("load").mark,
        "nothing appended yet"
    );
    store
        .append_changes(DocId::Shared, &[change(0), change(1)])
        .expect("append");
    let last = store
        .append_change(DocId::Shared, &change(2))
        .expect("append")
        .mark;
    store
        .append_change(DocId::Private, &change(9))
        .expect("append to the other document");
    assert_eq!(store.mark(DocId::Shared).expect("mark"), last);
    // A snapshot stored with it covers every chunk: none are left to load.
    store
        .compact(
            DocId::Shared,
            b"0 to 2",
            store.mark(DocId::Shared).expect("mark"),
        )
        .expect("compact");
    let loaded = store.load(DocId::Shared).expect("load");
    assert!(loaded.chunks.is_empty());
    // The snapshot of everything moved the mark on by one, as an append would.
    assert!(loaded.mark > last);
    let next = store
        .append_change(DocId::Shared, &change(3))
        .expect("append");
    assert_eq!(next.chunks_since_snapshot, 1);
    assert_eq!(
        store.load(DocId::Shared).expect("load").chunks,
        vec![change(3)]
    );
}

#[test]
fn an_arrived_document_replaces_the_snapshot_and_every_chunk_with_its_sync_state() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    let alice = [1u8; 32];
    let mark = store
        .append_changes(DocId::Shared, &[change(0), change(1)])
        .expect("append")
        .mark;
    store
        .compact(DocId::Shared, b"old snapshot", mark)
        .expect("compact");
    store
        .append_change(DocId::Shared, &change(2))
        .expect("append");
    store
        .append_change(DocId::Private, &change(9))
        .expect("append private");
    let outcome = store
        .replace_with_arrived(
            DocId::Shared,
            b"whole document",
            &change(3),
            Some((alice, b"state".as_slice())),
        )
        .expect("replace");
    assert_eq!(outcome.chunks_since_snapshot, 1);
    drop(store);

    let store = open(dir.path());
    let shared = store.load(DocId::Shared).expect("load");
    assert_eq!(shared.snapshot, Some(b"whole document".to_vec()));
    assert_eq!(shared.chunks, vec![change(3)]);
    assert_eq!(
        store.load(DocId::Private).expect("load").chunks,
        vec![change(9)]
    );
    assert_eq!(
        store.load_sync_state(alice).expect("load"),
        Some(b"state".to_vec())
    );
    // Later appends and compactions go on from it.
    let outcome = store
        .append_change(DocId::Shared, &change(4))
        .expect("append");
    assert_eq!(outcome.chunks_since_snapshot, 2);
    let outcome = store
        .replace_with_arrived(DocId::Shared, b"another", &[], None)
        .expect("replace with nothing after");
    assert_eq!(outcome.chunks_since_snapshot, 0);
    store
        .compact(DocId::Shared, b"compacted", outcome.mark)
        .expect("a compaction at the mark it gave");
    drop(store);
    let store = open(dir.path());
    let shared = store.load(DocId::Shared).expect("load");
    assert_eq!(shared.snapshot, Some(b"compacted".to_vec()));
    assert!(shared.chunks.is_empty());
}
