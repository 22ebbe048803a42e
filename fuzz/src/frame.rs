//! Opening sealed sync frames.
//!
//! Alice seals frames to Bob; the script decides what reaches Bob's opener: Alice's next frame,
//! that frame altered, cut short or lengthened, an old frame again, a frame Bob sealed himself
//! (reflected), or bytes of the script's own, as a whole frame or as a body. The opener must
//! answer each with a result, and accept only Alice's frames, each once, in order, with the
//! plaintext she sealed.

use std::collections::VecDeque;

use hearth_crypto::JournalKey;
use hearth_crypto::frame::{self, FrameOpener, FrameSealer};

use crate::input::{Input, Script};

const ALICE: [u8; 32] = [0x0a; 32];
const BOB: [u8; 32] = [0x0b; 32];
const ALICE_NONCE: [u8; 32] = [0xa0; 32];
const BOB_NONCE: [u8; 32] = [0xb0; 32];

const OPS: u8 = 8;

struct Link {
    to_bob: FrameSealer,
    bob_to_alice: FrameSealer,
    bob: FrameOpener,
    /// Frames Alice sealed that have not reached Bob, with their plaintexts.
    in_flight: VecDeque<(Vec<u8>, Vec<u8>)>,
    /// Every frame Alice sealed, by counter.
    sealed: Vec<(Vec<u8>, Vec<u8>)>,
    /// How many of Alice's frames Bob accepted.
    accepted: usize,
}

fn link() -> Link {
    let key = JournalKey::from_bytes([0x42; 32]);
    let (to_bob, _) = frame::session(&key, 0, ALICE, ALICE_NONCE, BOB, BOB_NONCE)
        .expect("distinct ids and nonces make a session");
    let (bob_to_alice, bob) = frame::session(&key, 0, BOB, BOB_NONCE, ALICE, ALICE_NONCE)
        .expect("distinct ids and nonces make a session");
    Link {
        to_bob,
        bob_to_alice,
        bob,
        in_flight: VecDeque::new(),
        sealed: Vec::new(),
        accepted: 0,
    }
}

impl Link {
    /// Hands `bytes` to Bob as a whole frame (`whole`) or as a body, and checks what he accepts.
    fn deliver(&mut self, bytes: &[u8], whole: bool) {
        if whole && let Ok(header) = <[u8; 4]>::try_from(bytes.get(..4).unwrap_or_default()) {
            // The length check a reader makes before allocating must agree with the opener.
            let checked = frame::frame_body_len(header);
            if checked.is_err() {
                assert!(self.bob.open_frame(bytes).is_err());
                return;
            }
        }
        let opened = if whole {
            self.bob.open_frame(bytes)
        } else {
            self.bob.open(bytes)
        };
        let Ok(plaintext) = opened else { return };
        let (frame, expected) = self
            .sealed
            .get(self.accepted)
            .expect("Bob accepts only frames Alice sealed");
        let body = &frame[frame::FRAME_HEADER_LEN..];
        assert_eq!(
            if whole { &frame[..] } else { body },
            bytes,
            "Bob accepts Alice's next frame and nothing else"
        );
        assert_eq!(plaintext.as_slice(), expected.as_slice());
        self.accepted += 1;
    }
}

/// Runs one script.
pub fn run(data: &[u8]) {
    drive(data);
}

/// Runs one script; returns how many of Alice's frames Bob accepted.
pub fn drive(data: &[u8]) -> usize {
    let mut input = Input::new(data);
    let mut link = link();
    let mut steps = 0;
    while !input.is_empty() && steps < 64 {
        steps += 1;
        match input.byte() % OPS {
            // Alice seals a message.
            0 => {
                let plaintext = input.slice().to_vec();
                let frame = link
                    .to_bob
                    .seal(&plaintext)
                    .expect("a message under 64 KiB fits in a frame");
                link.sealed.push((frame.clone(), plaintext.clone()));
                link.in_flight.push_back((frame, plaintext));
            }
            // Alice's next frame arrives, whole or as a body.
            op @ (1 | 2) => {
                if let Some((frame, _)) = link.in_flight.pop_front() {
                    if op == 1 {
                        link.deliver(&frame, true);
                    } else {
                        link.deliver(&frame[frame::FRAME_HEADER_LEN..], false);
                    }
                }
            }
            // Alice's next frame arrives with one byte changed.
            3 => {
                let at = usize::from(input.u16());
                let flip = input.byte() | 1;
                if let Some((mut frame, _)) = link.in_flight.pop_front() {
                    let len = frame.len();
                    frame[at % len] ^= flip;
                    link.deliver(&frame, true);
                }
            }
            // Alice's next frame arrives cut short or with bytes after it.
            4 => {
                let cut = usize::from(input.u16());
                let extra = input.slice();
                if let Some((frame, _)) = link.in_flight.pop_front() {
                    let mut frame = frame[..cut.min(frame.len())].to_vec();
                    frame.extend_from_slice(extra);
                    link.deliver(&frame, true);
                }
            }
            // An old frame of Alice's again.
            5 => {
                let index = usize::from(input.byte());
                if !link.sealed.is_empty() {
                    let (frame, _) = link.sealed[index % link.sealed.len()].clone();
                    link.deliver(&frame, true);
                }
            }
            // A frame Bob sealed himself comes back to him.
            6 => {
                let plaintext = input.slice();
                let frame = link
                    .bob_to_alice
                    .seal(plaintext)
                    .expect("a message under 64 KiB fits in a frame");
                link.deliver(&frame, true);
            }
            // Bytes of the script's own, as a frame or as a body.
            _ => {
                let whole = input.byte() & 1 == 0;
                let bytes = input.slice();
                link.deliver(bytes, whole);
            }
        }
    }
    link.accepted
}

/// Scripts of real traffic: frames in order, a replay, a reflection, a tampered frame.
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    let seal = |s: Script, text: &[u8]| s.byte(0).slice(text);
    let in_order = seal(seal(Script::new(), b"first message"), b"second message")
        .byte(1)
        .byte(2);
    let replay = seal(Script::new(), b"once only").byte(1).byte(5).byte(0);
    let reflected = Script::new().byte(6).slice(b"from Bob to Bob");
    let tampered = seal(Script::new(), b"altered in flight")
        .byte(3)
        .u16(20)
        .byte(0x04);
    let cut = seal(Script::new(), b"cut short").byte(4).u16(12).slice(b"");
    let forged = Script::new().byte(7).byte(0).slice(&{
        let mut frame = vec![0, 0, 0, 26, 1, 0];
        frame.extend_from_slice(&[0; 24]);
        frame
    });
    vec![
        ("in-order".to_owned(), in_order.finish()),
        ("replay".to_owned(), replay.finish()),
        ("reflected".to_owned(), reflected.finish()),
        ("tampered".to_owned(), tampered.finish()),
        ("cut".to_owned(), cut.finish()),
        ("forged".to_owned(), forged.finish()),
    ]
}
