//! Text and entries that read like a couple's journal: sentences of everyday words, with the
//! lengths people write (mostly 200 to 2,000 characters; short notes and long letters now and
//! then). Real words matter: Automerge compresses what it saves, and random letters would not
//! compress the way prose does.

use hearth::{BidKind, Content, LocalDate, MemberId, Mood};
use hearth_journal::deck;

use crate::rng::Rng;

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "we", "you", "I", "it", "the", "a", "and", "but", "so", "because", "then", "today", "tonight",
    "this", "morning", "evening", "after", "before", "work", "home", "dinner", "breakfast",
    "coffee", "tea", "walk", "park", "river", "rain", "sun", "cold", "warm", "tired", "happy",
    "quiet", "busy", "calm", "worried", "glad", "grateful", "proud", "laughed", "talked", "cooked",
    "cleaned", "called", "read", "watched", "slept", "woke", "early", "late", "long", "short",
    "little", "big", "new", "old", "good", "hard", "easy", "kind", "gentle", "funny", "slow",
    "together", "alone", "again", "still", "always", "sometimes", "never", "really", "almost",
    "maybe", "just", "very", "not", "all", "some", "more", "less", "with", "without", "about",
    "around", "through", "over", "under", "near", "far", "your", "my", "our", "their", "mother",
    "father", "sister", "friend", "neighbour", "dog", "cat", "garden", "kitchen", "window", "train",
    "car", "bike", "letter", "message", "photo", "song", "book", "film", "plan", "trip", "weekend",
    "holiday", "birthday", "question", "answer", "feeling", "thought", "idea", "memory", "promise",
    "hug", "kiss", "smile", "moment", "day", "week", "month", "year", "time", "place", "way",
    "thing", "felt", "noticed", "remembered", "forgot", "wanted", "needed", "tried", "helped",
    "listened", "asked", "said", "told", "heard", "saw", "loved", "missed", "found", "lost", "made",
    "took", "gave", "kept", "left", "came", "went", "stayed", "hoped", "wished", "bread", "soup",
    "flowers", "stars", "snow", "wind", "sea", "hill", "city", "market", "music", "silence",
    "evening", "light", "room", "bed", "blanket", "candle", "fire",
];

const ENDINGS: &[&str] = &[".", ".", ".", ".", "!", "?"];
const EMOJI: &[&str] = &["❤️", "🥰", "😂", "🙏", "✨", "🌻", "🫶", "😢"];

/// Prose of about `chars` characters (never more), in whole sentences where the length allows.
pub fn text(rng: &mut Rng, chars: usize) -> String {
    let mut out = String::with_capacity(chars + 16);
    while out.len() < chars {
        let words = rng.range(5, 19);
        let mut sentence = String::new();
        for i in 0..words {
            let word = rng.pick(WORDS);
            if i == 0 {
                let mut letters = word.chars();
                if let Some(first) = letters.next() {
                    sentence.extend(first.to_uppercase());
                    sentence.push_str(letters.as_str());
                }
            } else {
                sentence.push(if rng.chance(8) { ',' } else { ' ' });
                if sentence.ends_with(',') {
                    sentence.push(' ');
                }
                sentence.push_str(word);
            }
        }
        sentence.push_str(rng.pick(ENDINGS));
        if !out.is_empty() {
            out.push(if rng.chance(12) { '\n' } else { ' ' });
        }
        out.push_str(&sentence);
    }
    cut(out, chars)
}

/// Cuts `s` to at most `chars` bytes (all ASCII here) at a word boundary.
fn cut(mut s: String, chars: usize) -> String {
    if s.len() > chars {
        let end = s[..chars].rfind(' ').filter(|&i| i > 0).unwrap_or(chars);
        s.truncate(end);
    }
    s.trim_end_matches([' ', ',', '\n']).to_owned()
}

/// Today, in UTC.
pub fn today() -> LocalDate {
    LocalDate::from_utc_ms(hearth_journal::UnixMs::now(), 0)
}

/// The length of a body of writing: mostly 200 to 2,000 characters, a few short ones and a few
/// long letters.
pub fn body_len(rng: &mut Rng) -> usize {
    match rng.range(0, 100) {
        0..80 => rng.range(200, 2_000),
        80..92 => rng.range(60, 200),
        _ => rng.range(2_000, 4_500),
    }
}

/// A body of writing of a typical length.
pub fn prose(rng: &mut Rng) -> String {
    let len = body_len(rng);
    text(rng, len)
}

/// A comment on a partner's entry: a line or two.
pub fn comment(rng: &mut Rng) -> String {
    let len = rng.range(30, 300);
    text(rng, len)
}

pub fn emoji(rng: &mut Rng) -> &'static str {
    rng.pick(EMOJI)
}

/// A new entry by `author` to `partner`, written on `day`, of a kind chosen the way people use
/// the app: free journal most, then check-ins, gratitude, answers, appreciations and bids.
pub fn content(rng: &mut Rng, partner: &MemberId, day: LocalDate) -> Content {
    let to = Some(partner.clone());
    match rng.range(0, 100) {
        0..35 => Content::Journal { body: prose(rng) },
        35..55 => Content::CheckIn {
            mood: Mood::new(rng.range(3, 11) as i64).expect("3..=10 is a rating"),
            why: {
                let len = rng.range(80, 900);
                text(rng, len)
            },
        },
        55..70 => Content::Gratitude {
            to,
            lines: (0..3)
                .map(|_| {
                    let len = rng.range(30, 200);
                    text(rng, len)
                })
                .collect(),
        },
        70..80 => Content::Appreciation {
            to,
            body: {
                let len = rng.range(100, 1_000);
                text(rng, len)
            },
        },
        80..90 => {
            let questions: Vec<_> = deck::questions().collect();
            Content::Answer {
                question: rng.pick(&questions).id.to_owned(),
                day,
                body: prose(rng),
            }
        }
        _ => Content::Bid {
            to,
            bid: rng.pick(&BidKind::ALL),
            body: {
                let len = rng.range(0, 160);
                text(rng, len)
            },
            // The partner answers bids later, in a change of their own.
            response: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_has_about_the_length_asked_for() {
        let mut rng = Rng::new(3);
        for want in [40, 200, 1_000, 2_000] {
            let t = text(&mut rng, want);
            assert!(t.len() <= want, "{} > {want}", t.len());
            assert!(t.len() + 40 >= want, "{} much shorter than {want}", t.len());
            assert!(t.contains(' '));
        }
    }

    #[test]
    fn bodies_are_mostly_between_200_and_2000_characters() {
        let mut rng = Rng::new(5);
        let lens: Vec<usize> = (0..1_000).map(|_| body_len(&mut rng)).collect();
        let typical = lens.iter().filter(|l| (200..2_000).contains(*l)).count();
        assert!((700..900).contains(&typical), "{typical} of 1000 typical");
    }

    #[test]
    fn the_same_seed_writes_the_same_entries() {
        let partner = MemberId::new("ben");
        let day = LocalDate::from_ymd(2024, 5, 1).expect("a day");
        let make = |seed| {
            let mut rng = Rng::new(seed);
            (0..20)
                .map(|_| content(&mut rng, &partner, day))
                .collect::<Vec<_>>()
        };
        assert_eq!(make(9), make(9));
        assert_ne!(make(9), make(10));
    }
}
