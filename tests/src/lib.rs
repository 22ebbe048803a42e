//! End-to-end tests of Hearth: real devices (real stores in temporary directories, real iroh
//! endpoints on loopback, an in-process relay) in one process, driven only through the facade.
//!
//! The tests live in `tests/tests/`:
//! - `live_sync.rs`: pairing in person, live sync both ways, concurrent offline edits converging,
//!   and a restarted device receiving only what is new;
//! - `relayed.rs`: sync through a relay with every direct IP transport cleared;
//! - `stranger.rs`: an unpaired endpoint receives no journal byte;
//! - `network_faults.rs`: two devices joined only by a [`link::FaultyLink`] that drops,
//!   duplicates, delays, reorders and cuts; both write during the faults, and their journals
//!   converge once the faults stop (a fixed storm, and a property test over random schedules);
//! - `stranger_storm.rs`: a thousand unpaired endpoints knock on both protocols, none reads a
//!   journal byte, the partner keeps syncing throughout, and memory stays bounded;
//! - `resource_bounds.rs`: a paired device that sends frames at the cap, declares a frame over
//!   it, trickles a frame, never finishes its hello, opens many streams and connections, or sends
//!   compressed data that would inflate without end is cut off without costing the device
//!   unbounded memory or holding up its partner; and a crowd of strangers holding the pairing
//!   door is limited, the real joiner told the device is busy, then let in.
//!
//! A paired device that sends tampered frames or a malicious Bloom filter needs a hand-built
//! peer speaking the protocol wrongly; those tests sit with the network crate
//! (`crates/hearth-net/tests/misbehaving_peer.rs`), against real endpoints and a real journal.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod link;
