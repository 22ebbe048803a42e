//! Sealed frames for sync (ALPN `hearth/sync/2`).
//!
//! Each connection derives a [`FrameSealer`] (our direction) and a [`FrameOpener`] (the peer's
//! direction) from the journal key of one epoch and both sides' 32-byte session nonces. A frame on
//! the wire is
//!
//! ```text
//! length (u32 BE, of what follows) || version (1) || direction (1) || counter (u64 BE) || ciphertext+tag
//! ```
//!
//! The AEAD is XChaCha20-Poly1305; its associated data binds version, the key's epoch, direction,
//! sender, receiver and counter. The receiver reads the 4 length bytes, checks them with
//! [`frame_body_len`] before allocating, then reads the body and hands it to
//! [`FrameOpener::open`].

mod epoch;
mod error;
mod opener;
mod schedule;
mod sealer;

pub use epoch::{KEY_CHECK_LEN, common_epoch, key_check};
pub use error::{FrameLengthError, OpenFrameError, SealFrameError, SessionError};
pub use opener::FrameOpener;
pub use schedule::session;
pub use sealer::FrameSealer;

use crate::aead::TAG_LEN;

/// The sync protocol version, the first byte of every frame body.
pub const FRAME_VERSION: u8 = 2;

/// The largest plaintext one frame carries: 1 MiB. Bigger messages are split by the network layer.
pub const MAX_FRAME_PLAINTEXT: usize = 1024 * 1024;

/// Length of the length prefix.
pub const FRAME_HEADER_LEN: usize = 4;

/// Bytes a frame body adds to its plaintext: version, direction, counter and tag.
pub const FRAME_BODY_OVERHEAD: usize = 1 + 1 + 8 + TAG_LEN;

/// The longest body a frame may declare.
pub const MAX_FRAME_BODY: usize = MAX_FRAME_PLAINTEXT + FRAME_BODY_OVERHEAD;

/// Reads a frame's 4-byte length prefix and checks it against the cap, so the caller can refuse a
/// frame before allocating room for it.
pub fn frame_body_len(header: [u8; FRAME_HEADER_LEN]) -> Result<usize, FrameLengthError> {
    let declared = u32::from_be_bytes(header);
    let len = usize::try_from(declared).map_err(|_| FrameLengthError::TooLarge {
        declared,
        max: MAX_FRAME_BODY,
    })?;
    if len > MAX_FRAME_BODY {
        return Err(FrameLengthError::TooLarge {
            declared,
            max: MAX_FRAME_BODY,
        });
    }
    if len < FRAME_BODY_OVERHEAD {
        return Err(FrameLengthError::TooShort {
            declared,
            min: FRAME_BODY_OVERHEAD,
        });
    }
    Ok(len)
}

/// Which way a frame travels, named by the order of the two endpoint ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// From the endpoint with the smaller id to the one with the larger.
    LowToHigh = 0,
    /// From the endpoint with the larger id to the one with the smaller.
    HighToLow = 1,
}

/// The nonce of frame `counter` in `direction`: the direction byte, 15 zero bytes, the counter.
fn frame_nonce(direction: Direction, counter: u64) -> [u8; 24] {
    let mut nonce = [0u8; 24];
    nonce[0] = direction as u8;
    nonce[16..].copy_from_slice(&counter.to_be_bytes());
    nonce
}

/// The associated data of a frame.
fn frame_aad(
    epoch: u32,
    direction: Direction,
    sender: &[u8; 32],
    receiver: &[u8; 32],
    counter: u64,
) -> Vec<u8> {
    let mut aad = Vec::with_capacity(1 + 4 + 1 + 32 + 32 + 8);
    aad.push(FRAME_VERSION);
    aad.extend_from_slice(&epoch.to_be_bytes());
    aad.push(direction as u8);
    aad.extend_from_slice(sender);
    aad.extend_from_slice(receiver);
    aad.extend_from_slice(&counter.to_be_bytes());
    aad
}
