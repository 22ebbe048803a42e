//! `hearth/sync/1`: keeping the journal in sync, live, with each paired device.
//!
//! - `connect`: the gate that turns strangers away after the TLS handshake, the handler that
//!   accepts a session, and the dial loop that keeps each paired device connected.
//! - `session`: one session, the hello and then Automerge's sync messages in sealed frames.
//! - `registry`: at most one live session per paired device.
//! - `presence`: the path a connection takes, and the table of who is online.
//! - `wire`: bytes on a stream (the hello, sealed frames, and the plain messages pairing uses).

mod connect;
pub(crate) mod presence;
mod registry;
mod session;
pub(crate) mod wire;

pub(crate) use connect::{Gate, SyncHandler, dial_loop};
pub use connect::{OLD_SYNC_ALPN, SYNC_ALPN};
pub(crate) use presence::Presence;
pub(crate) use registry::Registry;
