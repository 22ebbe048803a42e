//! The facade. (Being built: `Hearth` = store + journal + network behind an async command API and an event stream.)
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
