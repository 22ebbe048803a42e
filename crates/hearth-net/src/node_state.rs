//! The state every task of a running node shares.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hearth_crypto::Ticket;
use iroh::{Endpoint, EndpointId};
use tokio::sync::{Notify, broadcast, mpsc, oneshot, watch};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::device_side::{Backend, Pending};
use crate::event::NetEvent;
use crate::pair::PairingEvent;
use crate::sync::{Presence, Registry};

/// An invitation this device has open: the ticket, and where to report its pairing.
pub(crate) struct OpenInvitation {
    pub(crate) ticket: Ticket,
    pub(crate) events: mpsc::Sender<PairingEvent>,
    pub(crate) answer: oneshot::Receiver<crate::pair::Answer>,
}

/// A dialer keeping one paired device connected.
pub(crate) struct Dialer {
    pub(crate) wake: Arc<Notify>,
    pub(crate) cancel: CancellationToken,
}

pub(crate) struct Shared {
    pub(crate) endpoint: Endpoint,
    pub(crate) backend: Arc<dyn Backend>,
    pub(crate) events: broadcast::Sender<NetEvent>,
    /// Bumped on every local change; each session pushes when it moves.
    pub(crate) changes: watch::Sender<u64>,
    pub(crate) registry: Registry,
    pub(crate) presence: Presence,
    pub(crate) invitation: Mutex<Option<OpenInvitation>>,
    pub(crate) dialers: Mutex<HashMap<EndpointId, Dialer>>,
    /// Cancelled on shutdown: every task of the node ends.
    pub(crate) cancel: CancellationToken,
    /// Every task the node spawns, its requests of the backend included: none is detached, and
    /// [`Node::shutdown`](crate::Node::shutdown) waits for all of them to end.
    pub(crate) tasks: TaskTracker,
    /// How long a sync frame's body may take once its length has arrived.
    pub(crate) frame_body_timeout: std::time::Duration,
    /// One permit per pairing attempt running on the inviting side.
    pub(crate) pairing_slots: tokio::sync::Semaphore,
}

impl Shared {
    pub(crate) fn emit(&self, event: NetEvent) {
        // No receiver is fine: nobody is listening right now.
        let _ = self.events.send(event);
    }

    /// Makes a request of the backend, as a task of the node: once made, the request runs to
    /// its end even if the caller is dropped, and shutdown waits for it. `None` if the task did
    /// not finish (the runtime is going away).
    pub(crate) async fn call<T: Send + 'static>(
        &self,
        request: impl FnOnce(&dyn Backend) -> Pending<T>,
    ) -> Option<T> {
        self.tasks.spawn(request(self.backend.as_ref())).await.ok()
    }

    pub(crate) fn wake_dialer(&self, peer: &EndpointId) {
        if let Some(d) = lock(&self.dialers).get(peer) {
            d.wake.notify_one();
        }
    }
}

/// Now, as the pairing protocol writes time: milliseconds since the Unix epoch, unsigned.
pub(crate) fn unsigned_now() -> u64 {
    hearth_journal::UnixMs::now().as_unsigned_millis()
}

/// Fresh random bytes from the operating system.
pub(crate) fn random<const N: usize>() -> Result<[u8; N], getrandom::Error> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)?;
    Ok(bytes)
}

/// Locks one of the node's mutexes. A poisoned lock means a panic elsewhere while it was held;
/// what they guard (the open invitation, the dialers, the sessions and presence tables) is
/// replaced whole on each change, never left half-changed, so going on is safe.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
