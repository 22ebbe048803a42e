//! The names of the files in a journal's mailbox: `TAG/state`, `TAG/keys` and `TAG/SEQ.blob`, where
//! TAG is a device's opaque tag in hex (16 digits) and SEQ a sequence number in hex (16 digits).

/// A device's tag in hex, as its files are named.
pub fn tag_hex(tag: &[u8; 8]) -> String {
    data_encoding::HEXLOWER.encode(tag)
}

/// The name of a device's state file.
pub fn state_name(tag: &[u8; 8]) -> String {
    format!("{}/state", tag_hex(tag))
}

/// The name of a device's keys file.
pub fn keys_name(tag: &[u8; 8]) -> String {
    format!("{}/keys", tag_hex(tag))
}

/// The name of a device's blob number `seq`.
pub fn blob_name(tag: &[u8; 8], seq: u64) -> String {
    format!("{}/{seq:016x}.blob", tag_hex(tag))
}

/// What a name in a mailbox is, read back; `None` for anything Hearth does not write there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileName {
    /// A device's state.
    State([u8; 8]),
    /// A device's keys.
    Keys([u8; 8]),
    /// A device's blob and its sequence number.
    Blob([u8; 8], u64),
}

impl FileName {
    /// Reads a name as [`state_name`], [`keys_name`] and [`blob_name`] write it.
    pub fn parse(name: &str) -> Option<FileName> {
        let (tag, file) = name.split_once('/')?;
        let tag = parse_tag(tag)?;
        match file {
            "state" => Some(FileName::State(tag)),
            "keys" => Some(FileName::Keys(tag)),
            _ => {
                let seq = file.strip_suffix(".blob")?;
                // Lower-case hex only, as `blob_name` writes it: one file, one name.
                if seq.len() != 16 || !seq.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
                    return None;
                }
                Some(FileName::Blob(tag, u64::from_str_radix(seq, 16).ok()?))
            }
        }
    }

    /// The device tag the file belongs to.
    pub fn tag(&self) -> [u8; 8] {
        match self {
            FileName::State(t) | FileName::Keys(t) | FileName::Blob(t, _) => *t,
        }
    }
}

fn parse_tag(hex: &str) -> Option<[u8; 8]> {
    if hex.len() != 16 || hex.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    data_encoding::HEXLOWER
        .decode(hex.as_bytes())
        .ok()?
        .try_into()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_as_written() {
        let tag = [1, 2, 3, 4, 5, 6, 7, 0xff];
        assert_eq!(
            FileName::parse(&state_name(&tag)),
            Some(FileName::State(tag))
        );
        assert_eq!(FileName::parse(&keys_name(&tag)), Some(FileName::Keys(tag)));
        for seq in [0, 1, u64::MAX] {
            assert_eq!(
                FileName::parse(&blob_name(&tag, seq)),
                Some(FileName::Blob(tag, seq))
            );
        }
    }

    #[test]
    fn anything_else_is_not_ours() {
        for name in [
            "",
            "state",
            "0102030405060708",
            "0102030405060708/",
            "0102030405060708/other",
            "0102030405060708/12.blob",
            "0102030405060708/000000000000000g.blob",
            "0102030405060708/+00000000000000f.blob",
            "010203040506070/state",
            "0102030405060708A/state",
            "0102030405060708/0000000000000001.blob.tmp",
            "01020304050607FF/state",
            "0102030405060708/000000000000000F.blob",
        ] {
            assert_eq!(FileName::parse(name), None, "{name:?}");
        }
    }
}
