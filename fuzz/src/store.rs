//! What the store reads back from disk: sealed chunks of the journal, the key header, and the
//! records of the vault.
//!
//! Two targets share this file. `run_chunk` hands the input to the chunk decoder as a sealed chunk
//! (which must fail unless it is one the store sealed), and also seals the input itself as a chunk
//! and checks that it opens, in its own slot only. `run_vault` decodes the input as a key header
//! and as each plaintext record of the vault; whatever decodes must re-encode to the same bytes.

use hearth_crypto::passphrase::{KdfParams, Passphrase, wrap_key};
use hearth_crypto::{StorageKey, at_rest};
use hearth_store::{DocId, decode};

use crate::input::{Input, Script};

const STORAGE_KEY: [u8; 32] = [0x5e; 32];

/// The associated data the store gives a chunk (documented in hearth-store's `record` module).
fn chunk_aad(doc: DocId, seq: u64) -> Vec<u8> {
    let code = match doc {
        DocId::Shared => 0u8,
        DocId::Private => 1,
    };
    let mut aad = b"hearth-store/1\0\x06chunks".to_vec();
    aad.push(code);
    aad.extend_from_slice(&seq.to_be_bytes());
    aad
}

/// Seals `plain` as the store seals chunk `seq` of `doc`.
fn seal_chunk(doc: DocId, seq: u64, nonce: [u8; 24], plain: &[u8]) -> Vec<u8> {
    at_rest::seal(
        &StorageKey::from_bytes(STORAGE_KEY),
        nonce,
        &chunk_aad(doc, seq),
        plain,
    )
}

/// Runs one chunk input.
pub fn run_chunk(data: &[u8]) {
    let mut input = Input::new(data);
    let doc = if input.byte() & 1 == 0 {
        DocId::Shared
    } else {
        DocId::Private
    };
    let seq = u64::from(input.u32());
    let rest = input.rest();
    let key = StorageKey::from_bytes(STORAGE_KEY);
    if let Ok(plain) = decode::chunk(&key, doc, seq, rest) {
        // Only a chunk sealed under the storage key for this slot opens; re-sealing what it holds
        // with its own nonce gives back the same bytes.
        let mut nonce = [0u8; 24];
        nonce.copy_from_slice(&rest[1..25]);
        assert_eq!(seal_chunk(doc, seq, nonce, &plain), rest);
    }
    let sealed = seal_chunk(doc, seq, [0x24; 24], rest);
    let opened = decode::chunk(&key, doc, seq, &sealed).expect("a chunk opens in its own slot");
    assert_eq!(opened.as_slice(), rest);
    let other = match doc {
        DocId::Shared => DocId::Private,
        DocId::Private => DocId::Shared,
    };
    assert!(decode::chunk(&key, other, seq, &sealed).is_err());
    assert!(decode::chunk(&key, doc, seq ^ 1, &sealed).is_err());
}

/// Runs one vault input.
pub fn run_vault(data: &[u8]) {
    check_key_header(data);
    // The input with a checksum that matches, so the decoder goes past the checksum (which
    // random bytes never pass) into the lengths and the wrapped key.
    let mut summed = data.to_vec();
    summed.extend_from_slice(&sha256(data));
    check_key_header(&summed);
    if let Ok(key) = decode::device_key(data) {
        assert_eq!(&data[1..], key.expose());
    }
    if let Ok(binding) = decode::journal_binding(data) {
        assert_eq!(&data[1..33], binding.journal_key.expose());
        assert_eq!(
            data.len(),
            1 + 32 + 4 + binding.journal_id.len() + 4 + binding.member_id.len()
        );
    }
    if let Ok(device) = decode::paired_device([3; 32], data) {
        let strings: usize = [&device.member_id, &device.name]
            .into_iter()
            .chain(&device.addrs)
            .map(|s| 4 + s.len())
            .sum();
        assert_eq!(data.len(), 1 + strings + 4 + 8);
    }
}

fn check_key_header(data: &[u8]) {
    if let Ok(header) = decode::key_header(data) {
        let params = header.wrapped().params();
        assert!(params.memory_kib <= KdfParams::MAX_MEMORY_KIB);
        assert!(params.iterations <= KdfParams::MAX_ITERATIONS);
        assert!(params.parallelism <= KdfParams::MAX_PARALLELISM);
        assert_eq!(&data[8..10], &header.format_version().to_le_bytes());
        let wrapped = header.wrapped().to_bytes();
        assert_eq!(&data[14..data.len() - 32], wrapped.as_slice());
    }
}

/// Real chunks: Automerge-sized changes sealed for both documents.
pub fn chunk_seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    for (name, doc, seq, plain) in [
        ("shared-0", DocId::Shared, 0u32, &b"an Automerge change"[..]),
        (
            "private-7",
            DocId::Private,
            7,
            &[0x85, 0x6f, 0x4a, 0x83, 1, 2, 3][..],
        ),
        ("empty", DocId::Shared, 1, &[][..]),
    ] {
        let sealed = seal_chunk(doc, u64::from(seq), [0x31; 24], plain);
        let code = u8::from(doc == DocId::Private);
        seeds.push((
            name.to_owned(),
            Script::new().byte(code).u32(seq).raw(&sealed).finish(),
        ));
    }
    seeds
}

/// Real vault bytes: a key header as the store writes it, and each kind of vault record.
pub fn vault_seeds() -> Vec<(String, Vec<u8>)> {
    let wrapped = wrap_key(
        &StorageKey::from_bytes(STORAGE_KEY),
        &Passphrase::new("correct horse battery staple"),
        KdfParams::insecure_fast_for_tests(),
        [0x11; 16],
        [0x22; 24],
    )
    .expect("the test parameters are valid");
    let wrapped = wrapped.to_bytes();
    let mut header = b"HEARTHKY".to_vec();
    header.extend_from_slice(&hearth_store::FORMAT_VERSION.to_le_bytes());
    header.extend_from_slice(&u32::try_from(wrapped.len()).expect("small").to_le_bytes());
    header.extend_from_slice(&wrapped);
    let checksum = sha256(&header);
    header.extend_from_slice(&checksum);

    let string = |s: Script, text: &str| {
        s.raw(&u32::try_from(text.len()).expect("small").to_le_bytes())
            .raw(text.as_bytes())
    };
    let device_key = Script::new().byte(1).raw(&[0x44; 32]).finish();
    let binding = string(
        string(Script::new().byte(1).raw(&[0x42; 32]), "journal-1"),
        "ada",
    )
    .finish();
    let paired = string(string(Script::new().byte(1), "ben"), "Ben");
    let paired = string(
        string(paired.raw(&2u32.to_le_bytes()), "192.168.1.20:41000"),
        "[::1]:4",
    )
    .raw(&1_763_800_000_000u64.to_le_bytes())
    .finish();
    let body = header[..header.len() - 32].to_vec();
    vec![
        ("key-header".to_owned(), header),
        ("key-header-body".to_owned(), body),
        ("device-key".to_owned(), device_key),
        ("journal-binding".to_owned(), binding),
        ("paired-device".to_owned(), paired),
    ]
}

/// SHA-256, the key header's checksum.
fn sha256(body: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut out = [0u8; 32];
    out.copy_from_slice(&Sha256::digest(body));
    out
}
