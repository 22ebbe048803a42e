//! What a device's state and keys files say, and how they are encoded. Every count is bounded
//! before anything is allocated for it.
//!
//! ```text
//! state (sealed as a mailbox file of kind State) =
//!     version (1) | heads (u16 BE) | heads × hash (32)
//!     | applied (u16 BE) | applied × (device id (32) | seq (u64 BE))
//! keys (in the clear: each key is sealed to one device's exchange key) =
//!     "HMBK" | version (1) | epoch (u32 BE) | count (u16 BE) | count × (tag (8) | sealed key (80))
//! ```

use std::collections::BTreeMap;

use hearth_crypto::exchange::SEALED_KEY_LEN;

/// The format version of both encodings.
const VERSION: u8 = 1;
const KEYS_MAGIC: &[u8; 4] = b"HMBK";
/// At most this many heads in a state: a journal has a handful.
pub const MAX_STATE_HEADS: usize = 1_024;
/// At most this many devices in a state's acknowledgements.
pub const MAX_APPLIED: usize = 1_024;
/// At most this many keys in a keys file (the journal's bound on devices in an epoch).
pub const MAX_KEY_ENTRIES: usize = 256;

/// Why a state or keys file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum WireError {
    /// Cut short, or bytes left over.
    #[error("the mailbox file is cut short or has bytes left over")]
    Length,
    /// Not a keys file.
    #[error("not a Hearth keys file")]
    NotKeys,
    /// Written by a newer Hearth.
    #[error("written in a format ({0}) this version of Hearth cannot read")]
    Version(u8),
    /// Not a message of the mailbox protocol.
    #[error("not a message of the mailbox protocol (type {0})")]
    Unknown(u8),
    /// A name or text that is not UTF-8.
    #[error("a name in the message is not text")]
    NotText,
    /// More of something than any device writes.
    #[error("it names {count} {what}; at most {limit}")]
    TooMany {
        /// What.
        what: &'static str,
        /// How many it names.
        count: usize,
        /// The limit.
        limit: usize,
    },
}

/// A device's state in a mailbox: what it holds and what it applied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeviceState {
    /// The heads of its journal when it wrote this (Automerge change hashes).
    pub heads: Vec<[u8; 32]>,
    /// For each other device (its id), the sequence number of the newest blob of it applied.
    pub applied: BTreeMap<[u8; 32], u64>,
}

pub(crate) struct Reader<'a>(pub(crate) &'a [u8]);

impl<'a> Reader<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        if self.0.len() < n {
            return Err(WireError::Length);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], WireError> {
        Ok(self.take(N)?.try_into().expect("N bytes"))
    }

    pub(crate) fn u8(&mut self) -> Result<u8, WireError> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn count(&mut self, what: &'static str, limit: usize) -> Result<usize, WireError> {
        let count = usize::from(u16::from_be_bytes(self.array()?));
        if count > limit {
            return Err(WireError::TooMany { what, count, limit });
        }
        Ok(count)
    }

    pub(crate) fn end(&self) -> Result<(), WireError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(WireError::Length)
        }
    }
}

fn version(found: u8) -> Result<(), WireError> {
    if found == VERSION {
        Ok(())
    } else {
        Err(WireError::Version(found))
    }
}

pub(crate) fn count_u16(count: usize) -> [u8; 2] {
    u16::try_from(count)
        .expect("counts are bounded below u16::MAX before encoding")
        .to_be_bytes()
}

impl DeviceState {
    /// The state as bytes, to be sealed. Heads and acknowledgements past the bounds are left out
    /// (a reader would refuse them).
    pub fn encode(&self) -> Vec<u8> {
        let heads = &self.heads[..self.heads.len().min(MAX_STATE_HEADS)];
        let applied: Vec<_> = self.applied.iter().take(MAX_APPLIED).collect();
        let mut out = Vec::with_capacity(5 + heads.len() * 32 + applied.len() * 40);
        out.push(VERSION);
        out.extend_from_slice(&count_u16(heads.len()));
        for h in heads {
            out.extend_from_slice(h);
        }
        out.extend_from_slice(&count_u16(applied.len()));
        for (device, seq) in applied {
            out.extend_from_slice(device);
            out.extend_from_slice(&seq.to_be_bytes());
        }
        out
    }

    /// Reads a state a device wrote.
    pub fn decode(bytes: &[u8]) -> Result<DeviceState, WireError> {
        let mut r = Reader(bytes);
        version(r.u8()?)?;
        let heads = (0..r.count("heads", MAX_STATE_HEADS)?)
            .map(|_| r.array())
            .collect::<Result<_, _>>()?;
        let mut applied = BTreeMap::new();
        for _ in 0..r.count("acknowledged devices", MAX_APPLIED)? {
            let device = r.array()?;
            let seq = u64::from_be_bytes(r.array()?);
            applied.insert(device, seq);
        }
        r.end()?;
        Ok(DeviceState { heads, applied })
    }
}

/// One device's copy of an epoch's key, sealed to its exchange key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyEntry {
    /// The device's tag in the mailbox.
    pub tag: [u8; 8],
    /// The key sealed to it (`hearth_crypto::exchange::seal_key`).
    pub sealed: [u8; SEALED_KEY_LEN],
}

/// The newest epoch's key, sealed to each device of the journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeysFile {
    /// The epoch.
    pub epoch: u32,
    /// Each device's sealed copy.
    pub keys: Vec<KeyEntry>,
}

impl KeysFile {
    /// The file's bytes. Entries past [`MAX_KEY_ENTRIES`] are left out.
    pub fn encode(&self) -> Vec<u8> {
        let keys = &self.keys[..self.keys.len().min(MAX_KEY_ENTRIES)];
        let mut out = Vec::with_capacity(11 + keys.len() * (8 + SEALED_KEY_LEN));
        out.extend_from_slice(KEYS_MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&self.epoch.to_be_bytes());
        out.extend_from_slice(&count_u16(keys.len()));
        for k in keys {
            out.extend_from_slice(&k.tag);
            out.extend_from_slice(&k.sealed);
        }
        out
    }

    /// Reads a keys file.
    pub fn decode(bytes: &[u8]) -> Result<KeysFile, WireError> {
        let mut r = Reader(bytes);
        if r.take(4).map_err(|_| WireError::NotKeys)? != KEYS_MAGIC {
            return Err(WireError::NotKeys);
        }
        version(r.u8()?)?;
        let epoch = u32::from_be_bytes(r.array()?);
        let keys = (0..r.count("keys", MAX_KEY_ENTRIES)?)
            .map(|_| {
                Ok(KeyEntry {
                    tag: r.array()?,
                    sealed: r.array()?,
                })
            })
            .collect::<Result<_, WireError>>()?;
        r.end()?;
        Ok(KeysFile { epoch, keys })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_state_reads_back() {
        let state = DeviceState {
            heads: vec![[1; 32], [2; 32]],
            applied: [([3; 32], 7), ([4; 32], u64::MAX)].into(),
        };
        assert_eq!(DeviceState::decode(&state.encode()), Ok(state));
        let empty = DeviceState::default();
        assert_eq!(DeviceState::decode(&empty.encode()), Ok(empty));
    }

    #[test]
    fn a_state_that_claims_too_much_is_refused_before_allocating() {
        let mut bytes = vec![VERSION];
        bytes.extend_from_slice(&u16::MAX.to_be_bytes());
        assert_eq!(
            DeviceState::decode(&bytes),
            Err(WireError::TooMany {
                what: "heads",
                count: usize::from(u16::MAX),
                limit: MAX_STATE_HEADS
            })
        );
        let mut cut = DeviceState {
            heads: vec![[1; 32]],
            applied: BTreeMap::new(),
        }
        .encode();
        cut.pop();
        assert_eq!(DeviceState::decode(&cut), Err(WireError::Length));
        let mut long = DeviceState::default().encode();
        long.push(0);
        assert_eq!(DeviceState::decode(&long), Err(WireError::Length));
        assert_eq!(
            DeviceState::decode(&[2, 0, 0, 0, 0]),
            Err(WireError::Version(2))
        );
    }

    #[test]
    fn a_keys_file_reads_back_and_checks_its_form() {
        let keys = KeysFile {
            epoch: 4,
            keys: vec![
                KeyEntry {
                    tag: [1; 8],
                    sealed: [2; SEALED_KEY_LEN],
                },
                KeyEntry {
                    tag: [3; 8],
                    sealed: [4; SEALED_KEY_LEN],
                },
            ],
        };
        let bytes = keys.encode();
        assert_eq!(KeysFile::decode(&bytes), Ok(keys));
        assert_eq!(KeysFile::decode(b"HMB"), Err(WireError::NotKeys));
        assert_eq!(
            KeysFile::decode(&bytes[..bytes.len() - 1]),
            Err(WireError::Length)
        );
        let mut many = bytes[..9].to_vec();
        many.extend_from_slice(&300u16.to_be_bytes());
        assert!(matches!(
            KeysFile::decode(&many),
            Err(WireError::TooMany { count: 300, .. })
        ));
    }

    proptest! {
        #[test]
        fn decoding_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = DeviceState::decode(&bytes);
            let _ = KeysFile::decode(&bytes);
        }

        #[test]
        fn any_state_reads_back(
            heads in proptest::collection::vec(any::<[u8; 32]>(), 0..20),
            applied in proptest::collection::btree_map(any::<[u8; 32]>(), any::<u64>(), 0..20),
        ) {
            let state = DeviceState { heads, applied };
            prop_assert_eq!(DeviceState::decode(&state.encode()), Ok(state));
        }
    }
}
