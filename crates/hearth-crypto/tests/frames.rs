//! Sealed sync frames: round trip, and rejection of tampering, replay, reordering, reflection and
//! oversize frames.

use hearth_crypto::JournalKey;
use hearth_crypto::frame::{
    FRAME_BODY_OVERHEAD, FRAME_HEADER_LEN, FrameLengthError, FrameOpener, FrameSealer,
    MAX_FRAME_BODY, MAX_FRAME_PLAINTEXT, OpenFrameError, SealFrameError, SessionError,
    frame_body_len, session,
};

const ALICE: [u8; 32] = [0x10; 32];
const BOB: [u8; 32] = [0x20; 32];

struct Side {
    sealer: FrameSealer,
    opener: FrameOpener,
}

fn pair() -> (Side, Side) {
    let key = JournalKey::from_bytes([0x42; 32]);
    let (a_nonce, b_nonce) = ([0xa0; 32], [0xb0; 32]);
    let (sealer, opener) = session(&key, 0, ALICE, a_nonce, BOB, b_nonce).expect("alice");
    let alice = Side { sealer, opener };
    let (sealer, opener) = session(&key, 0, BOB, b_nonce, ALICE, a_nonce).expect("bob");
    (alice, Side { sealer, opener })
}

#[test]
fn frames_flow_both_ways() {
    let (mut alice, mut bob) = pair();
    for i in 0..3u8 {
        let frame = alice.sealer.seal(&[i; 10]).expect("seal");
        assert_eq!(frame.len(), FRAME_HEADER_LEN + FRAME_BODY_OVERHEAD + 10);
        let body_len =
            frame_body_len(frame[..4].try_into().expect("4 bytes")).expect("length accepted");
        assert_eq!(body_len, frame.len() - 4);
        assert_eq!(
            bob.opener.open(&frame[4..]).expect("open").as_slice(),
            &[i; 10]
        );
    }
    let reply = bob.sealer.seal(b"hello back").expect("seal");
    assert_eq!(
        alice.opener.open_frame(&reply).expect("open").as_slice(),
        b"hello back"
    );
}

#[test]
fn every_flipped_bit_of_a_frame_is_rejected() {
    let (mut alice, _) = pair();
    let frame = alice.sealer.seal(b"a short sample frame").expect("seal");
    for bit in 0..frame.len() * 8 {
        let mut altered = frame.clone();
        altered[bit / 8] ^= 1 << (bit % 8);
        // A fresh opener each time, so a rejection is not an artefact of earlier attempts.
        let mut opener = pair().1.opener;
        assert!(
            opener.open_frame(&altered).is_err(),
            "bit {bit} flipped went unnoticed"
        );
    }
    // The unaltered frame opens with the same kind of fresh opener.
    let mut opener = pair().1.opener;
    assert!(opener.open_frame(&frame).is_ok());
}

#[test]
fn a_replayed_frame_is_rejected() {
    let (mut alice, mut bob) = pair();
    let first = alice.sealer.seal(b"one").expect("seal");
    bob.opener.open_frame(&first).expect("first time");
    assert_eq!(
        bob.opener.open_frame(&first),
        Err(OpenFrameError::Replayed {
            counter: 0,
            expected: 1
        })
    );
}

#[test]
fn reordered_frames_are_rejected() {
    let (mut alice, mut bob) = pair();
    let first = alice.sealer.seal(b"one").expect("seal");
    let second = alice.sealer.seal(b"two").expect("seal");
    assert_eq!(
        bob.opener.open_frame(&second),
        Err(OpenFrameError::OutOfOrder {
            counter: 1,
            expected: 0
        })
    );
    bob.opener.open_frame(&first).expect("in order");
    bob.opener.open_frame(&second).expect("in order");
}

#[test]
fn a_frame_reflected_back_to_its_sender_is_rejected() {
    let (mut alice, _bob) = pair();
    let frame = alice.sealer.seal(b"for bob").expect("seal");
    assert_eq!(
        alice.opener.open_frame(&frame),
        Err(OpenFrameError::Reflected)
    );
}

#[test]
fn a_frame_from_another_session_is_rejected() {
    let (mut alice, _) = pair();
    let key = JournalKey::from_bytes([0x42; 32]);
    let (_, mut other_session) =
        session(&key, 0, BOB, [0xb1; 32], ALICE, [0xa0; 32]).expect("new nonces");
    let frame = alice.sealer.seal(b"old session").expect("seal");
    assert_eq!(
        other_session.open_frame(&frame),
        Err(OpenFrameError::AuthenticationFailed)
    );
}

#[test]
fn oversize_frames_are_refused_from_the_header_alone() {
    let too_big = u32::try_from(MAX_FRAME_BODY + 1).expect("fits");
    assert_eq!(
        frame_body_len(too_big.to_be_bytes()),
        Err(FrameLengthError::TooLarge {
            declared: too_big,
            max: MAX_FRAME_BODY
        })
    );
    assert!(frame_body_len(u32::MAX.to_be_bytes()).is_err());
    assert!(matches!(
        frame_body_len(3u32.to_be_bytes()),
        Err(FrameLengthError::TooShort { .. })
    ));
    let max = u32::try_from(MAX_FRAME_BODY).expect("fits");
    assert_eq!(frame_body_len(max.to_be_bytes()), Ok(MAX_FRAME_BODY));

    let (mut alice, mut bob) = pair();
    assert_eq!(
        alice.sealer.seal(&vec![0; MAX_FRAME_PLAINTEXT + 1]),
        Err(SealFrameError::TooLarge {
            len: MAX_FRAME_PLAINTEXT + 1,
            max: MAX_FRAME_PLAINTEXT
        })
    );
    let largest = alice
        .sealer
        .seal(&vec![7; MAX_FRAME_PLAINTEXT])
        .expect("at the cap");
    assert_eq!(
        bob.opener.open_frame(&largest).expect("opens").len(),
        MAX_FRAME_PLAINTEXT
    );
    assert!(matches!(
        bob.opener.open(&vec![0; MAX_FRAME_BODY + 1]),
        Err(OpenFrameError::BadLength(FrameLengthError::TooLarge { .. }))
    ));
}

#[test]
fn a_prefix_that_disagrees_with_the_body_is_rejected() {
    let (mut alice, mut bob) = pair();
    let mut frame = alice.sealer.seal(b"abc").expect("seal");
    frame.push(0);
    assert!(matches!(
        bob.opener.open_frame(&frame),
        Err(OpenFrameError::LengthMismatch { .. })
    ));
}

#[test]
fn sessions_refuse_self_talk_and_reflected_nonces() {
    let key = JournalKey::from_bytes([1; 32]);
    assert_eq!(
        session(&key, 0, ALICE, [1; 32], ALICE, [2; 32]).err(),
        Some(SessionError::SameEndpoint)
    );
    assert_eq!(
        session(&key, 0, ALICE, [1; 32], BOB, [1; 32]).err(),
        Some(SessionError::ReflectedNonce)
    );
}

#[test]
fn the_same_plaintext_seals_differently_in_each_direction_and_session() {
    let (mut alice, mut bob) = pair();
    let a = alice.sealer.seal(b"same").expect("seal");
    let b = bob.sealer.seal(b"same").expect("seal");
    assert_ne!(a[14..], b[14..]);
    let key = JournalKey::from_bytes([0x42; 32]);
    let (mut alice2, _) = session(&key, 0, ALICE, [0xa9; 32], BOB, [0xb0; 32]).expect("session");
    let a2 = alice2.seal(b"same").expect("seal");
    assert_ne!(a[14..], a2[14..]);
}

#[test]
fn sealer_and_opener_can_move_to_separate_tasks() {
    fn assert_send<T: Send + 'static>() {}
    assert_send::<FrameSealer>();
    assert_send::<FrameOpener>();
}

#[test]
fn a_session_runs_under_the_newest_epoch_both_sides_hold_alike() {
    use hearth_crypto::frame::{common_epoch, key_check};
    let first = JournalKey::from_bytes([1; 32]);
    let (ours, theirs_made) = (
        JournalKey::from_bytes([2; 32]),
        JournalKey::from_bytes([3; 32]),
    );
    let shared_third = JournalKey::from_bytes([4; 32]);
    let held = |keys: &[(u32, &JournalKey)]| -> Vec<(u32, [u8; 8])> {
        keys.iter().map(|(e, k)| (*e, key_check(k, *e))).collect()
    };
    // One side is ahead: the older epoch, which both hold.
    assert_eq!(
        common_epoch(&held(&[(0, &first), (1, &ours)]), &held(&[(0, &first)])),
        Some(0)
    );
    // Both made a key of epoch 1 apart: they meet under epoch 0.
    assert_eq!(
        common_epoch(
            &held(&[(0, &first), (1, &ours)]),
            &held(&[(0, &first), (1, &theirs_made)])
        ),
        Some(0)
    );
    // A newer epoch both hold wins, whatever lies between.
    assert_eq!(
        common_epoch(
            &held(&[(0, &first), (1, &ours), (2, &shared_third)]),
            &held(&[(0, &first), (1, &theirs_made), (2, &shared_third)])
        ),
        Some(2)
    );
    // The same key under another epoch number is not the same key.
    assert_ne!(key_check(&first, 0), key_check(&first, 1));
    // Nothing in common: not the same journal.
    assert_eq!(
        common_epoch(&held(&[(0, &first)]), &held(&[(0, &ours)])),
        None
    );
}
