//! Passphrases: from a file or a file descriptor for services, from the environment for scripts,
//! else asked for without echo.
//!
//! A typed passphrase goes straight into a [`Passphrase`] (wiped on drop); the second copy typed
//! to confirm a new one is wiped by hand.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Result;
use hearth::{Passphrase, Strength};
use zeroize::Zeroizing;

use crate::cli::exit::fail;

/// The passphrase of an existing journal.
pub(crate) const PASSPHRASE_VAR: &str = "HEARTH_PASSPHRASE";
/// The new passphrase, for `hearth passphrase`.
pub(crate) const NEW_PASSPHRASE_VAR: &str = "HEARTH_NEW_PASSPHRASE";

/// The most a passphrase file or descriptor is read of: a passphrase is a line, not a file.
const MAX_READ: u64 = 64 * 1024;

/// Where the passphrase of a journal comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// `--passphrase-file PATH`: its first line.
    File(PathBuf),
    /// `--passphrase-fd N`: the first line read from it.
    Fd(u32),
    /// `HEARTH_PASSPHRASE`, else asked for on the terminal.
    EnvOrAsk,
}

/// The first line of what `reader` holds, without its line ending. Never empty. Read a byte at a
/// time, up to the end of the line and no further: a pipe whose writer stays open is not waited
/// on, and nothing after the line (standard input's next lines) is taken.
fn first_line(reader: impl Read, what: &str) -> Result<Passphrase> {
    let mut line = Zeroizing::new(Vec::new());
    let mut reader = reader.take(MAX_READ);
    let mut byte = [0u8; 1];
    loop {
        match reader.read(&mut byte) {
            Ok(0) => break,
            Ok(_) if byte[0] == b'\n' => break,
            Ok(_) => line.push(byte[0]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(fail(format!(
                    "could not read the passphrase from {what}: {e}"
                )));
            }
        }
    }
    byte.fill(0);
    let text = std::str::from_utf8(&line)
        .map_err(|_| fail(format!("the passphrase in {what} is not UTF-8 text")))?;
    let line = text.strip_suffix('\r').unwrap_or(text);
    if line.is_empty() {
        return Err(fail(format!(
            "{what} holds no passphrase on its first line"
        )));
    }
    Ok(Passphrase::new(line))
}

/// The passphrase file, if only its owner can read it.
fn from_file(path: &Path) -> Result<Passphrase> {
    let what = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| fail(format!("could not open the passphrase file {what}: {e}")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file
            .metadata()
            .map_err(|e| fail(format!("could not read {what}: {e}")))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(fail(format!(
                "the passphrase file {what} can be read by other accounts on this machine \
                 (mode {:o}); make it yours alone with `chmod 600 {what}`",
                mode & 0o777
            )));
        }
    }
    first_line(file, &what)
}

/// The passphrase from an open file descriptor, through the system's view of this process's
/// descriptors (no unsafe code needed).
fn from_fd(fd: u32) -> Result<Passphrase> {
    let what = format!("file descriptor {fd}");
    if !cfg!(unix) {
        return Err(fail("--passphrase-fd works on Linux and macOS only"));
    }
    let file = std::fs::File::open(format!("/dev/fd/{fd}"))
        .map_err(|e| fail(format!("could not read {what}: {e}")))?;
    first_line(file, &what)
}

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

/// The journal's passphrase: from the file or descriptor given, else `HEARTH_PASSPHRASE`, else
/// asked for.
pub(crate) fn current(source: &Source) -> Result<Passphrase> {
    match source {
        Source::File(path) => return from_file(path),
        Source::Fd(fd) => return from_fd(*fd),
        Source::EnvOrAsk => {}
    }
    if let Some(p) = from_env(PASSPHRASE_VAR) {
        return Ok(p);
    }
    let typed = prompt("Passphrase: ", PASSPHRASE_VAR)?;
    Ok(Passphrase::new(typed.as_str()))
}

/// Refuses a new passphrase that would be guessed almost at once; advises on a weak one.
/// `own_words` are the person's own (their name), which a guesser tries first.
pub(crate) fn judge(passphrase: &str, own_words: &[&str]) -> Result<()> {
    let strength = Strength::of(passphrase, own_words);
    if strength.refused() {
        return Err(fail(
            "that passphrase would be guessed almost at once; try a short sentence of a few \
             unrelated words (nothing was changed)",
        ));
    }
    if matches!(strength, Strength::Weak | Strength::Fair) {
        eprintln!("{}", strength.advice());
    }
    Ok(())
}

/// A new passphrase: from `var`, else typed twice. Never empty, never trivially weak.
pub(crate) fn new_one(var: &str, question: &str, own_words: &[&str]) -> Result<Passphrase> {
    if let Some(p) = from_env(var) {
        if p.expose().is_empty() {
            return Err(fail(format!(
                "{var} is empty; a passphrase cannot be empty"
            )));
        }
        judge(p.expose(), own_words)?;
        return Ok(p);
    }
    let first = prompt(question, var)?;
    if first.is_empty() {
        return Err(fail("a passphrase cannot be empty; nothing was changed"));
    }
    judge(&first, own_words)?;
    let again = prompt("Once more, to be sure: ", var)?;
    if *first != *again {
        return Err(fail("the two passphrases differ; nothing was changed"));
    }
    Ok(Passphrase::new(first.as_str()))
}
