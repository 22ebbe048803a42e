//! Identifiers: of the journal, its members, their devices, entries and comments.

use std::fmt;
use std::str::FromStr;

use data_encoding::BASE32HEX_NOPAD;

use crate::UnixMs;

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// The identifier has the wrong number of characters.
    #[error("an id has {expected} characters, this one has {found}")]
    Length {
        /// How many characters the id should have.
        expected: usize,
        /// How many it has.
        found: usize,
    },
    /// The identifier has a character outside its alphabet.
    #[error("an id uses only digits and the letters a to v")]
    Alphabet,
}

macro_rules! opaque_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an identifier read from a document or typed by a person.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

opaque_id!(
    /// The journal's identity, shared by every replica of it.
    JournalId
);
opaque_id!(
    /// A person in the journal, stable across their devices and name changes.
    MemberId
);
opaque_id!(
    /// The device an entry, comment or edit was written on, as the journal records it: the text
    /// form of the device's network identity (lowercase hex of its iroh endpoint id).
    DeviceRef
);

impl JournalId {
    /// A fresh journal id from 16 random bytes.
    pub fn from_random(random: [u8; 16]) -> Self {
        Self(lower(&BASE32HEX_NOPAD.encode(&random)))
    }
}

impl MemberId {
    /// A fresh member id from 10 random bytes.
    pub fn from_random(random: [u8; 10]) -> Self {
        Self(lower(&BASE32HEX_NOPAD.encode(&random)))
    }
}

/// Number of characters of an [`EntryId`].
const ENTRY_ID_LEN: usize = 24;
/// Milliseconds fit in the first six bytes until the year 10889.
const TIME_BYTES: usize = 6;

/// A time-sortable identifier of an entry or a comment.
///
/// Six bytes of creation time (UTC milliseconds) followed by nine random bytes, written in
/// lowercase base32hex, which keeps byte order: sorting ids sorts by creation time.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EntryId(String);

impl EntryId {
    /// A new id for something created at `created_ms`, made unique by `random`.
    ///
    /// Times before 1970 are written as 1970: a device whose clock is that wrong still gets a
    /// valid, unique id.
    pub fn new(created_ms: UnixMs, random: [u8; 9]) -> Self {
        let ms = created_ms.as_unsigned_millis().min((1 << 48) - 1);
        let mut bytes = [0u8; TIME_BYTES + 9];
        bytes[..TIME_BYTES].copy_from_slice(&ms.to_be_bytes()[8 - TIME_BYTES..]);
        bytes[TIME_BYTES..].copy_from_slice(&random);
        Self(lower(&BASE32HEX_NOPAD.encode(&bytes)))
    }

    /// The creation time written into the id.
    pub fn created_ms(&self) -> UnixMs {
        let bytes = BASE32HEX_NOPAD
            .decode(self.0.to_ascii_uppercase().as_bytes())
            .unwrap_or_default();
        let mut ms = [0u8; 8];
        if bytes.len() >= TIME_BYTES {
            ms[8 - TIME_BYTES..].copy_from_slice(&bytes[..TIME_BYTES]);
        }
        UnixMs::from_millis(i64::from_be_bytes(ms))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for EntryId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.len() != ENTRY_ID_LEN {
            return Err(IdError::Length {
                expected: ENTRY_ID_LEN,
                found: s.chars().count(),
            });
        }
        BASE32HEX_NOPAD
            .decode(s.to_ascii_uppercase().as_bytes())
            .map_err(|_| IdError::Alphabet)?;
        Ok(Self(s.to_ascii_lowercase()))
    }
}

impl TryFrom<String> for EntryId {
    type Error = IdError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<EntryId> for String {
    fn from(id: EntryId) -> String {
        id.0
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EntryId({})", self.0)
    }
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_ids_sort_by_creation_time() {
        let early = EntryId::new(UnixMs::from_millis(1_000), [0xff; 9]);
        let late = EntryId::new(UnixMs::from_millis(1_001), [0; 9]);
        assert!(early < late);
        assert_eq!(early.created_ms(), UnixMs::from_millis(1_000));
        assert_eq!(late.created_ms(), UnixMs::from_millis(1_001));
    }

    #[test]
    fn entry_id_round_trips_through_text() {
        let id = EntryId::new(UnixMs::from_millis(1_763_850_000_000), [7; 9]);
        assert_eq!(id.as_str().len(), ENTRY_ID_LEN);
        let parsed: EntryId = id.as_str().to_ascii_uppercase().parse().expect("valid id");
        assert_eq!(parsed, id);
    }

    #[test]
    fn times_before_1970_clamp_to_1970() {
        assert_eq!(
            EntryId::new(UnixMs::from_millis(-5), [1; 9]).created_ms(),
            UnixMs::EPOCH
        );
    }

    #[test]
    fn malformed_entry_ids_are_refused() {
        assert_eq!(
            "abc".parse::<EntryId>(),
            Err(IdError::Length {
                expected: ENTRY_ID_LEN,
                found: 3
            })
        );
        assert_eq!(
            "zzzzzzzzzzzzzzzzzzzzzzzz".parse::<EntryId>(),
            Err(IdError::Alphabet)
        );
    }

    #[test]
    fn random_ids_differ_by_their_random_bytes() {
        assert_ne!(
            JournalId::from_random([1; 16]),
            JournalId::from_random([2; 16])
        );
        assert_ne!(
            MemberId::from_random([1; 10]),
            MemberId::from_random([2; 10])
        );
    }
}
