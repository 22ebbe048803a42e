//! The pairing messages and their exact byte encoding.
//!
//! Every message is `version (1) || kind (1) || body`. Fixed-size bodies must have exactly their
//! size; sealed bodies are at least a tag long and at most [`MAX_PAIR_MESSAGE_LEN`] in all.

use std::fmt;

use super::{MAX_PAYLOAD_LEN, PAIRING_VERSION};

const TAG_LEN: usize = 16;

/// The longest encoded pairing message: header, a sealed journal key and the largest payload.
/// The network layer refuses to read a longer one.
pub const MAX_PAIR_MESSAGE_LEN: usize = 2 + 32 + MAX_PAYLOAD_LEN + TAG_LEN;

/// Why a side ended the pairing, as carried by [`PairMessage::Abort`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AbortReason {
    /// The person declined: the short authentication strings did not match, or they cancelled.
    Declined,
    /// The sender's state machine failed (bad message, bad proof, mismatch).
    Failed,
    /// The sender's deadline passed.
    TimedOut,
}

impl AbortReason {
    fn code(self) -> u8 {
        match self {
            Self::Declined => 1,
            Self::Failed => 2,
            Self::TimedOut => 3,
        }
    }

    fn from_code(code: u8) -> Option<Self> {
        match code {
            1 => Some(Self::Declined),
            2 => Some(Self::Failed),
            3 => Some(Self::TimedOut),
            _ => None,
        }
    }
}

/// A message of the pairing handshake (docs/protocol.md, "Pairing handshake").
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PairMessage {
    /// Joiner → inviter, kind 1: SHA-256 commitment to the joiner's ephemeral public key.
    Commit {
        /// The commitment.
        commitment: [u8; 32],
    },
    /// Inviter → joiner, kind 2: the inviter's ephemeral X25519 public key.
    InviterKey {
        /// The public key.
        public: [u8; 32],
    },
    /// Joiner → inviter, kind 3: the joiner's ephemeral public key (opening the commitment) and
    /// its key-confirmation MAC.
    JoinerKey {
        /// The public key.
        public: [u8; 32],
        /// HMAC-SHA-256 proving knowledge of the invitation secret.
        mac: [u8; 32],
    },
    /// Inviter → joiner, kind 4: the inviter's key-confirmation MAC.
    InviterConfirm {
        /// HMAC-SHA-256 proving knowledge of the invitation secret.
        mac: [u8; 32],
    },
    /// Joiner → inviter, kind 5: the joiner's person confirmed the short string; carries the
    /// joiner's payload sealed under the pairing keys.
    SasConfirmed {
        /// Ciphertext and tag.
        sealed: Vec<u8>,
    },
    /// Inviter → joiner, kind 6: the grant (journal key and payload) sealed under the pairing keys.
    Grant {
        /// Ciphertext and tag.
        sealed: Vec<u8>,
    },
    /// Joiner → inviter, kind 7: the grant arrived intact.
    Ack {
        /// HMAC-SHA-256 over the transcript.
        mac: [u8; 32],
    },
    /// Either way, kind 8: the sender ended the pairing.
    Abort {
        /// Why.
        reason: AbortReason,
    },
}

/// The kind of a pairing message, for error reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessageKind {
    /// [`PairMessage::Commit`].
    Commit,
    /// [`PairMessage::InviterKey`].
    InviterKey,
    /// [`PairMessage::JoinerKey`].
    JoinerKey,
    /// [`PairMessage::InviterConfirm`].
    InviterConfirm,
    /// [`PairMessage::SasConfirmed`].
    SasConfirmed,
    /// [`PairMessage::Grant`].
    Grant,
    /// [`PairMessage::Ack`].
    Ack,
    /// [`PairMessage::Abort`].
    Abort,
}

impl fmt::Display for MessageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Why bytes are not a pairing message.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum PairMessageDecodeError {
    /// Fewer than the two header bytes.
    #[error("pairing message of {len} bytes is shorter than its header")]
    TooShort {
        /// The length found.
        len: usize,
    },
    /// Longer than [`MAX_PAIR_MESSAGE_LEN`].
    #[error("pairing message of {len} bytes is longer than the {MAX_PAIR_MESSAGE_LEN}-byte cap")]
    TooLarge {
        /// The length found.
        len: usize,
    },
    /// A protocol version this build does not speak.
    #[error("pairing message has unsupported protocol version {version}")]
    UnsupportedVersion {
        /// The version found.
        version: u8,
    },
    /// An unknown message kind.
    #[error("pairing message has unknown kind {kind}")]
    UnknownKind {
        /// The kind byte found.
        kind: u8,
    },
    /// The body's length is wrong for its kind.
    #[error("{kind} message body is {len} bytes, which is not a valid length for it")]
    BadLength {
        /// The message kind.
        kind: MessageKind,
        /// The body length found.
        len: usize,
    },
    /// An abort reason this build does not know.
    #[error("abort message has unknown reason {code}")]
    UnknownAbortReason {
        /// The reason byte found.
        code: u8,
    },
}

impl fmt::Debug for PairMessage {
    /// Shows the kind and body sizes only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SasConfirmed { sealed } | Self::Grant { sealed } => {
                write!(f, "{}({} sealed bytes)", self.kind(), sealed.len())
            }
            Self::Abort { reason } => write!(f, "Abort({reason:?})"),
            _ => write!(f, "{}", self.kind()),
        }
    }
}

fn fixed<const N: usize>(
    kind: MessageKind,
    body: &[u8],
) -> Result<[u8; N], PairMessageDecodeError> {
    body.try_into()
        .map_err(|_| PairMessageDecodeError::BadLength {
            kind,
            len: body.len(),
        })
}

impl PairMessage {
    /// The message's kind.
    pub fn kind(&self) -> MessageKind {
        match self {
            Self::Commit { .. } => MessageKind::Commit,
            Self::InviterKey { .. } => MessageKind::InviterKey,
            Self::JoinerKey { .. } => MessageKind::JoinerKey,
            Self::InviterConfirm { .. } => MessageKind::InviterConfirm,
            Self::SasConfirmed { .. } => MessageKind::SasConfirmed,
            Self::Grant { .. } => MessageKind::Grant,
            Self::Ack { .. } => MessageKind::Ack,
            Self::Abort { .. } => MessageKind::Abort,
        }
    }

    /// The exact bytes sent on the wire.
    pub fn encode(&self) -> Vec<u8> {
        let (kind, body): (u8, Vec<u8>) = match self {
            Self::Commit { commitment } => (1, commitment.to_vec()),
            Self::InviterKey { public } => (2, public.to_vec()),
            Self::JoinerKey { public, mac } => (3, [&public[..], &mac[..]].concat()),
            Self::InviterConfirm { mac } => (4, mac.to_vec()),
            Self::SasConfirmed { sealed } => (5, sealed.clone()),
            Self::Grant { sealed } => (6, sealed.clone()),
            Self::Ack { mac } => (7, mac.to_vec()),
            Self::Abort { reason } => (8, vec![reason.code()]),
        };
        let mut out = Vec::with_capacity(2 + body.len());
        out.push(PAIRING_VERSION);
        out.push(kind);
        out.extend_from_slice(&body);
        out
    }

    /// Decodes one message, rejecting anything that is not exactly a valid encoding.
    pub fn decode(bytes: &[u8]) -> Result<Self, PairMessageDecodeError> {
        if bytes.len() > MAX_PAIR_MESSAGE_LEN {
            return Err(PairMessageDecodeError::TooLarge { len: bytes.len() });
        }
        let [version, kind, body @ ..] = bytes else {
            return Err(PairMessageDecodeError::TooShort { len: bytes.len() });
        };
        if *version != PAIRING_VERSION {
            return Err(PairMessageDecodeError::UnsupportedVersion { version: *version });
        }
        let sealed = |kind: MessageKind| {
            if body.len() < TAG_LEN {
                Err(PairMessageDecodeError::BadLength {
                    kind,
                    len: body.len(),
                })
            } else {
                Ok(body.to_vec())
            }
        };
        Ok(match kind {
            1 => Self::Commit {
                commitment: fixed(MessageKind::Commit, body)?,
            },
            2 => Self::InviterKey {
                public: fixed(MessageKind::InviterKey, body)?,
            },
            3 => {
                let both: [u8; 64] = fixed(MessageKind::JoinerKey, body)?;
                let mut public = [0u8; 32];
                let mut mac = [0u8; 32];
                public.copy_from_slice(&both[..32]);
                mac.copy_from_slice(&both[32..]);
                Self::JoinerKey { public, mac }
            }
            4 => Self::InviterConfirm {
                mac: fixed(MessageKind::InviterConfirm, body)?,
            },
            5 => Self::SasConfirmed {
                sealed: sealed(MessageKind::SasConfirmed)?,
            },
            6 => Self::Grant {
                sealed: sealed(MessageKind::Grant)?,
            },
            7 => Self::Ack {
                mac: fixed(MessageKind::Ack, body)?,
            },
            8 => {
                let [code] = fixed::<1>(MessageKind::Abort, body)?;
                Self::Abort {
                    reason: AbortReason::from_code(code)
                        .ok_or(PairMessageDecodeError::UnknownAbortReason { code })?,
                }
            }
            other => return Err(PairMessageDecodeError::UnknownKind { kind: *other }),
        })
    }
}
