//! The vault: creating, unlocking and re-keying a store, and the records it keeps about the device.

mod common;

use common::{create, fast, fingerprint, open, passphrase, wrong_passphrase};
use hearth_crypto::JournalKey;
use hearth_crypto::passphrase::{KdfParams, Passphrase};
use hearth_store::{
    ChangePassphraseError, CreateError, DocId, JournalBinding, OpenError, PairedDevice, Record,
    Store, WriteError, default_data_dir,
};

fn device(byte: u8, name: &str) -> PairedDevice {
    PairedDevice {
        endpoint_id: [byte; 32],
        member_id: format!("member-{byte}"),
        name: name.to_owned(),
        addrs: vec![
            format!("192.0.2.{byte}:4433"),
            "relay:https://relay.example".into(),
        ],
        paired_at_ms: 1_700_000_000_000 + u64::from(byte),
    }
}

#[test]
fn a_created_store_reopens_with_its_passphrase_and_keeps_its_device_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(!Store::exists(dir.path()));
    let store = create(dir.path());
    assert!(Store::exists(dir.path()));
    let key = store
        .device_secret_key()
        .expect("a new store has a device key");
    assert_ne!(
        key.expose(),
        &[0u8; 32],
        "the device key is random, not zero"
    );
    drop(store);

    let store = open(dir.path());
    assert_eq!(
        store.device_secret_key().expect("device key").expose(),
        key.expose()
    );
    assert_eq!(store.dir(), dir.path());
}

#[test]
fn two_stores_get_different_device_keys() {
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    let key_a = create(a.path()).device_secret_key().expect("device key");
    let key_b = create(b.path()).device_secret_key().expect("device key");
    assert_ne!(key_a.expose(), key_b.expose());
}

#[test]
fn wrong_passphrase_is_refused_and_changes_no_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    store.put_setting("ui.theme", b"dark").expect("put");
    drop(store);

    let before = fingerprint(dir.path());
    for _ in 0..3 {
        let err = Store::open(dir.path(), &wrong_passphrase()).expect_err("wrong passphrase");
        assert!(matches!(err, OpenError::WrongPassphrase), "{err:?}");
        assert_eq!(err.to_string(), "wrong passphrase");
    }
    assert_eq!(fingerprint(dir.path()), before, "a file changed");

    let store = open(dir.path());
    assert_eq!(
        store.get_setting("ui.theme").expect("get"),
        Some(b"dark".to_vec())
    );
}

#[test]
fn opening_where_there_is_no_store_says_so_and_creates_nothing() {
    let parent = tempfile::tempdir().expect("temp dir");
    let dir = parent.path().join("never-created");
    let err = Store::open(&dir, &passphrase()).expect_err("no store");
    assert!(matches!(err, OpenError::NotFound { .. }), "{err:?}");
    assert!(!dir.exists(), "open created the directory");

    let empty = tempfile::tempdir().expect("temp dir");
    let err = Store::open(empty.path(), &passphrase()).expect_err("no store");
    assert!(matches!(err, OpenError::NotFound { .. }), "{err:?}");
    assert!(fingerprint(empty.path()).is_empty(), "open created a file");
}

#[test]
fn a_second_store_in_the_same_process_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    let err = Store::open(dir.path(), &passphrase()).expect_err("already open");
    assert!(matches!(err, OpenError::AlreadyOpen { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("already open by another Hearth process")
    );
    let err = Store::create(dir.path(), &passphrase(), fast()).expect_err("already open");
    assert!(matches!(err, CreateError::AlreadyOpen { .. }), "{err:?}");
    drop(store);
    open(dir.path());
}

#[test]
fn create_refuses_an_existing_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    store.put_setting("kept", b"yes").expect("put");
    drop(store);
    let err = Store::create(dir.path(), &passphrase(), fast()).expect_err("exists");
    assert!(matches!(err, CreateError::AlreadyExists { .. }), "{err:?}");
    assert_eq!(
        open(dir.path()).get_setting("kept").expect("get"),
        Some(b"yes".to_vec())
    );
}

#[test]
fn change_passphrase_retires_the_old_one_and_keeps_the_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    store.put_setting("network", b"lan-only").expect("put");
    let device_key = store.device_secret_key().expect("device key");
    let new = Passphrase::new("a brand new passphrase");

    let err = store
        .change_passphrase(&wrong_passphrase(), &new, fast())
        .expect_err("the old passphrase must be proven");
    assert!(
        matches!(err, ChangePassphraseError::WrongPassphrase),
        "{err:?}"
    );

    store
        .change_passphrase(&passphrase(), &new, fast())
        .expect("change");
    // Still usable while open.
    store.put_setting("after", b"change").expect("put");
    drop(store);

    let err = Store::open(dir.path(), &passphrase()).expect_err("old passphrase");
    assert!(matches!(err, OpenError::WrongPassphrase), "{err:?}");
    let store = Store::open(dir.path(), &new).expect("new passphrase opens");
    assert_eq!(
        store.get_setting("network").expect("get"),
        Some(b"lan-only".to_vec())
    );
    assert_eq!(
        store.get_setting("after").expect("get"),
        Some(b"change".to_vec())
    );
    assert_eq!(
        store.device_secret_key().expect("device key").expose(),
        device_key.expose()
    );
    let names: Vec<_> = fingerprint(dir.path()).into_keys().collect();
    assert!(
        !names
            .iter()
            .any(|name| name.to_string_lossy().ends_with(".tmp")),
        "a temporary key header was left behind: {names:?}"
    );
}

#[test]
fn an_old_key_header_and_the_old_passphrase_open_nothing_after_a_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    store
        .append_change(DocId::Shared, b"written before the change")
        .expect("append");
    store.put_setting("theme", b"warm").expect("put");
    drop(store);
    // Someone kept a copy of the key header, and learned the old passphrase.
    let old_header = std::fs::read(dir.path().join("hearth.key")).expect("key header");

    let store = open(dir.path());
    let new = Passphrase::new("a brand new passphrase");
    store
        .change_passphrase(&passphrase(), &new, fast())
        .expect("change");
    store
        .append_change(DocId::Shared, b"written after the change")
        .expect("append");
    drop(store);

    let current_header = std::fs::read(dir.path().join("hearth.key")).expect("key header");
    std::fs::write(dir.path().join("hearth.key"), &old_header).expect("put the old header back");
    let err = Store::open(dir.path(), &passphrase()).expect_err("the old key opens nothing");
    assert!(matches!(err, OpenError::KeyMismatch { .. }), "{err:?}");

    std::fs::write(dir.path().join("hearth.key"), &current_header).expect("restore");
    let store = Store::open(dir.path(), &new).expect("the new passphrase opens");
    assert_eq!(
        store.load(DocId::Shared).expect("load").chunks,
        vec![
            b"written before the change".to_vec(),
            b"written after the change".to_vec()
        ]
    );
    assert_eq!(
        store.get_setting("theme").expect("get"),
        Some(b"warm".to_vec())
    );
}

/// The files of a store at two moments: before and after a passphrase change.
struct AroundAChange {
    before: tempfile::TempDir,
    after: tempfile::TempDir,
    new: Passphrase,
}

fn around_a_change() -> AroundAChange {
    let before = tempfile::tempdir().expect("temp dir");
    let store = create(before.path());
    store
        .append_change(DocId::Shared, b"an entry")
        .expect("append");
    drop(store);
    let after = tempfile::tempdir().expect("temp dir");
    for file in ["hearth.key", "hearth.redb", "hearth.lock"] {
        std::fs::copy(before.path().join(file), after.path().join(file)).expect("copy");
    }
    let new = Passphrase::new("a brand new passphrase");
    open(after.path())
        .change_passphrase(&passphrase(), &new, fast())
        .expect("change");
    AroundAChange { before, after, new }
}

fn copy_file(from: &std::path::Path, to: &std::path::Path) {
    std::fs::copy(from, to).expect("copy");
}

#[test]
fn a_change_cut_short_before_the_records_were_sealed_anew_keeps_the_old_passphrase() {
    // The crash came after the pending header was written, before the database committed.
    let AroundAChange { before, after, new } = around_a_change();
    let dir = before.path();
    copy_file(
        &after.path().join("hearth.key"),
        &dir.join("hearth.key.next"),
    );

    let err = Store::open(dir, &new).expect_err("the change did not happen");
    assert!(matches!(err, OpenError::WrongPassphrase), "{err:?}");
    assert!(
        dir.join("hearth.key.next").exists(),
        "a refused open changes nothing"
    );

    let store = Store::open(dir, &passphrase()).expect("the old passphrase still opens");
    assert_eq!(
        store.load(DocId::Shared).expect("load").chunks,
        vec![b"an entry".to_vec()]
    );
    drop(store);
    assert!(
        !dir.join("hearth.key.next").exists(),
        "the pending header is gone"
    );
    let err = Store::open(dir, &new).expect_err("and stays gone");
    assert!(matches!(err, OpenError::WrongPassphrase), "{err:?}");
}

#[test]
fn a_change_cut_short_after_the_records_were_sealed_anew_takes_the_new_passphrase() {
    // The crash came after the database committed, before the pending header was renamed.
    let AroundAChange { before, after, new } = around_a_change();
    let dir = after.path();
    std::fs::rename(dir.join("hearth.key"), dir.join("hearth.key.next")).expect("rename");
    copy_file(&before.path().join("hearth.key"), &dir.join("hearth.key"));

    let err = Store::open(dir, &passphrase()).expect_err("the old passphrase was retired");
    assert!(matches!(err, OpenError::WrongPassphrase), "{err:?}");

    let store = Store::open(dir, &new).expect("the new passphrase opens");
    assert_eq!(
        store.load(DocId::Shared).expect("load").chunks,
        vec![b"an entry".to_vec()]
    );
    drop(store);
    assert!(
        !dir.join("hearth.key.next").exists(),
        "the change was finished"
    );
    Store::open(dir, &new).expect("the new passphrase opens again");
    let err = Store::open(dir, &passphrase()).expect_err("the old one does not");
    assert!(matches!(err, OpenError::WrongPassphrase), "{err:?}");
}

#[test]
fn production_kdf_params_round_trip() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::create(dir.path(), &passphrase(), KdfParams::production()).expect("create");
    store.put_setting("k", b"v").expect("put");
    drop(store);
    let store = Store::open(dir.path(), &passphrase()).expect("open");
    assert_eq!(store.get_setting("k").expect("get"), Some(b"v".to_vec()));
    drop(store);
    let err = Store::open(dir.path(), &wrong_passphrase()).expect_err("wrong passphrase");
    assert!(matches!(err, OpenError::WrongPassphrase), "{err:?}");
}

#[test]
fn paired_devices_are_added_listed_updated_and_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    assert!(store.paired_devices().expect("list").is_empty());

    let phone = device(2, "Sam's phone");
    let laptop = device(1, "Alex's laptop");
    store.put_paired_device(&phone).expect("add");
    store.put_paired_device(&laptop).expect("add");
    assert_eq!(
        store.paired_devices().expect("list"),
        vec![laptop.clone(), phone.clone()],
        "listed by EndpointId"
    );

    // Adding again replaces.
    let renamed = PairedDevice {
        name: "Sam's new phone".into(),
        ..phone.clone()
    };
    store.put_paired_device(&renamed).expect("replace");
    assert_eq!(
        store.paired_devices().expect("list"),
        vec![laptop.clone(), renamed.clone()]
    );

    store
        .update_paired_addrs(phone.endpoint_id, vec!["198.51.100.7:1234".into()])
        .expect("update");
    store
        .save_sync_state(phone.endpoint_id, b"sync state")
        .expect("save");
    store
        .save_sync_state(laptop.endpoint_id, b"laptop state")
        .expect("save");
    drop(store);

    let store = open(dir.path());
    let updated = PairedDevice {
        addrs: vec!["198.51.100.7:1234".into()],
        ..renamed
    };
    assert_eq!(
        store.paired_devices().expect("list"),
        vec![laptop.clone(), updated]
    );

    let err = store
        .update_paired_addrs([9; 32], vec![])
        .expect_err("not paired");
    assert!(
        matches!(err, WriteError::Missing { record: Record::PairedDevice { endpoint_id } } if endpoint_id == [9; 32]),
        "{err:?}"
    );

    assert!(
        store
            .remove_paired_device(phone.endpoint_id)
            .expect("remove")
    );
    assert!(
        !store
            .remove_paired_device(phone.endpoint_id)
            .expect("remove again")
    );
    assert_eq!(store.paired_devices().expect("list"), vec![laptop.clone()]);
    assert_eq!(
        store.load_sync_state(phone.endpoint_id).expect("load"),
        None
    );
    assert_eq!(
        store.load_sync_state(laptop.endpoint_id).expect("load"),
        Some(b"laptop state".to_vec())
    );
}

#[test]
fn the_journal_binding_is_set_replaced_and_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    assert!(store.journal_binding().expect("read").is_none());
    let first = JournalBinding {
        journal_key: JournalKey::from_bytes([7; 32]),
        journal_id: "journal-1".into(),
        member_id: "alex".into(),
    };
    store.set_journal_binding(&first).expect("set");
    let joined = JournalBinding {
        journal_key: JournalKey::from_bytes([8; 32]),
        journal_id: "partner-journal".into(),
        member_id: "alex-2".into(),
    };
    store.set_journal_binding(&joined).expect("replace");
    drop(store);

    let binding = open(dir.path())
        .journal_binding()
        .expect("read")
        .expect("the binding survives a reopen");
    assert_eq!(binding.journal_key.expose(), &[8; 32]);
    assert_eq!(binding.journal_id, "partner-journal");
    assert_eq!(binding.member_id, "alex-2");
    assert!(
        !format!("{binding:?}").contains("8, 8"),
        "Debug shows the key"
    );
}

#[test]
fn settings_are_kept_and_overwritten() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    assert_eq!(store.get_setting("net.port").expect("get"), None);
    store
        .put_setting("net.port", &4433u16.to_le_bytes())
        .expect("put");
    store.put_setting("net.mode", b"internet").expect("put");
    store.put_setting("net.mode", b"lan").expect("overwrite");
    store.put_setting("empty", b"").expect("put empty");
    drop(store);

    let store = open(dir.path());
    assert_eq!(
        store.get_setting("net.port").expect("get"),
        Some(4433u16.to_le_bytes().to_vec())
    );
    assert_eq!(
        store.get_setting("net.mode").expect("get"),
        Some(b"lan".to_vec())
    );
    assert_eq!(store.get_setting("empty").expect("get"), Some(Vec::new()));
}

#[test]
fn a_setting_replaces_others_in_one_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    store.put_setting("old.name", b"Ada").expect("put");
    store.put_setting("old.port", b"\x01\x02").expect("put");
    store.put_setting("kept", b"yes").expect("put");
    store
        .replace_settings(
            "all",
            b"{\"name\":\"Ada\"}",
            &["old.name", "old.port", "never.set"],
        )
        .expect("replace");
    drop(store);

    let store = open(dir.path());
    assert_eq!(
        store.get_setting("all").expect("get"),
        Some(b"{\"name\":\"Ada\"}".to_vec())
    );
    assert_eq!(store.get_setting("old.name").expect("get"), None);
    assert_eq!(store.get_setting("old.port").expect("get"), None);
    assert_eq!(
        store.get_setting("kept").expect("get"),
        Some(b"yes".to_vec())
    );
}

#[test]
fn default_data_dir_is_an_absolute_hearth_directory() {
    let dir = default_data_dir().expect("the test machine has a home directory");
    assert!(dir.is_absolute(), "{}", dir.display());
    assert!(
        dir.components().any(|c| c.as_os_str() == "hearth"),
        "{}",
        dir.display()
    );
}
