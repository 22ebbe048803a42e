//! The pairing key schedule (docs/protocol.md, "Key schedule").

use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use super::PAIRING_VERSION;
use crate::InvitationSecret;
use crate::secret::DerivedKey;

const COMMIT_DOMAIN: &[u8] = b"hearth/pair/1 commitment";
const TRANSCRIPT_DOMAIN: &[u8] = b"hearth/pair/1 transcript";

/// Number of bytes of key material the short authentication string is cut from.
pub(super) const SAS_BYTES: usize = 6;

/// The keys both sides derive once both ephemeral public keys are known.
pub(super) struct PairingKeys {
    /// Hash binding version, both identities and both ephemeral public keys.
    pub transcript: [u8; 32],
    pub inviter_confirm: DerivedKey,
    pub joiner_confirm: DerivedKey,
    pub grant: DerivedKey,
    pub joiner_payload: DerivedKey,
    pub ack: DerivedKey,
    pub sas: [u8; SAS_BYTES],
}

/// The joiner's commitment to its ephemeral public key.
pub(super) fn commitment(joiner_public: &[u8; 32]) -> [u8; 32] {
    Sha256::new()
        .chain_update(COMMIT_DOMAIN)
        .chain_update(joiner_public)
        .finalize()
        .into()
}

/// The transcript hash.
pub(super) fn transcript(
    inviter_id: &[u8; 32],
    joiner_id: &[u8; 32],
    inviter_public: &[u8; 32],
    joiner_public: &[u8; 32],
) -> [u8; 32] {
    Sha256::new()
        .chain_update(TRANSCRIPT_DOMAIN)
        .chain_update([PAIRING_VERSION])
        .chain_update(inviter_id)
        .chain_update(joiner_id)
        .chain_update(inviter_public)
        .chain_update(joiner_public)
        .finalize()
        .into()
}

/// The X25519 public key of an ephemeral secret.
pub(super) fn public_key(secret: &StaticSecret) -> [u8; 32] {
    PublicKey::from(secret).to_bytes()
}

/// X25519 with the peer's public key; `None` if the result is all zeros (the peer sent a
/// low-order point, so the result would not depend on our secret).
pub(super) fn diffie_hellman(
    secret: &StaticSecret,
    peer_public: &[u8; 32],
) -> Option<Zeroizing<[u8; 32]>> {
    let shared = secret.diffie_hellman(&PublicKey::from(*peer_public));
    if !shared.was_contributory() {
        return None;
    }
    Some(Zeroizing::new(shared.to_bytes()))
}

/// HKDF-SHA-256 with the invitation secret as salt and the X25519 result as input key material;
/// each key is expanded with its own label followed by the transcript hash.
pub(super) fn derive(
    secret: &InvitationSecret,
    shared: &[u8; 32],
    transcript: [u8; 32],
) -> PairingKeys {
    let hkdf = Hkdf::<Sha256>::new(Some(secret.expose()), shared);
    let key = |label: &[u8]| {
        let mut out = Zeroizing::new([0u8; 32]);
        hkdf.expand_multi_info(&[label, &transcript], &mut *out)
            .expect("32 bytes is far below HKDF-SHA-256's 8160-byte output limit");
        DerivedKey::from_bytes(*out)
    };
    let mut sas = [0u8; SAS_BYTES];
    hkdf.expand_multi_info(&[b"hearth/pair/1 sas", &transcript], &mut sas)
        .expect("6 bytes is far below HKDF-SHA-256's 8160-byte output limit");
    PairingKeys {
        transcript,
        inviter_confirm: key(b"hearth/pair/1 inviter confirm"),
        joiner_confirm: key(b"hearth/pair/1 joiner confirm"),
        grant: key(b"hearth/pair/1 grant"),
        joiner_payload: key(b"hearth/pair/1 joiner payload"),
        ack: key(b"hearth/pair/1 ack"),
        sas,
    }
}

/// HMAC-SHA-256 of the transcript under `key`.
pub(super) fn mac(key: &DerivedKey, transcript: &[u8; 32]) -> [u8; 32] {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key.expose())
        .expect("HMAC accepts keys of any length");
    m.update(transcript);
    m.finalize().into_bytes().into()
}

/// Checks a MAC in constant time.
pub(super) fn verify_mac(key: &DerivedKey, transcript: &[u8; 32], tag: &[u8; 32]) -> bool {
    mac(key, transcript).ct_eq(tag).into()
}
