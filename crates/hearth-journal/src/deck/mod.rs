//! The prompt deck: the question of the day, in tiers of rising depth, and the ritual prompts.
//!
//! Both partners see the same question on the same day without talking to each other: it is
//! chosen from the journal id and the number of days since the journal's first day. The first
//! weeks walk the light questions in an order of their own for each journal, then the closer ones,
//! then the deep ones; after that the whole deck comes round again, each round shuffled anew.

mod dates;
mod text;

pub use dates::{Cost, DATE_IDEAS, DateIdea, Place};

use crate::{JournalId, LocalDate};

/// How deep a question goes.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Easy, playful, getting to know each other now.
    Light,
    /// Closer: feelings, memories, how we are together.
    Closer,
    /// Deep: hopes, fears, what holds us.
    Deep,
}

/// A question of the deck.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Question {
    /// Its stable id (answers refer to it).
    pub id: &'static str,
    /// The question.
    pub text: &'static str,
    /// How deep it goes.
    pub tier: Tier,
}

/// A ritual with prompts of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ritual {
    /// The morning check-in.
    Morning,
    /// The evening debrief.
    Evening,
    /// The weekly relationship check-in.
    Weekly,
    /// Gratitude at bedtime.
    Gratitude,
    /// One small prompt a day for reconnecting after distance.
    StartSmall,
    /// The weekly date night: its prompt is the week's date idea.
    DateNight,
}

/// A ritual prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Prompt {
    /// Its stable id.
    pub id: &'static str,
    /// The words.
    pub text: &'static str,
}

fn tier_cards(tier: Tier) -> &'static [text::Card] {
    match tier {
        Tier::Light => text::LIGHT,
        Tier::Closer => text::CLOSER,
        Tier::Deep => text::DEEP,
    }
}

const TIERS: [Tier; 3] = [Tier::Light, Tier::Closer, Tier::Deep];

/// Every question of the deck, tier by tier.
pub fn questions() -> impl Iterator<Item = Question> {
    TIERS.into_iter().flat_map(|tier| {
        tier_cards(tier)
            .iter()
            .map(move |&(id, text)| Question { id, text, tier })
    })
}

/// A ritual's prompt by its id (a date night's is its idea's), in any ritual's cards.
pub fn prompt(id: &str) -> Option<Prompt> {
    [
        text::MORNING,
        text::EVENING,
        text::WEEKLY,
        text::GRATITUDE,
        text::START_SMALL,
    ]
    .into_iter()
    .flatten()
    .find(|(card, _)| *card == id)
    .map(|&(id, text)| Prompt { id, text })
    .or_else(|| {
        date_idea_by_id(id).map(|idea| Prompt {
            id: idea.id,
            text: idea.text,
        })
    })
}

/// What a card read back from storage carries: its id, by which it is found in this deck (its
/// words are the deck's, never what was stored).
#[derive(serde::Deserialize)]
struct CardId {
    id: String,
}

/// Reads a card stored by its id, and finds it with `find`.
fn card_by_id<'de, D: serde::Deserializer<'de>, T>(
    d: D,
    find: fn(&str) -> Option<T>,
    what: &str,
) -> Result<T, D::Error> {
    let CardId { id } = serde::Deserialize::deserialize(d)?;
    find(&id).ok_or_else(|| serde::de::Error::custom(format!("no {what} {id:?} in this deck")))
}

impl<'de> serde::Deserialize<'de> for Question {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        card_by_id(d, question, "question")
    }
}

impl<'de> serde::Deserialize<'de> for Prompt {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        card_by_id(d, prompt, "prompt")
    }
}

impl<'de> serde::Deserialize<'de> for DateIdea {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        card_by_id(d, date_idea_by_id, "date idea")
    }
}

/// The question with this id.
pub fn question(id: &str) -> Option<Question> {
    questions().find(|q| q.id == id)
}

/// The question of the day for a journal that started on `start_day`, on `today`, when the couple
/// has skipped no question.
pub fn question_of_the_day(
    journal: &JournalId,
    start_day: LocalDate,
    today: LocalDate,
) -> Question {
    question_after_skips(journal, start_day, today, 0)
}

/// The question of the day on `today`, when the couple skipped `skipped` questions up to and
/// including `today`: each skip moves the walk through the deck one question on, so no question
/// is lost but the ones skipped (see [`crate::Journal::question_of_the_day`]).
pub fn question_after_skips(
    journal: &JournalId,
    start_day: LocalDate,
    today: LocalDate,
    skipped: u64,
) -> Question {
    let seed = fnv1a(journal.as_str().as_bytes());
    let day = u64::try_from(today.days_since_epoch() - start_day.days_since_epoch()).unwrap_or(0);
    let mut offset = day.saturating_add(skipped);
    for (i, tier) in TIERS.into_iter().enumerate() {
        let cards = tier_cards(tier);
        let len = cards.len() as u64;
        if offset < len {
            let order = shuffled(cards.len(), seed ^ (i as u64 + 1));
            let (id, text) = cards[order[offset as usize]];
            return Question { id, text, tier };
        }
        offset -= len;
    }
    let all: Vec<Question> = questions().collect();
    let total = all.len() as u64;
    let round = offset / total;
    let order = shuffled(
        all.len(),
        seed ^ round.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0xdee9,
    );
    all[order[(offset % total) as usize]]
}

/// Today's prompt for a ritual, the same for both partners. The weekly check-in keeps one prompt
/// for a whole week (Monday to Sunday); the others change daily. Each journal walks its prompts in
/// an order of its own, round and round, so a prompt returns only after all the others.
pub fn ritual_prompt(ritual: Ritual, journal: &JournalId, today: LocalDate) -> Prompt {
    if ritual == Ritual::DateNight {
        let idea = date_idea(journal, today);
        return Prompt {
            id: idea.id,
            text: idea.text,
        };
    }
    let cards = match ritual {
        Ritual::Morning => text::MORNING,
        Ritual::Evening => text::EVENING,
        Ritual::Weekly => text::WEEKLY,
        Ritual::Gratitude => text::GRATITUDE,
        Ritual::StartSmall => text::START_SMALL,
        Ritual::DateNight => &[],
    };
    let seed = fnv1a(journal.as_str().as_bytes()) ^ fnv1a(format!("{ritual:?}").as_bytes());
    let step = match ritual {
        Ritual::Weekly => (today.days_since_epoch() + 3).div_euclid(7),
        _ => today.days_since_epoch(),
    };
    let order = shuffled(cards.len(), seed);
    let index = usize::try_from(step.rem_euclid(cards.len() as i64)).unwrap_or(0);
    let (id, text) = cards[order[index]];
    Prompt { id, text }
}

/// The date idea for the week of `day` (Monday to Sunday), the same for both partners: each
/// journal walks the ideas in an order of its own, a new one each week.
pub fn date_idea(journal: &JournalId, day: LocalDate) -> DateIdea {
    let order = date_order(journal);
    let week = (day.days_since_epoch() + 3).div_euclid(7);
    let index = usize::try_from(week.rem_euclid(order.len() as i64)).unwrap_or(0);
    DATE_IDEAS[order[index]]
}

/// The idea after `current` in this journal's order, for "another idea".
pub fn date_idea_after(journal: &JournalId, current: &str) -> DateIdea {
    let order = date_order(journal);
    let at = order
        .iter()
        .position(|i| DATE_IDEAS[*i].id == current)
        .unwrap_or(0);
    DATE_IDEAS[order[(at + 1) % order.len()]]
}

/// The idea with this id, if the deck has it.
pub fn date_idea_by_id(id: &str) -> Option<DateIdea> {
    DATE_IDEAS.iter().copied().find(|i| i.id == id)
}

fn date_order(journal: &JournalId) -> Vec<usize> {
    shuffled(
        DATE_IDEAS.len(),
        fnv1a(journal.as_str().as_bytes()) ^ fnv1a(b"date night"),
    )
}

/// A permutation of `0..len` fixed by `seed` (Fisher–Yates driven by SplitMix64).
fn shuffled(len: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut state = seed;
    for i in (1..len).rev() {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        let j = (z % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

/// FNV-1a, 64 bits: a stable hash of a journal id (not for anything secret).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn day(n: i64) -> LocalDate {
        LocalDate::from_days_since_epoch(20_000 + n)
    }

    #[test]
    fn the_deck_is_large_enough_and_ids_are_unique() {
        let all: Vec<Question> = questions().collect();
        assert!(all.len() >= 120, "{} questions", all.len());
        for tier in TIERS {
            assert!(all.iter().any(|q| q.tier == tier));
        }
        let ids: HashSet<&str> = all.iter().map(|q| q.id).collect();
        assert_eq!(ids.len(), all.len());
        assert_eq!(question(all[7].id), Some(all[7]));
        assert_eq!(question("nope"), None);
    }

    #[test]
    fn both_partners_get_the_same_question_and_journals_differ() {
        let a = JournalId::new("journal-a");
        let b = JournalId::new("journal-b");
        let same = (0..30).all(|n| {
            question_of_the_day(&a, day(0), day(n))
                == question_of_the_day(&a.clone(), day(0), day(n))
        });
        assert!(same);
        let differ = (0..30)
            .filter(|&n| {
                question_of_the_day(&a, day(0), day(n)) != question_of_the_day(&b, day(0), day(n))
            })
            .count();
        assert!(differ > 20, "two journals share {} of 30 days", 30 - differ);
    }

    #[test]
    fn questions_grow_deeper_and_none_repeats_within_the_first_round() {
        let j = JournalId::new("journal");
        let total = questions().count() as i64;
        let first_round: Vec<Question> = (0..total)
            .map(|n| question_of_the_day(&j, day(0), day(n)))
            .collect();
        let ids: HashSet<&str> = first_round.iter().map(|q| q.id).collect();
        assert_eq!(
            ids.len() as i64,
            total,
            "every question once in the first round"
        );
        let tiers: Vec<Tier> = first_round.iter().map(|q| q.tier).collect();
        assert!(
            tiers.windows(2).all(|w| w[0] <= w[1]),
            "depth never falls in the first round"
        );
        assert_eq!(tiers[0], Tier::Light);
        // After the first round the deck comes round again, in a new order.
        let second: Vec<&str> = (total..2 * total)
            .map(|n| question_of_the_day(&j, day(0), day(n)).id)
            .collect();
        assert_eq!(second.iter().collect::<HashSet<_>>().len() as i64, total);
        // A day before the start (a partner's clock a day behind) still gives a question.
        assert_eq!(question_of_the_day(&j, day(0), day(-1)).tier, Tier::Light);
    }

    #[test]
    fn ritual_prompts_change_daily_and_match_for_both() {
        let j = JournalId::new("journal");
        for ritual in [
            Ritual::Morning,
            Ritual::Evening,
            Ritual::Gratitude,
            Ritual::StartSmall,
        ] {
            for start in 0..40 {
                let week: HashSet<&str> = (start..start + 7)
                    .map(|n| ritual_prompt(ritual, &j, day(n)).id)
                    .collect();
                assert_eq!(week.len(), 7, "{ritual:?} repeats within a week");
            }
            assert_eq!(
                ritual_prompt(ritual, &j, day(3)),
                ritual_prompt(ritual, &j, day(3))
            );
        }
        // The weekly prompt holds from Monday to Sunday and changes the next Monday.
        let monday = (0..7)
            .map(day)
            .find(|d| d.weekday_from_monday() == 0)
            .expect("a Monday");
        let week = |w: i64| {
            (0..7)
                .map(|n| ritual_prompt(Ritual::Weekly, &j, monday.add_days(7 * w + n)).id)
                .collect::<HashSet<_>>()
        };
        assert_eq!(week(0).len(), 1);
        assert_ne!(week(0), week(1));
    }

    #[test]
    fn shuffles_are_permutations() {
        for seed in 0..50 {
            let mut order = shuffled(37, seed);
            order.sort_unstable();
            assert_eq!(order, (0..37).collect::<Vec<_>>());
        }
    }
}
