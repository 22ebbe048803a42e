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
    /// While the network runs, exchange with the mailboxes by itself: on start, a moment after
    /// each change, and every few minutes. On for the app and `hearth serve`; a one-shot command
    /// exchanges when it means to ([`Hearth::exchange_with_mailboxes`](crate::Hearth::exchange_with_mailboxes)).
    /// Either way, closing leaves any change not yet there in the mailboxes.
    pub keep_mailboxes: bool,
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
            keep_mailboxes: true,
            time_zone: crate::Zone::utc(),
            #[cfg(feature = "test-utils")]
            insecure_relay_tls: false,
            #[cfg(feature = "test-utils")]
            frame_body_timeout: None,
        }
    }
}
