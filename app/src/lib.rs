//! Hearth's desktop app and command line, as a library so that the tests can drive them.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cli;
mod clock;
pub mod gui;
