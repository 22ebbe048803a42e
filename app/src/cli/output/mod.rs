//! How the command line's results are printed: text for people, styled for the terminal; the
//! `--json` shapes; the invitation's QR code. Nothing here asks anything of the facade: the
//! commands ([`super::commands`]) hand over what they got.
//!
//! Data goes to standard output, what a person should know along the way to standard error
//! (docs/cli.md). The files named like a file of `commands` print that command group's results;
//! the others are shared: the terminal, times, names and short ids, entries as text and as JSON,
//! what changed in an entry, and the QR code.

pub(crate) mod change;
pub(crate) mod entries;
pub(crate) mod entry_changes;
pub(crate) mod export;
pub(crate) mod init;
pub(crate) mod insights;
pub(crate) mod json;
pub(crate) mod mailbox;
pub(crate) mod names;
pub(crate) mod pair;
pub(crate) mod qr;
pub(crate) mod read;
pub(crate) mod rituals;
pub(crate) mod serve;
pub(crate) mod settings;
pub(crate) mod status;
pub(crate) mod sync;
pub(crate) mod term;
pub(crate) mod time;
pub(crate) mod today;
