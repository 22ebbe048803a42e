//! Secrets never appear in Debug output, and every secret type wipes itself on drop.

use hearth_crypto::frame::session;
use hearth_crypto::pairing::Grant;
use hearth_crypto::{InvitationSecret, Key32, Passphrase};
use zeroize::ZeroizeOnDrop;

/// Compiles only for types that wipe themselves when dropped.
fn wipes_on_drop<T: ZeroizeOnDrop>() {}

#[test]
fn every_secret_type_zeroizes_on_drop() {
    wipes_on_drop::<Key32>();
    wipes_on_drop::<Passphrase>();
    wipes_on_drop::<InvitationSecret>();
    wipes_on_drop::<Grant>();
}

#[test]
fn key_debug_is_redacted() {
    let key = Key32::from_bytes([0xab; 32]);
    let shown = format!("{key:?} {key:#?}");
    assert!(shown.contains("Key32(..)"), "{shown}");
    assert!(
        !shown.contains("171") && !shown.to_lowercase().contains("ab"),
        "{shown}"
    );
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
    let g = Grant::new(Key32::from_bytes([0xef; 32]), b"Alice and Sam".to_vec());
    let shown = format!("{g:?}");
    assert!(shown.contains("Key32(..)"), "{shown}");
    assert!(
        !shown.contains("239") && !shown.contains("Alice"),
        "{shown}"
    );
}

#[test]
fn session_halves_debug_without_keys() {
    let (sealer, opener) = session(
        &Key32::from_bytes([0x99; 32]),
        [1; 32],
        [2; 32],
        [3; 32],
        [4; 32],
    )
    .expect("distinct ids and nonces");
    let shown = format!("{sealer:?} {opener:?}");
    assert!(shown.contains("Key32(..)"), "{shown}");
    assert!(!shown.contains("153"), "{shown}");
}
