//! What changed in the journal between two looks at it, in a sentence for each entry.

use std::collections::BTreeMap;

use hearth::{BidResponse, Closed, Content, Entry, EntryId, EntryKind, Filter, Hearth, Item, Turn};

use super::lens::Lens;
use super::render::kind_label;

/// Every entry of the shared and private journals, deleted or not, to tell what changed.
pub(crate) async fn snapshot(h: &Hearth) -> Result<BTreeMap<EntryId, Item>, Closed> {
    let all = Filter {
        include_deleted: true,
        ..Filter::default()
    };
    Ok(h.timeline(&all, None, usize::MAX)
        .await?
        .items
        .into_iter()
        .map(|i| (i.entry.id.clone(), i))
        .collect())
}

fn response(entry: &Entry) -> Option<BidResponse> {
    match entry.content {
        Content::Bid { response, .. } => response,
        _ => None,
    }
}

/// What happened to an entry between two snapshots.
pub(crate) fn change(old: Option<&Entry>, new: &Entry) -> Option<&'static str> {
    let Some(old) = old else {
        return (!new.deleted).then_some("new");
    };
    if old == new {
        return None;
    }
    Some(if new.deleted && !old.deleted {
        "deleted"
    } else if new.comments.len() > old.comments.len() {
        "commented"
    } else if new.reactions != old.reactions {
        "reacted"
    } else if response(new) != response(old) {
        "responded"
    } else {
        "edited"
    })
}

/// A kind of entry with its article, as in "Bob wrote a check-in".
fn a_kind(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Journal => "a journal entry",
        EntryKind::CheckIn => "a check-in",
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
pub(crate) fn describe(lens: &Lens, what: &str, entry: &Entry) -> String {
    let author = lens.name(&entry.author);
    let kind = kind_label(entry.kind());
    let sentence = match what {
        "new" => format!(
            "{author} wrote {}: {}",
            a_kind(entry.kind()),
            first_line(&entry.content.main_text())
        ),
        "commented" => match entry.comments.last() {
            Some(c) => format!(
                "{} commented on {author}'s {kind}: {}",
                lens.name(&c.author),
                first_line(&c.text)
            ),
            None => format!("{author}'s {kind} has a new comment"),
        },
        "reacted" => format!(
            "reactions to {author}'s {kind}: {}",
            lens.reactions(entry).join(", ")
        ),
        "responded" => match response(entry).map(|r| r.turn) {
            Some(Turn::Toward) => format!("{author}'s bid was turned toward"),
            Some(Turn::Later) => format!("{author}'s bid was kept for later"),
            None => format!("{author}'s bid is open again"),
        },
        "deleted" => format!("{author}'s {kind} was deleted"),
        _ => format!(
            "{author}'s {kind} was edited: {}",
            first_line(&entry.content.main_text())
        ),
    };
    format!("{sentence}  {}", lens.short_id(&entry.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth::journal::DeviceId;
    use hearth::{Comment, MemberId};

    fn entry(content: Content) -> Entry {
        Entry {
            id: EntryId::new(1_000, [1; 9]),
            author: MemberId::new("ada"),
            device: DeviceId::new("d"),
            created_ms: 1_000,
            edited_ms: 1_000,
            content,
            comments: Vec::new(),
            reactions: Default::default(),
            deleted: false,
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
        assert_eq!(change(None, &old), Some("new"));
        assert_eq!(change(Some(&old), &old), None);

        let mut commented = old.clone();
        commented.comments.push(Comment {
            id: EntryId::new(2_000, [2; 9]),
            author: MemberId::new("bob"),
            device: DeviceId::new("e"),
            created_ms: 2_000,
            text: "Green.".into(),
        });
        assert_eq!(change(Some(&old), &commented), Some("commented"));

        let mut reacted = old.clone();
        reacted
            .reactions
            .insert(MemberId::new("bob"), ["❤️".to_owned()].into());
        assert_eq!(change(Some(&old), &reacted), Some("reacted"));

        let mut answered = old.clone();
        if let Content::Bid { response, .. } = &mut answered.content {
            *response = Some(BidResponse {
                turn: Turn::Toward,
                at_ms: 3_000,
            });
        }
        assert_eq!(change(Some(&old), &answered), Some("responded"));

        let mut edited = old.clone();
        edited.edited_ms = 4_000;
        if let Content::Bid { body, .. } = &mut edited.content {
            *body = "Blue, green or red?".into();
        }
        assert_eq!(change(Some(&old), &edited), Some("edited"));

        let mut deleted = old.clone();
        deleted.deleted = true;
        assert_eq!(change(Some(&old), &deleted), Some("deleted"));
        assert_eq!(
            change(None, &deleted),
            None,
            "nothing to tell of an entry never seen"
        );
    }
}
