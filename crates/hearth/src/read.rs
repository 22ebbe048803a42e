//! Reading the journal: one entry, the timeline of both journals, search, the members, and ids
//! typed by a person.

use hearth_journal::{Entry, EntryId, Filter, Journal, Member, SchemaWarning};

use crate::device::Device;
use crate::{Closed, EntryError, Hearth, ResolveError};

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

impl Device {
    /// One entry, from either journal.
    fn entry(&self, id: &EntryId) -> Result<Option<Item>, EntryError> {
        let private = self.private.as_ref().map(|j| j.entry(id)).transpose();
        if let Some(entry) = private.map_err(EntryError::Malformed)?.flatten() {
            return Ok(Some(Item {
                entry,
                private: true,
            }));
        }
        let shared = self.shared.entry(id).map_err(EntryError::Malformed)?;
        Ok(shared.map(|entry| Item {
            entry,
            private: false,
        }))
    }

    /// A page of both journals, newest first.
    fn timeline(&mut self, filter: &Filter, before: Option<&EntryId>, limit: usize) -> Page {
        let shared = self.shared.timeline(filter, before, limit);
        let private = self
            .private
            .as_ref()
            .map(|j| j.timeline(filter, before, limit))
            .unwrap_or_default();
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
        self.report(&warnings);
        Page {
            items,
            next,
            warnings,
        }
    }

    /// The entry whose id starts with `typed` (lowercase), in either journal.
    fn resolve_id(&self, prefix: &str) -> Result<EntryId, ResolveError> {
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
        let mut found = matching(&self.shared);
        found.extend(self.private.as_ref().map(matching).unwrap_or_default());
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

impl Hearth {
    /// One entry, from either journal, deleted or not. `Ok(None)` if no entry has this id.
    pub async fn entry(&self, id: &EntryId) -> Result<Option<Item>, EntryError> {
        let id = id.clone();
        self.call(move |d| d.entry(&id)).await?
    }

    /// A page of the timeline: the entries of both journals passing `filter`, newest first,
    /// older than `before` (or from the newest), at most `limit`.
    pub async fn timeline(
        &self,
        filter: &Filter,
        before: Option<&EntryId>,
        limit: usize,
    ) -> Result<Page, Closed> {
        let (filter, before) = (filter.clone(), before.cloned());
        self.call(move |d| d.timeline(&filter, before.as_ref(), limit))
            .await
    }

    /// Every live entry of both journals whose text or comments hold every word of `query`,
    /// newest first.
    pub async fn search(&self, query: &str) -> Result<Vec<Item>, Closed> {
        let filter = Filter {
            text: Some(query.to_owned()),
            ..Filter::default()
        };
        Ok(self.timeline(&filter, None, usize::MAX).await?.items)
    }

    /// The members of the shared journal (only this person while it has not arrived).
    pub async fn members(&self) -> Result<Vec<Member>, Closed> {
        self.call(|d| d.members()).await
    }

    /// This person.
    pub async fn me(&self) -> Result<Member, Closed> {
        self.call(|d| d.me()).await
    }

    /// The partner, once they are a member of the journal.
    pub async fn partner(&self) -> Result<Option<Member>, Closed> {
        self.call(|d| {
            let me = d.binding.member.clone();
            d.members().into_iter().find(|m| m.id != me)
        })
        .await
    }

    /// The entry whose id starts with `prefix` (at least [`MIN_ID_PREFIX`] characters, any case),
    /// in either journal, deleted or not.
    pub async fn resolve_id(&self, prefix: &str) -> Result<EntryId, ResolveError> {
        let prefix = prefix.to_owned();
        self.call(move |d| d.resolve_id(&prefix)).await?
    }
}
