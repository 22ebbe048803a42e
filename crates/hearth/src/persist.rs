//! The two journal documents on disk: loading them from the store, and appending each change
//! durably before it is acknowledged.

use hearth_journal::Journal;
use hearth_store::{DocId, Store};

use crate::DeviceId;
use crate::os::actor;

/// Why a journal document could not be read back from the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadDocError {
    /// The store could not read the document.
    #[error("could not read the {doc} journal from the store")]
    Store {
        /// Which document.
        doc: DocId,
        /// The store's error.
        #[source]
        source: hearth_store::ReadError,
    },
    /// What was stored is not a journal document.
    #[error("the stored {doc} journal is not a readable document")]
    Document {
        /// Which document.
        doc: DocId,
        /// Automerge's error.
        #[source]
        source: hearth_journal::LoadError,
    },
    /// The operating system gave no randomness for the replica's actor id.
    #[error("no randomness available")]
    Randomness(#[source] getrandom::Error),
    /// The keys of this device's sealed answers could not be read.
    #[error(transparent)]
    AnswerKeys(#[from] crate::answer_keys::AnswerKeysError),
}

/// Loads `doc` with a fresh actor id of `device`; `None` if nothing was ever stored for it.
pub(crate) fn load_doc(
    store: &Store,
    doc: DocId,
    device: &DeviceId,
) -> Result<Option<Journal>, LoadDocError> {
    let stored = store
        .load(doc)
        .map_err(|source| LoadDocError::Store { doc, source })?;
    if stored.snapshot.is_none() && stored.chunks.is_empty() {
        return Ok(None);
    }
    let actor = actor(device).map_err(LoadDocError::Randomness)?;
    let document = |source| LoadDocError::Document { doc, source };
    let mut journal = match &stored.snapshot {
        // An empty snapshot is an empty replica waiting for the partner's journal.
        Some(snapshot) if !snapshot.is_empty() => {
            Journal::load(snapshot, actor).map_err(document)?
        }
        _ => Journal::replica(actor),
    };
    journal
        .load_chunks(stored.chunks.iter().map(Vec::as_slice))
        .map_err(document)?;
    // Everything loaded is stored already: the next incremental save must not repeat it.
    journal.mark_saved();
    journal.keep_answer_keys(crate::answer_keys::load(store)?);
    Ok(Some(journal))
}

/// What [`persist`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[must_use]
pub(crate) struct Persisted {
    /// Whether there was anything to append.
    pub(crate) stored: bool,
    /// Whether the store asks for the document to be compacted (see [`compact`]).
    pub(crate) compaction_due: bool,
}

/// Appends what changed in `journal` since its last save to `doc`, durably. Compaction, when the
/// store asks for it, is left to the caller: see [`Persisted::compaction_due`].
///
/// On error the change is not stored: the caller must reload the journal so that memory does not
/// hold a change the disk lacks.
pub(crate) fn persist(
    store: &Store,
    doc: DocId,
    journal: &mut Journal,
) -> Result<Persisted, hearth_store::WriteError> {
    persist_with(store, doc, journal, None, |_| {})
}

/// As [`persist`], for a change this device made to the shared journal: `send` runs once the
/// change is encoded and before it is flushed, to send it to the partner's devices meanwhile.
pub(crate) fn persist_sending(
    store: &Store,
    journal: &mut Journal,
    send: impl FnOnce(&mut Journal),
) -> Result<Persisted, hearth_store::WriteError> {
    persist_with(store, DocId::Shared, journal, None, send)
}

/// As [`persist`], for changes received from `peer`: its sync state `state` is stored in the same
/// transaction (one flush to disk, not two, before the peer is answered).
pub(crate) fn persist_received(
    store: &Store,
    journal: &mut Journal,
    peer: [u8; 32],
    state: &[u8],
) -> Result<Persisted, hearth_store::WriteError> {
    persist_with(store, DocId::Shared, journal, Some((peer, state)), |_| {})
}

fn persist_with(
    store: &Store,
    doc: DocId,
    journal: &mut Journal,
    sync_state: Option<([u8; 32], &[u8])>,
    before_flush: impl FnOnce(&mut Journal),
) -> Result<Persisted, hearth_store::WriteError> {
    // A whole document that replaced the journal (from a peer or a mailbox) is kept as it came:
    // its bytes become the snapshot, in place of everything stored before, which it and what
    // follows it hold.
    if let Some(arrived) = journal.take_arrived_document() {
        before_flush(journal);
        let outcome =
            store.replace_with_arrived(doc, &arrived.document, &arrived.after, sync_state)?;
        return Ok(Persisted {
            stored: true,
            compaction_due: outcome.compaction_due,
        });
    }
    // What is kept for reading is carried across the change after `before_flush` (the send to
    // the partner's devices), which waits for nothing it does not need.
    let bytes = journal.save_incremental_then(before_flush);
    if bytes.is_empty() {
        return Ok(Persisted::default());
    }
    let outcome = match sync_state {
        Some((peer, state)) => store.append_change_with_sync_state(doc, &bytes, peer, state)?,
        None => store.append_change(doc, &bytes)?,
    };
    Ok(Persisted {
        stored: true,
        compaction_due: outcome.compaction_due,
    })
}

/// Folds `doc`'s chunks into a fresh snapshot of `journal`. The caller holds `journal` locked, so
/// every chunk stored so far is in it: the snapshot covers them all.
///
/// Compaction only bounds the work of the next open; the changes are stored either way, so a
/// failure is logged and the next append asks again.
pub(crate) fn compact(store: &Store, doc: DocId, journal: &mut Journal) {
    // An empty replica (a joiner's, replaced since the compaction was asked for) is stored as
    // the empty snapshot already; saving it would store a document where an empty one belongs.
    if !journal.is_ready() {
        return;
    }
    let covers = match store.mark(doc) {
        Ok(mark) => mark,
        Err(e) => {
            tracing::warn!(%doc, error = %e, "compaction skipped; will try again later");
            return;
        }
    };
    let snapshot = journal.save();
    match store.compact(doc, &snapshot, covers) {
        Ok(()) => {}
        // A compaction that started later finished first: nothing is lost.
        Err(hearth_store::WriteError::StaleSnapshot { .. }) => {}
        Err(e) => tracing::warn!(%doc, error = %e, "compaction failed; will try again later"),
    }
}

/// Replaces `doc` in the store with an empty replica (an empty snapshot covering every chunk
/// stored so far), in one transaction.
pub(crate) fn empty_doc(store: &Store, doc: DocId) -> Result<(), ReplaceDocError> {
    let mark = store.load(doc).map_err(ReplaceDocError::Load)?.mark;
    store
        .compact(doc, &[], mark)
        .map_err(ReplaceDocError::Compact)
}

/// Why a stored document could not be replaced.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReplaceDocError {
    /// The document could not be read to find what it holds.
    #[error("could not read the stored journal")]
    Load(#[source] hearth_store::ReadError),
    /// The new snapshot could not be written.
    #[error("could not store the new journal")]
    Compact(#[source] hearth_store::WriteError),
}
