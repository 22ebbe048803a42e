//! `hearth/sync/2`: who may connect, accepting a session, and dialing each paired device. A device
//! still speaking `hearth/sync/1` (Hearth before key epochs) is told to update.

use std::sync::Arc;
use std::time::Duration;

use iroh::endpoint::{AfterHandshakeOutcome, Connection, EndpointHooks, Side, VarInt};
use iroh::protocol::{AcceptError, ProtocolHandler};
use iroh::{EndpointAddr, EndpointId};
use tokio::sync::broadcast;

use super::session::{self, CLOSE_NOT_PAIRED, CLOSE_REMOVED};
use crate::device_side::Backend;
use crate::event::NetEvent;
use crate::node_state::Shared;
use iroh::endpoint::{ConnectError, ConnectOptions, ConnectingError, ConnectionError};

/// The ALPN of the sync protocol.
pub const SYNC_ALPN: &[u8] = b"hearth/sync/2";
/// The ALPN of the sync protocol before key epochs: still accepted and offered, only to tell the
/// device on the other end that it must be updated.
pub const OLD_SYNC_ALPN: &[u8] = b"hearth/sync/1";

/// The first dial retry comes after this long; each failure doubles it.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// A session this long shows the device accepts this one: the next dial after it goes soon.
const SESSION_THAT_LASTED: Duration = Duration::from_secs(5);
/// Retries never wait longer than this.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// A dial that has not connected in this time is given up.
const DIAL_TIMEOUT: Duration = Duration::from_secs(15);
/// The session's stream must open within this time.
const STREAM_TIMEOUT: Duration = Duration::from_secs(10);

/// Turns away, right after the TLS handshake, any device that is not paired: it is closed before
/// any protocol runs, so it never receives a journal byte.
pub(crate) struct Gate {
    pub(crate) backend: Arc<dyn Backend>,
    pub(crate) events: broadcast::Sender<NetEvent>,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Gate")
    }
}

impl EndpointHooks for Gate {
    async fn after_handshake<'a>(&'a self, conn: &'a Connection) -> AfterHandshakeOutcome {
        let sync = conn.alpn() == SYNC_ALPN || conn.alpn() == OLD_SYNC_ALPN;
        if conn.side() == Side::Client || !sync {
            return AfterHandshakeOutcome::Accept;
        }
        let peer = conn.remote_id();
        if self.backend.is_paired(&peer) {
            AfterHandshakeOutcome::Accept
        } else if self.backend.is_removed(&peer) {
            let _ = self.events.send(NetEvent::RemovedRefused { peer });
            AfterHandshakeOutcome::Reject {
                error_code: VarInt::from_u32(CLOSE_REMOVED),
                reason: b"this device was removed from the journal".to_vec(),
            }
        } else {
            let _ = self.events.send(NetEvent::StrangerRefused { peer });
            AfterHandshakeOutcome::Reject {
                error_code: VarInt::from_u32(CLOSE_NOT_PAIRED),
                reason: b"not paired".to_vec(),
            }
        }
    }
}

/// Accepts sync sessions from paired devices.
pub(crate) struct SyncHandler {
    pub(crate) shared: Arc<Shared>,
}

impl std::fmt::Debug for SyncHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SyncHandler")
    }
}

impl ProtocolHandler for SyncHandler {
    async fn accept(&self, conn: Connection) -> Result<(), AcceptError> {
        let peer = conn.remote_id();
        // The gate already refused strangers; checked again in case pairing changed since.
        if !self.shared.backend.is_paired(&peer) {
            session::turn_away(&self.shared, &conn, peer);
            return Ok(());
        }
        if conn.alpn() == OLD_SYNC_ALPN {
            session::refuse_outdated(&self.shared, &conn, peer);
            return Ok(());
        }
        let Ok(Ok((send, recv))) = tokio::time::timeout(STREAM_TIMEOUT, conn.accept_bi()).await
        else {
            conn.close(VarInt::from_u32(session::CLOSE_DONE), b"");
            return Ok(());
        };
        // The session runs as a task of the node rather than in this future: on shutdown the router
        // drops the futures of its handlers, and a session dropped there would never reach
        // `sync_end`. The session ends by itself when the node's token is cancelled, and
        // `Node::shutdown` waits for it.
        let shared = self.shared.clone();
        let cancel = shared.cancel.clone();
        let session = self
            .shared
            .tasks
            .spawn(session::run(shared, conn, send, recv, peer, cancel));
        let _ = session.await;
        Ok(())
    }
}

/// Keeps one paired device connected: dials it, and dials again with backoff when the session ends
/// or a dial fails. Woken early by [`Shared::wake_dialer`]; stopped by `cancel` (a child of the
/// node's token, cancelled alone when the device is forgotten).
pub(crate) async fn dial_loop(
    shared: Arc<Shared>,
    peer: EndpointId,
    wake: Arc<tokio::sync::Notify>,
    cancel: tokio_util::sync::CancellationToken,
) {
    let mut backoff = FIRST_BACKOFF;
    loop {
        if !shared.registry.is_live(&peer)
            && shared.backend.is_paired(&peer)
            && shared.backend.dials()
        {
            // Dialing may stop halfway: nothing of the peer's sync state is touched yet.
            let dialed = tokio::select! {
                biased;
                _ = cancel.cancelled() => return,
                dialed = dial(&shared, peer) => dialed,
            };
            match dialed {
                Some(conn) => {
                    let started = tokio::time::Instant::now();
                    let stream = tokio::select! {
                        biased;
                        _ = cancel.cancelled() => return,
                        stream = tokio::time::timeout(STREAM_TIMEOUT, conn.open_bi()) => stream,
                    };
                    if let Ok(Ok((send, recv))) = stream {
                        // Awaited to its end, never raced against `cancel`: the session watches
                        // `cancel` itself and, once live, ends through `sync_end`, which keeps the
                        // peer's sync state. Dropped halfway, it would lose it.
                        let me = shared.endpoint.id();
                        session::run(shared.clone(), conn, send, recv, me, cancel.clone()).await;
                    }
                    // A session that lasted is a device that talks: dial again soon. One turned
                    // away at once (a device that has not heard of this one yet) is tried less
                    // and less often, like a device that does not answer.
                    backoff = if started.elapsed() >= SESSION_THAT_LASTED {
                        FIRST_BACKOFF
                    } else {
                        (backoff * 2).min(MAX_BACKOFF)
                    };
                }
                None => backoff = (backoff * 2).min(MAX_BACKOFF),
            }
        }
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = wake.notified() => {}
            _ = tokio::time::sleep(backoff) => {}
        }
    }
}

/// The code the other side closed a connection with while it was being established.
fn closed_with(e: &ConnectError) -> Option<VarInt> {
    let closed = match e {
        ConnectError::Connection { source, .. } => source,
        ConnectError::Connecting {
            source: ConnectingError::ConnectionError { source, .. },
            ..
        } => source,
        _ => return None,
    };
    match closed {
        ConnectionError::ApplicationClosed(close) => Some(close.error_code),
        _ => None,
    }
}

async fn dial(shared: &Arc<Shared>, peer: EndpointId) -> Option<Connection> {
    let known = shared
        .backend
        .paired_peers()
        .into_iter()
        .find(|p| p.id == peer)?;
    let addr = EndpointAddr::from_parts(peer, known.addrs);
    // The older protocol is offered too, so that a device not yet updated is recognised and its
    // person told, rather than the dial failing without a reason.
    let options = ConnectOptions::new().with_additional_alpns(vec![OLD_SYNC_ALPN.to_vec()]);
    let connecting = async {
        let connecting = shared
            .endpoint
            .connect_with_opts(addr, SYNC_ALPN, options)
            .await?;
        Ok::<_, ConnectError>(connecting.await?)
    };
    match tokio::time::timeout(DIAL_TIMEOUT, connecting).await {
        Ok(Ok(conn)) if conn.alpn() == OLD_SYNC_ALPN => {
            session::refuse_outdated(shared, &conn, peer);
            None
        }
        Ok(Ok(conn)) => Some(conn),
        Ok(Err(e)) if closed_with(&e).is_some() => {
            if let Some(code) = closed_with(&e) {
                session::told_why(shared, peer, code);
            }
            None
        }
        Ok(Err(e)) => {
            tracing::debug!(peer = %peer.fmt_short(), error = %e, "dial failed");
            None
        }
        Err(_) => None,
    }
}
