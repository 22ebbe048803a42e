//! Why a pairing ended without success.

use super::message::{AbortReason, MessageKind, PairMessageDecodeError};

/// Why a pairing state machine stopped. After any error the machine is finished: nothing is to be
/// stored, and the connection should be closed (optionally after sending
/// [`super::PairMessage::Abort`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PairingError {
    /// The peer sent bytes that are not a pairing message.
    #[error("the other device sent a malformed pairing message")]
    Malformed(#[source] PairMessageDecodeError),
    /// The peer sent a valid message at the wrong moment.
    #[error("the other device sent a {got} message out of turn")]
    UnexpectedMessage {
        /// What arrived.
        got: MessageKind,
    },
    /// The joiner's public key does not match the commitment it sent first.
    #[error("the other device's key does not match its commitment")]
    CommitmentMismatch,
    /// The peer's public key is a low-order point: the exchange would not be secret.
    #[error("the other device sent a key that would make the exchange insecure")]
    NonContributory,
    /// The peer's key-confirmation MAC is wrong: it does not know the invitation secret, or the
    /// two sides disagree on the identities or keys (someone in the middle).
    #[error("the other device could not prove it knows this invitation")]
    KeyConfirmationFailed,
    /// A sealed message (payload or grant) failed authentication.
    #[error("a sealed pairing message failed authentication")]
    SealedMessageRejected,
    /// The grant opened but is too short to hold a journal key.
    #[error("the grant is too short to hold a journal key")]
    MalformedGrant,
    /// A payload is larger than the cap.
    #[error("payload of {len} bytes is larger than the {max}-byte cap")]
    PayloadTooLarge {
        /// The payload's length.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// The peer ended the pairing.
    #[error("the other device ended the pairing ({reason:?})")]
    PeerAborted {
        /// The reason it gave.
        reason: AbortReason,
    },
    /// The person on this device declined.
    #[error("pairing was declined on this device")]
    Declined,
    /// The deadline passed.
    #[error("pairing took too long")]
    TimedOut {
        /// The deadline (unix milliseconds).
        deadline_ms: u64,
    },
    /// The invitation had expired.
    #[error("the invitation expired; ask for a new one")]
    TicketExpired {
        /// When it expired (unix milliseconds).
        expired_at_ms: u64,
    },
    /// The short string was confirmed before it was shown.
    #[error("the short authentication string is not ready to be confirmed yet")]
    SasNotReady,
    /// The machine has already finished (successfully or not).
    #[error("this pairing has already ended")]
    Ended,
}
