//! Reading the journal: one entry, the timeline of both journals, search, the members, and ids
//! typed by a person.

use hearth_journal::{Entry, EntryId, Filter, Member, SchemaWarning, Version};

use crate::device::Device;
use crate::{Closed, EntryError, Hearth, ResolveError};

/// The fewest characters of an entry id a person must type.
pub const MIN_ID_PREFIX: usize = 4;

/// An entry, and which journal it is in.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Item {
    /// The entry.
    pub entry: Entry,
    /// Whether it is in the private journal (never synced).
    pub private: bool,
}

/// What an id a person typed names: an entry, or a comment on one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Named {
    /// An entry.
    Entry(EntryId),
    /// A comment, on this entry.
    Comment {
        /// The entry it is on.
        entry: EntryId,
        /// The comment.
        comment: EntryId,
    },
}

/// One page of the timeline, newest first.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Page {
    /// The entries, newest first, from both journals.
    pub items: Vec<Item>,
    /// Where the next (older) page starts, if there is one: pass it as `before`.
    pub next: Option<EntryId>,
    /// What reading had to skip because it does not fit the schema.
    #[serde(serialize_with = "as_strings", skip_deserializing)]
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
        let shared = self
            .shared
            .entry_as(id, &self.binding.member)
            .map_err(EntryError::Malformed)?;
        Ok(shared.map(|entry| Item {
            entry,
            private: false,
        }))
    }

    /// A page of both journals, newest first.
    pub(crate) fn timeline(
        &mut self,
        filter: &Filter,
        before: Option<&EntryId>,
        limit: usize,
    ) -> Page {
        // The person reads as themselves, whatever the filter asked.
        let filter = &Filter {
            reader: Some(self.binding.member.clone()),
            ..filter.clone()
        };
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

    /// The one thing whose id starts with `prefix` (any case), in either journal: `named` lists
    /// what an entry holds of the kind looked for, with its id.
    fn find<T: Ord>(
        &self,
        prefix: &str,
        named: impl Fn(Entry) -> Vec<(EntryId, T)>,
    ) -> Result<T, ResolveError> {
        let typed = prefix.trim().to_ascii_lowercase();
        let len = typed.chars().count();
        if len < MIN_ID_PREFIX {
            return Err(ResolveError::TooShort {
                len,
                min: MIN_ID_PREFIX,
            });
        }
        let me = &self.binding.member;
        let mut found: Vec<T> = Vec::new();
        for journal in std::iter::once(&self.shared).chain(self.private.as_ref()) {
            found.extend(
                journal
                    .scan_as(me)
                    .entries
                    .into_iter()
                    .flat_map(&named)
                    .filter(|(id, _)| id.as_str().starts_with(&typed))
                    .map(|(_, t)| t),
            );
        }
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

    /// The entry whose id starts with `prefix`, in either journal.
    fn resolve_id(&self, prefix: &str) -> Result<EntryId, ResolveError> {
        self.find(prefix, |entry| vec![(entry.id.clone(), entry.id)])
    }

    /// The entry or comment whose id starts with `prefix`, in either journal.
    fn resolve(&self, prefix: &str) -> Result<Named, ResolveError> {
        self.find(prefix, |entry| {
            let mut named: Vec<(EntryId, Named)> = entry
                .comments
                .iter()
                .map(|c| {
                    let comment = Named::Comment {
                        entry: entry.id.clone(),
                        comment: c.id.clone(),
                    };
                    (c.id.clone(), comment)
                })
                .collect();
            named.push((entry.id.clone(), Named::Entry(entry.id)));
            named
        })
    }
}

impl Device {
    /// The versions of a live entry, each device named as the journal knows it.
    fn history(&mut self, id: &EntryId) -> Option<Vec<Version>> {
        let me = self.binding.member.clone();
        let doc = self.doc_of(id);
        let mut versions = self.journal_mut(doc).history(id, &me)?;
        let devices = self.shared.devices();
        for version in &mut versions {
            let named = version.device.as_deref().and_then(|prefix| {
                devices
                    .iter()
                    .find(|(id, _)| id.as_str().starts_with(prefix))
                    .map(|(_, record)| record.name.clone())
            });
            if named.is_some() {
                version.device = named;
            }
        }
        Some(versions)
    }
}

impl Hearth {
    /// The versions of an entry, oldest first, from the journal's own history: each with what it
    /// said, who wrote it, the device that made the change (its name when the journal knows it,
    /// else the first bytes of its id) and when. `Ok(None)` if there is no such entry or it was
    /// deleted (a deleted entry shows no history). The partner's answer to a question this person
    /// has not answered shows none of its words in any version.
    pub async fn history(&self, id: &EntryId) -> Result<Option<Vec<Version>>, Closed> {
        let id = id.clone();
        self.call(move |d| d.history(&id)).await
    }

    /// One entry, from either journal, deleted or not, as this person may see it (the partner's
    /// answer to a question they have not answered is hidden). `Ok(None)` if no entry has this
    /// id.
    pub async fn entry(&self, id: &EntryId) -> Result<Option<Item>, EntryError> {
        let id = id.clone();
        self.call(move |d| d.entry(&id)).await?
    }

    /// A page of the timeline: the entries of both journals passing `filter`, newest first,
    /// older than `before` (or from the newest), at most `limit`. Always read as this person
    /// sees them: the partner's answer to a question they have not answered shows as
    /// [`hearth_journal::Content::HiddenAnswer`] and matches no search (`filter.reader` is
    /// ignored).
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
    /// newest first. The partner's answers this person has not opened are never found.
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

    /// The entry or the comment whose id starts with `prefix` (at least [`MIN_ID_PREFIX`]
    /// characters, any case), in either journal, deleted or not.
    pub async fn resolve(&self, prefix: &str) -> Result<Named, ResolveError> {
        let prefix = prefix.to_owned();
        self.call(move |d| d.resolve(&prefix)).await?
    }

    /// The entry whose id starts with `prefix` (at least [`MIN_ID_PREFIX`] characters, any case),
    /// in either journal, deleted or not.
    pub async fn resolve_id(&self, prefix: &str) -> Result<EntryId, ResolveError> {
        let prefix = prefix.to_owned();
        self.call(move |d| d.resolve_id(&prefix)).await?
    }
}
