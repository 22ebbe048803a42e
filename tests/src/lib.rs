//! End-to-end tests live in `tests/tests/`; this crate only hosts them.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
