//! Harnesses for Hearth's fuzz targets, one module per decoder of outside bytes.
//!
//! Each module has a `run` function (what the fuzz target calls with every input) and a `seeds`
//! function (the real examples the seed corpus is made of). The regression tests of the crates
//! under test include the same files and replay `corpus/<target>/` and `regressions/<target>/`
//! through the same `run`, so every input the fuzzer kept and every crash it found is checked by
//! the ordinary test suite.

pub mod frame;
pub mod input;
pub mod journal_read;
pub mod mailbox;
pub mod mailbox_protocol;
pub mod pairing;
pub mod replay;
pub mod store;
pub mod sync;
pub mod ticket;
