//! Which entries are of which kind, so that the questions Today asks after every change (the
//! answers to today's question, the bids waiting, the letters sealed) read only the entries of
//! their kind, not every entry of the journal.
//!
//! The index is built by one pass over the map of entries, reading each entry's stored `kind`.
//! It is carried across the changes the journal saves (see [`crate::counted::touched`]) while
//! they only make new entries and change what is inside entries: a new entry's kind is read when
//! the index is next asked. Any other change (on the root or the map of entries, or a `kind` set
//! on an entry made earlier), a whole document, or more changes at once than are worth reading,
//! leaves it to be built again when next asked. It only narrows what is read: every entry it
//! names is still checked and read as any reading does.
//!
//! The index also keeps what was seen of an entry the first time a reading looked at its stored
//! fields before reading it whole ([`Look`]: its kind and author, the question it answers, the
//! response to it), so that Today's questions after the next change find the answers to one
//! question, or the bids kept for later, without walking every answer and bid again. What was
//! seen is forgotten, all of it, when a change sets or removes one of those fields in an entry
//! it did not make (a response to a bid, above all), and with the index.

use std::collections::HashMap;
use std::sync::Arc;

use automerge::{AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue, Value, ValueRef};

use crate::counted::Touched;
use crate::map_fields::MapFields;
use crate::schema;

/// The fields of an entry's own map a [`Look`] holds.
const LOOKED: [&str; 4] = [
    schema::KIND,
    schema::AUTHOR,
    schema::QUESTION,
    schema::RESPONSE,
];

/// Whether `key` names a field a [`Look`] holds: one of the entry's own, or the turn inside its
/// response.
pub(crate) fn looked(key: &str) -> bool {
    LOOKED.contains(&key) || key == schema::TURN
}

/// What a look at an entry's stored fields saw, for the fields in [`LOOKED`] and the turn of
/// its response.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Look {
    /// Each of the entry's own fields in [`LOOKED`]: `None` if missing, `Some(None)` if it
    /// holds something other than a string.
    fields: [Option<Option<String>>; 4],
    /// The string at [`schema::TURN`] in the map at [`schema::RESPONSE`], if both are there.
    turn: Option<String>,
}

impl Look {
    /// What `walked`, an entry's map in `doc`, holds.
    pub(crate) fn of(doc: &AutoCommit, walked: &MapFields) -> Look {
        let string = |field: Option<(&Value<'static>, &ObjId)>| match field? {
            (Value::Scalar(s), _) => match s.as_ref() {
                ScalarValue::Str(v) => Some(Some(v.to_string())),
                _ => Some(None),
            },
            _ => Some(None),
        };
        let turn = walked
            .map(schema::RESPONSE)
            .and_then(|response| string(MapFields::read(doc, response).get(schema::TURN))?);
        Look {
            fields: LOOKED.map(|name| string(walked.get(name))),
            turn,
        }
    }

    /// `Some` of whether the field `name` is the string `value`, if `name` is one a look holds.
    pub(crate) fn is(&self, name: &str, value: &str) -> Option<bool> {
        let i = LOOKED.iter().position(|n| *n == name)?;
        Some(
            self.fields[i]
                .as_ref()
                .is_some_and(|v| v.as_deref() == Some(value)),
        )
    }

    /// `Some` of whether the field `name` holds anything, if `name` is one a look holds.
    pub(crate) fn has(&self, name: &str) -> Option<bool> {
        let i = LOOKED.iter().position(|n| *n == name)?;
        Some(self.fields[i].is_some())
    }

    /// `Some` of whether the string at `name` in the map at `field` is `value`, if that is the
    /// turn of the entry's response, the one inner field a look holds.
    pub(crate) fn inner_is(&self, field: &str, name: &str, value: &str) -> Option<bool> {
        (field == schema::RESPONSE && name == schema::TURN)
            .then(|| self.turn.as_deref() == Some(value))
    }
}

/// Which state of a document something describes: Automerge's count of its operations and of
/// its changes. Every operation made or received adds to the first.
pub(crate) type Mark = (u64, u64);

pub(crate) fn mark(doc: &AutoCommit) -> Mark {
    let stats = doc.stats();
    (stats.num_ops, stats.num_changes)
}

/// The keys of the entries by their stored kind.
#[derive(Debug)]
pub(crate) struct Kinds {
    /// The state of the document it describes.
    pub(crate) mark: Mark,
    /// The heads of that state, if known: only an index built on a journal as it was last
    /// saved knows them, and only such an index is carried across the next save.
    heads: Option<Vec<ChangeHash>>,
    /// Each kind's entries: their keys and objects.
    by_kind: HashMap<String, Vec<(String, ObjId)>>,
    /// Entries made since, whose kind is read when the index is next asked.
    unread: Vec<String>,
    /// What was seen of entries looked at since the index was built or last forgot, by the
    /// entry's object.
    looks: HashMap<ObjId, Arc<Look>>,
}

impl Kinds {
    /// The index of `doc` as it stands, whose heads are `heads` if known.
    pub(crate) fn build(
        doc: &AutoCommit,
        entries: &ObjId,
        heads: Option<Vec<ChangeHash>>,
    ) -> Kinds {
        let mut kinds = Kinds {
            mark: mark(doc),
            heads,
            by_kind: HashMap::new(),
            unread: Vec::new(),
            looks: HashMap::new(),
        };
        for item in doc.map_range(entries, ..) {
            if matches!(item.value, ValueRef::Object(ObjType::Map)) {
                let obj = item.id();
                let kind = schema::str_at(doc, &obj, schema::KIND).unwrap_or_default();
                kinds
                    .by_kind
                    .entry(kind)
                    .or_default()
                    .push((item.key.into_owned(), obj));
            }
        }
        kinds
    }

    /// Carries the index from the heads `before` to `after`, which `doc` now stands at, across
    /// changes that did what `touched` says; `false` if it cannot be (and must be built again).
    pub(crate) fn carry(
        &mut self,
        doc: &AutoCommit,
        entries: &ObjId,
        before: &[ChangeHash],
        after: &[ChangeHash],
        touched: &Touched,
    ) -> bool {
        if self.heads.as_deref() != Some(before) || touched.structure {
            return false;
        }
        // A kind may be set only on an entry these changes made.
        let made: Vec<(u64, automerge::ActorId)> = touched
            .made
            .iter()
            .filter_map(|key| match doc.get(entries, key.as_str()) {
                Ok(Some((_, ObjId::Id(counter, actor, _)))) => Some((counter, actor)),
                _ => None,
            })
            .collect();
        if !touched.kinds_set.iter().all(|set| made.contains(set)) {
            return false;
        }
        self.unread.extend(touched.made.iter().cloned());
        if touched.looked_changed {
            self.looks.clear();
        }
        self.heads = Some(after.to_vec());
        self.mark = mark(doc);
        true
    }

    /// The keys and objects of the entries whose stored kind is `kind`, in no order.
    pub(crate) fn of_kind(
        &mut self,
        doc: &AutoCommit,
        entries: &ObjId,
        kind: &str,
    ) -> Vec<(String, ObjId)> {
        for key in std::mem::take(&mut self.unread) {
            let Some(obj) = schema::map_at(doc, entries, &key) else {
                continue;
            };
            let kind = schema::str_at(doc, &obj, schema::KIND).unwrap_or_default();
            let keys = self.by_kind.entry(kind).or_default();
            // Made again at a key already held (two devices at once): the object in view.
            keys.retain(|(k, _)| *k != key);
            keys.push((key, obj));
        }
        self.by_kind.get(kind).cloned().unwrap_or_default()
    }

    /// What was seen of the entry `obj`, if it was looked at in the state of the document the
    /// index describes, `now`.
    pub(crate) fn look(&self, now: Mark, obj: &ObjId) -> Option<Arc<Look>> {
        (self.mark == now).then(|| self.looks.get(obj).cloned())?
    }

    /// Keeps `seen`, looks at entries taken in the state `now`, if the index describes it.
    pub(crate) fn remember(&mut self, now: Mark, seen: Vec<(ObjId, Arc<Look>)>) {
        if self.mark == now {
            self.looks.extend(seen);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::*;

    use crate::unit::{ada_and_ben, entry, stamp};

    fn bid() -> Content {
        Content::Bid {
            to: None,
            bid: BidKind::ThinkingOfYou,
            body: String::new(),
            response: None,
        }
    }

    /// Whether the index is there, and built at the heads last saved.
    fn carried(j: &mut Journal) -> bool {
        let heads = j.heads();
        let kinds = j.kinds.lock().expect("not poisoned");
        kinds
            .as_ref()
            .is_some_and(|k| k.heads.as_deref() == Some(&heads[..]))
    }

    /// How many entries the index holds a look at.
    fn looks(j: &Journal) -> usize {
        let kinds = j.kinds.lock().expect("not poisoned");
        kinds.as_ref().map_or(0, |k| k.looks.len())
    }

    /// Puts `value` at `key` in the map `obj`, as a device of another make might: a change no
    /// method of the journal makes.
    fn put_raw(j: &mut Journal, obj: &automerge::ObjId, key: &str, value: &str) {
        automerge::transaction::Transactable::put(j.automerge_mut(), obj, key, value).expect("put");
        j.save_incremental();
    }

    fn entry_obj(j: &Journal, id: &EntryId) -> automerge::ObjId {
        let entries = j.entries_obj().expect("ready");
        crate::schema::map_at(j.automerge(), &entries, id.as_str()).expect("entry")
    }

    #[test]
    fn what_a_look_saw_is_kept_across_edits_and_forgotten_when_a_looked_at_field_changes() {
        let (mut j, _) = ada_and_ben();
        let ben = MemberId::new("ben");
        j.write(&entry(1), &stamp("ada"), &bid()).expect("write");
        j.write(&entry(2), &stamp("ada"), &bid()).expect("write");
        j.save_incremental();
        assert!(j.later_bids_for(&ben).is_empty());
        assert_eq!(looks(&j), 2, "both bids looked at");

        // An edit and a new entry leave what was seen of the two bids as it was.
        j.edit(
            &entry(1),
            &stamp("ada"),
            &Edit::Body("a walk later?".into()),
        )
        .expect("edit");
        j.save_incremental();
        j.write(&entry(3), &stamp("ada"), &bid()).expect("write");
        j.save_incremental();
        assert!(carried(&mut j));
        assert_eq!(looks(&j), 2, "kept across an edit and a new entry");
        assert!(j.later_bids_for(&ben).is_empty());
        assert_eq!(looks(&j), 3, "the new bid looked at too");

        // A response is a field looked at, set in an entry made before: all is forgotten, and
        // the bid kept for later is found.
        j.respond(&entry(2), &stamp("ben"), Turn::Later)
            .expect("respond");
        j.save_incremental();
        assert!(carried(&mut j));
        assert_eq!(looks(&j), 0, "forgotten");
        let later: Vec<EntryId> = j.later_bids_for(&ben).into_iter().map(|e| e.id).collect();
        assert_eq!(later, vec![entry(2)]);

        // Turned toward, then back to later by a device that sets the turn inside the response
        // already there: found again, not hidden by what was seen while it was turned toward.
        j.respond(&entry(2), &stamp("ben"), Turn::Toward)
            .expect("respond");
        j.save_incremental();
        assert!(j.later_bids_for(&ben).is_empty());
        assert!(looks(&j) > 0);
        let obj = entry_obj(&j, &entry(2));
        let response = crate::schema::map_at(j.automerge(), &obj, crate::schema::RESPONSE)
            .expect("a response");
        put_raw(&mut j, &response, crate::schema::TURN, Turn::Later.as_str());
        assert!(carried(&mut j));
        assert_eq!(looks(&j), 0, "forgotten");
        let later: Vec<EntryId> = j.later_bids_for(&ben).into_iter().map(|e| e.id).collect();
        assert_eq!(later, vec![entry(2)]);
    }

    #[test]
    fn an_answer_moved_to_another_question_is_found_under_it() {
        let (mut j, _) = ada_and_ben();
        let (ada, ben) = (MemberId::new("ada"), MemberId::new("ben"));
        let day = LocalDate::from_ymd(2026, 12, 5).expect("a day");
        let answer = |question: &str| Content::Answer {
            question: question.into(),
            day,
            body: "the sea".into(),
        };
        j.write(&entry(1), &stamp("ada"), &answer("first"))
            .expect("write");
        j.save_incremental();
        assert!(j.answer_state("first", day, &ada).mine.is_some());
        assert!(j.answer_state("second", day, &ada).mine.is_none());
        assert_eq!(looks(&j), 1);

        // Its author is looked at too: ben has not answered, whichever device asks.
        assert!(j.answer_state("first", day, &ben).mine.is_none());

        let obj = entry_obj(&j, &entry(1));
        put_raw(&mut j, &obj, crate::schema::QUESTION, "second");
        assert!(carried(&mut j));
        assert!(j.answer_state("first", day, &ada).mine.is_none());
        assert!(j.answer_state("second", day, &ada).mine.is_some());
    }

    #[test]
    fn the_index_is_carried_across_new_entries_and_edits_and_dropped_when_a_kind_changes() {
        let (mut j, _) = ada_and_ben();
        j.write(&entry(1), &stamp("ada"), &bid()).expect("write");
        j.save_incremental();
        let ben = MemberId::new("ben");
        assert_eq!(j.scan_kinds(&[EntryKind::Bid]).len(), 1);
        assert!(carried(&mut j), "built at the heads saved");

        // A new entry, an edit and a response: carried, and the new bid is found.
        j.write(&entry(2), &stamp("ada"), &bid()).expect("write");
        j.save_incremental();
        assert!(carried(&mut j), "across a new entry");
        j.respond(&entry(1), &stamp("ben"), Turn::Later)
            .expect("respond");
        j.save_incremental();
        assert!(carried(&mut j), "across a response");
        let open: Vec<EntryId> = j
            .open_bids_for(&ben, UnixMs::EPOCH)
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(open, vec![entry(2)]);
        assert_eq!(j.later_bids_for(&ben).len(), 1);
        assert_eq!(j.scan_kinds(&[EntryKind::Bid]).len(), 2);
        assert!(carried(&mut j), "still");

        // The kind of an entry made earlier, changed: the index is built again.
        let entries = j.entries_obj().expect("ready");
        let obj = crate::schema::map_at(j.automerge(), &entries, entry(2).as_str()).expect("entry");
        automerge::transaction::Transactable::put(j.automerge_mut(), &obj, "kind", "journal")
            .expect("kind");
        j.save_incremental();
        assert!(j.kinds.lock().expect("not poisoned").is_none(), "dropped");
        assert!(j.open_bids_for(&ben, UnixMs::EPOCH).is_empty());
        let bids: Vec<EntryId> = j
            .scan_kinds(&[EntryKind::Bid])
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(bids, vec![entry(1)]);
    }
}
