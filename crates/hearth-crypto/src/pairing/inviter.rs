//! The inviter's side of the pairing handshake.

use std::fmt;

use x25519_dalek::StaticSecret;

use super::error::PairingError;
use super::grant::{self, Grant};
use super::keys::{self, PairingKeys};
use super::message::{AbortReason, PairMessage};
use super::sas::Sas;
use super::{GRANT_LABEL, JOINER_PAYLOAD_LABEL};
use crate::{InvitationSecret, Ticket};

/// What the inviter's machine asks of its caller after one input.
#[derive(Debug, Default)]
#[must_use]
pub struct InviterStep {
    /// Bytes to send to the joiner.
    pub send: Option<Vec<u8>>,
    /// The short authentication string, the first time it is ready: show it and ask the person to
    /// compare it with the other screen.
    pub sas: Option<Sas>,
    /// Set when pairing completed: record the joiner.
    pub joined: Option<Joined>,
}

/// The device that joined, as the inviter records it.
#[derive(Clone, PartialEq, Eq)]
pub struct Joined {
    /// The joining device's identity.
    pub joiner_id: [u8; 32],
    /// The joiner's opaque payload (its member id and display name).
    pub payload: Vec<u8>,
}

impl fmt::Debug for Joined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Joined")
            .field("joiner_id", &self.joiner_id)
            .field("payload_len", &self.payload.len())
            .finish()
    }
}

enum State {
    AwaitCommit,
    AwaitJoinerKey {
        commitment: [u8; 32],
    },
    AwaitSas {
        keys: Box<PairingKeys>,
        sas: Sas,
        joiner_payload: Option<Vec<u8>>,
        grant: Option<Grant>,
    },
    AwaitAck {
        keys: Box<PairingKeys>,
        joiner_payload: Vec<u8>,
    },
    Ended,
}

/// The inviter's state machine: created when a joiner connects with the invitation, fed every
/// message and the person's decision, it releases the grant only after the joiner proved the
/// invitation secret and both people confirmed the short authentication string.
pub struct Inviter {
    inviter_id: [u8; 32],
    joiner_id: [u8; 32],
    secret: InvitationSecret,
    ticket_expires_at_ms: u64,
    deadline_ms: u64,
    ephemeral: StaticSecret,
    public: [u8; 32],
    state: State,
}

impl fmt::Debug for Inviter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inviter")
            .field("joiner_id", &self.joiner_id)
            .finish_non_exhaustive()
    }
}

impl Inviter {
    /// A machine for one pairing attempt under `ticket` (this device's own invitation) by the
    /// device `joiner_id` (as authenticated by the transport). `ephemeral_secret` is 32 fresh
    /// random bytes; the attempt fails once `now_ms` reaches `deadline_ms`.
    ///
    /// An invitation admits one attempt: the caller must forget the ticket once a machine for it
    /// exists.
    pub fn new(
        ticket: &Ticket,
        joiner_id: [u8; 32],
        ephemeral_secret: [u8; 32],
        deadline_ms: u64,
    ) -> Self {
        let ephemeral = StaticSecret::from(ephemeral_secret);
        Self {
            inviter_id: *ticket.endpoint_id(),
            joiner_id,
            secret: ticket.secret().clone(),
            ticket_expires_at_ms: ticket.expires_at_ms(),
            deadline_ms,
            public: keys::public_key(&ephemeral),
            ephemeral,
            state: State::AwaitCommit,
        }
    }

    /// The short authentication string, once it is ready.
    pub fn sas(&self) -> Option<Sas> {
        match &self.state {
            State::AwaitSas { sas, .. } => Some(*sas),
            _ => None,
        }
    }

    /// Feeds one message from the joiner.
    pub fn handle_message(
        &mut self,
        now_ms: u64,
        bytes: &[u8],
    ) -> Result<InviterStep, PairingError> {
        let result = self
            .check_deadline(now_ms)
            .and_then(|()| PairMessage::decode(bytes).map_err(PairingError::Malformed))
            .and_then(|msg| self.on_message(now_ms, msg));
        self.end_on_error(result)
    }

    /// The person confirmed that both screens show the same short string; `grant` is what the
    /// joiner receives once it has confirmed too. Fails with [`PairingError::SasNotReady`] (and
    /// the attempt goes on) if no string has been shown yet or it was already confirmed.
    pub fn confirm_sas(&mut self, now_ms: u64, grant: Grant) -> Result<InviterStep, PairingError> {
        let result = self.check_deadline(now_ms).and_then(|()| {
            if !matches!(self.state, State::AwaitSas { grant: None, .. }) {
                return Err(PairingError::SasNotReady);
            }
            grant::check_payload(grant.payload().len())?;
            let State::AwaitSas {
                keys,
                sas,
                joiner_payload,
                grant: None,
            } = std::mem::replace(&mut self.state, State::Ended)
            else {
                return Err(PairingError::Ended);
            };
            Ok(self.release_if_both_confirmed(keys, sas, joiner_payload, grant))
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

    fn on_message(&mut self, now_ms: u64, msg: PairMessage) -> Result<InviterStep, PairingError> {
        let state = std::mem::replace(&mut self.state, State::Ended);
        match (state, msg) {
            (_, PairMessage::Abort { reason }) => Err(PairingError::PeerAborted { reason }),
            (State::AwaitCommit, PairMessage::Commit { commitment }) => {
                if now_ms >= self.ticket_expires_at_ms {
                    return Err(PairingError::TicketExpired {
                        expired_at_ms: self.ticket_expires_at_ms,
                    });
                }
                self.state = State::AwaitJoinerKey { commitment };
                Ok(InviterStep {
                    send: Some(
                        PairMessage::InviterKey {
                            public: self.public,
                        }
                        .encode(),
                    ),
                    ..InviterStep::default()
                })
            }
            (State::AwaitJoinerKey { commitment }, PairMessage::JoinerKey { public, mac }) => {
                self.on_joiner_key(commitment, public, mac)
            }
            (
                State::AwaitSas {
                    keys,
                    sas,
                    joiner_payload: None,
                    grant,
                },
                PairMessage::SasConfirmed { sealed },
            ) => {
                let payload = grant::open(
                    &keys.joiner_payload,
                    JOINER_PAYLOAD_LABEL,
                    &keys.transcript,
                    &sealed,
                )?;
                grant::check_payload(payload.len())?;
                let payload = Some(payload.to_vec());
                match grant {
                    Some(grant) => Ok(self.release_if_both_confirmed(keys, sas, payload, grant)),
                    None => {
                        self.state = State::AwaitSas {
                            keys,
                            sas,
                            joiner_payload: payload,
                            grant: None,
                        };
                        Ok(InviterStep::default())
                    }
                }
            }
            (
                State::AwaitAck {
                    keys,
                    joiner_payload,
                },
                PairMessage::Ack { mac },
            ) => {
                if !keys::verify_mac(&keys.ack, &keys.transcript, &mac) {
                    return Err(PairingError::KeyConfirmationFailed);
                }
                Ok(InviterStep {
                    joined: Some(Joined {
                        joiner_id: self.joiner_id,
                        payload: joiner_payload,
                    }),
                    ..InviterStep::default()
                })
            }
            (State::Ended, _) => Err(PairingError::Ended),
            (_, msg) => Err(PairingError::UnexpectedMessage { got: msg.kind() }),
        }
    }

    fn on_joiner_key(
        &mut self,
        commitment: [u8; 32],
        joiner_public: [u8; 32],
        joiner_mac: [u8; 32],
    ) -> Result<InviterStep, PairingError> {
        if !bool::from(subtle::ConstantTimeEq::ct_eq(
            &keys::commitment(&joiner_public)[..],
            &commitment[..],
        )) {
            return Err(PairingError::CommitmentMismatch);
        }
        let shared = keys::diffie_hellman(&self.ephemeral, &joiner_public)
            .ok_or(PairingError::NonContributory)?;
        let transcript = keys::transcript(
            &self.inviter_id,
            &self.joiner_id,
            &self.public,
            &joiner_public,
        );
        let keys = Box::new(keys::derive(&self.secret, &shared, transcript));
        if !keys::verify_mac(&keys.joiner_confirm, &keys.transcript, &joiner_mac) {
            return Err(PairingError::KeyConfirmationFailed);
        }
        let sas = Sas::from_key_material(&keys.sas);
        let send = PairMessage::InviterConfirm {
            mac: keys::mac(&keys.inviter_confirm, &keys.transcript),
        }
        .encode();
        self.state = State::AwaitSas {
            keys,
            sas,
            joiner_payload: None,
            grant: None,
        };
        Ok(InviterStep {
            send: Some(send),
            sas: Some(sas),
            joined: None,
        })
    }

    /// Sends the grant if the joiner's confirmation has arrived; otherwise keeps waiting for it.
    fn release_if_both_confirmed(
        &mut self,
        keys: Box<PairingKeys>,
        sas: Sas,
        joiner_payload: Option<Vec<u8>>,
        grant: Grant,
    ) -> InviterStep {
        match joiner_payload {
            Some(joiner_payload) => {
                let sealed = grant::seal(
                    &keys.grant,
                    GRANT_LABEL,
                    &keys.transcript,
                    &grant::encode(&grant),
                );
                self.state = State::AwaitAck {
                    keys,
                    joiner_payload,
                };
                InviterStep {
                    send: Some(PairMessage::Grant { sealed }.encode()),
                    ..InviterStep::default()
                }
            }
            None => {
                self.state = State::AwaitSas {
                    keys,
                    sas,
                    joiner_payload: None,
                    grant: Some(grant),
                };
                InviterStep::default()
            }
        }
    }
}
