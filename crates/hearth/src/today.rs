//! Today's view (question of the day, the rituals due, the partner's latest, open bids) and the
//! insights over a span of time.

use std::collections::BTreeMap;

use hearth_journal::deck::{Prompt, Question, Ritual, ritual_prompt};
use hearth_journal::{Content, Entry, LocalDate, MemberId, MoodPoint, UnixMs};

use crate::device::Device;
use crate::{Closed, Hearth, TodayError, Zone};

/// How many of the partner's entries today's view shows.
const PARTNER_LATEST: usize = 5;
/// The morning prompt shows before this hour, local time.
const MORNING_UNTIL_HOUR: u32 = 12;
/// The evening and gratitude prompts show from this hour, local time.
const EVENING_FROM_HOUR: u32 = 18;
/// The weekly check-in shows on this day (0 is Monday): Sunday.
const WEEKLY_DAY: u32 = 6;

/// What today holds.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Today {
    /// The couple's day: the date in the journal's home time zone, which decides the question
    /// of the day on both devices.
    pub date: LocalDate,
    /// The question of the day, the same for both partners.
    pub question: Question,
    /// While the couple starts small: today's small prompt, the same for both, shown in place of
    /// the question of the day.
    pub start_small: Option<Prompt>,
    /// Where the answers to it stand.
    pub answers: AnswerState,
    /// The ritual prompts for now: the morning check-in before noon, the evening debrief and
    /// gratitude from six in the evening, the weekly check-in on Sundays.
    pub rituals: Vec<RitualPrompt>,
    /// The partner's latest entries, newest first.
    pub partner_latest: Vec<Entry>,
    /// The partner's bids waiting for an answer, newest first.
    pub open_bids: Vec<Entry>,
    /// The partner's bids kept for later and not yet turned toward, the most recently kept
    /// first: they stay here until answered.
    pub later_bids: Vec<Entry>,
}

/// Where the question of the day stands between the two partners.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AnswerState {
    /// My answer, once I have given it.
    pub mine: Option<Entry>,
    /// My partner's answer, as I may see it.
    pub partner: PartnerAnswer,
}

/// The partner's answer to the question of the day: hidden until both have answered.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", content = "answer", rename_all = "snake_case")]
pub enum PartnerAnswer {
    /// They have not answered yet.
    Waiting,
    /// They have answered; it stays hidden until I answer too.
    Hidden,
    /// Both have answered; theirs is still sealed, and opens when their device next syncs (it
    /// publishes the key once it has seen my answer).
    Opening,
    /// Both have answered: here it is.
    Revealed(Box<Entry>),
}

/// A ritual's prompt for today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RitualPrompt {
    /// Which ritual.
    pub ritual: Ritual,
    /// Its prompt today.
    pub prompt: Prompt,
}

/// What the journal says about a span of time: how each partner felt, drawn together, and what
/// the two did together. Nothing in it counts one partner against the other.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Insights {
    /// Each member's check-in ratings, oldest first.
    pub moods: BTreeMap<MemberId, Vec<MoodPoint>>,
    /// What the couple did together in the span.
    pub together: Together,
    /// Whether the couple starts small: then nothing is counted, only the check-ins drawn.
    pub start_small: bool,
}

/// What the two of you did together in a span of time, counted for the couple.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Together {
    /// Check-ins, by either of you.
    pub check_ins: usize,
    /// Bedtime gratitudes.
    pub gratitude: usize,
    /// Appreciations.
    pub appreciations: usize,
    /// Bids for connection turned toward.
    pub bids_turned_toward: usize,
    /// Questions of the day you both answered.
    pub questions_answered_together: usize,
}

fn rituals_at(journal: &hearth_journal::JournalId, now: UnixMs, zone: &Zone) -> Vec<RitualPrompt> {
    let day = zone.date_at(now);
    let hour = zone.minutes_of_day(now) / 60;
    let mut due = Vec::new();
    if hour < MORNING_UNTIL_HOUR {
        due.push(Ritual::Morning);
    }
    if hour >= EVENING_FROM_HOUR {
        due.extend([Ritual::Evening, Ritual::Gratitude]);
    }
    if day.weekday_from_monday() == WEEKLY_DAY {
        due.push(Ritual::Weekly);
    }
    due.into_iter()
        .map(|ritual| RitualPrompt {
            ritual,
            prompt: ritual_prompt(ritual, journal, day),
        })
        .collect()
}

impl Hearth {
    /// Today's view of the shared journal.
    pub async fn today(&self) -> Result<Today, TodayError> {
        self.call(|d| d.today_view()).await?
    }

    /// Both partners' check-ins, and what the two did together, in the shared journal, for
    /// entries written in `[from_ms, to_ms)`.
    pub async fn insights(&self, from_ms: UnixMs, to_ms: UnixMs) -> Result<Insights, Closed> {
        self.call(move |d| d.insights(from_ms, to_ms)).await
    }
}

impl Device {
    fn today_view(&self) -> Result<Today, TodayError> {
        let now = UnixMs::now();
        // The question follows the couple's day; the rituals this device's hours.
        let date = self.couple_day();
        let me = &self.binding.member;
        let journal = &self.shared;
        let info = journal
            .info()
            .map_err(TodayError::Malformed)?
            .ok_or(TodayError::NotReady)?;
        let question = journal
            .question_of_the_day(date)
            .map_err(TodayError::Malformed)?
            .ok_or(TodayError::NotReady)?;
        let state = journal.answer_state(question.id, date, me);
        let partner = match state.partner {
            hearth_journal::PartnerAnswer::Waiting => PartnerAnswer::Waiting,
            hearth_journal::PartnerAnswer::Hidden => PartnerAnswer::Hidden,
            hearth_journal::PartnerAnswer::Opening => PartnerAnswer::Opening,
            hearth_journal::PartnerAnswer::Revealed(e) => PartnerAnswer::Revealed(e),
        };
        let mut partner_latest: Vec<Entry> = journal
            .scan_as(me)
            .entries
            .into_iter()
            .filter(|e| !e.deleted && e.author != *me)
            .collect();
        partner_latest.reverse();
        partner_latest.truncate(PARTNER_LATEST);
        Ok(Today {
            date,
            question,
            start_small: journal
                .start_small()
                .then(|| ritual_prompt(Ritual::StartSmall, &info.id, date)),
            answers: AnswerState {
                mine: state.mine,
                partner,
            },
            rituals: rituals_at(&info.id, now, &self.zone),
            partner_latest,
            open_bids: journal.open_bids_for(me),
            later_bids: journal.later_bids_for(me),
        })
    }

    fn insights(&self, from_ms: UnixMs, to_ms: UnixMs) -> Insights {
        let journal = &self.shared;
        let mut together = Together::default();
        let mut answered: BTreeMap<&str, std::collections::BTreeSet<MemberId>> = BTreeMap::new();
        let entries = journal.scan().entries;
        for entry in &entries {
            if entry.deleted || !(from_ms..to_ms).contains(&entry.created_ms) {
                continue;
            }
            match &entry.content {
                Content::CheckIn { .. } => together.check_ins += 1,
                Content::Gratitude { .. } => together.gratitude += 1,
                Content::Appreciation { .. } => together.appreciations += 1,
                Content::Bid {
                    response: Some(response),
                    ..
                } if response.turn == hearth_journal::Turn::Toward => {
                    together.bids_turned_toward += 1;
                }
                _ => {}
            }
            if let Some((question, _)) = entry.content.question() {
                answered
                    .entry(question)
                    .or_default()
                    .insert(entry.author.clone());
            }
        }
        together.questions_answered_together =
            answered.values().filter(|who| who.len() >= 2).count();
        Insights {
            moods: journal.mood_series(from_ms, to_ms),
            together,
            start_small: journal.start_small(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: LocalDate, hour: u64) -> UnixMs {
        day.start_utc_ms(0)
            .plus(std::time::Duration::from_secs(hour * 3_600))
    }

    #[test]
    fn rituals_follow_the_time_of_day_and_the_week() {
        let journal = hearth_journal::JournalId::new("j");
        let monday = (0..7)
            .map(|n| LocalDate::from_days_since_epoch(20_000 + n))
            .find(|d| d.weekday_from_monday() == 0)
            .expect("a Monday within a week");
        let kinds = |ms| -> Vec<Ritual> {
            rituals_at(&journal, ms, &Zone::utc())
                .into_iter()
                .map(|r| r.ritual)
                .collect()
        };
        assert_eq!(kinds(at(monday, 8)), vec![Ritual::Morning]);
        assert_eq!(kinds(at(monday, 14)), Vec::<Ritual>::new());
        assert_eq!(
            kinds(at(monday, 20)),
            vec![Ritual::Evening, Ritual::Gratitude]
        );
        assert_eq!(
            kinds(at(monday.add_days(6), 9)),
            vec![Ritual::Morning, Ritual::Weekly]
        );
        // Two hours east of UTC, 11:00 UTC is 13:00: no longer morning.
        assert_eq!(
            rituals_at(&journal, at(monday, 11), &Zone::fixed(120)).len(),
            0
        );
    }
}
