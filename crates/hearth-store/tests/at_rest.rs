//! Nothing in plaintext at rest, and every altered or moved record is caught.
//!
//! The tests reach into the database file with redb, through the table layout documented in the
//! protocol's "Storage" section, to play an attacker (or a failing disk) who changes the file.

mod common;

use std::path::Path;

use common::{all_file_contents, contains, create, open, passphrase};
use hearth_crypto::JournalKey;
use hearth_store::{DocId, JournalBinding, KeyHeaderError, OpenError, PairedDevice, Record, Store};
use redb::{ReadableDatabase, TableDefinition};

const CHUNKS: TableDefinition<(u8, u64), &[u8]> = TableDefinition::new("chunks");
const SETTINGS: TableDefinition<&str, &[u8]> = TableDefinition::new("settings");
const PAIRED_DEVICES: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("paired_devices");

fn database(dir: &Path) -> redb::Database {
    redb::Database::open(dir.join("hearth.redb")).expect("the database file opens with redb")
}

fn read_chunk(dir: &Path, key: (u8, u64)) -> Vec<u8> {
    let db = database(dir);
    let txn = db.begin_read().expect("read");
    let table = txn.open_table(CHUNKS).expect("chunks table");
    table
        .get(key)
        .expect("get")
        .expect("the chunk exists")
        .value()
        .to_vec()
}

fn write_record<K: redb::Key + 'static>(
    dir: &Path,
    table: TableDefinition<K, &[u8]>,
    key: K::SelfType<'_>,
    value: &[u8],
) {
    let db = database(dir);
    let txn = db.begin_write().expect("write");
    txn.open_table(table)
        .expect("table")
        .insert(key, value)
        .expect("insert");
    txn.commit().expect("commit");
}

fn unique_canary() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_nanos();
    format!("canary-{}-{nanos}-ZQX", std::process::id())
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn assert_absent(dir: &Path, canary: &str) {
    let forms = [canary.as_bytes().to_vec(), utf16le(canary)];
    let files = all_file_contents(dir);
    assert!(
        files.len() >= 3,
        "expected the store's files, found {}",
        files.len()
    );
    for (path, bytes) in files {
        for form in &forms {
            assert!(
                !contains(&bytes, form),
                "{} holds the canary in plaintext",
                path.display()
            );
        }
    }
}

#[test]
fn no_file_holds_plaintext() {
    let dir = tempfile::tempdir().expect("temp dir");
    let canary = unique_canary();
    let store = create(dir.path());
    let text = format!("dear diary, {canary}");
    store
        .append_change(DocId::Shared, text.as_bytes())
        .expect("append");
    store
        .append_change(DocId::Private, &utf16le(&text))
        .expect("append");
    store.put_setting("theme", canary.as_bytes()).expect("put");
    store
        .put_paired_device(&PairedDevice {
            endpoint_id: [5; 32],
            member_id: canary.clone(),
            name: canary.clone(),
            addrs: vec![canary.clone()],
            paired_at_ms: 1,
        })
        .expect("put");
    store
        .set_journal_binding(&JournalBinding {
            journal_key: JournalKey::from_bytes([3; 32]),
            journal_id: canary.clone(),
            member_id: canary.clone(),
        })
        .expect("set");
    store
        .save_sync_state([5; 32], canary.as_bytes())
        .expect("save");
    let mark = store.load(DocId::Shared).expect("load").mark;
    store
        .append_change(DocId::Shared, text.as_bytes())
        .expect("append");
    store
        .compact(DocId::Shared, text.as_bytes(), mark)
        .expect("compact");
    assert_absent(dir.path(), &canary);
    drop(store);
    assert_absent(dir.path(), &canary);

    // And the data is really there, under the encryption.
    let store = open(dir.path());
    assert_eq!(
        store.load(DocId::Shared).expect("load").snapshot,
        Some(text.into_bytes())
    );
}

/// The record the store names as damaged when it refuses to open.
fn damaged(dir: &Path) -> Record {
    match Store::open(dir, &passphrase()) {
        Err(OpenError::RecordDamaged { record, .. }) => record,
        Err(other) => panic!("expected a damaged record, got {other:?}"),
        Ok(_) => panic!("the store opened"),
    }
}

#[test]
fn every_flipped_byte_of_a_chunk_fails_authentication() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    store
        .append_change(DocId::Shared, b"the first entry")
        .expect("append");
    store
        .append_change(DocId::Shared, b"the second entry")
        .expect("append");
    drop(store);

    let original = read_chunk(dir.path(), (0, 1));
    assert!(
        original.len() > b"the second entry".len(),
        "chunks are sealed, with a tag"
    );
    let second = Record::Chunk {
        doc: DocId::Shared,
        index: 1,
    };
    for position in 0..original.len() {
        let mut altered = original.clone();
        altered[position] ^= 0xff;
        write_record(dir.path(), CHUNKS, (0, 1), &altered);
        assert_eq!(damaged(dir.path()), second, "byte {position}");
    }
    // Truncated and empty records too.
    for altered in [&original[..original.len() - 1], &original[..10], &[][..]] {
        write_record(dir.path(), CHUNKS, (0, 1), altered);
        assert_eq!(damaged(dir.path()), second);
    }

    write_record(dir.path(), CHUNKS, (0, 1), &original);
    assert_eq!(
        open(dir.path())
            .load(DocId::Shared)
            .expect("restored")
            .chunks,
        vec![b"the first entry".to_vec(), b"the second entry".to_vec()]
    );
}

#[test]
fn a_record_moved_to_another_slot_fails_authentication() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    store
        .append_change(DocId::Shared, b"first")
        .expect("append");
    store
        .append_change(DocId::Shared, b"second")
        .expect("append");
    store
        .append_change(DocId::Private, b"private")
        .expect("append");
    store.put_setting("a", b"value of a").expect("put");
    store.put_setting("b", b"value of b").expect("put");
    let device = PairedDevice {
        endpoint_id: [1; 32],
        member_id: "m".into(),
        name: "n".into(),
        addrs: vec![],
        paired_at_ms: 0,
    };
    store.put_paired_device(&device).expect("put");
    drop(store);

    // A chunk replayed at another position of the same document.
    let first = read_chunk(dir.path(), (0, 0));
    let second = read_chunk(dir.path(), (0, 1));
    write_record(dir.path(), CHUNKS, (0, 1), &first);
    assert_eq!(
        damaged(dir.path()),
        Record::Chunk {
            doc: DocId::Shared,
            index: 1,
        }
    );
    write_record(dir.path(), CHUNKS, (0, 1), &second);
    // A shared chunk moved into the private document.
    let private = read_chunk(dir.path(), (1, 0));
    write_record(dir.path(), CHUNKS, (1, 0), &first);
    assert_eq!(
        damaged(dir.path()),
        Record::Chunk {
            doc: DocId::Private,
            index: 0,
        }
    );
    write_record(dir.path(), CHUNKS, (1, 0), &private);

    // A setting's value under another name.
    let value_of = |key: &str| {
        let db = database(dir.path());
        let txn = db.begin_read().expect("read");
        let table = txn.open_table(SETTINGS).expect("settings");
        table
            .get(key)
            .expect("get")
            .expect("exists")
            .value()
            .to_vec()
    };
    let (value_of_a, value_of_b) = (value_of("a"), value_of("b"));
    write_record(dir.path(), SETTINGS, "b", &value_of_a);
    assert_eq!(damaged(dir.path()), Record::Setting { key: "b".into() });
    write_record(dir.path(), SETTINGS, "b", &value_of_b);

    // A paired device record under another EndpointId.
    let record = {
        let db = database(dir.path());
        let txn = db.begin_read().expect("read");
        let table = txn.open_table(PAIRED_DEVICES).expect("paired devices");
        table
            .get([1; 32])
            .expect("get")
            .expect("exists")
            .value()
            .to_vec()
    };
    write_record(dir.path(), PAIRED_DEVICES, [2; 32], &record);
    assert_eq!(
        damaged(dir.path()),
        Record::PairedDevice {
            endpoint_id: [2; 32]
        }
    );
    remove_record(dir.path(), PAIRED_DEVICES, [2; 32]);

    // Every record back in its place: the store is whole again.
    assert_eq!(
        open(dir.path()).paired_devices().expect("devices"),
        vec![device]
    );
}

fn remove_record<K: redb::Key + 'static>(
    dir: &Path,
    table: TableDefinition<K, &[u8]>,
    key: K::SelfType<'_>,
) {
    let db = database(dir);
    let txn = db.begin_write().expect("write");
    txn.open_table(table)
        .expect("table")
        .remove(key)
        .expect("remove");
    txn.commit().expect("commit");
}

/// The database file as it is, as someone with the disk can copy it.
fn copy_of(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("hearth.redb")).expect("the database file")
}

fn opens_as_mixed(dir: &Path) {
    match Store::open(dir, &passphrase()) {
        Err(OpenError::RecordsMixed) => {}
        Err(other) => panic!("expected records from another moment to be refused, got {other:?}"),
        Ok(_) => panic!("the store opened with records from another moment"),
    }
}

#[test]
fn records_from_another_moment_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    let old_device = PairedDevice {
        endpoint_id: [7; 32],
        member_id: "partner".into(),
        name: "the old laptop".into(),
        addrs: vec!["192.0.2.1:4000".into()],
        paired_at_ms: 1,
    };
    store.put_paired_device(&old_device).expect("pair");
    store.append_change(DocId::Shared, b"one").expect("append");
    let old_chunk = read_chunk_of(dir.path(), (0, 0));
    let old_device_record = read_id_record_of(dir.path(), PAIRED_DEVICES, [7; 32]);
    // Later: the device was unpaired, the chunk compacted away, more written.
    let mark = store.load(DocId::Shared).expect("load").mark;
    store
        .compact(DocId::Shared, b"snapshot of one", mark)
        .expect("compact");
    assert!(store.remove_paired_device([7; 32]).expect("unpair"));
    store.append_change(DocId::Shared, b"two").expect("append");
    store
        .append_change(DocId::Shared, b"three")
        .expect("append");
    drop(store);
    let now = copy_of(dir.path());

    // An old paired-device record put back: it was sealed by this store, for this slot.
    write_record(dir.path(), PAIRED_DEVICES, [7; 32], &old_device_record);
    opens_as_mixed(dir.path());
    std::fs::write(dir.path().join("hearth.redb"), &now).expect("restore");

    // A chunk the snapshot had covered, put back.
    write_record(dir.path(), CHUNKS, (0, 0), &old_chunk);
    opens_as_mixed(dir.path());
    std::fs::write(dir.path().join("hearth.redb"), &now).expect("restore");

    // The last chunk dropped.
    remove_record(dir.path(), CHUNKS, (0, 2));
    opens_as_mixed(dir.path());
    std::fs::write(dir.path().join("hearth.redb"), &now).expect("restore");

    // A plaintext counter rolled back, so the next chunk would overwrite one.
    {
        const COUNTERS: TableDefinition<u8, u64> = TableDefinition::new("chunk_counters");
        let db = database(dir.path());
        let txn = db.begin_write().expect("write");
        txn.open_table(COUNTERS)
            .expect("table")
            .insert(0, 2)
            .expect("insert");
        txn.commit().expect("commit");
    }
    opens_as_mixed(dir.path());
    std::fs::write(dir.path().join("hearth.redb"), &now).expect("restore");

    let store = open(dir.path());
    assert!(store.paired_devices().expect("devices").is_empty());
    assert_eq!(
        store.load(DocId::Shared).expect("load").chunks,
        vec![b"two".to_vec(), b"three".to_vec()]
    );
}

#[test]
fn the_whole_directory_put_back_as_it_was_is_not_detected() {
    // The documented limit: a copy of every file from an earlier moment is a consistent store,
    // and nothing kept on this disk alone can tell it from the present one.
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    store.append_change(DocId::Shared, b"one").expect("append");
    drop(store);
    let earlier = copy_of(dir.path());
    let store = open(dir.path());
    store.append_change(DocId::Shared, b"two").expect("append");
    drop(store);
    std::fs::write(dir.path().join("hearth.redb"), &earlier).expect("put back");
    assert_eq!(
        open(dir.path()).load(DocId::Shared).expect("load").chunks,
        vec![b"one".to_vec()]
    );
}

/// Reads a chunk while the store is open in this process: through a copy of the file.
fn read_chunk_of(dir: &Path, key: (u8, u64)) -> Vec<u8> {
    let copy = copied_database(dir);
    read_chunk(copy.path(), key)
}

fn read_id_record_of(
    dir: &Path,
    table: TableDefinition<[u8; 32], &[u8]>,
    key: [u8; 32],
) -> Vec<u8> {
    let copy = copied_database(dir);
    let db = database(copy.path());
    let txn = db.begin_read().expect("read");
    txn.open_table(table)
        .expect("table")
        .get(key)
        .expect("get")
        .expect("exists")
        .value()
        .to_vec()
}

fn copied_database(dir: &Path) -> tempfile::TempDir {
    // Every write is durable when it returns, so the file holds the last commit.
    let copy = tempfile::tempdir().expect("temp dir");
    std::fs::copy(dir.join("hearth.redb"), copy.path().join("hearth.redb")).expect("copy");
    copy
}

#[test]
fn a_damaged_key_header_is_reported_as_damaged_not_as_a_wrong_passphrase() {
    let dir = tempfile::tempdir().expect("temp dir");
    drop(create(dir.path()));
    let path = dir.path().join("hearth.key");
    let original = std::fs::read(&path).expect("key header");
    for position in [8, 20, original.len() - 1] {
        let mut altered = original.clone();
        altered[position] ^= 0x01;
        std::fs::write(&path, &altered).expect("write");
        let err = Store::open(dir.path(), &passphrase()).expect_err("damaged header");
        assert!(
            matches!(
                err,
                OpenError::KeyHeaderCorrupted {
                    source: KeyHeaderError::ChecksumMismatch,
                    ..
                }
            ),
            "byte {position}: {err:?}"
        );
    }
    std::fs::write(&path, &original[..original.len() / 2]).expect("write");
    let err = Store::open(dir.path(), &passphrase()).expect_err("truncated header");
    assert!(
        matches!(err, OpenError::KeyHeaderCorrupted { .. }),
        "{err:?}"
    );
    std::fs::write(&path, b"something else entirely").expect("write");
    let err = Store::open(dir.path(), &passphrase()).expect_err("not a header");
    assert!(
        matches!(
            err,
            OpenError::KeyHeaderCorrupted {
                source: KeyHeaderError::NotAKeyHeader,
                ..
            }
        ),
        "{err:?}"
    );
    std::fs::write(&path, &original).expect("write");
    open(dir.path());
}

#[test]
fn a_key_header_from_another_store_is_refused() {
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    drop(create(a.path()));
    drop(create(b.path()));
    std::fs::copy(b.path().join("hearth.key"), a.path().join("hearth.key")).expect("copy");
    let err = Store::open(a.path(), &passphrase()).expect_err("mismatched header");
    assert!(matches!(err, OpenError::KeyMismatch { .. }), "{err:?}");
}
