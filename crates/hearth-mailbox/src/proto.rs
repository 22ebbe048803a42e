//! The messages of the mailbox protocol, `hearth/mailbox/1` (docs/protocol.md, "Mailbox
//! server"): a device greets the server for one journal's mailbox, then lists, gets, puts and
//! deletes files there, one request and one reply at a time. Every count and length is checked
//! against its bound before anything is allocated for it.
//!
//! ```text
//! frame    = length (u32 BE) | message          length ≤ MAX_MESSAGE
//! Hello    = 1 | version (1) | mailbox id (16) | setup? (1 | 16) | proofs (1) | proofs × (epoch (u32 BE) | token (32))
//!              | devices (u16 BE) | devices × id (32)
//! List     = 2
//! Get      = 3 | name
//! Put      = 4 | name | bytes (u32 BE) | bytes
//! Delete   = 5 | name
//! name     = length (1) | UTF-8
//! Welcome  = 0x81
//! Refused  = 0x82 | why (1)
//! Listing  = 0x83 | count (u16 BE) | count × (name | size (u64 BE) | modified ms (u64 BE))
//! File     = 0x84 | present (1) [| bytes (u32 BE) | bytes]
//! Done     = 0x85
//! Failed   = 0x86 | why (1)
//! ```

use crate::MAX_ENTRIES;
use crate::store::Entry;
use crate::wire::{Reader, WireError, count_u16};

/// The protocol's ALPN.
pub const MAILBOX_ALPN: &[u8] = b"hearth/mailbox/1";
/// The version of the greeting this build speaks.
pub const HELLO_VERSION: u8 = 1;
/// At most this many devices in a greeting's list (a journal's bound on devices).
pub const MAX_HELLO_DEVICES: usize = 256;
/// At most this many epoch proofs in a greeting.
pub const MAX_PROOFS: usize = 16;
/// The longest file name (a tag, a slash and a blob name are 38 bytes).
pub const MAX_NAME: usize = 64;

/// The largest message: a file at its largest, with its name.
pub fn max_message() -> usize {
    hearth_crypto::mailbox::max_file_len() + MAX_NAME + 16
}

/// A proof that the greeting device holds the journal key of an epoch
/// (`hearth_crypto::mailbox::server_access`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    /// The epoch.
    pub epoch: u32,
    /// The token derived from that epoch's key.
    pub token: [u8; 32],
}

/// A device's greeting: which journal's mailbox, and what it proves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hello {
    /// The journal's opaque mailbox id.
    pub mailbox_id: [u8; 16],
    /// The server's setup secret, from its ticket: needed only for a journal the server does not
    /// keep yet.
    pub setup: Option<[u8; 16]>,
    /// Tokens of the newest epochs whose keys the device holds, newest last.
    pub proofs: Vec<Proof>,
    /// The journal's devices as the greeting device knows them (itself among them): who the
    /// server lets in.
    pub devices: Vec<[u8; 32]>,
}

/// Why a server turned a device away right after its greeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Refusal {
    /// The server does not keep this journal, and the greeting did not carry its setup secret.
    UnknownJournal = 1,
    /// The device is not one of the journal's (a stranger, or a removed device).
    NotAllowed = 2,
    /// The greeting is of a newer version than the server speaks.
    Outdated = 3,
    /// The server keeps as many journals as it may.
    Full = 4,
}

/// Why a server did not do what was asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Failure {
    /// The journal's space on the server is used up.
    QuotaFull = 1,
    /// Too many requests; try again later.
    RateLimited = 2,
    /// Not a mailbox file name.
    BadName = 3,
    /// The server's storage failed.
    Storage = 4,
    /// A file larger than any mailbox file.
    TooLarge = 5,
}

/// A message of the protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// Device → server, first: the greeting.
    Hello(Hello),
    /// Device → server: every file of the journal.
    List,
    /// Device → server: a file's bytes.
    Get(String),
    /// Device → server: write a file whole.
    Put(String, Vec<u8>),
    /// Device → server: delete a file.
    Delete(String),
    /// Server → device: the greeting is accepted.
    Welcome,
    /// Server → device: the greeting is refused; the server closes.
    Refused(Refusal),
    /// Server → device: the journal's files.
    Listing(Vec<Entry>),
    /// Server → device: a file, or `None` if there is none of that name.
    File(Option<Vec<u8>>),
    /// Server → device: done.
    Done,
    /// Server → device: not done.
    Failed(Failure),
}

fn put_name(out: &mut Vec<u8>, name: &str) {
    debug_assert!(name.len() <= MAX_NAME);
    out.push(u8::try_from(name.len().min(MAX_NAME)).expect("MAX_NAME fits a byte"));
    out.extend_from_slice(&name.as_bytes()[..name.len().min(MAX_NAME)]);
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(
        &u32::try_from(bytes.len())
            .expect("files are bounded far below 4 GiB")
            .to_be_bytes(),
    );
    out.extend_from_slice(bytes);
}

impl Reader<'_> {
    fn name(&mut self) -> Result<String, WireError> {
        let len = usize::from(self.u8()?);
        if len > MAX_NAME {
            return Err(WireError::TooMany {
                what: "bytes of name",
                count: len,
                limit: MAX_NAME,
            });
        }
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| WireError::NotText)
    }

    fn bytes(&mut self) -> Result<Vec<u8>, WireError> {
        let len = usize::try_from(u32::from_be_bytes(self.array()?)).unwrap_or(usize::MAX);
        let limit = hearth_crypto::mailbox::max_file_len();
        if len > limit {
            return Err(WireError::TooMany {
                what: "bytes of file",
                count: len,
                limit,
            });
        }
        Ok(self.take(len)?.to_vec())
    }
}

impl Message {
    /// The message's bytes (without the frame's length).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            Message::Hello(h) => {
                out.push(1);
                out.push(HELLO_VERSION);
                out.extend_from_slice(&h.mailbox_id);
                match &h.setup {
                    Some(s) => {
                        out.push(1);
                        out.extend_from_slice(s);
                    }
                    None => out.push(0),
                }
                let proofs = &h.proofs[h.proofs.len().saturating_sub(MAX_PROOFS)..];
                out.push(u8::try_from(proofs.len()).expect("MAX_PROOFS fits a byte"));
                for p in proofs {
                    out.extend_from_slice(&p.epoch.to_be_bytes());
                    out.extend_from_slice(&p.token);
                }
                let devices = &h.devices[..h.devices.len().min(MAX_HELLO_DEVICES)];
                out.extend_from_slice(&count_u16(devices.len()));
                for d in devices {
                    out.extend_from_slice(d);
                }
            }
            Message::List => out.push(2),
            Message::Get(name) => {
                out.push(3);
                put_name(&mut out, name);
            }
            Message::Put(name, bytes) => {
                out.reserve(bytes.len() + MAX_NAME + 8);
                out.push(4);
                put_name(&mut out, name);
                put_bytes(&mut out, bytes);
            }
            Message::Delete(name) => {
                out.push(5);
                put_name(&mut out, name);
            }
            Message::Welcome => out.push(0x81),
            Message::Refused(why) => out.extend_from_slice(&[0x82, *why as u8]),
            Message::Listing(entries) => {
                let entries = &entries[..entries.len().min(MAX_ENTRIES)];
                out.push(0x83);
                out.extend_from_slice(&count_u16(entries.len()));
                for e in entries {
                    put_name(&mut out, &e.name);
                    out.extend_from_slice(&e.size.to_be_bytes());
                    out.extend_from_slice(&e.modified_ms.to_be_bytes());
                }
            }
            Message::File(file) => {
                out.push(0x84);
                match file {
                    Some(bytes) => {
                        out.push(1);
                        put_bytes(&mut out, bytes);
                    }
                    None => out.push(0),
                }
            }
            Message::Done => out.push(0x85),
            Message::Failed(why) => out.extend_from_slice(&[0x86, *why as u8]),
        }
        out
    }

    /// Reads a message. A greeting of a newer version reads as [`WireError::Version`].
    pub fn decode(bytes: &[u8]) -> Result<Message, WireError> {
        let mut r = Reader(bytes);
        let message = match r.u8()? {
            1 => {
                let version = r.u8()?;
                if version != HELLO_VERSION {
                    return Err(WireError::Version(version));
                }
                let mailbox_id = r.array()?;
                let setup = match r.u8()? {
                    0 => None,
                    1 => Some(r.array()?),
                    _ => return Err(WireError::Length),
                };
                let count = usize::from(r.u8()?);
                if count > MAX_PROOFS {
                    return Err(WireError::TooMany {
                        what: "proofs",
                        count,
                        limit: MAX_PROOFS,
                    });
                }
                let proofs = (0..count)
                    .map(|_| {
                        Ok(Proof {
                            epoch: u32::from_be_bytes(r.array()?),
                            token: r.array()?,
                        })
                    })
                    .collect::<Result<_, WireError>>()?;
                let devices = (0..r.count("devices", MAX_HELLO_DEVICES)?)
                    .map(|_| r.array())
                    .collect::<Result<_, _>>()?;
                Message::Hello(Hello {
                    mailbox_id,
                    setup,
                    proofs,
                    devices,
                })
            }
            2 => Message::List,
            3 => Message::Get(r.name()?),
            4 => {
                let name = r.name()?;
                Message::Put(name, r.bytes()?)
            }
            5 => Message::Delete(r.name()?),
            0x81 => Message::Welcome,
            0x82 => Message::Refused(match r.u8()? {
                1 => Refusal::UnknownJournal,
                2 => Refusal::NotAllowed,
                3 => Refusal::Outdated,
                4 => Refusal::Full,
                other => return Err(WireError::Unknown(other)),
            }),
            0x83 => {
                let entries = (0..r.count("files", MAX_ENTRIES)?)
                    .map(|_| {
                        Ok(Entry {
                            name: r.name()?,
                            size: u64::from_be_bytes(r.array()?),
                            modified_ms: u64::from_be_bytes(r.array()?),
                        })
                    })
                    .collect::<Result<_, WireError>>()?;
                Message::Listing(entries)
            }
            0x84 => match r.u8()? {
                0 => Message::File(None),
                1 => Message::File(Some(r.bytes()?)),
                _ => return Err(WireError::Length),
            },
            0x85 => Message::Done,
            0x86 => Message::Failed(match r.u8()? {
                1 => Failure::QuotaFull,
                2 => Failure::RateLimited,
                3 => Failure::BadName,
                4 => Failure::Storage,
                5 => Failure::TooLarge,
                other => return Err(WireError::Unknown(other)),
            }),
            other => return Err(WireError::Unknown(other)),
        };
        r.end()?;
        Ok(message)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn every_kind() -> Vec<Message> {
        vec![
            Message::Hello(Hello {
                mailbox_id: [1; 16],
                setup: Some([2; 16]),
                proofs: vec![Proof {
                    epoch: 3,
                    token: [4; 32],
                }],
                devices: vec![[5; 32], [6; 32]],
            }),
            Message::Hello(Hello {
                mailbox_id: [1; 16],
                setup: None,
                proofs: vec![],
                devices: vec![],
            }),
            Message::List,
            Message::Get("0102030405060708/state".into()),
            Message::Put("0102030405060708/state".into(), vec![9; 700]),
            Message::Delete("0102030405060708/keys".into()),
            Message::Welcome,
            Message::Refused(Refusal::NotAllowed),
            Message::Listing(vec![Entry {
                name: "0102030405060708/0000000000000001.blob".into(),
                size: 512,
                modified_ms: 1_700_000_000_000,
            }]),
            Message::File(None),
            Message::File(Some(vec![1, 2, 3])),
            Message::Done,
            Message::Failed(Failure::QuotaFull),
        ]
    }

    #[test]
    fn every_message_reads_back() {
        for m in every_kind() {
            assert_eq!(Message::decode(&m.encode()), Ok(m));
        }
    }

    #[test]
    fn cut_or_padded_messages_are_refused() {
        for m in every_kind() {
            let bytes = m.encode();
            let mut long = bytes.clone();
            long.push(0);
            assert_eq!(Message::decode(&long), Err(WireError::Length), "{m:?}");
            if bytes.len() > 1 {
                assert!(Message::decode(&bytes[..bytes.len() - 1]).is_err(), "{m:?}");
            }
        }
    }

    #[test]
    fn declared_sizes_are_checked_before_allocating() {
        let mut put = vec![4, 1, b'a'];
        put.extend_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(
            Message::decode(&put),
            Err(WireError::TooMany {
                what: "bytes of file",
                ..
            })
        ));
        let mut listing = vec![0x83];
        listing.extend_from_slice(&u16::MAX.to_be_bytes());
        assert!(matches!(
            Message::decode(&listing),
            Err(WireError::TooMany { what: "files", .. })
        ));
        assert_eq!(Message::decode(&[1, 2]), Err(WireError::Version(2)));
        assert_eq!(Message::decode(&[0x42]), Err(WireError::Unknown(0x42)));
    }

    proptest! {
        #[test]
        fn decoding_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = Message::decode(&bytes);
        }
    }
}
