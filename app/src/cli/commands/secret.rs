//! Passphrases: from the environment for scripts, else asked for without echo.
//!
//! A typed passphrase goes straight into a [`Passphrase`] (wiped on drop); the second copy typed
//! to confirm a new one is wiped by hand.

use anyhow::Result;
use hearth::Passphrase;
use zeroize::Zeroizing;

use crate::cli::exit::fail;

/// The passphrase of an existing journal.
pub(crate) const PASSPHRASE_VAR: &str = "HEARTH_PASSPHRASE";
/// The new passphrase, for `hearth passphrase`.
pub(crate) const NEW_PASSPHRASE_VAR: &str = "HEARTH_NEW_PASSPHRASE";

/// Shorter than this, a new passphrase gets a gentle hint (not a refusal).
const SHORT: usize = 8;

fn from_env(var: &str) -> Option<Passphrase> {
    std::env::var(var).ok().map(Passphrase::new)
}

fn prompt(question: &str, var: &str) -> Result<Zeroizing<String>> {
    rpassword::prompt_password(question)
        .map(Zeroizing::new)
        .map_err(|_| {
            fail(format!(
                "no passphrase: set {var}, or run Hearth in a terminal to type it"
            ))
        })
}

/// The journal's passphrase: `HEARTH_PASSPHRASE`, else asked for.
pub(crate) fn current() -> Result<Passphrase> {
    if let Some(p) = from_env(PASSPHRASE_VAR) {
        return Ok(p);
    }
    let typed = prompt("Passphrase: ", PASSPHRASE_VAR)?;
    Ok(Passphrase::new(typed.as_str()))
}

/// A new passphrase: from `var`, else typed twice. Never empty.
pub(crate) fn new_one(var: &str, question: &str) -> Result<Passphrase> {
    if let Some(p) = from_env(var) {
        if p.expose().is_empty() {
            return Err(fail(format!(
                "{var} is empty; a passphrase cannot be empty"
            )));
        }
        return Ok(p);
    }
    let first = prompt(question, var)?;
    if first.is_empty() {
        return Err(fail("a passphrase cannot be empty; nothing was changed"));
    }
    if first.chars().count() < SHORT {
        eprintln!("A little short still — a longer phrase is much harder to guess.");
    }
    let again = prompt("Once more, to be sure: ", var)?;
    if *first != *again {
        return Err(fail("the two passphrases differ; nothing was changed"));
    }
    Ok(Passphrase::new(first.as_str()))
}
