//! Secrets never appear in Debug output, and every secret type wipes itself on drop.

use hearth_crypto::frame::session;
use hearth_crypto::pairing::Grant;
use hearth_crypto::{DeviceSecret, InvitationSecret, JournalKey, Passphrase, StorageKey};
use zeroize::ZeroizeOnDrop;

/// Compiles only for types that wipe themselves when dropped.
fn wipes_on_drop<T: ZeroizeOnDrop>() {}

/// Asserts that `shown` (a `Debug` output) holds the redacted form and no trace of a secret made
/// of `byte` repeated, neither in decimal nor in hex.
fn assert_redacted(shown: &str, redacted: &str, byte: u8) {
    assert!(shown.contains(redacted), "{shown}");
    assert!(!shown.contains(&byte.to_string()), "{shown}");
    assert!(
        !shown.to_lowercase().contains(&format!("{byte:02x}")),
        "{shown}"
    );
}

#[test]
fn every_secret_type_zeroizes_on_drop() {
    wipes_on_drop::<JournalKey>();
    wipes_on_drop::<StorageKey>();
    wipes_on_drop::<DeviceSecret>();
    wipes_on_drop::<Passphrase>();
    wipes_on_drop::<InvitationSecret>();
    wipes_on_drop::<Grant>();
}

#[test]
fn journal_key_debug_is_redacted() {
    let key = JournalKey::from_bytes([0xab; 32]);
    assert_redacted(&format!("{key:?} {key:#?}"), "JournalKey(..)", 0xab);
}

#[test]
fn storage_key_debug_is_redacted() {
    let key = StorageKey::from_bytes([0xab; 32]);
    assert_redacted(&format!("{key:?} {key:#?}"), "StorageKey(..)", 0xab);
}

#[test]
fn device_secret_debug_is_redacted() {
    let secret = DeviceSecret::from_bytes([0xab; 32]);
    assert_redacted(&format!("{secret:?} {secret:#?}"), "DeviceSecret(..)", 0xab);
}

#[test]
fn passphrase_debug_is_redacted() {
    let p = Passphrase::new("hunter2-sunrise");
    let shown = format!("{p:?} {p:#?}");
    assert!(shown.contains("Passphrase(..)"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert_eq!(p.expose(), "hunter2-sunrise");
}

#[test]
fn invitation_secret_debug_is_redacted() {
    let s = InvitationSecret::from_bytes([0xcd; 16]);
    let shown = format!("{s:?}");
    assert_eq!(shown, "InvitationSecret(..)");
}

#[test]
fn grant_debug_shows_neither_key_nor_payload() {
    let g = Grant::new(
        JournalKey::from_bytes([0xef; 32]),
        b"Alice and Sam".to_vec(),
    );
    let shown = format!("{g:?}");
    assert_redacted(&shown, "journal_key: JournalKey(..)", 0xef);
    assert!(!shown.contains("Alice"), "{shown}");
}

#[test]
fn session_halves_debug_without_keys() {
    let (sealer, opener) = session(
        &JournalKey::from_bytes([0x99; 32]),
        0,
        [1; 32],
        [2; 32],
        [3; 32],
        [4; 32],
    )
    .expect("distinct ids and nonces");
    for shown in [format!("{sealer:?}"), format!("{opener:#?}")] {
        assert_redacted(&shown, "key: DerivedKey(..)", 0x99);
    }
}
