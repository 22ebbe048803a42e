//! Automerge's sync protocol with a peer, made safe against what a buggy or hostile peer sends.
//!
//! Every message from a peer is checked by [`validate_sync_message`] before Automerge sees it:
//! Automerge 0.12 trusts the parameters of a received Bloom filter, and a filter with zero bits per
//! entry makes the next `generate_sync_message` divide by zero, while a huge probe count makes it
//! try to allocate gigabytes and abort the process. We accept only what Automerge itself produces.
//! The changes and documents a message carries are checked as every input of Automerge data is
//! (see [`ChunkError`]): what they inflate to, and how much work they declare.
//! Automerge calls on peer data then run behind `catch_unwind`; a panic there is reported as
//! [`SyncError::Panicked`], after which the caller reloads the journal from storage.

mod bounds;
pub(crate) mod chunks;
mod in_step;
mod inflate;
mod runs;

use std::panic::{AssertUnwindSafe, catch_unwind};

use automerge::sync::{ChunkList, Message, State, SyncDoc};
use automerge::{AutoCommit, ChangeHash};

pub(crate) use bounds::check as check_chunks;
pub use bounds::{
    BYTES_PER_CHANGE, CHANGES_ALLOWANCE, COMPRESSION_CREDIT, MAX_DOCUMENT_CHANGES, MAX_OP_COUNTER,
    MAX_OPS, OPS_ALLOWANCE, OPS_PER_BYTE,
};
pub(crate) use chunks::is_document;
pub use inflate::MAX_INFLATED;

use crate::Journal;

/// The Bloom filter parameters Automerge writes (a 1% false-positive rate).
const BLOOM_BITS_PER_ENTRY: u64 = 10;
const BLOOM_PROBES: u64 = 7;
/// At most this many heads in a message: real journals have a handful.
const MAX_HEADS: usize = 1_024;
/// Automerge sends one `have` per message.
const MAX_HAVES: usize = 16;

/// The sync state with one peer: what we believe they have.
#[derive(Debug, Default)]
pub struct PeerSync {
    state: State,
}

/// Why a stored sync state could not be read back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncStateError {
    /// The bytes are not an Automerge sync state.
    #[error("the stored sync state is unreadable")]
    Decode(#[source] automerge::sync::DecodeStateError),
}

impl PeerSync {
    /// A state for a peer we have never synced with.
    pub fn new() -> Self {
        Self::default()
    }

    /// The state persisted after an earlier session. Only what survives a reconnect is kept (the
    /// heads we last agreed on); everything about messages in flight starts afresh, as Automerge
    /// requires on every new connection.
    pub fn restore(bytes: &[u8]) -> Result<Self, SyncStateError> {
        State::decode(bytes)
            .map(|state| Self { state })
            .map_err(SyncStateError::Decode)
    }

    /// The part of the state worth keeping across connections.
    pub fn persist(&self) -> Vec<u8> {
        self.state.encode()
    }

    /// The heads both sides had when they last agreed: what the peer is known to hold.
    pub fn shared_heads(&self) -> &[automerge::ChangeHash] {
        &self.state.shared_heads
    }

    /// Starts a new connection: forget what was in flight on the last one.
    pub fn reconnect(&mut self) {
        self.state = State::decode(&self.state.encode()).unwrap_or_default();
    }
}

/// A sync message from a peer that passed [`validate_sync_message`].
#[derive(Debug, Clone)]
pub struct SyncMessage(Message);

impl SyncMessage {
    /// How many change chunks the message carries.
    pub fn change_chunks(&self) -> usize {
        self.0.changes.len()
    }
}

/// Why a peer's sync message was refused before Automerge saw it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidSyncMessage {
    /// The bytes are not a sync message.
    #[error("not an Automerge sync message")]
    Decode(#[source] automerge::sync::ReadMessageError),
    /// More heads or haves than any real journal has.
    #[error("the message lists {count} {what}; at most {limit} are accepted")]
    TooMany {
        /// What was counted.
        what: &'static str,
        /// How many the message has.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A Bloom filter with parameters Automerge never writes.
    #[error("the message has a Bloom filter Automerge would never produce")]
    BloomFilter,
    /// The changes or documents it carries were refused.
    #[error("the message carries changes that are refused")]
    Chunks(#[source] ChunkError),
}

/// Why Automerge data from outside (a sync message's changes, a snapshot, stored changes) was
/// refused before Automerge read it.
///
/// Automerge 0.12 inflates compressed data without a limit, and walks and allocates for every
/// operation a change or document declares, however few bytes declare them. Each input is
/// checked first: its compressed parts inflate to at most [`MAX_INFLATED`] bytes; it declares at
/// most [`OPS_PER_BYTE`] operations for each byte it carries, over [`OPS_ALLOWANCE`] and never
/// more than [`MAX_OPS`] (the same for the predecessors, successors and dependencies its
/// operations and changes list); its documents declare at most one change for every
/// [`BYTES_PER_CHANGE`] bytes, over [`CHANGES_ALLOWANCE`] and never more than
/// [`MAX_DOCUMENT_CHANGES`]; and no operation's counter passes [`MAX_OP_COUNTER`]. Real journals
/// stay far inside each.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChunkError {
    /// A change or document that is cut short, of a kind Hearth never exchanges, with
    /// compressed data that does not inflate, or whose changes depend on changes it does not hold.
    #[error("a change or document is malformed")]
    Malformed,
    /// Its compressed parts would inflate to more than the limit.
    #[error("its compressed data would inflate to more than {limit} bytes")]
    Inflates {
        /// The limit ([`MAX_INFLATED`]).
        limit: u64,
    },
    /// It declares more operations than its size allows.
    #[error("it declares {declared} operations; at most {limit} for its size")]
    TooManyOps {
        /// How many it declares.
        declared: u64,
        /// The limit for its size.
        limit: u64,
    },
    /// Its operations and changes list more predecessors, successors and dependencies than its
    /// size allows.
    #[error("it declares {declared} links between operations; at most {limit} for its size")]
    TooManyLinks {
        /// How many it declares.
        declared: u64,
        /// The limit for its size.
        limit: u64,
    },
    /// Its documents declare more changes than its size allows.
    #[error("it declares {declared} changes; at most {limit} for its size")]
    TooManyChanges {
        /// How many it declares.
        declared: u64,
        /// The limit for its size.
        limit: u64,
    },
    /// An operation's counter passes the limit.
    #[error("it numbers an operation {counter}; at most {limit}")]
    OpCounter {
        /// The highest counter it declares.
        counter: u64,
        /// The limit ([`MAX_OP_COUNTER`]).
        limit: u64,
    },
}

impl From<runs::Malformed> for ChunkError {
    fn from(_: runs::Malformed) -> Self {
        ChunkError::Malformed
    }
}

/// Checks a peer's sync message before it reaches Automerge.
pub fn validate_sync_message(bytes: &[u8]) -> Result<SyncMessage, InvalidSyncMessage> {
    let message = Message::decode(bytes).map_err(InvalidSyncMessage::Decode)?;
    for (what, count, limit) in [
        ("heads", message.heads.len(), MAX_HEADS),
        ("haves", message.have.len(), MAX_HAVES),
    ] {
        if count > limit {
            return Err(InvalidSyncMessage::TooMany { what, count, limit });
        }
    }
    for have in &message.have {
        if have.last_sync.len() > MAX_HEADS {
            return Err(InvalidSyncMessage::TooMany {
                what: "last-sync heads",
                count: have.last_sync.len(),
                limit: MAX_HEADS,
            });
        }
        check_bloom(&have.bloom.to_bytes())?;
    }
    check_chunks(message.changes.iter()).map_err(InvalidSyncMessage::Chunks)?;
    Ok(SyncMessage(message))
}

/// A Bloom filter is either empty, or `entries, 10, 7` (LEB128) followed by exactly the bits
/// those entries need.
fn check_bloom(bytes: &[u8]) -> Result<(), InvalidSyncMessage> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut rest = bytes;
    let mut field = || leb128(&mut rest).ok_or(InvalidSyncMessage::BloomFilter);
    let (entries, bits_per_entry, probes) = (field()?, field()?, field()?);
    let expected_bits = (entries * BLOOM_BITS_PER_ENTRY).div_ceil(8);
    if entries == 0
        || entries > u64::from(u32::MAX)
        || bits_per_entry != BLOOM_BITS_PER_ENTRY
        || probes != BLOOM_PROBES
        || rest.len() as u64 != expected_bits
    {
        return Err(InvalidSyncMessage::BloomFilter);
    }
    Ok(())
}

/// Reads an unsigned LEB128 number; `None` if it is cut short or does not fit 64 bits (the tenth
/// byte may only be 0 or 1, as Automerge's decoder requires).
fn leb128(input: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = input.split_first()?;
        *input = rest;
        if shift == 63 && byte > 1 {
            return None;
        }
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Why a sync step failed. The journal is unchanged unless the error is [`SyncError::Panicked`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// Automerge refused what the peer sent.
    #[error("the partner's device sent changes this journal cannot take")]
    Rejected(#[source] automerge::AutomergeError),
    /// Automerge panicked on what the peer sent. The in-memory journal may be inconsistent: reload
    /// it from storage before using it again.
    #[error("the partner's device sent data that broke the sync; the journal will be reloaded")]
    Panicked,
}

/// One change of this replica's own, as the store was given it: the heads it was made on, its
/// hash, and its bytes.
#[derive(Clone, Debug)]
pub(crate) struct Encoded {
    deps: Vec<ChangeHash>,
    hash: ChangeHash,
    bytes: Vec<u8>,
}

impl Encoded {
    /// `bytes`, what was saved after `before`, if they are exactly one change made on `before`
    /// (a local write; several changes, or changes that do not follow from `before`, are not).
    pub(crate) fn of_one_change(
        doc: &mut AutoCommit,
        before: Vec<ChangeHash>,
        bytes: &[u8],
    ) -> Option<Encoded> {
        let [hash] = doc.get_heads()[..] else {
            return None;
        };
        let mut deps = doc.document().get_change_meta_by_hash(&hash)?.deps.to_vec();
        deps.sort();
        let mut before = before;
        before.sort();
        (deps == before && !deps.is_empty()).then(|| Encoded {
            deps,
            hash,
            bytes: bytes.to_vec(),
        })
    }
}

impl Journal {
    /// The next message to send to a peer, if there is anything to say.
    ///
    /// A peer in step (its last message said it holds exactly what this replica held before its
    /// newest change, and asked for nothing) is sent that change as the store was given it:
    /// Automerge would otherwise collect it again from the document, which takes longer the
    /// larger the journal. The rest of the message is Automerge's own, and the protocol goes on
    /// as if Automerge had sent the change: it is the check that nothing was missed.
    pub fn generate_sync_message(
        &mut self,
        peer: &mut PeerSync,
    ) -> Result<Option<Vec<u8>>, SyncError> {
        let forward = self.forwardable(peer);
        if let Some(hash) = forward.as_ref().map(|e| e.hash) {
            // What Automerge does with a change it sends: it counts as sent, so it leaves it out.
            peer.state.sent_hashes.insert(hash);
        }
        let doc = self.automerge_mut();
        let generated = catch_unwind(AssertUnwindSafe(|| {
            doc.sync().generate_sync_message(&mut peer.state)
        }))
        .map_err(|_| SyncError::Panicked)?;
        Ok(match (generated, forward) {
            (Some(mut message), Some(change)) if message.changes.is_empty() => {
                message.changes = ChunkList::from(vec![change.bytes]);
                Some(message.encode())
            }
            (None, Some(change)) => {
                peer.state.sent_hashes.remove(&change.hash);
                None
            }
            (message, _) => message.map(Message::encode),
        })
    }

    /// This replica's newest change, kept as encoded, if `peer` is in step to be sent it alone.
    fn forwardable(&mut self, peer: &PeerSync) -> Option<Encoded> {
        let state = &peer.state;
        let encoded = self.encoded.as_ref()?;
        let mut their_heads = state.their_heads.clone()?;
        their_heads.sort();
        let in_step = their_heads == encoded.deps
            && state.their_need.as_ref().is_some_and(Vec::is_empty)
            && state.their_have.is_some()
            && !state.read_only
            && !state.peer_read_only
            && !state.sent_hashes.contains(&encoded.hash);
        let encoded = encoded.clone();
        (in_step && self.automerge_mut().get_heads() == [encoded.hash]).then_some(encoded)
    }

    /// Whether the peer, by what it last told us, has exactly what we have.
    pub fn in_sync_with(&mut self, peer: &PeerSync) -> bool {
        let mut ours = self.automerge_mut().get_heads();
        ours.sort();
        match &peer.state.their_heads {
            Some(theirs) => {
                let mut theirs = theirs.clone();
                theirs.sort();
                theirs == ours
            }
            None => false,
        }
    }

    /// Applies a validated message from a peer.
    ///
    /// A message that carries the peer's whole document (Automerge sends one when this replica
    /// lacks much of the journal, a new device most of all) is loaded fresh, the fast way
    /// documents load, and this replica's own changes that the document lacks are applied on top;
    /// merging it into the replica change by change would take five times as long. The
    /// document's bytes are kept to be stored as they came: see
    /// [`Journal::take_arrived_document`].
    pub fn receive_sync_message(
        &mut self,
        peer: &mut PeerSync,
        message: SyncMessage,
    ) -> Result<(), SyncError> {
        let message = match self.receive_whole_document(peer, message)? {
            Some(message) => message,
            None => return Ok(()),
        };
        let bytes: Vec<u8> = message.0.changes.iter().flatten().copied().collect();
        let doc = self.automerge_mut();
        let before = doc.get_heads();
        let received = catch_unwind(AssertUnwindSafe(|| {
            // In a live session, without Automerge's walk of the whole history.
            match in_step::receive(doc, &mut peer.state, message.0) {
                Ok(taken) => taken,
                Err(message) => doc.sync().receive_sync_message(&mut peer.state, message),
            }
        }))
        .map_err(|_| SyncError::Panicked)?;
        self.took_changes();
        received.map_err(SyncError::Rejected)?;
        // What arrived is stored as it came, not collected again from the document.
        self.received_as_saved(&before, bytes);
        Ok(())
    }

    /// Takes a message whose only chunk is a whole document by loading the document fresh; the
    /// message is given back untouched if it carries anything else.
    fn receive_whole_document(
        &mut self,
        peer: &mut PeerSync,
        mut message: SyncMessage,
    ) -> Result<Option<SyncMessage>, SyncError> {
        let only_document = {
            let mut chunks = message.0.changes.iter();
            match (chunks.next(), chunks.next()) {
                (Some(only), None) if chunks::is_document(only) => Some(only.to_vec()),
                _ => None,
            }
        };
        let Some(bytes) = only_document else {
            return Ok(Some(message));
        };
        message.0.changes = ChunkList::empty();
        let (mut whole, document_heads) = self.load_whole(&bytes)?;
        // The rest of the message (heads, needs, Bloom filter) as Automerge takes it, against the
        // document that now holds its changes. Taking a message without changes whose heads are
        // ours counts them as sent to the peer; they were not, so that mark is put back.
        let last_sent = peer.state.last_sent_heads.clone();
        let received = catch_unwind(AssertUnwindSafe(|| {
            whole
                .sync()
                .receive_sync_message(&mut peer.state, message.0)
        }))
        .map_err(|_| SyncError::Panicked)?;
        peer.state.last_sent_heads = last_sent;
        received.map_err(SyncError::Rejected)?;
        self.replace_with_arrived(whole, bytes, document_heads);
        Ok(None)
    }

    /// Loads `bytes`, a whole document, fresh, with the changes this replica holds that it lacks
    /// applied on top (none, for a new device); returns it and the document's own heads. Loading
    /// a document fresh takes a fifth of the time of merging it into a replica change by change.
    /// The replica is untouched unless Automerge panics ([`SyncError::Panicked`]).
    pub(crate) fn load_whole(
        &mut self,
        bytes: &[u8],
    ) -> Result<(AutoCommit, Vec<automerge::ChangeHash>), SyncError> {
        let actor = self.automerge_mut().get_actor().clone();
        let ours = self.automerge_mut();
        let loaded = catch_unwind(AssertUnwindSafe(|| {
            let mut whole = AutoCommit::load(bytes)?.with_actor(actor);
            let document_heads = whole.get_heads();
            let beyond = whole.get_changes_added(ours);
            if !beyond.is_empty() {
                whole.apply_changes(beyond)?;
            }
            Ok::<_, automerge::AutomergeError>((whole, document_heads))
        }))
        .map_err(|_| SyncError::Panicked)?;
        loaded.map_err(SyncError::Rejected)
    }
}
