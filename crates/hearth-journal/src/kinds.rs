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

use std::collections::HashMap;

use automerge::{AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, ValueRef};

use crate::counted::Touched;
use crate::schema;

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
