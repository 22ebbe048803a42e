//! Files left in a mailbox: sealed, padded, and named so that the mailbox learns nothing but
//! their number, rough size and times (docs/protocol.md, "Mailbox";
//! docs/decisions/0009-mailbox.md).
//!
//! ```text
//! file  = "HMBX" | version (1) | kind (1) | epoch (u32 BE) | seq (u64 BE) | nonce (24)
//!         | XChaCha20-Poly1305(key, nonce, aad, plaintext)
//! plaintext = length (u32 BE) | payload | zero bytes up to the padded length
//! aad   = "hearth/mailbox/1" | journal id | device id (32) | kind | epoch | seq
//! key   = HKDF-SHA-256(salt = "hearth/mailbox/1 key", IKM = journal key of the epoch,
//!                      info = journal id)
//! ```
//!
//! The plaintext is padded with Padmé: a length of `L` bytes is rounded up so that only its
//! highest `floor(log2(log2 L)) + 1` bits remain, which costs at most about 12% and leaves an
//! observer little more than the order of magnitude.

use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::aead::{self, NONCE_LEN, TAG_LEN};
use crate::secret::{DerivedKey, JournalKey};

/// The first bytes of every mailbox file.
pub const MAGIC: &[u8; 4] = b"HMBX";
/// The format version this build writes and reads.
pub const VERSION: u8 = 1;
/// Length of the clear header before the sealed part.
pub const HEADER_LEN: usize = 4 + 1 + 1 + 4 + 8 + NONCE_LEN;
/// The largest payload a mailbox file may carry (a whole journal fits many times over).
pub const MAX_PAYLOAD: usize = 64 * 1024 * 1024;
/// The smallest padded plaintext: small files all look alike.
pub const MIN_PADDED: usize = 512;

const SALT: &[u8] = b"hearth/mailbox/1 key";
const AAD_LABEL: &[u8] = b"hearth/mailbox/1";

/// What a mailbox file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// Automerge changes, or a whole saved document, for the other devices to apply.
    Blob = 1,
    /// A device's state: what it holds and what it has applied (its acknowledgement).
    State = 2,
}

impl Kind {
    fn from_byte(byte: u8) -> Option<Kind> {
        match byte {
            1 => Some(Kind::Blob),
            2 => Some(Kind::State),
            _ => None,
        }
    }
}

/// The clear header of a mailbox file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// What the file holds.
    pub kind: Kind,
    /// The epoch of the journal key it is sealed under.
    pub epoch: u32,
    /// Its sequence number among the writer's files of its kind.
    pub seq: u64,
}

/// Why a mailbox file could not be opened.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum MailboxFileError {
    /// Too short, or not a mailbox file at all.
    #[error("not a Hearth mailbox file")]
    NotAFile,
    /// Written by a newer Hearth.
    #[error("written in mailbox format {0}, which this version of Hearth cannot read")]
    Version(u8),
    /// Longer than any file this build writes.
    #[error("the file is {0} bytes, more than a mailbox file may be")]
    TooLarge(usize),
    /// Wrong key, or altered bytes, or written for another journal or device.
    #[error("the file does not open with this journal's key")]
    Authentication,
    /// The sealed length field does not fit the plaintext.
    #[error("the file's sealed length is inconsistent")]
    Length,
}

/// The largest file [`seal`] writes: the biggest payload, padded, with header and tag.
pub fn max_file_len() -> usize {
    HEADER_LEN + padded_len(4 + MAX_PAYLOAD) + TAG_LEN
}

/// The padded length of a plaintext of `len` bytes (Padmé, at least [`MIN_PADDED`]).
pub fn padded_len(len: usize) -> usize {
    let len = len.max(MIN_PADDED);
    let exponent = usize::BITS - 1 - len.leading_zeros();
    let bits = u32::BITS - exponent.leading_zeros();
    let mask = (1usize << (exponent - bits)) - 1;
    (len + mask) & !mask
}

/// The opaque name of a journal's place in a mailbox (16 bytes): the same on every device of the
/// journal, meaningless to anyone who does not know the journal's id.
pub fn mailbox_id(journal_id: &[u8]) -> [u8; 16] {
    let digest = Sha256::new()
        .chain_update(b"hearth/mailbox/1 mailbox id")
        .chain_update(journal_id)
        .finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

/// The opaque name of a device's files in a journal's mailbox (8 bytes).
pub fn device_tag(journal_id: &[u8], device: &[u8; 32]) -> [u8; 8] {
    let digest = Sha256::new()
        .chain_update(b"hearth/mailbox/1 device tag")
        .chain_update((journal_id.len() as u64).to_be_bytes())
        .chain_update(journal_id)
        .chain_update(device)
        .finalize();
    let mut out = [0u8; 8];
    out.copy_from_slice(&digest[..8]);
    out
}

/// What a device shows a mailbox server to prove it holds the journal key of an epoch (and so
/// may change who the server lets in): derived from that key, useless for anything else. The
/// server keeps only its [`access_verifier`].
pub fn server_access(journal_key: &JournalKey, journal_id: &[u8]) -> Zeroizing<[u8; 32]> {
    let hk = Hkdf::<Sha256>::new(
        Some(b"hearth/mailbox/1 server access"),
        journal_key.expose(),
    );
    let mut out = Zeroizing::new([0u8; 32]);
    hk.expand(journal_id, &mut *out)
        .expect("32 bytes is a valid HKDF-SHA-256 output length");
    out
}

/// What a mailbox server keeps to check a [`server_access`] token: a hash of it.
pub fn access_verifier(token: &[u8; 32]) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"hearth/mailbox/1 access verifier")
        .chain_update(token)
        .finalize()
        .into()
}

fn file_key(journal_key: &JournalKey, journal_id: &[u8]) -> DerivedKey {
    let hk = Hkdf::<Sha256>::new(Some(SALT), journal_key.expose());
    let mut out = Zeroizing::new([0u8; 32]);
    hk.expand(journal_id, &mut *out)
        .expect("32 bytes is a valid HKDF-SHA-256 output length");
    DerivedKey::from_bytes(*out)
}

fn aad(journal_id: &[u8], device: &[u8; 32], header: &Header) -> Vec<u8> {
    let mut aad = Vec::with_capacity(AAD_LABEL.len() + 8 + journal_id.len() + 32 + 13);
    aad.extend_from_slice(AAD_LABEL);
    aad.extend_from_slice(&(journal_id.len() as u64).to_be_bytes());
    aad.extend_from_slice(journal_id);
    aad.extend_from_slice(device);
    aad.push(header.kind as u8);
    aad.extend_from_slice(&header.epoch.to_be_bytes());
    aad.extend_from_slice(&header.seq.to_be_bytes());
    aad
}

/// Seals `payload` as a mailbox file written by `device` for the journal `journal_id`, under
/// `journal_key`, the key of `header.epoch`. `nonce` is 24 fresh random bytes.
///
/// # Panics
/// If the payload is longer than [`MAX_PAYLOAD`]: callers bound what they upload.
pub fn seal(
    journal_key: &JournalKey,
    journal_id: &[u8],
    device: &[u8; 32],
    header: Header,
    payload: &[u8],
    nonce: [u8; NONCE_LEN],
) -> Vec<u8> {
    assert!(
        payload.len() <= MAX_PAYLOAD,
        "a mailbox payload is at most {MAX_PAYLOAD} bytes"
    );
    let mut plaintext = Zeroizing::new(Vec::with_capacity(padded_len(4 + payload.len())));
    plaintext.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    plaintext.extend_from_slice(payload);
    plaintext.resize(padded_len(4 + payload.len()), 0);
    let key = file_key(journal_key, journal_id);
    let sealed = aead::seal(&key, &nonce, &aad(journal_id, device, &header), &plaintext);
    let mut file = Vec::with_capacity(HEADER_LEN + sealed.len());
    file.extend_from_slice(MAGIC);
    file.push(VERSION);
    file.push(header.kind as u8);
    file.extend_from_slice(&header.epoch.to_be_bytes());
    file.extend_from_slice(&header.seq.to_be_bytes());
    file.extend_from_slice(&nonce);
    file.extend_from_slice(&sealed);
    file
}

/// Reads a file's clear header, checking only its form: which key opens it is the reader's
/// business (the epoch says which).
pub fn header(file: &[u8]) -> Result<Header, MailboxFileError> {
    if file.len() < HEADER_LEN + TAG_LEN || &file[..4] != MAGIC {
        return Err(MailboxFileError::NotAFile);
    }
    if file[4] != VERSION {
        return Err(MailboxFileError::Version(file[4]));
    }
    if file.len() > max_file_len() {
        return Err(MailboxFileError::TooLarge(file.len()));
    }
    let kind = Kind::from_byte(file[5]).ok_or(MailboxFileError::NotAFile)?;
    let epoch = u32::from_be_bytes(file[6..10].try_into().expect("4 bytes"));
    let seq = u64::from_be_bytes(file[10..18].try_into().expect("8 bytes"));
    Ok(Header { kind, epoch, seq })
}

/// Opens a mailbox file written by `device` for the journal `journal_id`, with `journal_key`, the
/// key of the epoch its header names. Returns the header and the payload (wiped on drop).
pub fn open(
    journal_key: &JournalKey,
    journal_id: &[u8],
    device: &[u8; 32],
    file: &[u8],
) -> Result<(Header, Zeroizing<Vec<u8>>), MailboxFileError> {
    let header = header(file)?;
    let nonce: [u8; NONCE_LEN] = file[18..HEADER_LEN].try_into().expect("24 bytes");
    let key = file_key(journal_key, journal_id);
    let plaintext = aead::open(
        &key,
        &nonce,
        &aad(journal_id, device, &header),
        &file[HEADER_LEN..],
    )
    .map_err(|_| MailboxFileError::Authentication)?;
    let declared = plaintext
        .get(..4)
        .map(|b| u32::from_be_bytes(b.try_into().expect("4 bytes")) as usize)
        .ok_or(MailboxFileError::Length)?;
    if declared > MAX_PAYLOAD || 4 + declared > plaintext.len() {
        return Err(MailboxFileError::Length);
    }
    Ok((header, Zeroizing::new(plaintext[4..4 + declared].to_vec())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const JOURNAL: &[u8] = b"journal-one";
    const ADA: [u8; 32] = [0xad; 32];

    fn key() -> JournalKey {
        JournalKey::from_bytes([0x42; 32])
    }

    fn blob(seq: u64) -> Header {
        Header {
            kind: Kind::Blob,
            epoch: 3,
            seq,
        }
    }

    #[test]
    fn a_file_opens_with_the_journal_key_and_says_its_epoch() {
        let file = seal(&key(), JOURNAL, &ADA, blob(7), b"changes", [9; 24]);
        assert_eq!(header(&file), Ok(blob(7)));
        let (h, payload) = open(&key(), JOURNAL, &ADA, &file).expect("opens");
        assert_eq!(h, blob(7));
        assert_eq!(payload.as_slice(), b"changes");
    }

    #[test]
    fn another_key_journal_device_or_header_does_not_open_it() {
        let file = seal(&key(), JOURNAL, &ADA, blob(7), b"changes", [9; 24]);
        let other = JournalKey::from_bytes([0x43; 32]);
        assert_eq!(
            open(&other, JOURNAL, &ADA, &file).map(|_| ()),
            Err(MailboxFileError::Authentication)
        );
        assert_eq!(
            open(&key(), b"journal-two", &ADA, &file).map(|_| ()),
            Err(MailboxFileError::Authentication)
        );
        assert_eq!(
            open(&key(), JOURNAL, &[0xb0; 32], &file).map(|_| ()),
            Err(MailboxFileError::Authentication)
        );
        // A file renamed to another sequence number, or another epoch, is refused.
        for at in [6, 17] {
            let mut moved = file.clone();
            moved[at] ^= 1;
            assert_eq!(
                open(&key(), JOURNAL, &ADA, &moved).map(|_| ()),
                Err(MailboxFileError::Authentication),
                "byte {at}"
            );
        }
    }

    #[test]
    fn files_are_padded_so_close_sizes_look_alike() {
        let sizes: Vec<usize> = [0usize, 10, 400, 500]
            .iter()
            .map(|n| seal(&key(), JOURNAL, &ADA, blob(1), &vec![7; *n], [1; 24]).len())
            .collect();
        assert!(sizes.windows(2).all(|w| w[0] == w[1]), "{sizes:?}");
        let a = seal(&key(), JOURNAL, &ADA, blob(1), &[1; 100_000], [1; 24]).len();
        let b = seal(&key(), JOURNAL, &ADA, blob(1), &[1; 100_300], [1; 24]).len();
        assert_eq!(a, b);
    }

    #[test]
    fn padme_costs_little_and_never_shrinks() {
        let mut last = 0;
        for len in (1..2_000_000).step_by(997) {
            let padded = padded_len(len);
            assert!(padded >= len && padded >= last, "{len} → {padded}");
            assert!(
                len < MIN_PADDED || (padded - len) * 100 <= len * 12,
                "{len} → {padded}"
            );
            last = padded;
        }
        assert_eq!(padded_len(MIN_PADDED), MIN_PADDED);
    }

    #[test]
    fn malformed_files_get_a_clear_error() {
        let file = seal(&key(), JOURNAL, &ADA, blob(1), b"x", [1; 24]);
        assert_eq!(header(&file[..20]), Err(MailboxFileError::NotAFile));
        let mut newer = file.clone();
        newer[4] = 2;
        assert_eq!(header(&newer), Err(MailboxFileError::Version(2)));
        let mut kind = file.clone();
        kind[5] = 9;
        assert_eq!(header(&kind), Err(MailboxFileError::NotAFile));
        let mut magic = file;
        magic[0] = b'X';
        assert_eq!(header(&magic), Err(MailboxFileError::NotAFile));
    }

    #[test]
    fn names_are_stable_and_tell_devices_and_journals_apart() {
        assert_eq!(mailbox_id(JOURNAL), mailbox_id(JOURNAL));
        assert_ne!(mailbox_id(JOURNAL), mailbox_id(b"journal-two"));
        assert_ne!(device_tag(JOURNAL, &ADA), device_tag(JOURNAL, &[0xb0; 32]));
        assert_ne!(device_tag(JOURNAL, &ADA), device_tag(b"journal-two", &ADA));
    }
}
