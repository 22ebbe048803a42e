//! What a person sees of pairing: events to show, and their answer to the short string.

use hearth_crypto::pairing::{PairingError, Sas};
use iroh::EndpointId;
use tokio::sync::{mpsc, oneshot};

use crate::BackendError;

/// A step of pairing, to show the person.
#[derive(Debug)]
#[non_exhaustive]
pub enum PairingEvent {
    /// The other device has connected; the handshake is running.
    Connected {
        /// The other device.
        peer: EndpointId,
    },
    /// Both screens now show this string: the person compares, then answers about it with
    /// [`PairingHandle::confirm`].
    Compare(Sas),
    /// The devices are paired.
    Paired {
        /// The other device.
        peer: EndpointId,
    },
    /// Pairing ended without pairing; nothing was stored.
    Failed(PairingFailure),
}

/// Why pairing ended without pairing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PairingFailure {
    /// The invitation expired, or the time to compare ran out.
    #[error("the invitation expired")]
    Expired,
    /// The person here said the strings do not match.
    #[error("you said the strings do not match, so the devices were not paired")]
    Mismatch,
    /// The person on the other device declined, or said the strings do not match.
    #[error("your partner declined on their device")]
    DeclinedByPartner,
    /// The inviting device could not be reached.
    #[error("could not reach your partner's device; are both on the same network, or online?")]
    Unreachable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The inviting device had no invitation open (already used, cancelled, or expired).
    #[error("your partner's device has no open invitation; ask for a new one")]
    NoInvitation,
    /// The inviting device was busy with as many pairing attempts as it takes at once (someone
    /// else on the network is trying too).
    #[error("your partner's device is busy with other pairing attempts; try again in a moment")]
    Busy,
    /// The connection dropped before pairing finished.
    #[error("the connection dropped before pairing finished")]
    ConnectionLost,
    /// The other side broke the protocol, or the keys did not agree.
    #[error("pairing failed")]
    Protocol(#[source] PairingError),
    /// The other side sent something that is not a pairing message.
    #[error("the other device sent something that is not a pairing message")]
    Garbled,
    /// This device could not store the result.
    #[error("this device could not store the pairing")]
    Local(#[source] BackendError),
}

/// The person's answer, naming the string it is about.
#[derive(Debug)]
pub(crate) struct Answer {
    /// The string they compared.
    pub(crate) sas: Sas,
    /// Whether both screens showed it.
    pub(crate) matches: bool,
}

/// One pairing in progress: its events, and the person's answer.
#[derive(Debug)]
pub struct PairingHandle {
    pub(crate) events: mpsc::Receiver<PairingEvent>,
    pub(crate) answer: Option<oneshot::Sender<Answer>>,
}

impl PairingHandle {
    pub(crate) fn new() -> (Self, mpsc::Sender<PairingEvent>, oneshot::Receiver<Answer>) {
        let (events_tx, events) = mpsc::channel(8);
        let (answer_tx, answer) = oneshot::channel();
        (
            PairingHandle {
                events,
                answer: Some(answer_tx),
            },
            events_tx,
            answer,
        )
    }

    /// The next step; `None` once pairing has ended (after `Paired` or `Failed`).
    pub async fn next(&mut self) -> Option<PairingEvent> {
        self.events.recv().await
    }

    /// The next step if one is waiting, without waiting (for a UI frame).
    pub fn try_next(&mut self) -> Option<PairingEvent> {
        self.events.try_recv().ok()
    }

    /// The person's answer about `sas`, the string this pairing showed them
    /// ([`PairingEvent::Compare`]): does the other screen show the same? Only the first answer
    /// counts. A yes counts only for the string this pairing shows: one about another string, or
    /// given before the string is here, is taken as a no once it is.
    pub fn confirm(&mut self, sas: &Sas, matches: bool) {
        if let Some(answer) = self.answer.take() {
            let _ = answer.send(Answer { sas: *sas, matches });
        }
    }
}
