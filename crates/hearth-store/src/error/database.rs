//! The one error type for failures of the embedded database underneath the store.

use std::io;

/// The database file could not be read or written (an I/O error, a full disk, a file damaged
/// outside the store). The underlying cause is kept as [`source()`](std::error::Error::source).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.summary())]
pub struct DatabaseError {
    // Boxed: the errors that carry it stay small, and redb's error is large.
    #[source]
    source: Box<redb::Error>,
}

impl DatabaseError {
    /// Whether the cause is a lack of space: a full disk, an exhausted quota or a file-size limit.
    pub fn is_out_of_space(&self) -> bool {
        match self.source.as_ref() {
            redb::Error::Io(err) => is_out_of_space(err),
            _ => false,
        }
    }

    fn summary(&self) -> &'static str {
        if self.is_out_of_space() {
            "there is no space left for the store's database file"
        } else {
            "the store's database file could not be read or written"
        }
    }

    /// Whether the database is held open by another process (or another `Store` in this one).
    pub(crate) fn is_already_open(&self) -> bool {
        matches!(*self.source, redb::Error::DatabaseAlreadyOpen)
    }
}

fn is_out_of_space(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::FileTooLarge | io::ErrorKind::QuotaExceeded
    )
}

macro_rules! from_redb {
    ($($ty:ty),* $(,)?) => {$(
        impl From<$ty> for DatabaseError {
            fn from(err: $ty) -> Self {
                DatabaseError {
                    source: Box::new(err.into()),
                }
            }
        }
    )*};
}

from_redb!(
    redb::Error,
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::SetDurabilityError,
);

/// Implements `From` for every redb error type (through [`DatabaseError`]) for an error of the data
/// directory that has a `Database { source: DatabaseError }` variant, so `?` works on redb calls.
/// (Errors about records name the record instead: see `At` in `error::record`.)
macro_rules! database_variant {
    ($err:ty) => {
        impl From<$crate::DatabaseError> for $err {
            fn from(source: $crate::DatabaseError) -> Self {
                Self::Database { source }
            }
        }
        $crate::error::database::database_variant!(@via $err, redb::Error);
        $crate::error::database::database_variant!(@via $err, redb::DatabaseError);
        $crate::error::database::database_variant!(@via $err, redb::TransactionError);
        $crate::error::database::database_variant!(@via $err, redb::TableError);
        $crate::error::database::database_variant!(@via $err, redb::StorageError);
        $crate::error::database::database_variant!(@via $err, redb::CommitError);
        $crate::error::database::database_variant!(@via $err, redb::SetDurabilityError);
    };
    (@via $err:ty, $redb:ty) => {
        impl From<$redb> for $err {
            fn from(err: $redb) -> Self {
                Self::from($crate::DatabaseError::from(err))
            }
        }
    };
}
pub(crate) use database_variant;
