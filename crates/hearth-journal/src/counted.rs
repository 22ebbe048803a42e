//! How many entries the journal holds, counted again only when a change may have altered it.
//!
//! Automerge counts a map's keys one by one: at 50,000 entries that takes most of a millisecond,
//! and a device asks after every arrival (to find the letters this person wrote on another
//! device). Most changes are edits, which leave the map of entries alone. The count is carried
//! across such a change once its operations have been read, and taken again after any change
//! that touches the map of entries or the document's root, or that cannot be read.

use automerge::legacy::{Key, ObjectId, OpType};
use automerge::{ActorId, Change, ChangeHash, ObjId};

/// Beyond this many changes at once the count is simply taken again: reading them all would cost
/// more than counting.
const MOST_READ: usize = 32;

/// A count of the entries, and the heads it was taken at.
#[derive(Clone, Debug)]
pub(crate) struct Counted {
    pub(crate) heads: Vec<ChangeHash>,
    pub(crate) entries: usize,
}

impl Counted {
    /// Carries the count from `before` to `after`, if it was taken at `before` and the changes
    /// between them, as `touched` says, leave the map of entries alone. Otherwise leaves it as
    /// it is: counted at other heads, it is taken again when next asked for.
    pub(crate) fn carry(&mut self, before: &[ChangeHash], after: &[ChangeHash], touched: &Touched) {
        if self.heads == before && !touched.structure && touched.made.is_empty() {
            self.heads = after.to_vec();
        }
    }
}

/// What one or more changes did to the journal's shape, as their operations say.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    /// An operation on the document's root, or on the map of entries other than making an entry.
    pub(crate) structure: bool,
    /// The keys of the entries made: a new map put into the map of entries.
    pub(crate) made: Vec<String>,
    /// The objects whose `kind` was set (an entry's kind; see [`crate::kinds`]), by the
    /// counter and actor of their id.
    pub(crate) kinds_set: Vec<(u64, ActorId)>,
    /// Whether an operation set or removed one of the fields a look at an entry reads
    /// ([`crate::kinds::looked`]) in an object that these changes did not make: what was seen
    /// of the entries before may no longer hold.
    pub(crate) looked_changed: bool,
}

/// What `bytes`, one or more changes, did to the map `entries` and to the root. `None` for a
/// whole document, bytes that are not changes, and more than [`MOST_READ`] changes: anything
/// may have changed.
pub(crate) fn touched(bytes: &[u8], entries: &ObjId) -> Option<Touched> {
    let ObjId::Id(counter, actor, _) = entries else {
        return None;
    };
    let changes = crate::sync::chunks::changes(bytes)?;
    if changes.len() > MOST_READ {
        return None;
    }
    let mut touched = Touched::default();
    for chunk in changes {
        let change = Change::from_bytes(chunk.to_vec()).ok()?;
        // Operations are numbered one after another from the change's first: an object with an
        // id from there on, by the same actor, was made by this change.
        let made_here = |id: &automerge::legacy::OpId| {
            id.1 == *change.actor_id() && id.0 >= change.start_op().get()
        };
        for op in change.decode().operations {
            if let (ObjectId::Id(id), Key::Map(key)) = (&op.obj, &op.key)
                && crate::kinds::looked(key)
                && !made_here(id)
            {
                touched.looked_changed = true;
            }
            match (&op.obj, &op.action, &op.key) {
                (ObjectId::Root, _, _) => touched.structure = true,
                (ObjectId::Id(id), action, key) if id.0 == *counter && id.1 == *actor => {
                    match (action, key) {
                        (OpType::Make(automerge::ObjType::Map), Key::Map(key)) if !op.insert => {
                            touched.made.push(key.to_string());
                        }
                        _ => touched.structure = true,
                    }
                }
                (ObjectId::Id(id), _, Key::Map(key)) if key == crate::schema::KIND => {
                    touched.kinds_set.push((id.0, id.1.clone()));
                }
                _ => {}
            }
        }
    }
    Some(touched)
}

/// Whether `bytes`, one or more changes, leave the map `entries` alone: none of their operations
/// is on it or on the document's root.
#[cfg(test)]
fn leave_entries_alone(bytes: &[u8], entries: &ObjId) -> bool {
    touched(bytes, entries).is_some_and(|t| !t.structure && t.made.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::{PeerSync, validate_sync_message};
    use crate::*;

    use crate::unit::{START, ada_and_ben, entry, note, stamp};

    /// Every message from `from` to `to` until `from` has nothing more to say.
    fn sync(
        from: &mut Journal,
        to_state: &mut PeerSync,
        to: &mut Journal,
        from_state: &mut PeerSync,
    ) {
        for _ in 0..8 {
            let mut said = false;
            if let Some(m) = from.generate_sync_message(from_state).expect("generate") {
                to.receive_sync_message(to_state, validate_sync_message(&m).expect("valid"))
                    .expect("receive");
                said = true;
            }
            if let Some(m) = to.generate_sync_message(to_state).expect("generate") {
                from.receive_sync_message(from_state, validate_sync_message(&m).expect("valid"))
                    .expect("receive");
                said = true;
            }
            if !said {
                return;
            }
        }
    }

    /// Whether the count is held at the journal's heads.
    fn count_current(j: &mut Journal) -> bool {
        let heads = j.heads();
        j.counted.as_ref().is_some_and(|c| c.heads == heads)
    }

    #[test]
    fn what_runs_while_saving_runs_once_per_change_before_the_count_is_carried() {
        let (mut ada, _) = ada_and_ben();
        ada.write(&entry(1), &stamp("ada"), &note("first"))
            .expect("write");
        ada.save_incremental();
        assert_eq!(ada.entry_count(), 1);

        let edit = Edit::Body("first, and more".into());
        ada.edit(&entry(1), &stamp("ada"), &edit).expect("edit");
        let mut ran = 0;
        let bytes = ada.save_incremental_then(|j| {
            ran += 1;
            assert!(!count_current(j), "not carried yet");
        });
        assert!(!bytes.is_empty());
        assert_eq!(ran, 1);
        assert!(count_current(&mut ada), "carried after");
        assert_eq!(ada.entry_count(), 1);

        let nothing = ada.save_incremental_then(|_| ran += 1);
        assert!(nothing.is_empty());
        assert_eq!(ran, 1, "nothing saved, nothing run");
    }

    #[test]
    fn an_edit_leaves_the_entries_alone_and_a_new_entry_or_a_new_root_key_does_not() {
        let (mut ada, _) = ada_and_ben();
        ada.write(&entry(1), &stamp("ada"), &note("first"))
            .expect("write");
        ada.save_incremental();
        let entries = ada.entries_obj().expect("ready");

        let edit = Edit::Body("first, and more".into());
        ada.edit(&entry(1), &stamp("ada"), &edit).expect("edit");
        assert!(leave_entries_alone(&ada.save_incremental(), &entries));
        ada.comment(&entry(1), &entry(9), &stamp("ada"), "a comment")
            .expect("comment");
        assert!(leave_entries_alone(&ada.save_incremental(), &entries));

        ada.write(&entry(2), &stamp("ada"), &note("second"))
            .expect("write");
        assert!(!leave_entries_alone(&ada.save_incremental(), &entries));
        ada.put_member(&Member {
            id: MemberId::new("cy"),
            name: "Cy".into(),
            joined_ms: START,
        })
        .expect("a member");
        // Members live in their own map, not on the root itself.
        assert!(leave_entries_alone(&ada.save_incremental(), &entries));
        automerge::transaction::Transactable::put(
            ada.automerge_mut(),
            automerge::ROOT,
            "elsewhere",
            1,
        )
        .expect("a root key");
        assert!(!leave_entries_alone(&ada.save_incremental(), &entries));
        assert!(
            !leave_entries_alone(&ada.save(), &entries),
            "a whole document"
        );
        assert!(!leave_entries_alone(b"not a change", &entries));
    }

    #[test]
    fn the_count_follows_entries_written_here_and_received() {
        let (mut ada, mut ben) = ada_and_ben();
        let (mut to_ben, mut to_ada) = (PeerSync::new(), PeerSync::new());
        assert_eq!(ben.entry_count(), 0);
        for n in 1..=6u8 {
            // A new entry, then edits and a comment: Ben's count is asked for after each.
            ada.write(&entry(n), &stamp("ada"), &note("new"))
                .expect("write");
            for step in 0..3 {
                if step > 0 {
                    let edit = Edit::Body(format!("edited {step}"));
                    ada.edit(&entry(n), &stamp("ada"), &edit).expect("edit");
                }
                if step == 2 {
                    let comment = entry(100 + n);
                    ada.comment(&entry(n), &comment, &stamp("ada"), "yes")
                        .expect("comment");
                }
                ada.save_incremental();
                sync(&mut ada, &mut to_ben, &mut ben, &mut to_ada);
                ben.save_incremental();
                // Ada's entries so far, and Ben's from the rounds before.
                let both = usize::from(2 * n - 1);
                assert_eq!(ben.entry_count(), both, "after step {step} of {n}");
                assert_eq!(ada.entry_count(), both);
            }
            // One of Ben's own, written between arrivals.
            ben.write(&entry(50 + n), &stamp("ben"), &note("his"))
                .expect("write");
            ben.save_incremental();
            assert_eq!(ben.entry_count(), usize::from(2 * n));
            sync(&mut ben, &mut to_ada, &mut ada, &mut to_ben);
            ada.save_incremental();
            assert_eq!(ada.entry_count(), usize::from(2 * n));
            assert_eq!(ben.entry_count(), usize::from(2 * n));
        }
    }
}
