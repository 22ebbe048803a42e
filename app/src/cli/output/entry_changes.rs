//! What happened to each entry between two looks at the journal, and the sentence that tells
//! it (`Bob commented on Ada's journal: Me too.`): how `hearth serve` reports what arrived.

use hearth::{BidResponse, Content, Entry, EntryKind, Turn};

use super::entries::kind_label;
use super::names::Names;

/// What happened to an entry, as `serve --json` names it in `change` (docs/cli.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    /// It is new.
    New,
    /// Someone commented on it.
    Commented,
    /// A comment on it was changed or deleted by its author.
    CommentChanged,
    /// Its reactions changed.
    Reacted,
    /// A bid was answered (or opened again).
    Responded,
    /// It was deleted.
    Deleted,
    /// The partner's answer opened: both have answered.
    Opened,
    /// Its content changed.
    Edited,
}

impl Change {
    /// The word for it in JSON.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Commented => "commented",
            Change::CommentChanged => "comment_changed",
            Change::Reacted => "reacted",
            Change::Responded => "responded",
            Change::Deleted => "deleted",
            Change::Opened => "opened",
            Change::Edited => "edited",
        }
    }
}

fn response(entry: &Entry) -> Option<BidResponse> {
    match entry.content {
        Content::Bid { response, .. } => response,
        _ => None,
    }
}

/// What happened to an entry between two looks at the journal: `old` as it was (`None`: not
/// there yet), `new` as it is.
pub(crate) fn change(old: Option<&Entry>, new: &Entry) -> Option<Change> {
    let Some(old) = old else {
        return (!new.deleted).then_some(Change::New);
    };
    if old == new {
        return None;
    }
    let opened = matches!(
        (&old.content, &new.content),
        (Content::HiddenAnswer { .. }, Content::Answer { .. })
    );
    Some(if new.deleted && !old.deleted {
        Change::Deleted
    } else if opened {
        Change::Opened
    } else if new.comments.len() > old.comments.len() {
        Change::Commented
    } else if new.comments != old.comments {
        Change::CommentChanged
    } else if new.reactions != old.reactions {
        Change::Reacted
    } else if response(new) != response(old) {
        Change::Responded
    } else {
        Change::Edited
    })
}

/// A kind of entry with its article, as in "Bob wrote a check-in".
fn a_kind(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Journal => "a journal entry",
        EntryKind::CheckIn => "a check-in",
        EntryKind::Debrief => "an evening debrief",
        EntryKind::Letter => "a letter for later",
        EntryKind::Gratitude => "their gratitude",
        EntryKind::Appreciation => "an appreciation",
        EntryKind::Answer => "an answer",
        EntryKind::Bid => "a bid",
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// What happened to an entry, in a sentence: `Bob commented on Ada's journal: Me too.`.
pub(crate) fn describe(names: &Names, what: Change, entry: &Entry) -> String {
    let author = names.name(&entry.author);
    let kind = kind_label(entry.kind());
    let sentence = match what {
        Change::New => match &entry.content {
            Content::HiddenAnswer { .. } => format!(
                "{author} wrote {}; it opens once you have answered too",
                a_kind(entry.kind())
            ),
            content => format!(
                "{author} wrote {}: {}",
                a_kind(entry.kind()),
                first_line(&content.main_text())
            ),
        },
        Change::Commented => match entry.comments.last() {
            Some(c) => format!(
                "{} commented on {author}'s {kind}: {}",
                names.name(&c.author),
                first_line(&c.text)
            ),
            None => format!("{author}'s {kind} has a new comment"),
        },
        Change::CommentChanged => format!("a comment on {author}'s {kind} was changed or deleted"),
        Change::Reacted => format!(
            "reactions to {author}'s {kind}: {}",
            names.reactions(entry).join(", ")
        ),
        Change::Responded => match response(entry).map(|r| r.turn) {
            Some(Turn::Toward) => format!("{author}'s bid was turned toward"),
            Some(Turn::Later) => format!("{author}'s bid was kept for later"),
            None => format!("{author}'s bid is open again"),
        },
        Change::Deleted => {
            // Only of someone else's entry: one's own deleted entry took no comment of one's own
            // by surprise.
            let mine = entry
                .comments
                .iter()
                .filter(|c| c.author == *names.me() && entry.author != *names.me())
                .count();
            match mine {
                0 => format!("{author}'s {kind} was deleted"),
                1 => format!("{author}'s {kind} was deleted; your comment went with it"),
                n => format!("{author}'s {kind} was deleted; your {n} comments went with it"),
            }
        }
        Change::Opened => format!(
            "{author}'s answer is open to you now: {}",
            first_line(&entry.content.main_text())
        ),
        Change::Edited => format!(
            "{author}'s {kind} was edited: {}",
            first_line(&entry.content.main_text())
        ),
    };
    format!("{sentence}  {}", names.short_id(&entry.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth::DeviceRef;
    use hearth::{Comment, EntryId, MemberId};

    fn entry(content: Content) -> Entry {
        Entry {
            id: EntryId::new(hearth::UnixMs::from_millis(1_000), [1; 9]),
            author: MemberId::new("ada"),
            device: DeviceRef::new("d"),
            created_ms: hearth::UnixMs::from_millis(1_000),
            edited_ms: hearth::UnixMs::from_millis(1_000),
            content,
            comments: Vec::new(),
            reactions: Default::default(),
            deleted: false,
            sealing: Default::default(),
        }
    }

    #[test]
    fn each_kind_of_change_is_told_apart() {
        let old = entry(Content::Bid {
            to: None,
            bid: hearth::BidKind::Opinion,
            body: "Blue or green?".into(),
            response: None,
        });
        assert_eq!(change(None, &old), Some(Change::New));
        assert_eq!(change(Some(&old), &old), None);

        let mut commented = old.clone();
        commented.comments.push(Comment {
            id: EntryId::new(hearth::UnixMs::from_millis(2_000), [2; 9]),
            author: MemberId::new("bob"),
            device: DeviceRef::new("e"),
            created_ms: hearth::UnixMs::from_millis(2_000),
            text: "Green.".into(),
        });
        assert_eq!(change(Some(&old), &commented), Some(Change::Commented));
        let mut recommented = commented.clone();
        recommented.comments[0].text = "Green, surely.".into();
        assert_eq!(
            change(Some(&commented), &recommented),
            Some(Change::CommentChanged)
        );
        assert_eq!(change(Some(&commented), &old), Some(Change::CommentChanged));

        let mut reacted = old.clone();
        reacted
            .reactions
            .insert(MemberId::new("bob"), ["❤️".to_owned()].into());
        assert_eq!(change(Some(&old), &reacted), Some(Change::Reacted));

        let mut answered = old.clone();
        if let Content::Bid { response, .. } = &mut answered.content {
            *response = Some(BidResponse {
                turn: Turn::Toward,
                at_ms: hearth::UnixMs::from_millis(3_000),
            });
        }
        assert_eq!(change(Some(&old), &answered), Some(Change::Responded));

        let mut edited = old.clone();
        edited.edited_ms = hearth::UnixMs::from_millis(4_000);
        if let Content::Bid { body, .. } = &mut edited.content {
            *body = "Blue, green or red?".into();
        }
        assert_eq!(change(Some(&old), &edited), Some(Change::Edited));

        let mut deleted = old.clone();
        deleted.deleted = true;
        assert_eq!(change(Some(&old), &deleted), Some(Change::Deleted));
        assert_eq!(
            change(None, &deleted),
            None,
            "nothing to tell of an entry never seen"
        );
    }
}
