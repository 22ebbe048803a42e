//! What reading found in the document that does not fit the schema.

use std::fmt;

/// Something in the document that reading skipped because it does not fit the schema: written by
/// a newer version of Hearth, or by a peer with a bug. Reading never panics on such data; it
/// leaves the piece out and says so with one of these.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {problem}")]
pub struct SchemaWarning {
    /// Where in the document.
    pub place: Place,
    /// What is wrong there.
    pub problem: Problem,
}

/// Where a [`SchemaWarning`] was found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Place {
    /// The journal's header (schema version, id, start day).
    Header,
    /// A member record, by its key.
    Member(String),
    /// An entry, by its key.
    Entry(String),
    /// A comment, by its entry's and its own key.
    Comment {
        /// The entry's key.
        entry: String,
        /// The comment's key.
        comment: String,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Header => f.write_str("journal header"),
            Place::Member(k) => write!(f, "member {k}"),
            Place::Entry(k) => write!(f, "entry {k}"),
            Place::Comment { entry, comment } => write!(f, "comment {comment} on entry {entry}"),
        }
    }
}

/// What is wrong at a [`Place`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// The journal was written by a newer version of Hearth; parts of it may be skipped.
    #[error("written with schema version {found}; this version of Hearth reads {supported}")]
    NewerSchema {
        /// The document's schema version.
        found: u64,
        /// The newest this version reads.
        supported: u64,
    },
    /// A value is missing or has the wrong type; `detail` is what the typed reader reported.
    #[error("does not fit the schema ({detail})")]
    Shape {
        /// The typed reader's explanation.
        detail: String,
    },
    /// The key is not a valid id.
    #[error("its key is not a valid id")]
    BadKey,
    /// The kind of entry is unknown (perhaps a newer version's).
    #[error("unknown kind {kind:?}")]
    UnknownKind {
        /// The kind written.
        kind: String,
    },
    /// A field holds a value out of its range.
    #[error("field {field} holds an invalid value")]
    InvalidValue {
        /// The field's name.
        field: &'static str,
    },
    /// A field that this kind needs is absent.
    #[error("field {field} is missing")]
    Missing {
        /// The field's name.
        field: &'static str,
    },
}
