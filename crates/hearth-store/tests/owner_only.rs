//! The data directory is for its owner alone: the directory `0700`, every file in it `0600`,
//! whatever the umask; a store made before this rule is tightened when it opens.
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{create, fast, open, passphrase};

fn mode(path: &Path) -> u32 {
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

/// Each entry of `dir` (and `dir` itself) with its mode, in octal.
fn modes(dir: &Path) -> Vec<(String, String)> {
    let mut all = vec![(".".to_owned(), format!("{:o}", mode(dir)))];
    for entry in fs::read_dir(dir).expect("read the directory") {
        let entry = entry.expect("entry");
        all.push((
            entry.file_name().to_string_lossy().into_owned(),
            format!("{:o}", mode(&entry.path())),
        ));
    }
    all.sort();
    all
}

fn owner_only(dir: &Path) -> bool {
    modes(dir)
        .iter()
        .all(|(name, m)| m == if name == "." { "700" } else { "600" })
}

#[test]
fn a_new_store_is_readable_by_its_owner_alone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("nested").join("hearth");
    let store = create(&dir);
    assert!(owner_only(&dir), "{:?}", modes(&dir));
    assert_eq!(
        mode(&tmp.path().join("nested")),
        0o700,
        "parents made for it too"
    );

    // A new key header (a new passphrase) keeps it so.
    store
        .change_passphrase(&passphrase(), &common::wrong_passphrase(), fast())
        .expect("change passphrase");
    drop(store);
    assert!(owner_only(&dir), "{:?}", modes(&dir));
}

#[test]
fn a_store_others_could_read_is_tightened_when_it_opens() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("hearth");
    drop(create(&dir));
    // As an earlier version, under a umask of 022, left it.
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).expect("chmod");
    for entry in fs::read_dir(&dir).expect("read the directory") {
        fs::set_permissions(
            entry.expect("entry").path(),
            fs::Permissions::from_mode(0o644),
        )
        .expect("chmod");
    }
    assert!(!owner_only(&dir));

    // A wrong passphrase changes nothing, not even the modes.
    assert!(hearth_store::Store::open(&dir, &common::wrong_passphrase()).is_err());
    assert_eq!(mode(&dir), 0o755);

    drop(open(&dir));
    assert!(owner_only(&dir), "{:?}", modes(&dir));
}
