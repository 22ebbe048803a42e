//! The network's requests: the facade's [`Backend`] for hearth-net. The checks made on every
//! connection (the journal key, whether a device is paired, where paired devices were seen) read
//! what the owner publishes; everything else is a request to the owner, answered by a future, and
//! handled by the [`Device`] methods below.

use std::collections::HashMap;

use hearth_crypto::JournalKey;
use hearth_crypto::pairing::Grant;
use hearth_journal::sync::{PeerSync, SyncError, SyncMessage};
use hearth_net::{
    Backend, BackendError, EndpointId, KnownPeer, Outbox, Pending, Reply, TransportAddr,
};
use hearth_store::DocId;
use tokio::sync::watch;

use crate::device::{Device, Published};
use crate::owner::Inbox;
use crate::paired::stored_addrs;
use crate::persist::persist_received;
use crate::{DeviceId, Event};

/// A sync step came for a device with no session.
#[derive(Debug, thiserror::Error)]
#[error("no sync session with this device")]
struct NoSession;

/// The journal can take no changes until Hearth is restarted.
#[derive(Debug, thiserror::Error)]
#[error("the journal is unusable after a storage failure")]
struct Broken;

/// A live session with a paired device, as the owner keeps it.
pub(crate) struct Session {
    /// What the device is believed to hold.
    pub(crate) state: PeerSync,
    /// Where every message for it goes, in order.
    pub(crate) outbox: Outbox,
}

/// The facade's side of the network: the owner's inbox, and what it publishes.
pub(crate) struct NetRequests {
    pub(crate) inbox: Inbox,
    pub(crate) published: watch::Receiver<Published>,
}

impl NetRequests {
    /// Sends `job` to the owner; its answer comes as a future.
    fn request<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Device) -> Result<T, BackendError> + Send + 'static,
    ) -> Pending<Result<T, BackendError>> {
        let inbox = self.inbox.clone();
        Box::pin(async move {
            inbox
                .call(job)
                .await
                .unwrap_or_else(|closed| Err(BackendError::local(closed)))
        })
    }

    /// As [`NetRequests::request`], for a job whose answer is only that it is done.
    fn tell(&self, job: impl FnOnce(&mut Device) + Send + 'static) -> Pending<()> {
        let inbox = self.inbox.clone();
        Box::pin(async move {
            // Closed: the device is shutting down, and there is nobody left to tell.
            let _ = inbox.call(job).await;
        })
    }
}

impl Backend for NetRequests {
    fn journal_epochs(&self) -> Vec<u32> {
        self.published.borrow().keys.keys().copied().collect()
    }

    fn journal_key(&self, epoch: u32) -> Option<JournalKey> {
        self.published.borrow().keys.get(&epoch).cloned()
    }

    fn is_paired(&self, peer: &EndpointId) -> bool {
        self.published.borrow().peers.iter().any(|p| p.id == *peer)
    }

    fn paired_peers(&self) -> Vec<KnownPeer> {
        self.published.borrow().peers.clone()
    }

    fn dials(&self) -> bool {
        !self.published.borrow().passive
    }

    fn is_removed(&self, peer: &EndpointId) -> bool {
        self.published.borrow().removed.contains(peer)
    }

    fn remember_addrs(&self, peer: &EndpointId, addrs: Vec<TransportAddr>) -> Pending<()> {
        let peer = *peer;
        self.tell(move |d| d.remember_addrs(&peer, addrs))
    }

    fn sync_start(&self, peer: &EndpointId, outbox: Outbox) -> Pending<Result<(), BackendError>> {
        let peer = *peer;
        self.request(move |d| d.sync_start(&peer, outbox))
    }

    fn sync_generate(&self, peer: &EndpointId) -> Pending<Result<(), BackendError>> {
        let peer = *peer;
        self.request(move |d| d.sync_generate(&peer))
    }

    fn sync_receive(
        &self,
        peer: &EndpointId,
        message: SyncMessage,
    ) -> Pending<Result<Reply, BackendError>> {
        let peer = *peer;
        self.request(move |d| d.sync_receive(&peer, message))
    }

    fn sync_end(&self, peer: &EndpointId) -> Pending<()> {
        let peer = *peer;
        self.tell(move |d| d.sync_end(&peer))
    }

    fn pairing_grant(&self) -> Pending<Result<Grant, BackendError>> {
        self.request(|d| d.grant())
    }

    fn pairing_payload(&self) -> Pending<Result<Vec<u8>, BackendError>> {
        self.request(|d| d.joiner_payload())
    }

    fn paired_as_inviter(
        &self,
        peer: &EndpointId,
        payload: &[u8],
        addrs: Vec<TransportAddr>,
    ) -> Pending<Result<(), BackendError>> {
        let (peer, payload) = (*peer, payload.to_vec());
        self.request(move |d| d.take_joiner(&peer, &payload, addrs))
    }

    fn paired_as_joiner(
        &self,
        peer: &EndpointId,
        grant: &Grant,
        addrs: Vec<TransportAddr>,
    ) -> Pending<Result<(), BackendError>> {
        let (peer, grant) = (*peer, grant.clone());
        self.request(move |d| d.take_grant(&peer, &grant, addrs))
    }
}

impl Device {
    fn check_usable(&self) -> Result<(), BackendError> {
        if self.broken {
            Err(BackendError::local(Broken))
        } else {
            Ok(())
        }
    }

    fn remember_addrs(&mut self, peer: &EndpointId, addrs: Vec<TransportAddr>) {
        let id = DeviceId::new(*peer);
        let addrs = stored_addrs(&addrs);
        let known = self.paired.get(&id).map(|d| d.addrs.clone());
        if addrs.is_empty() || known.is_none() || known.as_ref() == Some(&addrs) {
            return;
        }
        match self
            .store
            .update_paired_addrs(*id.as_bytes(), addrs.clone())
        {
            Ok(()) => {
                if let Some(d) = self.paired.get_mut(&id) {
                    d.addrs = addrs;
                }
                self.publish();
            }
            Err(e) => tracing::warn!(error = %e, "could not remember a partner device's addresses"),
        }
    }

    fn sync_start(&mut self, peer: &EndpointId, outbox: Outbox) -> Result<(), BackendError> {
        let stored = self
            .store
            .load_sync_state(*peer.as_bytes())
            .map_err(BackendError::local)?;
        let state = match stored.map(|bytes| PeerSync::restore(&bytes)) {
            Some(Ok(state)) => state,
            Some(Err(e)) => {
                // Only costs a longer first exchange: start as if we had never synced.
                tracing::warn!(error = %e, "stored sync state unreadable; starting afresh");
                PeerSync::new()
            }
            None => PeerSync::new(),
        };
        self.sessions.insert(*peer, Session { state, outbox });
        Ok(())
    }

    fn sync_generate(&mut self, peer: &EndpointId) -> Result<(), BackendError> {
        self.check_usable()?;
        let session = self
            .sessions
            .get_mut(peer)
            .ok_or_else(|| BackendError::local(NoSession))?;
        session.send_next(&mut self.shared).map_err(|e| {
            let _ = self.reload(DocId::Shared);
            BackendError::local(e)
        })
    }

    fn sync_receive(
        &mut self,
        peer: &EndpointId,
        message: SyncMessage,
    ) -> Result<Reply, BackendError> {
        self.check_usable()?;
        let state = &mut self
            .sessions
            .get_mut(peer)
            .ok_or_else(|| BackendError::local(NoSession))?
            .state;
        let journal = &mut self.shared;
        let before = journal.automerge_mut().get_heads();
        match journal.receive_sync_message(state, message) {
            Ok(()) => {}
            Err(SyncError::Rejected(e)) => return Err(BackendError::peer(SyncError::Rejected(e))),
            Err(e) => {
                // Automerge may have been left half-way: go back to what is stored.
                let _ = self.reload(DocId::Shared);
                return Err(BackendError::peer(e));
            }
        }
        let received = journal.automerge_mut().get_heads() != before;
        // What survives a reconnect (the heads both sides have) changes only on receiving; it is
        // stored with the changes it acknowledges when there are any.
        let state_now = state.persist();
        let mut state_stored = false;
        if received {
            // Told as soon as the journal holds it: anything that reads it asks the owner, and
            // so waits for this step, which stores it first (decision 0015).
            self.emit(Event::JournalChanged { by_partner: true });
            let journal = &mut self.shared;
            match persist_received(&self.store, journal, *peer.as_bytes(), &state_now) {
                Ok(persisted) => {
                    state_stored = persisted.stored;
                    self.compact_soon(DocId::Shared, persisted);
                }
                Err(e) => {
                    let _ = self.reload(DocId::Shared);
                    return Err(BackendError::local(e));
                }
            }
        }
        let carried = self.carry_over().map_err(BackendError::local)?;
        if carried && !received {
            self.emit(Event::JournalChanged { by_partner: true });
        }
        let changed = received || carried;
        if changed {
            // The partner's answer goes back in the reply below, with the key of this person's.
            self.after_arrival();
        }
        let session = self
            .sessions
            .get_mut(peer)
            .ok_or_else(|| BackendError::local(NoSession))?;
        if let Err(e) = session.send_next(&mut self.shared) {
            let _ = self.reload(DocId::Shared);
            return Err(BackendError::local(e));
        }
        let in_sync = self.shared.in_sync_with(&session.state);
        if !state_stored && let Err(e) = self.store.save_sync_state(*peer.as_bytes(), &state_now) {
            tracing::warn!(error = %e, "could not keep the sync state");
        }
        Ok(Reply { changed, in_sync })
    }

    fn sync_end(&mut self, peer: &EndpointId) {
        let Some(Session { state, .. }) = self.sessions.remove(peer) else {
            return;
        };
        if let Err(e) = self
            .store
            .save_sync_state(*peer.as_bytes(), &state.persist())
        {
            tracing::warn!(error = %e, "could not keep the sync state");
        }
    }

    /// Whether a live session with `peer` shows it has exactly this journal.
    pub(crate) fn in_sync(&mut self, peer: &EndpointId) -> bool {
        self.sessions
            .get(peer)
            .is_some_and(|session| self.shared.in_sync_with(&session.state))
    }
}

impl Session {
    /// Puts the next message for this device in its outbox, if there is anything to say.
    fn send_next(&mut self, journal: &mut hearth_journal::Journal) -> Result<(), SyncError> {
        if let Some(message) = journal.generate_sync_message(&mut self.state)? {
            // A session that has just ended sends nothing more; its state is kept already.
            let _ = self.outbox.send(message);
        }
        Ok(())
    }
}

/// Sends each live session what it lacks of a change just made, before the change is stored: a
/// device in step gets it while the store flushes it to disk. The change is acknowledged only
/// once stored; one that fails to store may reach the partner's devices even so, and comes back
/// from them on the next sync (this device's next changes are made as a new Automerge actor, so
/// nothing it writes later can clash with it). See decision 0015.
pub(crate) fn send_before_storing(
    sessions: &mut HashMap<EndpointId, Session>,
    journal: &mut hearth_journal::Journal,
) {
    for session in sessions.values_mut() {
        if let Err(e) = session.send_next(journal) {
            // The session's own next step tries again, and reloads the journal if need be.
            tracing::warn!(error = %e, "a change could not be sent as it was made");
        }
    }
}
