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
