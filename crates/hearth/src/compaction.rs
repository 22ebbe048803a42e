//! Compaction away from the owner's thread.
//!
//! Every [`hearth_store::COMPACT_AFTER_CHUNKS`] stored changes the store asks for a document to be
//! folded into a fresh snapshot, so that the next open does not replay them all. The snapshot is
//! a full save of the document: about a second at 50,000 entries, most of it Automerge encoding
//! and compressing its columns. The owner used to do that itself, and every request that came
//! meanwhile (a write, a sync step, a read for the window) waited for it.
//!
//! Now the owner copies the document ([`hearth_journal::Journal::freeze`], a small part of the
//! save's time) and the store's mark of the chunks it holds, and a thread of its own saves the
//! copy. The owner stores the snapshot when it is back, between requests, as before: it is still
//! the only one that touches the store. A snapshot is taken between requests, so it holds exactly
//! what the store held at its mark; chunks stored after the mark stay, and the next open replays
//! them on top. If the document was replaced meanwhile (a whole journal arrived, or this device
//! joined another), the replacement moved the store's mark past the snapshot's, and the store
//! refuses the stale snapshot.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use hearth_journal::Frozen;
use hearth_store::{ChunkMark, DocId};

use crate::device::Device;
use crate::persist::compact;

/// How long after the store asked the compaction starts: once the change's acknowledgement and
/// the sync step it starts have gone out.
const COMPACT_AFTER: Duration = Duration::from_millis(100);

/// How often the owner looks for a snapshot that is back, while one is being saved.
const LOOK_EVERY: Duration = Duration::from_millis(10);

/// The compactions of a device's documents: waiting, being saved, and saved.
pub(crate) struct Compactions {
    /// When each document's waiting compaction is due (see [`index`]).
    due: [Option<Instant>; 2],
    /// Whether each document's snapshot is being saved on its own thread.
    saving: [bool; 2],
    saved_tx: mpsc::Sender<Saved>,
    saved_rx: mpsc::Receiver<Saved>,
}

/// A snapshot saved on its own thread, back for the owner to store.
struct Saved {
    doc: DocId,
    /// The store's mark when the document was copied: the chunks the snapshot holds.
    covers: ChunkMark,
    /// `None` if Automerge panicked while saving.
    snapshot: Option<Vec<u8>>,
}

impl Compactions {
    pub(crate) fn new() -> Self {
        let (saved_tx, saved_rx) = mpsc::channel();
        Compactions {
            due: [None, None],
            saving: [false, false],
            saved_tx,
            saved_rx,
        }
    }

    /// When the owner should next look in: a compaction due, or a snapshot being saved. A
    /// document whose snapshot is being saved is not due again until it is back, however often
    /// the store asks meanwhile (it asks with every change until the snapshot is stored).
    pub(crate) fn next(&self) -> Option<Instant> {
        let looking = self
            .saving
            .contains(&true)
            .then(|| Instant::now() + LOOK_EVERY);
        self.due
            .iter()
            .zip(self.saving)
            .filter_map(|(due, saving)| due.filter(|_| !saving))
            .chain(looking)
            .min()
    }
}

impl Device {
    /// Asks for `doc` to be compacted a moment from now ([`COMPACT_AFTER`]), if it is not already.
    pub(crate) fn compact_later(&mut self, doc: DocId) {
        self.compactions.due[index(doc)].get_or_insert_with(|| Instant::now() + COMPACT_AFTER);
    }

    /// Stores the snapshots that are back, and starts the compactions due by `now`.
    pub(crate) fn run_compactions(&mut self, now: Instant) {
        while let Ok(saved) = self.compactions.saved_rx.try_recv() {
            self.store_snapshot(saved);
        }
        for doc in [DocId::Shared, DocId::Private] {
            let i = index(doc);
            if !self.compactions.saving[i] && self.compactions.due[i].is_some_and(|at| at <= now) {
                self.compactions.due[i] = None;
                self.start_compaction(doc);
            }
        }
    }

    /// Finishes every compaction, waiting for those being saved: the device is closing, and the
    /// next open should not replay what they fold.
    pub(crate) fn finish_saving(&mut self) {
        while self.compactions.saving.contains(&true) {
            match self.compactions.saved_rx.recv() {
                Ok(saved) => self.store_snapshot(saved),
                // Unreachable: the sender is kept here.
                Err(_) => break,
            }
        }
        for doc in [DocId::Shared, DocId::Private] {
            if self.compactions.due[index(doc)].take().is_some() {
                self.compact_here(doc);
            }
        }
    }

    /// Copies `doc` and saves the copy on a thread of its own.
    fn start_compaction(&mut self, doc: DocId) {
        if self.broken {
            return;
        }
        let journal = match doc {
            DocId::Shared => &mut self.shared,
            DocId::Private => match self.private.as_mut() {
                Some(journal) => journal,
                None => return,
            },
        };
        // An empty replica (a joiner's) is stored as the empty snapshot already.
        if !journal.is_ready() {
            return;
        }
        let covers = match self.store.mark(doc) {
            Ok(mark) => mark,
            Err(e) => {
                tracing::warn!(%doc, error = %e, "compaction skipped; will try again later");
                return;
            }
        };
        let frozen = journal.freeze();
        let back = self.compactions.saved_tx.clone();
        let started = std::thread::Builder::new()
            .name("hearth-compaction".into())
            .spawn(move || save_apart(doc, covers, frozen, &back));
        match started {
            Ok(_) => self.compactions.saving[index(doc)] = true,
            Err(e) => {
                tracing::warn!(%doc, error = %e, "no thread for the compaction; done here");
                self.compact_here(doc);
            }
        }
    }

    /// Stores a snapshot that is back from its thread.
    fn store_snapshot(&mut self, saved: Saved) {
        let Saved {
            doc,
            covers,
            snapshot,
        } = saved;
        self.compactions.saving[index(doc)] = false;
        // The store asks again with the next change if compaction is still due; the chunks
        // stored while this one was saved are too few for that.
        self.compactions.due[index(doc)] = None;
        if self.broken {
            return;
        }
        let Some(snapshot) = snapshot else {
            tracing::warn!(%doc, "saving the snapshot apart failed; compacting here instead");
            self.compact_here(doc);
            return;
        };
        match self.store.compact(doc, &snapshot, covers) {
            Ok(()) => {}
            // Replaced since it was copied: the store holds something newer.
            Err(hearth_store::WriteError::StaleSnapshot { .. }) => {}
            Err(e) => tracing::warn!(%doc, error = %e, "compaction failed; will try again later"),
        }
    }

    /// Compacts `doc` on the owner's thread, the journal's save and all.
    fn compact_here(&mut self, doc: DocId) {
        if self.broken {
            return;
        }
        match doc {
            DocId::Shared => compact(&self.store, doc, &mut self.shared),
            DocId::Private => {
                if let Some(journal) = self.private.as_mut() {
                    compact(&self.store, doc, journal);
                }
            }
        }
    }
}

/// Saves `frozen` and sends the snapshot back to the owner.
fn save_apart(doc: DocId, covers: ChunkMark, frozen: Frozen, back: &mpsc::Sender<Saved>) {
    give_way();
    let snapshot = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| frozen.save())).ok();
    // The owner may have stopped: the chunks are stored either way.
    let _ = back.send(Saved {
        doc,
        covers,
        snapshot,
    });
}

/// Lowers this thread's priority to the least: a compaction is never in a hurry, and on a machine
/// with few cores it would otherwise slow every write and sync step made while it runs. When
/// nothing else wants the cores it runs at full speed (as it does while the device closes).
fn give_way() {
    #[cfg(target_os = "linux")]
    if let Err(e) = rustix::process::nice(19) {
        tracing::debug!(error = %e, "the compaction's thread keeps its priority");
    }
}

/// Where `doc` is kept in [`Compactions`].
fn index(doc: DocId) -> usize {
    match doc {
        DocId::Shared => 0,
        DocId::Private => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_being_saved_is_not_due_again_until_its_snapshot_is_back() {
        let mut c = Compactions::new();
        assert_eq!(c.next(), None, "nothing waits");
        let asked = Instant::now() - Duration::from_secs(1);
        c.due[index(DocId::Shared)] = Some(asked);
        assert_eq!(c.next(), Some(asked), "due, and not being saved");

        // Saved apart while the store asks again: the owner only looks in now and then, rather
        // than finding it due at every turn of its loop.
        c.saving[index(DocId::Shared)] = true;
        let next = c.next().expect("a save to look in on");
        assert!(next > Instant::now(), "looked in on later, not at once");

        // The other document may still be due meanwhile.
        c.due[index(DocId::Private)] = Some(asked);
        assert_eq!(c.next(), Some(asked));
    }
}
