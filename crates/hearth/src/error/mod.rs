//! One error type per operation of the facade.

mod journal;
mod lifecycle;
mod network;
mod settings;

pub use journal::{EntryError, NameError, ResolveError, TodayError, WriteError};
pub use lifecycle::{Closed, CreateError, OpenError, StartError};
pub use network::{InviteError, JoinError, SyncError};
pub use settings::{
    ChangePassphraseError, ExportError, SetNameError, SetNetworkError, UnpairError,
};

/// An error and what caused it, as one line: each cause the text does not already say is added
/// after a colon ("the mailbox could not be listed: the mailbox server is busy; try again in a
/// minute").
pub fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        let more = e.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = e.source();
    }
    text
}
