//! Which path a connection takes, and the table of who is online.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use iroh::endpoint::Connection;
use iroh::{EndpointId, TransportAddr};

use crate::event::{Path, PeerStatus};
use crate::node_state::lock;

/// The path the connection currently uses.
pub(crate) fn current_path(conn: &Connection) -> Path {
    let paths = conn.paths();
    let Some(selected) = paths.iter().find(|p| p.is_selected()) else {
        return Path::Unknown;
    };
    match selected.remote_addr() {
        TransportAddr::Relay(_) => Path::Relayed,
        TransportAddr::Ip(addr) if is_local(addr.ip()) => Path::Lan,
        TransportAddr::Ip(_) => Path::Internet,
        _ => Path::Unknown,
    }
}

/// The remote addresses of every path, to remember for the next dial.
pub(crate) fn remote_addrs(conn: &Connection) -> Vec<TransportAddr> {
    let mut addrs: Vec<TransportAddr> = conn
        .paths()
        .iter()
        .map(|p| p.remote_addr().clone())
        .filter(|a| matches!(a, TransportAddr::Ip(_) | TransportAddr::Relay(_)))
        .collect();
    addrs.sort();
    addrs.dedup();
    addrs
}

fn is_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private() || v4.is_loopback() || v4.is_link_local(),
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unique_local()
                || v6.is_unicast_link_local()
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| v4.is_private() || v4.is_loopback())
        }
    }
}

/// What is known of each paired device's connection.
#[derive(Debug, Default)]
pub(crate) struct Presence {
    table: Mutex<HashMap<EndpointId, PeerStatus>>,
}

impl Presence {
    pub(crate) fn update(&self, peer: EndpointId, change: impl FnOnce(&mut PeerStatus)) {
        let mut table = lock(&self.table);
        change(table.entry(peer).or_default());
    }

    pub(crate) fn snapshot(&self) -> HashMap<EndpointId, PeerStatus> {
        lock(&self.table).clone()
    }

    pub(crate) fn forget(&self, peer: &EndpointId) {
        lock(&self.table).remove(peer);
    }
}
