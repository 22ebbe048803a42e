//! Hearth's network: the iroh endpoint and the two protocols, `hearth/pair/1` and `hearth/sync/1`.
//!
//! A [`Node`] binds an iroh endpoint (with public relays and DNS lookup, LAN only, or the couple's
//! own relay: [`NetworkMode`]), accepts its partner's devices and dials them, and keeps the
//! journal in sync live with Automerge's sync protocol. Every sync message travels in frames
//! sealed under a per-session key derived from the journal key; a device that is not paired is
//! turned away right after the TLS handshake and never sees a journal byte. Pairing runs the
//! hearth-crypto handshake over one stream and reports its steps through a [`PairingHandle`].
//!
//! What the node needs of the device — the journal key, the journal, the list of paired devices
//! — it asks of a [`Backend`], which the facade implements over the store and the journal.
//!
//! # Layout
//!
//! - `node.rs`: the [`Node`] and its dialers; `node_state.rs`: the state every task of a running
//!   node shares; `endpoint.rs`: the iroh endpoint; `config.rs`, `event.rs`; `device_side.rs`:
//!   what the node asks of the device (the [`Backend`] trait).
//! - `pair/`: the pairing protocol, `hearth/pair/1`.
//! - `sync/`: the sync protocol, `hearth/sync/1`: who may connect, sessions, and the wire format.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod config;
mod device_side;
mod door;
mod endpoint;
mod event;
pub mod mailbox;
mod node;
mod node_state;
mod pair;
mod sync;

pub use config::{NetConfig, NetworkMode};
pub use device_side::{Backend, BackendError, Blame, KnownPeer, Outbox, Pending, Reply};
pub use door::{
    ALL_SOURCES as DOOR_ALL_SOURCES, PER_SOURCE as DOOR_PER_SOURCE, Rate, refused_at_the_door,
};
pub use endpoint::StartError;
pub use event::{Misbehaviour, NetEvent, Outdated, Path, PeerStatus};
pub use iroh::{Endpoint, EndpointAddr, EndpointId, RelayUrl, TransportAddr};
pub use node::{InviteError, Node};
pub use pair::{PAIR_ALPN, PairingEvent, PairingFailure, PairingHandle};
pub use sync::{OLD_SYNC_ALPN, SYNC_ALPN};
