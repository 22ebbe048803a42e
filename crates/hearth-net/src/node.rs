//! A running node: the endpoint, its router with the two protocols, and a dialer per partner.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hearth_crypto::{InvitationSecret, Ticket};
use iroh::protocol::Router;
use iroh::{EndpointAddr, EndpointId};
use tokio::sync::{Notify, broadcast, watch};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::NetConfig;
use crate::device_side::Backend;
use crate::endpoint::{self, StartError};
use crate::event::{NetEvent, PeerStatus};
use crate::node_state::{Dialer, OpenInvitation, Shared, lock, random, unsigned_now};
use crate::pair::{
    MAX_PAIRING_ATTEMPTS, PAIR_ALPN, PairHandler, PairingEvent, PairingFailure, PairingHandle,
    run_joiner,
};
use crate::sync::{Gate, OLD_SYNC_ALPN, Presence, Registry, SYNC_ALPN, SyncHandler, dial_loop};

/// Why an invitation could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InviteError {
    /// The device has no journal to share yet.
    #[error("there is no journal to share yet")]
    NoJournal,
    /// The operating system gave no randomness.
    #[error("no randomness available for the invitation")]
    Randomness(#[source] getrandom::Error),
    /// The ticket could not be built (too many addresses, say).
    #[error("could not write the invitation")]
    Ticket(#[source] hearth_crypto::ticket::TicketBuildError),
}

/// The network side of a device: accepts and dials its partner's devices, pairs new ones, and
/// keeps journals in sync live. Dropping it without [`Node::shutdown`] stops it abruptly: its
/// tasks are told to stop, but nothing waits for them.
pub struct Node {
    shared: Arc<Shared>,
    router: Router,
    /// Whether a relay is configured (an invitation then waits to name it).
    relays: bool,
}

/// How long an invitation waits for the home relay before naming only direct addresses.
const RELAY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Node({})", self.shared.endpoint.id().fmt_short())
    }
}

impl Node {
    /// Starts the network: binds, accepts, and dials every paired device.
    pub async fn spawn(config: NetConfig, backend: Arc<dyn Backend>) -> Result<Node, StartError> {
        let (events, _) = broadcast::channel(256);
        let gate = Gate {
            backend: backend.clone(),
            events: events.clone(),
        };
        let endpoint = endpoint::bind(&config, Some(gate)).await?;
        let shared = Arc::new(Shared {
            endpoint: endpoint.clone(),
            backend,
            events,
            changes: watch::channel(0).0,
            registry: Registry::default(),
            presence: Presence::default(),
            invitation: Mutex::new(None),
            dialers: Mutex::new(HashMap::new()),
            cancel: CancellationToken::new(),
            tasks: TaskTracker::new(),
            frame_body_timeout: config.frame_body_timeout(),
            pairing_slots: tokio::sync::Semaphore::new(MAX_PAIRING_ATTEMPTS),
        });
        let door = Arc::new(crate::door::Door::new());
        let router = Router::builder(endpoint)
            .incoming_filter(Arc::new(move |incoming| door.filter(incoming)))
            .accept(
                SYNC_ALPN,
                SyncHandler {
                    shared: shared.clone(),
                },
            )
            .accept(
                OLD_SYNC_ALPN,
                SyncHandler {
                    shared: shared.clone(),
                },
            )
            .accept(
                PAIR_ALPN,
                PairHandler {
                    shared: shared.clone(),
                },
            )
            .spawn();
        for peer in shared.backend.paired_peers() {
            start_dialer(&shared, peer.id);
        }
        let relays = config.mode != crate::NetworkMode::Local;
        Ok(Node {
            shared,
            router,
            relays,
        })
    }

    /// This device's identity.
    pub fn id(&self) -> EndpointId {
        self.shared.endpoint.id()
    }

    /// The endpoint, for reaching a mailbox server under this device's identity.
    pub fn endpoint(&self) -> &iroh::Endpoint {
        &self.shared.endpoint
    }

    /// Where this device can be reached now.
    pub fn addr(&self) -> EndpointAddr {
        self.shared.endpoint.addr()
    }

    /// Where this device can be reached, watched: it changes as the network does.
    pub fn watch_addr(&self) -> impl iroh::Watcher<Value = EndpointAddr> + Send + 'static {
        self.shared.endpoint.watch_addr()
    }

    /// The UDP port bound, to try again next time.
    pub fn bound_port(&self) -> Option<u16> {
        self.shared
            .endpoint
            .bound_sockets()
            .first()
            .map(|a| a.port())
    }

    /// Events from now on.
    pub fn events(&self) -> broadcast::Receiver<NetEvent> {
        self.shared.events.subscribe()
    }

    /// The journal changed here: push it to every connected partner device now.
    pub fn local_change(&self) {
        self.shared.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Dial every paired device that is not connected now, without waiting for the backoff.
    pub fn dial_now(&self) {
        for peer in self.shared.backend.paired_peers() {
            start_dialer(&self.shared, peer.id);
            self.shared.wake_dialer(&peer.id);
        }
    }

    /// Stops talking to a device that is no longer paired.
    pub fn forget(&self, peer: &EndpointId) {
        forget(&self.shared, peer);
    }

    /// What is known of each paired device's connection.
    pub fn status(&self) -> HashMap<EndpointId, PeerStatus> {
        self.shared.presence.snapshot()
    }

    /// Opens an invitation for a partner's device: the ticket to show (as QR code and text), and
    /// the pairing it leads to. A new invitation replaces an open one. With a relay, waits a few
    /// seconds for it so the ticket can name it.
    pub async fn invite(&self, lifetime_ms: u64) -> Result<(Ticket, PairingHandle), InviteError> {
        if self.shared.backend.journal_epochs().is_empty() {
            return Err(InviteError::NoJournal);
        }
        if self.relays {
            let _ = tokio::time::timeout(RELAY_WAIT, self.shared.endpoint.online()).await;
        }
        let secret = InvitationSecret::from_bytes(random().map_err(InviteError::Randomness)?);
        let addr = self.addr();
        let relay = addr.relay_urls().next().map(|u| u.to_string());
        let direct = crate::mailbox::direct_addrs(&self.shared.endpoint);
        let now = unsigned_now();
        let ticket = Ticket::with_expiry(
            *self.id().as_bytes(),
            relay,
            direct,
            secret,
            now + lifetime_ms,
        )
        .map_err(InviteError::Ticket)?;
        let (handle, events, answer) = PairingHandle::new();
        let open = OpenInvitation {
            ticket: ticket.clone(),
            events,
            answer,
        };
        *lock(&self.shared.invitation) = Some(open);
        let shared = self.shared.clone();
        let expiry = std::time::Duration::from_millis(lifetime_ms);
        self.shared.tasks.spawn(async move {
            let cancel = shared.cancel.clone();
            tokio::select! {
                _ = cancel.cancelled() => {}
                _ = async {
                    tokio::time::sleep(expiry).await;
                    expire(&shared).await;
                } => {}
            }
        });
        Ok((ticket, handle))
    }

    /// Cancels the open invitation, if any.
    pub fn cancel_invitation(&self) {
        lock(&self.shared.invitation).take();
    }

    /// Joins a partner's invitation.
    pub fn join(&self, ticket: Ticket) -> PairingHandle {
        let (handle, events, answer) = PairingHandle::new();
        let shared = self.shared.clone();
        self.shared.tasks.spawn(async move {
            let cancel = shared.cancel.clone();
            tokio::select! {
                _ = cancel.cancelled() => {}
                _ = run_joiner(shared, ticket, events, answer) => {}
            }
        });
        handle
    }

    /// Stops the node. When it returns, no task of the node is running any more, and every
    /// session has ended through [`Backend::sync_end`] (its sync state kept). Calling it again,
    /// even while a first call runs, is harmless.
    ///
    /// In this order:
    /// 1. The node's token is cancelled: dialers stop, pairing attempts and invitations end, and
    ///    each live session leaves its loop and calls [`Backend::sync_end`].
    /// 2. The router shuts down: it accepts no more connections, drops its handlers' futures (an
    ///    accepted session runs as a task of the node, so it is not dropped with them) and closes
    ///    the endpoint, which closes every connection still open: a session blocked writing to its
    ///    peer ends now too.
    /// 3. The node's tasks are waited for, the [`Backend`] requests among them: every
    ///    `sync_end` has been answered when this returns.
    ///
    /// As it waits for the backend's calls, do not await it while holding anything those calls
    /// need (the store's lock, say), nor from inside a backend call.
    pub async fn shutdown(&self) {
        self.shared.cancel.cancel();
        if let Err(e) = self.router.shutdown().await {
            tracing::warn!(error = %e, "a protocol handler failed during shutdown");
        }
        self.shared.tasks.close();
        self.shared.tasks.wait().await;
    }
}

impl Drop for Node {
    /// Tells every task of the node to stop (see [`Node::shutdown`] for a stop that waits).
    fn drop(&mut self) {
        self.shared.cancel.cancel();
    }
}

/// An invitation nobody used: tell whoever shows it.
async fn expire(shared: &Arc<Shared>) {
    let expired = {
        let mut slot = lock(&shared.invitation);
        match slot.as_ref() {
            Some(open) if open.ticket.is_expired(unsigned_now()) => slot.take(),
            _ => None,
        }
    };
    if let Some(open) = expired {
        let _ = open
            .events
            .send(PairingEvent::Failed(PairingFailure::Expired))
            .await;
    }
}

fn forget(shared: &Arc<Shared>, peer: &EndpointId) {
    if let Some(d) = lock(&shared.dialers).remove(peer) {
        d.cancel.cancel();
    }
    shared.registry.end(peer);
    shared.presence.forget(peer);
}

/// Brings the devices this one keeps connected in line with the paired devices, which a change
/// to the journal may have changed: dials every device new to the list, and stops talking to any
/// that left it.
pub(crate) fn follow_paired(shared: &Arc<Shared>) {
    let gone: Vec<EndpointId> = lock(&shared.dialers)
        .keys()
        .filter(|id| !shared.backend.is_paired(id))
        .copied()
        .collect();
    for peer in gone {
        tracing::info!(peer = %peer.fmt_short(), "stopped talking to a device no longer paired");
        forget(shared, &peer);
    }
    for peer in shared.backend.paired_peers() {
        start_dialer(shared, peer.id);
    }
}

/// Starts keeping `peer` connected, unless a dialer already does or the node is stopping.
pub(crate) fn start_dialer(shared: &Arc<Shared>, peer: EndpointId) {
    let mut dialers = lock(&shared.dialers);
    if dialers.contains_key(&peer) || shared.cancel.is_cancelled() {
        return;
    }
    let wake = Arc::new(Notify::new());
    let cancel = shared.cancel.child_token();
    dialers.insert(
        peer,
        Dialer {
            wake: wake.clone(),
            cancel: cancel.clone(),
        },
    );
    shared
        .tasks
        .spawn(dial_loop(shared.clone(), peer, wake, cancel));
}
