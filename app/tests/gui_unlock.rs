//! Unlock: a wrong passphrase says so and changes nothing; the right one opens the journal.

mod gui_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use egui_kittest::kittest::Queryable;
use gui_support::*;

/// Every file under `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).expect("the data directory reads") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("a file reads");
                found.insert(path, bytes);
            }
        }
    }
    found
}

#[test]
fn a_wrong_passphrase_says_so_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    create_journal(dir.path(), "Ada");
    let before = files(dir.path());
    assert!(!before.is_empty());

    let mut h = harness(dir.path());
    h.step();
    assert!(h.query_by_label("Welcome back").is_some());
    type_into(&mut h, "Passphrase", "tea by the window at dusk");
    click(&mut h, "Unlock");
    wait_for(&mut h, "That passphrase doesn't open this journal");
    assert!(
        h.query_by_label_contains("Nothing was changed").is_some(),
        "says nothing changed"
    );
    assert!(
        h.query_by_label("QUESTION OF THE DAY").is_none(),
        "the journal stays closed"
    );
    assert_eq!(
        h.get_by_label("Passphrase").value().as_deref(),
        Some(""),
        "the field is emptied for another try"
    );
    snapshot(&mut h, "unlock_wrong", &[]);
    assert_eq!(files(dir.path()), before, "no file changed");

    type_into(&mut h, "Passphrase", PASSPHRASE);
    click(&mut h, "Unlock");
    wait_for(&mut h, "QUESTION OF THE DAY");
    assert!(h.query_by_label("Good afternoon, Ada").is_some());
    assert!(h.query_by_label_contains("doesn't open").is_none());
}
