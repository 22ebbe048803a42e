//! The joiner's side of the pairing handshake.

use std::fmt;

use x25519_dalek::StaticSecret;

use super::error::PairingError;
use super::grant::{self, Grant};
use super::keys::{self, PairingKeys};
use super::message::{AbortReason, PairMessage};
use super::sas::Sas;
use super::{GRANT_LABEL, JOINER_PAYLOAD_LABEL};
use crate::{InvitationSecret, Ticket};

/// What the joiner's machine asks of its caller after one input.
#[derive(Debug, Default)]
#[must_use]
pub struct JoinerStep {
    /// Bytes to send to the inviter.
    pub send: Option<Vec<u8>>,
    /// The short authentication string, the first time it is ready: show it and ask the person to
    /// compare it with the other screen.
    pub sas: Option<Sas>,
    /// Set when pairing completed: store the journal key and the payload.
    pub granted: Option<Grant>,
}

enum State {
    AwaitInviterKey,
    AwaitInviterConfirm { keys: Box<PairingKeys> },
    AwaitSas { keys: Box<PairingKeys>, sas: Sas },
    AwaitGrant { keys: Box<PairingKeys> },
    Ended,
}

/// The joiner's state machine: started from a ticket, it commits to its ephemeral key, checks
/// that the inviter knows the invitation secret, and accepts the grant only after its person
/// confirmed the short authentication string.
pub struct Joiner {
    inviter_id: [u8; 32],
    joiner_id: [u8; 32],
    secret: InvitationSecret,
    deadline_ms: u64,
    ephemeral: StaticSecret,
    public: [u8; 32],
    state: State,
}

impl fmt::Debug for Joiner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Joiner")
            .field("inviter_id", &self.inviter_id)
            .finish_non_exhaustive()
    }
}

impl Joiner {
    /// Starts pairing with the inviter named in `ticket`, as device `joiner_id`.
    /// `ephemeral_secret` is 32 fresh random bytes; the attempt fails once `now_ms` reaches
    /// `deadline_ms`. Returns the machine and the first message to send.
    pub fn start(
        ticket: &Ticket,
        joiner_id: [u8; 32],
        ephemeral_secret: [u8; 32],
        now_ms: u64,
        deadline_ms: u64,
    ) -> Result<(Self, Vec<u8>), PairingError> {
        if ticket.is_expired(now_ms) {
            return Err(PairingError::TicketExpired {
                expired_at_ms: ticket.expires_at_ms(),
            });
        }
        if now_ms >= deadline_ms {
            return Err(PairingError::TimedOut { deadline_ms });
        }
        let ephemeral = StaticSecret::from(ephemeral_secret);
        let public = keys::public_key(&ephemeral);
        let first = PairMessage::Commit {
            commitment: keys::commitment(&public),
        }
        .encode();
        let joiner = Self {
            inviter_id: *ticket.endpoint_id(),
            joiner_id,
            secret: ticket.secret().clone(),
            deadline_ms,
            ephemeral,
            public,
            state: State::AwaitInviterKey,
        };
        Ok((joiner, first))
    }

    /// The short authentication string, once it is ready.
    pub fn sas(&self) -> Option<Sas> {
        match &self.state {
            State::AwaitSas { sas, .. } => Some(*sas),
            _ => None,
        }
    }

    /// Feeds one message from the inviter.
    pub fn handle_message(
        &mut self,
        now_ms: u64,
        bytes: &[u8],
    ) -> Result<JoinerStep, PairingError> {
        let result = self
            .check_deadline(now_ms)
            .and_then(|()| PairMessage::decode(bytes).map_err(PairingError::Malformed))
            .and_then(|msg| self.on_message(msg));
        self.end_on_error(result)
    }

    /// The person confirmed that both screens show the same short string. `payload` (this
    /// member's id and display name) is sent sealed to the inviter.
    /// Fails with [`PairingError::SasNotReady`] (and the attempt goes on) if no string has been
    /// shown yet or it was already confirmed.
    pub fn confirm_sas(&mut self, now_ms: u64, payload: &[u8]) -> Result<JoinerStep, PairingError> {
        let result = self.check_deadline(now_ms).and_then(|()| {
            if !matches!(self.state, State::AwaitSas { .. }) {
                return Err(PairingError::SasNotReady);
            }
            grant::check_payload(payload.len())?;
            let State::AwaitSas { keys, .. } = std::mem::replace(&mut self.state, State::Ended)
            else {
                return Err(PairingError::Ended);
            };
            let sealed = grant::seal(
                &keys.joiner_payload,
                JOINER_PAYLOAD_LABEL,
                &keys.transcript,
                payload,
            );
            self.state = State::AwaitGrant { keys };
            Ok(JoinerStep {
                send: Some(PairMessage::SasConfirmed { sealed }.encode()),
                ..JoinerStep::default()
            })
        });
        self.end_on_error(result)
    }

    /// The person declined (the strings differ, or they cancelled). Returns the abort message to
    /// send; the machine has ended.
    pub fn decline(&mut self) -> Vec<u8> {
        self.state = State::Ended;
        PairMessage::Abort {
            reason: AbortReason::Declined,
        }
        .encode()
    }

    /// Fails (and ends the machine) once `now_ms` reaches the deadline.
    pub fn check_deadline(&mut self, now_ms: u64) -> Result<(), PairingError> {
        if matches!(self.state, State::Ended) {
            return Err(PairingError::Ended);
        }
        if now_ms >= self.deadline_ms {
            self.state = State::Ended;
            return Err(PairingError::TimedOut {
                deadline_ms: self.deadline_ms,
            });
        }
        Ok(())
    }

    fn end_on_error<T>(&mut self, result: Result<T, PairingError>) -> Result<T, PairingError> {
        // Confirming too early is the caller's mistake, not the peer's: the attempt goes on.
        if result
            .as_ref()
            .is_err_and(|e| !matches!(e, PairingError::SasNotReady))
        {
            self.state = State::Ended;
        }
        result
    }

    fn on_message(&mut self, msg: PairMessage) -> Result<JoinerStep, PairingError> {
        let state = std::mem::replace(&mut self.state, State::Ended);
        match (state, msg) {
            (_, PairMessage::Abort { reason }) => Err(PairingError::PeerAborted { reason }),
            (State::AwaitInviterKey, PairMessage::InviterKey { public }) => {
                let shared = keys::diffie_hellman(&self.ephemeral, &public)
                    .ok_or(PairingError::NonContributory)?;
                let transcript =
                    keys::transcript(&self.inviter_id, &self.joiner_id, &public, &self.public);
                let keys = Box::new(keys::derive(&self.secret, &shared, transcript));
                let send = PairMessage::JoinerKey {
                    public: self.public,
                    mac: keys::mac(&keys.joiner_confirm, &keys.transcript),
                }
                .encode();
                self.state = State::AwaitInviterConfirm { keys };
                Ok(JoinerStep {
                    send: Some(send),
                    ..JoinerStep::default()
                })
            }
            (State::AwaitInviterConfirm { keys }, PairMessage::InviterConfirm { mac }) => {
                if !keys::verify_mac(&keys.inviter_confirm, &keys.transcript, &mac) {
                    return Err(PairingError::KeyConfirmationFailed);
                }
                let sas = Sas::from_key_material(&keys.sas);
                self.state = State::AwaitSas { keys, sas };
                Ok(JoinerStep {
                    sas: Some(sas),
                    ..JoinerStep::default()
                })
            }
            (State::AwaitGrant { keys }, PairMessage::Grant { sealed }) => {
                let plain = grant::open(&keys.grant, GRANT_LABEL, &keys.transcript, &sealed)?;
                let granted = grant::decode(&plain)?;
                grant::check_payload(granted.payload().len())?;
                Ok(JoinerStep {
                    send: Some(
                        PairMessage::Ack {
                            mac: keys::mac(&keys.ack, &keys.transcript),
                        }
                        .encode(),
                    ),
                    granted: Some(granted),
                    ..JoinerStep::default()
                })
            }
            (State::Ended, _) => Err(PairingError::Ended),
            (_, msg) => Err(PairingError::UnexpectedMessage { got: msg.kind() }),
        }
    }
}
