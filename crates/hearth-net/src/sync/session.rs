//! One sync session with a paired device: the hello, then Automerge's sync protocol in sealed
//! frames, pushing local changes as they happen, until either side goes.

use std::sync::Arc;
use std::time::Duration;

use hearth_crypto::frame;
use hearth_journal::sync::validate_sync_message;
use iroh::EndpointId;
use iroh::endpoint::{Connection, RecvStream, SendStream, VarInt};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;
use tokio_util::task::AbortOnDropHandle;

use super::presence::{current_path, remote_addrs};
use super::registry::Refused;
use super::wire::{
    Hello, Incoming, MAX_HELLO_EPOCHS, Reader, WireError, Writer, read_hello, write_hello,
};
use crate::device_side::{Blame, Outbox};
use crate::event::{Misbehaviour, NetEvent, Path};
use crate::node_state::{Shared, random};

/// The peer must say hello within this time.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// A ping goes out this often while the session lives.
const PING_EVERY: Duration = Duration::from_secs(10);
/// A ping unanswered this long ends the session: keep-alives alone do not prove progress.
const PONG_WITHIN: Duration = Duration::from_secs(25);
/// Before a peer that stopped answering is blamed, the connection is listened to this long, more
/// than the 5 s between keep-alives: silence means the network failed, not the peer.
const LISTEN_BEFORE_BLAME: Duration = Duration::from_secs(6);
/// How long a session whose hello failed waits for the other side's reason for closing.
const LISTEN_FOR_REASON: Duration = Duration::from_secs(2);
/// How often the path is looked at for presence.
const PATH_CHECK_EVERY: Duration = Duration::from_secs(2);

/// Close codes on a sync connection.
pub(crate) const CLOSE_DONE: u32 = 0;
pub(crate) const CLOSE_REPLACED: u32 = 1;
pub(crate) const CLOSE_MISBEHAVED: u32 = 2;
pub(crate) const CLOSE_NOT_PAIRED: u32 = 403;
pub(crate) const CLOSE_REMOVED: u32 = 410;
/// The connection speaks an older version of the sync protocol: the other side must update.
pub(crate) const CLOSE_OUTDATED: u32 = 426;

/// How a session ended.
#[derive(Debug)]
pub(crate) enum End {
    /// Normally: one side left, the node shut down, or a newer session replaced it.
    Done,
    /// This device could not go on (no journal key, store failure, randomness).
    Local,
    /// The peer misbehaved.
    Misbehaved(Misbehaviour),
}

/// Runs a session on an established stream. `dialer` is whoever opened the connection.
///
/// The session ends when `cancel` is cancelled (the node shuts down, or this peer's dialer is
/// stopped), and also when a newer session replaces it or the peer is forgotten. However it ends
/// once live, it ends through [`Backend::sync_end`](crate::Backend::sync_end), which keeps the
/// peer's sync state: the caller must let it run to its end rather than drop it.
pub(crate) async fn run(
    shared: Arc<Shared>,
    conn: Connection,
    mut send: SendStream,
    mut recv: RecvStream,
    dialer: EndpointId,
    cancel: CancellationToken,
) -> End {
    let peer = conn.remote_id();
    // Nothing of the peer's sync state is touched before the session is admitted: the handshake
    // may simply stop.
    let keys = tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(End::Done),
        keys = handshake(&shared, &conn, &mut send, &mut recv, peer) => keys,
    };
    let end = match keys {
        Ok((sealer, opener)) => {
            let writer = Writer::new(send, sealer);
            let reader = Reader::new(recv, opener, shared.frame_body_timeout);
            let backend = &shared.backend;
            match shared
                .registry
                .admit(peer, dialer, &cancel, || backend.is_paired(&peer))
            {
                Ok(admission) => {
                    // Start only once the session replaced has saved its sync state, and not at
                    // all if this one is stopped meanwhile.
                    let start = match &admission.previous_finished {
                        Some(previous) => tokio::select! {
                            biased;
                            _ = admission.cancel.cancelled() => false,
                            _ = tokio::time::timeout(HELLO_TIMEOUT, previous.cancelled()) => true,
                        },
                        None => !admission.cancel.is_cancelled(),
                    };
                    let end = if start {
                        live(&shared, &conn, writer, reader, peer, &admission.cancel).await
                    } else {
                        End::Done
                    };
                    drop(admission);
                    // A session replaced by a newer one leaves the device online.
                    if !shared.registry.is_live(&peer) {
                        shared.presence.update(peer, |s| {
                            s.online = false;
                            s.path = None;
                        });
                        shared.emit(NetEvent::PeerOffline { peer });
                        shared.wake_dialer(&peer);
                    }
                    end
                }
                Err(Refused::Duplicate) => {
                    conn.close(VarInt::from_u32(CLOSE_REPLACED), b"duplicate session");
                    return End::Done;
                }
                Err(Refused::NotPaired) => {
                    turn_away(&shared, &conn, peer);
                    return End::Done;
                }
            }
        }
        Err(End::Done) if dialer == shared.endpoint.id() => {
            // A device that turns this one away says why as it closes; the reason may arrive
            // just after the hello failed.
            let reason = tokio::time::timeout(LISTEN_FOR_REASON, conn.closed()).await;
            if let Ok(iroh::endpoint::ConnectionError::ApplicationClosed(close)) = reason {
                told_why(&shared, peer, close.error_code);
            }
            End::Done
        }
        Err(end) => end,
    };
    let end = match end {
        End::Misbehaved(Misbehaviour::Unresponsive) => blame_if_heard(&conn, &cancel).await,
        other => other,
    };
    let code = match &end {
        End::Misbehaved(what) => {
            tracing::warn!(peer = %peer.fmt_short(), %what, "disconnected a misbehaving device");
            shared.emit(NetEvent::Misbehaved {
                peer,
                what: what.clone(),
            });
            CLOSE_MISBEHAVED
        }
        End::Done | End::Local => CLOSE_DONE,
    };
    conn.close(VarInt::from_u32(code), b"");
    end
}

/// Acts on the reason a device gave for closing this one's connection before a session began.
pub(crate) fn told_why(shared: &Shared, peer: EndpointId, code: VarInt) {
    if code == VarInt::from_u32(CLOSE_REMOVED) {
        tracing::warn!(by = %peer.fmt_short(), "this device was removed from the journal");
        shared.emit(NetEvent::RemovedFromJournal { by: peer });
    } else if code == VarInt::from_u32(CLOSE_OUTDATED) {
        tracing::warn!(peer = %peer.fmt_short(), "a device of the journal runs a newer Hearth");
        shared.emit(NetEvent::VersionMismatch {
            peer,
            outdated: crate::Outdated::ThisDevice,
        });
    }
}

/// Closes a connection on which a paired device speaks the sync protocol of an older Hearth,
/// telling it why in the one way an older version can hear.
pub(crate) fn refuse_outdated(shared: &Shared, conn: &Connection, peer: EndpointId) {
    tracing::warn!(peer = %peer.fmt_short(), "a device of the journal runs an older Hearth");
    shared.emit(NetEvent::VersionMismatch {
        peer,
        outdated: crate::Outdated::Peer,
    });
    conn.close(
        VarInt::from_u32(CLOSE_OUTDATED),
        b"this device runs an older Hearth: update it",
    );
}

/// Closes a connection from a device that is not (or no longer) paired: a removed device is
/// told it was removed, a stranger only that it is not paired.
pub(crate) fn turn_away(shared: &Shared, conn: &Connection, peer: EndpointId) {
    if shared.backend.is_removed(&peer) {
        shared.emit(NetEvent::RemovedRefused { peer });
        conn.close(
            VarInt::from_u32(CLOSE_REMOVED),
            b"this device was removed from the journal",
        );
    } else {
        shared.emit(NetEvent::StrangerRefused { peer });
        conn.close(VarInt::from_u32(CLOSE_NOT_PAIRED), b"not paired");
    }
}

async fn handshake(
    shared: &Arc<Shared>,
    _conn: &Connection,
    send: &mut SendStream,
    recv: &mut RecvStream,
    peer: EndpointId,
) -> Result<(frame::FrameSealer, frame::FrameOpener), End> {
    let held = shared.backend.journal_epochs();
    let mine: Vec<(u32, [u8; frame::KEY_CHECK_LEN])> = held
        .iter()
        .rev()
        .take(MAX_HELLO_EPOCHS)
        .rev()
        .filter_map(|epoch| {
            let key = shared.backend.journal_key(*epoch)?;
            Some((*epoch, frame::key_check(&key, *epoch)))
        })
        .collect();
    if mine.is_empty() {
        return Err(End::Local);
    }
    let nonce: [u8; 32] = random().map_err(|_| End::Local)?;
    let hello = Hello {
        epochs: mine.clone(),
        nonce,
    };
    write_hello(send, &hello).await.map_err(|_| End::Done)?;
    let theirs = match tokio::time::timeout(HELLO_TIMEOUT, read_hello(recv)).await {
        Err(_) => return Err(End::Misbehaved(Misbehaviour::Unresponsive)),
        Ok(Err(WireError::Misbehaved(what))) => return Err(End::Misbehaved(what)),
        Ok(Err(_)) => return Err(End::Done),
        Ok(Ok(theirs)) => theirs,
    };
    // The session runs under the newest epoch whose key both hold: a device that has not yet
    // received the newest key can still sync, and so receive it, sealed to it in the journal.
    let Some(epoch) = frame::common_epoch(&mine, &theirs.epochs) else {
        tracing::info!(peer = %peer.fmt_short(), "the device holds none of this journal's keys");
        return Err(End::Local);
    };
    let key = shared.backend.journal_key(epoch).ok_or(End::Local)?;
    let me = *shared.endpoint.id().as_bytes();
    frame::session(&key, epoch, me, nonce, *peer.as_bytes(), theirs.nonce)
        .map_err(|_| End::Misbehaved(Misbehaviour::BadMessage))
}

/// The live session: once the backend has started the peer's sync, it ends it on every way out.
async fn live(
    shared: &Arc<Shared>,
    conn: &Connection,
    mut writer: Writer,
    reader: Reader,
    peer: EndpointId,
    cancel: &CancellationToken,
) -> End {
    let path = current_path(conn);
    shared.presence.update(peer, |s| {
        s.online = true;
        s.path = Some(path);
    });
    shared.emit(NetEvent::PeerOnline { peer, path });
    let addrs = remote_addrs(conn);
    shared.call(move |b| b.remember_addrs(&peer, addrs)).await;
    let (outbox, outgoing) = Outbox::new();
    match shared.call(move |b| b.sync_start(&peer, outbox)).await {
        Some(Ok(())) => {}
        _ => return End::Local,
    }
    let end = exchange(shared, conn, &mut writer, reader, outgoing, path, cancel).await;
    shared.call(move |b| b.sync_end(&peer)).await;
    writer.finish();
    end
}

/// Sync messages both ways, pings and path checks, until the session ends.
async fn exchange(
    shared: &Arc<Shared>,
    conn: &Connection,
    writer: &mut Writer,
    mut reader: Reader,
    mut outgoing: mpsc::UnboundedReceiver<Vec<u8>>,
    mut path: Path,
    cancel: &CancellationToken,
) -> End {
    let peer = conn.remote_id();
    // Reading runs in its own task: a read cut short by select! would lose bytes.
    let (incoming_tx, mut incoming) = mpsc::channel(2);
    let _reader = AbortOnDropHandle::new(shared.tasks.spawn(async move {
        loop {
            let next = reader.next().await;
            let stop = next.is_err();
            if incoming_tx.send(next).await.is_err() || stop {
                return;
            }
        }
    }));

    let mut changes = shared.changes.subscribe();
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut path_check = tokio::time::interval(PATH_CHECK_EVERY);
    let mut awaiting_pong: Option<Instant> = None;

    if let Err(end) = push(shared, peer).await {
        return end;
    }
    loop {
        tokio::select! {
            biased;
            _ = cancel.cancelled() => break End::Done,
            // What the backend made goes first, as soon as it is made.
            Some(message) = outgoing.recv() => {
                if let Err(end) = send(shared, writer, peer, &message).await {
                    break end;
                }
            }
            next = incoming.recv() => match next {
                None | Some(Err(WireError::Closed | WireError::Seal(_))) => break End::Done,
                Some(Err(WireError::Misbehaved(what))) => break End::Misbehaved(what),
                Some(Ok((Incoming::Ping, _))) => {
                    if writer.pong().await.is_err() {
                        break End::Done;
                    }
                }
                Some(Ok((Incoming::Pong, _))) => awaiting_pong = None,
                Some(Ok((Incoming::Sync(bytes), wire))) => {
                    if let Err(end) = take(shared, peer, bytes, wire).await {
                        break end;
                    }
                }
            },
            Ok(()) = changes.changed() => {
                if let Err(end) = push(shared, peer).await {
                    break end;
                }
            }
            _ = ping.tick() => {
                if awaiting_pong.is_some_and(|since| since.elapsed() > PONG_WITHIN) {
                    break End::Misbehaved(Misbehaviour::Unresponsive);
                }
                if awaiting_pong.is_none() {
                    if writer.ping().await.is_err() {
                        break End::Done;
                    }
                    awaiting_pong = Some(Instant::now());
                }
            }
            _ = path_check.tick() => {
                let now = current_path(conn);
                if now != path {
                    path = now;
                    shared.presence.update(peer, |s| s.path = Some(path));
                    shared.emit(NetEvent::PathChanged { peer, path });
                }
            }
        }
    }
}

/// A peer that stopped answering in time is to blame only if its connection still carries
/// packets (QUIC keep-alives and acknowledgements come at least every 5 s while it works). If
/// nothing arrives for a while, the network failed, and the session ends without blame.
async fn blame_if_heard(conn: &Connection, cancel: &CancellationToken) -> End {
    let before = conn.stats().udp_rx.datagrams;
    tokio::select! {
        _ = tokio::time::sleep(LISTEN_BEFORE_BLAME) => {}
        _ = conn.closed() => return End::Done,
        _ = cancel.cancelled() => return End::Done,
    }
    if conn.stats().udp_rx.datagrams == before {
        End::Done
    } else {
        End::Misbehaved(Misbehaviour::Unresponsive)
    }
}

/// Asks for our next sync message, if there is one: it comes through the outbox.
async fn push(shared: &Arc<Shared>, peer: EndpointId) -> Result<(), End> {
    match shared.call(move |b| b.sync_generate(&peer)).await {
        Some(Ok(())) => Ok(()),
        _ => Err(End::Local),
    }
}

async fn send(
    shared: &Arc<Shared>,
    writer: &mut Writer,
    peer: EndpointId,
    message: &[u8],
) -> Result<(), End> {
    let wire = writer.sync(message).await.map_err(|_| End::Done)?;
    shared.presence.update(peer, |s| {
        s.messages_sent += 1;
        s.bytes_sent += wire as u64;
    });
    Ok(())
}

/// Takes a peer's sync message: validate, apply, answer (through the outbox).
async fn take(
    shared: &Arc<Shared>,
    peer: EndpointId,
    bytes: Vec<u8>,
    wire: usize,
) -> Result<(), End> {
    shared.presence.update(peer, |s| {
        s.messages_received += 1;
        s.bytes_received += wire as u64;
    });
    let message =
        validate_sync_message(&bytes).map_err(|_| End::Misbehaved(Misbehaviour::BadSyncMessage))?;
    // The message holds its own copy: up to 64 MiB need not be held twice while it is applied.
    drop(bytes);
    let reply = match shared.call(move |b| b.sync_receive(&peer, message)).await {
        Some(Ok(reply)) => reply,
        Some(Err(e)) if e.blame == Blame::Peer => {
            return Err(End::Misbehaved(Misbehaviour::RejectedChanges));
        }
        _ => return Err(End::Local),
    };
    if reply.changed {
        shared.emit(NetEvent::Received { peer });
        // What came from one device goes on to the others connected now, and any device the
        // journal named for the first time is dialed.
        shared.changes.send_modify(|n| *n = n.wrapping_add(1));
        crate::node::follow_paired(shared);
    }
    if reply.in_sync {
        let at_ms = hearth_journal::UnixMs::now();
        shared
            .presence
            .update(peer, |s| s.last_synced_ms = Some(at_ms));
        shared.emit(NetEvent::Synced { peer, at_ms });
    }
    Ok(())
}
