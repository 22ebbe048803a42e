//! Records sealed at rest.

use hearth_crypto::StorageKey;
use hearth_crypto::at_rest::{AT_REST_VERSION, OpenError, SEAL_OVERHEAD, open, seal};

const NONCE: [u8; 24] = [0x11; 24];

#[test]
fn open_returns_what_was_sealed() {
    let key = StorageKey::from_bytes([1; 32]);
    let sealed = seal(&key, NONCE, b"chunk/7", b"dear diary");
    assert_eq!(sealed.len(), b"dear diary".len() + SEAL_OVERHEAD);
    assert_eq!(sealed[0], AT_REST_VERSION);
    assert_eq!(&sealed[1..25], &NONCE);
    let opened = open(&key, b"chunk/7", &sealed).expect("same key and aad");
    assert_eq!(opened.as_slice(), b"dear diary");
}

#[test]
fn empty_plaintext_round_trips() {
    let key = StorageKey::from_bytes([1; 32]);
    let sealed = seal(&key, NONCE, b"", b"");
    assert_eq!(sealed.len(), SEAL_OVERHEAD);
    assert!(open(&key, b"", &sealed).expect("opens").is_empty());
}

#[test]
fn wrong_key_wrong_aad_and_flipped_bits_fail_authentication() {
    let key = StorageKey::from_bytes([1; 32]);
    let sealed = seal(&key, NONCE, b"chunk/7", b"dear diary");
    assert_eq!(
        open(&StorageKey::from_bytes([2; 32]), b"chunk/7", &sealed),
        Err(OpenError::AuthenticationFailed)
    );
    assert_eq!(
        open(&key, b"chunk/8", &sealed),
        Err(OpenError::AuthenticationFailed)
    );
    for bit in 8..sealed.len() * 8 {
        let mut altered = sealed.clone();
        altered[bit / 8] ^= 1 << (bit % 8);
        assert_eq!(
            open(&key, b"chunk/7", &altered),
            Err(OpenError::AuthenticationFailed),
            "bit {bit}"
        );
    }
}

#[test]
fn short_and_unknown_version_records_are_typed_errors() {
    let key = StorageKey::from_bytes([1; 32]);
    let sealed = seal(&key, NONCE, b"", b"x");
    assert_eq!(
        open(&key, b"", &sealed[..SEAL_OVERHEAD - 1]),
        Err(OpenError::TooShort {
            len: SEAL_OVERHEAD - 1
        })
    );
    assert_eq!(open(&key, b"", &[]), Err(OpenError::TooShort { len: 0 }));
    let mut other = sealed.clone();
    other[0] = 9;
    assert_eq!(
        open(&key, b"", &other),
        Err(OpenError::UnknownVersion { version: 9 })
    );
}
