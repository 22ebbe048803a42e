//! What a device reads from a mailbox: sealed files, the state and keys files, and file names.
//!
//! The first byte of the input, modulo 4, picks what the rest is:
//!
//! - 0: a whole mailbox file, read with the journal's key. Its header must read, or be refused,
//!   exactly as `open` reads or refuses it, and it opens only if it is exactly what `seal` writes
//!   for the header, nonce and payload it holds: no forged file opens.
//! - 1: a script. A payload from the script is sealed as a genuine file, which the script then
//!   alters: bytes flipped, cut short, lengthened, bytes taken out, header fields rewritten. The
//!   file opens exactly when its bytes are those sealed, with the header and payload sealed, and
//!   then for no other journal, device or key.
//! - 2: a device's state and a keys file. A keys file that decodes re-encodes to exactly the
//!   input; so does a state whose acknowledgements are in order (the decoder takes them in any
//!   order, the last of a device's winning, and the encoder writes each device once, in order),
//!   and any state that decodes reads back equal from its encoding.
//! - 3: a file name, as text. A name that reads as Hearth's is exactly the name Hearth writes for
//!   what it read.

use hearth_crypto::exchange::{self, KeyFor};
use hearth_crypto::mailbox::{self, HEADER_LEN, Header, Kind};
use hearth_crypto::{DeviceSecret, JournalKey};
use hearth_mailbox::{DeviceState, FileName, KeyEntry, KeysFile, blob_name, keys_name, state_name};

use crate::input::{Input, Script};

const JOURNAL_KEY: [u8; 32] = [0x42; 32];
const JOURNAL_ID: &str = "journal-mailbox";
const DEVICE: [u8; 32] = [0xad; 32];
const NONCE: [u8; 24] = [0x9e; 24];
/// The length of the Poly1305 tag after the sealed plaintext.
const TAG_LEN: usize = 16;

const MODES: u8 = 4;
/// How many alterations a script may make to a sealed file.
const MAX_STEPS: usize = 16;

fn key() -> JournalKey {
    JournalKey::from_bytes(JOURNAL_KEY)
}

/// A genuine file of this journal and device.
fn seal(header: Header, payload: &[u8]) -> Vec<u8> {
    mailbox::seal(
        &key(),
        JOURNAL_ID.as_bytes(),
        &DEVICE,
        header,
        payload,
        NONCE,
    )
}

/// Runs one input.
pub fn run(data: &[u8]) {
    drive(data);
}

/// Runs one input; returns whether it went all the way: a file opened, a state or keys file
/// decoded, a name read as Hearth's.
pub fn drive(data: &[u8]) -> bool {
    let mut input = Input::new(data);
    match input.byte() % MODES {
        0 => open_file(input.rest()),
        1 => alter_sealed(&mut input),
        2 => decode_wire(input.rest()),
        _ => parse_name(input.rest()),
    }
}

/// Reads `file` as a mailbox file of this journal and device.
fn open_file(file: &[u8]) -> bool {
    let opened = mailbox::open(&key(), JOURNAL_ID.as_bytes(), &DEVICE, file);
    let header = match mailbox::header(file) {
        Ok(header) => header,
        Err(e) => {
            assert_eq!(
                opened.err(),
                Some(e),
                "a file whose header does not read does not open, for the same reason"
            );
            return false;
        }
    };
    assert_eq!(&file[..4], mailbox::MAGIC);
    assert_eq!(file[4], mailbox::VERSION);
    assert_eq!(file[5], header.kind as u8);
    assert_eq!(file[6..10], header.epoch.to_be_bytes());
    assert_eq!(file[10..18], header.seq.to_be_bytes());
    assert!(file.len() >= HEADER_LEN + TAG_LEN && file.len() <= mailbox::max_file_len());
    let Ok((opened_header, payload)) = opened else {
        return false;
    };
    assert_eq!(opened_header, header);
    let nonce: [u8; 24] = file[18..HEADER_LEN].try_into().expect("24 bytes");
    assert_eq!(
        mailbox::seal(
            &key(),
            JOURNAL_ID.as_bytes(),
            &DEVICE,
            header,
            &payload,
            nonce
        ),
        file,
        "only a file sealed with the journal's key opens, and it is exactly as sealed"
    );
    true
}

/// Seals a payload from the script, alters the file as the script says, and opens it.
fn alter_sealed(input: &mut Input<'_>) -> bool {
    let kind = if input.byte() & 1 == 0 {
        Kind::Blob
    } else {
        Kind::State
    };
    let epoch = input.u32();
    let seq = (u64::from(input.u32()) << 32) | u64::from(input.u32());
    let header = Header { kind, epoch, seq };
    let payload = input.slice();
    let sealed = seal(header, payload);
    assert_eq!(
        sealed.len(),
        HEADER_LEN + mailbox::padded_len(4 + payload.len()) + TAG_LEN,
        "a sealed file is its header, the padded plaintext and the tag"
    );
    assert_eq!(mailbox::header(&sealed), Ok(header));

    let mut file = sealed.clone();
    let mut steps = 0;
    while !input.is_empty() && steps < MAX_STEPS {
        steps += 1;
        match input.byte() % 5 {
            // One byte changed (or left as it was, when the mask is zero).
            0 => {
                let at = usize::from(input.u16());
                let mask = input.byte();
                if !file.is_empty() {
                    let len = file.len();
                    file[at % len] ^= mask;
                }
            }
            // Cut short.
            1 => {
                let keep = usize::from(input.u16());
                file.truncate(keep);
            }
            // Bytes after it.
            2 => file.extend_from_slice(input.slice()),
            // Bytes taken out of the middle.
            3 => {
                let at = usize::from(input.u16());
                let n = usize::from(input.byte());
                if !file.is_empty() {
                    let at = at % file.len();
                    file.drain(at..(at + n).min(file.len()));
                }
            }
            // A header field rewritten.
            _ => {
                let field = input.byte();
                let value = input.u32().to_be_bytes();
                let low = input.u32().to_be_bytes();
                if file.len() >= HEADER_LEN {
                    match field % 6 {
                        0 => file[..4].copy_from_slice(&value),
                        1 => file[4] = value[3],
                        2 => file[5] = value[3],
                        3 => file[6..10].copy_from_slice(&value),
                        4 => {
                            file[10..14].copy_from_slice(&value);
                            file[14..18].copy_from_slice(&low);
                        }
                        _ => {
                            let at = 18 + usize::from(value[0]) % 24;
                            file[at] = value[3];
                        }
                    }
                }
            }
        }
    }

    let opened = mailbox::open(&key(), JOURNAL_ID.as_bytes(), &DEVICE, &file);
    if file != sealed {
        assert!(opened.is_err(), "an altered file does not open");
        return false;
    }
    let (opened_header, opened_payload) = opened.expect("a file as sealed opens");
    assert_eq!(opened_header, header);
    assert_eq!(opened_payload.as_slice(), payload);
    let other_key = JournalKey::from_bytes([0x43; 32]);
    assert!(mailbox::open(&other_key, JOURNAL_ID.as_bytes(), &DEVICE, &file).is_err());
    assert!(mailbox::open(&key(), b"another-journal", &DEVICE, &file).is_err());
    assert!(mailbox::open(&key(), JOURNAL_ID.as_bytes(), &[0xb0; 32], &file).is_err());
    true
}

/// Decodes `bytes` as a device's state and as a keys file.
fn decode_wire(bytes: &[u8]) -> bool {
    let mut decoded = false;
    if let Ok(state) = DeviceState::decode(bytes) {
        decoded = true;
        let again = state.encode();
        if acknowledgements_in_order(bytes, state.heads.len()) {
            assert_eq!(again, bytes, "a state in order re-encodes exactly");
        }
        assert_eq!(DeviceState::decode(&again), Ok(state));
    }
    if let Ok(keys) = KeysFile::decode(bytes) {
        decoded = true;
        assert_eq!(keys.encode(), bytes, "a keys file re-encodes exactly");
    }
    decoded
}

/// Whether the acknowledgements of a state that decoded from `bytes`, with `heads` heads, name
/// each device once, in increasing order of id.
fn acknowledgements_in_order(bytes: &[u8], heads: usize) -> bool {
    let start = 1 + 2 + heads * 32 + 2;
    let devices: Vec<&[u8]> = bytes[start..].chunks(40).map(|a| &a[..32]).collect();
    devices.windows(2).all(|w| w[0] < w[1])
}

/// Reads `bytes` as a name in a mailbox.
fn parse_name(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let Some(name) = FileName::parse(&text) else {
        return false;
    };
    let written = match name {
        FileName::State(tag) => state_name(&tag),
        FileName::Keys(tag) => keys_name(&tag),
        FileName::Blob(tag, seq) => blob_name(&tag, seq),
    };
    assert_eq!(written, text, "a name Hearth reads is the name it writes");
    assert_eq!(FileName::parse(&written), Some(name));
    true
}

/// A state as a device writes it: its heads, and the blobs of two other devices it applied.
fn state() -> DeviceState {
    DeviceState {
        heads: vec![[0x1f; 32], [0x2e; 32]],
        applied: [([0x0b; 32], 3), ([0x0c; 32], 1)].into(),
    }
}

/// A keys file as a device writes it: epoch 2's key sealed to two devices.
fn keys() -> KeysFile {
    let journal_key = JournalKey::from_bytes([0x44; 32]);
    let keys = [([0x0b; 32], [0x7b; 32]), ([0x0c; 32], [0x7c; 32])]
        .iter()
        .map(|(device, secret)| {
            let secret = DeviceSecret::from_bytes(*secret);
            let to = KeyFor {
                journal_id: JOURNAL_ID,
                epoch: 2,
                device,
            };
            let sealed = exchange::seal_key(&secret.exchange_public(), &journal_key, &to, [7; 32])
                .expect("a device's exchange key takes a sealed key");
            KeyEntry {
                tag: mailbox::device_tag(JOURNAL_ID.as_bytes(), device),
                sealed,
            }
        })
        .collect();
    KeysFile { epoch: 2, keys }
}

/// An Automerge change's first bytes, then text: what a blob carries.
fn blob_payload() -> Vec<u8> {
    let mut payload = vec![0x85, 0x6f, 0x4a, 0x83, 0x10, 0x02];
    payload.extend(b"an entry written while the other device was away. ".repeat(12));
    payload
}

/// Real mailbox files and names, and scripts that alter real files.
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    let blob_header = Header {
        kind: Kind::Blob,
        epoch: 0,
        seq: 1,
    };
    let state_header = Header {
        kind: Kind::State,
        epoch: 2,
        seq: 1_763_800_000_000,
    };
    let blob = seal(blob_header, &blob_payload());
    let state_file = seal(state_header, &state().encode());
    let script = |header: Header, payload: &[u8]| {
        Script::new()
            .byte(1)
            .byte(if header.kind == Kind::Blob { 0 } else { 1 })
            .u32(header.epoch)
            .u32((header.seq >> 32) as u32)
            .u32(header.seq as u32)
            .slice(payload)
    };
    let tag = mailbox::device_tag(JOURNAL_ID.as_bytes(), &DEVICE);
    let mut seeds = vec![
        ("blob".to_owned(), Script::new().byte(0).raw(&blob).finish()),
        (
            "state-file".to_owned(),
            Script::new().byte(0).raw(&state_file).finish(),
        ),
        (
            "sealed-blob".to_owned(),
            script(blob_header, &blob_payload()).finish(),
        ),
        (
            "sealed-state".to_owned(),
            script(state_header, &state().encode()).finish(),
        ),
        (
            "sealed-flipped".to_owned(),
            script(blob_header, b"changes")
                .byte(0)
                .u16(200)
                .byte(0x01)
                .finish(),
        ),
        (
            "sealed-cut".to_owned(),
            script(blob_header, b"changes").byte(1).u16(100).finish(),
        ),
        (
            "sealed-lengthened".to_owned(),
            script(blob_header, b"changes")
                .byte(2)
                .slice(&[0; 16])
                .finish(),
        ),
        (
            "sealed-renumbered".to_owned(),
            script(state_header, &state().encode())
                .byte(4)
                .byte(4)
                .u32(0)
                .u32(2)
                .finish(),
        ),
        (
            "state".to_owned(),
            Script::new().byte(2).raw(&state().encode()).finish(),
        ),
        (
            "state-empty".to_owned(),
            Script::new()
                .byte(2)
                .raw(&DeviceState::default().encode())
                .finish(),
        ),
        (
            "keys".to_owned(),
            Script::new().byte(2).raw(&keys().encode()).finish(),
        ),
    ];
    for (name, text) in [
        ("name-state", state_name(&tag)),
        ("name-keys", keys_name(&tag)),
        ("name-blob", blob_name(&tag, 0x1c)),
    ] {
        seeds.push((
            name.to_owned(),
            Script::new().byte(3).raw(text.as_bytes()).finish(),
        ));
    }
    seeds
}
