//! At most one live session per paired device.
//!
//! Both devices dial each other, so two connections can come up at once. Each side keeps the
//! session whose dialer has the smaller endpoint id; both sides decide the same way without
//! talking. A newer session from the same dialer replaces an older one (a reconnect).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::node_state::lock;
use iroh::EndpointId;
use tokio_util::sync::CancellationToken;

#[derive(Debug)]
struct Live {
    id: u64,
    dialer: EndpointId,
    cancel: CancellationToken,
    finished: CancellationToken,
}

/// Why a session was not admitted.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The live session with the same device wins.
    Duplicate,
    /// The device is no longer paired: it was forgotten while this session said hello.
    NotPaired,
}

/// A session admitted to the registry; it leaves when dropped.
#[derive(Debug)]
pub(crate) struct Admission<'a> {
    registry: &'a Registry,
    peer: EndpointId,
    id: u64,
    /// Cancelled when a newer session replaces this one, or on shutdown.
    pub(crate) cancel: CancellationToken,
    /// Cancelled once the session this one replaced has finished cleaning up (its sync state
    /// saved): wait for it before starting, so the two never touch the peer's state at once.
    pub(crate) previous_finished: Option<CancellationToken>,
    finished: CancellationToken,
}

impl Drop for Admission<'_> {
    fn drop(&mut self) {
        let mut live = self.registry.lock();
        if live.get(&self.peer).is_some_and(|l| l.id == self.id) {
            live.remove(&self.peer);
        }
        self.finished.cancel();
    }
}

#[derive(Debug, Default)]
pub(crate) struct Registry {
    live: Mutex<HashMap<EndpointId, Live>>,
    next: AtomicU64,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<EndpointId, Live>> {
        lock(&self.live)
    }

    /// Admits a session with `peer` dialed by `dialer`, or refuses it: if the live one wins, or
    /// if `paired` says the device is no longer paired.
    ///
    /// `paired` is asked under the registry's lock, which [`Registry::end`] takes too. A device is
    /// unpaired first and ended after, so a session either is admitted before the end (and the end
    /// stops it) or finds the device unpaired: none that said hello slowly outlives its removal.
    pub(crate) fn admit(
        &self,
        peer: EndpointId,
        dialer: EndpointId,
        parent: &CancellationToken,
        paired: impl FnOnce() -> bool,
    ) -> Result<Admission<'_>, Refused> {
        let mut live = self.lock();
        if !paired() {
            return Err(Refused::NotPaired);
        }
        if let Some(current) = live.get(&peer)
            && current.dialer != dialer
            && current.dialer < dialer
        {
            return Err(Refused::Duplicate);
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let cancel = parent.child_token();
        let finished = CancellationToken::new();
        let previous = live.insert(
            peer,
            Live {
                id,
                dialer,
                cancel: cancel.clone(),
                finished: finished.clone(),
            },
        );
        let previous_finished = previous.map(|old| {
            old.cancel.cancel();
            old.finished
        });
        Ok(Admission {
            registry: self,
            peer,
            id,
            cancel,
            previous_finished,
            finished,
        })
    }

    pub(crate) fn is_live(&self, peer: &EndpointId) -> bool {
        self.lock().contains_key(peer)
    }

    /// Ends the session with `peer`, if any.
    pub(crate) fn end(&self, peer: &EndpointId) {
        if let Some(l) = self.lock().remove(peer) {
            l.cancel.cancel();
        }
    }
}
