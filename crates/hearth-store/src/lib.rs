//! The encrypted store. (Being built: the vault, journal chunks and sync states in one redb file.)
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
