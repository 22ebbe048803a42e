//! A mailbox server's ticket: how to reach the server and the secret that lets a journal start
//! using it (docs/protocol.md, "Mailbox server").
//!
//! ```text
//! binary = version (1) | server endpoint id (32) | setup secret (16)
//!          | relay URL length (1) | relay URL | address count (1) | addresses
//! text   = "hearthbox1" | base32(binary | checksum (4))
//! ```
//!
//! Addresses are written as in a pairing ticket. Unlike an invitation, a mailbox ticket does not
//! expire: the server's operator hands it out to the couples it serves.

use std::fmt;
use std::net::SocketAddr;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::binary::{Reader, put_reach, read_reach};
use super::text::{self, TextError};
use super::{TicketBuildError, TicketDecodeError};

/// The prefix of a mailbox ticket's text form.
pub const MAILBOX_TICKET_PREFIX: &str = "hearthbox1";
/// The format version of a mailbox ticket.
pub const MAILBOX_TICKET_VERSION: u8 = 1;
const CHECKSUM_DOMAIN: &[u8] = b"hearthbox1 ticket checksum";
/// Bytes a mailbox ticket with no relay and no addresses takes.
const MIN_LEN: usize = 1 + 32 + 16 + 1 + 1;

/// The secret a mailbox server's ticket carries: whoever holds it may start keeping a journal's
/// files there. Wiped on drop, redacted in `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct SetupSecret([u8; 16]);

impl SetupSecret {
    /// Wraps 16 fresh random bytes.
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The secret's bytes.
    pub fn expose(&self) -> &[u8; 16] {
        &self.0
    }

    /// Compares in constant time.
    pub fn matches(&self, other: &[u8; 16]) -> bool {
        use subtle::ConstantTimeEq as _;
        self.0.ct_eq(other).into()
    }
}

impl fmt::Debug for SetupSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SetupSecret(..)")
    }
}

/// Why text is not a mailbox server's ticket.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum MailboxTicketError {
    /// It does not start with `hearthbox1`.
    #[error("not a Hearth mailbox ticket (it should start with \"{MAILBOX_TICKET_PREFIX}\")")]
    MissingPrefix,
    /// A character that cannot appear in a ticket, or a mistyped one (the checksum failed).
    #[error("the mailbox ticket has a typo")]
    Typo,
    /// Characters are missing.
    #[error("the mailbox ticket is incomplete")]
    Truncated,
    /// Written by a newer Hearth.
    #[error(
        "the mailbox ticket uses format version {0}, which this version of Hearth does not understand"
    )]
    UnsupportedVersion(u8),
    /// The bytes do not read as a ticket.
    #[error("the mailbox ticket is malformed: {0}")]
    Malformed(TicketDecodeError),
}

impl From<TextError> for MailboxTicketError {
    fn from(e: TextError) -> Self {
        match e {
            TextError::MissingPrefix => MailboxTicketError::MissingPrefix,
            TextError::InvalidCharacter(_) | TextError::BadChecksum => MailboxTicketError::Typo,
            TextError::Truncated => MailboxTicketError::Truncated,
        }
    }
}

impl From<TicketDecodeError> for MailboxTicketError {
    fn from(e: TicketDecodeError) -> Self {
        match e {
            TicketDecodeError::Truncated => MailboxTicketError::Truncated,
            other => MailboxTicketError::Malformed(other),
        }
    }
}

/// How to reach a mailbox server, and the secret that lets a journal start using it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailboxTicket {
    endpoint_id: [u8; 32],
    setup: SetupSecret,
    relay_url: Option<String>,
    direct_addrs: Vec<SocketAddr>,
}

impl MailboxTicket {
    /// The ticket of the server `endpoint_id`, reachable through `relay_url` and `direct_addrs`.
    pub fn new(
        endpoint_id: [u8; 32],
        setup: SetupSecret,
        relay_url: Option<String>,
        direct_addrs: Vec<SocketAddr>,
    ) -> Result<Self, TicketBuildError> {
        super::check_reach(relay_url.as_deref(), &direct_addrs)?;
        Ok(MailboxTicket {
            endpoint_id,
            setup,
            relay_url,
            direct_addrs,
        })
    }

    /// The server's identity.
    pub fn endpoint_id(&self) -> &[u8; 32] {
        &self.endpoint_id
    }

    /// The secret that lets a journal start using the server.
    pub fn setup(&self) -> &SetupSecret {
        &self.setup
    }

    /// The relay the server is reachable through, if any.
    pub fn relay_url(&self) -> Option<&str> {
        self.relay_url.as_deref()
    }

    /// Addresses the server listens on directly.
    pub fn direct_addrs(&self) -> &[SocketAddr] {
        &self.direct_addrs
    }

    /// The binary form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(MIN_LEN + 64);
        out.push(MAILBOX_TICKET_VERSION);
        out.extend_from_slice(&self.endpoint_id);
        out.extend_from_slice(self.setup.expose());
        put_reach(&mut out, self.relay_url.as_deref(), &self.direct_addrs);
        out
    }

    /// Reads the binary form.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, MailboxTicketError> {
        let mut r = Reader(bytes);
        let version = r.u8()?;
        if version != MAILBOX_TICKET_VERSION {
            return Err(MailboxTicketError::UnsupportedVersion(version));
        }
        let endpoint_id = r.array::<32>()?;
        let setup = SetupSecret::from_bytes(r.array::<16>()?);
        let (relay_url, direct_addrs) = read_reach(&mut r)?;
        if !r.0.is_empty() {
            return Err(MailboxTicketError::Malformed(
                TicketDecodeError::TrailingBytes { count: r.0.len() },
            ));
        }
        Ok(MailboxTicket {
            endpoint_id,
            setup,
            relay_url,
            direct_addrs,
        })
    }

    /// The text form, without separators. It holds the setup secret: give it only to those the
    /// server is meant to serve.
    pub fn to_text(&self) -> String {
        text::encode(MAILBOX_TICKET_PREFIX, CHECKSUM_DOMAIN, &self.to_bytes())
    }

    /// Reads the text form (in any case, with or without spaces and dashes).
    pub fn from_text(text: &str) -> Result<Self, MailboxTicketError> {
        let payload = text::decode(MAILBOX_TICKET_PREFIX, CHECKSUM_DOMAIN, text, MIN_LEN, |p| {
            matches!(Self::from_bytes(p), Err(MailboxTicketError::Truncated))
        })?;
        Self::from_bytes(&payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket() -> MailboxTicket {
        MailboxTicket::new(
            [7; 32],
            SetupSecret::from_bytes([9; 16]),
            Some("https://relay.example.org./".into()),
            vec![
                "192.0.2.1:4433".parse().unwrap(),
                "[2001:db8::1]:7".parse().unwrap(),
            ],
        )
        .unwrap()
    }

    #[test]
    fn text_reads_back() {
        let t = ticket();
        let text = t.to_text();
        assert!(text.starts_with(MAILBOX_TICKET_PREFIX));
        assert_eq!(MailboxTicket::from_text(&text).unwrap(), t);
        assert_eq!(
            MailboxTicket::from_text(&format!("  {}  ", text.to_uppercase())).unwrap(),
            t
        );
    }

    #[test]
    fn a_pairing_code_or_a_typo_is_refused_in_words_of_its_own() {
        let text = ticket().to_text();
        assert_eq!(
            MailboxTicket::from_text("hearth1abcdefgh"),
            Err(MailboxTicketError::MissingPrefix)
        );
        let mut typo = text.clone().into_bytes();
        let at = MAILBOX_TICKET_PREFIX.len() + 5;
        typo[at] = if typo[at] == b'a' { b'b' } else { b'a' };
        assert_eq!(
            MailboxTicket::from_text(std::str::from_utf8(&typo).unwrap()),
            Err(MailboxTicketError::Typo)
        );
        assert_eq!(
            MailboxTicket::from_text(&text[..text.len() - 12]),
            Err(MailboxTicketError::Truncated)
        );
        let mut newer = ticket().to_bytes();
        newer[0] = 2;
        assert_eq!(
            MailboxTicket::from_bytes(&newer),
            Err(MailboxTicketError::UnsupportedVersion(2))
        );
    }

    #[test]
    fn the_secret_stays_out_of_debug_output() {
        assert!(!format!("{:?}", ticket()).contains("9, 9"));
    }
}
