//! How a device reaches its partner: which relays and lookups it uses, and where it binds.

use std::net::SocketAddr;

use hearth_crypto::DeviceSecret;
use iroh::RelayUrl;

/// Which network services the device uses.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode", content = "url")]
pub enum NetworkMode {
    /// iroh's public relays and DNS address lookup, plus mDNS on the LAN: works at home and across
    /// the internet.
    #[default]
    Default,
    /// No relay and no DNS: only the LAN (mDNS) and direct addresses. Nothing leaves the local
    /// network.
    Local,
    /// A relay the couple hosts, at this URL, instead of the public ones.
    #[serde(rename = "relay")]
    CustomRelay(RelayUrl),
}

/// Everything the network layer needs to start.
#[derive(Clone, Debug)]
pub struct NetConfig {
    /// The device's iroh secret key (its identity).
    pub secret_key: DeviceSecret,
    /// Which services to use.
    pub mode: NetworkMode,
    /// The UDP address to bind. With a port, the device tries it first (so partners on the LAN
    /// find it where it was) and falls back to any free port.
    pub bind: Option<SocketAddr>,
    /// Announce and discover on the LAN with mDNS. On by default; tests that must not see each
    /// other turn it off.
    pub mdns: bool,
    /// Use no direct IP paths at all, only the relay (hides the device's addresses from the
    /// partner's device; needs a relay).
    pub relay_only: bool,
    /// Trust a relay's self-signed certificate: for the in-process relay of tests only.
    #[cfg(feature = "test-utils")]
    pub insecure_relay_tls: bool,
    /// How long a sync frame's body may take to arrive once its length has (30 s if `None`):
    /// shortened by tests that play a peer trickling its bytes.
    #[cfg(feature = "test-utils")]
    pub frame_body_timeout: Option<std::time::Duration>,
}

impl NetConfig {
    /// A configuration with the given identity and mode, binding any port, with mDNS.
    pub fn new(secret_key: DeviceSecret, mode: NetworkMode) -> Self {
        NetConfig {
            secret_key,
            mode,
            bind: None,
            mdns: true,
            relay_only: false,
            #[cfg(feature = "test-utils")]
            insecure_relay_tls: false,
            #[cfg(feature = "test-utils")]
            frame_body_timeout: None,
        }
    }

    /// How long a sync frame's body may take to arrive once its length has.
    pub(crate) fn frame_body_timeout(&self) -> std::time::Duration {
        #[cfg(feature = "test-utils")]
        if let Some(t) = self.frame_body_timeout {
            return t;
        }
        crate::sync::wire::FRAME_BODY_TIMEOUT
    }
}
