//! Hearth's keys and protocols as pure functions and sans-IO state machines.
//!
//! Nothing here does IO, reads a clock or draws randomness: times come in as `now_ms` (unix
//! milliseconds) and randomness as byte arrays, so every protocol run is reproducible. The wire
//! formats are specified in docs/protocol.md.
//!
//! - [`ticket`]: the pairing invitation, as typeable text and QR bytes.
//! - [`pairing`]: the in-person pairing handshake (X25519, HKDF, short authentication string).
//! - [`frame`]: sealed, length-prefixed sync frames (XChaCha20-Poly1305).
//! - [`passphrase`]: the storage key wrapped under a passphrase (Argon2id).
//! - [`at_rest`]: records sealed on disk.
//!
//! Each secret has a type of its own ([`JournalKey`], [`StorageKey`], [`DeviceSecret`],
//! [`InvitationSecret`]), wiped on drop and redacted in `Debug`; every function takes the one it
//! needs.
//!
//! Pairing two devices and syncing one frame:
//!
//! ```
//! use hearth_crypto::pairing::{Grant, Inviter, Joiner};
//! use hearth_crypto::{InvitationSecret, JournalKey, Ticket, frame};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let now = 1_760_000_000_000;
//! let (alice, bob) = ([1u8; 32], [2u8; 32]); // endpoint ids
//!
//! // Alice invites; Bob types the code.
//! let ticket = Ticket::new(alice, None, vec![], InvitationSecret::from_bytes([7; 16]), now)?;
//! let ticket_for_bob = Ticket::from_text(&ticket.to_grouped_text(), now)?;
//!
//! let deadline = now + 120_000;
//! let mut inviter = Inviter::new(&ticket, bob, [0x11; 32], deadline);
//! let (mut joiner, commit) = Joiner::start(&ticket_for_bob, bob, [0x22; 32], now, deadline)?;
//!
//! let reply = inviter.handle_message(now, &commit)?.send.expect("inviter key");
//! let reply = joiner.handle_message(now, &reply)?.send.expect("joiner key");
//! let step = inviter.handle_message(now, &reply)?;
//! let alice_sees = step.sas.expect("string to compare");
//! let bob_sees = joiner.handle_message(now, &step.send.expect("confirm"))?.sas.expect("string");
//! assert_eq!(alice_sees, bob_sees); // both people compare, then confirm
//!
//! let journal_key = JournalKey::from_bytes([0x42; 32]);
//! let _ = inviter.confirm_sas(now, Grant::new(journal_key.clone(), b"journal".to_vec()))?;
//! let confirmed = joiner.confirm_sas(now, b"Bob")?.send.expect("confirmation");
//! let grant = inviter.handle_message(now, &confirmed)?.send.expect("grant");
//! let step = joiner.handle_message(now, &grant)?;
//! let granted = step.granted.expect("pairing complete");
//! assert_eq!(granted.journal_key().expose(), journal_key.expose());
//! let joined = inviter.handle_message(now, &step.send.expect("ack"))?.joined.expect("joined");
//! assert_eq!(joined.payload, b"Bob");
//!
//! // Later, a sync connection: each side contributes a random nonce.
//! let (mut to_bob, _) = frame::session(&journal_key, 0, alice, [0xa0; 32], bob, [0xb0; 32])?;
//! let (_, mut from_alice) =
//!     frame::session(granted.journal_key(), 0, bob, [0xb0; 32], alice, [0xa0; 32])?;
//! let sealed = to_bob.seal(b"automerge sync message")?;
//! let body_len = frame::frame_body_len(sealed[..4].try_into()?)?;
//! assert_eq!(body_len, sealed.len() - 4);
//! assert_eq!(from_alice.open(&sealed[4..])?.as_slice(), b"automerge sync message");
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod aead;
pub mod answer;
pub mod at_rest;
pub mod exchange;
pub mod frame;
pub mod mailbox;
pub mod pairing;
pub mod passphrase;
mod secret;
pub mod ticket;

pub use exchange::ExchangePublic;
pub use passphrase::{KdfParams, Passphrase, WrappedKey, unwrap_key, wrap_key};
pub use secret::{AnswerKey, DeviceSecret, InvitationSecret, JournalKey, StorageKey};
pub use ticket::Ticket;
