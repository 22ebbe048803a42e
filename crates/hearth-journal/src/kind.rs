//! The kinds of entry, and the small values some of them carry.

use std::fmt;
use std::str::FromStr;

/// What an entry is: one per ritual of the journal.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// Free writing, shared with the partner; both can edit, comment and react.
    Journal,
    /// "How am I, inside, right now?": a rating from 1 to 10 and the why.
    CheckIn,
    /// Three ways the partner lit up the day.
    Gratitude,
    /// A short note of thanks for something specific.
    Appreciation,
    /// An answer to the question of the day.
    Answer,
    /// A small bid for connection the partner can turn toward.
    Bid,
    /// The evening debrief: what was hard today, and what helped.
    Debrief,
    /// A letter for later: sealed until a moment its author chose.
    Letter,
}

impl EntryKind {
    /// Every kind, in the order a menu shows them.
    pub const ALL: [EntryKind; 8] = [
        EntryKind::Journal,
        EntryKind::CheckIn,
        EntryKind::Debrief,
        EntryKind::Gratitude,
        EntryKind::Appreciation,
        EntryKind::Answer,
        EntryKind::Bid,
        EntryKind::Letter,
    ];

    /// The word stored in the document and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Journal => "journal",
            EntryKind::CheckIn => "checkin",
            EntryKind::Gratitude => "gratitude",
            EntryKind::Appreciation => "appreciation",
            EntryKind::Answer => "answer",
            EntryKind::Bid => "bid",
            EntryKind::Debrief => "debrief",
            EntryKind::Letter => "letter",
        }
    }
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that names no kind of entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown kind of entry {word:?}: one of journal, checkin, debrief, gratitude, appreciation, answer, bid, letter"
)]
pub struct UnknownKind {
    /// The word that was given.
    pub word: String,
}

impl FromStr for EntryKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EntryKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownKind { word: s.into() })
    }
}

/// A check-in rating, from 1 (very low) to 10 (wonderful).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Mood(u8);

/// A rating outside 1–10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a check-in rating is from 1 to 10, not {value}")]
pub struct MoodOutOfRange {
    /// The rating that was given.
    pub value: i64,
}

impl Mood {
    /// The lowest rating.
    pub const MIN: u8 = 1;
    /// The highest rating.
    pub const MAX: u8 = 10;

    /// A rating, if it is from 1 to 10.
    pub fn new(value: i64) -> Result<Self, MoodOutOfRange> {
        u8::try_from(value)
            .ok()
            .filter(|v| (Self::MIN..=Self::MAX).contains(v))
            .map(Self)
            .ok_or(MoodOutOfRange { value })
    }

    /// The rating as a number from 1 to 10.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Mood {
    type Error = MoodOutOfRange;

    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Mood::new(value)
    }
}

impl From<Mood> for i64 {
    fn from(m: Mood) -> i64 {
        i64::from(m.0)
    }
}

/// The kind of a bid for connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BidKind {
    /// "Thinking of you."
    ThinkingOfYou,
    /// "Look at this."
    LookAtThis,
    /// "Can I have your opinion?"
    Opinion,
    /// "Can we talk later?"
    TalkLater,
}

impl BidKind {
    /// Every kind of bid.
    pub const ALL: [BidKind; 4] = [
        BidKind::ThinkingOfYou,
        BidKind::LookAtThis,
        BidKind::Opinion,
        BidKind::TalkLater,
    ];

    /// The word stored in the document.
    pub fn as_str(self) -> &'static str {
        match self {
            BidKind::ThinkingOfYou => "thinking_of_you",
            BidKind::LookAtThis => "look_at_this",
            BidKind::Opinion => "opinion",
            BidKind::TalkLater => "talk_later",
        }
    }

    /// What the bid says, as a person reads it.
    pub fn phrase(self) -> &'static str {
        match self {
            BidKind::ThinkingOfYou => "Thinking of you",
            BidKind::LookAtThis => "Look at this",
            BidKind::Opinion => "Can I have your opinion?",
            BidKind::TalkLater => "Can we talk later?",
        }
    }
}

impl FromStr for BidKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BidKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownKind { word: s.into() })
    }
}

/// How the partner answered a bid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Turn {
    /// They turned toward it.
    Toward,
    /// They saw it and kept it for later.
    Later,
}

impl Turn {
    /// The word stored in the document and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Turn::Toward => "toward",
            Turn::Later => "later",
        }
    }
}

impl FromStr for Turn {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "toward" => Ok(Turn::Toward),
            "later" => Ok(Turn::Later),
            _ => Err(UnknownKind { word: s.into() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_words() {
        for kind in EntryKind::ALL {
            assert_eq!(kind.as_str().parse::<EntryKind>(), Ok(kind));
        }
        for kind in BidKind::ALL {
            assert_eq!(kind.as_str().parse::<BidKind>(), Ok(kind));
        }
        assert!("diary".parse::<EntryKind>().is_err());
        assert_eq!("later".parse::<Turn>(), Ok(Turn::Later));
    }

    #[test]
    fn mood_is_one_to_ten() {
        assert_eq!(Mood::new(1).map(Mood::get), Ok(1));
        assert_eq!(Mood::new(10).map(Mood::get), Ok(10));
        assert_eq!(Mood::new(0), Err(MoodOutOfRange { value: 0 }));
        assert_eq!(Mood::new(11), Err(MoodOutOfRange { value: 11 }));
        assert_eq!(Mood::new(-300), Err(MoodOutOfRange { value: -300 }));
    }
}
