//! The text form of a ticket: `hearth1` followed by the binary form and a 4-byte checksum in
//! lowercase base32 with the alphabet `0123456789abcdefghjkmnpqrstvwxyz` (no `i`, `l`, `o`, `u`,
//! which are easily confused).
//!
//! Reading is forgiving: case is ignored, spaces and dashes are skipped, and `i`/`l` are read as
//! `1`, `o` as `0`. The checksum catches a mistyped code before any network traffic.

use std::sync::LazyLock;

use data_encoding::{DecodeKind, Encoding, Specification};
use sha2::{Digest, Sha256};

use super::binary::{self, MIN_LEN};
use super::{TICKET_PREFIX, Ticket, TicketDecodeError};

const ALPHABET: &str = "0123456789abcdefghjkmnpqrstvwxyz";
const CHECKSUM_LEN: usize = 4;
const CHECKSUM_DOMAIN: &[u8] = b"hearth1 ticket checksum";
/// Characters per group in [`Ticket::to_grouped_text`].
const GROUP: usize = 5;

/// Writes and strictly reads codes: the unused low bits of the last character must be zero.
static BASE32: LazyLock<Encoding> = LazyLock::new(|| base32(true));

/// Reads codes whatever the unused low bits, to tell a code cut short from a mistyped one.
static BASE32_LENIENT: LazyLock<Encoding> = LazyLock::new(|| base32(false));

fn base32(check_trailing_bits: bool) -> Encoding {
    let mut spec = Specification::new();
    spec.symbols.push_str(ALPHABET);
    spec.check_trailing_bits = check_trailing_bits;
    spec.encoding()
        .expect("32 distinct ASCII symbols without padding form a valid base32 specification")
}

fn checksum(payload: &[u8]) -> [u8; CHECKSUM_LEN] {
    let digest = Sha256::new()
        .chain_update(CHECKSUM_DOMAIN)
        .chain_update(payload)
        .finalize();
    let mut out = [0u8; CHECKSUM_LEN];
    out.copy_from_slice(&digest[..CHECKSUM_LEN]);
    out
}

/// Lowercases, drops separators and reads look-alike characters as the digits they resemble.
fn normalise(text: &str) -> Result<String, TicketDecodeError> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c.to_ascii_lowercase() {
            ' ' | '-' | '\t' | '\n' | '\r' => {}
            'i' | 'l' => out.push('1'),
            'o' => out.push('0'),
            lower if lower.is_ascii_alphanumeric() => out.push(lower),
            _ => return Err(TicketDecodeError::InvalidCharacter { character: c }),
        }
    }
    Ok(out)
}

impl Ticket {
    /// The text form, without separators. It holds the secret: show it only to the person invited.
    pub fn to_text(&self) -> String {
        let mut payload = self.to_bytes();
        let sum = checksum(&payload);
        payload.extend_from_slice(&sum);
        format!("{TICKET_PREFIX}{}", BASE32.encode(&payload))
    }

    /// The text form in groups of five characters separated by dashes, for reading aloud or
    /// typing. [`Ticket::from_text`] accepts it as it is.
    pub fn to_grouped_text(&self) -> String {
        let body = self.to_text().split_off(TICKET_PREFIX.len());
        let groups: Vec<&str> = body
            .as_bytes()
            .chunks(GROUP)
            .map(|chunk| std::str::from_utf8(chunk).expect("base32 output is ASCII"))
            .collect();
        format!("{TICKET_PREFIX}-{}", groups.join("-"))
    }

    /// Reads the text form (in any case, with or without spaces and dashes) and checks that the
    /// invitation has not expired at `now_ms`.
    pub fn from_text(text: &str, now_ms: u64) -> Result<Self, TicketDecodeError> {
        let normal = normalise(text)?;
        let body = normal
            .strip_prefix(TICKET_PREFIX)
            .ok_or(TicketDecodeError::MissingPrefix)?;
        if let Some(bad) = body.chars().find(|c| !ALPHABET.contains(*c)) {
            return Err(TicketDecodeError::InvalidCharacter { character: bad });
        }
        let decoded = BASE32_LENIENT
            .decode(body.as_bytes())
            .map_err(|e| match e.kind {
                DecodeKind::Symbol => TicketDecodeError::InvalidCharacter {
                    character: char::from(body.as_bytes()[e.position]),
                },
                DecodeKind::Length | DecodeKind::Padding | DecodeKind::Trailing => {
                    TicketDecodeError::Truncated
                }
            })?;
        if decoded.len() < MIN_LEN + CHECKSUM_LEN {
            return Err(TicketDecodeError::Truncated);
        }
        let (payload, sum) = decoded.split_at(decoded.len() - CHECKSUM_LEN);
        if sum != checksum(payload) {
            // A code cut short reads its last bytes as the checksum; say so rather than "typo".
            return Err(match binary::decode(payload) {
                Err(TicketDecodeError::Truncated) => TicketDecodeError::Truncated,
                _ => TicketDecodeError::BadChecksum,
            });
        }
        // A typo confined to the last character's unused bits.
        if BASE32.decode(body.as_bytes()).is_err() {
            return Err(TicketDecodeError::BadChecksum);
        }
        binary::decode(payload)?.ensure_fresh(now_ms)
    }
}
