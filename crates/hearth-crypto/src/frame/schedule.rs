//! The session key schedule: two directional keys from the journal key of one epoch and both
//! session nonces.

use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::{Direction, FRAME_VERSION, FrameOpener, FrameSealer, SessionError};
use crate::secret::{DerivedKey, JournalKey};

const SALT: &[u8] = b"hearth/sync/2 session";

/// Derives this side's sealer and opener for one connection, under `journal_key`, the key of
/// `epoch`. `local_nonce` is 32 fresh random bytes sent to the peer in the clear at connection
/// start; `remote_nonce` is what the peer sent. Both sides derive the same two keys, whichever of
/// them dialled.
pub fn session(
    journal_key: &JournalKey,
    epoch: u32,
    local_id: [u8; 32],
    local_nonce: [u8; 32],
    remote_id: [u8; 32],
    remote_nonce: [u8; 32],
) -> Result<(FrameSealer, FrameOpener), SessionError> {
    if local_id == remote_id {
        return Err(SessionError::SameEndpoint);
    }
    if local_nonce == remote_nonce {
        return Err(SessionError::ReflectedNonce);
    }
    let local_is_low = local_id < remote_id;
    let ((low_id, low_nonce), (high_id, high_nonce)) = if local_is_low {
        ((local_id, local_nonce), (remote_id, remote_nonce))
    } else {
        ((remote_id, remote_nonce), (local_id, local_nonce))
    };
    let hkdf = Hkdf::<Sha256>::new(Some(SALT), journal_key.expose());
    let key = |label: &[u8]| {
        let mut out = Zeroizing::new([0u8; 32]);
        hkdf.expand_multi_info(
            &[
                label,
                &[FRAME_VERSION],
                &epoch.to_be_bytes(),
                &low_id,
                &high_id,
                &low_nonce,
                &high_nonce,
            ],
            &mut *out,
        )
        .expect("32 bytes is far below HKDF-SHA-256's 8160-byte output limit");
        DerivedKey::from_bytes(*out)
    };
    let low_to_high = key(b"hearth/sync/2 low to high");
    let high_to_low = key(b"hearth/sync/2 high to low");
    let (send_key, send_dir, recv_key, recv_dir) = if local_is_low {
        (
            low_to_high,
            Direction::LowToHigh,
            high_to_low,
            Direction::HighToLow,
        )
    } else {
        (
            high_to_low,
            Direction::HighToLow,
            low_to_high,
            Direction::LowToHigh,
        )
    };
    Ok((
        FrameSealer::new(send_key, epoch, send_dir, local_id, remote_id),
        FrameOpener::new(recv_key, epoch, recv_dir, remote_id, local_id),
    ))
}
