//! The state a running `Hearth` shares with its network: the store, the two journals, the paired
//! devices and the live sync sessions.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock, RwLock, Weak};
use std::time::Duration;

use hearth_crypto::Key32;
use hearth_journal::sync::PeerSync;
use hearth_journal::{DeviceId, Journal, JournalId, LocalDate, Member, MemberId, Stamp};
use hearth_net::EndpointId;
use hearth_store::{DocId, PairedDevice, Store};
use tokio::sync::broadcast;

use crate::WriteError;
use crate::events::Event;
use crate::persist::{Persisted, compact, load_doc, persist};
use crate::util::{lock, now_ms, random, read};

/// How long a compaction waits after the change that asked for it: long enough for the
/// acknowledgement and the sync step the change starts to go first.
const COMPACT_AFTER: Duration = Duration::from_millis(100);

/// Which journal this device belongs to, as held in memory.
pub(crate) struct Binding {
    pub(crate) key: Key32,
    pub(crate) journal_id: JournalId,
    pub(crate) member: MemberId,
}

impl Binding {
    pub(crate) fn from_store(b: &hearth_store::JournalBinding) -> Self {
        Binding {
            key: b.journal_key.clone(),
            journal_id: JournalId::new(b.journal_id.clone()),
            member: MemberId::new(b.member_id.clone()),
        }
    }
}

/// Everything behind a `Hearth`. Lock order: `shared`, then `sessions` or `carry`; `private` is
/// never held together with `shared`; `binding`, `paired` and `name` are only ever held briefly and
/// alone.
pub(crate) struct Inner {
    pub(crate) store: Store,
    /// This device, as its hex EndpointId.
    pub(crate) device: DeviceId,
    pub(crate) endpoint: EndpointId,
    pub(crate) binding: RwLock<Binding>,
    /// The journal shared with the partner (an empty replica until it arrives, on a joiner).
    pub(crate) shared: Mutex<Journal>,
    /// The private journal, created on the first private entry.
    pub(crate) private: Mutex<Option<Journal>>,
    /// The sync state of each device with a live session.
    pub(crate) sessions: Mutex<HashMap<EndpointId, PeerSync>>,
    /// The paired devices, by EndpointId bytes: answers `is_paired` without the disk.
    pub(crate) paired: RwLock<BTreeMap<[u8; 32], PairedDevice>>,
    /// The bytes of this device's own earlier journal, while its entries wait to be carried into
    /// the shared journal.
    pub(crate) carry: Mutex<Option<Vec<u8>>>,
    /// Set when a storage failure left memory and disk apart and reloading failed too.
    pub(crate) broken: AtomicBool,
    pub(crate) events: broadcast::Sender<Event>,
    pub(crate) utc_offset_minutes: i32,
    /// This person's name, for while the shared journal has not arrived.
    pub(crate) name: RwLock<String>,
    /// Schema warnings already reported as events.
    pub(crate) warned: Mutex<BTreeSet<String>>,
    /// Itself, once shared: lets a change leave work for later (compaction) without keeping
    /// the store open after the last `Hearth` is gone.
    pub(crate) me: OnceLock<Weak<Inner>>,
    /// Whether a compaction of the shared and of the private document is waiting to run.
    pub(crate) compaction_queued: [AtomicBool; 2],
}

impl Inner {
    /// A stamp for a change made now by this person on this device.
    pub(crate) fn stamp(&self) -> Stamp {
        Stamp {
            member: self.member_id(),
            device: self.device.clone(),
            now_ms: now_ms(),
        }
    }

    pub(crate) fn member_id(&self) -> MemberId {
        read(&self.binding).member.clone()
    }

    pub(crate) fn journal_id(&self) -> JournalId {
        read(&self.binding).journal_id.clone()
    }

    pub(crate) fn today(&self) -> LocalDate {
        LocalDate::from_utc_ms(now_ms(), self.utc_offset_minutes)
    }

    /// This person as a member: from the shared journal when it is here, else from the settings.
    pub(crate) fn me(&self) -> Member {
        let id = self.member_id();
        let from_journal = lock(&self.shared)
            .info()
            .ok()
            .flatten()
            .and_then(|info| info.members.into_iter().find(|m| m.id == id));
        from_journal.unwrap_or_else(|| Member {
            id,
            name: read(&self.name).clone(),
            joined_ms: 0,
        })
    }

    pub(crate) fn emit(&self, event: Event) {
        // No receiver is fine: nobody listens right now.
        let _ = self.events.send(event);
    }

    /// Makes a change to one of the journals and stores it durably before returning. If storing
    /// fails, the journal is reloaded from the store so memory never holds what the disk lacks.
    /// Blocks on the disk: call from a blocking thread.
    pub(crate) fn change<T>(
        &self,
        doc: DocId,
        f: impl FnOnce(&mut Journal, &Stamp) -> Result<T, hearth_journal::WriteError>,
    ) -> Result<T, WriteError> {
        if self.broken.load(Ordering::SeqCst) {
            return Err(WriteError::Broken);
        }
        let stamp = self.stamp();
        match doc {
            DocId::Shared => {
                let mut journal = lock(&self.shared);
                self.apply(doc, &mut journal, &stamp, f)
            }
            DocId::Private => {
                let me = self.me();
                let mut slot = lock(&self.private);
                if slot.is_none() {
                    *slot = Some(self.new_private_journal(&me, &stamp)?);
                }
                let journal = slot
                    .as_mut()
                    .expect("the private journal was created just above");
                let result = self.apply(doc, journal, &stamp, f);
                if !journal.is_ready() {
                    // Reloaded after a failure, and nothing of it was ever stored.
                    *slot = None;
                }
                result
            }
        }
    }

    /// The private journal starts on the first private entry. It never merges with anything, so
    /// creating its structure here is safe.
    fn new_private_journal(&self, me: &Member, stamp: &Stamp) -> Result<Journal, WriteError> {
        Journal::create(
            &self.journal_id(),
            me,
            self.today(),
            stamp.now_ms,
            random().map_err(WriteError::Randomness)?,
        )
        .map_err(WriteError::Refused)
    }

    fn apply<T>(
        &self,
        doc: DocId,
        journal: &mut Journal,
        stamp: &Stamp,
        f: impl FnOnce(&mut Journal, &Stamp) -> Result<T, hearth_journal::WriteError>,
    ) -> Result<T, WriteError> {
        let value = match f(journal, stamp) {
            Ok(value) => value,
            Err(e) => {
                // Nothing of a refused change may stay behind to be saved with the next one.
                journal.automerge_mut().rollback();
                return Err(WriteError::Refused(e));
            }
        };
        match persist(&self.store, doc, journal) {
            Ok(persisted) => {
                self.compact_soon(doc, journal, persisted);
                Ok(value)
            }
            Err(e) => {
                self.reload(doc, journal)
                    .map_err(|e| WriteError::Reload(Box::new(e)))?;
                Err(WriteError::NotSaved(e))
            }
        }
    }

    /// Compacts `doc` if `persisted` says it is due, off the path of the change that asked: a
    /// blocking task does it a moment later ([`COMPACT_AFTER`]), once that change has been
    /// acknowledged and the sync step it starts has gone out. A full save of a large journal
    /// takes a while (about a second at 50,000 entries), which no write or sync step should wait
    /// for. One compaction per document waits at a time. Before `Hearth` is running (while it
    /// opens) there is no one to hand it to, and it runs at once on `journal`, which the caller
    /// holds locked.
    pub(crate) fn compact_soon(&self, doc: DocId, journal: &mut Journal, persisted: Persisted) {
        if !persisted.compaction_due {
            return;
        }
        let runtime = tokio::runtime::Handle::try_current().ok();
        let (Some(me), Some(runtime)) = (self.me.get(), runtime) else {
            compact(&self.store, doc, journal);
            return;
        };
        if self.queued(doc).swap(true, Ordering::SeqCst) {
            return;
        }
        let me = me.clone();
        runtime.spawn(async move {
            tokio::time::sleep(COMPACT_AFTER).await;
            // Gone: `Hearth` was dropped, and the next open's first append will ask again.
            let Some(inner) = me.upgrade() else { return };
            let _ = tokio::task::spawn_blocking(move || inner.compact_queued(doc)).await;
        });
    }

    fn queued(&self, doc: DocId) -> &AtomicBool {
        match doc {
            DocId::Shared => &self.compaction_queued[0],
            DocId::Private => &self.compaction_queued[1],
        }
    }

    /// Runs the compactions still waiting: `Hearth` is closing, and the next open should not
    /// replay what they would have folded.
    pub(crate) fn finish_compactions(&self) {
        for doc in [DocId::Shared, DocId::Private] {
            self.compact_queued(doc);
        }
    }

    /// Compacts `doc` if a compaction of it is waiting.
    fn compact_queued(&self, doc: DocId) {
        if !self.queued(doc).swap(false, Ordering::SeqCst) || self.broken.load(Ordering::SeqCst) {
            return;
        }
        match doc {
            DocId::Shared => compact(&self.store, doc, &mut lock(&self.shared)),
            DocId::Private => {
                if let Some(journal) = lock(&self.private).as_mut() {
                    compact(&self.store, doc, journal);
                }
            }
        }
    }

    /// Replaces `journal` with what the store holds of `doc`. If that fails too, the journal is
    /// marked broken: no more changes until Hearth is restarted.
    pub(crate) fn reload(
        &self,
        doc: DocId,
        journal: &mut Journal,
    ) -> Result<(), crate::persist::LoadDocError> {
        let loaded = load_doc(&self.store, doc).and_then(|j| match j {
            Some(j) => Ok(j),
            None => random()
                .map(Journal::replica)
                .map_err(crate::persist::LoadDocError::Randomness),
        });
        match loaded {
            Ok(j) => {
                *journal = j;
                Ok(())
            }
            Err(e) => {
                tracing::error!(%doc, error = %e, "journal could not be reloaded after a failure");
                self.broken.store(true, Ordering::SeqCst);
                Err(e)
            }
        }
    }

    /// Which journal holds an entry (the private one if it has it, else the shared one).
    pub(crate) fn doc_of(&self, id: &hearth_journal::EntryId) -> DocId {
        let private = lock(&self.private)
            .as_ref()
            .is_some_and(|j| matches!(j.entry(id), Ok(Some(_)) | Err(_)));
        if private {
            DocId::Private
        } else {
            DocId::Shared
        }
    }
}
