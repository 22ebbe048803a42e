//! Reading a journal from an arbitrary Automerge document.
//!
//! The first byte picks how the document is made. Even: the rest is loaded as saved bytes (what
//! storage holds, or a partner's export). Odd: the rest is a script that builds a document with
//! Automerge's own API, putting values of any type at the keys the journal's schema uses, so the
//! schema reader meets documents that load but do not fit the schema. Either way every query the
//! app asks must answer, skipping what does not fit, and a change must be either made or refused.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ScalarValue};
use hearth_journal::{
    Content, DeviceRef, EntryId, EntryKind, Filter, Journal, LocalDate, MemberId, Stamp, Turn,
    UnixMs,
};

use crate::input::{Input, Script};

const START_MS: UnixMs = UnixMs::from_millis(1_763_800_000_000);

/// `n` milliseconds after the start.
fn at(n: i64) -> UnixMs {
    UnixMs::from_millis(START_MS.as_millis() + n)
}

/// Keys a script may use: the schema's own, entry ids, and one stranger.
const KEYS: &[&str] = &[
    "schema",
    "journal_id",
    "start_day",
    "created_ms",
    "members",
    "entries",
    "name",
    "joined_ms",
    "kind",
    "author",
    "device",
    "edited_ms",
    "body",
    "mood",
    "lines",
    "to",
    "question",
    "day",
    "bid",
    "response",
    "turn",
    "by",
    "at_ms",
    "comments",
    "text",
    "reactions",
    "deleted",
    "ada",
    "ben",
    "06dalb16040g2081040g2081",
    "06dalb160k2ga1850k2ga185",
    "x",
];

/// String values a script may put: the schema's words and a few odd ones.
const WORDS: &[&str] = &[
    "journal",
    "checkin",
    "gratitude",
    "appreciation",
    "answer",
    "bid",
    "thinking_of_you",
    "look_at_this",
    "opinion",
    "talk_later",
    "toward",
    "later",
    "ada",
    "ben",
    "2026-11-22",
    "2026-02-30",
    "",
    "\u{feff}\u{0}",
];

/// Runs one input.
pub fn run(data: &[u8]) {
    drive(data);
}

/// Runs one input; returns how many entries the first reading found and how many warnings it
/// gave (`None` if the bytes did not load as a document).
pub fn drive(data: &[u8]) -> Option<(usize, usize)> {
    let (&mode, rest) = data.split_first()?;
    let journal = if mode % 2 == 0 {
        Journal::load(rest, [7; 16]).ok()?
    } else {
        let mut doc = AutoCommit::new();
        build(&mut doc, &mut Input::new(rest));
        match Journal::load(&doc.save(), [7; 16]) {
            Ok(journal) => journal,
            Err(e) => panic!("a document Automerge saved loads again: {e}"),
        }
    };
    Some(read_everything(journal))
}

/// Builds a document from a script: each step puts a scalar, an object or text at a key (or list
/// position) of an object made so far.
fn build(doc: &mut AutoCommit, input: &mut Input<'_>) {
    let mut objects: Vec<(ObjId, ObjType)> = vec![(ROOT, ObjType::Map)];
    let mut steps = 0;
    while !input.is_empty() && steps < 96 {
        steps += 1;
        let op = input.byte();
        let (obj, obj_type) = objects[usize::from(input.byte()) % objects.len()].clone();
        let key = KEYS[usize::from(input.byte()) % KEYS.len()];
        let index = usize::from(input.byte() % 4);
        let value = match op % 8 {
            0 => ScalarValue::Str(WORDS[usize::from(input.byte()) % WORDS.len()].into()),
            1 => ScalarValue::Int(i64::from(input.u32() as i32) * i64::from(input.byte())),
            2 => ScalarValue::Uint(u64::from(input.u32())),
            3 => ScalarValue::Boolean(input.byte() & 1 == 1),
            4 => ScalarValue::Null,
            5 => ScalarValue::F64(f64::from(input.u32() as i32) / 7.0),
            6 => ScalarValue::Timestamp(i64::from(input.u32())),
            _ => {
                let ty = match input.byte() % 3 {
                    0 => ObjType::Map,
                    1 => ObjType::List,
                    _ => ObjType::Text,
                };
                let made = match obj_type {
                    ObjType::Map | ObjType::Table => doc.put_object(&obj, key, ty),
                    ObjType::List => doc.insert_object(&obj, index.min(len(doc, &obj)), ty),
                    ObjType::Text => continue,
                };
                if let Ok(new) = made {
                    if ty == ObjType::Text {
                        let text = String::from_utf8_lossy(input.slice()).into_owned();
                        let _ = doc.splice_text(&new, 0, 0, &text);
                    }
                    objects.push((new, ty));
                }
                continue;
            }
        };
        let _ = match obj_type {
            ObjType::Map | ObjType::Table => doc.put(&obj, key, value),
            ObjType::List => doc.insert(&obj, index.min(len(doc, &obj)), value),
            ObjType::Text => doc.splice_text(&obj, 0, 0, key),
        };
    }
}

fn len(doc: &AutoCommit, obj: &ObjId) -> usize {
    automerge::ReadDoc::length(doc, obj)
}

/// Asks every question the app asks, then makes the changes a person would.
fn read_everything(mut journal: Journal) -> (usize, usize) {
    let _ = journal.is_ready();
    let _ = journal.info();
    let scan = journal.scan();
    let found = (scan.entries.len(), scan.warnings.len());
    let filters = [
        Filter::default(),
        Filter {
            include_deleted: true,
            text: Some("lake heron".into()),
            ..Filter::default()
        },
        Filter {
            author: Some(MemberId::new("ben")),
            ..Filter::default()
        },
    ];
    for filter in &filters {
        let page = journal.timeline(filter, None, 3);
        if let Some(next) = &page.next {
            let _ = journal.timeline(filter, Some(next), 3);
        }
    }
    let _ = journal.search("rain");
    let _ = journal.mood_series(UnixMs::from_millis(i64::MIN), UnixMs::from_millis(i64::MAX));
    let _ = journal.bid_stats(UnixMs::EPOCH, at(START_MS.as_millis()));
    let ada = MemberId::new("ada");
    let _ = journal.open_bids_for(&ada, UnixMs::EPOCH);
    let _ = journal.open_bids_for(&ada, at(5));
    let _ = journal.later_bids_for(&ada);
    let _ = journal.scan_kinds(&[EntryKind::Bid, EntryKind::Letter]);
    let _ = journal.latest_from_others(&ada, 5);
    let day = LocalDate::from_utc_ms(START_MS, 0);
    let _ = journal.answer_state("q-001", day, &ada);
    let stamp = Stamp {
        member: ada.clone(),
        device: DeviceRef::new("ada-laptop"),
        now_ms: at(10),
    };
    for entry in scan.entries.iter().take(4) {
        let _ = journal.entry(&entry.id);
        let _ = journal.comment(&entry.id, &EntryId::new(at(11), [11; 9]), &stamp, "ok");
        let _ = journal.react(&entry.id, &stamp, "❤", true);
        let _ = journal.respond(&entry.id, &stamp, Turn::Toward);
        let _ = journal.edit(
            &entry.id,
            &stamp,
            &hearth_journal::Edit::Body("rewritten".into()),
        );
        let _ = journal.delete(&entry.id, &stamp);
    }
    let _ = journal.write(
        &EntryId::new(at(12), [12; 9]),
        &stamp,
        &Content::Journal {
            body: "written after reading".into(),
        },
    );
    let _ = journal.save_incremental();
    let _ = journal.scan();
    found
}

/// Real documents: a journal with entries of every kind, saved whole and as changes; and
/// scripts that build the same structure by hand, one with wrong types.
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut journal = crate::sync::seed_journal();
    let whole = journal.save();
    let mut seeds = vec![("saved".to_owned(), [&[0u8][..], &whole].concat())];
    let mut replica = Journal::replica([4; 16]);
    let _ = replica.save_incremental();
    let mut other = crate::sync::seed_journal();
    replica
        .merge(&mut other)
        .expect("a replica merges its journal");
    let changes = replica.save_incremental();
    seeds.push(("changes".to_owned(), [&[2u8][..], &changes].concat()));

    // Builds root keys and one entry by script: objects are numbered as they are made (root is 0).
    let key = |k: &str| {
        u8::try_from(KEYS.iter().position(|x| *x == k).expect("a known key"))
            .expect("fewer than 256 keys")
    };
    let word = |w: &str| {
        u8::try_from(WORDS.iter().position(|x| *x == w).expect("a known word"))
            .expect("fewer than 256 words")
    };
    let put_obj =
        |s: Script, obj: u8, k: &str, ty: u8| s.byte(7).byte(obj).byte(key(k)).byte(0).byte(ty);
    let put_word = |s: Script, obj: u8, k: &str, w: &str| {
        s.byte(0).byte(obj).byte(key(k)).byte(0).byte(word(w))
    };
    let put_int = |s: Script, obj: u8, k: &str, n: u32, times: u8| {
        s.byte(1).byte(obj).byte(key(k)).byte(0).u32(n).byte(times)
    };
    let s = Script::new().byte(1);
    let s = put_obj(s, 0, "entries", 0); // object 1
    let s = put_obj(s, 0, "members", 0); // object 2
    let s = put_obj(s, 1, "06dalb16040g2081040g2081", 0); // object 3
    let s = put_word(s, 3, "kind", "checkin");
    let s = put_word(s, 3, "author", "ada");
    let s = put_word(s, 3, "device", "ada");
    let s = put_int(s, 3, "created_ms", 1_000_000, 1);
    let well_formed = put_int(s, 3, "mood", 7, 1);
    let odd = put_obj(
        put_word(well_formed.clone(), 3, "mood", "ben"),
        3,
        "comments",
        1,
    );
    seeds.push(("built-checkin".to_owned(), well_formed.finish()));
    seeds.push(("built-odd".to_owned(), odd.finish()));
    seeds
}
