//! What output calls people and entries: the name for each member id, and for each entry id the
//! shortest beginning that names it alone; with the terminal and the local time to show them in.

use std::collections::BTreeMap;

use hearth::{Entry, EntryId, MIN_ID_PREFIX, Member, MemberId};

use super::term::Term;
use hearth::Zone;

/// Shown ids are never shorter than this, so that they look alike from one entry to the next.
const SHORT_ID_MIN: usize = 8;

/// The people and ids of the journal, and how to show them now.
pub(crate) struct Names {
    pub(crate) term: Term,
    pub(crate) zone: Zone,
    pub(crate) now_ms: hearth::UnixMs,
    me: MemberId,
    names: BTreeMap<MemberId, String>,
    short: BTreeMap<EntryId, usize>,
}

impl Names {
    /// The names of `me` and the other `members`, and the short form of every entry id in `ids`
    /// (both journals, deleted or not: see `commands::names`).
    pub(crate) fn new(
        me: Member,
        members: Vec<Member>,
        ids: Vec<EntryId>,
        term: Term,
        zone: Zone,
    ) -> Names {
        let mut names: BTreeMap<MemberId, String> =
            members.into_iter().map(|m| (m.id, m.name)).collect();
        names.insert(me.id.clone(), me.name);
        Names {
            term,
            zone,
            now_ms: hearth::UnixMs::now(),
            me: me.id,
            names,
            short: short_lengths(ids),
        }
    }

    /// This person's member id.
    pub(crate) fn me(&self) -> &MemberId {
        &self.me
    }

    /// Whether `id` is this person.
    pub(crate) fn is_me(&self, id: &MemberId) -> bool {
        *id == self.me
    }

    /// A member's name (`someone` for a member this device does not know yet).
    pub(crate) fn name(&self, id: &MemberId) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| "someone".to_owned())
    }

    /// The reactions on `entry`, one `💛 🌷 Ben` for each person who reacted.
    pub(crate) fn reactions(&self, entry: &Entry) -> Vec<String> {
        entry
            .reactions
            .iter()
            .filter(|(_, set)| !set.is_empty())
            .map(|(who, set)| {
                let emoji: Vec<&str> = set.iter().map(String::as_str).collect();
                format!("{} {}", emoji.join(" "), self.name(who))
            })
            .collect()
    }

    /// The shortest beginning of `id` that names only this entry here.
    pub(crate) fn short_id<'a>(&self, id: &'a EntryId) -> &'a str {
        let text = id.as_str();
        let len = self.short.get(id).copied().unwrap_or(text.len());
        text.get(..len.min(text.len())).unwrap_or(text)
    }
}

/// For each id, the length of its shortest unique prefix (at least [`SHORT_ID_MIN`]).
fn short_lengths(mut ids: Vec<EntryId>) -> BTreeMap<EntryId, usize> {
    ids.sort();
    ids.dedup();
    let common = |a: &EntryId, b: &EntryId| {
        a.as_str()
            .bytes()
            .zip(b.as_str().bytes())
            .take_while(|(x, y)| x == y)
            .count()
    };
    let mut out = BTreeMap::new();
    for (i, id) in ids.iter().enumerate() {
        let before = i.checked_sub(1).map_or(0, |j| common(&ids[j], id));
        let after = ids.get(i + 1).map_or(0, |next| common(id, next));
        let len = (before.max(after) + 1)
            .max(SHORT_ID_MIN)
            .max(MIN_ID_PREFIX)
            .min(id.as_str().len());
        out.insert(id.clone(), len);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_are_unique_and_never_too_short() {
        let ids: Vec<EntryId> = [
            "0kq3v8m2aaaaaaaaaaaaaaaa",
            "0kq3v8m2abaaaaaaaaaaaaaa",
            "0kq3v9vvvvvvvvvvvvvvvvvv",
        ]
        .map(|s| s.parse().expect("a valid id"))
        .to_vec();
        let short = short_lengths(ids.clone());
        assert_eq!(short[&ids[0]], 10);
        assert_eq!(short[&ids[1]], 10);
        assert_eq!(short[&ids[2]], SHORT_ID_MIN);
    }
}
