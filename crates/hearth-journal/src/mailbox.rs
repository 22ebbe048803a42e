//! What a device leaves in a mailbox for the others, and taking in what they left
//! (docs/decisions/0009-mailbox.md).

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use automerge::ChangeHash;

use crate::sync::{ChunkError, SyncError, check_chunks, is_document};
use crate::{Journal, WriteError};

/// Below this many bytes of changes, the whole document is not even considered instead.
const SNAPSHOT_CONSIDERED: usize = 64 * 1024;

/// What [`Journal::missing_for`] found other devices lack.
#[derive(Debug, PartialEq, Eq)]
pub enum Missing {
    /// Every device has everything.
    Nothing,
    /// These Automerge changes, concatenated.
    Changes(Vec<u8>),
    /// The whole document: smaller than the changes, or some device has acknowledged nothing.
    Document(Vec<u8>),
}

impl Missing {
    /// The bytes to upload, if any.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Missing::Nothing => None,
            Missing::Changes(b) | Missing::Document(b) => Some(b),
        }
    }
}

/// Why what a mailbox held could not be taken in.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TakeError {
    /// The bytes declare more than they may (see [`ChunkError`]); Automerge never saw them.
    #[error("what the mailbox held was refused: {0}")]
    Refused(#[source] ChunkError),
    /// Automerge refused or broke on them; see [`SyncError`].
    #[error(transparent)]
    Sync(#[from] SyncError),
}

impl Journal {
    /// What the devices whose acknowledged heads are `others` lack, as one upload: every change
    /// missing from at least one of them (`None`: a device that has acknowledged nothing), or the
    /// whole document when that is smaller. Heads this journal does not know are left out (the
    /// device has more than this one: nothing of it is sent on their account).
    pub fn missing_for(&mut self, others: &[Option<Vec<ChangeHash>>]) -> Missing {
        if others.is_empty() || !self.is_ready() {
            return Missing::Nothing;
        }
        if others.iter().any(Option::is_none) {
            return Missing::Document(self.automerge_mut().save());
        }
        let mut seen = BTreeSet::new();
        let mut changes = Vec::new();
        for heads in others.iter().flatten() {
            let doc = self.automerge_mut().document();
            let known: Vec<ChangeHash> = heads
                .iter()
                .copied()
                .filter(|h| doc.get_change_meta_by_hash(h).is_some())
                .collect();
            for mut change in self.automerge_mut().get_changes(&known) {
                if seen.insert(change.hash()) {
                    changes.extend_from_slice(&change.bytes());
                }
            }
        }
        if changes.is_empty() {
            return Missing::Nothing;
        }
        if changes.len() >= SNAPSHOT_CONSIDERED {
            let whole = self.automerge_mut().save();
            if whole.len() < changes.len() {
                return Missing::Document(whole);
            }
        }
        Missing::Changes(changes)
    }

    /// Takes in changes or a whole document another device left in a mailbox: checked as a sync
    /// message's changes are before Automerge sees them, then applied; anything already here is
    /// ignored. After [`SyncError::Panicked`] the journal must be reloaded from storage.
    pub fn take_from_mailbox(&mut self, bytes: &[u8]) -> Result<(), TakeError> {
        check_chunks([bytes]).map_err(TakeError::Refused)?;
        if is_document(bytes) {
            // A whole journal (a new device's first pickup): loaded fresh, as from a peer.
            let (whole, document_heads) = self.load_whole(bytes)?;
            self.replace_with_arrived(whole, bytes.to_vec(), document_heads);
            return Ok(());
        }
        let doc = self.automerge_mut();
        let taken = catch_unwind(AssertUnwindSafe(|| doc.load_incremental(bytes)))
            .map_err(|_| SyncError::Panicked)?;
        self.took_changes();
        taken.map_err(SyncError::Rejected)?;
        Ok(())
    }
}

/// Where the journal names the mailbox servers its devices use:
///
/// ```text
/// mailbox_servers: map   server id (64 hex digits) → its ticket's text (str)
/// ```
const SERVERS: &str = "mailbox_servers";
/// The most mailbox servers read from the journal.
pub const MAX_MAILBOX_SERVERS: usize = 8;
/// The longest ticket text read.
pub const MAX_SERVER_TICKET: usize = 1024;

impl Journal {
    /// The mailbox servers the journal's devices use: each server's id (hex) and its ticket's
    /// text, as a device wrote them. At most [`MAX_MAILBOX_SERVERS`]; the caller reads each
    /// ticket before trusting it.
    pub fn mailbox_servers(&self) -> std::collections::BTreeMap<String, String> {
        // As read: a server a removed device named after its removal is not one to use.
        let doc = self.reading();
        let Some(servers) = crate::schema::map_at(doc, &automerge::ROOT, SERVERS) else {
            return Default::default();
        };
        automerge::ReadDoc::keys(doc, &servers)
            .filter(|id| id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()))
            .filter_map(|id| match automerge::ReadDoc::get(doc, &servers, &id) {
                Ok(Some((automerge::Value::Scalar(s), _))) => match s.as_ref() {
                    automerge::ScalarValue::Str(t) if t.len() <= MAX_SERVER_TICKET => {
                        Some((id, t.to_string()))
                    }
                    _ => None,
                },
                _ => None,
            })
            .take(MAX_MAILBOX_SERVERS)
            .collect()
    }

    /// Names a mailbox server (its id in hex, and its ticket's text) for every device.
    pub fn put_mailbox_server(&mut self, id: &str, ticket: &str) -> Result<(), WriteError> {
        use automerge::transaction::Transactable as _;
        if !self.is_ready() {
            return Err(WriteError::NotReady);
        }
        let doc = self.automerge_mut();
        let servers = match crate::schema::map_at(doc, &automerge::ROOT, SERVERS) {
            Some(obj) => obj,
            None => doc.put_object(automerge::ROOT, SERVERS, automerge::ObjType::Map)?,
        };
        doc.put(&servers, id, ticket)?;
        Ok(())
    }

    /// Stops naming a mailbox server; naming none is not an error.
    pub fn remove_mailbox_server(&mut self, id: &str) -> Result<(), WriteError> {
        use automerge::transaction::Transactable as _;
        let doc = self.automerge_mut();
        if let Some(servers) = crate::schema::map_at(doc, &automerge::ROOT, SERVERS)
            && automerge::ReadDoc::get(doc, &servers, id)
                .ok()
                .flatten()
                .is_some()
        {
            doc.delete(&servers, id)?;
        }
        Ok(())
    }
}
