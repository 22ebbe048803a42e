//! Passphrase-wrapped keys: round trip, wrong passphrase, stored-format bounds.

use hearth_crypto::passphrase::{
    KdfParamsError, UnwrapError, WRAPPED_KEY_LEN, WrapError, WrappedKeyDecodeError,
};
use hearth_crypto::{KdfParams, Passphrase, StorageKey, WrappedKey, at_rest, unwrap_key, wrap_key};

const SALT: [u8; 16] = [7; 16];
const NONCE: [u8; 24] = [9; 24];

fn wrapped(key: &StorageKey, passphrase: &str) -> WrappedKey {
    wrap_key(
        key,
        &Passphrase::new(passphrase),
        KdfParams::insecure_fast_for_tests(),
        SALT,
        NONCE,
    )
    .expect("fast test parameters are valid")
}

#[test]
fn unwrap_with_the_right_passphrase_returns_the_key() {
    let key = StorageKey::from_bytes([42; 32]);
    let w = wrapped(&key, "correct horse");
    let back = unwrap_key(&w, &Passphrase::new("correct horse")).expect("right passphrase");
    // The storage key's bytes stay inside the crate: the same salt and nonce wrap the same bytes
    // to the same record, and a record sealed under one key opens under the other.
    assert_eq!(wrapped(&back, "correct horse"), w);
    let sealed = at_rest::seal(&key, [1; 24], b"slot", b"record");
    let opened = at_rest::open(&back, b"slot", &sealed).expect("the same key");
    assert_eq!(opened.as_slice(), b"record");
}

#[test]
fn wrong_passphrase_is_a_typed_error() {
    let w = wrapped(&StorageKey::from_bytes([1; 32]), "correct horse");
    let err = unwrap_key(&w, &Passphrase::new("correct horsE")).expect_err("wrong passphrase");
    assert!(matches!(err, UnwrapError::WrongPassphrase), "{err:?}");
}

#[test]
fn encoding_round_trips_and_has_the_documented_length() {
    let w = wrapped(&StorageKey::from_bytes([3; 32]), "pass");
    let bytes = w.to_bytes();
    assert_eq!(bytes.len(), WRAPPED_KEY_LEN);
    assert_eq!(bytes[0], 1, "version byte");
    assert_eq!(&bytes[1..5], &8u32.to_be_bytes(), "memory in KiB");
    assert_eq!(&bytes[13..29], &SALT);
    assert_eq!(&bytes[29..53], &NONCE);
    let back = WrappedKey::from_bytes(&bytes).expect("decodes");
    assert_eq!(back, w);
    assert_eq!(back.params(), KdfParams::insecure_fast_for_tests());
}

#[test]
fn every_stored_byte_is_authenticated() {
    let key = StorageKey::from_bytes([5; 32]);
    let bytes = wrapped(&key, "pass").to_bytes();
    for i in 0..bytes.len() {
        let mut altered = bytes.clone();
        altered[i] ^= 0x01;
        // A flipped byte either fails to decode (version, parameters) or fails to unwrap.
        if let Ok(w) = WrappedKey::from_bytes(&altered) {
            assert!(
                unwrap_key(&w, &Passphrase::new("pass")).is_err(),
                "flipping byte {i} went unnoticed"
            );
        }
    }
}

#[test]
fn absurd_stored_parameters_are_refused_before_running_argon2() {
    let bytes = wrapped(&StorageKey::from_bytes([5; 32]), "pass").to_bytes();
    let with = |at: usize, value: u32| {
        let mut b = bytes.clone();
        b[at..at + 4].copy_from_slice(&value.to_be_bytes());
        WrappedKey::from_bytes(&b)
    };
    assert!(matches!(
        with(1, u32::MAX),
        Err(WrappedKeyDecodeError::BadParams(
            KdfParamsError::MemoryTooLarge { .. }
        ))
    ));
    assert!(matches!(
        with(5, 0),
        Err(WrappedKeyDecodeError::BadParams(
            KdfParamsError::IterationsOutOfRange { iterations: 0 }
        ))
    ));
    assert!(matches!(
        with(9, 0),
        Err(WrappedKeyDecodeError::BadParams(
            KdfParamsError::ParallelismOutOfRange { .. }
        ))
    ));
    assert!(matches!(
        with(1, 0),
        Err(WrappedKeyDecodeError::BadParams(
            KdfParamsError::MemoryTooSmall { .. }
        ))
    ));
}

#[test]
fn malformed_wrapped_keys_are_typed_errors() {
    let bytes = wrapped(&StorageKey::from_bytes([5; 32]), "pass").to_bytes();
    assert_eq!(
        WrappedKey::from_bytes(&bytes[..WRAPPED_KEY_LEN - 1]),
        Err(WrappedKeyDecodeError::WrongLength {
            len: WRAPPED_KEY_LEN - 1
        })
    );
    assert_eq!(
        WrappedKey::from_bytes(&[]),
        Err(WrappedKeyDecodeError::WrongLength { len: 0 })
    );
    let mut v2 = bytes.clone();
    v2[0] = 2;
    assert_eq!(
        WrappedKey::from_bytes(&v2),
        Err(WrappedKeyDecodeError::UnknownVersion { version: 2 })
    );
}

#[test]
fn wrapping_with_absurd_parameters_is_refused() {
    let params = KdfParams {
        memory_kib: KdfParams::MAX_MEMORY_KIB + 1,
        iterations: 1,
        parallelism: 1,
    };
    let err = wrap_key(
        &StorageKey::from_bytes([0; 32]),
        &Passphrase::new("p"),
        params,
        SALT,
        NONCE,
    )
    .expect_err("over the cap");
    assert!(matches!(
        err,
        WrapError::BadParams(KdfParamsError::MemoryTooLarge { .. })
    ));
}

#[test]
fn production_parameters_are_within_the_bounds_they_are_checked_against() {
    assert_eq!(KdfParams::production().validate(), Ok(()));
    assert_eq!(KdfParams::insecure_fast_for_tests().validate(), Ok(()));
}

#[test]
fn weaker_is_by_the_work_a_guess_takes() {
    let production = KdfParams::production();
    assert!(KdfParams::insecure_fast_for_tests().weaker_than(&production));
    // More memory with fewer passes can be dearer all the same: not weaker.
    let wide = KdfParams {
        memory_kib: 1024 * 1024,
        iterations: 1,
        parallelism: 1,
    };
    assert!(!wide.weaker_than(&production));
    assert!(production.weaker_than(&wide));
    assert!(!production.weaker_than(&production));
}
