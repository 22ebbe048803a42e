//! The pairing handshake, both state machines driven by one script.
//!
//! An honest inviter and an honest joiner run the handshake; the script decides what reaches
//! each side and when: the message the other side really sent, that message with a byte changed,
//! bytes of the script's own, an old message again, the people's confirmations or refusals, and
//! the passing of time. Each machine must answer everything with a result, never a panic, and the
//! handshake's promises must hold whatever the script did:
//!
//! - the joiner is granted a journal key only after both people confirmed the same short string,
//!   and the key it gets is the one the inviter granted;
//! - the inviter records a joiner only after granting, with the payload that joiner confirmed.

use std::collections::VecDeque;

use hearth_crypto::pairing::{Grant, Inviter, Joiner, Sas};
use hearth_crypto::{InvitationSecret, JournalKey, Ticket};

use crate::input::{Input, Script};

const INVITER_ID: [u8; 32] = [0x1a; 32];
const JOINER_ID: [u8; 32] = [0x2b; 32];
const START_MS: u64 = 1_760_000_000_000;
const DEADLINE_MS: u64 = START_MS + 120_000;
const JOURNAL_KEY: [u8; 32] = [0x42; 32];

/// One step of a script.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Op {
    /// Deliver the joiner's oldest pending message to the inviter.
    ToInviter = 0,
    /// Deliver the inviter's oldest pending message to the joiner.
    ToJoiner = 1,
    /// Deliver the joiner's oldest pending message to the inviter with one byte changed.
    TamperToInviter = 2,
    /// Deliver the inviter's oldest pending message to the joiner with one byte changed.
    TamperToJoiner = 3,
    /// Deliver the script's own bytes to the inviter.
    ForgeToInviter = 4,
    /// Deliver the script's own bytes to the joiner.
    ForgeToJoiner = 5,
    /// Deliver again the last message the inviter received.
    ReplayToInviter = 6,
    /// Deliver again the last message the joiner received.
    ReplayToJoiner = 7,
    /// The inviter's person confirms the short string.
    ConfirmInviter = 8,
    /// The joiner's person confirms the short string.
    ConfirmJoiner = 9,
    /// The inviter's person declines.
    DeclineInviter = 10,
    /// The joiner's person declines.
    DeclineJoiner = 11,
    /// Time passes.
    Wait = 12,
}

const OPS: u8 = 13;

#[derive(Default)]
struct Side {
    inbox: VecDeque<Vec<u8>>,
    last_received: Option<Vec<u8>>,
    sas: Option<Sas>,
    confirmed: bool,
}

/// How far a script took the handshake.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Both sides showed the short string.
    pub sas_shown: bool,
    /// The joiner was granted the journal key.
    pub granted: bool,
    /// The inviter recorded the joiner.
    pub joined: bool,
}

/// Runs one script.
pub fn run(data: &[u8]) {
    drive(data);
}

/// Runs one script and tells how far it went.
pub fn drive(data: &[u8]) -> Outcome {
    let mut input = Input::new(data);
    let secret = InvitationSecret::from_bytes([0x77; 16]);
    let ticket = Ticket::new(INVITER_ID, None, vec![], secret, START_MS)
        .expect("a ticket without addresses is within the limits");
    let mut now = START_MS;
    let mut inviter = Inviter::new(&ticket, JOINER_ID, [0x11; 32], DEADLINE_MS);
    let (mut joiner, commit) = Joiner::start(&ticket, JOINER_ID, [0x22; 32], now, DEADLINE_MS)
        .expect("a fresh ticket starts a joiner");
    // `inviter_side.inbox` holds what the joiner sent and the inviter has not read yet.
    let mut inviter_side = Side::default();
    let mut joiner_side = Side::default();
    inviter_side.inbox.push_back(commit);
    let mut granted: Option<Vec<u8>> = None;
    let mut joiner_payload: Option<Vec<u8>> = None;
    let mut grant_released = false;
    let mut joined = false;

    let mut steps = 0;
    while !input.is_empty() && steps < 64 {
        steps += 1;
        let op = input.byte() % OPS;
        // Which message a step sends to which side.
        let (to_inviter, bytes) = match op {
            o if o == Op::ToInviter as u8 => (true, inviter_side.inbox.pop_front()),
            o if o == Op::ToJoiner as u8 => (false, joiner_side.inbox.pop_front()),
            o if o == Op::TamperToInviter as u8 || o == Op::TamperToJoiner as u8 => {
                let to_inviter = o == Op::TamperToInviter as u8;
                let side = if to_inviter {
                    &mut inviter_side
                } else {
                    &mut joiner_side
                };
                let at = usize::from(input.u16());
                let flip = input.byte() | 1;
                let bytes = side.inbox.pop_front().map(|mut m| {
                    let len = m.len();
                    if len > 0 {
                        m[at % len] ^= flip;
                    }
                    m
                });
                (to_inviter, bytes)
            }
            o if o == Op::ForgeToInviter as u8 => (true, Some(input.slice().to_vec())),
            o if o == Op::ForgeToJoiner as u8 => (false, Some(input.slice().to_vec())),
            o if o == Op::ReplayToInviter as u8 => (true, inviter_side.last_received.clone()),
            o if o == Op::ReplayToJoiner as u8 => (false, joiner_side.last_received.clone()),
            o if o == Op::ConfirmInviter as u8 => {
                let payload = input.slice().to_vec();
                let grant = Grant::new(JournalKey::from_bytes(JOURNAL_KEY), payload);
                if let Ok(step) = inviter.confirm_sas(now, grant) {
                    inviter_side.confirmed = true;
                    if let Some(send) = step.send {
                        grant_released = true;
                        joiner_side.inbox.push_back(send);
                    }
                    assert!(step.sas.is_none() && step.joined.is_none());
                }
                continue;
            }
            o if o == Op::ConfirmJoiner as u8 => {
                let payload = input.slice().to_vec();
                if let Ok(step) = joiner.confirm_sas(now, &payload) {
                    joiner_side.confirmed = true;
                    joiner_payload = Some(payload);
                    inviter_side.inbox.extend(step.send);
                    assert!(step.sas.is_none() && step.granted.is_none());
                }
                continue;
            }
            o if o == Op::DeclineInviter as u8 => {
                joiner_side.inbox.push_back(inviter.decline());
                continue;
            }
            o if o == Op::DeclineJoiner as u8 => {
                inviter_side.inbox.push_back(joiner.decline());
                continue;
            }
            _ => {
                now = now.saturating_add(u64::from(input.u32()));
                continue;
            }
        };
        let Some(bytes) = bytes else { continue };
        if to_inviter {
            inviter_side.last_received = Some(bytes.clone());
            let Ok(step) = inviter.handle_message(now, &bytes) else {
                continue;
            };
            if let Some(sas) = step.sas {
                assert!(inviter_side.sas.is_none(), "the inviter shows one string");
                inviter_side.sas = Some(sas);
            }
            if step.send.as_deref().is_some_and(is_grant) {
                grant_released = true;
                assert!(
                    inviter_side.confirmed,
                    "no grant before the inviter's person confirmed"
                );
            }
            if let Some(record) = step.joined {
                assert!(grant_released, "a joiner is recorded only after the grant");
                assert_eq!(record.joiner_id, JOINER_ID);
                assert_eq!(
                    Some(&record.payload),
                    joiner_payload.as_ref(),
                    "the inviter records the payload the joiner confirmed"
                );
                joined = true;
            }
            joiner_side.inbox.extend(step.send);
        } else {
            joiner_side.last_received = Some(bytes.clone());
            let Ok(step) = joiner.handle_message(now, &bytes) else {
                continue;
            };
            if let Some(sas) = step.sas {
                assert!(joiner_side.sas.is_none(), "the joiner shows one string");
                joiner_side.sas = Some(sas);
            }
            if let Some(grant) = step.granted {
                assert!(granted.is_none(), "the joiner is granted once");
                assert!(
                    inviter_side.confirmed && joiner_side.confirmed,
                    "a grant needs both people's confirmation"
                );
                assert_eq!(
                    inviter_side.sas, joiner_side.sas,
                    "both people confirmed the same string"
                );
                assert_eq!(grant.journal_key().expose(), &JOURNAL_KEY);
                granted = Some(grant.payload().to_vec());
            }
            inviter_side.inbox.extend(step.send);
        }
    }
    Outcome {
        sas_shown: inviter_side.sas.is_some() && joiner_side.sas.is_some(),
        granted: granted.is_some(),
        joined,
    }
}

/// Whether bytes are an encoded grant message (version 1, kind 6).
fn is_grant(bytes: &[u8]) -> bool {
    bytes.starts_with(&[1, 6])
}

/// Scripts of real handshakes: complete ones in both orders of confirmation, one declined, one
/// tampered with, one that times out.
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    let op = |s: Script, op: Op| s.byte(op as u8);
    let handshake = |s: Script| {
        let s = op(s, Op::ToInviter); // commit
        let s = op(s, Op::ToJoiner); // inviter key
        let s = op(s, Op::ToInviter); // joiner key
        op(s, Op::ToJoiner) // inviter confirm: both show the string
    };
    let confirm_inviter = |s: Script| op(s, Op::ConfirmInviter).slice(b"journal-1 ada Ada");
    let confirm_joiner = |s: Script| op(s, Op::ConfirmJoiner).slice(b"ben Ben");
    let finish = |s: Script| {
        let s = op(s, Op::ToInviter); // sas confirmed
        let s = op(s, Op::ToJoiner); // grant
        op(s, Op::ToInviter) // ack
    };
    vec![
        (
            "complete-inviter-first".to_owned(),
            finish(confirm_joiner(confirm_inviter(handshake(Script::new())))).finish(),
        ),
        (
            "complete-joiner-first".to_owned(),
            finish(confirm_inviter(confirm_joiner(handshake(Script::new())))).finish(),
        ),
        (
            "declined".to_owned(),
            op(
                op(handshake(Script::new()), Op::DeclineJoiner),
                Op::ToInviter,
            )
            .finish(),
        ),
        (
            "tampered-key".to_owned(),
            op(
                op(op(Script::new(), Op::ToInviter), Op::TamperToJoiner)
                    .u16(5)
                    .byte(0x10),
                Op::ToInviter,
            )
            .finish(),
        ),
        (
            "timed-out".to_owned(),
            op(
                op(handshake(Script::new()), Op::Wait).u32(200_000),
                Op::ConfirmJoiner,
            )
            .slice(b"late")
            .finish(),
        ),
        (
            "replayed".to_owned(),
            op(
                op(handshake(Script::new()), Op::ReplayToInviter),
                Op::ReplayToJoiner,
            )
            .finish(),
        ),
        (
            "forged-abort".to_owned(),
            op(Script::new(), Op::ForgeToJoiner)
                .slice(&[1, 8, 2])
                .finish(),
        ),
    ]
}
