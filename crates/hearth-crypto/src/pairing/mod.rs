//! The pairing handshake as two sans-IO state machines, [`Inviter`] and [`Joiner`].
//!
//! ```text
//! joiner                                   inviter
//!   Commit { H(joiner ephemeral key) }  ─▶
//!                                       ◀─  InviterKey { inviter ephemeral key }
//!   JoinerKey { key, joiner MAC }       ─▶  checks commitment and MAC
//!                                       ◀─  InviterConfirm { inviter MAC }
//!   both people compare the short authentication string
//!   SasConfirmed { sealed joiner payload } ─▶
//!                                       ◀─  Grant { sealed journal key + payload }
//!   Ack { MAC }                         ─▶  records the joiner
//! ```
//!
//! docs/protocol.md gives the exact bytes, the key schedule and test vectors.

mod emoji;
mod error;
mod grant;
mod inviter;
mod joiner;
mod keys;
mod message;
mod sas;

pub use emoji::{SAS_EMOJI, SasEmoji};
pub use error::PairingError;
pub use grant::Grant;
pub use inviter::{Inviter, InviterStep, Joined};
pub use joiner::{Joiner, JoinerStep};
pub use message::{
    AbortReason, MAX_PAIR_MESSAGE_LEN, MessageKind, PairMessage, PairMessageDecodeError,
};
pub use sas::{SAS_BITS, SAS_EMOJI_COUNT, Sas};

/// The pairing protocol version, the first byte of every message (ALPN `hearth/pair/1`).
pub const PAIRING_VERSION: u8 = 1;

/// The largest opaque payload either side may hand over (grant payload, joiner payload).
pub const MAX_PAYLOAD_LEN: usize = 64 * 1024;

/// Associated-data label of the sealed grant.
const GRANT_LABEL: &[u8] = b"hearth/pair/1 grant";

/// Associated-data label of the sealed joiner payload.
const JOINER_PAYLOAD_LABEL: &[u8] = b"hearth/pair/1 joiner payload";
