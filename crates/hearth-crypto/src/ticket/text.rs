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

fn checksum(domain: &[u8], payload: &[u8]) -> [u8; CHECKSUM_LEN] {
    let digest = Sha256::new()
        .chain_update(domain)
        .chain_update(payload)
        .finalize();
    let mut out = [0u8; CHECKSUM_LEN];
    out.copy_from_slice(&digest[..CHECKSUM_LEN]);
    out
}

/// Lowercases, drops separators and reads look-alike characters as the digits they resemble.
fn normalise(text: &str) -> Result<String, TextError> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c.to_ascii_lowercase() {
            ' ' | '-' | '\t' | '\n' | '\r' => {}
            'i' | 'l' => out.push('1'),
            'o' => out.push('0'),
            lower if lower.is_ascii_alphanumeric() => out.push(lower),
            _ => return Err(TextError::InvalidCharacter(c)),
        }
    }
    Ok(out)
}

/// Why text is not a code of the kind asked for; each kind of ticket says it in its own words.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum TextError {
    /// It does not start with the kind's prefix.
    MissingPrefix,
    /// A character that cannot appear in a code.
    InvalidCharacter(char),
    /// Characters are missing.
    Truncated,
    /// The checksum does not match: mistyped.
    BadChecksum,
}

/// Writes `payload` as a code: `prefix`, then the payload and its checksum (under `domain`) in
/// base32, without separators.
pub(super) fn encode(prefix: &str, domain: &[u8], payload: &[u8]) -> String {
    let mut body = payload.to_vec();
    body.extend_from_slice(&checksum(domain, payload));
    format!("{prefix}{}", BASE32.encode(&body))
}

/// Groups a code's body in fives after its prefix, for reading aloud or typing.
pub(super) fn grouped(prefix: &str, code: &str) -> String {
    let body = code.strip_prefix(prefix).unwrap_or(code);
    let groups: Vec<&str> = body
        .as_bytes()
        .chunks(GROUP)
        .map(|chunk| std::str::from_utf8(chunk).expect("base32 output is ASCII"))
        .collect();
    format!("{prefix}-{}", groups.join("-"))
}

/// Reads a code written by [`encode`] with the same prefix and domain, forgivingly (any case,
/// separators, look-alike characters), and returns its payload. `min_len` is the shortest
/// payload of the kind; `cut_short` says whether a payload whose checksum failed reads as one
/// that ends early (then the code was cut short rather than mistyped).
pub(super) fn decode(
    prefix: &str,
    domain: &[u8],
    text: &str,
    min_len: usize,
    cut_short: impl Fn(&[u8]) -> bool,
) -> Result<Vec<u8>, TextError> {
    let normal = normalise(text)?;
    // A prefix is read as forgivingly as the rest ("hearthbox1" reads as "hearthb0x1").
    let prefix = normalise(prefix).expect("prefixes are ASCII letters and digits");
    let body = normal
        .strip_prefix(&prefix)
        .ok_or(TextError::MissingPrefix)?;
    if let Some(bad) = body.chars().find(|c| !ALPHABET.contains(*c)) {
        return Err(TextError::InvalidCharacter(bad));
    }
    let decoded = BASE32_LENIENT
        .decode(body.as_bytes())
        .map_err(|e| match e.kind {
            DecodeKind::Symbol => {
                TextError::InvalidCharacter(char::from(body.as_bytes()[e.position]))
            }
            DecodeKind::Length | DecodeKind::Padding | DecodeKind::Trailing => TextError::Truncated,
        })?;
    if decoded.len() < min_len + CHECKSUM_LEN {
        return Err(TextError::Truncated);
    }
    let (payload, sum) = decoded.split_at(decoded.len() - CHECKSUM_LEN);
    if sum != checksum(domain, payload) {
        // A code cut short reads its last bytes as the checksum; say so rather than "typo".
        return Err(if cut_short(payload) {
            TextError::Truncated
        } else {
            TextError::BadChecksum
        });
    }
    // A typo confined to the last character's unused bits.
    if BASE32.decode(body.as_bytes()).is_err() {
        return Err(TextError::BadChecksum);
    }
    Ok(payload.to_vec())
}

impl From<TextError> for TicketDecodeError {
    fn from(e: TextError) -> Self {
        match e {
            TextError::MissingPrefix => TicketDecodeError::MissingPrefix,
            TextError::InvalidCharacter(character) => {
                TicketDecodeError::InvalidCharacter { character }
            }
            TextError::Truncated => TicketDecodeError::Truncated,
            TextError::BadChecksum => TicketDecodeError::BadChecksum,
        }
    }
}

impl Ticket {
    /// The text form, without separators. It holds the secret: show it only to the person invited.
    pub fn to_text(&self) -> String {
        encode(TICKET_PREFIX, CHECKSUM_DOMAIN, &self.to_bytes())
    }

    /// The text form in groups of five characters separated by dashes, for reading aloud or
    /// typing. [`Ticket::from_text`] accepts it as it is.
    pub fn to_grouped_text(&self) -> String {
        grouped(TICKET_PREFIX, &self.to_text())
    }

    /// Reads the text form (in any case, with or without spaces and dashes) and checks that the
    /// invitation has not expired at `now_ms`.
    pub fn from_text(text: &str, now_ms: u64) -> Result<Self, TicketDecodeError> {
        let payload = decode(TICKET_PREFIX, CHECKSUM_DOMAIN, text, MIN_LEN, |p| {
            matches!(binary::decode(p), Err(TicketDecodeError::Truncated))
        })?;
        binary::decode(&payload)?.ensure_fresh(now_ms)
    }
}
