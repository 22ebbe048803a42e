//! `hearth/pair/1`: pairing a partner's device with an invitation.
//!
//! The inviter's handler and the joiner's dial each run their side of the hearth-crypto handshake
//! over one stream, and converse until the devices are paired (`handshake`); the person follows
//! the steps and answers the short string through a [`PairingHandle`] (`handle`).

mod handle;
mod handshake;

pub(crate) use handle::Answer;
pub use handle::{PairingEvent, PairingFailure, PairingHandle};
pub use handshake::PAIR_ALPN;
pub(crate) use handshake::{MAX_PAIRING_ATTEMPTS, PairHandler, run_joiner};
