//! The journal document: creating it, loading it, and every change a person makes to it.

use automerge::{
    ActorId, AutoCommit, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, ScalarValue,
    transaction::Transactable,
};

use std::sync::Arc;

use hearth_crypto::AnswerKey;

use crate::answers::{self, AnswerKeys};
use crate::entry;
use crate::kinds::Look;
use crate::map_fields::MapFields;
use crate::schema::{self, JournalInfo, Member, map_at, text_at};
use crate::sync::{ChunkError, check_chunks};
use crate::warning::SchemaWarning;
use crate::{
    Content, DeviceRef, Entry, EntryId, EntryKind, JournalId, LocalDate, MemberId, Mood, Turn,
    UnixMs,
};

/// The longest text one field may hold, in characters: long enough for any letter, short enough
/// that one entry never dominates a sync.
pub const MAX_TEXT_CHARS: usize = 100_000;

/// Who makes a change, from where, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// The member making the change.
    pub member: MemberId,
    /// The device it is made on.
    pub device: DeviceRef,
    /// The device's clock.
    pub now_ms: UnixMs,
}

/// A change to the text of an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Replace the body (the why of a check-in) with this text; unchanged parts keep their
    /// identity, so a partner's concurrent edit elsewhere in the text is kept.
    Body(String),
    /// Replace one line of a gratitude entry.
    Line {
        /// Which line, from 0.
        index: usize,
        /// Its new text.
        text: String,
    },
    /// Change a check-in's rating.
    Mood(Mood),
}

/// Why a change to the journal could not be made. Nothing was changed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The journal's structure has not arrived from the partner yet.
    #[error("the journal has not been received from your partner yet")]
    NotReady,
    /// No entry has this id.
    #[error("no entry {id}")]
    UnknownEntry {
        /// The id asked for.
        id: EntryId,
    },
    /// The entry was deleted.
    #[error("entry {id} was deleted")]
    Deleted {
        /// The entry's id.
        id: EntryId,
    },
    /// An entry with this id exists already.
    #[error("an entry {id} exists already")]
    Exists {
        /// The id.
        id: EntryId,
    },
    /// Only the person who wrote an entry or a comment changes or deletes it; the partner
    /// comments and reacts.
    #[error("your partner wrote {id}; only they can change or delete it")]
    NotYours {
        /// The entry's or comment's id.
        id: EntryId,
    },
    /// The change does not apply to this kind of entry.
    #[error("a {kind} entry cannot take that change")]
    WrongKind {
        /// The entry's kind.
        kind: EntryKind,
    },
    /// A gratitude line that does not exist.
    #[error("there is no line {index}")]
    NoSuchLine {
        /// The line asked for.
        index: usize,
    },
    /// The entry has nothing in it.
    #[error("there is nothing to save: the entry is empty")]
    Empty,
    /// An entry has no such version.
    #[error("there is no version {number}; the entry has {versions}")]
    NoSuchVersion {
        /// The version asked for.
        number: usize,
        /// How many there are.
        versions: usize,
    },
    /// Not a time zone name.
    #[error("{name:?} is not a time zone name")]
    BadZone {
        /// The name given.
        name: String,
    },
    /// Today's question has an answer already, so it is not skipped.
    #[error("today's question has an answer already; it is kept rather than skipped")]
    Answered,
    /// Start small is a setting, not a ritual with a schedule.
    #[error("{} has no schedule to set", ritual.title())]
    NotScheduled {
        /// The ritual named.
        ritual: crate::deck::Ritual,
    },
    /// A ritual kept on no day.
    #[error("name at least one day, or switch the ritual off")]
    NoDays,
    /// No change to this ritual waits.
    #[error("no change to {} is waiting", ritual.title().to_lowercase())]
    NoProposal {
        /// The ritual named.
        ritual: crate::deck::Ritual,
    },
    /// One's own proposal waits for the partner; they accept it, or it is withdrawn.
    #[error("the change to {} is yours; it waits for your partner (decline withdraws it)", ritual.title().to_lowercase())]
    OwnProposal {
        /// The ritual named.
        ritual: crate::deck::Ritual,
    },
    /// The couple keeps no date night.
    #[error("date night is switched off; switch it on in your rituals first")]
    NoDateNight,
    /// No date night has been yet to write about.
    #[error("there has been no date night in the last week to write about")]
    NoDateNightYet,
    /// This kind is written for the partner, so never into the private journal.
    #[error("a {kind} is for your partner: it cannot be private")]
    SharedOnly {
        /// The kind.
        kind: EntryKind,
    },
    /// A letter for later must open later than now.
    #[error("a letter for later opens later: choose a moment after now")]
    OpensNow,
    /// A date night note is longer than its limit.
    #[error("that is too long for a note ({chars} characters; at most {most})")]
    NoteTooLong {
        /// Its length in characters.
        chars: usize,
        /// The most a note of this kind holds.
        most: usize,
    },
    /// The operating system gave no randomness to seal an answer with.
    #[error("no randomness to seal the answer with")]
    Randomness,
    /// A sealed answer whose key this device does not hold (it was written on another device).
    #[error("answer {id} was sealed on another device; change it there")]
    NoAnswerKey {
        /// The answer's id.
        id: EntryId,
    },
    /// A text is longer than [`MAX_TEXT_CHARS`].
    #[error("the text is too long ({chars} characters; at most {MAX_TEXT_CHARS})")]
    TooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// The entry as stored does not fit the schema, so it cannot be changed safely.
    #[error("entry cannot be changed")]
    Malformed(#[source] SchemaWarning),
    /// Automerge refused the operation.
    #[error("the journal document refused the change")]
    Document(#[source] automerge::AutomergeError),
}

impl From<automerge::AutomergeError> for WriteError {
    fn from(e: automerge::AutomergeError) -> Self {
        WriteError::Document(e)
    }
}

/// Why bytes could not be loaded as a journal.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// They were refused before Automerge read them: malformed, or declaring more work than
    /// their size allows.
    #[error("the bytes were refused before reading them as a journal")]
    Refused(#[source] ChunkError),
    /// They are not an Automerge document.
    #[error("the bytes are not a journal document")]
    Document(#[source] automerge::AutomergeError),
}

/// Why two journals could not be merged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// The two were created independently: merging them would hide one side's entries.
    #[error("these are two different journals; they cannot be merged")]
    DifferentJournals,
    /// Automerge refused the merge.
    #[error("the journal document refused the merge")]
    Document(#[source] automerge::AutomergeError),
}

/// A whole journal document that arrived from a peer, as [`Journal::take_arrived_document`]
/// gives it to be stored.
#[derive(Debug)]
pub struct ArrivedDocument {
    /// The document's bytes, as the peer sent them: a snapshot of everything but `after`.
    pub document: Vec<u8>,
    /// The changes this replica held beyond the document (saved changes, possibly none).
    pub after: Vec<u8>,
}

/// A journal: the Automerge document every replica of it shares, and the typed operations on it.
///
/// The structure (header, members map, entries map) is created once, by [`Journal::create`] on
/// the device that starts the journal. Every other replica starts from [`Journal::replica`]
/// (empty) and receives that structure by sync, or from [`Journal::load`]. Two journals created
/// independently never merge: Automerge would keep their two `entries` maps as a conflict and
/// show only one of them.
pub struct Journal {
    doc: AutoCommit,
    /// The heads when the journal was last saved: what [`Journal::save_incremental`] leaves out.
    /// Kept here rather than left to Automerge, whose own cursor can only be moved by encoding
    /// the whole document.
    saved: Vec<ChangeHash>,
    /// A whole document that arrived and replaced this replica (see
    /// [`Journal::take_arrived_document`]), until it is saved: the bytes as they came, which
    /// storage can keep as they are instead of encoding the document again.
    arrived: Option<Vec<u8>>,
    /// Changes a peer sent that are everything this replica gained since it was last saved, as
    /// they came, with the heads they brought it to: the next incremental save is these bytes,
    /// not the same changes collected again from the document.
    received: Option<(Vec<u8>, Vec<ChangeHash>)>,
    /// The one change of this replica's own that the last incremental save encoded, as it was
    /// encoded: a peer that is in step is sent these bytes rather than the change collected
    /// again from the document (see [`Journal::generate_sync_message`]).
    pub(crate) encoded: Option<crate::sync::Encoded>,
    /// The last count of the entries, carried across the changes that leave them alone (see
    /// [`crate::counted`]).
    pub(crate) counted: Option<crate::counted::Counted>,
    /// The state of the document (see [`crate::kinds::mark`]) when it was last saved, if it has
    /// not changed since in a way the mark misses.
    saved_mark: Option<crate::kinds::Mark>,
    /// Which entries are of which kind, carried across saved changes (see [`crate::kinds`]).
    pub(crate) kinds: std::sync::Mutex<Option<crate::kinds::Kinds>>,
    /// Entries known not to be letters, which [`Journal::take_letter_keys`] does not read again.
    pub(crate) not_letters: std::collections::HashSet<String>,
    /// The keys of this device's own sealed answers (see [`Journal::keep_answer_key`]).
    answer_keys: AnswerKeys,
    /// What removed devices wrote after their removal, undone for reading.
    late: crate::late::LateWrites,
    /// The message of the change being made (which entry it writes; see [`crate::history`]).
    label: Option<String>,
    /// The answers written here since [`Journal::take_answers_written`] was last asked.
    answers_written: Vec<EntryId>,
}

/// A copy of a journal's document, to be saved whole elsewhere (see [`Journal::freeze`]).
pub struct Frozen(AutoCommit);

impl Frozen {
    /// The whole document as it was when copied, compacted: what [`Journal::save`] would have
    /// returned then.
    pub fn save(mut self) -> Vec<u8> {
        self.0.save()
    }
}

impl std::fmt::Debug for Frozen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frozen").finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").finish_non_exhaustive()
    }
}

impl Journal {
    /// Starts a new journal with its founder as the only member.
    ///
    /// `actor` identifies this replica's changes; give each opened replica fresh random bytes.
    pub fn create(
        id: &JournalId,
        founder: &Member,
        start_day: LocalDate,
        now_ms: UnixMs,
        actor: [u8; 16],
    ) -> Result<Journal, WriteError> {
        let mut doc = AutoCommit::new().with_actor(ActorId::from(actor));
        doc.put(
            ROOT,
            schema::SCHEMA,
            ScalarValue::Uint(schema::SCHEMA_VERSION),
        )?;
        doc.put(ROOT, schema::JOURNAL_ID, id.as_str())?;
        doc.put(ROOT, schema::START_DAY, start_day.to_string())?;
        doc.put(ROOT, schema::CREATED_MS, now_ms.as_millis())?;
        doc.put_object(ROOT, schema::MEMBERS, ObjType::Map)?;
        doc.put_object(ROOT, schema::ENTRIES, ObjType::Map)?;
        let mut journal = Journal::of(doc);
        journal.put_member(founder)?;
        Ok(journal)
    }

    /// An empty replica that will receive a journal's structure and entries by sync.
    pub fn replica(actor: [u8; 16]) -> Journal {
        Journal::of(AutoCommit::new().with_actor(ActorId::from(actor)))
    }

    fn of(doc: AutoCommit) -> Journal {
        Journal {
            doc,
            saved: Vec::new(),
            arrived: None,
            received: None,
            encoded: None,
            counted: None,
            saved_mark: None,
            kinds: Default::default(),
            not_letters: Default::default(),
            answer_keys: AnswerKeys::default(),
            late: Default::default(),
            label: None,
            answers_written: Vec::new(),
        }
    }

    /// Loads a saved journal (a snapshot, changes, or both concatenated). The bytes are checked
    /// first, as a peer's sync message is (see [`ChunkError`]).
    pub fn load(bytes: &[u8], actor: [u8; 16]) -> Result<Journal, LoadError> {
        check_chunks([bytes]).map_err(LoadError::Refused)?;
        let doc = AutoCommit::load(bytes).map_err(LoadError::Document)?;
        let mut journal = Journal::of(doc.with_actor(ActorId::from(actor)));
        journal.took_changes();
        Ok(journal)
    }

    /// Adds saved changes to this replica (as read back from storage after a snapshot). The bytes
    /// are checked first, as for [`Journal::load`].
    pub fn load_incremental(&mut self, bytes: &[u8]) -> Result<(), LoadError> {
        self.load_chunks([bytes])
    }

    /// Adds every chunk of saved changes in `chunks` to this replica, as [`Journal::load_incremental`]
    /// of each in turn would, but in one step: each chunk is checked on its own, and Automerge
    /// takes them all as one batch. Automerge's every batch costs a copy of its index of objects
    /// and, for a change that adds an entry, a walk along every entry before it; taken one by one,
    /// the changes a store holds after its snapshot would pay those once each.
    pub fn load_chunks<'a>(
        &mut self,
        chunks: impl IntoIterator<Item = &'a [u8]>,
    ) -> Result<(), LoadError> {
        let chunks: Vec<&[u8]> = chunks.into_iter().collect();
        for chunk in &chunks {
            check_chunks([*chunk]).map_err(LoadError::Refused)?;
        }
        // One chunk is taken as it is; several are put end to end, as Automerge reads them.
        let all = match chunks.as_slice() {
            [] => return Ok(()),
            [one] => std::borrow::Cow::Borrowed(*one),
            many => std::borrow::Cow::Owned(many.concat()),
        };
        let loaded = self.doc.load_incremental(&all);
        self.took_changes();
        loaded.map_err(LoadError::Document)?;
        Ok(())
    }

    /// A copy of the document as it stands, to be saved whole away from the journal (on another
    /// thread) while the journal goes on taking changes: see [`Frozen::save`]. Copying
    /// Automerge's columns takes a small part of the time encoding them takes. The journal's
    /// record of what it last saved is left as it is.
    pub fn freeze(&mut self) -> Frozen {
        // A change still being made is finished first, as a save would: the copy must not hold
        // one of its own under this replica's actor.
        let _ = self.doc.document();
        Frozen(self.doc.clone())
    }

    /// The whole document, compacted.
    pub fn save(&mut self) -> Vec<u8> {
        let bytes = self.doc.save();
        self.saved = self.doc.get_heads();
        self.saved_mark = Some(crate::kinds::mark(&self.doc));
        self.arrived = None;
        self.received = None;
        bytes
    }

    /// The changes made or received since the last `save`, `save_incremental` or `mark_saved`.
    /// After a whole document arrived (see [`Journal::take_arrived_document`]), that document
    /// followed by what this replica held beyond it.
    pub fn save_incremental(&mut self) -> Vec<u8> {
        self.save_incremental_then(|_| {})
    }

    /// As [`Journal::save_incremental`], running `meanwhile` once the changes are saved (if
    /// there are any) and before what is kept for reading (the count of entries, the index of
    /// kinds) is carried across them: sending a change to the partner's devices waits for
    /// nothing it does not need. `meanwhile` must not change the document.
    pub fn save_incremental_then(&mut self, meanwhile: impl FnOnce(&mut Journal)) -> Vec<u8> {
        let received = self.received.take();
        if self.arrived.is_none()
            && let Some((bytes, heads)) = received
            && heads == self.doc.get_heads()
        {
            let before = std::mem::replace(&mut self.saved, heads);
            self.encoded = None;
            meanwhile(self);
            self.carry_reads(&before, &bytes);
            return bytes;
        }
        let arrived = self.arrived.take();
        let whole = arrived.is_some();
        let mut bytes = arrived.unwrap_or_default();
        bytes.extend(self.doc.save_after(&self.saved));
        if !bytes.is_empty() {
            let before = std::mem::replace(&mut self.saved, self.doc.get_heads());
            self.encoded = match whole {
                true => None,
                false => crate::sync::Encoded::of_one_change(&mut self.doc, before.clone(), &bytes),
            };
            meanwhile(self);
            if whole {
                self.saved_mark = Some(crate::kinds::mark(&self.doc));
            } else {
                self.carry_reads(&before, &bytes);
            }
        }
        bytes
    }

    /// A whole document that a peer sent, which replaced this replica, if one arrived since the
    /// journal was last saved: the document's bytes as they came, and the changes this replica
    /// held that the document lacks (empty for a new device). Together they are the journal; a
    /// store can keep them in place of everything it held, and everything counts as saved.
    pub fn take_arrived_document(&mut self) -> Option<ArrivedDocument> {
        let document = self.arrived.take()?;
        self.received = None;
        let after = self.doc.save_after(&self.saved);
        self.saved = self.doc.get_heads();
        self.saved_mark = Some(crate::kinds::mark(&self.doc));
        Some(ArrivedDocument { document, after })
    }

    /// Counts everything the journal holds now as saved, without encoding any of it: the next
    /// `save_incremental` returns only what changes after this. For a journal just loaded from
    /// the bytes it was stored as.
    pub fn mark_saved(&mut self) {
        self.saved = self.doc.get_heads();
        self.saved_mark = Some(crate::kinds::mark(&self.doc));
        self.arrived = None;
        self.received = None;
    }

    /// Notes that `bytes`, changes a peer sent, took this replica from the heads it was last
    /// saved at to `heads` (see [`Journal::save_incremental`]).
    pub(crate) fn received_as_saved(&mut self, before: &[ChangeHash], bytes: Vec<u8>) {
        let heads = self.doc.get_heads();
        self.received = (self.saved == before && self.arrived.is_none() && heads != before)
            .then_some((bytes, heads));
    }

    /// Replaces this replica's document with `whole`, a document that arrived in full and holds
    /// what `doc` now holds (the caller applied this replica's own changes on top). `bytes` are
    /// the document as it came; see [`Journal::take_arrived_document`].
    pub(crate) fn replace_with_arrived(
        &mut self,
        whole: AutoCommit,
        bytes: Vec<u8>,
        document_heads: Vec<ChangeHash>,
    ) {
        self.doc = whole;
        self.saved = document_heads;
        // What this replica held beyond the document is not saved yet.
        self.saved_mark = None;
        self.arrived = Some(bytes);
        self.took_changes();
    }

    /// Makes a change all or nothing: if `change` fails, everything it did is rolled back, so
    /// nothing of a refused change stays behind to be saved with the next one. On success the
    /// change is committed as one Automerge change.
    pub fn transact<T, E>(
        &mut self,
        change: impl FnOnce(&mut Journal) -> Result<T, E>,
    ) -> Result<T, E> {
        self.label = None;
        let result = change(self);
        match (&result, self.label.take()) {
            (Ok(_), Some(label)) => {
                self.doc.commit_with(
                    automerge::transaction::CommitOptions::default().with_message(label),
                );
                self.took_changes();
            }
            (Ok(_), None) => {
                self.doc.commit();
                self.took_changes();
            }
            (Err(_), _) => {
                self.doc.rollback();
            }
        }
        result
    }

    /// The underlying Automerge document, for the sync protocol.
    pub fn automerge(&self) -> &AutoCommit {
        &self.doc
    }

    /// Works out again what removed devices wrote after their removal, once changes came in.
    /// Every way into this journal calls it; a caller that changes the document through
    /// [`Journal::automerge_mut`] calls it after.
    pub fn took_changes(&mut self) {
        let removals = crate::epochs::removal_heads(self);
        self.late.refresh(&mut self.doc, removals);
    }

    /// Names the entry the change being made writes, in the change's message (see
    /// [`crate::history`]).
    pub(crate) fn set_label(&mut self, label: String) {
        self.label = Some(label);
    }

    /// The changes removed devices made after their removal (see [`crate::late`]).
    pub(crate) fn late_changes(&self) -> &[ChangeHash] {
        self.late.late()
    }

    /// The document that entries and members are read from: this journal with what removed
    /// devices wrote after their removal undone (see [`crate::late`]).
    pub(crate) fn reading(&self) -> &AutoCommit {
        self.late.view(&self.doc)
    }

    /// The underlying Automerge document, for the sync protocol.
    pub fn automerge_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    /// How many entries the journal holds, deleted ones included (entries are never taken out
    /// of the document, so a new one always changes this). Counted again only when a change
    /// since the last count may have altered it (see [`crate::counted`]).
    pub fn entry_count(&mut self) -> usize {
        let heads = self.doc.get_heads();
        if let Some(counted) = &self.counted
            && counted.heads == heads
        {
            return counted.entries;
        }
        let entries = self
            .entries_obj()
            .map_or(0, |entries| self.automerge().length(&entries));
        self.counted = Some(crate::counted::Counted { heads, entries });
        entries
    }

    /// Carries what is kept for reading (the count of entries, the index of kinds) across
    /// `bytes`, the changes from `before` to the heads just saved, as far as they allow.
    fn carry_reads(&mut self, before: &[ChangeHash], bytes: &[u8]) {
        let Some(entries) = self.entries_obj() else {
            return;
        };
        let touched = crate::counted::touched(bytes, &entries);
        if let (Some(counted), Some(touched)) = (self.counted.as_mut(), &touched) {
            counted.carry(before, &self.saved, touched);
        }
        let saved = &self.saved;
        let kinds = self
            .kinds
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let carried = match (kinds.as_mut(), &touched) {
            (Some(k), Some(touched)) => k.carry(&self.doc, &entries, before, saved, touched),
            _ => false,
        };
        if !carried {
            *kinds = None;
        }
        self.saved_mark = Some(crate::kinds::mark(&self.doc));
    }

    /// The keys and objects of the entries stored as `kind`, from the index (built if it is missing or
    /// describes another state of the document). `None` while some of what removed devices
    /// wrote is undone for reading: the document read then is not the one indexed.
    fn keys_of_kind(&self, kind: EntryKind) -> Option<Vec<(String, ObjId)>> {
        if !self.late.late().is_empty() {
            return None;
        }
        let entries = self.entries_obj()?;
        let mut kinds = self
            .kinds
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = crate::kinds::mark(&self.doc);
        if kinds.as_ref().is_none_or(|k| k.mark != now) {
            let heads = (self.saved_mark == Some(now)).then(|| self.saved.clone());
            *kinds = Some(crate::kinds::Kinds::build(&self.doc, &entries, heads));
        }
        Some(kinds.as_mut()?.of_kind(&self.doc, &entries, kind.as_str()))
    }

    /// Whether the journal's structure is here (false for a replica still waiting for it).
    pub fn is_ready(&self) -> bool {
        self.entries_obj().is_some()
    }

    /// The header and members, with anything skipped reported. `Ok(None)` while not ready.
    pub fn info(&self) -> Result<Option<JournalInfo>, SchemaWarning> {
        schema::read_info(self.reading(), &mut Vec::new())
    }

    /// Merges another replica of the same journal into this one.
    pub fn merge(&mut self, other: &mut Journal) -> Result<(), MergeError> {
        if self.is_ready() && other.is_ready() && self.entries_obj() != other.entries_obj() {
            return Err(MergeError::DifferentJournals);
        }
        let merged = self.doc.merge(&mut other.doc);
        self.took_changes();
        merged.map_err(MergeError::Document)?;
        Ok(())
    }

    /// The journal as `reader` sees it now, as a fresh Automerge document without history: the
    /// members and every live entry with its live comments, as they read today. Deleted entries
    /// and comments, earlier versions of edited text, and the partner's answers `reader` has not
    /// opened are not in it (the document's own history, which [`Journal::save`] carries,
    /// holds them all). It loads with [`Journal::load`] and reads as this journal does; it is a
    /// copy to keep, not a replica to merge with.
    pub fn fresh_copy(&self, reader: &MemberId) -> Result<Vec<u8>, WriteError> {
        let closed: Vec<String> = self
            .scan_as(reader)
            .entries
            .into_iter()
            .filter(|e| {
                matches!(
                    e.content,
                    Content::HiddenAnswer { .. } | Content::SealedLetter { .. }
                )
            })
            .map(|e| e.id.as_str().to_owned())
            .collect();
        let entries = self.entries_obj();
        let doc = self.reading();
        let removals = self.late.removals();
        let leave_out = |parent: &ObjId, key: &str, child: &ObjId| {
            let deleted = matches!(
                doc.get(child, schema::DELETED),
                Ok(Some((automerge::Value::Scalar(v), _))) if v.as_ref() == &ScalarValue::Boolean(true)
            );
            deleted
                || (Some(parent) == entries.as_ref() && closed.iter().any(|c| c == key))
                || crate::epochs::written_after_removal(doc, parent, key, removals)
        };
        let mut copy = AutoCommit::new();
        copy_object(doc, &ROOT, &mut copy, &ROOT, &leave_out)?;
        // The reader's own sealed answers go into the copy with their keys, so the copy reads
        // them as the reader does.
        if let Some(copied) = map_at(&copy, &ROOT, schema::ENTRIES) {
            for (id, key) in &self.answer_keys {
                if let Some(obj) = map_at(&copy, &copied, id.as_str())
                    && answers::bytes_at(&copy, &obj, schema::SEALED).is_some()
                {
                    copy.put(
                        &obj,
                        schema::ANSWER_KEY,
                        ScalarValue::Bytes(key.expose().to_vec()),
                    )?;
                }
            }
        }
        Ok(copy.save())
    }

    /// Keeps the key of one of this device's own answers, so the answer is written sealed under
    /// it ([`Journal::write`] of a [`Content::Answer`] with that id) and read here. Without one,
    /// `write` makes a fresh key and keeps it: either way the caller keeps the key durably (in
    /// the device's store, see [`Journal::answer_key`]) before the change is acknowledged, or the
    /// answer can never be read.
    pub fn keep_answer_key(&mut self, id: EntryId, key: AnswerKey) {
        self.answer_keys.insert(id, key);
    }

    /// The key of one of this device's own answers, if this device holds it.
    pub fn answer_key(&self, id: &EntryId) -> Option<&AnswerKey> {
        self.answer_keys.get(id)
    }

    /// Every key of this device's own answers that it holds.
    pub fn answer_keys(&self) -> &AnswerKeys {
        &self.answer_keys
    }

    /// Keeps every key of this device's own answers (as read back from the device's store).
    pub fn keep_answer_keys(&mut self, keys: AnswerKeys) {
        self.answer_keys.extend(keys);
    }

    /// Publishes the key of each of `me`'s sealed answers that this device holds, whose question
    /// the partner has answered too (an answer of another member to the same question, dated a
    /// day either side, not deleted): from then on both read both answers. Returns the answers
    /// opened. Run it after every change that may bring the partner's answer.
    pub fn open_answers(&mut self, me: &MemberId) -> Result<Vec<EntryId>, WriteError> {
        let waiting = self.sealed_answers_waiting();
        self.open_answers_among(me, waiting)
    }

    /// The answers this device wrote since this was last asked (answers whose keys it made): after
    /// a person's own write, only those can open (see [`Journal::open_answers_among`]), since
    /// nothing the partner wrote changed.
    pub fn take_answers_written(&mut self) -> Vec<EntryId> {
        std::mem::take(&mut self.answers_written)
    }

    /// As [`Journal::open_answers`], looking only at `ids` among `me`'s sealed answers.
    pub fn open_answers_among(
        &mut self,
        me: &MemberId,
        ids: Vec<EntryId>,
    ) -> Result<Vec<EntryId>, WriteError> {
        let mut waiting = ids;
        waiting.retain(|id| self.answer_waits(id));
        if waiting.is_empty() {
            return Ok(Vec::new());
        }
        let entries = self.entries_obj().ok_or(WriteError::NotReady)?;
        let mut opened = Vec::new();
        for id in waiting {
            let Some(mine) = self.entry(&id).map_err(WriteError::Malformed)? else {
                continue;
            };
            if mine.author != *me || mine.deleted {
                continue;
            }
            let Some((question, day)) = mine.content.question() else {
                continue;
            };
            if self.answered_by_another(&entries, me, question, day) {
                self.publish_answer_key(&id)?;
                opened.push(id);
            }
        }
        Ok(opened)
    }

    /// Whether a member other than `me` has answered `question` asked on `day` (a day either
    /// side), in an answer not deleted. An answer is written on its question's day, so only the
    /// entries made within a few days of it are read (entry ids sort by creation time): this runs
    /// after every change received while one of `me`'s answers waits, and must not read the
    /// whole journal each time.
    fn answered_by_another(
        &self,
        entries: &ObjId,
        me: &MemberId,
        question: &str,
        day: LocalDate,
    ) -> bool {
        const WINDOW_DAYS: i64 = 3;
        const DAY_MS: i64 = 86_400_000;
        let bound = |days: i64, fill: u8| {
            let ms = (day.days_since_epoch() + days)
                .saturating_mul(DAY_MS)
                .max(0);
            EntryId::new(UnixMs::from_millis(ms), [fill; 9])
                .as_str()
                .to_owned()
        };
        let window = bound(-WINDOW_DAYS, 0)..=bound(WINDOW_DAYS, u8::MAX);
        let doc = self.reading();
        // Only another member's answer to the same question can be one: its kind, question and
        // author say so, and only then is the entry read whole.
        let may_be = |key: &str| {
            map_at(doc, entries, key).is_some_and(|obj| {
                let field = |name| schema::str_at(doc, &obj, name);
                field(schema::KIND).as_deref() == Some(EntryKind::Answer.as_str())
                    && field(schema::QUESTION).as_deref() == Some(question)
                    && field(schema::AUTHOR).as_deref() != Some(me.as_str())
            })
        };
        doc.map_range(entries, window).any(|item| {
            may_be(&item.key)
                && schema::read_entry(doc, entries, &item.key, &self.answer_keys, &mut Vec::new())
                    .is_ok_and(|e| {
                        !e.deleted
                            && e.content.question().is_some_and(|(_, d)| {
                                (d.days_since_epoch() - day.days_since_epoch()).abs() <= 1
                            })
                    })
        })
    }

    /// Whether any of this device's own sealed answers is still unpublished: only then may
    /// [`Journal::open_answers`] have anything to do.
    pub fn answers_waiting(&self) -> bool {
        !self.sealed_answers_waiting().is_empty()
    }

    fn sealed_answers_waiting(&self) -> Vec<EntryId> {
        self.answer_keys
            .keys()
            .filter(|id| self.answer_waits(id))
            .cloned()
            .collect()
    }

    /// Whether `id` is one of this device's sealed answers whose key is not published yet.
    fn answer_waits(&self, id: &EntryId) -> bool {
        self.answer_keys.contains_key(id)
            && self.entries_obj().is_some_and(|entries| {
                map_at(self.reading(), &entries, id.as_str()).is_some_and(|obj| {
                    answers::bytes_at(self.reading(), &obj, schema::SEALED).is_some()
                        && answers::published_key(self.reading(), &obj).is_none()
                })
            })
    }

    /// Opens one of this device's own sealed answers to the partner now, whether or not they
    /// have answered (for a question the couple skipped, say); or one of its letters before its
    /// moment.
    pub fn open_answer(&mut self, id: &EntryId, stamp: &Stamp) -> Result<(), WriteError> {
        let (_, entry) = self.own_entry(id, stamp)?;
        if !matches!(entry.kind(), EntryKind::Answer | EntryKind::Letter) {
            return Err(WriteError::WrongKind { kind: entry.kind() });
        }
        if entry.sealing != crate::Sealing::Sealed {
            return Ok(());
        }
        self.publish_answer_key(id)
    }

    /// The key this device holds for its own sealed entry `id`, made now if it has none.
    pub(crate) fn own_key(&mut self, id: &EntryId) -> Result<AnswerKey, WriteError> {
        match self.answer_keys.get(id) {
            Some(key) => Ok(key.clone()),
            None => {
                let key = answers::fresh_key()?;
                self.answer_keys.insert(id.clone(), key.clone());
                Ok(key)
            }
        }
    }

    pub(crate) fn publish_answer_key(&mut self, id: &EntryId) -> Result<(), WriteError> {
        let key = self
            .answer_keys
            .get(id)
            .ok_or_else(|| WriteError::NoAnswerKey { id: id.clone() })?
            .expose()
            .to_vec();
        let entries = self.entries_obj().ok_or(WriteError::NotReady)?;
        let obj = map_at(&self.doc, &entries, id.as_str())
            .ok_or_else(|| WriteError::UnknownEntry { id: id.clone() })?;
        if answers::published_key(&self.doc, &obj).is_none() {
            self.doc
                .put(&obj, schema::ANSWER_KEY, ScalarValue::Bytes(key))?;
        }
        Ok(())
    }

    /// A copy of this replica with its own actor, as a second device would hold it.
    pub fn fork(&mut self, actor: [u8; 16]) -> Journal {
        let mut fork = Journal::of(self.doc.fork().with_actor(ActorId::from(actor)));
        fork.took_changes();
        fork
    }

    /// Adds a member, or renames one.
    pub fn put_member(&mut self, member: &Member) -> Result<(), WriteError> {
        let members = map_at(&self.doc, &ROOT, schema::MEMBERS).ok_or(WriteError::NotReady)?;
        let obj = match map_at(&self.doc, &members, member.id.as_str()) {
            Some(obj) => obj,
            None => {
                let obj = self
                    .doc
                    .put_object(&members, member.id.as_str(), ObjType::Map)?;
                self.doc
                    .put(&obj, schema::JOINED_MS, member.joined_ms.as_millis())?;
                obj
            }
        };
        self.doc.put(&obj, schema::NAME, member.name.as_str())?;
        Ok(())
    }

    /// Writes a new entry.
    pub fn write(
        &mut self,
        id: &EntryId,
        stamp: &Stamp,
        content: &Content,
    ) -> Result<(), WriteError> {
        check_content(content)?;
        let entries = self.entries_obj().ok_or(WriteError::NotReady)?;
        if self.doc.get(&entries, id.as_str())?.is_some() {
            return Err(WriteError::Exists { id: id.clone() });
        }
        let obj = self.doc.put_object(&entries, id.as_str(), ObjType::Map)?;
        self.label = Some(crate::history::label("write", id));
        let doc = &mut self.doc;
        doc.put(&obj, schema::KIND, content.kind().as_str())?;
        doc.put(&obj, schema::AUTHOR, stamp.member.as_str())?;
        doc.put(&obj, schema::DEVICE, stamp.device.as_str())?;
        doc.put(&obj, schema::CREATED_MS, stamp.now_ms.as_millis())?;
        doc.put(&obj, schema::EDITED_MS, stamp.now_ms.as_millis())?;
        match content {
            Content::Journal { body } => put_text(doc, &obj, schema::BODY, body)?,
            Content::CheckIn { mood, why } => {
                doc.put(&obj, schema::MOOD, i64::from(*mood))?;
                put_text(doc, &obj, schema::BODY, why)?;
            }
            Content::Gratitude { to, .. } => {
                put_to(doc, &obj, to.as_ref())?;
                put_lines(doc, &obj, &content.texts())?;
            }
            Content::Debrief { .. } => put_lines(doc, &obj, &content.texts())?,
            Content::Appreciation { to, body } => {
                put_to(doc, &obj, to.as_ref())?;
                put_text(doc, &obj, schema::BODY, body)?;
            }
            Content::Answer {
                question,
                day,
                body,
            } => {
                let key = match self.answer_keys.get(id) {
                    Some(key) => key.clone(),
                    None => {
                        let key = answers::fresh_key()?;
                        self.answer_keys.insert(id.clone(), key.clone());
                        self.answers_written.push(id.clone());
                        key
                    }
                };
                let sealed = answers::seal(&key, id, body);
                doc.put(&obj, schema::QUESTION, question.as_str())?;
                doc.put(&obj, schema::DAY, day.to_string())?;
                put_text(doc, &obj, schema::BODY, answers::SEALED_NOTICE)?;
                doc.put(&obj, schema::SEALED, ScalarValue::Bytes(sealed))?;
            }
            Content::HiddenAnswer { .. } | Content::SealedLetter { .. } => {
                return Err(WriteError::Empty);
            }
            Content::Letter { opens_at, body } => {
                if *opens_at <= stamp.now_ms {
                    return Err(WriteError::OpensNow);
                }
                self.put_letter(&obj, id, &stamp.member, *opens_at, body)?;
            }
            Content::Bid {
                to,
                bid,
                body,
                response,
            } => {
                put_to(doc, &obj, to.as_ref())?;
                doc.put(&obj, schema::BID, bid.as_str())?;
                put_text(doc, &obj, schema::BODY, body)?;
                if let Some(r) = response {
                    put_response(doc, &obj, r.turn, &stamp.member, r.at_ms.as_millis())?;
                }
            }
        }
        Ok(())
    }

    /// Edits an entry's text or rating. Either partner may edit; concurrent edits merge.
    pub fn edit(&mut self, id: &EntryId, stamp: &Stamp, edit: &Edit) -> Result<(), WriteError> {
        let (obj, entry) = self.own_entry(id, stamp)?;
        self.label = Some(crate::history::label("edit", id));
        match (edit, &entry.content) {
            (Edit::Body(_), Content::Gratitude { .. } | Content::Debrief { .. }) => {
                return Err(WriteError::WrongKind { kind: entry.kind() });
            }
            (
                Edit::Body(text),
                Content::Answer { .. }
                | Content::HiddenAnswer { .. }
                | Content::Letter { .. }
                | Content::SealedLetter { .. },
            ) if entry.sealing.is_sealed() => {
                check_text(text)?;
                if text.trim().is_empty() {
                    return Err(WriteError::Empty);
                }
                let key = answers::published_key(&self.doc, &obj)
                    .or_else(|| self.answer_keys.get(id).cloned())
                    .ok_or_else(|| WriteError::NoAnswerKey { id: id.clone() })?;
                let sealed = answers::seal(&key, id, text);
                self.doc
                    .put(&obj, schema::SEALED, ScalarValue::Bytes(sealed))?;
            }
            (Edit::Body(text), _) => {
                check_text(text)?;
                set_text(&mut self.doc, &self.late, &obj, schema::BODY, text)?;
            }
            (
                Edit::Line { index, text },
                content @ (Content::Gratitude { .. } | Content::Debrief { .. }),
            ) => {
                check_text(text)?;
                let lines = content.texts();
                if let Content::Debrief { .. } = content
                    && text.trim().is_empty()
                    && lines
                        .iter()
                        .enumerate()
                        .all(|(i, l)| i == *index || l.trim().is_empty())
                {
                    return Err(WriteError::Empty);
                }
                if *index >= lines.len() {
                    return Err(WriteError::NoSuchLine { index: *index });
                }
                let list = match self.doc.get(&obj, schema::LINES)? {
                    Some((automerge::Value::Object(ObjType::List), list)) => list,
                    _ => return Err(WriteError::NoSuchLine { index: *index }),
                };
                let line = text_at(&self.doc, &list, *index)
                    .ok_or(WriteError::NoSuchLine { index: *index })?;
                self.late.drop_inserts(&mut self.doc, &line)?;
                self.doc.update_text(&line, text)?;
            }
            (Edit::Mood(mood), Content::CheckIn { .. }) => {
                self.doc.put(&obj, schema::MOOD, i64::from(*mood))?;
            }
            (Edit::Line { .. } | Edit::Mood(_), _) => {
                return Err(WriteError::WrongKind { kind: entry.kind() });
            }
        }
        self.doc
            .put(&obj, schema::EDITED_MS, stamp.now_ms.as_millis())?;
        Ok(())
    }

    /// Comments on an entry.
    pub fn comment(
        &mut self,
        entry: &EntryId,
        comment: &EntryId,
        stamp: &Stamp,
        text: &str,
    ) -> Result<(), WriteError> {
        check_comment(text)?;
        let (obj, _) = self.live_entry(entry)?;
        let comments = match map_at(&self.doc, &obj, schema::COMMENTS) {
            Some(c) => c,
            None => self.doc.put_object(&obj, schema::COMMENTS, ObjType::Map)?,
        };
        if self.doc.get(&comments, comment.as_str())?.is_some() {
            return Err(WriteError::Exists {
                id: comment.clone(),
            });
        }
        let c = self
            .doc
            .put_object(&comments, comment.as_str(), ObjType::Map)?;
        self.doc.put(&c, schema::AUTHOR, stamp.member.as_str())?;
        self.doc.put(&c, schema::DEVICE, stamp.device.as_str())?;
        self.doc
            .put(&c, schema::CREATED_MS, stamp.now_ms.as_millis())?;
        put_text(&mut self.doc, &c, schema::TEXT, text)?;
        Ok(())
    }

    /// Changes the text of one of `stamp.member`'s comments.
    pub fn edit_comment(
        &mut self,
        entry: &EntryId,
        comment: &EntryId,
        stamp: &Stamp,
        text: &str,
    ) -> Result<(), WriteError> {
        check_comment(text)?;
        let c = self.own_comment(entry, comment, stamp)?;
        set_text(&mut self.doc, &self.late, &c, schema::TEXT, text)?;
        Ok(())
    }

    /// Deletes one of `stamp.member`'s comments: its text is cleared and it is hidden; that
    /// there was a comment stays.
    pub fn delete_comment(
        &mut self,
        entry: &EntryId,
        comment: &EntryId,
        stamp: &Stamp,
    ) -> Result<(), WriteError> {
        let c = self.own_comment(entry, comment, stamp)?;
        clear_text(&mut self.doc, &c, schema::TEXT)?;
        self.doc.put(&c, schema::DELETED, true)?;
        Ok(())
    }

    /// The object of a live comment that `stamp.member` wrote, on a live entry.
    fn own_comment(
        &self,
        entry: &EntryId,
        comment: &EntryId,
        stamp: &Stamp,
    ) -> Result<ObjId, WriteError> {
        let (obj, read) = self.live_entry(entry)?;
        let unknown = || WriteError::UnknownEntry {
            id: comment.clone(),
        };
        let found = read.comments.iter().find(|c| c.id == *comment);
        if found.ok_or_else(unknown)?.author != stamp.member {
            return Err(WriteError::NotYours {
                id: comment.clone(),
            });
        }
        map_at(&self.doc, &obj, schema::COMMENTS)
            .and_then(|comments| map_at(&self.doc, &comments, comment.as_str()))
            .ok_or_else(unknown)
    }

    /// Adds (`on`) or takes back a reaction of `stamp.member` to an entry.
    pub fn react(
        &mut self,
        entry: &EntryId,
        stamp: &Stamp,
        emoji: &str,
        on: bool,
    ) -> Result<(), WriteError> {
        let emoji = emoji.trim();
        if emoji.is_empty() {
            return Err(WriteError::Empty);
        }
        if emoji.chars().count() > 16 {
            return Err(WriteError::TooLong {
                chars: emoji.chars().count(),
            });
        }
        let (obj, _) = self.live_entry(entry)?;
        let reactions = match map_at(&self.doc, &obj, schema::REACTIONS) {
            Some(r) => r,
            None => self.doc.put_object(&obj, schema::REACTIONS, ObjType::Map)?,
        };
        let mine = match map_at(&self.doc, &reactions, stamp.member.as_str()) {
            Some(m) => m,
            None => self
                .doc
                .put_object(&reactions, stamp.member.as_str(), ObjType::Map)?,
        };
        if on {
            self.doc.put(&mine, emoji, stamp.now_ms.as_millis())?;
        } else if self.doc.get(&mine, emoji)?.is_some() {
            self.doc.delete(&mine, emoji)?;
        }
        Ok(())
    }

    /// Deletes an entry. Its text, its gratitude lines, its reactions and the text of every
    /// comment on it are cleared in the document; what remains is that there was an entry (its
    /// kind, author and times) and who commented on it when. The earlier text stays in the
    /// document's history (see [`Journal::fresh_copy`] for a copy without it).
    pub fn delete(&mut self, id: &EntryId, stamp: &Stamp) -> Result<(), WriteError> {
        let (obj, _) = self.own_entry(id, stamp)?;
        clear_text(&mut self.doc, &obj, schema::BODY)?;
        if let Some((automerge::Value::Object(ObjType::List), lines)) =
            self.doc.get(&obj, schema::LINES)?
        {
            for index in 0..self.doc.length(&lines) {
                if let Some(line) = text_at(&self.doc, &lines, index) {
                    self.doc.update_text(&line, "")?;
                }
            }
        }
        if let Some(comments) = map_at(&self.doc, &obj, schema::COMMENTS) {
            for key in self.doc.keys(&comments).collect::<Vec<_>>() {
                if let Some(comment) = map_at(&self.doc, &comments, &key) {
                    clear_text(&mut self.doc, &comment, schema::TEXT)?;
                }
            }
        }
        for gone in [schema::REACTIONS, schema::SEALED, schema::ANSWER_KEY] {
            if self.doc.get(&obj, gone)?.is_some() {
                self.doc.delete(&obj, gone)?;
            }
        }
        self.doc.put(&obj, schema::DELETED, true)?;
        self.doc
            .put(&obj, schema::EDITED_MS, stamp.now_ms.as_millis())?;
        Ok(())
    }

    /// Answers a bid: turned toward, or kept for later.
    pub fn respond(&mut self, id: &EntryId, stamp: &Stamp, turn: Turn) -> Result<(), WriteError> {
        let (obj, entry) = self.live_entry(id)?;
        if entry.kind() != EntryKind::Bid {
            return Err(WriteError::WrongKind { kind: entry.kind() });
        }
        put_response(
            &mut self.doc,
            &obj,
            turn,
            &stamp.member,
            stamp.now_ms.as_millis(),
        )
    }

    /// Reads one entry, deleted or not. `Ok(None)` if there is none with this id.
    pub fn entry(&self, id: &EntryId) -> Result<Option<Entry>, SchemaWarning> {
        let Some(entries) = self.entries_obj() else {
            return Ok(None);
        };
        if map_at(self.reading(), &entries, id.as_str()).is_none() {
            return Ok(None);
        }
        self.read_at(&entries, id.as_str(), &mut Vec::new())
    }

    /// Reads the entry at `key` of `entries` as every reading does: `Ok(None)` if a removed
    /// device began it after its removal, and without the comments such a device began.
    pub(crate) fn read_at(
        &self,
        entries: &ObjId,
        key: &str,
        warnings: &mut Vec<SchemaWarning>,
    ) -> Result<Option<Entry>, SchemaWarning> {
        let doc = self.reading();
        let removals = self.late.removals();
        if crate::epochs::written_after_removal(doc, entries, key, removals) {
            return Ok(None);
        }
        let mut entry = schema::read_entry(doc, entries, key, &self.answer_keys, warnings)?;
        crate::epochs::drop_late_comments(doc, entries, &mut entry, removals);
        Ok(Some(entry))
    }

    /// Reads one entry as `reader` may see it (see [`Journal::scan_as`]).
    pub fn entry_as(
        &self,
        id: &EntryId,
        reader: &MemberId,
    ) -> Result<Option<Entry>, SchemaWarning> {
        let Some(entry) = self.entry(id)? else {
            return Ok(None);
        };
        let mut one = [entry];
        if one[0].may_be_closed_to(reader) {
            entry::seen_by(&mut one, reader, &self.answers_given_by(reader));
        }
        let [entry] = one;
        Ok(Some(entry))
    }

    /// Reads every entry as `reader` may see it, deleted ones included, oldest first: an answer
    /// of the partner to a question `reader` has not answered reads as
    /// [`Content::HiddenAnswer`], with neither its text nor its comments. What a person is
    /// shown, searched or exported goes through here; [`Journal::scan`] is the document as it is.
    pub fn scan_as(&self, reader: &MemberId) -> Scan {
        let mut scan = self.scan();
        let answered = entry::answers_of(&scan.entries, reader);
        entry::seen_by(&mut scan.entries, reader, &answered);
        scan
    }

    /// Every answer `reader` has given, as (question, day): what opens the partner's answers to
    /// them ([`entry::answers_of`] the whole journal).
    pub(crate) fn answers_given_by(&self, reader: &MemberId) -> Vec<(String, LocalDate)> {
        let theirs = self.read_where(&[EntryKind::Answer], |f| {
            f.is(schema::AUTHOR, reader.as_str())
        });
        entry::answers_of(&theirs, reader)
    }

    /// Every entry of one of `kinds`, deleted ones included, oldest first, read as
    /// [`Journal::scan`] reads them; only each entry's kind is looked at before it is read whole,
    /// so finding the few entries of a kind costs a fraction of reading them all.
    pub fn scan_kinds(&self, kinds: &[EntryKind]) -> Vec<Entry> {
        self.read_where(kinds, |_| true)
    }

    /// The entries stored as one of `kinds` whose stored fields, as `keep` looks at them, say to
    /// read them whole, oldest first, read as [`Journal::scan`] reads them. `keep` sees the
    /// fields as stored, before any check: it only narrows what is read.
    pub(crate) fn read_where(
        &self,
        kinds: &[EntryKind],
        keep: impl Fn(&Fields<'_>) -> bool,
    ) -> Vec<Entry> {
        self.read_where_since(None, kinds, keep)
    }

    /// [`Journal::read_where`], among the entries made since `since` only, if given: their
    /// ids sort by creation time, so only the keys from `since` on are looked at.
    pub(crate) fn read_where_since(
        &self,
        since: Option<UnixMs>,
        kinds: &[EntryKind],
        keep: impl Fn(&Fields<'_>) -> bool,
    ) -> Vec<Entry> {
        let Some(entries) = self.entries_obj() else {
            return Vec::new();
        };
        let doc = self.reading();
        let of_kind = |f: &Fields<'_>| kinds.iter().any(|k| f.is(schema::KIND, k.as_str()));
        // What was seen of entries before holds only for the journal as it is, with nothing
        // undone for reading.
        let now = self
            .late
            .late()
            .is_empty()
            .then(|| crate::kinds::mark(&self.doc));
        let index = || {
            self.kinds
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        let mut found = Vec::new();
        let mut seen = Vec::new();
        let mut read = |key: &str, obj: ObjId| {
            let known = now.and_then(|now| index().as_ref()?.look(now, &obj));
            let fresh = known.is_none();
            let fields = Fields::new(doc, obj.clone(), known);
            let wanted = of_kind(&fields) && keep(&fields);
            if fresh
                && now.is_some()
                && let Some(look) = fields.into_look()
            {
                seen.push((obj, look));
            }
            if wanted && let Ok(Some(entry)) = self.read_at(&entries, key, &mut Vec::new()) {
                found.push(entry);
            }
        };
        let indexed: Option<Vec<(String, ObjId)>> = match since {
            Some(_) => None,
            None => kinds
                .iter()
                .map(|kind| self.keys_of_kind(*kind))
                .collect::<Option<Vec<_>>>()
                .map(|keys| keys.concat()),
        };
        let from = since.map_or_else(String::new, |ms| crate::query::id_text(ms.as_millis()));
        match indexed {
            Some(keys) => {
                for (key, obj) in keys {
                    read(&key, obj);
                }
            }
            None => {
                for item in doc.map_range(&entries, from..) {
                    if matches!(item.value, automerge::ValueRef::Object(ObjType::Map)) {
                        read(&item.key, item.id());
                    }
                }
            }
        }
        if let (Some(now), Some(index)) = (now, index().as_mut()) {
            index.remember(now, seen);
        }
        found.sort_by(|a, b| a.id.cmp(&b.id));
        found.dedup_by(|a, b| a.id == b.id);
        found
    }

    /// Reads every entry, deleted ones included, oldest first, with what had to be skipped: the
    /// document as it is (for sync, tools and tests; see [`Journal::scan_as`]). Every answer
    /// written before sealing reads open; a sealed answer reads open if its key is published or
    /// this device holds it, and as [`Content::HiddenAnswer`] otherwise.
    pub fn scan(&self) -> Scan {
        let mut scan = Scan::default();
        let doc = self.reading();
        match schema::read_info(doc, &mut scan.warnings) {
            Ok(_) => {}
            Err(w) => scan.warnings.push(w),
        }
        let Some(entries) = self.entries_obj() else {
            return scan;
        };
        for key in doc.keys(&entries) {
            match self.read_at(&entries, &key, &mut scan.warnings) {
                Ok(Some(entry)) => scan.entries.push(entry),
                Ok(None) => {}
                Err(w) => scan.warnings.push(w),
            }
        }
        scan.entries.sort_by(|a, b| a.id.cmp(&b.id));
        scan
    }

    pub(crate) fn entries_obj(&self) -> Option<ObjId> {
        map_at(&self.doc, &ROOT, schema::ENTRIES)
    }

    /// A live entry that `stamp.member` wrote.
    pub(crate) fn own_entry(
        &self,
        id: &EntryId,
        stamp: &Stamp,
    ) -> Result<(ObjId, Entry), WriteError> {
        let (obj, entry) = self.live_entry(id)?;
        if entry.author != stamp.member {
            return Err(WriteError::NotYours { id: id.clone() });
        }
        Ok((obj, entry))
    }

    fn live_entry(&self, id: &EntryId) -> Result<(ObjId, Entry), WriteError> {
        let entries = self.entries_obj().ok_or(WriteError::NotReady)?;
        let obj = map_at(&self.doc, &entries, id.as_str())
            .ok_or_else(|| WriteError::UnknownEntry { id: id.clone() })?;
        // As it reads: an entry a removed device began after its removal is not there.
        let entry = self
            .entry(id)
            .map_err(WriteError::Malformed)?
            .ok_or_else(|| WriteError::UnknownEntry { id: id.clone() })?;
        if entry.deleted {
            return Err(WriteError::Deleted { id: id.clone() });
        }
        Ok((obj, entry))
    }
}

/// Every entry of a journal, and what reading had to skip.
#[derive(Debug, Default, Clone)]
pub struct Scan {
    /// The entries that fit the schema, oldest first, deleted ones included.
    pub entries: Vec<Entry>,
    /// What did not fit and was left out.
    pub warnings: Vec<SchemaWarning>,
}

pub(crate) fn check_text(text: &str) -> Result<(), WriteError> {
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(WriteError::TooLong { chars });
    }
    Ok(())
}

/// A comment's text: not blank, not too long.
fn check_comment(text: &str) -> Result<(), WriteError> {
    check_text(text)?;
    if text.trim().is_empty() {
        return Err(WriteError::Empty);
    }
    Ok(())
}

fn check_content(content: &Content) -> Result<(), WriteError> {
    if let Content::HiddenAnswer { .. } | Content::SealedLetter { .. } = content {
        // Only a reader's view holds one: it has no text to write.
        return Err(WriteError::Empty);
    }
    let texts = content.texts();
    for t in &texts {
        check_text(t)?;
    }
    let blank = texts.iter().all(|t| t.trim().is_empty());
    let needs_text = matches!(
        content,
        Content::Journal { .. }
            | Content::Gratitude { .. }
            | Content::Debrief { .. }
            | Content::Appreciation { .. }
            | Content::Answer { .. }
            | Content::Letter { .. }
    );
    if needs_text && blank {
        return Err(WriteError::Empty);
    }
    Ok(())
}

/// Puts `lines` as a new list of texts under `lines`.
pub(crate) fn put_lines(
    doc: &mut AutoCommit,
    obj: &ObjId,
    lines: &[&str],
) -> Result<(), WriteError> {
    let list = doc.put_object(obj, schema::LINES, ObjType::List)?;
    for (i, line) in lines.iter().enumerate() {
        let text = doc.insert_object(&list, i, ObjType::Text)?;
        doc.splice_text(&text, 0, 0, line)?;
    }
    Ok(())
}

fn put_text(doc: &mut AutoCommit, obj: &ObjId, key: &str, text: &str) -> Result<(), WriteError> {
    let t = doc.put_object(obj, key, ObjType::Text)?;
    doc.splice_text(&t, 0, 0, text)?;
    Ok(())
}

/// Copies the object `from_obj` of `from` into the empty object `to_obj` of `to`, as it reads
/// now, leaving out every map entry `(parent, key, child)` that `leave_out` names.
pub(crate) fn copy_object(
    from: &AutoCommit,
    from_obj: &ObjId,
    to: &mut AutoCommit,
    to_obj: &ObjId,
    leave_out: &dyn Fn(&ObjId, &str, &ObjId) -> bool,
) -> Result<(), automerge::AutomergeError> {
    use automerge::Value;
    match from.object_type(from_obj)? {
        ObjType::Map | ObjType::Table => {
            for key in from.keys(from_obj) {
                match from.get(from_obj, key.as_str())? {
                    Some((Value::Object(kind), child)) if !leave_out(from_obj, &key, &child) => {
                        let made = to.put_object(to_obj, key.as_str(), kind)?;
                        copy_object(from, &child, to, &made, leave_out)?;
                    }
                    Some((Value::Scalar(value), _)) => {
                        to.put(to_obj, key.as_str(), value.into_owned())?;
                    }
                    Some((Value::Object(_), _)) | None => {}
                }
            }
        }
        ObjType::List => {
            for index in 0..from.length(from_obj) {
                match from.get(from_obj, index)? {
                    Some((Value::Object(kind), child)) => {
                        let made = to.insert_object(to_obj, index, kind)?;
                        copy_object(from, &child, to, &made, leave_out)?;
                    }
                    Some((Value::Scalar(value), _)) => {
                        to.insert(to_obj, index, value.into_owned())?;
                    }
                    None => {}
                }
            }
        }
        ObjType::Text => {
            let text = from.text(from_obj)?;
            to.splice_text(to_obj, 0, 0, &text)?;
        }
    }
    Ok(())
}

/// Makes the text at `key` of `obj` read `text`: an edit of the text there (unchanged parts keep
/// their identity, so a concurrent edit elsewhere in it is kept), or a new text.
fn set_text(
    doc: &mut AutoCommit,
    late: &crate::late::LateWrites,
    obj: &ObjId,
    key: &str,
    text: &str,
) -> Result<(), WriteError> {
    match text_at(doc, obj, key) {
        Some(t) => {
            late.drop_inserts(doc, &t)?;
            doc.update_text(&t, text)?
        }
        None => put_text(doc, obj, key, text)?,
    }
    Ok(())
}

/// Empties the text at `key` of `obj`, if there is one.
fn clear_text(doc: &mut AutoCommit, obj: &ObjId, key: &str) -> Result<(), WriteError> {
    if let Some(text) = text_at(doc, obj, key) {
        doc.update_text(&text, "")?;
    }
    Ok(())
}

fn put_to(doc: &mut AutoCommit, obj: &ObjId, to: Option<&MemberId>) -> Result<(), WriteError> {
    if let Some(to) = to {
        doc.put(obj, schema::TO, to.as_str())?;
    }
    Ok(())
}

fn put_response(
    doc: &mut AutoCommit,
    obj: &ObjId,
    turn: Turn,
    by: &MemberId,
    at_ms: i64,
) -> Result<(), WriteError> {
    let r = doc.put_object(obj, schema::RESPONSE, ObjType::Map)?;
    doc.put(&r, schema::TURN, turn.as_str())?;
    doc.put(&r, schema::BY, by.as_str())?;
    doc.put(&r, schema::AT_MS, at_ms)?;
    Ok(())
}

/// An entry's fields as stored, for a cheap look before the entry is read whole
/// ([`Journal::read_where`]). The entry's map is walked once, at the first look, unless what a
/// look at it saw before is known ([`Look`]) and answers the look.
pub(crate) struct Fields<'a> {
    doc: &'a AutoCommit,
    obj: ObjId,
    walked: std::cell::OnceCell<MapFields>,
    seen: std::cell::OnceCell<Arc<Look>>,
}

impl<'a> Fields<'a> {
    fn new(doc: &'a AutoCommit, obj: ObjId, seen: Option<Arc<Look>>) -> Self {
        Fields {
            doc,
            obj,
            walked: std::cell::OnceCell::new(),
            seen: seen.map_or_else(std::cell::OnceCell::new, std::cell::OnceCell::from),
        }
    }

    fn walked(&self) -> &MapFields {
        self.walked
            .get_or_init(|| MapFields::read(self.doc, &self.obj))
    }

    fn seen(&self) -> &Look {
        self.seen
            .get_or_init(|| Arc::new(Look::of(self.doc, self.walked())))
    }

    /// What a look saw, if one was taken here (rather than known before).
    fn into_look(self) -> Option<Arc<Look>> {
        self.seen.into_inner()
    }

    /// Whether the field `name` is the string `value`.
    pub(crate) fn is(&self, name: &str, value: &str) -> bool {
        self.seen()
            .is(name, value)
            .unwrap_or_else(|| self.walked().is_str(name, value))
    }

    /// Whether the field `name` holds anything.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.seen()
            .has(name)
            .unwrap_or_else(|| self.walked().get(name).is_some())
    }

    /// The string at `name` of the map at `field`, if both are there.
    pub(crate) fn inner_is(&self, field: &str, name: &str, value: &str) -> bool {
        self.seen().inner_is(field, name, value).unwrap_or_else(|| {
            self.walked()
                .map(field)
                .is_some_and(|inner| MapFields::read(self.doc, inner).is_str(name, value))
        })
    }
}
