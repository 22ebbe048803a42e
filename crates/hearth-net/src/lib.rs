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
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod backend;
mod config;
mod endpoint;
mod event;
mod node;
mod pair_proto;
mod pairing;
mod presence;
mod registry;
mod session;
mod shared;
mod sync_proto;
mod wire;

pub use backend::{Backend, BackendError, Blame, KnownPeer, Reply};
pub use config::{NetConfig, NetworkMode};
pub use endpoint::StartError;
pub use event::{Misbehaviour, NetEvent, Path, PeerStatus};
pub use iroh::{EndpointAddr, EndpointId};
pub use node::{InviteError, Node};
pub use pair_proto::PAIR_ALPN;
pub use pairing::{PairingEvent, PairingFailure, PairingHandle};
pub use sync_proto::SYNC_ALPN;
