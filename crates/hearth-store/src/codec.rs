//! The plaintext encoding of the structured records (device key, journal binding, paired device),
//! before they are sealed: a version byte, then fields in order. Integers are little-endian;
//! strings and lists are prefixed with their length as a `u32`.

use zeroize::Zeroizing;

/// The encoding version every structured record starts with.
pub(crate) const RECORD_VERSION: u8 = 1;

/// A structured record decrypted correctly but its contents could not be decoded. Since records
/// are authenticated, this means a record written by a newer or broken build, not a damaged file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecordDecodeError {
    /// The record ends before its last field.
    #[error("the record ends before its last field")]
    Truncated,
    /// The record has bytes after its last field.
    #[error("the record has {count} unexpected bytes after its last field")]
    TrailingBytes {
        /// How many bytes are left over.
        count: usize,
    },
    /// A text field is not UTF-8.
    #[error("a text field of the record is not valid UTF-8")]
    InvalidUtf8 {
        /// Where the text stops being UTF-8.
        #[source]
        source: std::str::Utf8Error,
    },
    /// The record uses an encoding this build does not know.
    #[error("the record has encoding version {found}; this build reads version {supported}")]
    UnknownVersion {
        /// The version byte found.
        found: u8,
        /// The version this build reads.
        supported: u8,
    },
}

/// Builds a record in a buffer that is wiped when dropped (records may hold keys).
pub(crate) struct Writer {
    buf: Zeroizing<Vec<u8>>,
}

impl Writer {
    pub(crate) fn new() -> Writer {
        let mut buf = Zeroizing::new(Vec::with_capacity(128));
        buf.push(RECORD_VERSION);
        Writer { buf }
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(bytes);
        self
    }

    pub(crate) fn u64(&mut self, value: u64) -> &mut Self {
        self.bytes(&value.to_le_bytes())
    }

    pub(crate) fn str(&mut self, value: &str) -> &mut Self {
        self.len(value.len()).bytes(value.as_bytes())
    }

    pub(crate) fn strs(&mut self, values: &[String]) -> &mut Self {
        self.len(values.len());
        for value in values {
            self.str(value);
        }
        self
    }

    fn len(&mut self, len: usize) -> &mut Self {
        // A record field longer than 4 GiB cannot be stored anyway (redb caps values at 3 GiB);
        // saturating keeps this total, and such a record fails to decode rather than misdecoding.
        let len = u32::try_from(len).unwrap_or(u32::MAX);
        self.bytes(&len.to_le_bytes())
    }

    pub(crate) fn finish(self) -> Zeroizing<Vec<u8>> {
        self.buf
    }
}

/// Reads a record written by [`Writer`].
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Starts reading, checking the version byte.
    pub(crate) fn new(record: &'a [u8]) -> Result<Reader<'a>, RecordDecodeError> {
        let (&version, rest) = record.split_first().ok_or(RecordDecodeError::Truncated)?;
        if version != RECORD_VERSION {
            return Err(RecordDecodeError::UnknownVersion {
                found: version,
                supported: RECORD_VERSION,
            });
        }
        Ok(Reader { rest })
    }

    pub(crate) fn bytes(&mut self, len: usize) -> Result<&'a [u8], RecordDecodeError> {
        if self.rest.len() < len {
            return Err(RecordDecodeError::Truncated);
        }
        let (head, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(head)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], RecordDecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.bytes(N)?);
        Ok(out)
    }

    pub(crate) fn u64(&mut self) -> Result<u64, RecordDecodeError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn len(&mut self) -> Result<usize, RecordDecodeError> {
        let len = u32::from_le_bytes(self.array()?);
        usize::try_from(len).map_err(|_| RecordDecodeError::Truncated)
    }

    pub(crate) fn str(&mut self) -> Result<String, RecordDecodeError> {
        let len = self.len()?;
        let bytes = self.bytes(len)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|source| RecordDecodeError::InvalidUtf8 { source })
    }

    pub(crate) fn strs(&mut self) -> Result<Vec<String>, RecordDecodeError> {
        let count = self.len()?;
        // No preallocation from the count: each string takes at least four bytes, and reading
        // stops at the first one missing, so a bogus count cannot make us allocate.
        let mut out = Vec::new();
        for _ in 0..count {
            out.push(self.str()?);
        }
        Ok(out)
    }

    /// Ends reading; the record must have been consumed exactly.
    pub(crate) fn finish(self) -> Result<(), RecordDecodeError> {
        match self.rest.len() {
            0 => Ok(()),
            count => Err(RecordDecodeError::TrailingBytes { count }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let mut writer = Writer::new();
        writer
            .bytes(&[7; 3])
            .u64(42)
            .str("héllo")
            .strs(&["a".into(), String::new()]);
        let record = writer.finish();
        let mut reader = Reader::new(&record).expect("version byte is current");
        assert_eq!(reader.array::<3>().expect("three bytes"), [7; 3]);
        assert_eq!(reader.u64().expect("u64"), 42);
        assert_eq!(reader.str().expect("str"), "héllo");
        assert_eq!(
            reader.strs().expect("strs"),
            vec!["a".to_owned(), String::new()]
        );
        reader.finish().expect("nothing left");
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let mut writer = Writer::new();
        writer.str("member").strs(&["x".into(), "yz".into()]).u64(9);
        let record = writer.finish();
        for len in 0..record.len() {
            let decoded = Reader::new(&record[..len]).and_then(|mut r| {
                r.str()?;
                r.strs()?;
                r.u64()?;
                r.finish()
            });
            assert!(decoded.is_err(), "a record cut to {len} bytes decoded");
        }
    }

    #[test]
    fn unknown_version_and_trailing_bytes_are_reported() {
        assert!(matches!(
            Reader::new(&[9, 0]),
            Err(RecordDecodeError::UnknownVersion { found: 9, .. })
        ));
        let reader = Reader::new(&[RECORD_VERSION, 1, 2]).expect("version byte is current");
        assert!(matches!(
            reader.finish(),
            Err(RecordDecodeError::TrailingBytes { count: 2 })
        ));
    }

    #[test]
    fn invalid_utf8_is_reported() {
        let record = [RECORD_VERSION, 1, 0, 0, 0, 0xff];
        let mut reader = Reader::new(&record).expect("version byte is current");
        assert!(matches!(
            reader.str(),
            Err(RecordDecodeError::InvalidUtf8 { .. })
        ));
    }
}
