//! `Hearth`: creating or opening a device's journal, starting its network, and shutting down.

use std::collections::{BTreeMap, HashMap};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;

use hearth_crypto::{Key32, Passphrase};
use hearth_journal::{DeviceId, Journal, JournalId, Member, MemberId};
use hearth_net::{NetConfig, NetworkMode, Node};
use hearth_store::{DocId, JournalBinding, Store};
use tokio::sync::broadcast;
use tokio::task::JoinHandle;

use crate::events::{Event, forward};
use crate::inner::{Binding, Inner};
use crate::options::{decode_mode, keys};
use crate::persist::{load_doc, persist};
use crate::util::{hex, lock, now_ms, random};
use crate::{CreateError, NameError, OpenError, Options, StartError, WriteError};

/// The longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// How many events may wait for a slow listener before it misses some.
const EVENT_BUFFER: usize = 1024;

/// How long `shutdown` waits for the network's tasks to let go of the store.
const RELEASE_WAIT: Duration = Duration::from_secs(10);

/// A device's journal: the encrypted store, the shared and private journals, and the network, behind
/// one async API and one stream of [`Event`]s.
///
/// Commands that touch the disk or the network are `async` and run on the caller's tokio runtime
/// (disk work on its blocking threads); reads are plain methods. Every change is stored durably
/// before the command returns.
pub struct Hearth {
    pub(crate) inner: Arc<Inner>,
    pub(crate) node: Option<Node>,
    forwarder: Option<AbortOnDrop>,
    pub(crate) options: Options,
    pub(crate) network: NetworkMode,
}

impl std::fmt::Debug for Hearth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hearth")
            .field("device", &self.inner.device)
            .finish_non_exhaustive()
    }
}

/// Aborts a task when dropped.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
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

/// What opening the store yields before the network starts.
struct Opened {
    inner: Inner,
    secret: Key32,
    stored_mode: NetworkMode,
    stored_port: Option<u16>,
}

fn device_of(secret: &Key32) -> (hearth_net::EndpointId, DeviceId) {
    let public = iroh::SecretKey::from_bytes(secret.expose()).public();
    (public, DeviceId::new(hex(public.as_bytes())))
}

fn new_inner(
    store: Store,
    secret: &Key32,
    binding: Binding,
    shared: Journal,
    name: String,
    options: &Options,
) -> Inner {
    let (endpoint, device) = device_of(secret);
    Inner {
        store,
        device,
        endpoint,
        binding: RwLock::new(binding),
        shared: Mutex::new(shared),
        private: Mutex::new(None),
        sessions: Mutex::new(HashMap::new()),
        paired: RwLock::new(BTreeMap::new()),
        carry: Mutex::new(None),
        broken: AtomicBool::new(false),
        events: broadcast::channel(EVENT_BUFFER).0,
        utc_offset_minutes: options.utc_offset_minutes,
        name: RwLock::new(name),
        warned: Mutex::new(Default::default()),
        me: OnceLock::new(),
        compaction_queued: Default::default(),
    }
}

impl Hearth {
    /// Creates a new journal in `dir`, locked with `passphrase`, with `name` as this person's
    /// name, then starts the network (unless `options.start_network` is off).
    pub async fn create(
        dir: impl AsRef<Path>,
        passphrase: &Passphrase,
        name: &str,
        options: Options,
    ) -> Result<Hearth, CreateError> {
        let name = check_name(name).map_err(CreateError::Name)?;
        let dir = dir.as_ref().to_path_buf();
        let passphrase = passphrase.clone();
        let opts = options.clone();
        let opened =
            tokio::task::spawn_blocking(move || create_blocking(&dir, &passphrase, name, &opts))
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
        let dir = dir.as_ref().to_path_buf();
        let passphrase = passphrase.clone();
        let opts = options.clone();
        let opened = tokio::task::spawn_blocking(move || open_blocking(&dir, &passphrase, &opts))
            .await
            .map_err(OpenError::Interrupted)??;
        start(opened, options).await.map_err(OpenError::Network)
    }

    /// Events from now on: local writes, the partner's changes arriving, presence, syncs,
    /// pairings and warnings.
    pub fn events(&self) -> broadcast::Receiver<Event> {
        self.inner.events.subscribe()
    }

    /// Whether the shared journal is here (false on a device that joined and has not yet received
    /// its partner's journal).
    pub fn journal_ready(&self) -> bool {
        lock(&self.inner.shared).is_ready()
    }

    /// The network mode in use for this run.
    pub fn network_mode(&self) -> &NetworkMode {
        &self.network
    }

    /// Whether the network runs.
    pub fn is_online(&self) -> bool {
        self.node.is_some()
    }

    /// Stops the network (sessions end and keep their sync state), then closes the store. When it
    /// returns, the data directory may be opened again.
    pub async fn shutdown(mut self) {
        self.forwarder.take();
        if let Some(node) = self.node.take() {
            node.shutdown().await;
        }
        // The network's tasks hold the backend until they have finished; wait for them, so
        // that the store (and its lock on the directory) is closed when this returns.
        let mut inner = self.inner.clone();
        drop(self);
        let deadline = tokio::time::Instant::now() + RELEASE_WAIT;
        loop {
            match Arc::try_unwrap(inner) {
                Ok(inner) => {
                    let _ = tokio::task::spawn_blocking(move || {
                        inner.finish_compactions();
                        drop(inner);
                    })
                    .await;
                    return;
                }
                Err(still_shared) if tokio::time::Instant::now() < deadline => {
                    inner = still_shared;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(_) => {
                    tracing::warn!(
                        "network tasks still hold the journal; the store closes when they end"
                    );
                    return;
                }
            }
        }
    }
}

fn create_blocking(
    dir: &Path,
    passphrase: &Passphrase,
    name: String,
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
    let key = Key32::from_bytes(random().map_err(CreateError::Randomness)?);
    let journal_id = JournalId::from_random(random().map_err(CreateError::Randomness)?);
    let member = MemberId::from_random(random().map_err(CreateError::Randomness)?);
    let now = now_ms();
    let founder = Member {
        id: member.clone(),
        name: name.clone(),
        joined_ms: now,
    };
    let mut journal = Journal::create(
        &journal_id,
        &founder,
        hearth_journal::LocalDate::from_utc_ms(now, options.utc_offset_minutes),
        now,
        random().map_err(CreateError::Randomness)?,
    )
    .map_err(|e| CreateError::Journal(WriteError::Refused(e)))?;
    store
        .put_setting(keys::NAME, name.as_bytes())
        .map_err(CreateError::Setting)?;
    let binding = JournalBinding {
        journal_key: key,
        journal_id: journal_id.as_str().to_owned(),
        member_id: member.as_str().to_owned(),
    };
    store
        .set_journal_binding(&binding)
        .map_err(CreateError::Binding)?;
    // A new journal is one change: no compaction is due.
    let _ = persist(&store, DocId::Shared, &mut journal)
        .map_err(|e| CreateError::Journal(WriteError::NotSaved(e)))?;
    let secret = store.device_secret_key().map_err(CreateError::DeviceKey)?;
    let inner = new_inner(
        store,
        &secret,
        Binding::from_store(&binding),
        journal,
        name,
        options,
    );
    Ok(Opened {
        inner,
        secret,
        stored_mode: NetworkMode::Default,
        stored_port: None,
    })
}

fn open_blocking(
    dir: &Path,
    passphrase: &Passphrase,
    options: &Options,
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
    let binding = store
        .journal_binding()
        .map_err(OpenError::Binding)?
        .ok_or_else(|| OpenError::Incomplete {
            dir: dir.to_path_buf(),
        })?;
    let binding = Binding::from_store(&binding);
    let mut shared =
        match load_doc(&store, DocId::Shared).map_err(|e| OpenError::Load(Box::new(e)))? {
            Some(journal) => journal,
            None => Journal::replica(random().map_err(OpenError::Randomness)?),
        };
    // A join interrupted between storing the new binding and emptying the old journal: the old
    // journal is set aside already (or had nothing of ours); start the replica now.
    let foreign = matches!(shared.info(), Ok(Some(info)) if info.id != binding.journal_id);
    if foreign {
        crate::persist::empty_doc(&store, DocId::Shared).map_err(OpenError::Replace)?;
        shared = Journal::replica(random().map_err(OpenError::Randomness)?);
    }
    let private = load_doc(&store, DocId::Private).map_err(|e| OpenError::Load(Box::new(e)))?;
    let paired = store.paired_devices().map_err(OpenError::Paired)?;
    let setting = |key| store.get_setting(key).map_err(OpenError::Setting);
    let name = setting(keys::NAME)?
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default();
    let stored_mode = setting(keys::NETWORK)?
        .map(|b| decode_mode(&b))
        .unwrap_or_default();
    let stored_port = setting(keys::UDP_PORT)?
        .and_then(|b| <[u8; 2]>::try_from(b.as_slice()).ok())
        .map(u16::from_le_bytes);
    let carry = setting(keys::CARRY_OVER)?.filter(|b| !b.is_empty());
    let secret = store.device_secret_key().map_err(OpenError::DeviceKey)?;

    let inner = new_inner(store, &secret, binding, shared, name, options);
    *lock(&inner.private) = private;
    *crate::util::write(&inner.paired) = paired.into_iter().map(|d| (d.endpoint_id, d)).collect();
    *lock(&inner.carry) = carry;
    {
        let mut journal = lock(&inner.shared);
        inner
            .carry_over(&mut journal)
            .map_err(OpenError::CarryOver)?;
    }
    Ok(Opened {
        inner,
        secret,
        stored_mode,
        stored_port,
    })
}

async fn start(opened: Opened, options: Options) -> Result<Hearth, StartError> {
    let Opened {
        inner,
        secret,
        stored_mode,
        stored_port,
    } = opened;
    let inner = Arc::new(inner);
    let _ = inner.me.set(Arc::downgrade(&inner));
    let network = options.network.clone().unwrap_or(stored_mode);
    if !options.start_network {
        return Ok(Hearth {
            inner,
            node: None,
            forwarder: None,
            options,
            network,
        });
    }
    let mut config = NetConfig::new(secret, network.clone());
    config.bind = options
        .bind
        .or_else(|| stored_port.map(|port| SocketAddr::from((Ipv4Addr::UNSPECIFIED, port))));
    config.mdns = options.mdns;
    config.relay_only = options.relay_only;
    #[cfg(feature = "test-utils")]
    {
        config.insecure_relay_tls = options.insecure_relay_tls;
        config.frame_body_timeout = options.frame_body_timeout;
    }
    let backend: Arc<dyn hearth_net::Backend> = inner.clone();
    let node = Node::spawn(config, backend)
        .await
        .map_err(StartError::Network)?;
    if let Some(port) = node.bound_port()
        && stored_port != Some(port)
    {
        let store_inner = inner.clone();
        let _ = tokio::task::spawn_blocking(move || {
            if let Err(e) = store_inner
                .store
                .put_setting(keys::UDP_PORT, &port.to_le_bytes())
            {
                tracing::warn!(error = %e, "could not remember the UDP port");
            }
        })
        .await;
    }
    let forwarder = AbortOnDrop(tokio::spawn(forward(node.events(), inner.events.clone())));
    Ok(Hearth {
        inner,
        node: Some(node),
        forwarder: Some(forwarder),
        options,
        network,
    })
}
