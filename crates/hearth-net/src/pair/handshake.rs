//! `hearth/pair/1`: the pairing handshake of hearth-crypto over one stream.

use std::sync::Arc;
use std::time::Duration;

use hearth_crypto::Ticket;
use hearth_crypto::pairing::{
    Grant, Inviter, InviterStep, Joined, Joiner, JoinerStep, MAX_PAIR_MESSAGE_LEN, PairingError,
    Sas,
};
use iroh::EndpointId;
use iroh::endpoint::{Connection, RecvStream, SendStream, VarInt};
use iroh::protocol::{AcceptError, ProtocolHandler};
use tokio::sync::{mpsc, oneshot};
use tokio_util::task::AbortOnDropHandle;

use super::handle::{Answer, PairingEvent, PairingFailure};
use crate::node_state::{OpenInvitation, Shared, lock, random, unsigned_now};
use crate::sync::presence::remote_addrs;
use crate::sync::wire::{WireError, read_plain, write_plain};

/// The ALPN of the pairing protocol.
pub const PAIR_ALPN: &[u8] = b"hearth/pair/1";

/// Until the short string shows, each message must come within this time.
const STEP_TIMEOUT: Duration = Duration::from_secs(15);
/// The people have this long to compare the strings and answer.
const COMPARE_TIME: Duration = Duration::from_secs(5 * 60);
/// Dialing the inviter gives up after this long.
const DIAL_TIMEOUT: Duration = Duration::from_secs(20);

/// At most this many callers may be pairing with the open invitation at once. Each costs up to a
/// pairing message and a stream's receive window for as long as its steps allow; a crowd of
/// strangers is turned away rather than let grow without bound.
pub(crate) const MAX_PAIRING_ATTEMPTS: usize = 16;

const CLOSE_DONE: u32 = 0;
const CLOSE_FAILED: u32 = 2;
const CLOSE_NO_INVITATION: u32 = 404;
const CLOSE_BUSY: u32 = 429;

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
        let ticket = lock(&self.shared.invitation)
            .as_ref()
            .map(|o| o.ticket.clone());
        let Some(ticket) = ticket else {
            conn.close(VarInt::from_u32(CLOSE_NO_INVITATION), b"no invitation");
            return Ok(());
        };
        let Ok(_slot) = self.shared.pairing_slots.try_acquire() else {
            conn.close(VarInt::from_u32(CLOSE_BUSY), b"busy");
            return Ok(());
        };
        run_inviter(&self.shared, &conn, ticket).await;
        Ok(())
    }
}

/// A step of either side's machine, in one shape.
struct Step {
    send: Option<Vec<u8>>,
    sas: Option<Sas>,
    done: Option<Done>,
}

/// How a pairing completes on each side.
enum Done {
    /// Inviter: the joiner confirmed receipt of the grant.
    Joined(Joined),
    /// Joiner: the grant arrived.
    Granted(Grant),
}

impl From<InviterStep> for Step {
    fn from(s: InviterStep) -> Self {
        Step {
            send: s.send,
            sas: s.sas,
            done: s.joined.map(Done::Joined),
        }
    }
}

impl From<JoinerStep> for Step {
    fn from(s: JoinerStep) -> Self {
        Step {
            send: s.send,
            sas: s.sas,
            done: s.granted.map(Done::Granted),
        }
    }
}

/// Either side's state machine, with what its person contributes on confirming.
enum Machine {
    Inviter(Box<Inviter>, Option<Grant>),
    Joiner(Box<Joiner>, Vec<u8>),
}

impl Machine {
    fn handle(&mut self, message: &[u8]) -> Result<Step, PairingError> {
        match self {
            Machine::Inviter(m, _) => m.handle_message(unsigned_now(), message).map(Step::from),
            Machine::Joiner(m, _) => m.handle_message(unsigned_now(), message).map(Step::from),
        }
    }

    fn confirm(&mut self) -> Result<Step, PairingError> {
        match self {
            Machine::Inviter(m, grant) => match grant.take() {
                Some(grant) => m.confirm_sas(unsigned_now(), grant).map(Step::from),
                None => Err(PairingError::Ended),
            },
            Machine::Joiner(m, payload) => m.confirm_sas(unsigned_now(), payload).map(Step::from),
        }
    }

    fn decline(&mut self) -> Vec<u8> {
        match self {
            Machine::Inviter(m, _) => m.decline(),
            Machine::Joiner(m, _) => m.decline(),
        }
    }
}

type Incoming = mpsc::Receiver<Result<Vec<u8>, WireError>>;

/// Messages from the other side, read in a task of their own so a wait for the person's answer
/// never cuts a read in half. The task is the node's, and ends when the handle is dropped.
fn spawn_reader(shared: &Shared, mut recv: RecvStream) -> (Incoming, AbortOnDropHandle<()>) {
    let (tx, rx) = mpsc::channel(2);
    let task = shared.tasks.spawn(async move {
        loop {
            let next = read_plain(&mut recv, MAX_PAIR_MESSAGE_LEN).await;
            let stop = next.is_err();
            if tx.send(next).await.is_err() || stop {
                return;
            }
        }
    });
    (rx, AbortOnDropHandle::new(task))
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

/// Runs the inviter's side. Any number of callers may try at once, each on its own copy of the
/// ticket: one that stalls or cannot prove it knows the invitation secret is dropped silently.
/// The first to reach the short string claims the invitation; from then on it is used up.
async fn run_inviter(shared: &Arc<Shared>, conn: &Connection, ticket: Ticket) {
    let joiner = conn.remote_id();
    let refuse = || conn.close(VarInt::from_u32(CLOSE_FAILED), b"pairing failed");
    let Ok(Ok((mut send, recv))) = tokio::time::timeout(STEP_TIMEOUT, conn.accept_bi()).await
    else {
        return refuse();
    };
    let Ok(ephemeral) = random::<32>() else {
        return refuse();
    };
    let deadline = unsigned_now() + COMPARE_TIME.as_millis() as u64;
    let inviter = Inviter::new(&ticket, *joiner.as_bytes(), ephemeral, deadline);
    let mut machine = Machine::Inviter(Box::new(inviter), None);
    let (mut incoming, _reader) = spawn_reader(shared, recv);

    let sas = loop {
        let Ok(Some(Ok(message))) = tokio::time::timeout(STEP_TIMEOUT, incoming.recv()).await
        else {
            return refuse();
        };
        let Ok(step) = machine.handle(&message) else {
            return refuse();
        };
        if let Some(bytes) = step.send
            && write_plain(&mut send, &bytes).await.is_err()
        {
            return refuse();
        }
        if let Some(sas) = step.sas {
            break sas;
        }
    };
    let claimed = {
        let mut slot = lock(&shared.invitation);
        match slot.as_ref() {
            Some(open) if open.ticket == ticket => slot.take(),
            _ => None,
        }
    };
    let Some(OpenInvitation { events, answer, .. }) = claimed else {
        // Another caller got there first, or the invitation was cancelled or replaced.
        conn.close(VarInt::from_u32(CLOSE_NO_INVITATION), b"no invitation");
        return;
    };
    let _ = events.send(PairingEvent::Connected { peer: joiner }).await;
    let _ = events.send(PairingEvent::Compare(sas)).await;
    match shared.call(|b| b.pairing_grant()).await {
        Some(Ok(grant)) => {
            if let Machine::Inviter(_, slot) = &mut machine {
                *slot = Some(grant);
            }
        }
        failed => {
            let failure = match failed {
                Some(Err(e)) => PairingFailure::Local(e),
                _ => PairingFailure::ConnectionLost,
            };
            finish(shared, conn, send, &events, joiner, Err(failure)).await;
            return;
        }
    }
    let talk = Talk {
        incoming,
        machine,
        answer,
        shown: Some(sas),
    };
    let outcome = converse(shared, conn, &mut send, &events, talk).await;
    finish(shared, conn, send, &events, joiner, outcome).await;
}

/// Runs the joiner's side of pairing against `ticket`, reporting to `events`.
pub(crate) async fn run_joiner(
    shared: Arc<Shared>,
    ticket: Ticket,
    events: mpsc::Sender<PairingEvent>,
    answer: oneshot::Receiver<Answer>,
) {
    let fail = |why| async {
        let _ = events.send(PairingEvent::Failed(why)).await;
    };
    let addr = match crate::mailbox::reach(
        ticket.endpoint_id(),
        ticket.relay_url(),
        ticket.direct_addrs(),
    ) {
        Ok(addr) => addr,
        Err(e) => return fail(PairingFailure::Unreachable(Box::new(e))).await,
    };
    let inviter = addr.id;
    let payload = match shared.call(|b| b.pairing_payload()).await {
        Some(Ok(p)) => p,
        Some(Err(e)) => return fail(PairingFailure::Local(e)).await,
        None => return fail(PairingFailure::ConnectionLost).await,
    };
    let conn = match tokio::time::timeout(DIAL_TIMEOUT, shared.endpoint.connect(addr, PAIR_ALPN))
        .await
    {
        Ok(Ok(conn)) => conn,
        // The door's rate limit turned the handshake away on its first packet.
        Ok(Err(e)) if crate::refused_at_the_door(&e) => return fail(PairingFailure::Busy).await,
        Ok(Err(e)) => return fail(PairingFailure::Unreachable(Box::new(e))).await,
        Err(_) => return fail(PairingFailure::Unreachable("no answer in time".into())).await,
    };
    let Ok(ephemeral) = random::<32>() else {
        return fail(PairingFailure::ConnectionLost).await;
    };
    let me = *shared.endpoint.id().as_bytes();
    let now = unsigned_now();
    let deadline = now + COMPARE_TIME.as_millis() as u64;
    let (joiner, first) = match Joiner::start(&ticket, me, ephemeral, now, deadline) {
        Ok(started) => started,
        Err(e) => return fail(failure(e)).await,
    };
    let Ok((mut send, recv)) = conn.open_bi().await else {
        return fail(closed_reason(&conn)).await;
    };
    if write_plain(&mut send, &first).await.is_err() {
        return fail(closed_reason(&conn)).await;
    }
    let (incoming, _reader) = spawn_reader(&shared, recv);
    let _ = events.send(PairingEvent::Connected { peer: inviter }).await;
    let talk = Talk {
        incoming,
        machine: Machine::Joiner(Box::new(joiner), payload),
        answer,
        shown: None,
    };
    let outcome = converse(&shared, &conn, &mut send, &events, talk).await;
    finish(&shared, &conn, send, &events, inviter, outcome).await;
}

/// One side's conversation: the other side's messages, its machine, the person's answer, and
/// the string shown to them so far.
struct Talk {
    incoming: Incoming,
    machine: Machine,
    answer: oneshot::Receiver<Answer>,
    shown: Option<Sas>,
}

/// The conversation once both sides are talking: show the string, wait for the person's answer
/// and the other side's messages, and record the pairing when it completes. The answer is
/// listened for only once the string is shown, and counts as yes only if it names that string.
async fn converse(
    shared: &Arc<Shared>,
    conn: &Connection,
    send: &mut SendStream,
    events: &mpsc::Sender<PairingEvent>,
    talk: Talk,
) -> Result<(), PairingFailure> {
    let Talk {
        mut incoming,
        mut machine,
        answer,
        mut shown,
    } = talk;
    let peer = conn.remote_id();
    let deadline = tokio::time::sleep(COMPARE_TIME);
    tokio::pin!(deadline);
    let mut answer = Some(answer);
    loop {
        let step = tokio::select! {
            said = async { answer.as_mut().expect("polled only while present").await }, if answer.is_some() && shown.is_some() => {
                answer = None;
                let yes = matches!(said, Ok(Answer { sas, matches: true }) if Some(sas) == shown);
                if !yes {
                    let _ = write_plain(send, &machine.decline()).await;
                    return Err(PairingFailure::Mismatch);
                }
                machine.confirm().map_err(failure)?
            }
            next = incoming.recv() => match next {
                Some(Ok(message)) => machine.handle(&message).map_err(failure)?,
                Some(Err(WireError::Misbehaved(_))) => return Err(PairingFailure::Garbled),
                _ => return Err(closed_reason(conn)),
            },
            _ = &mut deadline => return Err(PairingFailure::Expired),
        };
        if let Some(sas) = step.sas {
            shown = Some(sas);
            let _ = events.send(PairingEvent::Compare(sas)).await;
        }
        let done = step.done.is_some();
        if let Some(done) = step.done {
            let addrs = remote_addrs(conn);
            let stored = shared
                .call(move |b| match done {
                    Done::Joined(joined) => b.paired_as_inviter(&peer, &joined.payload, addrs),
                    Done::Granted(grant) => b.paired_as_joiner(&peer, &grant, addrs),
                })
                .await;
            match stored {
                Some(Ok(())) => {}
                Some(Err(e)) => return Err(PairingFailure::Local(e)),
                None => return Err(PairingFailure::ConnectionLost),
            }
        }
        if let Some(bytes) = step.send
            && write_plain(send, &bytes).await.is_err()
        {
            return Err(closed_reason(conn));
        }
        if done {
            return Ok(());
        }
    }
}

/// Reports the outcome; on success starts keeping the new device in sync.
async fn finish(
    shared: &Arc<Shared>,
    conn: &Connection,
    mut send: SendStream,
    events: &mpsc::Sender<PairingEvent>,
    peer: EndpointId,
    outcome: Result<(), PairingFailure>,
) {
    // Whatever we sent last (the grant, the acknowledgement, a refusal) arrives before we close.
    let _ = send.finish();
    let _ = tokio::time::timeout(Duration::from_secs(2), send.stopped()).await;
    match outcome {
        Ok(()) => {
            conn.close(VarInt::from_u32(CLOSE_DONE), b"paired");
            crate::node::start_dialer(shared, peer);
            // Pairing wrote the new device into the journal: the devices connected now hear of
            // it at once.
            shared.changes.send_modify(|n| *n = n.wrapping_add(1));
            let _ = events.send(PairingEvent::Paired { peer }).await;
        }
        Err(why) => {
            conn.close(VarInt::from_u32(CLOSE_FAILED), b"pairing ended");
            let _ = events.send(PairingEvent::Failed(why)).await;
        }
    }
}

/// Why the other device closed on us before pairing finished.
fn closed_reason(conn: &Connection) -> PairingFailure {
    match conn.close_reason() {
        Some(iroh::endpoint::ConnectionError::ApplicationClosed(close))
            if close.error_code == VarInt::from_u32(CLOSE_NO_INVITATION) =>
        {
            PairingFailure::NoInvitation
        }
        Some(iroh::endpoint::ConnectionError::ApplicationClosed(close))
            if close.error_code == VarInt::from_u32(CLOSE_BUSY) =>
        {
            PairingFailure::Busy
        }
        _ => PairingFailure::ConnectionLost,
    }
}
