//! The one interface every kind of mailbox offers.

use std::future::Future;

/// At most this many files are read from one journal's place in a mailbox: a journal has at most
/// a few hundred devices, each with three files.
pub const MAX_ENTRIES: usize = 4_096;

/// A file in a mailbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its name (see [`crate::FileName`]).
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// When it was last written (Unix milliseconds), as the mailbox says.
    pub modified_ms: u64,
}

/// Why a mailbox could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MailboxError {
    /// The mailbox is not there (a folder that was moved, a drive not plugged in).
    #[error("the mailbox at {0} is not there")]
    Missing(String),
    /// Reading or writing failed.
    #[error("the mailbox could not be {doing}")]
    Io {
        /// What was being done.
        doing: &'static str,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
    /// The mailbox holds more files for this journal than any journal writes.
    #[error("the mailbox holds more than {MAX_ENTRIES} files for this journal")]
    TooManyFiles,
    /// A file is larger than any mailbox file may be.
    #[error("a file in the mailbox is {0} bytes, more than a mailbox file may be")]
    TooLarge(u64),
    /// A name that is not one this crate writes.
    #[error("“{0}” is not a mailbox file name")]
    BadName(String),
}

/// A place where a journal's devices leave files for each other: a folder, or (later) a mailbox
/// server. Names are those of [`crate::FileName`]; every method is scoped to one journal.
///
/// Writes are atomic: a reader sees a file whole or not at all.
pub trait Mailbox: Send + Sync {
    /// Every file this journal has in the mailbox, at most [`MAX_ENTRIES`].
    fn list(&self) -> impl Future<Output = Result<Vec<Entry>, MailboxError>> + Send;
    /// A file's bytes, or `None` if it is not there (any longer). Files longer than
    /// `hearth_crypto::mailbox::max_file_len` are refused before they are read.
    fn get(&self, name: &str)
    -> impl Future<Output = Result<Option<Vec<u8>>, MailboxError>> + Send;
    /// Writes a file whole, replacing any of that name.
    fn put(
        &self,
        name: &str,
        bytes: Vec<u8>,
    ) -> impl Future<Output = Result<(), MailboxError>> + Send;
    /// Deletes a file; deleting one that is not there is not an error.
    fn delete(&self, name: &str) -> impl Future<Output = Result<(), MailboxError>> + Send;
}
