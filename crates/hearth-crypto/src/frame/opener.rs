//! The receiving half of a session.

use zeroize::Zeroizing;

use super::{
    Direction, FRAME_BODY_OVERHEAD, FRAME_HEADER_LEN, FRAME_VERSION, FrameLengthError,
    MAX_FRAME_BODY, OpenFrameError, frame_aad, frame_body_len, frame_nonce,
};
use crate::aead;
use crate::secret::DerivedKey;

/// Opens frames from the peer, accepting each counter exactly once and in order.
#[derive(Debug)]
pub struct FrameOpener {
    key: DerivedKey,
    epoch: u32,
    direction: Direction,
    sender: [u8; 32],
    receiver: [u8; 32],
    next_counter: Option<u64>,
}

impl FrameOpener {
    pub(super) fn new(
        key: DerivedKey,
        epoch: u32,
        direction: Direction,
        sender: [u8; 32],
        receiver: [u8; 32],
    ) -> Self {
        Self {
            key,
            epoch,
            direction,
            sender,
            receiver,
            next_counter: Some(0),
        }
    }

    /// Opens a complete frame (length prefix included).
    pub fn open_frame(&mut self, frame: &[u8]) -> Result<Zeroizing<Vec<u8>>, OpenFrameError> {
        let Some((header, body)) = frame.split_first_chunk::<FRAME_HEADER_LEN>() else {
            return Err(OpenFrameError::BadLength(FrameLengthError::TooShort {
                declared: 0,
                min: FRAME_BODY_OVERHEAD,
            }));
        };
        let declared = frame_body_len(*header).map_err(OpenFrameError::BadLength)?;
        if declared != body.len() {
            return Err(OpenFrameError::LengthMismatch {
                declared,
                actual: body.len(),
            });
        }
        self.open(body)
    }

    /// Opens a frame body: the bytes after a length prefix that [`frame_body_len`] accepted.
    pub fn open(&mut self, body: &[u8]) -> Result<Zeroizing<Vec<u8>>, OpenFrameError> {
        let declared = u32::try_from(body.len()).unwrap_or(u32::MAX);
        if body.len() > MAX_FRAME_BODY {
            return Err(OpenFrameError::BadLength(FrameLengthError::TooLarge {
                declared,
                max: MAX_FRAME_BODY,
            }));
        }
        let too_short = OpenFrameError::BadLength(FrameLengthError::TooShort {
            declared,
            min: FRAME_BODY_OVERHEAD,
        });
        if body.len() < FRAME_BODY_OVERHEAD {
            return Err(too_short);
        }
        let Some(([version, direction], rest)) = body.split_first_chunk::<2>() else {
            return Err(too_short);
        };
        let Some((counter, ciphertext)) = rest.split_first_chunk::<8>() else {
            return Err(too_short);
        };
        if *version != FRAME_VERSION {
            return Err(OpenFrameError::UnsupportedVersion { version: *version });
        }
        if *direction != self.direction as u8 {
            return Err(match *direction {
                0 | 1 => OpenFrameError::Reflected,
                other => OpenFrameError::UnknownDirection { direction: other },
            });
        }
        let counter = u64::from_be_bytes(*counter);
        let aad = frame_aad(
            self.epoch,
            self.direction,
            &self.sender,
            &self.receiver,
            counter,
        );
        let plaintext = aead::open(
            &self.key,
            &frame_nonce(self.direction, counter),
            &aad,
            ciphertext,
        )
        .map_err(|_| OpenFrameError::AuthenticationFailed)?;
        // After frame u64::MAX nothing more can be fresh.
        let expected = self.next_counter.ok_or(OpenFrameError::Replayed {
            counter,
            expected: u64::MAX,
        })?;
        if counter < expected {
            return Err(OpenFrameError::Replayed { counter, expected });
        }
        if counter > expected {
            return Err(OpenFrameError::OutOfOrder { counter, expected });
        }
        self.next_counter = expected.checked_add(1);
        Ok(plaintext)
    }
}
