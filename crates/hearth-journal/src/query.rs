//! Questions asked of the journal: the timeline, search, moods, bids, answers.

use std::collections::BTreeMap;

use automerge::ReadDoc;

use crate::schema;
use crate::warning::SchemaWarning;
use crate::{Content, Entry, EntryId, EntryKind, Journal, LocalDate, MemberId, Mood, Turn, UnixMs};

/// Which entries a listing shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this kind.
    pub kind: Option<EntryKind>,
    /// Only this member's.
    pub author: Option<MemberId>,
    /// Only entries whose text (or a comment's) holds every word of this, ignoring case.
    pub text: Option<String>,
    /// Deleted entries too.
    pub include_deleted: bool,
    /// Read the journal as this member sees it (see [`Journal::scan_as`]): the partner's answers
    /// they have not opened show no text and match no search. `None` reads the document as it
    /// is.
    pub reader: Option<MemberId>,
    /// Only bids kept for later (answered "later", not yet turned toward).
    pub later: bool,
}

impl Filter {
    /// Whether an entry passes the filter.
    pub fn matches(&self, entry: &Entry) -> bool {
        if entry.deleted && !self.include_deleted {
            return false;
        }
        if self.kind.is_some_and(|k| k != entry.kind()) {
            return false;
        }
        if self.author.as_ref().is_some_and(|a| *a != entry.author) {
            return false;
        }
        if self.later && !entry.kept_for_later() {
            return false;
        }
        match &self.text {
            None => true,
            Some(query) => {
                let haystack: Vec<String> = entry.texts().map(str::to_lowercase).collect();
                query
                    .to_lowercase()
                    .split_whitespace()
                    .all(|word| haystack.iter().any(|t| t.contains(word)))
            }
        }
    }
}

/// One page of a listing, newest first.
#[derive(Clone, Debug, Default)]
pub struct Page {
    /// The entries, newest first.
    pub entries: Vec<Entry>,
    /// Where the next (older) page starts, if there is one.
    pub next: Option<EntryId>,
    /// What reading skipped.
    pub warnings: Vec<SchemaWarning>,
}

/// A check-in rating at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MoodPoint {
    /// When it was given.
    pub at_ms: UnixMs,
    /// The rating.
    pub mood: Mood,
}

/// How one member's bids were met.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct BidStats {
    /// Bids made.
    pub made: usize,
    /// Of those, turned toward.
    pub turned_toward: usize,
    /// Of those, kept for later.
    pub later: usize,
    /// Of those, not answered yet.
    pub open: usize,
}

/// Where the question of the day stands between the two partners.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerState {
    /// My answer, once I have given it.
    pub mine: Option<Entry>,
    /// My partner's answer.
    pub partner: PartnerAnswer,
}

/// The partner's answer to the question of the day, as I may see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartnerAnswer {
    /// They have not answered yet.
    Waiting,
    /// They have answered; it stays hidden until I answer too.
    Hidden,
    /// Both have answered, and theirs is still sealed: it opens when their device has seen my
    /// answer and published its key, the next time it syncs.
    Opening,
    /// Both have answered: here it is.
    Revealed(Box<Entry>),
}

impl Journal {
    /// A page of the timeline: entries passing `filter`, newest first, starting after `before`
    /// (or at the newest), at most `limit`.
    ///
    /// Only the entries the page needs are read: the keys newest first, each entry read whole
    /// until the page is full and one more passes (so a page costs the same at any journal
    /// size, unless the filter passes few). Its warnings are those of the journal's own fields
    /// and of the entries read.
    pub fn timeline(&self, filter: &Filter, before: Option<&EntryId>, limit: usize) -> Page {
        let mut warnings = Vec::new();
        if let Err(w) = crate::schema::read_info(self.reading(), &mut warnings) {
            warnings.push(w);
        }
        let mut newest = self.newest_first(filter.reader.as_ref(), before, &mut warnings);
        let mut entries = newest.by_ref().filter(|e| filter.matches(e));
        let page: Vec<Entry> = entries.by_ref().take(limit).collect();
        let next = match (entries.next(), page.last()) {
            (Some(_), Some(last)) => Some(last.id.clone()),
            _ => None,
        };
        drop(newest);
        Page {
            entries: page,
            next,
            warnings,
        }
    }

    /// The newest `n` live entries written by anyone but `me`, as `me` may see them.
    pub fn latest_from_others(&self, me: &MemberId, n: usize) -> Vec<Entry> {
        self.newest_first(Some(me), None, &mut Vec::new())
            .filter(|e| !e.deleted && e.author != *me)
            .take(n)
            .collect()
    }

    /// The entries older than `before` (or all), newest first, read one by one as they are
    /// taken, as `reader` may see them if given ([`Journal::scan_as`]); what cannot be read is
    /// added to `warnings`.
    fn newest_first<'a>(
        &'a self,
        reader: Option<&'a MemberId>,
        before: Option<&EntryId>,
        warnings: &'a mut Vec<SchemaWarning>,
    ) -> impl Iterator<Item = Entry> + 'a {
        let entries = self.entries_obj();
        let before = before.cloned();
        let keys = entries
            .clone()
            .into_iter()
            .flat_map(move |entries| self.keys_newest_first(entries, before.clone()));
        // What the reader has answered, read once an entry needs it.
        let mut answered = None;
        keys.filter_map(move |key| {
            let mut entry = match self.read_at(entries.as_ref()?, &key, warnings) {
                Ok(entry) => entry?,
                Err(w) => {
                    warnings.push(w);
                    return None;
                }
            };
            if let Some(reader) = reader
                && entry.may_be_closed_to(reader)
            {
                let answered = answered.get_or_insert_with(|| self.answers_given_by(reader));
                crate::entry::seen_by(std::slice::from_mut(&mut entry), reader, answered);
            }
            Some(entry)
        })
    }

    /// The keys of `entries` below `before` (or all), newest first, taken a span of creation
    /// times at a time: ids sort by creation time, as their text does, so a page reads only the
    /// keys of the weeks it reaches. The spans grow fourfold from a week back from `before` (or
    /// from the newest entry); the last reaches down to the lowest key, so none is missed.
    fn keys_newest_first(
        &self,
        entries: automerge::ObjId,
        before: Option<EntryId>,
    ) -> impl Iterator<Item = String> + '_ {
        const WEEK_MS: i64 = 7 * 86_400_000;
        let doc = self.reading();
        let mut from_ms = match &before {
            Some(before) => before.created_ms().as_millis(),
            None => newest_ms(doc, &entries),
        };
        let mut upper = before.map(String::from);
        let mut span_ms = WEEK_MS;
        let mut done = false;
        std::iter::from_fn(move || {
            if done {
                return None;
            }
            from_ms = from_ms.saturating_sub(span_ms);
            span_ms = span_ms.saturating_mul(4);
            let lower = if from_ms <= 0 {
                done = true;
                String::new()
            } else {
                id_text(from_ms)
            };
            let range = match upper.replace(lower.clone()) {
                Some(upper) => doc.map_range(&entries, lower..upper),
                None => doc.map_range(&entries, lower..),
            };
            let mut keys: Vec<String> = range.map(|item| item.key.into_owned()).collect();
            keys.sort_unstable_by(|a, b| b.cmp(a));
            Some(keys)
        })
        .flatten()
    }

    /// Every live entry whose text or comments hold every word of `query`, newest first.
    pub fn search(&self, query: &str) -> Vec<Entry> {
        let filter = Filter {
            text: Some(query.to_owned()),
            ..Filter::default()
        };
        self.timeline(&filter, None, usize::MAX).entries
    }

    /// Each member's check-in ratings given in `[from_ms, to_ms)`, oldest first.
    pub fn mood_series(
        &self,
        from_ms: UnixMs,
        to_ms: UnixMs,
    ) -> BTreeMap<MemberId, Vec<MoodPoint>> {
        let mut series: BTreeMap<MemberId, Vec<MoodPoint>> = BTreeMap::new();
        for entry in self.scan().entries {
            if let (false, Content::CheckIn { mood, .. }) = (entry.deleted, &entry.content)
                && (from_ms..to_ms).contains(&entry.created_ms)
            {
                series
                    .entry(entry.author.clone())
                    .or_default()
                    .push(MoodPoint {
                        at_ms: entry.created_ms,
                        mood: *mood,
                    });
            }
        }
        for points in series.values_mut() {
            points.sort_by_key(|p| p.at_ms);
        }
        series
    }

    /// For each member, how the bids they made in `[from_ms, to_ms)` were met.
    pub fn bid_stats(&self, from_ms: UnixMs, to_ms: UnixMs) -> BTreeMap<MemberId, BidStats> {
        let mut stats: BTreeMap<MemberId, BidStats> = BTreeMap::new();
        for entry in self.scan().entries {
            if let (false, Content::Bid { response, .. }) = (entry.deleted, &entry.content)
                && (from_ms..to_ms).contains(&entry.created_ms)
            {
                let s = stats.entry(entry.author.clone()).or_default();
                s.made += 1;
                match response.map(|r| r.turn) {
                    Some(Turn::Toward) => s.turned_toward += 1,
                    Some(Turn::Later) => s.later += 1,
                    None => s.open += 1,
                }
            }
        }
        stats
    }

    /// The bids to `me` (from anyone else) that were kept for later and not yet turned toward,
    /// the most recently kept first.
    pub fn later_bids_for(&self, me: &MemberId) -> Vec<Entry> {
        let mut bids: Vec<Entry> = self
            .read_where(&[EntryKind::Bid], |f| {
                !f.is(schema::AUTHOR, me.as_str())
                    && f.inner_is(schema::RESPONSE, schema::TURN, Turn::Later.as_str())
            })
            .into_iter()
            .filter(|e| !e.deleted && e.author != *me && e.kept_for_later())
            .collect();
        let kept_at = |e: &Entry| match &e.content {
            Content::Bid {
                response: Some(r), ..
            } => r.at_ms,
            _ => UnixMs::EPOCH,
        };
        bids.sort_by_key(|e| std::cmp::Reverse(kept_at(e)));
        bids
    }

    /// Bids from others to `me` made since `since` that wait for an answer, newest first. Only
    /// the entries made since then are looked at (see `hearth::Today::open_bids` for why Today
    /// asks for a week's).
    pub fn open_bids_for(&self, me: &MemberId, since: UnixMs) -> Vec<Entry> {
        let mut bids: Vec<Entry> = self
            .read_where_since(Some(since), &[EntryKind::Bid], |f| {
                !f.is(schema::AUTHOR, me.as_str()) && !f.has(schema::RESPONSE)
            })
            .into_iter()
            .filter(|e| !e.deleted && e.author != *me)
            .filter(|e| matches!(e.content, Content::Bid { response: None, .. }))
            .collect();
        bids.reverse();
        bids
    }

    /// The two partners' answers to `question` asked on `day` (answers dated a day either side
    /// count too: partners in different time zones may see the question on neighbouring dates).
    pub fn answer_state(&self, question: &str, day: LocalDate, me: &MemberId) -> AnswerState {
        let mut mine = None;
        let mut answered = false;
        let mut partner = None;
        let answers = self.read_where(&[EntryKind::Answer], |f| f.is(schema::QUESTION, question));
        for entry in answers {
            let Some((q, d)) = entry.content.question() else {
                continue;
            };
            if q != question || (d.days_since_epoch() - day.days_since_epoch()).abs() > 1 {
                continue;
            }
            if entry.author == *me {
                // One given and then deleted still opens the partner's: it has been read.
                answered = true;
                if !entry.deleted {
                    mine = Some(entry);
                }
            } else if !entry.deleted {
                partner = Some(entry);
            }
        }
        let partner = match (partner, answered) {
            (None, _) => PartnerAnswer::Waiting,
            (Some(answer), answered) => match answer.content {
                // Sealed and not yet published: whether I have answered decides what to say.
                Content::HiddenAnswer { .. } if answered => PartnerAnswer::Opening,
                Content::HiddenAnswer { .. } => PartnerAnswer::Hidden,
                // Written before sealing: closed by this code until I answer.
                _ if !answer.sealing.is_sealed() && !answered => PartnerAnswer::Hidden,
                // Open: both have answered, or its author opened it.
                _ => PartnerAnswer::Revealed(Box::new(answer)),
            },
        };
        AnswerState { mine, partner }
    }
}

/// The lowest key of an entry made at `ms`.
pub(crate) fn id_text(ms: i64) -> String {
    EntryId::new(UnixMs::from_millis(ms), [0; 9])
        .as_str()
        .to_owned()
}

/// About when the newest entry of `entries` was made (within a day, and no earlier than it),
/// found by seeking, not by reading the keys: the journal reads no clock, and a device whose
/// clock ran ahead may have dated entries after now.
fn newest_ms(doc: &automerge::AutoCommit, entries: &automerge::ObjId) -> i64 {
    const DAY_MS: i64 = 86_400_000;
    // The latest time an id can say.
    const LAST_MS: i64 = (1 << 48) - 1;
    let any_from = |ms: i64| doc.map_range(entries, id_text(ms)..).next().is_some();
    let (mut lo, mut hi) = (0, LAST_MS);
    while hi - lo > DAY_MS {
        let mid = lo + (hi - lo) / 2;
        if any_from(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}
