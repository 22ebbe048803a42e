//! Data that does not fit the schema is skipped with a typed warning, never a panic.

mod common;

use automerge::{ObjType, ROOT, ReadDoc, ScalarValue, transaction::Transactable};
use common::*;
use hearth_journal::*;

fn entries_obj(j: &Journal) -> automerge::ObjId {
    match j.automerge().get(ROOT, "entries").expect("get") {
        Some((automerge::Value::Object(ObjType::Map), id)) => id,
        other => panic!("no entries map: {other:?}"),
    }
}

#[test]
fn foreign_data_is_skipped_and_reported() {
    let (mut ada, _) = couple();
    let good = id(1);
    ada.write(&good, &stamp("ada", "d", START_MS), &journal("still here"))
        .expect("write");
    let entries = entries_obj(&ada);
    let doc = ada.automerge_mut();

    // A kind from a newer version.
    let hologram = doc
        .put_object(&entries, id(2).as_str(), ObjType::Map)
        .expect("put");
    doc.put(&hologram, "kind", "hologram").expect("put");
    doc.put(&hologram, "author", "ada").expect("put");
    doc.put(&hologram, "device", "d").expect("put");
    doc.put(&hologram, "created_ms", START_MS.as_millis())
        .expect("put");
    // A check-in rated 42.
    let wild = doc
        .put_object(&entries, id(3).as_str(), ObjType::Map)
        .expect("put");
    doc.put(&wild, "kind", "checkin").expect("put");
    doc.put(&wild, "author", "ben").expect("put");
    doc.put(&wild, "device", "d").expect("put");
    doc.put(&wild, "created_ms", START_MS.as_millis())
        .expect("put");
    doc.put(&wild, "mood", 42).expect("put");
    // An entry that is a number, one under a key that is no id, one with the wrong type of author.
    doc.put(&entries, id(4).as_str(), 7).expect("put");
    let odd = doc
        .put_object(&entries, "not-an-id", ObjType::Map)
        .expect("put");
    doc.put(&odd, "kind", "journal").expect("put");
    let typed = doc
        .put_object(&entries, id(5).as_str(), ObjType::Map)
        .expect("put");
    doc.put(&typed, "kind", "journal").expect("put");
    doc.put(&typed, "author", ScalarValue::Boolean(true))
        .expect("put");
    // A comment with no text on the good entry.
    let good_obj = match doc.get(&entries, good.as_str()).expect("get") {
        Some((_, obj)) => obj,
        None => panic!("the good entry is missing"),
    };
    let comments = doc
        .put_object(&good_obj, "comments", ObjType::Map)
        .expect("put");
    let c = doc
        .put_object(&comments, id(6).as_str(), ObjType::Map)
        .expect("put");
    doc.put(&c, "author", "ben").expect("put");
    // A newer schema, and a member record that is a list.
    doc.put(ROOT, "schema", ScalarValue::Uint(99)).expect("put");
    let members = match doc.get(ROOT, "members").expect("get") {
        Some((_, obj)) => obj,
        None => panic!("no members"),
    };
    doc.put_object(&members, "zed", ObjType::List).expect("put");

    let scan = ada.scan();
    assert_eq!(scan.entries.len(), 1);
    assert_eq!(scan.entries[0].id, good);
    assert!(scan.entries[0].comments.is_empty());
    let problems: Vec<String> = scan.warnings.iter().map(ToString::to_string).collect();
    let has = |what: &str| {
        scan.warnings.iter().any(|w| match (&w.problem, what) {
            (Problem::UnknownKind { kind }, "kind") => kind == "hologram",
            (Problem::InvalidValue { field: "mood" }, "mood") => true,
            (Problem::BadKey, "key") => true,
            (Problem::NewerSchema { found: 99, .. }, "schema") => true,
            (Problem::Shape { .. }, "shape") => matches!(w.place, Place::Entry(_)),
            (Problem::Shape { .. }, "comment") => matches!(w.place, Place::Comment { .. }),
            (Problem::Shape { .. }, "member") => matches!(w.place, Place::Member(_)),
            _ => false,
        })
    };
    for what in [
        "kind", "mood", "key", "schema", "shape", "comment", "member",
    ] {
        assert!(has(what), "no {what} warning among {problems:#?}");
    }
    // The timeline still works, and says what it skipped.
    let page = ada.timeline(&Filter::default(), None, 10);
    assert_eq!(page.entries.len(), 1);
    assert!(!page.warnings.is_empty());
    // A malformed entry cannot be changed, and says why.
    assert!(matches!(
        ada.edit(
            &id(3),
            &stamp("ada", "d", START_MS),
            &Edit::Body("x".into())
        ),
        Err(WriteError::Malformed(_))
    ));
}

#[test]
fn arbitrary_documents_read_without_panicking() {
    // Documents of every shape a buggy peer might build: reading must just report.
    let mut doc = automerge::AutoCommit::new();
    doc.put(ROOT, "journal_id", 5).expect("put");
    doc.put(ROOT, "entries", "a string").expect("put");
    let j = Journal::load(&doc.save(), [1; 16]).expect("load");
    assert!(!j.is_ready());
    assert!(j.info().is_err());
    assert!(j.scan().entries.is_empty());

    let mut doc = automerge::AutoCommit::new();
    doc.put(ROOT, "journal_id", "x").expect("put");
    doc.put(ROOT, "start_day", "2026-02-30").expect("put");
    doc.put(ROOT, "schema", 1).expect("put");
    doc.put(ROOT, "created_ms", 1).expect("put");
    doc.put_object(ROOT, "entries", ObjType::List).expect("put");
    let j = Journal::load(&doc.save(), [1; 16]).expect("load");
    assert!(matches!(
        j.info(),
        Err(SchemaWarning {
            place: Place::Header,
            ..
        })
    ));
    assert!(j.scan().entries.is_empty());
}
