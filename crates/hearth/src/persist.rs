//! The two journal documents on disk: loading them from the store, and appending each change
//! durably before it is acknowledged.

use hearth_journal::Journal;
use hearth_store::{AppendError, DocId, Store};

use crate::util::random;

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
        source: hearth_store::LoadError,
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
}

/// Loads `doc` with a fresh actor id; `None` if nothing was ever stored for it.
pub(crate) fn load_doc(store: &Store, doc: DocId) -> Result<Option<Journal>, LoadDocError> {
    let stored = store
        .load(doc)
        .map_err(|source| LoadDocError::Store { doc, source })?;
    if stored.snapshot.is_none() && stored.chunks.is_empty() {
        return Ok(None);
    }
    let actor = random().map_err(LoadDocError::Randomness)?;
    let document = |source| LoadDocError::Document { doc, source };
    let mut journal = match &stored.snapshot {
        // An empty snapshot is an empty replica waiting for the partner's journal.
        Some(snapshot) if !snapshot.is_empty() => {
            Journal::load(snapshot, actor).map_err(document)?
        }
        _ => Journal::replica(actor),
    };
    for chunk in &stored.chunks {
        journal.load_incremental(chunk).map_err(document)?;
    }
    // Everything loaded is stored already: the next incremental save must not repeat it.
    journal.mark_saved();
    Ok(Some(journal))
}

/// Appends what changed in `journal` since its last save to `doc`, durably, and compacts when the
/// store asks for it. Returns whether there was anything to append.
///
/// On error the change is not stored: the caller must reload the journal so that memory does not
/// hold a change the disk lacks.
pub(crate) fn persist(
    store: &Store,
    doc: DocId,
    journal: &mut Journal,
) -> Result<bool, AppendError> {
    persist_with(store, doc, journal, None)
}

/// As [`persist`], for changes received from `peer`: its sync state `state` is stored in the same
/// transaction (one flush to disk, not two, before the peer is answered).
pub(crate) fn persist_received(
    store: &Store,
    journal: &mut Journal,
    peer: [u8; 32],
    state: &[u8],
) -> Result<bool, AppendError> {
    persist_with(store, DocId::Shared, journal, Some((peer, state)))
}

fn persist_with(
    store: &Store,
    doc: DocId,
    journal: &mut Journal,
    sync_state: Option<([u8; 32], &[u8])>,
) -> Result<bool, AppendError> {
    let bytes = journal.save_incremental();
    if bytes.is_empty() {
        return Ok(false);
    }
    let outcome = match sync_state {
        Some((peer, state)) => store.append_change_with_sync_state(doc, &bytes, peer, state)?,
        None => store.append_change(doc, &bytes)?,
    };
    if outcome.compaction_due {
        let snapshot = journal.save();
        // Compaction only bounds the work of the next open; the change itself is stored.
        if let Err(e) = store.compact(doc, &snapshot, outcome.mark) {
            tracing::warn!(%doc, error = %e, "compaction failed; will try again later");
        }
    }
    Ok(true)
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
    Load(#[source] hearth_store::LoadError),
    /// The new snapshot could not be written.
    #[error("could not store the new journal")]
    Compact(#[source] hearth_store::CompactError),
}
