//! End-to-end tests of Hearth: real devices (real stores in temporary directories, real iroh
//! endpoints on loopback, an in-process relay) in one process, driven only through the facade.
//!
//! The tests live in `tests/tests/`:
//! - `live_sync.rs`: pairing in person, live sync both ways, concurrent offline edits converging,
//!   and a restarted device receiving only what is new;
//! - `relayed.rs`: sync through a relay with every direct IP transport cleared;
//! - `stranger.rs`: an unpaired endpoint receives no journal byte.
//!
//! A paired device that sends tampered frames or a malicious Bloom filter needs a hand-built
//! peer speaking the protocol wrongly; those tests sit with the network crate
//! (`crates/hearth-net/tests/misbehaving_peer.rs`), against real endpoints and a real journal.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
