//! Today's view (question of the day, the rituals due, the partner's latest, open bids) and the
//! insights over a span of time.

use std::collections::BTreeMap;

use hearth_journal::deck::{Prompt, Question, Ritual, ritual_prompt};
use hearth_journal::{Content, Entry, LocalDate, MemberId, MoodPoint, UnixMs};

use crate::device::Device;
use crate::{Closed, Hearth, TodayError, Zone};

/// How many of the partner's entries today's view shows.
const PARTNER_LATEST: usize = 5;
/// How long a bid waits on Today for an answer: a week. A bid is a moment's reach; one older
/// than that is still in the timeline, where it can be answered, but Today does not pile up
/// every bid never answered (docs/decisions/0017-today-reads-what-it-shows.md).
const OPEN_BIDS_FOR: std::time::Duration = std::time::Duration::from_secs(7 * 86_400);
/// A daily ritual shows from this many minutes before its time...
const OFFERED_BEFORE_MINUTES: u32 = 120;
/// ...until this many after it (and never past midnight).
const OFFERED_AFTER_MINUTES: u32 = 360;

/// What today holds.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// The ritual prompts for now, as the couple keeps them: a daily ritual from two hours
    /// before its time until six hours after, on its days; the weekly check-in all its day.
    /// Date night has its own place ([`Today::date_night`]).
    pub rituals: Vec<RitualPrompt>,
    /// Date night, when the next one is near (within two days), and the last one while I have
    /// not written my line about it.
    pub date_night: crate::DateNights,
    /// The couple's rituals as they are kept, and the changes waiting for an answer (the
    /// partner's for me to accept or decline, mine for them).
    pub schedule: crate::Rituals,
    /// The partner's latest entries, newest first.
    pub partner_latest: Vec<Entry>,
    /// The partner's bids of the past week waiting for an answer, newest first (an older one
    /// is answered from the timeline).
    pub open_bids: Vec<Entry>,
    /// The partner's bids kept for later and not yet turned toward, the most recently kept
    /// first: they stay here until answered.
    pub later_bids: Vec<Entry>,
    /// Letters for later still sealed, mine and my partner's, the soonest to open first: mine
    /// with their text, my partner's with only when they open.
    pub letters: Vec<Entry>,
}

/// Where the question of the day stands between the two partners.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AnswerState {
    /// My answer, once I have given it.
    pub mine: Option<Entry>,
    /// My partner's answer, as I may see it.
    pub partner: PartnerAnswer,
}

/// The partner's answer to the question of the day: hidden until both have answered.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// Rituals kept: each day either of you kept the morning check-in, the evening debrief or
    /// bedtime gratitude counts once for each, and each date night either of you planned or
    /// wrote about.
    pub rituals_kept: usize,
}

/// The ritual prompts offered at `now`, of the rituals as the couple keeps them.
pub(crate) fn rituals_at(
    settings: &[hearth_journal::RitualSetting],
    id: &hearth_journal::JournalId,
    now: UnixMs,
    zone: &Zone,
) -> Vec<RitualPrompt> {
    let day = zone.date_at(now);
    let minutes = zone.minutes_of_day(now);
    settings
        .iter()
        .filter(|r| r.ritual != Ritual::DateNight)
        .filter(|r| r.schedule.on && r.schedule.days.contains(day.weekday_from_monday()))
        .filter(|r| {
            let at = r.schedule.at.minutes();
            r.ritual == Ritual::Weekly
                || (at.saturating_sub(OFFERED_BEFORE_MINUTES)..at + OFFERED_AFTER_MINUTES)
                    .contains(&minutes)
        })
        .map(|r| RitualPrompt {
            ritual: r.ritual,
            prompt: ritual_prompt(r.ritual, id, day),
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
    pub(crate) fn today_view(&self) -> Result<Today, TodayError> {
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
        let mut letters: Vec<Entry> = journal
            .scan_kinds(&[hearth_journal::EntryKind::Letter])
            .into_iter()
            .filter(|e| !e.deleted && e.sealing == hearth_journal::Sealing::Sealed)
            .collect();
        letters.sort_by_key(|e| match e.content {
            Content::Letter { opens_at, .. } | Content::SealedLetter { opens_at } => opens_at,
            _ => e.created_ms,
        });
        let partner_latest = journal.latest_from_others(me, PARTNER_LATEST);
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
            rituals: rituals_at(&journal.rituals(), &info.id, now, &self.zone),
            date_night: self.date_nights_for_today(me, now),
            schedule: crate::Rituals {
                settings: journal.rituals(),
                proposals: journal.ritual_proposals(),
            },
            partner_latest,
            open_bids: journal.open_bids_for(me, now.minus(OPEN_BIDS_FOR)),
            later_bids: journal.later_bids_for(me),
            letters,
        })
    }

    fn insights(&self, from_ms: UnixMs, to_ms: UnixMs) -> Insights {
        let journal = &self.shared;
        let mut together = Together::default();
        let mut answered: BTreeMap<&str, std::collections::BTreeSet<MemberId>> = BTreeMap::new();
        let mut kept: std::collections::BTreeSet<(LocalDate, hearth_journal::EntryKind)> =
            std::collections::BTreeSet::new();
        let entries = journal.scan().entries;
        for entry in &entries {
            if entry.deleted || !(from_ms..to_ms).contains(&entry.created_ms) {
                continue;
            }
            if matches!(
                entry.content,
                Content::CheckIn { .. } | Content::Debrief { .. } | Content::Gratitude { .. }
            ) {
                kept.insert((self.zone.date_at(entry.created_ms), entry.kind()));
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
        let zone = self.couple_zone();
        together.rituals_kept = kept.len()
            + journal
                .date_nights_kept(zone.date_at(from_ms), zone.date_at(to_ms))
                .len();
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
    fn rituals_follow_the_couples_schedule_the_time_of_day_and_the_week() {
        let me = hearth_journal::Member {
            id: MemberId::new("ada"),
            name: "Ada".into(),
            joined_ms: UnixMs::EPOCH,
        };
        let monday = (0..7)
            .map(|n| LocalDate::from_days_since_epoch(20_000 + n))
            .find(|d| d.weekday_from_monday() == 0)
            .expect("a Monday within a week");
        let id = hearth_journal::JournalId::new("j");
        let mut journal = hearth_journal::Journal::create(&id, &me, monday, UnixMs::EPOCH, [1; 16])
            .expect("create");
        let kinds = |journal: &hearth_journal::Journal, ms| -> Vec<Ritual> {
            rituals_at(&journal.rituals(), &id, ms, &Zone::utc())
                .into_iter()
                .map(|r| r.ritual)
                .collect()
        };
        assert_eq!(kinds(&journal, at(monday, 8)), vec![Ritual::Morning]);
        assert_eq!(kinds(&journal, at(monday, 14)), Vec::<Ritual>::new());
        assert_eq!(
            kinds(&journal, at(monday, 20)),
            vec![Ritual::Evening, Ritual::Gratitude]
        );
        assert_eq!(
            kinds(&journal, at(monday.add_days(6), 9)),
            vec![Ritual::Morning, Ritual::Weekly]
        );
        // Two hours east of UTC, 12:00 UTC is 14:00: the morning is over.
        assert_eq!(
            rituals_at(&journal.rituals(), &id, at(monday, 12), &Zone::fixed(120)).len(),
            0
        );
        // Mornings on weekends only, at ten.
        let weekends = hearth_journal::Schedule {
            on: true,
            days: "sat,sun".parse().expect("days"),
            at: "10:00".parse().expect("time"),
        };
        journal
            .transact(|j| j.propose_ritual(Ritual::Morning, weekends, &me.id, UnixMs::EPOCH))
            .expect("set");
        assert_eq!(kinds(&journal, at(monday, 8)), Vec::<Ritual>::new());
        assert_eq!(
            kinds(&journal, at(monday.add_days(5), 15)),
            vec![Ritual::Morning]
        );
    }
}
