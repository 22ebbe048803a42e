//! The binary form of a ticket (the QR code's content).
//!
//! `version (1) || endpoint id (32) || secret (16) || expiry ms (u64 BE) || relay URL length (1)
//! || relay URL (UTF-8) || address count (1) || addresses`, each address being `4 || IPv4 (4) ||
//! port (u16 BE)` or `6 || IPv6 (16) || port (u16 BE)`. A relay URL length of 0 means none.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::{MAX_DIRECT_ADDRS, TICKET_VERSION, Ticket, TicketDecodeError};
use crate::InvitationSecret;

/// Bytes a ticket with no relay and no addresses takes.
pub(super) const MIN_LEN: usize = 1 + 32 + 16 + 8 + 1 + 1;

/// Reads fields off the front of a byte slice, failing with `Truncated` at the end.
pub(super) struct Reader<'a>(pub(super) &'a [u8]);

impl<'a> Reader<'a> {
    pub(super) fn take(&mut self, n: usize) -> Result<&'a [u8], TicketDecodeError> {
        if self.0.len() < n {
            return Err(TicketDecodeError::Truncated);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    pub(super) fn array<const N: usize>(&mut self) -> Result<[u8; N], TicketDecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(super) fn u8(&mut self) -> Result<u8, TicketDecodeError> {
        Ok(self.array::<1>()?[0])
    }
}

impl Ticket {
    /// The binary form, for a QR code. It holds the secret: show it only to the person invited.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(MIN_LEN + 64);
        out.push(TICKET_VERSION);
        out.extend_from_slice(&self.endpoint_id);
        out.extend_from_slice(self.secret.expose());
        out.extend_from_slice(&self.expires_at_ms.to_be_bytes());
        put_reach(&mut out, self.relay_url.as_deref(), &self.direct_addrs);
        out
    }

    /// Decodes the binary form and checks that the invitation has not expired at `now_ms`.
    pub fn from_bytes(bytes: &[u8], now_ms: u64) -> Result<Self, TicketDecodeError> {
        decode(bytes)?.ensure_fresh(now_ms)
    }
}

/// Decodes the binary form without looking at the clock.
pub(super) fn decode(bytes: &[u8]) -> Result<Ticket, TicketDecodeError> {
    let mut r = Reader(bytes);
    let version = r.u8()?;
    if version != TICKET_VERSION {
        return Err(TicketDecodeError::UnsupportedVersion { version });
    }
    let endpoint_id = r.array::<32>()?;
    let secret = InvitationSecret::from_bytes(r.array::<16>()?);
    let expires_at_ms = u64::from_be_bytes(r.array::<8>()?);
    let (relay_url, direct_addrs) = read_reach(&mut r)?;
    if !r.0.is_empty() {
        return Err(TicketDecodeError::TrailingBytes { count: r.0.len() });
    }
    Ok(Ticket {
        endpoint_id,
        relay_url,
        direct_addrs,
        secret,
        expires_at_ms,
    })
}

/// Writes how to reach a device: `relay URL length (1) || relay URL || address count (1) ||
/// addresses`. The caller has bounded both.
pub(super) fn put_reach(out: &mut Vec<u8>, relay_url: Option<&str>, direct_addrs: &[SocketAddr]) {
    let url = relay_url.unwrap_or("");
    out.push(u8::try_from(url.len()).expect("tickets cap the URL at 255 bytes"));
    out.extend_from_slice(url.as_bytes());
    out.push(
        u8::try_from(direct_addrs.len()).expect("tickets cap the addresses at MAX_DIRECT_ADDRS"),
    );
    for addr in direct_addrs {
        match addr.ip() {
            IpAddr::V4(ip) => {
                out.push(4);
                out.extend_from_slice(&ip.octets());
            }
            IpAddr::V6(ip) => {
                out.push(6);
                out.extend_from_slice(&ip.octets());
            }
        }
        out.extend_from_slice(&addr.port().to_be_bytes());
    }
}

/// Reads what [`put_reach`] wrote.
pub(super) fn read_reach(
    r: &mut Reader<'_>,
) -> Result<(Option<String>, Vec<SocketAddr>), TicketDecodeError> {
    let url_len = usize::from(r.u8()?);
    let relay_url = match url_len {
        0 => None,
        n => Some(
            std::str::from_utf8(r.take(n)?)
                .map_err(TicketDecodeError::RelayUrlNotUtf8)?
                .to_owned(),
        ),
    };
    let count = usize::from(r.u8()?);
    if count > MAX_DIRECT_ADDRS {
        return Err(TicketDecodeError::TooManyAddresses { count });
    }
    let mut direct_addrs = Vec::with_capacity(count);
    for _ in 0..count {
        let ip = match r.u8()? {
            4 => IpAddr::V4(Ipv4Addr::from(r.array::<4>()?)),
            6 => IpAddr::V6(Ipv6Addr::from(r.array::<16>()?)),
            family => return Err(TicketDecodeError::UnknownAddressFamily { family }),
        };
        let port = u16::from_be_bytes(r.array::<2>()?);
        direct_addrs.push(SocketAddr::new(ip, port));
    }
    Ok((relay_url, direct_addrs))
}
