//! What the network layer needs from the rest of the device: the journal and the store.

use hearth_crypto::JournalKey;
use hearth_crypto::pairing::Grant;
use hearth_journal::sync::SyncMessage;
use iroh::{EndpointId, TransportAddr};
use tokio::sync::mpsc;

/// A paired device as the store remembers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownPeer {
    /// Its identity.
    pub id: EndpointId,
    /// Where it was last seen: socket addresses and relay URLs.
    pub addrs: Vec<TransportAddr>,
}

/// Where the backend puts the sync messages for one session's peer, in the order they are to
/// go; the session sends each as it comes.
///
/// Every message of a session goes through its outbox, whoever asked for it: the session (its
/// first message, an answer to the peer) or the backend itself, which can send a new local change
/// the moment it is made, while storing it, without waiting to be asked. One queue keeps them in
/// the order the backend made them, which is the order the sync protocol needs.
#[derive(Clone, Debug)]
pub struct Outbox(mpsc::UnboundedSender<Vec<u8>>);

impl Outbox {
    /// An outbox and the receiving end the session reads.
    pub(crate) fn new() -> (Outbox, mpsc::UnboundedReceiver<Vec<u8>>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Outbox(tx), rx)
    }

    /// Queues `message` to be sent to the peer. False once the session has ended: nobody will
    /// send it.
    pub fn send(&self, message: Vec<u8>) -> bool {
        self.0.send(message).is_ok()
    }
}

/// The outcome of taking a peer's sync message. The answer, if any, is in the session's
/// [`Outbox`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reply {
    /// Whether the message brought changes into the journal.
    pub changed: bool,
    /// Whether both sides now have the same journal.
    pub in_sync: bool,
}

/// Who is to blame for a failed backend call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blame {
    /// This device (its store failed, say).
    Local,
    /// The peer (it sent something the journal could not take).
    Peer,
}

/// A backend call failed.
#[derive(Debug, thiserror::Error)]
#[error("{source}")]
pub struct BackendError {
    /// Who is to blame.
    pub blame: Blame,
    /// What went wrong.
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl BackendError {
    /// A failure of this device.
    pub fn local(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self {
            blame: Blame::Local,
            source: Box::new(source),
        }
    }

    /// A failure caused by what the peer sent.
    pub fn peer(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self {
            blame: Blame::Peer,
            source: Box::new(source),
        }
    }
}

/// The answer to a request of the network, still to come.
pub type Pending<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'static>>;

/// The device's side of the protocols: the facade implements it over its owner of the store and
/// the journal.
///
/// The first three answer at once, for every connection: they must not wait. The others are
/// requests answered by a future; the node runs each as a task of its own, so a request once made
/// runs to its end even if the session that made it is gone, and [`crate::Node::shutdown`] waits
/// for it. Their futures must not block the runtime's threads: work on the disk belongs on a
/// thread of the backend's own.
pub trait Backend: Send + Sync + 'static {
    /// The epochs whose journal keys this device holds, oldest first (none before it has a
    /// journal).
    fn journal_epochs(&self) -> Vec<u32>;
    /// The journal key of `epoch`, if this device holds it.
    fn journal_key(&self, epoch: u32) -> Option<JournalKey>;
    /// Whether `peer` is a paired device of this journal.
    fn is_paired(&self, peer: &EndpointId) -> bool;
    /// Every paired device, with its last-known addresses.
    fn paired_peers(&self) -> Vec<KnownPeer>;
    /// Whether `peer` was removed from the journal: it is turned away with a reason that tells
    /// it so ([`NetEvent::RemovedFromJournal`](crate::NetEvent::RemovedFromJournal) on its side).
    fn is_removed(&self, peer: &EndpointId) -> bool {
        let _ = peer;
        false
    }
    /// Whether this device dials its paired devices. A device removed from the journal does
    /// not: it only lets them in.
    fn dials(&self) -> bool {
        true
    }
    /// Remembers where a paired device was reached.
    fn remember_addrs(&self, peer: &EndpointId, addrs: Vec<TransportAddr>) -> Pending<()>;

    /// A session with `peer` starts: restore its sync state, forgetting anything in flight. Every
    /// message for `peer` goes into `outbox` until the session ends.
    fn sync_start(&self, peer: &EndpointId, outbox: Outbox) -> Pending<Result<(), BackendError>>;
    /// Puts the next sync message for `peer` in its outbox, if there is anything to say.
    fn sync_generate(&self, peer: &EndpointId) -> Pending<Result<(), BackendError>>;
    /// Takes a validated sync message from `peer`, stores what it brought durably, and puts the
    /// answer, if any, in the peer's outbox.
    fn sync_receive(
        &self,
        peer: &EndpointId,
        message: SyncMessage,
    ) -> Pending<Result<Reply, BackendError>>;
    /// The session with `peer` ended: keep its sync state.
    fn sync_end(&self, peer: &EndpointId) -> Pending<()>;

    /// Inviter: what to hand a newly paired device (journal key and the journal's id and members).
    fn pairing_grant(&self) -> Pending<Result<Grant, BackendError>>;
    /// Joiner: what to tell the inviter about ourselves (member id and name).
    fn pairing_payload(&self) -> Pending<Result<Vec<u8>, BackendError>>;
    /// Inviter: the pairing completed; remember the new device.
    fn paired_as_inviter(
        &self,
        peer: &EndpointId,
        payload: &[u8],
        addrs: Vec<TransportAddr>,
    ) -> Pending<Result<(), BackendError>>;
    /// Joiner: the pairing completed; take the journal and remember the inviting device.
    fn paired_as_joiner(
        &self,
        peer: &EndpointId,
        grant: &Grant,
        addrs: Vec<TransportAddr>,
    ) -> Pending<Result<(), BackendError>>;
}
