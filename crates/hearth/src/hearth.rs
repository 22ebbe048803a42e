//! `Hearth`: creating or opening a device's journal, starting its owner and its network, and
//! shutting them down in order.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use hearth_crypto::{DeviceSecret, JournalKey, KdfParams, Passphrase};
use hearth_journal::{DeviceRecord, Journal, JournalId, Member, MemberId, Owner, UnixMs};
use hearth_net::{EndpointId, NetConfig, NetworkMode, Node};
use hearth_store::{DocId, JournalBinding, Store};
use tokio::sync::{broadcast, watch};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::device::{Binding, Device, Published};
use crate::devices::default_device_name;
use crate::events::{Event, forward};
use crate::net_requests::NetRequests;
use crate::os::{actor, random};
use crate::owner::Inbox;
use crate::pairing::CARRY_OVER;
use crate::persist::{load_doc, persist};
use crate::settings::Settings;
use crate::{
    Closed, CreateError, DeviceId, NameError, OpenError, Options, SettingsError, StartError,
    WriteError,
};

/// The longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// How long closing waits to leave the latest changes in the mailboxes.
const MAILBOX_AT_CLOSE: std::time::Duration = std::time::Duration::from_secs(15);

/// How many events may wait for a slow listener before it misses some.
const EVENT_BUFFER: usize = 1024;

/// A device's journal: the encrypted store, the shared and private journals, and the network, behind
/// one async API and one stream of [`Event`]s.
///
/// A `Hearth` is a handle: cloning it is cheap, and every clone talks to the same device. One
/// owner ([`crate::owner`]) holds the store and the journals and serves the handles' requests one
/// at a time; every change is stored durably before the command returns. [`Hearth::shutdown`]
/// closes the device for every handle.
#[derive(Clone)]
pub struct Hearth {
    pub(crate) core: Arc<Core>,
}

/// What every handle of one device shares.
pub(crate) struct Core {
    /// Requests to the owner of the store and journals.
    pub(crate) inbox: Inbox,
    /// What the owner publishes for reads that must not wait.
    pub(crate) published: watch::Receiver<Published>,
    /// The network, until shutdown takes it.
    node: Mutex<NodeSlot>,
    pub(crate) events: broadcast::Sender<Event>,
    /// This device.
    pub(crate) device: DeviceId,
    pub(crate) options: Options,
    pub(crate) network: NetworkMode,
    /// Whether the network announces this device and looks for its partners on the local
    /// network (mDNS): the stored setting, unless the options turned it off.
    pub(crate) lan_discovery: bool,
    /// The owner's thread and the event forwarder.
    tasks: TaskTracker,
    /// Stops the event forwarder.
    stop: CancellationToken,
    /// Set once shutdown has run: a second caller waits for the first.
    closed: tokio::sync::OnceCell<()>,
    /// Held while an exchange with the mailboxes runs: one at a time.
    pub(crate) mailbox_turn: Arc<tokio::sync::Mutex<()>>,
    /// How mailbox servers are reached.
    pub(crate) dialer: crate::mailbox::Dialer,
    /// Wakes the letters' keeper when a letter is written (its moment may be the next).
    pub(crate) letters: Arc<tokio::sync::Notify>,
}

/// Where the network stands.
enum NodeSlot {
    /// Opened without the network.
    Off,
    Running(Arc<Node>),
    /// Taken by [`Hearth::shutdown`].
    Closed,
}

impl Drop for Core {
    /// The last handle went away without [`Hearth::shutdown`]: the network stops, and the owner
    /// closes the store once the network's last request is answered.
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

impl std::fmt::Debug for Hearth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hearth")
            .field("device", &self.core.device)
            .finish_non_exhaustive()
    }
}

/// Checks a display name and returns it trimmed.
pub(crate) fn check_name(name: &str) -> Result<String, NameError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(NameError::TooLong { chars });
    }
    Ok(name.to_owned())
}

/// What opening the store yields before the owner and the network start.
struct Opened {
    device: Device,
    published: watch::Receiver<Published>,
    events: broadcast::Sender<Event>,
    endpoint: EndpointId,
    secret: DeviceSecret,
}

impl Opened {
    fn new(
        store: Store,
        secret: DeviceSecret,
        binding: Binding,
        shared: Journal,
        settings: Settings,
        options: &Options,
    ) -> Opened {
        let endpoint = iroh::SecretKey::from_bytes(secret.expose()).public();
        let exchange = secret.exchange_public();
        let events = broadcast::channel(EVENT_BUFFER).0;
        let (published_tx, published) = watch::channel(Published::default());
        let device = Device {
            store,
            id: DeviceId::new(endpoint),
            binding,
            shared,
            private: None,
            sessions: HashMap::new(),
            paired: BTreeMap::new(),
            carry: None,
            broken: false,
            events: events.clone(),
            published: published_tx,
            zone: options.time_zone.clone(),
            settings,
            warned: BTreeSet::new(),
            compactions: crate::compaction::Compactions::new(),
            first_screen_due: None,
            answer_keys_stored: BTreeSet::new(),
            letters_looked_at: 0,
            exchange,
            invite_for: None,
            reachable: None,
            learned: None,
            epoch_keys: BTreeMap::new(),
            outdated: BTreeMap::new(),
            mailbox_heads: Vec::new(),
        };
        device.publish();
        Opened {
            device,
            published,
            events,
            endpoint,
            secret,
        }
    }
}

impl Hearth {
    /// Whether `dir` holds a device's journal (whether [`Hearth::open`] has something to open).
    pub fn exists(dir: impl AsRef<Path>) -> bool {
        Store::exists(dir.as_ref())
    }

    /// Creates a new journal in `dir`, locked with `passphrase`, with `name` as this person's
    /// name, then starts the network (unless `options.start_network` is off).
    pub async fn create(
        dir: impl AsRef<Path>,
        passphrase: &Passphrase,
        name: &str,
        options: Options,
    ) -> Result<Hearth, CreateError> {
        let name = check_name(name).map_err(CreateError::Name)?;
        // Boxed, as every way to open a device: what opening holds is large, and a caller's
        // stack should not carry it.
        Box::pin(Hearth::create_new(
            dir.as_ref(),
            passphrase,
            NewStore::Person(name),
            options,
        ))
        .await
    }

    /// Creates a home device in `dir`, locked with `passphrase`: a device with no person, which
    /// keeps the journal for both once it joins an invitation made for a home device
    /// ([`NewDevice::Home`](crate::NewDevice::Home)), and writes nothing of its own.
    pub async fn create_home(
        dir: impl AsRef<Path>,
        passphrase: &Passphrase,
        options: Options,
    ) -> Result<Hearth, CreateError> {
        Box::pin(Hearth::create_new(
            dir.as_ref(),
            passphrase,
            NewStore::Home,
            options,
        ))
        .await
    }

    async fn create_new(
        dir: &Path,
        passphrase: &Passphrase,
        new: NewStore,
        options: Options,
    ) -> Result<Hearth, CreateError> {
        let dir = dir.to_path_buf();
        let passphrase = passphrase.clone();
        let opts = options.clone();
        let opened =
            tokio::task::spawn_blocking(move || create_blocking(&dir, &passphrase, new, &opts))
                .await
                .map_err(CreateError::Interrupted)??;
        start(opened, options).await.map_err(CreateError::Network)
    }

    /// Opens the journal in `dir` with `passphrase`, then starts the network (unless
    /// `options.start_network` is off).
    pub async fn open(
        dir: impl AsRef<Path>,
        passphrase: &Passphrase,
        options: Options,
    ) -> Result<Hearth, OpenError> {
        Self::open_showing(dir, passphrase, options, |_| {}).await
    }

    /// Opens the journal as [`Hearth::open`] does, and, as soon as the passphrase is known to be
    /// right and before the journal loads (which takes seconds for a journal of years), gives
    /// `show` the first screen kept from the last time: Today and the newest entries as they
    /// stood, if nothing changed since. `show` is not called when there is none, or it is stale
    /// (see [`FirstScreen`](crate::FirstScreen)). It runs on a blocking thread of the runtime.
    pub async fn open_showing(
        dir: impl AsRef<Path>,
        passphrase: &Passphrase,
        options: Options,
        show: impl FnOnce(crate::FirstScreen) + Send + 'static,
    ) -> Result<Hearth, OpenError> {
        let dir = dir.as_ref().to_path_buf();
        let passphrase = passphrase.clone();
        Box::pin(async move {
            let opts = options.clone();
            let opened =
                tokio::task::spawn_blocking(move || open_blocking(&dir, &passphrase, &opts, show))
                    .await
                    .map_err(OpenError::Interrupted)??;
            start(opened, options).await.map_err(OpenError::Network)
        })
        .await
    }

    /// Events from now on: local writes, the partner's changes arriving, presence, syncs,
    /// pairings and warnings.
    pub fn events(&self) -> broadcast::Receiver<Event> {
        self.core.events.subscribe()
    }

    /// Whether the shared journal is here (false on a device that joined and has not yet received
    /// its partner's journal).
    pub fn journal_ready(&self) -> bool {
        self.core.published.borrow().ready
    }

    /// The network mode in use for this run.
    pub fn network_mode(&self) -> &NetworkMode {
        &self.core.network
    }

    /// Whether the network runs.
    pub fn is_online(&self) -> bool {
        matches!(self.node(), Ok(Some(_)))
    }

    /// Closes the device, for this handle and every clone of it, in this order:
    ///
    /// 1. the network: dialers cancel, live sessions end and save their sync state, the router
    ///    and its protocol handlers close, then the endpoint;
    /// 2. the event forwarder stops;
    /// 3. the owner runs a compaction still waiting, closes the store and stops.
    ///
    /// When it returns, no task of this device is running and the data directory may be opened
    /// again. Requests through any handle then fail with [`Closed`]. Calling it again, from any
    /// handle, waits for the first call to finish and does nothing more.
    pub async fn shutdown(&self) {
        self.core.closed.get_or_init(|| self.close_in_order()).await;
    }

    async fn close_in_order(&self) {
        // What changed since the last exchange with the mailboxes goes there before closing, so
        // that a partner who comes online after this device sleeps finds it.
        let unsent = self
            .call(|d| {
                !d.settings.mailboxes.is_empty()
                    && d.removed_by().is_none()
                    && d.shared.heads() != d.mailbox_heads
            })
            .await
            .unwrap_or(false);
        if unsent {
            let flushed =
                tokio::time::timeout(MAILBOX_AT_CLOSE, self.exchange_with_mailboxes()).await;
            if !matches!(flushed, Ok(Ok(_))) {
                tracing::warn!(
                    "could not leave the latest changes in the mailboxes before closing"
                );
            }
        }
        self.core.dialer.close().await;
        let node = std::mem::replace(&mut *self.slot(), NodeSlot::Closed);
        if let NodeSlot::Running(node) = node {
            node.shutdown().await;
            // The endpoint (and its UDP port) is let go once no request holds the node either.
            drop(node);
        }
        self.core.stop.cancel();
        self.core.inbox.close();
        self.core.tasks.close();
        self.core.tasks.wait().await;
    }

    /// Runs `job` on the device's owner (see [`crate::owner`]).
    pub(crate) async fn call<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Device) -> T + Send + 'static,
    ) -> Result<T, Closed> {
        self.core.inbox.call(job).await
    }

    /// Tells the partner's connected devices that the shared journal changed.
    pub(crate) fn push(&self) {
        if let Ok(Some(node)) = self.node() {
            node.local_change();
        }
    }

    /// The network: `None` when this device was opened without it, [`Closed`] after shutdown.
    pub(crate) fn node(&self) -> Result<Option<Arc<Node>>, Closed> {
        match &*self.slot() {
            NodeSlot::Off => Ok(None),
            NodeSlot::Running(node) => Ok(Some(node.clone())),
            NodeSlot::Closed => Err(Closed),
        }
    }

    /// The network's slot, held only to look or to take.
    fn slot(&self) -> std::sync::MutexGuard<'_, NodeSlot> {
        // Nothing can panic while it is held: poisoning would only come from elsewhere.
        self.core
            .node
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Who a new device is for: a person starting a journal of their own, or the home.
enum NewStore {
    /// A person, by name: the device starts a journal with them as its first member.
    Person(String),
    /// A home device: no person and no journal of its own, until it joins one.
    Home,
}

fn create_blocking(
    dir: &Path,
    passphrase: &Passphrase,
    new: NewStore,
    options: &Options,
) -> Result<Opened, CreateError> {
    let store = Store::create(dir, passphrase, options.kdf).map_err(|e| match e {
        hearth_store::CreateError::AlreadyExists { .. } => CreateError::AlreadyExists {
            dir: dir.to_path_buf(),
            source: e,
        },
        hearth_store::CreateError::AlreadyOpen { .. } => CreateError::AlreadyOpen {
            dir: dir.to_path_buf(),
            source: e,
        },
        e => CreateError::Store(e),
    })?;
    let key = JournalKey::from_bytes(random().map_err(CreateError::Randomness)?);
    let journal_id = JournalId::from_random(random().map_err(CreateError::Randomness)?);
    let member = MemberId::from_random(random().map_err(CreateError::Randomness)?);
    let now = UnixMs::now();
    let secret = store.device_secret_key().map_err(CreateError::DeviceKey)?;
    let device = DeviceId::new(iroh::SecretKey::from_bytes(secret.expose()).public());
    let actor = actor(&device).map_err(CreateError::Randomness)?;
    let (mut journal, settings) = match new {
        NewStore::Person(name) => {
            let founder = Member {
                id: member.clone(),
                name: name.clone(),
                joined_ms: now,
            };
            let mut journal = Journal::create(
                &journal_id,
                &founder,
                options.time_zone.date_at(now),
                now,
                actor,
            )
            .map_err(|e| CreateError::Journal(WriteError::Refused(e)))?;
            // The couple's day is the founder's until either changes it in Settings.
            if let Some(zone) = options.time_zone.name() {
                journal
                    .set_home_zone(zone)
                    .map_err(|e| CreateError::Journal(WriteError::Refused(e)))?;
            }
            // The founding device's record is part of the journal's first change.
            let record = DeviceRecord {
                id: device.as_writer(),
                owner: Owner::Member(member.clone()),
                name: default_device_name(),
                exchange: Some(*secret.exchange_public().as_bytes()),
                added_ms: now,
                addrs: Vec::new(),
                relay: None,
                epoch: 0,
                removed: None,
            };
            journal
                .put_device(&record)
                .map_err(|e| CreateError::Journal(WriteError::Refused(e)))?;
            let settings = Settings {
                name,
                ..Settings::default()
            };
            (journal, settings)
        }
        NewStore::Home => {
            let settings = Settings {
                home: true,
                ..Settings::default()
            };
            (Journal::replica(actor), settings)
        }
    };
    settings.save(&store).map_err(CreateError::Setting)?;
    let binding = JournalBinding {
        journal_key: key,
        journal_id: journal_id.as_str().to_owned(),
        member_id: member.as_str().to_owned(),
    };
    store
        .set_journal_binding(&binding)
        .map_err(CreateError::Binding)?;
    // A new journal is one change: no compaction is due. A home device stores nothing until its
    // journal arrives.
    if journal.is_ready() {
        let _ = persist(&store, DocId::Shared, &mut journal)
            .map_err(|e| CreateError::Journal(WriteError::NotSaved(e)))?;
    }
    Ok(Opened::new(
        store,
        secret,
        Binding::from_store(&binding),
        journal,
        settings,
        options,
    ))
}

/// A store locked with cheaper key derivation than `kdf` (made by an earlier version, or by a
/// build for tests) is locked again with `kdf`, with the passphrase just checked: from now on a
/// guess at a copy of the key header costs what it should. If that fails (a full disk), the store
/// opens as it is and says so in the log; the old lock still works.
fn strengthen_lock(store: &Store, passphrase: &Passphrase, kdf: KdfParams) {
    if !store.kdf_params().weaker_than(&kdf) {
        return;
    }
    match store.change_passphrase(passphrase, passphrase, kdf) {
        Ok(()) => tracing::info!("the passphrase lock is made stronger, at today's settings"),
        Err(e) => tracing::warn!(error = %e, "could not make the passphrase lock stronger"),
    }
}

fn open_blocking(
    dir: &Path,
    passphrase: &Passphrase,
    options: &Options,
    show: impl FnOnce(crate::FirstScreen),
) -> Result<Opened, OpenError> {
    let store = Store::open(dir, passphrase).map_err(|e| match e {
        hearth_store::OpenError::NotFound { .. } => OpenError::NotFound {
            dir: dir.to_path_buf(),
            source: e,
        },
        hearth_store::OpenError::WrongPassphrase => OpenError::WrongPassphrase(e),
        hearth_store::OpenError::AlreadyOpen { .. } => OpenError::AlreadyOpen {
            dir: dir.to_path_buf(),
            source: e,
        },
        e => OpenError::Store(e),
    })?;
    strengthen_lock(&store, passphrase, options.kdf);
    let binding = store
        .journal_binding()
        .map_err(OpenError::Binding)?
        .ok_or_else(|| OpenError::Incomplete {
            dir: dir.to_path_buf(),
        })?;
    let binding = Binding::from_store(&binding);
    let secret = store.device_secret_key().map_err(OpenError::DeviceKey)?;
    let device = DeviceId::new(iroh::SecretKey::from_bytes(secret.expose()).public());
    let first_screen = crate::first_screen::read(&store, &binding.journal_id, &options.time_zone);
    let first_screen_kept = first_screen.is_some();
    if let Some(screen) = first_screen {
        show(screen);
    }
    let mut shared =
        match load_doc(&store, DocId::Shared, &device).map_err(|e| OpenError::Load(Box::new(e)))? {
            Some(journal) => journal,
            None => Journal::replica(actor(&device).map_err(OpenError::Randomness)?),
        };
    // A join interrupted between storing the new binding and emptying the old journal: the old
    // journal is set aside already (or had nothing of ours); start the replica now.
    let foreign = matches!(shared.info(), Ok(Some(info)) if info.id != binding.journal_id);
    if foreign {
        crate::persist::empty_doc(&store, DocId::Shared).map_err(OpenError::Replace)?;
        shared = Journal::replica(actor(&device).map_err(OpenError::Randomness)?);
    }
    let private =
        load_doc(&store, DocId::Private, &device).map_err(|e| OpenError::Load(Box::new(e)))?;
    let paired = store.paired_devices().map_err(OpenError::Paired)?;
    let settings = Settings::load(&store).map_err(OpenError::Settings)?;
    let epoch_keys =
        crate::epochs::load(&store, &binding.journal_id).map_err(OpenError::EpochKeys)?;
    let carry = store
        .get_setting(CARRY_OVER)
        .map_err(|e| OpenError::Settings(SettingsError::Read(e)))?
        .filter(|b| !b.is_empty());

    let mut opened = Opened::new(store, secret, binding, shared, settings, options);
    let device = &mut opened.device;
    device.private = private;
    device.paired = paired
        .into_iter()
        .filter_map(|d| match DeviceId::from_bytes(&d.endpoint_id) {
            Some(id) => Some((id, d)),
            None => {
                tracing::warn!("a paired device's stored id is not a device id; it is left out");
                None
            }
        })
        .collect();
    device.carry = carry;
    device.epoch_keys = epoch_keys;
    // The journals were loaded with the keys the store holds (see `load_doc`).
    device.answer_keys_stored = device.shared.answer_keys().keys().cloned().collect();
    device.carry_over().map_err(OpenError::CarryOver)?;
    // The partner's answer may have arrived in the last session after this device closed; a
    // letter's moment may have passed meanwhile.
    device.open_answers();
    device.look_after_letters();
    // A journal from before device records gains this device's now; and every device the
    // journal names is one to sync with.
    device.note_own_record();
    device.settle_home_zone();
    // (Learning them also looks after the journal's keys: a key sealed to this device while it
    // was away, or a new key it stopped making halfway.)
    device.learn_devices();
    device.publish();
    device.mailbox_heads = device.shared.heads();
    // What opening changed, or a first screen missing or stale, is made anew in a moment.
    if !first_screen_kept || device.first_screen_due.is_some() {
        device.first_screen_soon();
    }
    Ok(opened)
}

async fn start(opened: Opened, options: Options) -> Result<Hearth, StartError> {
    let Opened {
        device,
        published,
        events,
        endpoint,
        secret,
    } = opened;
    let device_id = device.id;
    let (stored_mode, stored_port) = (device.settings.network.clone(), device.settings.udp_port);
    let lan_discovery = options.mdns && device.settings.lan_discovery;
    let tasks = TaskTracker::new();
    let inbox = Inbox::spawn(device, &tasks);
    let stop = CancellationToken::new();
    let network = options.network.clone().unwrap_or(stored_mode);
    let mailbox_turn = Arc::new(tokio::sync::Mutex::new(()));
    let letters = Arc::new(tokio::sync::Notify::new());
    let mut config = NetConfig::new(secret, network.clone());
    config.bind = options
        .bind
        .or_else(|| stored_port.map(|port| SocketAddr::from((Ipv4Addr::UNSPECIFIED, port))));
    config.mdns = lan_discovery;
    config.relay_only = options.relay_only;
    #[cfg(feature = "test-utils")]
    {
        config.insecure_relay_tls = options.insecure_relay_tls;
        config.frame_body_timeout = options.frame_body_timeout;
    }
    let core = |node, dialer| Hearth {
        core: Arc::new(Core {
            inbox: inbox.clone(),
            published: published.clone(),
            node: Mutex::new(node),
            events: events.clone(),
            device: device_id,
            options: options.clone(),
            network: network.clone(),
            lan_discovery,
            tasks: tasks.clone(),
            stop: stop.clone(),
            closed: tokio::sync::OnceCell::new(),
            mailbox_turn: mailbox_turn.clone(),
            dialer,
            letters: letters.clone(),
        }),
    };
    if !options.start_network {
        return Ok(core(NodeSlot::Off, crate::mailbox::Dialer::offline(config)));
    }
    let backend = Arc::new(NetRequests {
        inbox: inbox.clone(),
        published: published.clone(),
    });
    let node = match Node::spawn(config, backend).await {
        Ok(node) => node,
        Err(e) => {
            // Nobody will use this device: let its owner close the store.
            inbox.close();
            tasks.close();
            tasks.wait().await;
            return Err(StartError::Network(e));
        }
    };
    debug_assert_eq!(node.id(), endpoint, "the node runs under this device's key");
    if let Some(port) = node.bound_port()
        && stored_port != Some(port)
    {
        let remembered = inbox
            .call(move |d| d.change_settings(|s| s.udp_port = Some(port)))
            .await;
        if let Ok(Err(e)) = remembered {
            tracing::warn!(error = %e, "could not remember the UDP port");
        }
    }
    tasks.spawn(forward(
        node.events(),
        events.clone(),
        inbox.clone(),
        stop.clone(),
    ));
    tasks.spawn(keep_own_addrs(
        node.watch_addr(),
        inbox.clone(),
        stop.clone(),
    ));
    let dialer = crate::mailbox::Dialer::node(node.endpoint().clone());
    let node = Arc::new(node);
    tasks.spawn(keep_letters(
        inbox.clone(),
        Arc::downgrade(&node),
        events.clone(),
        letters.clone(),
        stop.clone(),
    ));
    // A device that stays up reaches its mailboxes by itself.
    if options.keep_mailboxes {
        tasks.spawn(crate::mailbox::keep_mailboxes(
            inbox.clone(),
            events.clone(),
            dialer.clone(),
            mailbox_turn.clone(),
            stop.clone(),
        ));
    }
    Ok(core(NodeSlot::Running(node), dialer))
}

/// The longest this device waits before looking at its letters again: a letter written meanwhile
/// with an earlier moment opens at most this late.
const LETTERS_AT_MOST_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// Opens this person's letters as their moments come, and tells the partner's devices at once,
/// until `stop`.
async fn keep_letters(
    inbox: Inbox,
    node: std::sync::Weak<Node>,
    events: tokio::sync::broadcast::Sender<crate::Event>,
    written: Arc<tokio::sync::Notify>,
    stop: CancellationToken,
) {
    loop {
        let Ok(next) = inbox.call(|d| d.next_letter()).await else {
            return;
        };
        let wait = next.map_or(LETTERS_AT_MOST_EVERY, |w| w.min(LETTERS_AT_MOST_EVERY));
        tokio::select! {
            biased;
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
            // A letter written now may open before the one waited for.
            _ = written.notified() => continue,
        }
        let Ok(opened) = inbox.call(|d| d.open_due_letters()).await else {
            return;
        };
        if opened {
            if let Some(node) = node.upgrade() {
                node.local_change();
            }
            // No receiver is fine: nobody listens right now.
            let _ = events.send(crate::Event::JournalChanged { by_partner: false });
        }
    }
}

/// How long the network's addresses must hold still before this device's record says them: a
/// device coming online finds its addresses one by one, and each would be a change to sync.
const ADDRS_SETTLE: std::time::Duration = std::time::Duration::from_secs(3);

/// Keeps this device's record in the journal saying where it can be reached, until `stop`.
async fn keep_own_addrs(
    mut addrs: impl iroh::Watcher<Value = iroh::EndpointAddr> + Send + 'static,
    inbox: Inbox,
    stop: CancellationToken,
) {
    let mut noted: Option<iroh::EndpointAddr> = None;
    loop {
        // Settle first: record only what has held for a moment.
        tokio::select! {
            biased;
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(ADDRS_SETTLE) => {}
        }
        let now = addrs.get();
        if noted.as_ref() != Some(&now) && !now.addrs.is_empty() {
            let list: Vec<hearth_net::TransportAddr> = now.addrs.iter().cloned().collect();
            if inbox.call(move |d| d.note_own_addrs(&list)).await.is_err() {
                return;
            }
            noted = Some(now);
        }
        tokio::select! {
            biased;
            _ = stop.cancelled() => return,
            changed = addrs.updated() => if changed.is_err() { return },
        }
    }
}
