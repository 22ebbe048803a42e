//! Mailboxes: where this device leaves what the journal's other devices have not acknowledged,
//! and picks up what they left, when they are not online together (docs/decisions/0009-mailbox.md).
//!
//! An exchange with one mailbox runs in three steps. The owner gives a view of the journal (its
//! devices, keys and opaque names); the handle reads the mailbox and opens what the others left;
//! the owner takes it in, exactly as a live sync message is checked and applied, and says what the
//! others still lack; the handle seals and leaves that, writes this device's state (its
//! acknowledgement) and cleans up. The mailbox is read and written outside the owner, so a slow
//! folder never holds up a write.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use hearth_crypto::JournalKey;
use hearth_crypto::exchange::{KeyFor, open_key};
use hearth_crypto::mailbox::{self as sealed, Header, Kind};
use hearth_crypto::ticket::MailboxTicket;
use hearth_journal::{ChangeHash, Missing, TakeError, UnixMs};
use hearth_mailbox::proto::{Hello, MAX_PROOFS, Proof};
use hearth_mailbox::{
    DeviceState, EXPIRY_MS, Entry, FileName, Folder, KeyEntry, KeysFile, Mailbox, blob_name,
    keys_name, state_name,
};
use hearth_net::mailbox::Remote;
use hearth_store::DocId;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::device::Device;
use crate::os::random;
use crate::owner::Inbox;
use crate::persist::persist;
use crate::{Closed, DeviceId, Event, Hearth};

/// Where a mailbox is.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MailboxPlace {
    /// A folder both partners' computers reach.
    Folder {
        /// The folder.
        path: PathBuf,
    },
    /// A mailbox server (`hearth mailbox serve`), by its ticket's text.
    Server {
        /// The server's ticket (`hearthbox1...`).
        ticket: String,
    },
}

impl MailboxPlace {
    /// How the mailbox is named to a person and on the command line: a folder's last path
    /// component; a server's first 8 characters of its id.
    pub fn name(&self) -> String {
        match self {
            MailboxPlace::Folder { path } => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string()),
            MailboxPlace::Server { ticket } => match MailboxTicket::from_text(ticket) {
                Ok(t) => server_name(&t),
                Err(_) => "server".to_owned(),
            },
        }
    }

    /// What a person typed or pasted as a mailbox: a server's ticket if it starts like one (and no
    /// folder of that name is here), else a folder. A ticket that does not read is an error; a
    /// folder is checked when it is added.
    pub fn parse(typed: &str) -> Result<MailboxPlace, MailboxError> {
        let typed = typed.trim();
        let start: String = typed
            .chars()
            .take(hearth_crypto::ticket::MAILBOX_TICKET_PREFIX.len())
            .collect();
        if start.eq_ignore_ascii_case(hearth_crypto::ticket::MAILBOX_TICKET_PREFIX)
            && !std::path::Path::new(typed).exists()
        {
            MailboxPlace::server(typed)
        } else {
            Ok(MailboxPlace::Folder {
                path: PathBuf::from(typed),
            })
        }
    }

    /// A mailbox server's place, from its ticket's text (in any case, with or without spaces
    /// and dashes).
    pub fn server(ticket: &str) -> Result<MailboxPlace, MailboxError> {
        let ticket = MailboxTicket::from_text(ticket).map_err(MailboxError::BadTicket)?;
        Ok(MailboxPlace::Server {
            ticket: ticket.to_text(),
        })
    }

    /// The server's identity, for a server.
    fn server_id(&self) -> Option<[u8; 32]> {
        match self {
            MailboxPlace::Server { ticket } => MailboxTicket::from_text(ticket)
                .ok()
                .map(|t| *t.endpoint_id()),
            MailboxPlace::Folder { .. } => None,
        }
    }
}

/// How a mailbox server is named: the first 8 characters of its id.
fn server_name(ticket: &MailboxTicket) -> String {
    data_encoding::HEXLOWER.encode(&ticket.endpoint_id()[..4])
}

/// A mailbox as this device remembers it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MailboxInfo {
    /// Its name ([`MailboxPlace::name`]).
    pub name: String,
    /// Where it is.
    pub place: MailboxPlace,
    /// When this device last left something in it.
    pub delivered_ms: Option<UnixMs>,
    /// When this device last picked up something new from it.
    pub picked_up_ms: Option<UnixMs>,
    /// When this device last exchanged with it without an error.
    pub exchanged_ms: Option<UnixMs>,
    /// What went wrong at the last exchange, if it failed.
    pub last_error: Option<String>,
}

impl MailboxInfo {
    fn new(place: MailboxPlace) -> MailboxInfo {
        MailboxInfo {
            name: place.name(),
            place,
            delivered_ms: None,
            picked_up_ms: None,
            exchanged_ms: None,
            last_error: None,
        }
    }
}

/// What one exchange with a mailbox did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct MailboxExchange {
    /// The mailbox.
    pub name: String,
    /// Whether this device left something new there.
    pub delivered: bool,
    /// The devices whose changes were picked up (something new arrived from each).
    pub picked_up_from: Vec<DeviceId>,
    /// Devices whose files could not be opened yet (sealed under a key this device has not
    /// received).
    pub waiting_for_key: Vec<DeviceId>,
    /// Why the exchange failed, if it did.
    pub error: Option<String>,
}

/// Why a mailbox could not be added or removed, or no exchange could run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MailboxError {
    /// Not a folder this device can reach.
    #[error("{0} is not a folder this device can reach")]
    NotAFolder(PathBuf),
    /// Not a mailbox server's ticket.
    #[error(transparent)]
    BadTicket(hearth_crypto::ticket::MailboxTicketError),
    /// Another mailbox has that name.
    #[error("a mailbox named “{0}” is there already (a folder of another path with the same name)")]
    NameTaken(String),
    /// No mailbox has that name.
    #[error("no mailbox is named “{0}”; `hearth mailbox list` lists them")]
    NoSuchMailbox(String),
    /// This device was removed from the journal: it leaves nothing anywhere.
    #[error("this device was removed from the journal; it exchanges with no mailbox")]
    Removed,
    /// The list of mailboxes could not be stored.
    #[error("could not store the mailboxes")]
    Setting(#[source] hearth_store::WriteError),
    /// The journal was closed ([`Hearth::shutdown`](crate::Hearth::shutdown)).
    #[error(transparent)]
    Closed(#[from] Closed),
}

/// What the owner tells an exchange about the journal.
struct View {
    journal_id: String,
    me: [u8; 32],
    my_tag: [u8; 8],
    /// The other devices of the journal that are not removed: id and tag.
    others: Vec<([u8; 32], [u8; 8])>,
    /// The tags of removed devices, whose files go.
    removed: Vec<[u8; 8]>,
    keys: BTreeMap<u32, JournalKey>,
    /// The newest epoch's key sealed to each device (empty at epoch 0).
    newest_sealed: Vec<([u8; 32], Vec<u8>)>,
}

impl View {
    fn newest(&self) -> (u32, &JournalKey) {
        let (epoch, key) = self
            .keys
            .iter()
            .next_back()
            .expect("a bound device holds its first key");
        (*epoch, key)
    }
}

/// What the owner did with what was picked up.
struct Taken {
    /// The devices whose blob changed the journal.
    changed: Vec<[u8; 32]>,
    heads: Vec<[u8; 32]>,
    missing: Missing,
    /// The journal as it stands after what was taken in: a removal or a new key may have
    /// arrived. What is left goes under its newest key, to the devices it still counts.
    view: Result<View, MailboxError>,
}

/// A device of the journal, and the heads its state in the mailbox says it holds (`None`: it left
/// no state there that this device could read).
type Acknowledged = ([u8; 32], Option<Vec<[u8; 32]>>);

fn hash_bytes(heads: &[ChangeHash]) -> Vec<[u8; 32]> {
    heads.iter().map(|h| h.0).collect()
}

impl Device {
    fn mailbox_view(&self) -> Result<View, MailboxError> {
        if self.removed_by().is_some() {
            return Err(MailboxError::Removed);
        }
        let journal_id = self.binding.journal_id.as_str().to_owned();
        let tag = |id: &[u8; 32]| sealed::device_tag(journal_id.as_bytes(), id);
        let records = self.shared.devices();
        let removed = self.shared.removed_devices();
        let ids = |refs: &mut dyn Iterator<Item = &hearth_journal::DeviceRef>| -> Vec<[u8; 32]> {
            refs.filter_map(|r| r.as_str().parse::<DeviceId>().ok())
                .map(|d| *d.as_bytes())
                .collect()
        };
        let removed_ids = ids(&mut removed.iter());
        let me = *self.id.as_bytes();
        // Every device the journal or this one's pairings name, but the removed and this one.
        let others: BTreeSet<[u8; 32]> = ids(&mut records.keys())
            .into_iter()
            .chain(self.paired.keys().map(|d| *d.as_bytes()))
            .filter(|d| *d != me && !removed_ids.contains(d))
            .collect();
        let epoch = self.epoch();
        let newest_sealed = self
            .shared
            .epochs()
            .into_iter()
            .find(|r| r.epoch == epoch && epoch > 0)
            .map(|r| {
                r.keys
                    .into_iter()
                    .filter_map(|(d, k)| {
                        Some((*d.as_str().parse::<DeviceId>().ok()?.as_bytes(), k))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(View {
            my_tag: tag(&me),
            others: others.iter().map(|d| (*d, tag(d))).collect(),
            removed: removed_ids.iter().map(tag).collect(),
            keys: self.journal_keys(),
            newest_sealed,
            me,
            journal_id,
        })
    }

    /// Opens an epoch's key sealed to this device (from another device's keys file).
    fn open_mailbox_key(&self, epoch: u32, sealed: &[u8]) -> Option<JournalKey> {
        let secret = self.store.device_secret_key().ok()?;
        let to = KeyFor {
            journal_id: self.binding.journal_id.as_str(),
            epoch,
            device: self.id.as_bytes(),
        };
        open_key(&secret, sealed, &to).ok()
    }

    /// Takes in what was picked up, then says what the devices whose acknowledged heads are
    /// `acknowledged` still lack.
    fn take_from_mailbox(
        &mut self,
        picked: Vec<([u8; 32], Vec<u8>)>,
        acknowledged: Vec<Acknowledged>,
    ) -> Taken {
        let mut changed = Vec::new();
        for (from, bytes) in picked {
            if self.broken {
                break;
            }
            let before = self.shared.heads();
            match self.shared.take_from_mailbox(&bytes) {
                Ok(()) => {}
                Err(TakeError::Sync(hearth_journal::sync::SyncError::Panicked)) => {
                    tracing::warn!("a mailbox file broke Automerge; the journal is reloaded");
                    let _ = self.reload(DocId::Shared);
                    continue;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "refused what a device left in a mailbox");
                    continue;
                }
            }
            if self.shared.heads() == before {
                continue;
            }
            match persist(&self.store, DocId::Shared, &mut self.shared) {
                Ok(persisted) => self.compact_soon(DocId::Shared, persisted),
                Err(e) => {
                    tracing::warn!(error = %e, "could not store what a mailbox held");
                    let _ = self.reload(DocId::Shared);
                    continue;
                }
            }
            changed.push(from);
        }
        if !changed.is_empty() {
            if let Err(e) = self.carry_over() {
                tracing::warn!(error = %e, "could not carry this device's entries over");
            }
            self.after_arrival();
            self.emit(Event::JournalChanged { by_partner: true });
        }
        let view = self.mailbox_view();
        let counted: BTreeSet<[u8; 32]> = match &view {
            Ok(v) => v.others.iter().map(|(id, _)| *id).collect(),
            Err(_) => BTreeSet::new(),
        };
        // A device that left no state here is known to hold what it held when the two last
        // synced live; one never met holds nothing yet. A device removed meanwhile lacks
        // nothing it will be given.
        let acknowledged: Vec<Option<Vec<ChangeHash>>> = acknowledged
            .into_iter()
            .filter(|(id, _)| counted.contains(id))
            .map(|(id, heads)| match heads {
                Some(heads) => Some(heads.into_iter().map(ChangeHash).collect()),
                None => self.last_synced_heads(id),
            })
            .collect();
        let missing = self.shared.missing_for(&acknowledged);
        self.mailbox_heads = self.shared.heads();
        Taken {
            changed,
            heads: hash_bytes(&self.shared.heads()),
            missing,
            view,
        }
    }

    /// The heads this device and `peer` last agreed on in a live sync, if they ever did.
    fn last_synced_heads(&self, peer: [u8; 32]) -> Option<Vec<ChangeHash>> {
        let bytes = self.store.load_sync_state(peer).ok()??;
        let state = hearth_journal::sync::PeerSync::restore(&bytes).ok()?;
        let heads = state.shared_heads().to_vec();
        (!heads.is_empty()).then_some(heads)
    }

    /// Keeps this device's mailbox servers as the journal names them: a server another device
    /// added is added here, one removed is removed, a newer ticket (new addresses) replaces the
    /// older. Folders are this device's own.
    pub(crate) fn learn_mailbox_servers(&mut self) {
        if !self.shared.is_ready() || self.removed_by().is_some() {
            return;
        }
        let named: BTreeMap<[u8; 32], String> = self
            .shared
            .mailbox_servers()
            .into_values()
            .filter_map(|text| {
                let ticket = MailboxTicket::from_text(&text).ok()?;
                Some((*ticket.endpoint_id(), ticket.to_text()))
            })
            .collect();
        let mut mailboxes = self.settings.mailboxes.clone();
        mailboxes.retain(|m| m.place.server_id().is_none_or(|id| named.contains_key(&id)));
        for (id, ticket) in &named {
            let place = MailboxPlace::Server {
                ticket: ticket.clone(),
            };
            match mailboxes
                .iter_mut()
                .find(|m| m.place.server_id() == Some(*id))
            {
                Some(there) => there.place = place,
                None => mailboxes.push(MailboxInfo::new(place)),
            }
        }
        if mailboxes != self.settings.mailboxes
            && let Err(e) = self.change_settings(|s| s.mailboxes = mailboxes)
        {
            tracing::warn!(error = %e, "could not store the mailbox servers the journal names");
        }
    }

    fn note_exchange(&mut self, name: &str, result: &MailboxExchange) {
        let now = UnixMs::now();
        let changed = self.change_settings(|s| {
            if let Some(m) = s.mailboxes.iter_mut().find(|m| m.name == name) {
                if result.error.is_none() {
                    m.exchanged_ms = Some(now);
                }
                if result.delivered {
                    m.delivered_ms = Some(now);
                }
                if !result.picked_up_from.is_empty() {
                    m.picked_up_ms = Some(now);
                }
                m.last_error.clone_from(&result.error);
            }
        });
        if let Err(e) = changed {
            tracing::warn!(error = %e, "could not remember the mailbox exchange");
        }
    }
}

impl Hearth {
    /// Adds a mailbox. Adding one that is there already is not an error. The next exchange
    /// ([`Hearth::exchange_with_mailboxes`]) uses it.
    pub async fn add_mailbox(&self, place: MailboxPlace) -> Result<MailboxInfo, MailboxError> {
        let place = match place {
            MailboxPlace::Folder { path } => {
                let path = std::fs::canonicalize(&path)
                    .ok()
                    .filter(|p| p.is_dir())
                    .ok_or(MailboxError::NotAFolder(path))?;
                MailboxPlace::Folder { path }
            }
            MailboxPlace::Server { ticket } => MailboxPlace::server(&ticket)?,
        };
        let added = self
            .call(move |d| {
                if let Some(there) = d.settings.mailboxes.iter().find(|m| m.place == place) {
                    return Ok(there.clone());
                }
                let info = match place.server_id().and_then(|id| {
                    d.settings
                        .mailboxes
                        .iter()
                        .position(|m| m.place.server_id() == Some(id))
                }) {
                    // The same server, reached at new addresses: its newer ticket replaces
                    // the older.
                    Some(at) => {
                        let mut info = d.settings.mailboxes[at].clone();
                        info.place = place;
                        let replaced = info.clone();
                        d.change_settings(|s| s.mailboxes[at] = replaced)
                            .map_err(MailboxError::Setting)?;
                        info
                    }
                    None => {
                        let info = MailboxInfo::new(place);
                        if d.settings.mailboxes.iter().any(|m| m.name == info.name) {
                            return Err(MailboxError::NameTaken(info.name));
                        }
                        let added = info.clone();
                        d.change_settings(|s| s.mailboxes.push(added))
                            .map_err(MailboxError::Setting)?;
                        info
                    }
                };
                // A server is the couple's: the journal tells their other devices about it.
                if let MailboxPlace::Server { ticket } = &info.place
                    && let Some(id) = info.place.server_id()
                    && d.shared.is_ready()
                {
                    let id = data_encoding::HEXLOWER.encode(&id);
                    let ticket = ticket.clone();
                    if let Err(e) =
                        d.apply(DocId::Shared, |j| j.put_mailbox_server(&id, &ticket))
                    {
                        tracing::warn!(error = %e, "could not name the mailbox server in the journal");
                    }
                }
                Ok(info)
            })
            .await??;
        self.push();
        Ok(added)
    }

    /// The mailboxes this device exchanges with.
    pub async fn mailboxes(&self) -> Result<Vec<MailboxInfo>, Closed> {
        self.call(|d| d.settings.mailboxes.clone()).await
    }

    /// Stops exchanging with the mailbox named `name`. What this device left there stays until
    /// the others have it or it expires.
    pub async fn remove_mailbox(&self, name: &str) -> Result<(), MailboxError> {
        let name = name.to_owned();
        self.call(move |d| {
            let Some(there) = d.settings.mailboxes.iter().find(|m| m.name == name) else {
                return Err(MailboxError::NoSuchMailbox(name));
            };
            // The couple stops using a server: the journal tells their other devices.
            if let Some(id) = there.place.server_id() {
                let id = data_encoding::HEXLOWER.encode(&id);
                if let Err(e) = d.apply(DocId::Shared, |j| j.remove_mailbox_server(&id)) {
                    tracing::warn!(error = %e, "could not remove the mailbox server from the journal");
                }
            }
            d.change_settings(|s| s.mailboxes.retain(|m| m.name != name))
                .map_err(MailboxError::Setting)
        })
        .await??;
        self.push();
        Ok(())
    }

    /// Exchanges with every mailbox: picks up what the journal's other devices left, leaves what
    /// they have not acknowledged, acknowledges, and cleans up. One mailbox failing does not stop
    /// the others; each result says how it went. Exchanges run one at a time (the running
    /// device also exchanges by itself: on start, after changes, and every few minutes).
    pub async fn exchange_with_mailboxes(&self) -> Result<Vec<MailboxExchange>, MailboxError> {
        let _turn = self.core.mailbox_turn.lock().await;
        exchange_all(&self.core.inbox, &self.core.events, &self.core.dialer).await
    }
}

/// How long after a change the running device waits before exchanging: changes made in a burst
/// go in one upload.
const AFTER_CHANGE: Duration = Duration::from_secs(2);
/// How often the running device exchanges anyway, to pick up what the others left.
const EVERY: Duration = Duration::from_secs(3 * 60);

/// Exchanges with the mailboxes by itself while the device runs: on start, a moment after each
/// change, and every few minutes; until `stop`.
pub(crate) async fn keep_mailboxes(
    inbox: Inbox,
    events: broadcast::Sender<Event>,
    dialer: Dialer,
    turn: Arc<tokio::sync::Mutex<()>>,
    stop: CancellationToken,
) {
    let mut heard = events.subscribe();
    let mut due = Some(Instant::now());
    loop {
        let wake = due.unwrap_or_else(|| Instant::now() + EVERY);
        tokio::select! {
            biased;
            _ = stop.cancelled() => return,
            event = heard.recv() => match event {
                Ok(Event::EntryAdded { .. } | Event::EntryChanged { .. }
                    | Event::JournalChanged { .. } | Event::Paired { .. })
                | Err(RecvError::Lagged(_)) => {
                    let soon = Instant::now() + AFTER_CHANGE;
                    due = Some(due.map_or(soon, |d| d.min(soon)));
                }
                Ok(_) => {}
                Err(RecvError::Closed) => return,
            },
            _ = tokio::time::sleep_until(wake) => {
                due = None;
                let exchanged = async {
                    let _turn = turn.lock().await;
                    exchange_all(&inbox, &events, &dialer).await
                };
                tokio::select! {
                    biased;
                    _ = stop.cancelled() => return,
                    result = exchanged => match result {
                        Ok(_) | Err(MailboxError::Removed) => {}
                        Err(MailboxError::Closed(_)) => return,
                        Err(e) => tracing::warn!(error = %e, "mailbox exchange failed"),
                    },
                }
                // What this exchange picked up raised events of its own: not a reason to
                // exchange again right away.
                while let Ok(event) = heard.try_recv() {
                    if let Event::EntryAdded { .. } | Event::EntryChanged { .. } = event {
                        due = Some(Instant::now() + AFTER_CHANGE);
                    }
                }
            }
        }
    }
}

async fn exchange_all(
    inbox: &Inbox,
    events: &broadcast::Sender<Event>,
    dialer: &Dialer,
) -> Result<Vec<MailboxExchange>, MailboxError> {
    let mailboxes = inbox.call(|d| d.settings.mailboxes.clone()).await?;
    let mut out = Vec::with_capacity(mailboxes.len());
    for m in mailboxes {
        let view = inbox.call(|d| d.mailbox_view()).await??;
        let mut result = match &m.place {
            MailboxPlace::Folder { path } => {
                let mailbox = Folder::new(path, &sealed::mailbox_id(view.journal_id.as_bytes()));
                exchange(inbox, &mailbox, &view).await
            }
            MailboxPlace::Server { ticket } => match open_server(dialer, ticket, &view).await {
                Ok(remote) => {
                    let result = exchange(inbox, &remote, &view).await;
                    remote.close().await;
                    result
                }
                Err(error) => MailboxExchange {
                    error: Some(error),
                    ..MailboxExchange::default()
                },
            },
        };
        result.name.clone_from(&m.name);
        let noted = result.clone();
        let name = m.name.clone();
        inbox.call(move |d| d.note_exchange(&name, &noted)).await?;
        let _ = events.send(Event::Mailbox {
            name: result.name.clone(),
            delivered: result.delivered,
            picked_up: !result.picked_up_from.is_empty(),
            error: result.error.clone(),
        });
        out.push(result);
    }
    Ok(out)
}

/// Reaches a mailbox server and greets it for this journal: the devices it should let in, and
/// proof of the newest epochs' keys, so that it may change that list.
async fn open_server(dialer: &Dialer, ticket: &str, view: &View) -> Result<Remote, String> {
    let ticket = MailboxTicket::from_text(ticket).map_err(|e| e.to_string())?;
    let endpoint = dialer.endpoint().await?;
    let journal_id = view.journal_id.as_bytes();
    let proofs = view
        .keys
        .iter()
        .rev()
        .take(MAX_PROOFS)
        .map(|(epoch, key)| Proof {
            epoch: *epoch,
            token: *sealed::server_access(key, journal_id),
        })
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let hello = Hello {
        mailbox_id: sealed::mailbox_id(journal_id),
        setup: Some(*ticket.setup().expose()),
        proofs,
        devices: std::iter::once(view.me)
            .chain(view.others.iter().map(|(id, _)| *id))
            .collect(),
    };
    Remote::open(&endpoint, &ticket, hello)
        .await
        .map_err(|e| e.to_string())
}

/// How this device reaches mailbox servers: through its running network, or, while that is off,
/// an endpoint of its own made when first needed.
#[derive(Clone)]
pub(crate) struct Dialer(Arc<DialerInner>);

enum DialerInner {
    /// The network's own endpoint, let go at close so that its UDP port is free for the next open.
    Node(std::sync::Mutex<Option<hearth_net::Endpoint>>),
    Offline {
        config: hearth_net::NetConfig,
        endpoint: tokio::sync::OnceCell<hearth_net::Endpoint>,
    },
}

impl Dialer {
    pub(crate) fn node(endpoint: hearth_net::Endpoint) -> Dialer {
        Dialer(Arc::new(DialerInner::Node(std::sync::Mutex::new(Some(
            endpoint,
        )))))
    }

    pub(crate) fn offline(config: hearth_net::NetConfig) -> Dialer {
        Dialer(Arc::new(DialerInner::Offline {
            config,
            endpoint: tokio::sync::OnceCell::new(),
        }))
    }

    async fn endpoint(&self) -> Result<hearth_net::Endpoint, String> {
        match &*self.0 {
            DialerInner::Node(endpoint) => endpoint
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clone()
                .ok_or_else(|| "the device is closing".to_string()),
            DialerInner::Offline { config, endpoint } => endpoint
                .get_or_try_init(|| hearth_net::mailbox::client_endpoint(config))
                .await
                .cloned()
                .map_err(|e| format!("could not open the network: {e}")),
        }
    }

    /// Closes an endpoint made for the mailboxes, and lets go of the network's own (which closes
    /// with the network).
    pub(crate) async fn close(&self) {
        match &*self.0 {
            DialerInner::Node(endpoint) => {
                endpoint
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .take();
            }
            DialerInner::Offline { endpoint, .. } => {
                if let Some(endpoint) = endpoint.get() {
                    endpoint.close().await;
                }
            }
        }
    }
}

async fn exchange(inbox: &Inbox, mailbox: &impl Mailbox, view: &View) -> MailboxExchange {
    let mut result = MailboxExchange::default();
    if let Err(e) = exchange_steps(inbox, mailbox, view, &mut result).await {
        result.error = Some(e);
    }
    result.waiting_for_key.sort();
    result.waiting_for_key.dedup();
    result
}

async fn exchange_steps(
    inbox: &Inbox,
    mailbox: &impl Mailbox,
    view: &View,
    result: &mut MailboxExchange,
) -> Result<(), String> {
    let text = |e: &dyn std::error::Error| crate::with_causes(e);
    let listed = mailbox.list().await.map_err(|e| text(&e))?;
    let now = UnixMs::now().as_unsigned_millis();
    // A file past the expiry counts as gone: a device that was away that long is sent what it
    // lacks afresh (the whole journal, if nothing else says what it holds).
    let expired: BTreeSet<&str> = listed
        .iter()
        .filter(|e| e.modified_ms.saturating_add(EXPIRY_MS) < now)
        .map(|e| e.name.as_str())
        .collect();
    let live: Vec<Entry> = listed
        .iter()
        .filter(|e| !expired.contains(e.name.as_str()))
        .cloned()
        .collect();
    let files = Files::of(&live);
    let mut written = BTreeSet::new();
    let mut opener = Opener {
        inbox,
        view,
        mailbox,
        keys_files: &files.keys,
        received: BTreeMap::new(),
    };
    let mine: DeviceState = match files.state.contains(&view.my_tag) {
        true => opener
            .open(&state_name(&view.my_tag), &view.me)
            .await
            .ok()
            .flatten()
            .and_then(|(_, bytes)| DeviceState::decode(&bytes).ok())
            .unwrap_or_default(),
        false => DeviceState::default(),
    };
    let mut applied = mine.applied.clone();
    let mut taken_of_mine = 0u64;
    let mut acknowledged = Vec::new();
    let mut picked = Vec::new();
    let mut picked_seqs = Vec::new();
    for (id, tag) in &view.others {
        let state = match files.state.contains(tag) {
            true => match opener.open(&state_name(tag), id).await {
                Ok(Some((header, bytes))) if header.kind == Kind::State => {
                    DeviceState::decode(&bytes).ok()
                }
                Ok(Some(_)) => None,
                Ok(None) => None,
                Err(Unopened::NoKey) => {
                    result.waiting_for_key.extend(DeviceId::from_bytes(id));
                    None
                }
                Err(Unopened::Failed(e)) => {
                    tracing::warn!(error = %e, "a device's state in a mailbox is unreadable");
                    None
                }
            },
            false => None,
        };
        if let Some(seen) = state.as_ref().and_then(|s| s.applied.get(&view.me)) {
            // A new blob of this device must number above any the others took in, even if this
            // device's clock went back or its older blobs are gone.
            taken_of_mine = taken_of_mine.max(*seen);
        }
        acknowledged.push((*id, state.as_ref().map(|s| s.heads.clone())));
        let Some(&seq) = files.newest_blob.get(tag) else {
            continue;
        };
        if applied.get(id).is_some_and(|done| *done >= seq) {
            continue;
        }
        match opener.open(&blob_name(tag, seq), id).await {
            Ok(Some((header, bytes))) if header.kind == Kind::Blob && header.seq == seq => {
                picked.push((*id, bytes.to_vec()));
                picked_seqs.push((*id, seq));
            }
            Ok(_) => {}
            Err(Unopened::NoKey) => result.waiting_for_key.extend(DeviceId::from_bytes(id)),
            Err(Unopened::Failed(e)) => {
                tracing::warn!(error = %e, "a blob in a mailbox is unreadable");
                // It will not open later either: do not fetch it again.
                picked_seqs.push((*id, seq));
            }
        }
    }
    let taken = inbox
        .call(move |d| d.take_from_mailbox(picked, acknowledged))
        .await
        .map_err(|e| text(&e))?;
    for (id, seq) in picked_seqs {
        applied.insert(id, seq);
    }
    result.picked_up_from = taken
        .changed
        .iter()
        .filter_map(DeviceId::from_bytes)
        .collect();
    let view = &taken.view.map_err(|e| e.to_string())?;
    let (epoch, key) = view.newest();
    let my_blobs: Vec<u64> = files.blobs.get(&view.my_tag).cloned().unwrap_or_default();
    let heads_moved = mine.heads != taken.heads || !files.state.contains(&view.my_tag);
    match taken.missing.bytes() {
        Some(bytes) if heads_moved || my_blobs.is_empty() => {
            let seq = now
                .max(my_blobs.iter().max().map_or(0, |s| s + 1))
                .max(taken_of_mine.saturating_add(1));
            let header = Header {
                kind: Kind::Blob,
                epoch,
                seq,
            };
            if bytes.len() > sealed::MAX_PAYLOAD {
                return Err(format!(
                    "what the other devices lack ({} MiB) is more than a mailbox file holds; \
                     they catch up when they next meet this device",
                    bytes.len() >> 20
                ));
            }
            let file = sealed::seal(
                key,
                view.journal_id.as_bytes(),
                &view.me,
                header,
                bytes,
                random().map_err(|e| text(&e))?,
            );
            let name = blob_name(&view.my_tag, seq);
            mailbox.put(&name, file).await.map_err(|e| text(&e))?;
            written.insert(name);
            result.delivered = true;
            for old in my_blobs.iter().filter(|s| **s < seq) {
                delete(mailbox, &blob_name(&view.my_tag, *old)).await;
            }
        }
        Some(_) => {}
        // Every device has everything this one holds: what it left is of no more use.
        None => {
            for old in &my_blobs {
                delete(mailbox, &blob_name(&view.my_tag, *old)).await;
            }
        }
    }
    if epoch > 0 && (result.delivered || !files.keys.contains(&view.my_tag)) {
        let keys = KeysFile {
            epoch,
            keys: view
                .newest_sealed
                .iter()
                .filter_map(|(d, k)| {
                    Some(KeyEntry {
                        tag: sealed::device_tag(view.journal_id.as_bytes(), d),
                        sealed: k.as_slice().try_into().ok()?,
                    })
                })
                .collect(),
        };
        let name = keys_name(&view.my_tag);
        mailbox
            .put(&name, keys.encode())
            .await
            .map_err(|e| text(&e))?;
        written.insert(name);
    }
    let state = DeviceState {
        heads: taken.heads,
        applied,
    };
    if state != mine || !files.state.contains(&view.my_tag) {
        let header = Header {
            kind: Kind::State,
            epoch,
            seq: now,
        };
        let file = sealed::seal(
            key,
            view.journal_id.as_bytes(),
            &view.me,
            header,
            &state.encode(),
            random().map_err(|e| text(&e))?,
        );
        let name = state_name(&view.my_tag);
        mailbox.put(&name, file).await.map_err(|e| text(&e))?;
        written.insert(name);
    }
    // Files past the expiry, and every file of a removed device, go.
    for entry in &listed {
        let Some(name) = FileName::parse(&entry.name) else {
            continue;
        };
        let expired = expired.contains(entry.name.as_str()) && !written.contains(&entry.name);
        if expired || view.removed.contains(&name.tag()) {
            delete(mailbox, &entry.name).await;
        }
    }
    Ok(())
}

async fn delete(mailbox: &impl Mailbox, name: &str) {
    if let Err(e) = mailbox.delete(name).await {
        tracing::warn!(error = %e, "could not clean up a mailbox file");
    }
}

/// The files of a listing, by device tag.
struct Files {
    state: BTreeSet<[u8; 8]>,
    keys: BTreeSet<[u8; 8]>,
    blobs: BTreeMap<[u8; 8], Vec<u64>>,
    newest_blob: BTreeMap<[u8; 8], u64>,
}

impl Files {
    fn of(listed: &[Entry]) -> Files {
        let mut files = Files {
            state: BTreeSet::new(),
            keys: BTreeSet::new(),
            blobs: BTreeMap::new(),
            newest_blob: BTreeMap::new(),
        };
        for entry in listed {
            match FileName::parse(&entry.name) {
                Some(FileName::State(tag)) => {
                    files.state.insert(tag);
                }
                Some(FileName::Keys(tag)) => {
                    files.keys.insert(tag);
                }
                Some(FileName::Blob(tag, seq)) => {
                    files.blobs.entry(tag).or_default().push(seq);
                    let newest = files.newest_blob.entry(tag).or_insert(seq);
                    *newest = (*newest).max(seq);
                }
                None => {}
            }
        }
        files
    }
}

/// Why a file was not opened.
enum Unopened {
    /// It is sealed under an epoch's key this device does not hold, and no keys file gives it.
    NoKey,
    /// It is not a file Hearth wrote for this journal and device.
    Failed(String),
}

/// Opens the files of an exchange, finding each epoch's key among the held ones or in the keys
/// files other devices left.
struct Opener<'a, M> {
    inbox: &'a Inbox,
    view: &'a View,
    mailbox: &'a M,
    keys_files: &'a BTreeSet<[u8; 8]>,
    /// Keys of epochs taken from keys files during this exchange.
    received: BTreeMap<u32, Option<JournalKey>>,
}

impl<M: Mailbox> Opener<'_, M> {
    async fn open(
        &mut self,
        name: &str,
        writer: &[u8; 32],
    ) -> Result<Option<(Header, zeroize::Zeroizing<Vec<u8>>)>, Unopened> {
        let Some(file) = self
            .mailbox
            .get(name)
            .await
            .map_err(|e| Unopened::Failed(e.to_string()))?
        else {
            return Ok(None);
        };
        let header = sealed::header(&file).map_err(|e| Unopened::Failed(e.to_string()))?;
        let key = match self.view.keys.get(&header.epoch) {
            Some(key) => key.clone(),
            None => self
                .key_from_files(header.epoch)
                .await
                .ok_or(Unopened::NoKey)?,
        };
        sealed::open(&key, self.view.journal_id.as_bytes(), writer, &file)
            .map(Some)
            .map_err(|e| Unopened::Failed(e.to_string()))
    }

    /// The key of `epoch`, from a keys file another device left that seals it to this device.
    async fn key_from_files(&mut self, epoch: u32) -> Option<JournalKey> {
        if let Some(known) = self.received.get(&epoch) {
            return known.clone();
        }
        let mut found = None;
        for tag in self.keys_files.iter() {
            let Ok(Some(bytes)) = self.mailbox.get(&keys_name(tag)).await else {
                continue;
            };
            let Ok(file) = KeysFile::decode(&bytes) else {
                continue;
            };
            if file.epoch != epoch {
                continue;
            }
            let Some(mine) = file.keys.iter().find(|k| k.tag == self.view.my_tag) else {
                continue;
            };
            let sealed_key = mine.sealed.to_vec();
            if let Ok(Some(key)) = self
                .inbox
                .call(move |d| d.open_mailbox_key(epoch, &sealed_key))
                .await
            {
                found = Some(key);
                break;
            }
        }
        self.received.insert(epoch, found.clone());
        found
    }
}
