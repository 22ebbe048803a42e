//! The sending half of a session.

use super::{
    Direction, FRAME_BODY_OVERHEAD, FRAME_HEADER_LEN, FRAME_VERSION, MAX_FRAME_PLAINTEXT,
    SealFrameError, frame_aad, frame_nonce,
};
use crate::aead;
use crate::secret::DerivedKey;

/// Seals frames from this device to the peer, numbering them 0, 1, 2, …
#[derive(Debug)]
pub struct FrameSealer {
    key: DerivedKey,
    epoch: u32,
    direction: Direction,
    sender: [u8; 32],
    receiver: [u8; 32],
    next_counter: Option<u64>,
}

impl FrameSealer {
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

    /// Seals `plaintext` (at most [`MAX_FRAME_PLAINTEXT`] bytes) into a complete frame, length
    /// prefix included, ready to write.
    pub fn seal(&mut self, plaintext: &[u8]) -> Result<Vec<u8>, SealFrameError> {
        if plaintext.len() > MAX_FRAME_PLAINTEXT {
            return Err(SealFrameError::TooLarge {
                len: plaintext.len(),
                max: MAX_FRAME_PLAINTEXT,
            });
        }
        let counter = self.next_counter.ok_or(SealFrameError::CounterExhausted)?;
        let aad = frame_aad(
            self.epoch,
            self.direction,
            &self.sender,
            &self.receiver,
            counter,
        );
        let ciphertext = aead::seal(
            &self.key,
            &frame_nonce(self.direction, counter),
            &aad,
            plaintext,
        );
        let body_len = u32::try_from(FRAME_BODY_OVERHEAD + plaintext.len())
            .expect("a body of at most MAX_FRAME_BODY bytes fits in u32");
        let mut frame =
            Vec::with_capacity(FRAME_HEADER_LEN + FRAME_BODY_OVERHEAD + plaintext.len());
        frame.extend_from_slice(&body_len.to_be_bytes());
        frame.push(FRAME_VERSION);
        frame.push(self.direction as u8);
        frame.extend_from_slice(&counter.to_be_bytes());
        frame.extend_from_slice(&ciphertext);
        self.next_counter = counter.checked_add(1);
        Ok(frame)
    }
}
