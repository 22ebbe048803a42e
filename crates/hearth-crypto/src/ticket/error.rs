//! Errors of building and decoding tickets.

/// Why a ticket could not be built.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum TicketBuildError {
    /// The relay URL is longer than [`super::MAX_RELAY_URL_LEN`] bytes.
    #[error(
        "relay URL is {len} bytes, longer than the {} a ticket carries",
        super::MAX_RELAY_URL_LEN
    )]
    RelayUrlTooLong {
        /// The URL's length in bytes.
        len: usize,
    },
    /// More than [`super::MAX_DIRECT_ADDRS`] direct addresses.
    #[error(
        "{count} direct addresses, more than the {} a ticket carries",
        super::MAX_DIRECT_ADDRS
    )]
    TooManyAddresses {
        /// The number of addresses given.
        count: usize,
    },
}

/// Why text or bytes are not a valid, current ticket.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum TicketDecodeError {
    /// The text does not start with `hearth1`: it is not a Hearth invitation.
    #[error(
        "not a Hearth invitation code (it should start with \"{}\")",
        super::TICKET_PREFIX
    )]
    MissingPrefix,
    /// A character that cannot appear in an invitation code.
    #[error("the invitation code contains {character:?}, which cannot appear in a code")]
    InvalidCharacter {
        /// The offending character.
        character: char,
    },
    /// Characters are missing: the code or the bytes end early.
    #[error("the invitation code is incomplete")]
    Truncated,
    /// The checksum does not match: the code was mistyped.
    #[error("the invitation code has a typo (its checksum does not match)")]
    BadChecksum,
    /// A ticket format this build does not understand.
    #[error(
        "the invitation uses format version {version}, which this version of Hearth does not understand"
    )]
    UnsupportedVersion {
        /// The version found.
        version: u8,
    },
    /// Bytes left over after a complete ticket.
    #[error("the invitation has {count} unexpected bytes at its end")]
    TrailingBytes {
        /// How many bytes were left over.
        count: usize,
    },
    /// The relay URL is not UTF-8.
    #[error("the invitation's relay URL is not valid text")]
    RelayUrlNotUtf8(#[source] std::str::Utf8Error),
    /// An address of an unknown family (neither IPv4 nor IPv6).
    #[error("the invitation holds an address of unknown family {family}")]
    UnknownAddressFamily {
        /// The family byte found.
        family: u8,
    },
    /// More direct addresses than a ticket may carry.
    #[error(
        "the invitation holds {count} addresses, more than the {} allowed",
        super::MAX_DIRECT_ADDRS
    )]
    TooManyAddresses {
        /// The number of addresses declared.
        count: usize,
    },
    /// The invitation has expired.
    #[error("the invitation expired; ask for a new one")]
    Expired {
        /// When it expired (unix milliseconds).
        expired_at_ms: u64,
        /// The time it was checked at (unix milliseconds).
        now_ms: u64,
    },
}
