//! Exit codes, and the error that carries one.
//!
//! Every command returns `anyhow::Result`; an error that should end with a code other than 1 is an
//! [`Exit`], which `main` finds again by downcasting. The codes are documented in docs/cli.md.

use std::fmt;

// 0: everything went well.
/// Anything went wrong that has no code of its own.
pub(crate) const ERROR: u8 = 1;
/// The command line could not be parsed (clap exits with it by itself), or it asks a headless
/// build for the window.
#[cfg_attr(
    feature = "gui",
    allow(dead_code, reason = "with the window, only clap ends with it")
)]
pub(crate) const USAGE: u8 = 2;
/// No other device of the journal could be reached in time.
pub(crate) const UNREACHABLE: u8 = 3;
/// Pairing ended because a person said the strings do not match (here or on the other device).
pub(crate) const NOT_CONFIRMED: u8 = 4;
/// The invitation expired, was already used, or nobody joined in time.
pub(crate) const EXPIRED: u8 = 5;
/// This device was removed from the journal: the other devices turn it away.
pub(crate) const REMOVED: u8 = 6;
/// The devices of the journal run different versions of Hearth and cannot sync until the older
/// is updated: this one (`sync`), or every other that answered.
pub(crate) const UPDATE_NEEDED: u8 = 7;
/// Interrupted by the person (Ctrl-C) before it finished.
pub(crate) const INTERRUPTED: u8 = 130;

/// An error with its own exit code and a sentence for the person.
#[derive(Debug)]
pub(crate) struct Exit {
    pub(crate) code: u8,
    message: String,
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Exit {}

/// An error ending the process with `code`, saying `message`.
pub(crate) fn exit(code: u8, message: impl Into<String>) -> anyhow::Error {
    Exit {
        code,
        message: message.into(),
    }
    .into()
}

/// An error ending the process with code 1, saying `message`: bad input, a refused change.
pub(crate) fn fail(message: impl Into<String>) -> anyhow::Error {
    exit(ERROR, message)
}

/// The exit code for an error, and its sentence: the message of an [`Exit`], else the whole
/// chain of causes on one line.
pub(crate) fn describe(error: &anyhow::Error) -> (u8, String) {
    match error.downcast_ref::<Exit>() {
        Some(exit) => (exit.code, exit.message.clone()),
        None => (ERROR, format!("{error:#}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exit_keeps_its_code_and_other_errors_are_one() {
        let (code, text) = describe(&exit(UNREACHABLE, "could not reach"));
        assert_eq!((code, text.as_str()), (UNREACHABLE, "could not reach"));
        let chained = anyhow::anyhow!("inner").context("outer");
        assert_eq!(describe(&chained), (ERROR, "outer: inner".to_owned()));
    }
}
