//! A device's state: the store, the two journals, the paired devices and the live sync sessions.
//! Only the owner task ([`crate::owner`]) ever holds it, so nothing in it is locked.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use hearth_crypto::{ExchangePublic, JournalKey};
use hearth_journal::{
    EntryId, Journal, JournalId, LocalDate, Member, MemberId, SchemaWarning, Stamp, UnixMs,
};
use hearth_net::{EndpointId, KnownPeer};
use hearth_store::{DocId, PairedDevice, Store};
use tokio::sync::{broadcast, watch};

use crate::devices::NewDevice;
use crate::events::{Event, Warning};
use crate::net_requests::{Session, send_before_storing};
use crate::os::actor;
use crate::paired::known_addrs;
use crate::persist::{LoadDocError, Persisted, load_doc, persist, persist_sending};
use crate::settings::Settings;
use crate::{DeviceId, WriteError, Zone};

/// Which journal this device belongs to.
pub(crate) struct Binding {
    pub(crate) key: JournalKey,
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

/// What the owner publishes for readers that must not wait for it: the network's checks on every
/// connection, and whether the shared journal is here.
#[derive(Clone, Default)]
pub(crate) struct Published {
    /// The journal keys this device holds, by epoch (empty only while none is bound).
    pub(crate) keys: BTreeMap<u32, JournalKey>,
    /// The paired devices, with their last-known addresses.
    pub(crate) peers: Vec<KnownPeer>,
    /// Whether the shared journal has arrived.
    pub(crate) ready: bool,
    /// The devices removed from the journal: turned away with a reason that tells them so.
    pub(crate) removed: Vec<EndpointId>,
    /// Whether this device waits to be dialed rather than dialing (once it was removed).
    pub(crate) passive: bool,
}

/// What `learn_devices` last took in: the device records, the people's names and the key's
/// epochs.
pub(crate) type Learned = (
    BTreeMap<hearth_journal::DeviceRef, hearth_journal::DeviceRecord>,
    BTreeMap<MemberId, String>,
    Vec<hearth_journal::EpochRecord>,
);

/// Everything a running device holds.
pub(crate) struct Device {
    pub(crate) store: Store,
    /// This device.
    pub(crate) id: DeviceId,
    pub(crate) binding: Binding,
    /// The journal shared with the partner (an empty replica until it arrives, on a joiner).
    pub(crate) shared: Journal,
    /// The private journal, created on the first private entry.
    pub(crate) private: Option<Journal>,
    /// Each device with a live session: its sync state, and where its messages go.
    pub(crate) sessions: HashMap<EndpointId, Session>,
    /// The paired devices.
    pub(crate) paired: BTreeMap<DeviceId, PairedDevice>,
    /// The bytes of this device's own earlier journal, while its entries wait to be carried into
    /// the shared journal.
    pub(crate) carry: Option<Vec<u8>>,
    /// Set when a storage failure left memory and disk apart and reloading failed too.
    pub(crate) broken: bool,
    pub(crate) events: broadcast::Sender<Event>,
    pub(crate) published: watch::Sender<Published>,
    pub(crate) zone: Zone,
    /// What the device remembers between runs (this person's name, for while the shared journal
    /// has not arrived).
    pub(crate) settings: Settings,
    /// Schema warnings already reported as events.
    pub(crate) warned: BTreeSet<String>,
    /// The documents' compactions (see [`crate::compaction`]).
    pub(crate) compactions: crate::compaction::Compactions,
    /// When the first screen is to be written again, if the journal changed since it was (see
    /// [`crate::first_screen`]).
    pub(crate) first_screen_due: Option<Instant>,
    /// The answers whose keys the store holds (see [`Device::store_change`]).
    pub(crate) answer_keys_stored: BTreeSet<EntryId>,
    /// How many entries the journal held when letters sealed to this device were last looked
    /// for: a letter is a new entry, so the search runs again only when that number changed.
    pub(crate) letters_looked_at: usize,
    /// This device's public exchange key, for its record in the journal.
    pub(crate) exchange: ExchangePublic,
    /// Whose the device of the open invitation will be (`None` while no invitation is open).
    pub(crate) invite_for: Option<NewDevice>,
    /// The device records and people's names `learn_devices` last took in (`None`: look again).
    pub(crate) learned: Option<Learned>,
    /// Where the network last said this device can be reached (socket addresses, home relay),
    /// for its record in the journal.
    pub(crate) reachable: Option<(Vec<String>, Option<String>)>,
    /// The journal keys of the epochs after the first (the first is the binding's).
    pub(crate) epoch_keys: BTreeMap<u32, JournalKey>,
    /// Devices of the journal that run another version of Hearth, since this device started:
    /// whether the update is due here (else there).
    pub(crate) outdated: BTreeMap<DeviceId, bool>,
    /// The shared journal's heads when this device last exchanged with its mailboxes (or
    /// opened): a change since is one to leave there before closing.
    pub(crate) mailbox_heads: Vec<hearth_journal::ChangeHash>,
}

impl Device {
    /// A stamp for a change made now by this person on this device.
    pub(crate) fn stamp(&self) -> Stamp {
        Stamp {
            member: self.binding.member.clone(),
            device: self.id.as_writer(),
            now_ms: UnixMs::now(),
        }
    }

    /// Changes the settings, in memory only once the store has them.
    pub(crate) fn change_settings(
        &mut self,
        change: impl FnOnce(&mut Settings),
    ) -> Result<(), hearth_store::WriteError> {
        let mut settings = self.settings.clone();
        change(&mut settings);
        settings.save(&self.store)?;
        self.settings = settings;
        Ok(())
    }

    pub(crate) fn today(&self) -> LocalDate {
        self.zone.date_at(UnixMs::now())
    }

    /// The couple's time zone: the journal's home zone when it names one this system knows,
    /// else this device's own.
    pub(crate) fn couple_zone(&self) -> crate::Zone {
        self.shared
            .home_zone()
            .and_then(|name| crate::Zone::named(&name).ok())
            .unwrap_or_else(|| self.zone.clone())
    }

    /// The couple's day now: the day in the journal's home zone, which decides the question of
    /// the day on both devices.
    pub(crate) fn couple_day(&self) -> LocalDate {
        self.couple_zone().date_at(UnixMs::now())
    }

    /// Gives a journal with no home zone this device's, if it has a name: a journal from before
    /// home zones gains one from the first person's device that opens it.
    pub(crate) fn settle_home_zone(&mut self) {
        if self.is_home() || !self.shared.is_ready() || self.shared.home_zone().is_some() {
            return;
        }
        let Some(name) = self.zone.name().map(str::to_owned) else {
            return;
        };
        if let Err(e) = self.apply(DocId::Shared, |journal| journal.set_home_zone(&name)) {
            tracing::warn!(error = %e, "could not give the journal a home time zone");
        }
    }

    /// This person as a member: from the shared journal when it is here, else from the settings.
    pub(crate) fn me(&self) -> Member {
        let id = self.binding.member.clone();
        let from_journal = self
            .shared
            .info()
            .ok()
            .flatten()
            .and_then(|info| info.members.into_iter().find(|m| m.id == id));
        from_journal.unwrap_or_else(|| Member {
            id,
            name: self.settings.name.clone(),
            joined_ms: UnixMs::EPOCH,
        })
    }

    /// The members of the shared journal (only this person while it has not arrived).
    pub(crate) fn members(&self) -> Vec<Member> {
        match self.shared.info().ok().flatten() {
            Some(info) => info.members,
            None => vec![self.me()],
        }
    }

    pub(crate) fn emit(&self, event: Event) {
        // No receiver is fine: nobody listens right now.
        let _ = self.events.send(event);
    }

    /// Tells the network and the handles what changed in the key, the paired devices or the
    /// journal's arrival.
    pub(crate) fn publish(&self) {
        // A device removed from the journal dials nobody and writes nothing, but lets in any
        // device of the journal: what it is sent is that device's judgement, and so an answer
        // to the removal that cut it off can reach it (docs/decisions/0007).
        let removed_here = self.settings.removed_by.is_some();
        let peers = if removed_here {
            self.shared
                .devices()
                .into_values()
                .filter_map(|r| {
                    let id = r.id.as_str().parse::<DeviceId>().ok()?;
                    (id != self.id).then(|| KnownPeer {
                        id: id.endpoint(),
                        addrs: known_addrs(&r.addrs),
                    })
                })
                .collect()
        } else {
            self.paired
                .iter()
                .map(|(id, d)| KnownPeer {
                    id: id.endpoint(),
                    addrs: known_addrs(&d.addrs),
                })
                .collect()
        };
        let removed = if removed_here {
            Vec::new()
        } else {
            self.shared
                .removed_devices()
                .into_iter()
                .filter_map(|r| r.as_str().parse::<DeviceId>().ok())
                .map(|d| d.endpoint())
                .collect()
        };
        let published = Published {
            keys: self.journal_keys(),
            peers,
            ready: self.shared.is_ready(),
            removed,
            passive: removed_here,
        };
        self.published.send_replace(published);
    }

    /// Tells listeners about schema warnings not reported before.
    pub(crate) fn report(&mut self, warnings: &[SchemaWarning]) {
        for w in warnings {
            if self.warned.insert(w.to_string()) {
                let _ = self.events.send(Event::Warning(Warning::Schema(w.clone())));
            }
        }
    }

    /// Makes a change to one of the journals, all or nothing, and stores it durably before
    /// returning. If storing fails, the journal is reloaded from the store so memory never holds
    /// what the disk lacks.
    pub(crate) fn change<T>(
        &mut self,
        doc: DocId,
        f: impl FnOnce(&mut Journal, &Stamp) -> Result<T, hearth_journal::WriteError>,
    ) -> Result<T, WriteError> {
        if self.broken {
            return Err(WriteError::Broken);
        }
        if self.is_home() {
            return Err(WriteError::HomeDevice);
        }
        if self.settings.removed_by.is_some() {
            return Err(WriteError::Removed);
        }
        let stamp = self.stamp();
        if doc == DocId::Private && self.private.is_none() {
            self.private = Some(self.new_private_journal(&stamp)?);
        }
        let result = self.apply_with(doc, |journal| f(journal, &stamp), Sending::WhileStoring);
        if doc == DocId::Private && self.private.as_ref().is_some_and(|j| !j.is_ready()) {
            // Reloaded after a failure, and nothing of it was ever stored.
            self.private = None;
        }
        result
    }

    /// The private journal starts on the first private entry. It never merges with anything, so
    /// creating its structure here is safe.
    fn new_private_journal(&self, stamp: &Stamp) -> Result<Journal, WriteError> {
        Journal::create(
            &self.binding.journal_id,
            &self.me(),
            self.today(),
            stamp.now_ms,
            actor(&self.id).map_err(WriteError::Randomness)?,
        )
        .map_err(WriteError::Refused)
    }

    /// The journal `doc` names. The private one must exist.
    pub(crate) fn journal_mut(&mut self, doc: DocId) -> &mut Journal {
        match doc {
            DocId::Shared => &mut self.shared,
            DocId::Private => self
                .private
                .as_mut()
                .expect("a change to the private journal creates it first"),
        }
    }

    /// Runs `f` as one transaction on `doc` and stores what it changed.
    pub(crate) fn apply<T>(
        &mut self,
        doc: DocId,
        f: impl FnOnce(&mut Journal) -> Result<T, hearth_journal::WriteError>,
    ) -> Result<T, WriteError> {
        self.apply_with(doc, f, Sending::Later)
    }

    fn apply_with<T>(
        &mut self,
        doc: DocId,
        f: impl FnOnce(&mut Journal) -> Result<T, hearth_journal::WriteError>,
        send: Sending,
    ) -> Result<T, WriteError> {
        let value = self
            .journal_mut(doc)
            .transact(f)
            .map_err(WriteError::Refused)?;
        self.store_change_with(doc, send)?;
        Ok(value)
    }

    /// Appends what changed in `doc` since it was last stored; on failure, goes back to what the
    /// store holds. The live sessions are sent it later, as the caller asks.
    pub(crate) fn store_change(&mut self, doc: DocId) -> Result<(), WriteError> {
        self.store_change_with(doc, Sending::Later)
    }

    fn store_change_with(&mut self, doc: DocId, send: Sending) -> Result<(), WriteError> {
        // The key of an answer sealed in this change goes into the store first: an answer
        // acknowledged without its key could never be read.
        if let Err(e) = self.store_answer_keys() {
            self.reload(doc)
                .map_err(|e| WriteError::Reload(Box::new(e)))?;
            return Err(WriteError::NotSaved(e));
        }
        let persisted = match doc {
            DocId::Shared if send == Sending::WhileStoring => {
                let sessions = &mut self.sessions;
                persist_sending(&self.store, &mut self.shared, |journal| {
                    send_before_storing(sessions, journal);
                })
            }
            DocId::Shared => persist(&self.store, doc, &mut self.shared),
            DocId::Private => match self.private.as_mut() {
                Some(journal) => persist(&self.store, doc, journal),
                None => return Ok(()),
            },
        };
        match persisted {
            Ok(persisted) => {
                self.compact_soon(doc, persisted);
                Ok(())
            }
            Err(e) => {
                self.reload(doc)
                    .map_err(|e| WriteError::Reload(Box::new(e)))?;
                Err(WriteError::NotSaved(e))
            }
        }
    }

    /// Stores the keys of this device's sealed answers if the journals hold any the store lacks
    /// (adding to those it holds: a key is never dropped).
    pub(crate) fn store_answer_keys(&mut self) -> Result<(), hearth_store::WriteError> {
        let held = |journal: &Journal| {
            journal
                .answer_keys()
                .keys()
                .all(|id| self.answer_keys_stored.contains(id))
        };
        if held(&self.shared) && self.private.as_ref().is_none_or(held) {
            return Ok(());
        }
        let mut keys = self.shared.answer_keys().clone();
        if let Some(private) = &self.private {
            keys.extend(private.answer_keys().clone());
        }
        // What the store holds is read back so that nothing of it is lost: it only fails to read
        // if it was never readable, and then the open would have failed first.
        if let Ok(stored) = crate::answer_keys::load(&self.store) {
            for (id, key) in stored {
                keys.entry(id).or_insert(key);
            }
        }
        crate::answer_keys::save(&self.store, &keys)?;
        self.answer_keys_stored = keys.into_keys().collect();
        Ok(())
    }

    /// Publishes the key of each of this person's sealed answers whose question the partner has
    /// answered too, so that both read both (see `Journal::open_answers`). Returns whether any
    /// opened. A failure is logged: the next change tries again.
    pub(crate) fn open_answers(&mut self) -> bool {
        self.open_answers_of(None)
    }

    /// As [`Device::open_answers`], looking only at `written`, answers this device has just
    /// written: after a person's own write nothing else can have changed.
    pub(crate) fn open_answers_written(&mut self, written: Vec<EntryId>) -> bool {
        !written.is_empty() && self.open_answers_of(Some(written))
    }

    fn open_answers_of(&mut self, only: Option<Vec<EntryId>>) -> bool {
        if self.broken || !self.shared.answers_waiting() {
            return false;
        }
        let me = self.binding.member.clone();
        let opening = |journal: &mut Journal| match only {
            Some(ids) => journal.open_answers_among(&me, ids),
            None => journal.open_answers(&me),
        };
        match self.apply(DocId::Shared, opening) {
            Ok(opened) => {
                for id in &opened {
                    tracing::info!(%id, "your answer opens: your partner has answered too");
                }
                !opened.is_empty()
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not open your answers to your partner");
                false
            }
        }
    }

    /// Whether this device writes letters' keys: not a home device, not a removed one.
    fn keeps_letters(&self) -> bool {
        !self.broken
            && !self.is_home()
            && self.shared.is_ready()
            && self.settings.removed_by.is_none()
    }

    /// Takes the keys of letters written on this person's other devices (after changes came in),
    /// then opens the letters whose moment has come. Returns whether any letter opened.
    pub(crate) fn look_after_letters(&mut self) -> bool {
        if !self.keeps_letters() {
            return false;
        }
        let entries = self.shared.entry_count();
        if entries == self.letters_looked_at {
            return self.open_due_letters();
        }
        match self.store.device_secret_key() {
            Ok(secret) => {
                self.letters_looked_at = entries;
                let taken = self.shared.take_letter_keys(&self.id.as_writer(), &secret);
                if !taken.is_empty()
                    && let Err(e) = self.store_answer_keys()
                {
                    tracing::warn!(error = %e, "could not keep the keys of your letters");
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not read this device's secret"),
        }
        self.open_due_letters()
    }

    /// Opens this person's letters whose moment has come, publishing their keys. Returns whether
    /// any opened. A failure is logged: the next chance tries again.
    pub(crate) fn open_due_letters(&mut self) -> bool {
        if !self.keeps_letters() {
            return false;
        }
        let me = self.binding.member.clone();
        let now = UnixMs::now();
        if self
            .shared
            .next_letter_moment(&me)
            .is_none_or(|at| at > now)
        {
            return false;
        }
        match self.apply(DocId::Shared, |journal| journal.open_letters(&me, now)) {
            Ok(opened) => {
                for id in &opened {
                    tracing::info!(%id, "your letter opens: its moment has come");
                }
                if !opened.is_empty() {
                    self.publish();
                }
                !opened.is_empty()
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not open your letters");
                false
            }
        }
    }

    /// How long until this person's next sealed letter opens (zero once due), if this device
    /// holds the key of one.
    pub(crate) fn next_letter(&self) -> Option<Duration> {
        if !self.keeps_letters() {
            return None;
        }
        let at = self.shared.next_letter_moment(&self.binding.member)?;
        let wait = at
            .as_millis()
            .saturating_sub(UnixMs::now().as_millis())
            .max(0);
        Some(Duration::from_millis(u64::try_from(wait).unwrap_or(0)))
    }

    /// What follows changes from another device, live or through a mailbox: what arrived may be
    /// the partner's answer to a question this person answered (the key of theirs is published
    /// now); on a joining device the journal itself may just have arrived (this device's record
    /// goes in); and any device the journal names is one to sync with (this publishes).
    pub(crate) fn after_arrival(&mut self) {
        self.open_answers();
        self.look_after_letters();
        if !self.published.borrow().ready && self.shared.is_ready() {
            self.note_own_record();
            self.settle_home_zone();
        }
        self.learn_devices();
        self.learn_mailbox_servers();
    }

    /// Asks for `doc` to be compacted a moment from now if `persisted` says it is due (see
    /// [`crate::compaction`]), and for the first screen to be written again if anything was
    /// stored.
    pub(crate) fn compact_soon(&mut self, doc: DocId, persisted: Persisted) {
        if persisted.stored {
            self.first_screen_soon();
        }
        if persisted.compaction_due {
            self.compact_later(doc);
        }
    }

    /// When the owner should next run [`Device::compact_due`], if anything waits.
    pub(crate) fn next_compaction(&self) -> Option<Instant> {
        self.compactions
            .next()
            .into_iter()
            .chain(self.first_screen_due)
            .min()
    }

    /// Runs the compactions and the writing of the first screen that are due by `now`.
    pub(crate) fn compact_due(&mut self, now: Instant) {
        self.run_compactions(now);
        if self.first_screen_due.is_some_and(|at| at <= now) {
            self.write_first_screen();
        }
    }

    /// Finishes every compaction, and writes the first screen if it is waiting: the device is
    /// closing, and the next open should neither replay what the compactions fold nor show a
    /// stale first screen.
    pub(crate) fn finish_compactions(&mut self) {
        self.finish_saving();
        if self.first_screen_due.is_some() {
            self.write_first_screen();
        }
    }

    /// Replaces `doc` in memory with what the store holds of it. If that fails too, the device is
    /// marked broken: no more changes until Hearth is restarted.
    pub(crate) fn reload(&mut self, doc: DocId) -> Result<(), LoadDocError> {
        let loaded = load_doc(&self.store, doc, &self.id).and_then(|j| match j {
            Some(j) => Ok(j),
            None => actor(&self.id)
                .map(Journal::replica)
                .map_err(LoadDocError::Randomness),
        });
        match loaded {
            Ok(journal) => {
                match doc {
                    DocId::Shared => self.shared = journal,
                    DocId::Private => self.private = Some(journal),
                }
                Ok(())
            }
            Err(e) => {
                tracing::error!(%doc, error = %e, "journal could not be reloaded after a failure");
                self.broken = true;
                Err(e)
            }
        }
    }

    /// Which journal holds an entry (the private one if it has it, else the shared one).
    pub(crate) fn doc_of(&self, id: &EntryId) -> DocId {
        let private = self
            .private
            .as_ref()
            .is_some_and(|j| matches!(j.entry(id), Ok(Some(_)) | Err(_)));
        if private {
            DocId::Private
        } else {
            DocId::Shared
        }
    }
}

/// When a change to the shared journal goes to the partner's connected devices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sending {
    /// While it is stored (decision 0015): a person's own writes, whose time to reach the
    /// partner is what a conversation feels.
    WhileStoring,
    /// After it is stored, when the caller pushes it or the sync step under way answers with it:
    /// the device's own bookkeeping (device records, removals, key epochs, answers and letters
    /// opened), which waits for no one.
    Later,
}
