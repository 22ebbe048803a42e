//! The pairing handshake driven end to end between the two real state machines.

use hearth_crypto::pairing::{
    AbortReason, Grant, Inviter, Joiner, MessageKind, PairMessage, PairMessageDecodeError,
    PairingError, Sas,
};
use hearth_crypto::{InvitationSecret, JournalKey, Ticket};

const NOW: u64 = 1_760_000_000_000;
const DEADLINE: u64 = NOW + 120_000;
const INVITER_ID: [u8; 32] = [0xa1; 32];
const JOINER_ID: [u8; 32] = [0xb2; 32];

fn ticket_for(inviter_id: [u8; 32], secret: [u8; 16]) -> Ticket {
    Ticket::new(
        inviter_id,
        None,
        vec![],
        InvitationSecret::from_bytes(secret),
        NOW,
    )
    .expect("a ticket without addresses is within limits")
}

fn grant() -> Grant {
    Grant::new(
        JournalKey::from_bytes([0x77; 32]),
        b"journal j1; members m1".to_vec(),
    )
}

/// Runs the key exchange until both sides show their string.
fn to_sas(inviter: &mut Inviter, joiner: &mut Joiner, commit: &[u8]) -> (Sas, Sas) {
    let step = inviter.handle_message(NOW, commit).expect("commit");
    let step = joiner
        .handle_message(NOW, &step.send.expect("inviter key"))
        .expect("inviter key");
    let step = inviter
        .handle_message(NOW, &step.send.expect("joiner key"))
        .expect("joiner key");
    let inviter_sas = step.sas.expect("inviter shows the string");
    let step = joiner
        .handle_message(NOW, &step.send.expect("inviter confirm"))
        .expect("inviter confirm");
    (inviter_sas, step.sas.expect("joiner shows the string"))
}

fn start() -> (Inviter, Joiner, Vec<u8>) {
    let ticket = ticket_for(INVITER_ID, [0x33; 16]);
    let inviter = Inviter::new(&ticket, JOINER_ID, [0x01; 32], DEADLINE);
    let (joiner, commit) =
        Joiner::start(&ticket, JOINER_ID, [0x02; 32], NOW, DEADLINE).expect("fresh ticket");
    (inviter, joiner, commit)
}

#[test]
fn both_confirm_and_the_joiner_receives_the_grant() {
    let (mut inviter, mut joiner, commit) = start();
    let (a, b) = to_sas(&mut inviter, &mut joiner, &commit);
    assert_eq!(a, b);
    assert_eq!(inviter.sas(), Some(a));
    assert_eq!(joiner.sas(), Some(b));

    // The inviter's person confirms first: nothing is released until the joiner confirms too.
    let step = inviter.confirm_sas(NOW, grant()).expect("inviter confirms");
    assert!(step.send.is_none() && step.joined.is_none());

    let step = joiner
        .confirm_sas(NOW, b"member m2, Sam")
        .expect("joiner confirms");
    let step = inviter
        .handle_message(NOW, &step.send.expect("sas confirmed"))
        .expect("joiner's confirmation");
    let step = joiner
        .handle_message(NOW, &step.send.expect("grant"))
        .expect("grant");
    let granted = step.granted.expect("grant released");
    assert_eq!(granted.journal_key().expose(), &[0x77; 32]);
    assert_eq!(granted.payload(), b"journal j1; members m1");

    let step = inviter
        .handle_message(NOW, &step.send.expect("ack"))
        .expect("ack");
    let joined = step.joined.expect("inviter records the joiner");
    assert_eq!(joined.joiner_id, JOINER_ID);
    assert_eq!(joined.payload, b"member m2, Sam");

    assert!(matches!(
        inviter.handle_message(NOW, &[1, 7]),
        Err(PairingError::Ended)
    ));
}

#[test]
fn the_joiner_may_confirm_first() {
    let (mut inviter, mut joiner, commit) = start();
    to_sas(&mut inviter, &mut joiner, &commit);
    let step = joiner.confirm_sas(NOW, b"m2").expect("joiner confirms");
    let step = inviter
        .handle_message(NOW, &step.send.expect("sas confirmed"))
        .expect("confirmation arrives");
    assert!(
        step.send.is_none(),
        "the inviter's person has not confirmed yet"
    );
    let step = inviter.confirm_sas(NOW, grant()).expect("inviter confirms");
    let step = joiner
        .handle_message(NOW, &step.send.expect("grant now"))
        .expect("grant");
    assert!(step.granted.is_some());
}

#[test]
fn a_wrong_invitation_secret_fails_key_confirmation() {
    let inviter_ticket = ticket_for(INVITER_ID, [0x33; 16]);
    let guessed = ticket_for(INVITER_ID, [0x34; 16]);
    let mut inviter = Inviter::new(&inviter_ticket, JOINER_ID, [0x01; 32], DEADLINE);
    let (mut joiner, commit) =
        Joiner::start(&guessed, JOINER_ID, [0x02; 32], NOW, DEADLINE).expect("start");
    let step = inviter.handle_message(NOW, &commit).expect("commit");
    let step = joiner
        .handle_message(NOW, &step.send.expect("key"))
        .expect("key");
    let err = inviter
        .handle_message(NOW, &step.send.expect("joiner key"))
        .expect_err("wrong secret");
    assert!(
        matches!(err, PairingError::KeyConfirmationFailed),
        "{err:?}"
    );
    assert_eq!(inviter.sas(), None, "no string is shown to the person");
}

#[test]
fn a_joiner_with_another_identity_than_the_transport_reports_fails() {
    let ticket = ticket_for(INVITER_ID, [0x33; 16]);
    let mut inviter = Inviter::new(&ticket, [0xee; 32], [0x01; 32], DEADLINE);
    let (mut joiner, commit) =
        Joiner::start(&ticket, JOINER_ID, [0x02; 32], NOW, DEADLINE).expect("start");
    let step = inviter.handle_message(NOW, &commit).expect("commit");
    let step = joiner
        .handle_message(NOW, &step.send.expect("key"))
        .expect("key");
    let err = inviter
        .handle_message(NOW, &step.send.expect("joiner key"))
        .expect_err("transcript differs");
    assert!(
        matches!(err, PairingError::KeyConfirmationFailed),
        "{err:?}"
    );
}

#[test]
fn a_key_that_does_not_open_the_commitment_is_refused() {
    let (mut inviter, _joiner, commit) = start();
    let _ = inviter.handle_message(NOW, &commit).expect("commit");
    let other = PairMessage::JoinerKey {
        public: [9; 32],
        mac: [0; 32],
    };
    let err = inviter
        .handle_message(NOW, &other.encode())
        .expect_err("commitment mismatch");
    assert!(matches!(err, PairingError::CommitmentMismatch), "{err:?}");
}

#[test]
fn low_order_public_keys_are_refused() {
    for low_order in [[0u8; 32], {
        let mut one = [0u8; 32];
        one[0] = 1;
        one
    }] {
        let (_inviter, mut joiner, _commit) = start();
        let err = joiner
            .handle_message(NOW, &PairMessage::InviterKey { public: low_order }.encode())
            .expect_err("non-contributory");
        assert!(matches!(err, PairingError::NonContributory), "{err:?}");
    }
}

#[test]
fn a_decline_on_either_side_ends_both_with_nothing_released() {
    let (mut inviter, mut joiner, commit) = start();
    to_sas(&mut inviter, &mut joiner, &commit);
    let abort = joiner.decline();
    let err = inviter.handle_message(NOW, &abort).expect_err("declined");
    assert!(
        matches!(
            err,
            PairingError::PeerAborted {
                reason: AbortReason::Declined
            }
        ),
        "{err:?}"
    );
    assert!(matches!(
        inviter.confirm_sas(NOW, grant()),
        Err(PairingError::Ended)
    ));

    let (mut inviter, mut joiner, commit) = start();
    to_sas(&mut inviter, &mut joiner, &commit);
    let step = joiner.confirm_sas(NOW, b"m2").expect("joiner confirms");
    let _ = inviter
        .handle_message(NOW, &step.send.expect("confirmation"))
        .expect("ok");
    let abort = inviter.decline();
    let err = joiner.handle_message(NOW, &abort).expect_err("declined");
    assert!(matches!(err, PairingError::PeerAborted { .. }), "{err:?}");
}

#[test]
fn the_deadline_ends_the_attempt() {
    let (mut inviter, mut joiner, commit) = start();
    to_sas(&mut inviter, &mut joiner, &commit);
    let err = inviter
        .confirm_sas(DEADLINE, grant())
        .expect_err("too late");
    assert!(
        matches!(
            err,
            PairingError::TimedOut {
                deadline_ms: DEADLINE
            }
        ),
        "{err:?}"
    );
    assert!(matches!(
        joiner.check_deadline(DEADLINE + 5),
        Err(PairingError::TimedOut { .. })
    ));
    assert!(matches!(
        joiner.confirm_sas(NOW, b"m2"),
        Err(PairingError::Ended)
    ));
}

#[test]
fn an_expired_invitation_is_refused_on_both_sides() {
    let ticket = ticket_for(INVITER_ID, [0x33; 16]);
    let late = ticket.expires_at_ms();
    assert!(matches!(
        Joiner::start(&ticket, JOINER_ID, [2; 32], late, late + 60_000),
        Err(PairingError::TicketExpired { .. })
    ));
    let mut inviter = Inviter::new(&ticket, JOINER_ID, [1; 32], late + 60_000);
    let (_joiner, commit) = Joiner::start(&ticket, JOINER_ID, [2; 32], NOW, DEADLINE).expect("ok");
    assert!(matches!(
        inviter.handle_message(late, &commit),
        Err(PairingError::TicketExpired { .. })
    ));
}

#[test]
fn confirming_before_the_string_is_shown_is_refused_without_ending_the_attempt() {
    let (mut inviter, mut joiner, commit) = start();
    assert!(matches!(
        inviter.confirm_sas(NOW, grant()),
        Err(PairingError::SasNotReady)
    ));
    assert!(matches!(
        joiner.confirm_sas(NOW, b"m2"),
        Err(PairingError::SasNotReady)
    ));
    let (a, b) = to_sas(&mut inviter, &mut joiner, &commit);
    assert_eq!(a, b);
}

#[test]
fn out_of_turn_and_malformed_messages_end_the_attempt() {
    let (mut inviter, mut joiner, commit) = start();
    let err = inviter
        .handle_message(
            NOW,
            &PairMessage::Grant {
                sealed: vec![0; 48],
            }
            .encode(),
        )
        .expect_err("grant to the inviter");
    assert!(
        matches!(
            err,
            PairingError::UnexpectedMessage {
                got: MessageKind::Grant
            }
        ),
        "{err:?}"
    );
    assert!(matches!(
        inviter.handle_message(NOW, &commit),
        Err(PairingError::Ended)
    ));

    let err = joiner.handle_message(NOW, &[1, 2, 3]).expect_err("garbage");
    assert!(
        matches!(
            err,
            PairingError::Malformed(PairMessageDecodeError::BadLength {
                kind: MessageKind::InviterKey,
                len: 1
            })
        ),
        "{err:?}"
    );
}

#[test]
fn a_tampered_grant_is_rejected_and_nothing_is_granted() {
    let (mut inviter, mut joiner, commit) = start();
    to_sas(&mut inviter, &mut joiner, &commit);
    let step = joiner.confirm_sas(NOW, b"m2").expect("joiner confirms");
    let _ = inviter
        .handle_message(NOW, &step.send.expect("confirmation"))
        .expect("ok");
    let mut grant_msg = inviter
        .confirm_sas(NOW, grant())
        .expect("confirm")
        .send
        .expect("grant");
    let last = grant_msg.len() - 1;
    grant_msg[last] ^= 0x80;
    let err = joiner
        .handle_message(NOW, &grant_msg)
        .expect_err("tampered");
    assert!(
        matches!(err, PairingError::SealedMessageRejected),
        "{err:?}"
    );
}

#[test]
fn a_payload_over_the_cap_is_refused() {
    let (mut inviter, mut joiner, commit) = start();
    to_sas(&mut inviter, &mut joiner, &commit);
    let huge = vec![0u8; hearth_crypto::pairing::MAX_PAYLOAD_LEN + 1];
    assert!(matches!(
        joiner.confirm_sas(NOW, &huge),
        Err(PairingError::PayloadTooLarge { .. })
    ));
}

/// Someone who saw the invitation (so knows the secret) sits between the two devices and runs
/// a joiner towards the inviter and an inviter towards the joiner. Each leg completes key
/// confirmation, but the two people see different strings.
#[test]
fn a_man_in_the_middle_shows_different_strings() {
    const MALLORY: [u8; 32] = [0x66; 32];
    let real = ticket_for(INVITER_ID, [0x33; 16]);
    // Mallory re-issues the invitation under its own identity for the joiner's leg.
    let forged = Ticket::with_expiry(
        MALLORY,
        None,
        vec![],
        real.secret().clone(),
        real.expires_at_ms(),
    )
    .expect("ticket");

    let mut inviter = Inviter::new(&real, MALLORY, [0x01; 32], DEADLINE);
    let (mut mallory_as_joiner, mallory_commit) =
        Joiner::start(&real, MALLORY, [0x44; 32], NOW, DEADLINE).expect("start");
    let (mut joiner, commit) =
        Joiner::start(&forged, JOINER_ID, [0x02; 32], NOW, DEADLINE).expect("start");
    let mut mallory_as_inviter = Inviter::new(&forged, JOINER_ID, [0x55; 32], DEADLINE);

    let (inviter_sas, _) = to_sas(&mut inviter, &mut mallory_as_joiner, &mallory_commit);
    let (_, joiner_sas) = to_sas(&mut mallory_as_inviter, &mut joiner, &commit);
    assert_ne!(inviter_sas, joiner_sas);
    assert_ne!(inviter_sas.digits(), joiner_sas.digits());
    assert_ne!(inviter_sas.emoji(), joiner_sas.emoji());
}

#[test]
fn the_string_has_seven_named_pictures_and_three_five_digit_numbers() {
    let (mut inviter, mut joiner, commit) = start();
    let (sas, _) = to_sas(&mut inviter, &mut joiner, &commit);
    assert!(sas.bits() < 1 << 42);
    let digits = sas.digits();
    assert_eq!(digits.len(), 17, "{digits}");
    assert!(sas.numbers().iter().all(|n| *n < 16384));
    assert_eq!(sas.emoji_names().split(", ").count(), 7);
    // Pictures and numbers carry the same bits.
    let from_emoji = sas.emoji().iter().fold(0u64, |acc, e| {
        let index = hearth_crypto::pairing::SAS_EMOJI
            .iter()
            .position(|x| x == e)
            .expect("emoji from the table");
        (acc << 6) | index as u64
    });
    let from_numbers = sas
        .numbers()
        .iter()
        .fold(0u64, |acc, n| (acc << 14) | u64::from(*n));
    assert_eq!(from_emoji, sas.bits());
    assert_eq!(from_numbers, sas.bits());
}

#[test]
fn the_picture_table_has_64_distinct_pictures_and_names() {
    let table = &hearth_crypto::pairing::SAS_EMOJI;
    let symbols: std::collections::HashSet<_> = table.iter().map(|e| e.symbol).collect();
    let names: std::collections::HashSet<_> = table.iter().map(|e| e.name).collect();
    assert_eq!(symbols.len(), 64);
    assert_eq!(names.len(), 64);
}
