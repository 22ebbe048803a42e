//! The pairing invitation ("ticket"): how to reach the inviter, the one-time secret, the expiry.
//!
//! A ticket travels as compact text that a person can copy or type ([`Ticket::to_text`],
//! [`Ticket::from_text`]) and as bytes for a QR code ([`Ticket::to_bytes`],
//! [`Ticket::from_bytes`]). Both forms are described in docs/protocol.md.

mod binary;
mod error;
mod mailbox;
mod text;

use std::net::SocketAddr;

pub use error::{TicketBuildError, TicketDecodeError};
pub use mailbox::{
    MAILBOX_TICKET_PREFIX, MAILBOX_TICKET_VERSION, MailboxTicket, MailboxTicketError, SetupSecret,
};

use crate::InvitationSecret;

/// How long an invitation is valid: 10 minutes.
pub const INVITATION_LIFETIME_MS: u64 = 10 * 60 * 1000;

/// The format version of a ticket, the first byte of its binary form.
pub const TICKET_VERSION: u8 = 1;

/// The prefix of every ticket's text form.
pub const TICKET_PREFIX: &str = "hearth1";

/// The longest relay URL a ticket carries, in bytes.
pub const MAX_RELAY_URL_LEN: usize = 255;

/// The most direct addresses a ticket carries.
pub const MAX_DIRECT_ADDRS: usize = 16;

/// An invitation to pair with the device that made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    endpoint_id: [u8; 32],
    relay_url: Option<String>,
    direct_addrs: Vec<SocketAddr>,
    secret: InvitationSecret,
    expires_at_ms: u64,
}

impl Ticket {
    /// An invitation from the device `endpoint_id`, reachable through `relay_url` and
    /// `direct_addrs`, valid for [`INVITATION_LIFETIME_MS`] from `now_ms`.
    pub fn new(
        endpoint_id: [u8; 32],
        relay_url: Option<String>,
        direct_addrs: Vec<SocketAddr>,
        secret: InvitationSecret,
        now_ms: u64,
    ) -> Result<Self, TicketBuildError> {
        Self::with_expiry(
            endpoint_id,
            relay_url,
            direct_addrs,
            secret,
            now_ms.saturating_add(INVITATION_LIFETIME_MS),
        )
    }

    /// Like [`Ticket::new`], with the expiry given directly (unix milliseconds).
    pub fn with_expiry(
        endpoint_id: [u8; 32],
        relay_url: Option<String>,
        direct_addrs: Vec<SocketAddr>,
        secret: InvitationSecret,
        expires_at_ms: u64,
    ) -> Result<Self, TicketBuildError> {
        check_reach(relay_url.as_deref(), &direct_addrs)?;
        Ok(Self {
            endpoint_id,
            relay_url,
            direct_addrs,
            secret,
            expires_at_ms,
        })
    }

    /// The inviting device's identity (its Ed25519 public key).
    pub fn endpoint_id(&self) -> &[u8; 32] {
        &self.endpoint_id
    }

    /// The relay the inviting device is reachable through, if any.
    pub fn relay_url(&self) -> Option<&str> {
        self.relay_url.as_deref()
    }

    /// Addresses the inviting device listens on directly.
    pub fn direct_addrs(&self) -> &[SocketAddr] {
        &self.direct_addrs
    }

    /// The one-time invitation secret.
    pub fn secret(&self) -> &InvitationSecret {
        &self.secret
    }

    /// When the invitation stops being valid (unix milliseconds).
    pub fn expires_at_ms(&self) -> u64 {
        self.expires_at_ms
    }

    /// Whether the invitation has expired at `now_ms`.
    pub fn is_expired(&self, now_ms: u64) -> bool {
        now_ms >= self.expires_at_ms
    }

    /// Fails with [`TicketDecodeError::Expired`] if the invitation has expired at `now_ms`.
    pub(crate) fn ensure_fresh(self, now_ms: u64) -> Result<Self, TicketDecodeError> {
        if self.is_expired(now_ms) {
            return Err(TicketDecodeError::Expired {
                expired_at_ms: self.expires_at_ms,
                now_ms,
            });
        }
        Ok(self)
    }
}

/// The bounds every ticket keeps on where it says its device can be reached, so that what is built
/// can always be decoded again.
fn check_reach(
    relay_url: Option<&str>,
    direct_addrs: &[SocketAddr],
) -> Result<(), TicketBuildError> {
    if let Some(url) = relay_url
        && url.len() > MAX_RELAY_URL_LEN
    {
        return Err(TicketBuildError::RelayUrlTooLong { len: url.len() });
    }
    if direct_addrs.len() > MAX_DIRECT_ADDRS {
        return Err(TicketBuildError::TooManyAddresses {
            count: direct_addrs.len(),
        });
    }
    Ok(())
}
