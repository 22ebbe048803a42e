//! The network. (Being built: the iroh endpoint with the `hearth/pair/1` and `hearth/sync/1` protocols.)
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
