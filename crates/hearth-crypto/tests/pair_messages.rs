//! Exact byte encoding of the pairing messages, and rejection of garbage.

use hearth_crypto::pairing::{
    AbortReason, MAX_PAIR_MESSAGE_LEN, MessageKind, PairMessage, PairMessageDecodeError,
};

fn all() -> Vec<PairMessage> {
    vec![
        PairMessage::Commit {
            commitment: [1; 32],
        },
        PairMessage::InviterKey { public: [2; 32] },
        PairMessage::JoinerKey {
            public: [3; 32],
            mac: [4; 32],
        },
        PairMessage::InviterConfirm { mac: [5; 32] },
        PairMessage::SasConfirmed {
            sealed: vec![6; 20],
        },
        PairMessage::Grant {
            sealed: vec![7; 60],
        },
        PairMessage::Ack { mac: [8; 32] },
        PairMessage::Abort {
            reason: AbortReason::TimedOut,
        },
    ]
}

#[test]
fn every_message_round_trips_with_its_version_and_kind_bytes() {
    for (i, msg) in all().into_iter().enumerate() {
        let bytes = msg.encode();
        assert_eq!(bytes[0], 1, "version");
        assert_eq!(usize::from(bytes[1]), i + 1, "kind");
        assert_eq!(PairMessage::decode(&bytes), Ok(msg));
    }
}

#[test]
fn exact_bytes_of_fixed_messages() {
    let joiner_key = PairMessage::JoinerKey {
        public: [0xaa; 32],
        mac: [0xbb; 32],
    }
    .encode();
    assert_eq!(joiner_key.len(), 66);
    assert_eq!(&joiner_key[..2], &[1, 3]);
    assert_eq!(&joiner_key[2..34], &[0xaa; 32]);
    assert_eq!(&joiner_key[34..], &[0xbb; 32]);
    let abort = PairMessage::Abort {
        reason: AbortReason::Declined,
    };
    assert_eq!(abort.encode(), vec![1, 8, 1]);
}

#[test]
fn every_truncation_and_extension_of_a_fixed_message_is_rejected() {
    for msg in all() {
        let bytes = msg.encode();
        if matches!(msg.kind(), MessageKind::SasConfirmed | MessageKind::Grant) {
            continue;
        }
        for cut in 0..bytes.len() {
            assert!(
                PairMessage::decode(&bytes[..cut]).is_err(),
                "{msg:?} cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(matches!(
            PairMessage::decode(&longer),
            Err(PairMessageDecodeError::BadLength { .. })
        ));
    }
}

#[test]
fn garbage_gets_typed_errors() {
    assert_eq!(
        PairMessage::decode(&[]),
        Err(PairMessageDecodeError::TooShort { len: 0 })
    );
    assert_eq!(
        PairMessage::decode(&[2, 1]),
        Err(PairMessageDecodeError::UnsupportedVersion { version: 2 })
    );
    assert_eq!(
        PairMessage::decode(&[1, 99]),
        Err(PairMessageDecodeError::UnknownKind { kind: 99 })
    );
    assert_eq!(
        PairMessage::decode(&[1, 8, 42]),
        Err(PairMessageDecodeError::UnknownAbortReason { code: 42 })
    );
    assert_eq!(
        PairMessage::decode(&[1, 6, 0, 0]),
        Err(PairMessageDecodeError::BadLength {
            kind: MessageKind::Grant,
            len: 2
        })
    );
    let huge = vec![1u8; MAX_PAIR_MESSAGE_LEN + 1];
    assert_eq!(
        PairMessage::decode(&huge),
        Err(PairMessageDecodeError::TooLarge {
            len: MAX_PAIR_MESSAGE_LEN + 1
        })
    );
}
