//! What removed devices wrote after their removal, and the journal read without it.
//!
//! A removed device is turned away by every device that knows of its removal, but a device that
//! had not heard of it yet may still take the removed device's changes and pass them on. Those
//! changes cannot be dropped: later changes of staying devices depend on them, and Automerge
//! would hold those back for ever. So they stay in the document, and the journal is *read*
//! without them: [`LateWrites::refresh`] finds every change a removed device's actors made that
//! is not an ancestor of the heads its removal recorded, and builds a copy of the document in
//! which each of their operations is undone —
//!
//! - a value they put or deleted in a map reads as the staying devices left it: a value written
//!   concurrently by a staying device if there is one, else the value at the removal's heads,
//!   else nothing;
//! - characters they inserted into a text are left out, and characters they deleted are put back
//!   where they were;
//! - a map they began (an entry, a comment) is left as it is here, with what they put in it undone
//!   key by key; the entries and comments themselves are left out on read (see
//!   [`crate::epochs::written_after_removal`]).
//!
//! The copy exists only while there is something to undo (a journal with removals and no late
//! write looks at what arrived for a removed device's change, and no further), and it is what
//! every read of entries and members sees. Writes go to the document itself: a staying author editing
//! an entry a thief touched replaces the thief's text with theirs.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use automerge::transaction::Transactable as _;
use automerge::{ActorId, AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, Value};

use crate::devices::ACTOR_DEVICE_BYTES;
use crate::epochs::RemovalHeads;

/// The late writes of removed devices, worked out for one state of the document.
#[derive(Default)]
pub(crate) struct LateWrites {
    /// The document's heads when this was worked out.
    at: Vec<ChangeHash>,
    /// The removals it was worked out for.
    removals: RemovalHeads,
    /// The changes found late.
    late: Vec<ChangeHash>,
    /// Every operation of theirs.
    ops: HashSet<OpKey>,
    /// The objects a staying device wrote to after the late changes had reached it, by change
    /// (each change is decoded once).
    written_after: HashMap<ChangeHash, Vec<String>>,
    /// The document with every late operation undone; `None` when there is none. Boxed: a
    /// document is large to carry inline in every journal, and most never have one.
    view: Option<Box<AutoCommit>>,
}

/// An operation's id, as Automerge numbers it: its counter and its actor.
type OpKey = (u64, ActorId);

impl LateWrites {
    /// The document to read entries and members from.
    pub(crate) fn view<'a>(&'a self, doc: &'a AutoCommit) -> &'a AutoCommit {
        self.view.as_deref().unwrap_or(doc)
    }

    /// The removals as last judged (each removed device's actor prefix and its removal's
    /// heads): kept so that reads need not judge every removal again.
    pub(crate) fn removals(&self) -> &RemovalHeads {
        &self.removals
    }

    /// The changes found late.
    pub(crate) fn late(&self) -> &[ChangeHash] {
        &self.late
    }

    /// Brings this up to date with `doc` and the removals as they are judged now.
    pub(crate) fn refresh(&mut self, doc: &mut AutoCommit, removals: RemovalHeads) {
        if removals.is_empty() {
            if !self.removals.is_empty() || self.view.is_some() {
                *self = LateWrites::default();
            }
            return;
        }
        let heads = doc.get_heads();
        if heads == self.at && removals == self.removals {
            return;
        }
        // While the removals are the same and nothing is late, only a removed device's change
        // arriving can make something late.
        let recount = removals != self.removals
            || !self.late.is_empty()
            || doc
                .get_changes_meta(&self.at)
                .iter()
                .any(|c| removed_prefix(&c.actor, &removals).is_some());
        self.at = heads;
        self.removals = removals;
        if !recount {
            return;
        }
        let after = changes_after(doc, &self.removals);
        self.late = after
            .iter()
            .filter(|(_, c)| c.removed)
            .map(|(h, _)| *h)
            .collect();
        if self.late.is_empty() {
            *self = LateWrites {
                at: std::mem::take(&mut self.at),
                removals: std::mem::take(&mut self.removals),
                ..LateWrites::default()
            };
            return;
        }
        let touched = touched(doc, &self.late, &self.removals);
        self.ops = touched.ops.clone();
        // The staying devices' changes made after some late change had reached them.
        let mut seen: HashSet<ChangeHash> = self.late.iter().copied().collect();
        let mut grew = true;
        while grew {
            grew = false;
            for (hash, change) in &after {
                if !seen.contains(hash) && change.deps.iter().any(|d| seen.contains(d)) {
                    seen.insert(*hash);
                    grew = true;
                }
            }
        }
        self.written_after.retain(|h, _| seen.contains(h));
        for (hash, change) in &after {
            if change.removed || !seen.contains(hash) || self.written_after.contains_key(hash) {
                continue;
            }
            let objects = doc
                .get_change_by_hash(hash)
                .map(|c| {
                    c.decode()
                        .operations
                        .iter()
                        .map(|op| obj_name(&op.obj))
                        .collect()
                })
                .unwrap_or_default();
            self.written_after.insert(*hash, objects);
        }
        let written_after: HashSet<&str> = self
            .written_after
            .values()
            .flatten()
            .map(String::as_str)
            .collect();
        self.view = Some(Box::new(undone(doc, &touched, &written_after)));
    }

    /// Deletes from the text `text` of `doc` the characters late operations inserted, before a
    /// staying device writes it: what it writes is then all that reads there.
    pub(crate) fn drop_inserts(
        &self,
        doc: &mut AutoCommit,
        text: &ObjId,
    ) -> Result<(), automerge::AutomergeError> {
        if self.ops.is_empty() {
            return Ok(());
        }
        let late: Vec<usize> = doc
            .values(text)
            .enumerate()
            .filter(|(_, (_, id))| key_of(id).is_some_and(|k| self.ops.contains(&k)))
            .map(|(i, _)| i)
            .collect();
        for i in late.into_iter().rev() {
            doc.splice_text(text, i, 1, "")?;
        }
        Ok(())
    }
}

/// A change made after a removal's heads: whether a removed device made it, and what it
/// depends on.
struct After {
    removed: bool,
    deps: Vec<ChangeHash>,
}

/// Every change that is not an ancestor of some removal's heads. Heads this device has not
/// received yet are left out of the reckoning until they arrive.
fn changes_after(doc: &mut AutoCommit, removals: &RemovalHeads) -> BTreeMap<ChangeHash, After> {
    let mut out = BTreeMap::new();
    for (prefix, heads) in removals {
        let known: Vec<ChangeHash> = heads
            .iter()
            .filter(|h| doc.get_change_by_hash(h).is_some())
            .copied()
            .collect();
        for change in doc.get_changes_meta(&known) {
            let by_removed =
                change.actor.to_bytes().get(..ACTOR_DEVICE_BYTES) == Some(prefix.as_slice());
            let entry = out.entry(change.hash).or_insert_with(|| After {
                removed: false,
                deps: change.deps.clone(),
            });
            entry.removed |= by_removed;
        }
    }
    out
}

/// The removal whose device wrote as `actor`, if any.
fn removed_prefix<'a>(actor: &ActorId, removals: &'a RemovalHeads) -> Option<&'a [ChangeHash]> {
    let prefix = actor.to_bytes().get(..ACTOR_DEVICE_BYTES)?;
    removals
        .iter()
        .find(|(removed, _)| removed.as_slice() == prefix)
        .map(|(_, heads)| heads.as_slice())
}

/// What the late changes did, gathered by the object they did it to.
#[derive(Default)]
struct Touched {
    /// Map keys they put or deleted, with the heads of the removal to fall back to.
    keys: BTreeMap<(String, String), Vec<ChangeHash>>,
    /// Texts and lists they inserted into or deleted from: the elements they deleted.
    seqs: BTreeMap<String, (Vec<ChangeHash>, HashSet<OpKey>)>,
    /// Every operation of theirs.
    ops: HashSet<OpKey>,
}

fn op_key(id: &automerge::legacy::OpId) -> OpKey {
    (id.0, id.1.clone())
}

fn obj_name(obj: &automerge::legacy::ObjectId) -> String {
    match obj {
        automerge::legacy::ObjectId::Root => "_root".to_owned(),
        automerge::legacy::ObjectId::Id(id) => format!("{}@{}", id.0, id.1.to_hex_string()),
    }
}

fn touched(doc: &AutoCommit, late: &[ChangeHash], removals: &RemovalHeads) -> Touched {
    use automerge::legacy::{ElementId, Key, OpType};
    let mut out = Touched::default();
    for hash in late {
        let Some(change) = doc.get_change_by_hash(hash) else {
            continue;
        };
        let Some(heads) = removed_prefix(change.actor_id(), removals) else {
            continue;
        };
        // Only heads this device holds: reading at a head it lacks would mean nothing.
        let heads: Vec<ChangeHash> = heads
            .iter()
            .filter(|h| doc.get_change_by_hash(h).is_some())
            .copied()
            .collect();
        let expanded = change.decode();
        let start = change.start_op().get();
        for (i, op) in expanded.operations.iter().enumerate() {
            let id = (start + i as u64, change.actor_id().clone());
            out.ops.insert(id);
            let obj = obj_name(&op.obj);
            match &op.key {
                Key::Map(key) => {
                    out.keys
                        .entry((obj, key.to_string()))
                        .or_insert_with(|| heads.clone());
                }
                Key::Seq(element) => {
                    let (_, deleted) = out
                        .seqs
                        .entry(obj)
                        .or_insert_with(|| (heads.clone(), HashSet::new()));
                    if let (OpType::Delete, ElementId::Id(element)) = (&op.action, element) {
                        deleted.insert(op_key(element));
                    }
                }
            }
        }
    }
    out
}

fn key_of(id: &ObjId) -> Option<OpKey> {
    match id {
        ObjId::Id(counter, actor, _) => Some((*counter, actor.clone())),
        ObjId::Root => None,
    }
}

/// A copy of `doc` with every late operation undone (see the module's text). Characters they
/// deleted are put back only in texts no staying device wrote after the late changes reached
/// it: one that did wrote what it meant the text to be. What cannot be undone is left as it is
/// rather than failing the read.
fn undone(doc: &mut AutoCommit, touched: &Touched, written_after: &HashSet<&str>) -> AutoCommit {
    let is_late = |id: &ObjId| key_of(id).is_some_and(|k| touched.ops.contains(&k));
    let mut view = doc.fork();
    let mut pasts: HashMap<Vec<ChangeHash>, AutoCommit> = HashMap::new();
    for ((obj, key), heads) in &touched.keys {
        let Ok(obj) = view.import_obj(obj) else {
            continue;
        };
        if view.object_type(&obj).is_err() {
            continue;
        }
        let _ = undo_key(&mut view, doc, &mut pasts, &obj, key, heads, &is_late);
    }
    let none = HashSet::new();
    for (name, (heads, deleted)) in &touched.seqs {
        let Ok(obj) = view.import_obj(name) else {
            continue;
        };
        let deleted = if written_after.contains(name.as_str()) {
            &none
        } else {
            deleted
        };
        if view.object_type(&obj) == Ok(ObjType::Text) {
            let _ = undo_text(&mut view, &obj, heads, deleted, &is_late);
        }
    }
    view.commit();
    view
}

fn undo_key(
    view: &mut AutoCommit,
    doc: &mut AutoCommit,
    pasts: &mut HashMap<Vec<ChangeHash>, AutoCommit>,
    obj: &ObjId,
    key: &str,
    heads: &[ChangeHash],
    is_late: &dyn Fn(&ObjId) -> bool,
) -> Result<(), automerge::AutomergeError> {
    let now = view.get(obj, key)?;
    if now.as_ref().is_some_and(|(_, id)| !is_late(id)) {
        return Ok(());
    }
    // A value a staying device wrote at the same time wins; else the value before the removal.
    let staying = view
        .get_all(obj, key)?
        .into_iter()
        .rfind(|(_, id)| !is_late(id));
    let (honest, from_heads) = match staying {
        Some(value) => (Some(value), None),
        None => (view.get_at(obj, key, heads)?, Some(heads)),
    };
    match (honest, now) {
        (None, Some((Value::Object(ObjType::Map), _))) => {
            // Begun by them: what they put in it is undone key by key, and entries and comments
            // they began are left out on read.
        }
        (None, Some(_)) => view.delete(obj, key)?,
        (None, None) => {}
        (Some((Value::Scalar(value), _)), _) => view.put(obj, key, value.into_owned())?,
        (Some((Value::Object(kind), source)), _) => {
            let made = view.put_object(obj, key, kind)?;
            let from: &AutoCommit = match from_heads {
                None => doc,
                Some(heads) => match pasts.entry(heads.to_vec()) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => e.insert(doc.fork_at(heads)?),
                },
            };
            crate::journal::copy_object(from, &source, view, &made, &|_, _, _| false)?;
        }
    }
    Ok(())
}

/// Makes a text read without the characters late operations inserted, and with those they
/// deleted back after the character that came before them at the removal.
fn undo_text(
    view: &mut AutoCommit,
    text: &ObjId,
    heads: &[ChangeHash],
    deleted: &HashSet<OpKey>,
    is_late: &dyn Fn(&ObjId) -> bool,
) -> Result<(), automerge::AutomergeError> {
    let chars = |values: automerge::iter::Values<'_>| -> Vec<(ObjId, String)> {
        values
            .filter_map(|(value, id)| match value {
                Value::Scalar(s) => match s.as_ref() {
                    automerge::ScalarValue::Str(c) => Some((id, c.to_string())),
                    _ => None,
                },
                Value::Object(_) => None,
            })
            .collect()
    };
    let kept: Vec<(ObjId, String)> = chars(view.values(text))
        .into_iter()
        .filter(|(id, _)| !is_late(id))
        .collect();
    let present: BTreeSet<OpKey> = kept.iter().filter_map(|(id, _)| key_of(id)).collect();
    let mut after: HashMap<Option<OpKey>, String> = HashMap::new();
    let mut anchor: Option<OpKey> = None;
    for (id, c) in chars(view.values_at(text, heads)) {
        let Some(key) = key_of(&id) else { continue };
        if present.contains(&key) {
            anchor = Some(key);
        } else if deleted.contains(&key) {
            after.entry(anchor.clone()).or_default().push_str(&c);
        }
    }
    let mut honest = after.remove(&None).unwrap_or_default();
    for (id, c) in &kept {
        honest.push_str(c);
        if let Some(back) = key_of(id).and_then(|k| after.remove(&Some(k))) {
            honest.push_str(&back);
        }
    }
    if view.text(text)? != honest {
        view.update_text(text, &honest)?;
    }
    Ok(())
}
