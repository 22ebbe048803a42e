//! Building the iroh endpoint for a configuration.

use std::net::SocketAddr;
use std::time::Duration;

use iroh::endpoint::{BindError, Builder, QuicTransportConfig, VarInt, presets};
use iroh::{Endpoint, RelayMap, RelayMode, SecretKey};
use iroh_mdns_address_lookup::MdnsAddressLookup;

use crate::sync::Gate;
use crate::{NetConfig, NetworkMode};

/// The mDNS service name: Hearth devices look only for each other.
const MDNS_SERVICE: &str = "hearth";
/// A silent connection is dropped after this long; keep-alives go out well before.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// A peer may open at most this many streams at once. Each protocol runs on exactly one stream; a
/// second one would only be data buffered unread, so none is granted.
const MAX_STREAMS: u32 = 1;
/// Receive window per connection: bounds what a peer can make us buffer.
const RECEIVE_WINDOW: u32 = 8 * 1024 * 1024;

/// Why the endpoint could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// Only the relay was asked for, but there is none (local mode).
    #[error("relay-only needs a relay; local mode has none")]
    RelayOnlyWithoutRelay,
    /// The bind address is unusable.
    #[error("cannot bind to {addr}")]
    BindAddress {
        /// The address.
        addr: SocketAddr,
    },
    /// The network could not be opened.
    #[error("could not open the network")]
    Bind(#[source] BindError),
    /// mDNS could not start.
    #[error("could not start discovery on the local network")]
    Mdns(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Binds an endpoint for `config`, turning strangers away from the sync protocol at `gate` if
/// there is one. If the configured port is taken, binds any free port.
pub(crate) async fn bind(config: &NetConfig, gate: Option<Gate>) -> Result<Endpoint, StartError> {
    let gate = gate.map(std::sync::Arc::new);
    match builder(config, config.bind, gate.clone())?.bind().await {
        Err(BindError::Sockets { source, .. })
            if source.kind() == std::io::ErrorKind::AddrInUse
                && config.bind.is_some_and(|a| a.port() != 0) =>
        {
            let any_port = config.bind.map(|a| SocketAddr::new(a.ip(), 0));
            builder(config, any_port, gate)?
                .bind()
                .await
                .map_err(StartError::Bind)
        }
        other => other.map_err(StartError::Bind),
    }
}

fn builder(
    config: &NetConfig,
    bind: Option<SocketAddr>,
    gate: Option<std::sync::Arc<Gate>>,
) -> Result<Builder, StartError> {
    let secret = SecretKey::from_bytes(config.secret_key.expose());
    let mut b = match &config.mode {
        NetworkMode::Default => Endpoint::builder(presets::N0),
        NetworkMode::Local => Endpoint::builder(presets::Minimal).relay_mode(RelayMode::Disabled),
        NetworkMode::CustomRelay(url) => Endpoint::builder(presets::Minimal)
            .relay_mode(RelayMode::Custom(RelayMap::from(url.clone()))),
    };
    b = b.secret_key(secret).transport_config(transport());
    if let Some(gate) = gate {
        b = b.hooks(GateHook(gate));
    }
    if config.mdns {
        let mdns = MdnsAddressLookup::builder().service_name(MDNS_SERVICE);
        b = b.address_lookup(mdns);
    }
    if config.relay_only {
        if config.mode == NetworkMode::Local {
            return Err(StartError::RelayOnlyWithoutRelay);
        }
        b = b.clear_ip_transports();
    } else if let Some(addr) = bind {
        b = b
            .clear_ip_transports()
            .bind_addr(addr)
            .map_err(|_| StartError::BindAddress { addr })?;
    }
    #[cfg(feature = "test-utils")]
    if config.insecure_relay_tls {
        b = b.ca_tls_config(iroh::tls::CaTlsConfig::insecure_skip_verify());
    }
    Ok(b)
}

fn transport() -> QuicTransportConfig {
    let mut t = QuicTransportConfig::builder()
        .max_concurrent_bidi_streams(VarInt::from_u32(MAX_STREAMS))
        .max_concurrent_uni_streams(VarInt::from_u32(0))
        .keep_alive_interval(Duration::from_secs(5))
        .receive_window(VarInt::from_u32(RECEIVE_WINDOW));
    if let Ok(idle) = IDLE_TIMEOUT.try_into() {
        t = t.max_idle_timeout(Some(idle));
    }
    t.build()
}

/// The gate, shared between the two builders a port fallback may need.
#[derive(Debug)]
struct GateHook(std::sync::Arc<Gate>);

impl iroh::endpoint::EndpointHooks for GateHook {
    async fn after_handshake<'a>(
        &'a self,
        conn: &'a iroh::endpoint::Connection,
    ) -> iroh::endpoint::AfterHandshakeOutcome {
        self.0.after_handshake(conn).await
    }
}
