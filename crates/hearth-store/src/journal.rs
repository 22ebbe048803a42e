//! The two journal documents as a snapshot plus the chunks of changes appended since.

use std::fmt;

use redb::{ReadableTable, TableHandle};

use crate::error::At;
use crate::record::{self, Slot, chunk_key};
use crate::store::Writing;
use crate::sync_state::slot as sync_state_slot;
use crate::tables::{CHUNK_COUNTERS, CHUNKS, SNAPSHOT_COVERS, SNAPSHOTS, SYNC_STATES};
use crate::{ReadError, Record, Store, WriteError};

/// How many chunks may pile up after a document's snapshot before
/// [`AppendOutcome::compaction_due`] asks the caller to compact. Loading replays every chunk, so
/// this bounds the work of an open; compacting costs one snapshot write.
pub const COMPACT_AFTER_CHUNKS: usize = 256;

/// One of the device's two journal documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocId {
    /// The journal shared (synced) with the partner.
    Shared,
    /// The device owner's private document, never synced.
    Private,
}

impl DocId {
    /// The document's code in table keys.
    pub(crate) fn code(self) -> u8 {
        match self {
            DocId::Shared => 0,
            DocId::Private => 1,
        }
    }

    /// The document of a code in table keys.
    pub(crate) fn from_code(code: u8) -> Option<DocId> {
        match code {
            0 => Some(DocId::Shared),
            1 => Some(DocId::Private),
            _ => None,
        }
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DocId::Shared => "shared",
            DocId::Private => "private",
        })
    }
}

/// A point in a document's sequence of chunks: every chunk appended before it. Passed to
/// [`Store::compact`] to say which chunks a snapshot covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChunkMark(u64);

impl ChunkMark {
    /// The mark as a number. Every append moves it on, and so does every snapshot that covers
    /// every chunk (a compaction, or a whole document that replaced the stored one): two equal
    /// marks of a document name the same stored content.
    pub fn value(self) -> u64 {
        self.0
    }
}

/// What [`Store::append_change`] tells the caller once the change is durable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppendOutcome {
    /// How many chunks the document has after its snapshot, this append included.
    pub chunks_since_snapshot: usize,
    /// Whether that reached [`COMPACT_AFTER_CHUNKS`]: time to call [`Store::compact`].
    pub compaction_due: bool,
    /// The mark just after this append: a snapshot that includes this change (and all before)
    /// may be stored with it.
    pub mark: ChunkMark,
}

/// A document as stored: load `snapshot` (if any), then apply `chunks` in order.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredDoc {
    /// The last snapshot stored by [`Store::compact`].
    pub snapshot: Option<Vec<u8>>,
    /// The changes appended since, in append order.
    pub chunks: Vec<Vec<u8>>,
    /// The mark just after the last chunk: a snapshot of this state may be stored with it.
    pub mark: ChunkMark,
}

impl fmt::Debug for StoredDoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Journal content stays out of logs.
        f.debug_struct("StoredDoc")
            .field("snapshot_len", &self.snapshot.as_ref().map(Vec::len))
            .field("chunks", &self.chunks.len())
            .field("mark", &self.mark)
            .finish()
    }
}

pub(crate) fn chunk_slot(key: &[u8; 9]) -> Slot<'_> {
    Slot {
        table: CHUNKS.name(),
        key,
    }
}

fn snapshot_slot(code: &[u8; 1]) -> Slot<'_> {
    Slot {
        table: SNAPSHOTS.name(),
        key: code,
    }
}

fn count_chunks(
    table: &impl ReadableTable<(u8, u64), &'static [u8]>,
    doc: DocId,
) -> Result<usize, redb::StorageError> {
    let code = doc.code();
    let mut count = 0;
    for entry in table.range((code, 0)..=(code, u64::MAX))? {
        entry?;
        count += 1;
    }
    Ok(count)
}

impl Store {
    /// Appends one change to `doc`. Returns once the sealed chunk is in a committed, durable
    /// transaction: the return is the acknowledgement that the change survives any crash.
    pub fn append_change(&self, doc: DocId, change: &[u8]) -> Result<AppendOutcome, WriteError> {
        self.append_changes(doc, &[change])
    }

    /// Appends several changes to `doc` in one transaction (all or none), in order.
    pub fn append_changes<C: AsRef<[u8]>>(
        &self,
        doc: DocId,
        changes: &[C],
    ) -> Result<AppendOutcome, WriteError> {
        self.append(doc, changes, None)
    }

    /// Appends a change received from `peer` to `doc` and stores `peer`'s sync state (as
    /// [`Store::save_sync_state`] does) in the same durable transaction: the stored state never
    /// runs ahead of the stored journal, and taking a peer's change costs one flush to disk, not
    /// two.
    pub fn append_change_with_sync_state(
        &self,
        doc: DocId,
        change: &[u8],
        peer: [u8; 32],
        state: &[u8],
    ) -> Result<AppendOutcome, WriteError> {
        self.append(doc, &[change], Some((peer, state)))
    }

    fn append<C: AsRef<[u8]>>(
        &self,
        doc: DocId,
        changes: &[C],
        sync_state: Option<([u8; 32], &[u8])>,
    ) -> Result<AppendOutcome, WriteError> {
        let document = Record::Document { doc };
        let mut w = self.begin_write().at(&document)?;
        let outcome = append_in(&mut w, doc, changes)?;
        if let Some((peer, state)) = sync_state {
            put_sync_state(&mut w, peer, state)?;
        }
        w.commit(&document)?;
        Ok(outcome)
    }

    /// Replaces everything stored of `doc` with `snapshot` followed by the chunk `after` (none if
    /// empty), and stores the sync state of the peer it came from, if given, in one durable
    /// transaction: for a whole document that arrived and replaced the journal, kept as it came
    /// rather than encoded again. The snapshot and `after` together must hold every change
    /// stored so far, or those not held are lost.
    pub fn replace_with_arrived(
        &self,
        doc: DocId,
        snapshot: &[u8],
        after: &[u8],
        sync_state: Option<([u8; 32], &[u8])>,
    ) -> Result<AppendOutcome, WriteError> {
        let code = doc.code();
        let document = Record::Document { doc };
        let mut w = self.begin_write().at(&document)?;
        let covers = {
            let counters = w.txn.open_table(CHUNK_COUNTERS).at(&document)?;
            ChunkMark(number(&counters, code).at(&document)?)
        };
        let mark = put_snapshot(&mut w, doc, snapshot, covers)?;
        let outcome = if after.is_empty() {
            AppendOutcome {
                chunks_since_snapshot: 0,
                compaction_due: false,
                mark,
            }
        } else {
            append_in(&mut w, doc, &[after])?
        };
        if let Some((peer, state)) = sync_state {
            put_sync_state(&mut w, peer, state)?;
        }
        w.commit(&document)?;
        Ok(outcome)
    }

    /// The document as stored: its snapshot and the chunks appended since, in order.
    pub fn load(&self, doc: DocId) -> Result<StoredDoc, ReadError> {
        let code = doc.code();
        let document = Record::Document { doc };
        let r = self.begin_read().at(&document)?;
        let snapshot = {
            let table = r.txn.open_table(SNAPSHOTS).at(&document)?;
            match table.get(code).at(&document)? {
                None => None,
                Some(sealed) => {
                    let plain =
                        record::open(&r.keys.storage, snapshot_slot(&[code]), sealed.value())
                            .map_err(|source| ReadError::AuthenticationFailed {
                                record: Record::Snapshot { doc },
                                source,
                            })?;
                    Some(plain.to_vec())
                }
            }
        };
        let table = r.txn.open_table(CHUNKS).at(&document)?;
        let mut chunks = Vec::new();
        for (index, entry) in table
            .range((code, 0)..=(code, u64::MAX))
            .at(&document)?
            .enumerate()
        {
            let (key, sealed) = entry.at(&document)?;
            let (_, seq) = key.value();
            let plain = crate::decode::chunk(&r.keys.storage, doc, seq, sealed.value()).map_err(
                |source| ReadError::AuthenticationFailed {
                    record: Record::Chunk { doc, index },
                    source,
                },
            )?;
            chunks.push(plain.to_vec());
        }
        let counters = r.txn.open_table(CHUNK_COUNTERS).at(&document)?;
        let next = number(&counters, code).at(&document)?;
        Ok(StoredDoc {
            snapshot,
            chunks,
            mark: ChunkMark(next),
        })
    }

    /// Stores `snapshot` as the document's snapshot and removes the chunks it covers (those
    /// before `covers`), in one transaction: after a crash the document is either as before or
    /// compacted. Chunks appended after `covers` was taken are kept, after the new snapshot.
    ///
    /// `covers` must come from the [`StoredDoc`] or [`AppendOutcome`] of a state the snapshot
    /// includes; a chunk the snapshot does not include must not be covered, or it is lost. A mark
    /// older than the one the current snapshot was stored with is refused
    /// ([`WriteError::StaleSnapshot`]): that snapshot is older than the one it would replace.
    pub fn compact(
        &self,
        doc: DocId,
        snapshot: &[u8],
        covers: ChunkMark,
    ) -> Result<(), WriteError> {
        let document = Record::Document { doc };
        let mut w = self.begin_write().at(&document)?;
        put_snapshot(&mut w, doc, snapshot, covers)?;
        w.commit(&document)?;
        Ok(())
    }

    /// The mark just after the last chunk appended to `doc` (how many were ever appended): a
    /// snapshot that includes every change appended so far may be stored with it.
    pub fn mark(&self, doc: DocId) -> Result<ChunkMark, ReadError> {
        let code = doc.code();
        let document = Record::Document { doc };
        let r = self.begin_read().at(&document)?;
        let counters = r.txn.open_table(CHUNK_COUNTERS).at(&document)?;
        let next = number(&counters, code).at(&document)?;
        Ok(ChunkMark(next))
    }

    /// How many chunks `doc` has after its snapshot, counted one by one.
    pub fn chunks_since_snapshot(&self, doc: DocId) -> Result<usize, ReadError> {
        let document = Record::Document { doc };
        let r = self.begin_read().at(&document)?;
        let table = r.txn.open_table(CHUNKS).at(&document)?;
        Ok(count_chunks(&table, doc).at(&document)?)
    }
}

/// The number kept for the document `code` in one of the tables of numbers per document (chunk
/// counters, snapshot marks): 0 when none was ever stored.
fn number(table: &impl ReadableTable<u8, u64>, code: u8) -> Result<u64, redb::StorageError> {
    Ok(table.get(code)?.map(|guard| guard.value()).unwrap_or(0))
}

/// Appends `changes` to `doc` within the transaction `w`, in order.
fn append_in<C: AsRef<[u8]>>(
    w: &mut Writing<'_>,
    doc: DocId,
    changes: &[C],
) -> Result<AppendOutcome, WriteError> {
    let code = doc.code();
    let document = Record::Document { doc };
    let counters = w.txn.open_table(CHUNK_COUNTERS).at(&document)?;
    let mut chunks = w.txn.open_table(CHUNKS).at(&document)?;
    let mut next = number(&counters, code).at(&document)?;
    for change in changes {
        let key = chunk_key(code, next);
        let sealed =
            record::seal(&w.keys.storage, chunk_slot(&key), change.as_ref()).at(&document)?;
        let old = chunks
            .insert((code, next), sealed.as_slice())
            .at(&document)?;
        w.tally.swap(
            CHUNKS.name(),
            &key,
            old.as_ref().map(|old| old.value()),
            Some(&sealed),
        );
        next = next
            .checked_add(1)
            .ok_or(WriteError::SequenceExhausted { doc })?;
    }
    drop(counters);
    drop(chunks);
    set_counter(w, doc, next)?;
    // Appends number chunks without gaps and compaction removes every chunk below the mark its
    // snapshot covers, so the chunks after the snapshot are exactly the numbers from that mark
    // up to `next`. Counting them one by one would read every chunk, and the first one after a
    // sync holds the whole journal.
    let covered = number(&w.txn.open_table(SNAPSHOT_COVERS).at(&document)?, code).at(&document)?;
    let chunks_since_snapshot = usize::try_from(next.saturating_sub(covered)).unwrap_or(usize::MAX);
    Ok(AppendOutcome {
        chunks_since_snapshot,
        compaction_due: chunks_since_snapshot >= COMPACT_AFTER_CHUNKS,
        mark: ChunkMark(next),
    })
}

/// Stores `snapshot` as `doc`'s snapshot within the transaction `w`, dropping the chunks below
/// `covers`. Returns the mark after it.
///
/// A snapshot that covers every chunk moves the mark on by one, as an append does: the mark then
/// names what the document holds, whichever way it was stored, so that what was made from the
/// document at one mark (the first screen) is known to be stale at another. No chunk is given the
/// number skipped, and the snapshot covers it, so nothing counts it.
fn put_snapshot(
    w: &mut Writing<'_>,
    doc: DocId,
    snapshot: &[u8],
    covers: ChunkMark,
) -> Result<ChunkMark, WriteError> {
    let code = doc.code();
    let document = Record::Document { doc };
    let sealed = record::seal(&w.keys.storage, snapshot_slot(&[code]), snapshot)
        .at(&Record::Snapshot { doc })?;
    let counter = number(&w.txn.open_table(CHUNK_COUNTERS).at(&document)?, code).at(&document)?;
    let (covers, counter) = if covers.0 == counter {
        let next = counter
            .checked_add(1)
            .ok_or(WriteError::SequenceExhausted { doc })?;
        set_counter(w, doc, next)?;
        (ChunkMark(next), next)
    } else {
        (covers, counter)
    };
    {
        let mut snapshot_covers = w.txn.open_table(SNAPSHOT_COVERS).at(&document)?;
        let current = number(&snapshot_covers, code).at(&document)?;
        if covers.0 < current {
            return Err(WriteError::StaleSnapshot { doc });
        }
        let old = snapshot_covers.insert(code, covers.0).at(&document)?;
        w.tally.swap_number(
            SNAPSHOT_COVERS.name(),
            code,
            old.map(|old| old.value()),
            covers.0,
        );
    }
    w.put(SNAPSHOTS, code, &[code], &sealed).at(&document)?;
    let mut chunks = w.txn.open_table(CHUNKS).at(&document)?;
    if covers.0 > 0 {
        let tally = &mut w.tally;
        chunks
            .retain_in((code, 0)..(code, covers.0), |(code, seq), sealed| {
                tally.swap(CHUNKS.name(), &chunk_key(code, seq), Some(sealed), None);
                false
            })
            .at(&document)?;
    }
    Ok(ChunkMark(counter))
}

/// Sets the number the next chunk of `doc` gets, within the transaction `w`.
fn set_counter(w: &mut Writing<'_>, doc: DocId, next: u64) -> Result<(), WriteError> {
    let code = doc.code();
    let document = Record::Document { doc };
    let mut counters = w.txn.open_table(CHUNK_COUNTERS).at(&document)?;
    let old = counters.insert(code, next).at(&document)?;
    w.tally.swap_number(
        CHUNK_COUNTERS.name(),
        code,
        old.map(|old| old.value()),
        next,
    );
    Ok(())
}

/// Stores `peer`'s sync state within the transaction `w`.
fn put_sync_state(w: &mut Writing<'_>, peer: [u8; 32], state: &[u8]) -> Result<(), WriteError> {
    let sync_state = Record::SyncState { peer };
    let sealed = record::seal(&w.keys.storage, sync_state_slot(&peer), state).at(&sync_state)?;
    w.put(SYNC_STATES, peer, &peer, &sealed).at(&sync_state)?;
    Ok(())
}
