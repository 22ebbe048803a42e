//! Reading the journal: one entry, the timeline of both journals, search, the members, and ids
//! typed by a person.

use hearth_journal::{Entry, EntryId, Filter, Journal, Member, SchemaWarning};

use crate::events::{Event, Warning};
use crate::inner::Inner;
use crate::util::lock;
use crate::{EntryError, Hearth, ResolveError};

/// The fewest characters of an entry id a person must type.
pub const MIN_ID_PREFIX: usize = 4;

/// An entry, and which journal it is in.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Item {
    /// The entry.
    pub entry: Entry,
    /// Whether it is in the private journal (never synced).
    pub private: bool,
}

/// One page of the timeline, newest first.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Page {
    /// The entries, newest first, from both journals.
    pub items: Vec<Item>,
    /// Where the next (older) page starts, if there is one: pass it as `before`.
    pub next: Option<EntryId>,
    /// What reading had to skip because it does not fit the schema.
    #[serde(serialize_with = "as_strings")]
    pub warnings: Vec<SchemaWarning>,
}

fn as_strings<S: serde::Serializer>(w: &[SchemaWarning], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(w.iter().map(ToString::to_string))
}

impl Inner {
    /// Tells listeners about schema warnings not reported before.
    fn report(&self, warnings: &[SchemaWarning]) {
        if warnings.is_empty() {
            return;
        }
        let mut seen = lock(&self.warned);
        for w in warnings {
            if seen.insert(w.to_string()) {
                self.emit(Event::Warning(Warning::Schema(w.clone())));
            }
        }
    }
}

/// Runs `f` on the private journal, if there is one.
fn with_private<T>(inner: &Inner, f: impl FnOnce(&Journal) -> T) -> Option<T> {
    lock(&inner.private).as_ref().map(f)
}

impl Hearth {
    /// One entry, from either journal, deleted or not. `Ok(None)` if no entry has this id.
    pub fn entry(&self, id: &EntryId) -> Result<Option<Item>, EntryError> {
        let private = with_private(&self.inner, |j| j.entry(id)).transpose();
        if let Some(entry) = private.map_err(EntryError::Malformed)?.flatten() {
            return Ok(Some(Item {
                entry,
                private: true,
            }));
        }
        let shared = lock(&self.inner.shared)
            .entry(id)
            .map_err(EntryError::Malformed)?;
        Ok(shared.map(|entry| Item {
            entry,
            private: false,
        }))
    }

    /// A page of the timeline: the entries of both journals passing `filter`, newest first,
    /// older than `before` (or from the newest), at most `limit`.
    pub fn timeline(&self, filter: &Filter, before: Option<&EntryId>, limit: usize) -> Page {
        let shared = lock(&self.inner.shared).timeline(filter, before, limit);
        let private =
            with_private(&self.inner, |j| j.timeline(filter, before, limit)).unwrap_or_default();
        let more = shared.next.is_some() || private.next.is_some();
        let mut items: Vec<Item> = shared
            .entries
            .into_iter()
            .map(|entry| Item {
                entry,
                private: false,
            })
            .chain(private.entries.into_iter().map(|entry| Item {
                entry,
                private: true,
            }))
            .collect();
        items.sort_by(|a, b| b.entry.id.cmp(&a.entry.id));
        let more = more || items.len() > limit;
        items.truncate(limit);
        let next = if more {
            items.last().map(|i| i.entry.id.clone())
        } else {
            None
        };
        let mut warnings = shared.warnings;
        warnings.extend(private.warnings);
        self.inner.report(&warnings);
        Page {
            items,
            next,
            warnings,
        }
    }

    /// Every live entry of both journals whose text or comments hold every word of `query`,
    /// newest first.
    pub fn search(&self, query: &str) -> Vec<Item> {
        let filter = Filter {
            text: Some(query.to_owned()),
            ..Filter::default()
        };
        self.timeline(&filter, None, usize::MAX).items
    }

    /// The members of the shared journal (only this person while it has not arrived).
    pub fn members(&self) -> Vec<Member> {
        let info = lock(&self.inner.shared).info().ok().flatten();
        match info {
            Some(info) => info.members,
            None => vec![self.inner.me()],
        }
    }

    /// This person.
    pub fn me(&self) -> Member {
        self.inner.me()
    }

    /// The partner, once they are a member of the journal.
    pub fn partner(&self) -> Option<Member> {
        let me = self.inner.member_id();
        self.members().into_iter().find(|m| m.id != me)
    }

    /// The entry whose id starts with `prefix` (at least [`MIN_ID_PREFIX`] characters, any case),
    /// in either journal, deleted or not.
    pub fn resolve_id(&self, prefix: &str) -> Result<EntryId, ResolveError> {
        let typed = prefix.trim().to_ascii_lowercase();
        let len = typed.chars().count();
        if len < MIN_ID_PREFIX {
            return Err(ResolveError::TooShort {
                len,
                min: MIN_ID_PREFIX,
            });
        }
        let matching = |j: &Journal| -> Vec<EntryId> {
            j.scan()
                .entries
                .into_iter()
                .map(|e| e.id)
                .filter(|id| id.as_str().starts_with(&typed))
                .collect()
        };
        let mut found = matching(&lock(&self.inner.shared));
        found.extend(with_private(&self.inner, matching).unwrap_or_default());
        found.sort();
        found.dedup();
        match found.len() {
            0 => Err(ResolveError::Unknown {
                prefix: prefix.trim().to_owned(),
            }),
            1 => Ok(found.remove(0)),
            count => Err(ResolveError::Ambiguous {
                prefix: prefix.trim().to_owned(),
                count,
            }),
        }
    }
}
