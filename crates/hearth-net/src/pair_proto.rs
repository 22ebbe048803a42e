//! `hearth/pair/1`: the pairing handshake of hearth-crypto over one stream.

use std::sync::Arc;
use std::time::Duration;

use hearth_crypto::Ticket;
use hearth_crypto::pairing::{Inviter, Joiner, MAX_PAIR_MESSAGE_LEN, PairingError};
use iroh::endpoint::{Connection, RecvStream, SendStream, VarInt};
use iroh::protocol::{AcceptError, ProtocolHandler};
use iroh::{EndpointAddr, EndpointId, RelayUrl};
use tokio::sync::{mpsc, oneshot};

use crate::pairing::{PairingEvent, PairingFailure};
use crate::presence::remote_addrs;
use crate::shared::{OpenInvitation, Shared, now_ms, random};
use crate::wire::{WireError, read_plain, write_plain};

/// The ALPN of the pairing protocol.
pub const PAIR_ALPN: &[u8] = b"hearth/pair/1";

/// Until the short string shows, each message must come within this time.
const STEP_TIMEOUT: Duration = Duration::from_secs(15);
/// The people have this long to compare the strings and answer.
const COMPARE_TIME: Duration = Duration::from_secs(5 * 60);
/// Dialing the inviter gives up after this long.
const DIAL_TIMEOUT: Duration = Duration::from_secs(20);

const CLOSE_NO_INVITATION: u32 = 404;

/// Accepts a joiner for the open invitation.
pub(crate) struct PairHandler {
    pub(crate) shared: Arc<Shared>,
}

impl std::fmt::Debug for PairHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PairHandler")
    }
}

impl ProtocolHandler for PairHandler {
    async fn accept(&self, conn: Connection) -> Result<(), AcceptError> {
        let taken = self
            .shared
            .invitation
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        let Some(invitation) = taken else {
            conn.close(VarInt::from_u32(CLOSE_NO_INVITATION), b"no invitation");
            return Ok(());
        };
        if let Some(unused) = run_inviter(&self.shared, &conn, invitation).await {
            // The caller never proved it knows the invitation: keep it open for the partner.
            let mut slot = self
                .shared
                .invitation
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if slot.is_none() && !unused.ticket.is_expired(now_ms()) {
                *slot = Some(unused);
            }
        }
        Ok(())
    }
}

/// Messages from the other side, read in a task of their own so a wait for the person's answer
/// never cuts a read in half.
fn spawn_reader(
    mut recv: RecvStream,
) -> (
    mpsc::Receiver<Result<Vec<u8>, WireError>>,
    tokio::task::JoinHandle<()>,
) {
    let (tx, rx) = mpsc::channel(2);
    let task = tokio::spawn(async move {
        loop {
            let next = read_plain(&mut recv, MAX_PAIR_MESSAGE_LEN).await;
            let stop = next.is_err();
            if tx.send(next).await.is_err() || stop {
                return;
            }
        }
    });
    (rx, task)
}

fn failure(e: PairingError) -> PairingFailure {
    match e {
        PairingError::PeerAborted { .. } => PairingFailure::DeclinedByPartner,
        PairingError::TimedOut { .. } | PairingError::TicketExpired { .. } => {
            PairingFailure::Expired
        }
        PairingError::Declined => PairingFailure::Mismatch,
        other => PairingFailure::Protocol(other),
    }
}

/// Runs the inviter's side. Returns the invitation back if the other side never proved it knows
/// the invitation secret (a stranger, or a typo): then nothing is reported and it stays open.
async fn run_inviter(
    shared: &Arc<Shared>,
    conn: &Connection,
    invitation: OpenInvitation,
) -> Option<OpenInvitation> {
    let OpenInvitation {
        ticket,
        events,
        answer,
    } = invitation;
    let joiner = conn.remote_id();
    let Ok(Ok((mut send, recv))) = tokio::time::timeout(STEP_TIMEOUT, conn.accept_bi()).await
    else {
        return Some(OpenInvitation {
            ticket,
            events,
            answer,
        });
    };
    let (Ok(ephemeral), deadline) = (random::<32>(), now_ms() + COMPARE_TIME.as_millis() as u64)
    else {
        return Some(OpenInvitation {
            ticket,
            events,
            answer,
        });
    };
    let mut machine = Inviter::new(&ticket, *joiner.as_bytes(), ephemeral, deadline);
    let (mut incoming, reader) = spawn_reader(recv);
    let _reader = AbortOnDrop(reader);

    // Until the short string shows: a caller that stalls or fails the proofs is not the partner.
    let sas = loop {
        let Ok(Some(Ok(message))) = tokio::time::timeout(STEP_TIMEOUT, incoming.recv()).await
        else {
            return Some(OpenInvitation {
                ticket,
                events,
                answer,
            });
        };
        let step = match machine.handle_message(now_ms(), &message) {
            Ok(step) => step,
            Err(PairingError::TicketExpired { .. }) => {
                let _ = events
                    .send(PairingEvent::Failed(PairingFailure::Expired))
                    .await;
                return None;
            }
            Err(_) => {
                conn.close(VarInt::from_u32(2), b"pairing failed");
                return Some(OpenInvitation {
                    ticket,
                    events,
                    answer,
                });
            }
        };
        if let Some(bytes) = step.send
            && write_plain(&mut send, &bytes).await.is_err()
        {
            return Some(OpenInvitation {
                ticket,
                events,
                answer,
            });
        }
        if let Some(sas) = step.sas {
            break sas;
        }
    };
    let _ = events.send(PairingEvent::Connected { peer: joiner }).await;
    let _ = events.send(PairingEvent::Compare(sas)).await;

    let mut answer = Some(answer);
    let outcome: Result<(), PairingFailure> = loop {
        tokio::select! {
            said = async { answer.as_mut().expect("polled only while present").await }, if answer.is_some() => {
                answer = None;
                if said == Ok(true) {
                    let grant = match shared.blocking(|b| b.pairing_grant()).await {
                        Some(Ok(grant)) => grant,
                        Some(Err(e)) => break Err(PairingFailure::Local(e)),
                        None => break Err(PairingFailure::ConnectionLost),
                    };
                    match machine.confirm_sas(now_ms(), grant) {
                        Ok(step) => if let Some(bytes) = step.send
                            && write_plain(&mut send, &bytes).await.is_err()
                        {
                            break Err(PairingFailure::ConnectionLost);
                        },
                        Err(e) => break Err(failure(e)),
                    }
                } else {
                    let _ = write_plain(&mut send, &machine.decline()).await;
                    break Err(PairingFailure::Mismatch);
                }
            }
            next = incoming.recv() => {
                let Some(Ok(message)) = next else { break Err(PairingFailure::ConnectionLost) };
                match machine.handle_message(now_ms(), &message) {
                    Ok(step) => {
                        if let Some(bytes) = step.send
                            && write_plain(&mut send, &bytes).await.is_err()
                        {
                            break Err(PairingFailure::ConnectionLost);
                        }
                        if let Some(joined) = step.joined {
                            let addrs = remote_addrs(conn);
                            let payload = joined.payload.clone();
                            match shared.blocking(move |b| b.paired_as_inviter(&joiner, &payload, addrs)).await {
                                Some(Ok(())) => break Ok(()),
                                Some(Err(e)) => break Err(PairingFailure::Local(e)),
                                None => break Err(PairingFailure::ConnectionLost),
                            }
                        }
                    }
                    Err(e) => break Err(failure(e)),
                }
            }
            _ = tokio::time::sleep(COMPARE_TIME) => break Err(PairingFailure::Expired),
        }
    };
    finish(shared, conn, send, &events, joiner, outcome, Last::Ours).await;
    None
}

/// Who read the last message of a successful pairing: that side closes the connection.
enum Last {
    /// We read it: close now.
    Ours,
    /// They will read ours: wait for them to close.
    Theirs,
}

/// Reports the outcome; on success starts keeping the new device in sync.
async fn finish(
    shared: &Arc<Shared>,
    conn: &Connection,
    mut send: SendStream,
    events: &mpsc::Sender<PairingEvent>,
    peer: EndpointId,
    outcome: Result<(), PairingFailure>,
    last: Last,
) {
    let _ = send.finish();
    match outcome {
        Ok(()) => {
            match last {
                Last::Ours => conn.close(VarInt::from_u32(0), b"paired"),
                Last::Theirs => {
                    let _ = tokio::time::timeout(Duration::from_secs(2), conn.closed()).await;
                }
            }
            crate::node::start_dialer(shared, peer);
            let _ = events.send(PairingEvent::Paired { peer }).await;
        }
        Err(why) => {
            conn.close(VarInt::from_u32(2), b"pairing ended");
            let _ = events.send(PairingEvent::Failed(why)).await;
        }
    }
}

/// Runs the joiner's side of pairing against `ticket`, reporting to `events`.
pub(crate) async fn run_joiner(
    shared: Arc<Shared>,
    ticket: Ticket,
    events: mpsc::Sender<PairingEvent>,
    answer: oneshot::Receiver<bool>,
) {
    let fail = |why| async {
        let _ = events.send(PairingEvent::Failed(why)).await;
    };
    let inviter = match iroh::PublicKey::from_bytes(ticket.endpoint_id()) {
        Ok(id) => id,
        Err(e) => return fail(PairingFailure::Unreachable(Box::new(e))).await,
    };
    let mut addr = EndpointAddr::new(inviter);
    if let Some(url) = ticket.relay_url().and_then(|u| u.parse::<RelayUrl>().ok()) {
        addr = addr.with_relay_url(url);
    }
    for ip in ticket.direct_addrs() {
        addr = addr.with_ip_addr(*ip);
    }
    let conn =
        match tokio::time::timeout(DIAL_TIMEOUT, shared.endpoint.connect(addr, PAIR_ALPN)).await {
            Ok(Ok(conn)) => conn,
            Ok(Err(e)) => return fail(PairingFailure::Unreachable(Box::new(e))).await,
            Err(_) => return fail(PairingFailure::Unreachable("no answer in time".into())).await,
        };
    let me = *shared.endpoint.id().as_bytes();
    let Ok(ephemeral) = random::<32>() else {
        return fail(PairingFailure::ConnectionLost).await;
    };
    let now = now_ms();
    let (mut machine, first) = match Joiner::start(
        &ticket,
        me,
        ephemeral,
        now,
        now + COMPARE_TIME.as_millis() as u64,
    ) {
        Ok(started) => started,
        Err(e) => return fail(failure(e)).await,
    };
    let Ok((mut send, recv)) = conn.open_bi().await else {
        return fail(PairingFailure::NoInvitation).await;
    };
    if write_plain(&mut send, &first).await.is_err() {
        return fail(PairingFailure::ConnectionLost).await;
    }
    let (mut incoming, reader) = spawn_reader(recv);
    let _reader = AbortOnDrop(reader);
    let _ = events.send(PairingEvent::Connected { peer: inviter }).await;

    let mut answer = Some(answer);
    let outcome: Result<(), PairingFailure> = loop {
        tokio::select! {
            said = async { answer.as_mut().expect("polled only while present").await }, if answer.is_some() => {
                answer = None;
                if said == Ok(true) {
                    let payload = match shared.blocking(|b| b.pairing_payload()).await {
                        Some(Ok(p)) => p,
                        Some(Err(e)) => break Err(PairingFailure::Local(e)),
                        None => break Err(PairingFailure::ConnectionLost),
                    };
                    match machine.confirm_sas(now_ms(), &payload) {
                        Ok(step) => if let Some(bytes) = step.send
                            && write_plain(&mut send, &bytes).await.is_err()
                        {
                            break Err(PairingFailure::ConnectionLost);
                        },
                        Err(e) => break Err(failure(e)),
                    }
                } else {
                    let _ = write_plain(&mut send, &machine.decline()).await;
                    break Err(PairingFailure::Mismatch);
                }
            }
            next = tokio::time::timeout(STEP_TIMEOUT.max(COMPARE_TIME), incoming.recv()) => {
                let message = match next {
                    Err(_) => break Err(PairingFailure::Expired),
                    Ok(Some(Ok(m))) => m,
                    Ok(Some(Err(WireError::Misbehaved(_)))) => break Err(PairingFailure::Garbled),
                    Ok(_) => break Err(closed_reason(&conn)),
                };
                match machine.handle_message(now_ms(), &message) {
                    Ok(step) => {
                        if let Some(sas) = step.sas {
                            let _ = events.send(PairingEvent::Compare(sas)).await;
                        }
                        let granted = step.granted.is_some();
                        if let Some(grant) = step.granted {
                            let addrs = remote_addrs(&conn);
                            let stored = shared.blocking(move |b| b.paired_as_joiner(&inviter, &grant, addrs)).await;
                            match stored {
                                Some(Ok(())) => {}
                                Some(Err(e)) => break Err(PairingFailure::Local(e)),
                                None => break Err(PairingFailure::ConnectionLost),
                            }
                        }
                        if let Some(bytes) = step.send
                            && write_plain(&mut send, &bytes).await.is_err()
                        {
                            break Err(PairingFailure::ConnectionLost);
                        }
                        if granted {
                            break Ok(());
                        }
                    }
                    Err(e) => break Err(failure(e)),
                }
            }
        }
    };
    finish(
        &shared,
        &conn,
        send,
        &events,
        inviter,
        outcome,
        Last::Theirs,
    )
    .await;
}

/// Why the inviter's device closed on us before pairing finished.
fn closed_reason(conn: &Connection) -> PairingFailure {
    match conn.close_reason() {
        Some(iroh::endpoint::ConnectionError::ApplicationClosed(close))
            if close.error_code == VarInt::from_u32(CLOSE_NO_INVITATION) =>
        {
            PairingFailure::NoInvitation
        }
        _ => PairingFailure::ConnectionLost,
    }
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
