//! How a `Hearth` is opened: network choices, key derivation cost, and the local time zone.

use std::net::SocketAddr;

use hearth_crypto::KdfParams;
use hearth_net::NetworkMode;

/// Choices made when a journal is created or opened.
#[derive(Clone, Debug)]
pub struct Options {
    /// Which network services to use for this run. `None` uses the mode stored with
    /// [`Hearth::set_network`](crate::Hearth::set_network) (or the default mode if none was).
    pub network: Option<NetworkMode>,
    /// The UDP address to bind. `None` binds every interface on the port used last time (so
    /// partner devices on the LAN find it again), or any free port.
    pub bind: Option<SocketAddr>,
    /// Announce and discover on the LAN with mDNS.
    pub mdns: bool,
    /// Use only the relay, never direct paths.
    pub relay_only: bool,
    /// Argon2id cost for a new passphrase (on create and on a passphrase change).
    pub kdf: KdfParams,
    /// Start the network at all. Off for offline commands such as listing the timeline.
    pub start_network: bool,
    /// The local time zone: decides what "today" is, the time of day for the rituals, and the
    /// hour an exported entry shows, each with the offset in force at that moment. The front end
    /// passes [`Zone::system`](crate::Zone::system); the default is UTC.
    pub time_zone: crate::Zone,
    /// Trust a relay's self-signed certificate: for the in-process relay of tests only.
    #[cfg(feature = "test-utils")]
    pub insecure_relay_tls: bool,
    /// How long a sync frame's body may take once its length has arrived (30 s if `None`): for
    /// tests that play a peer trickling its bytes.
    #[cfg(feature = "test-utils")]
    pub frame_body_timeout: Option<std::time::Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            network: None,
            bind: None,
            mdns: true,
            relay_only: false,
            kdf: KdfParams::production(),
            start_network: true,
            time_zone: crate::Zone::utc(),
            #[cfg(feature = "test-utils")]
            insecure_relay_tls: false,
            #[cfg(feature = "test-utils")]
            frame_body_timeout: None,
        }
    }
}

/// Setting keys in the store.
pub(crate) mod keys {
    /// This person's display name (UTF-8), for while the shared journal has not arrived.
    pub(crate) const NAME: &str = "name";
    /// The UDP port bound last (two bytes, little-endian).
    pub(crate) const UDP_PORT: &str = "udp_port";
    /// The network mode (see `encode_mode`).
    pub(crate) const NETWORK: &str = "network";
    /// A journal of this device's own, written before it joined its partner's, whose entries are
    /// still to be carried into the shared journal (empty when there is none).
    pub(crate) const CARRY_OVER: &str = "carry_over";
}

/// The stored form of a network mode: `default`, `local`, or `relay <url>`.
pub(crate) fn encode_mode(mode: &NetworkMode) -> Vec<u8> {
    match mode {
        NetworkMode::Default => b"default".to_vec(),
        NetworkMode::Local => b"local".to_vec(),
        NetworkMode::CustomRelay(url) => format!("relay {url}").into_bytes(),
    }
}

/// Reads a stored network mode; anything unreadable is the default.
pub(crate) fn decode_mode(bytes: &[u8]) -> NetworkMode {
    match std::str::from_utf8(bytes) {
        Ok("local") => NetworkMode::Local,
        Ok(text) => match text.strip_prefix("relay ") {
            Some(url) => NetworkMode::CustomRelay(url.to_owned()),
            None => NetworkMode::Default,
        },
        Err(_) => NetworkMode::Default,
    }
}

/// How a network mode is shown (status, `--json`).
pub(crate) fn describe_mode(mode: &NetworkMode) -> String {
    match mode {
        NetworkMode::Default => "default".to_owned(),
        NetworkMode::Local => "local".to_owned(),
        NetworkMode::CustomRelay(url) => format!("relay {url}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_modes_round_trip_through_their_stored_form() {
        for mode in [
            NetworkMode::Default,
            NetworkMode::Local,
            NetworkMode::CustomRelay("https://relay.example.org".into()),
        ] {
            assert_eq!(decode_mode(&encode_mode(&mode)), mode);
        }
        assert_eq!(decode_mode(&[0xff]), NetworkMode::Default);
    }
}
