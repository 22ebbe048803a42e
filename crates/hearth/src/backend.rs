//! The device's side of the network protocols: the journal key, the paired devices, and each sync
//! step with the journal stored durably before it is answered.

use hearth_crypto::Key32;
use hearth_crypto::pairing::Grant;
use hearth_journal::sync::{PeerSync, SyncError, SyncMessage};
use hearth_net::{Backend, BackendError, EndpointId, KnownPeer, Reply};
use hearth_store::DocId;

use crate::inner::Inner;
use crate::persist::persist_received;
use crate::util::{lock, read, write};

/// A sync step came for a device with no session.
#[derive(Debug, thiserror::Error)]
#[error("no sync session with this device")]
struct NoSession;

/// The journal can take no changes until Hearth is restarted.
#[derive(Debug, thiserror::Error)]
#[error("the journal is unusable after a storage failure")]
struct Broken;

impl Inner {
    fn check_usable(&self) -> Result<(), BackendError> {
        if self.broken.load(std::sync::atomic::Ordering::SeqCst) {
            Err(BackendError::local(Broken))
        } else {
            Ok(())
        }
    }
}

impl Backend for Inner {
    fn journal_key(&self) -> Option<Key32> {
        Some(read(&self.binding).key.clone())
    }

    fn is_paired(&self, peer: &EndpointId) -> bool {
        read(&self.paired).contains_key(peer.as_bytes())
    }

    fn paired_peers(&self) -> Vec<KnownPeer> {
        read(&self.paired)
            .values()
            .filter_map(|d| {
                Some(KnownPeer {
                    id: EndpointId::from_bytes(&d.endpoint_id).ok()?,
                    addrs: d.addrs.clone(),
                })
            })
            .collect()
    }

    fn remember_addrs(&self, peer: &EndpointId, addrs: Vec<String>) {
        let id = *peer.as_bytes();
        let known = read(&self.paired).get(&id).map(|d| d.addrs.clone());
        if addrs.is_empty() || known.is_none() || known.as_ref() == Some(&addrs) {
            return;
        }
        match self.store.update_paired_addrs(id, addrs.clone()) {
            Ok(()) => {
                if let Some(d) = write(&self.paired).get_mut(&id) {
                    d.addrs = addrs;
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not remember a partner device's addresses"),
        }
    }

    fn sync_start(&self, peer: &EndpointId) -> Result<(), BackendError> {
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
        lock(&self.sessions).insert(*peer, state);
        Ok(())
    }

    fn sync_generate(&self, peer: &EndpointId) -> Result<Option<Vec<u8>>, BackendError> {
        self.check_usable()?;
        let mut journal = lock(&self.shared);
        let mut sessions = lock(&self.sessions);
        let state = sessions
            .get_mut(peer)
            .ok_or_else(|| BackendError::local(NoSession))?;
        match journal.generate_sync_message(state) {
            Ok(message) => Ok(message),
            Err(e) => {
                let _ = self.reload(DocId::Shared, &mut journal);
                Err(BackendError::local(e))
            }
        }
    }

    fn sync_receive(&self, peer: &EndpointId, message: SyncMessage) -> Result<Reply, BackendError> {
        self.check_usable()?;
        let mut journal = lock(&self.shared);
        let mut sessions = lock(&self.sessions);
        let state = sessions
            .get_mut(peer)
            .ok_or_else(|| BackendError::local(NoSession))?;
        let before = journal.automerge_mut().get_heads();
        match journal.receive_sync_message(state, message) {
            Ok(()) => {}
            Err(SyncError::Rejected(e)) => return Err(BackendError::peer(SyncError::Rejected(e))),
            Err(e) => {
                // Automerge may have been left half-way: go back to what is stored.
                let _ = self.reload(DocId::Shared, &mut journal);
                return Err(BackendError::peer(e));
            }
        }
        let mut changed = journal.automerge_mut().get_heads() != before;
        // What survives a reconnect (the heads both sides have) changes only on receiving; it is
        // stored with the changes it acknowledges when there are any.
        let state_now = state.persist();
        let mut state_stored = false;
        if changed {
            match persist_received(&self.store, &mut journal, *peer.as_bytes(), &state_now) {
                Ok(persisted) => {
                    state_stored = persisted.stored;
                    self.compact_soon(DocId::Shared, &mut journal, persisted);
                }
                Err(e) => {
                    let _ = self.reload(DocId::Shared, &mut journal);
                    return Err(BackendError::local(e));
                }
            }
        }
        changed |= self.carry_over(&mut journal).map_err(BackendError::local)?;
        let message = match journal.generate_sync_message(state) {
            Ok(message) => message,
            Err(e) => {
                let _ = self.reload(DocId::Shared, &mut journal);
                return Err(BackendError::local(e));
            }
        };
        let in_sync = journal.in_sync_with(state);
        if !state_stored && let Err(e) = self.store.save_sync_state(*peer.as_bytes(), &state_now) {
            tracing::warn!(error = %e, "could not keep the sync state");
        }
        Ok(Reply {
            message,
            changed,
            in_sync,
        })
    }

    fn sync_end(&self, peer: &EndpointId) {
        let Some(state) = lock(&self.sessions).remove(peer) else {
            return;
        };
        if let Err(e) = self
            .store
            .save_sync_state(*peer.as_bytes(), &state.persist())
        {
            tracing::warn!(error = %e, "could not keep the sync state");
        }
    }

    fn pairing_grant(&self) -> Result<Grant, BackendError> {
        self.grant()
    }

    fn pairing_payload(&self) -> Result<Vec<u8>, BackendError> {
        self.joiner_payload()
    }

    fn paired_as_inviter(
        &self,
        peer: &EndpointId,
        payload: &[u8],
        addrs: Vec<String>,
    ) -> Result<(), BackendError> {
        self.take_joiner(peer, payload, addrs)
    }

    fn paired_as_joiner(
        &self,
        peer: &EndpointId,
        grant: &Grant,
        addrs: Vec<String>,
    ) -> Result<(), BackendError> {
        self.take_grant(peer, grant, addrs)
    }
}
