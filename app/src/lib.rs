//! Hearth's desktop app and command line, as a library so that the tests can drive them.
//!
//! The window is behind the default feature `gui`; without it (`--no-default-features`) this is
//! the command line alone, a headless build that links no windowing or graphics library.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cli;
mod clock;
mod export_file;
#[cfg(feature = "gui")]
pub mod gui;
pub mod local;
mod remind;
