//! What an entry reads as: the typed view the front ends show.

use std::collections::{BTreeMap, BTreeSet};

use crate::{BidKind, DeviceRef, EntryId, EntryKind, LocalDate, MemberId, Mood, Turn, UnixMs};

/// One entry of the journal, as read from the document.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// Its id, which also sorts it by creation time.
    pub id: EntryId,
    /// Who wrote it.
    pub author: MemberId,
    /// The device it was written on.
    pub device: DeviceRef,
    /// When it was written, by the author's clock.
    pub created_ms: UnixMs,
    /// When it was last edited; equal to `created_ms` if never.
    pub edited_ms: UnixMs,
    /// What it says.
    pub content: Content,
    /// Comments, oldest first; deleted ones are left out.
    pub comments: Vec<Comment>,
    /// Each member's reactions (emoji).
    pub reactions: BTreeMap<MemberId, BTreeSet<String>>,
    /// Whether it was deleted. What remains of a deleted entry is that it was: its text,
    /// reactions and comments' text are cleared (the comments keep only who wrote them and
    /// when, so the view can say whose comments went with it).
    pub deleted: bool,
    /// Whether it is an answer written sealed, and whether its key is published yet.
    #[serde(default, skip_serializing_if = "Sealing::is_plain")]
    pub sealing: Sealing,
}

/// How an entry's text is kept: in the clear (every entry but an answer, and answers written
/// before sealing), or sealed under a key of its own (answers; see `Journal::open_answers`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sealing {
    /// The text is in the document.
    #[default]
    Plain,
    /// Sealed, and the key is not published: only the author's device reads it.
    Sealed,
    /// Sealed, and the key is published: every device reads it.
    Opened,
}

impl Sealing {
    /// Whether the text was written sealed (published or not).
    pub fn is_sealed(self) -> bool {
        self != Sealing::Plain
    }

    /// Whether the text was written in the clear.
    pub fn is_plain(&self) -> bool {
        *self == Sealing::Plain
    }
}

impl Entry {
    /// The kind of entry.
    pub fn kind(&self) -> EntryKind {
        self.content.kind()
    }

    /// Whether this is a bid kept for later: answered "later", not yet turned toward.
    pub fn kept_for_later(&self) -> bool {
        matches!(
            &self.content,
            Content::Bid {
                response: Some(BidResponse {
                    turn: Turn::Later,
                    ..
                }),
                ..
            }
        )
    }

    /// Every piece of text the entry holds, for search and export.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.content
            .texts()
            .into_iter()
            .chain(self.comments.iter().map(|c| c.text.as_str()))
    }

    /// Whether this is an answer of another member that stays closed to `reader`: it answers a
    /// question `reader` has not answered (on a day within one of it: partners in two time
    /// zones may see the question on neighbouring dates). `answered` is every answer `reader`
    /// has given, as (question, day); one given and then deleted still counts, as what it
    /// opened has been read.
    /// Whether this entry is one `reader` may not see yet, depending on what they answered: an
    /// answer of another member written before sealing ([`Entry::closed_to`] decides).
    pub(crate) fn may_be_closed_to(&self, reader: &MemberId) -> bool {
        self.author != *reader && self.kind() == EntryKind::Answer && !self.sealing.is_sealed()
    }

    fn closed_to(&self, reader: &MemberId, answered: &[(String, LocalDate)]) -> bool {
        // A sealed answer is closed by its key, not by the reading code.
        let Content::Answer { question, day, .. } = &self.content else {
            return false;
        };
        !self.sealing.is_sealed()
            && self.author != *reader
            && !answered.iter().any(|(q, d)| {
                q == question && (d.days_since_epoch() - day.days_since_epoch()).abs() <= 1
            })
    }
}

/// Every answer `reader` has given among `entries`, as (question, day): what opens the
/// partner's answers to them.
pub(crate) fn answers_of(entries: &[Entry], reader: &MemberId) -> Vec<(String, LocalDate)> {
    entries
        .iter()
        .filter(|e| e.author == *reader)
        .filter_map(|e| e.content.question())
        .map(|(question, day)| (question.to_owned(), day))
        .collect()
}

/// `entries` as `reader` may see them, `answered` being [`answers_of`] the whole journal: an
/// answer of the partner to a question `reader` has not answered yet reads as
/// [`Content::HiddenAnswer`], without its text or its comments, so nothing shows it, searches it
/// or exports it.
pub(crate) fn seen_by(entries: &mut [Entry], reader: &MemberId, answered: &[(String, LocalDate)]) {
    for entry in entries {
        if !entry.closed_to(reader, answered) {
            continue;
        }
        if let Content::Answer { question, day, .. } = &entry.content {
            entry.content = Content::HiddenAnswer {
                question: question.clone(),
                day: *day,
            };
            entry.comments.clear();
        }
    }
}

/// The content of an entry, by kind.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Content {
    /// Free writing.
    Journal {
        /// The text.
        body: String,
    },
    /// A check-in.
    #[serde(rename = "checkin")]
    CheckIn {
        /// How I am, inside, from 1 to 10.
        mood: Mood,
        /// Why.
        why: String,
    },
    /// Gratitude at bedtime: three ways the partner lit up the day.
    Gratitude {
        /// To whom (the partner), if known when it was written.
        to: Option<MemberId>,
        /// The lines, usually three.
        lines: Vec<String>,
    },
    /// The evening debrief: what was hard today, and what helped. Either may be empty, not both.
    Debrief {
        /// What was hard.
        hard: String,
        /// What helped.
        helped: String,
    },
    /// A note of appreciation.
    Appreciation {
        /// To whom, if known when it was written.
        to: Option<MemberId>,
        /// The note.
        body: String,
    },
    /// An answer to the question of the day.
    Answer {
        /// The id of the question in the deck.
        question: String,
        /// The day whose question it answers, by the author's calendar.
        day: LocalDate,
        /// The answer.
        body: String,
    },
    /// The partner's answer to a question the reader has not answered yet: it opens when they
    /// answer too. Only that it exists is here, never its text.
    #[serde(rename = "hidden_answer")]
    HiddenAnswer {
        /// The id of the question in the deck.
        question: String,
        /// The day whose question it answers, by the author's calendar.
        day: LocalDate,
    },
    /// A letter for later, as its author (or, once it opened, anyone) reads it.
    Letter {
        /// When it opens.
        opens_at: UnixMs,
        /// The letter.
        body: String,
    },
    /// A letter sealed to this reader until it opens: only that it waits, and when it opens.
    #[serde(rename = "sealed_letter")]
    SealedLetter {
        /// When it opens (its author's device publishes its key at its first chance after).
        opens_at: UnixMs,
    },
    /// A bid for connection.
    Bid {
        /// To whom, if known when it was written.
        to: Option<MemberId>,
        /// What kind of bid.
        bid: BidKind,
        /// An optional note with it.
        body: String,
        /// How the partner responded, once they have.
        response: Option<BidResponse>,
    },
}

impl Content {
    /// The kind of entry this content makes.
    pub fn kind(&self) -> EntryKind {
        match self {
            Content::Journal { .. } => EntryKind::Journal,
            Content::CheckIn { .. } => EntryKind::CheckIn,
            Content::Gratitude { .. } => EntryKind::Gratitude,
            Content::Debrief { .. } => EntryKind::Debrief,
            Content::Appreciation { .. } => EntryKind::Appreciation,
            Content::Answer { .. } | Content::HiddenAnswer { .. } => EntryKind::Answer,
            Content::Bid { .. } => EntryKind::Bid,
            Content::Letter { .. } | Content::SealedLetter { .. } => EntryKind::Letter,
        }
    }

    /// The texts kept as a list of lines: a gratitude's lines, or a debrief's two parts (what
    /// was hard, what helped).
    pub fn lines(&self) -> Option<Vec<&str>> {
        match self {
            Content::Gratitude { .. } | Content::Debrief { .. } => Some(self.texts()),
            _ => None,
        }
    }

    /// The main text: the body, the why of a check-in, the gratitude lines or a debrief's two
    /// parts joined by newlines.
    pub fn main_text(&self) -> String {
        self.texts().join("\n")
    }

    /// Empties every text, as deleting does.
    pub(crate) fn clear_texts(&mut self) {
        match self {
            Content::Journal { body }
            | Content::Appreciation { body, .. }
            | Content::Answer { body, .. }
            | Content::Bid { body, .. } => body.clear(),
            Content::CheckIn { why, .. } => why.clear(),
            Content::Gratitude { lines, .. } => lines.iter_mut().for_each(String::clear),
            Content::Debrief { hard, helped } => {
                hard.clear();
                helped.clear();
            }
            Content::Letter { body, .. } => body.clear(),
            Content::HiddenAnswer { .. } | Content::SealedLetter { .. } => {}
        }
    }

    /// The question an answer answers, and the day it was asked, whether its text is open or
    /// not.
    pub fn question(&self) -> Option<(&str, LocalDate)> {
        match self {
            Content::Answer { question, day, .. } | Content::HiddenAnswer { question, day } => {
                Some((question, *day))
            }
            _ => None,
        }
    }

    pub(crate) fn texts(&self) -> Vec<&str> {
        match self {
            Content::Journal { body }
            | Content::Appreciation { body, .. }
            | Content::Answer { body, .. }
            | Content::Bid { body, .. } => vec![body],
            Content::CheckIn { why, .. } => vec![why],
            Content::Gratitude { lines, .. } => lines.iter().map(String::as_str).collect(),
            Content::Debrief { hard, helped } => vec![hard, helped],
            Content::Letter { body, .. } => vec![body],
            Content::HiddenAnswer { .. } | Content::SealedLetter { .. } => Vec::new(),
        }
    }
}

/// A comment on an entry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Comment {
    /// Its id, which also sorts it by creation time.
    pub id: EntryId,
    /// Who wrote it.
    pub author: MemberId,
    /// The device it was written on.
    pub device: DeviceRef,
    /// When it was written.
    pub created_ms: UnixMs,
    /// What it says.
    pub text: String,
}

/// The partner's response to a bid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BidResponse {
    /// Turned toward, or kept for later.
    pub turn: Turn,
    /// When.
    pub at_ms: UnixMs,
}
