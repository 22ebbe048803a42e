//! The rituals the couple keeps together, and date night: proposing a change, accepting or
//! declining the partner's, and the week's date night with its idea, plan and lines.

use hearth_journal::deck::{DateIdea, Ritual};
use hearth_journal::{
    DateNight, LocalDate, MemberId, Proposal, Proposed, RitualSetting, Schedule, UnixMs,
};
use hearth_store::DocId;

use crate::device::Device;
use crate::events::Event;
use crate::{Closed, Hearth, WriteError};

/// How long after a date night Today invites a line about it, in days.
const REMEMBER_FOR_DAYS: i64 = 3;
/// How long before a date night Today shows it, in days.
const SHOW_BEFORE_DAYS: i64 = 2;

/// The couple's rituals as they stand.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rituals {
    /// Every scheduled ritual as it is kept now, and who set it.
    pub settings: Vec<RitualSetting>,
    /// Changes waiting for one partner to accept.
    pub proposals: Vec<Proposal>,
}

/// The date nights around now.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DateNights {
    /// The next date night that has not begun (on this device's clock), while the couple keeps
    /// one.
    pub next: Option<DateNight>,
    /// The latest date night that has begun, within the last week.
    pub last: Option<DateNight>,
}

impl Device {
    /// Whether the date night on `date` has begun on this device's clock.
    fn begun(&self, date: LocalDate, now: UnixMs) -> bool {
        let today = self.couple_day();
        let at = self.shared.ritual(Ritual::DateNight).schedule.at;
        date < today || (date == today && self.zone.minutes_of_day(now) >= at.minutes())
    }

    pub(crate) fn date_nights(&self, now: UnixMs) -> DateNights {
        let today = self.couple_day();
        let journal = &self.shared;
        let next = journal
            .next_date_night(today)
            .filter(|d| !self.begun(*d, now))
            .or_else(|| journal.next_date_night(today.add_days(1)))
            .and_then(|d| journal.date_night(d));
        // Not one from before the journal began, or before date night was kept as it is now.
        let start = journal.info().ok().flatten().map(|i| i.start_day);
        let set = journal
            .ritual(Ritual::DateNight)
            .since
            .map(|at| self.couple_zone().date_at(at));
        let last = journal
            .next_date_night(today)
            .filter(|d| *d == today && self.begun(*d, now))
            .or_else(|| journal.last_date_night(today))
            .filter(|d| start.is_none_or(|s| s <= *d) && set.is_none_or(|s| s <= *d))
            .and_then(|d| journal.date_night(d));
        DateNights { next, last }
    }

    /// What Today shows of date night: the next one when it is near, and the last one while
    /// `me` has not written a line about it.
    pub(crate) fn date_nights_for_today(&self, me: &MemberId, now: UnixMs) -> DateNights {
        let today = self.couple_day();
        let DateNights { next, last } = self.date_nights(now);
        DateNights {
            next: next.filter(|n| n.date <= today.add_days(SHOW_BEFORE_DAYS)),
            last: last.filter(|l| {
                l.date >= today.add_days(-REMEMBER_FOR_DAYS) && l.lines.iter().all(|n| n.by != *me)
            }),
        }
    }
}

impl Hearth {
    /// The couple's rituals: how each is kept, who set it, and any change waiting.
    pub async fn rituals(&self) -> Result<Rituals, Closed> {
        self.call(|d| Rituals {
            settings: d.shared.rituals(),
            proposals: d.shared.ritual_proposals(),
        })
        .await
    }

    /// Proposes keeping `ritual` as `schedule`. It waits for the partner to accept; before
    /// pairing, or when it is what the partner proposed, it takes effect at once.
    pub async fn propose_ritual(
        &self,
        ritual: Ritual,
        schedule: Schedule,
    ) -> Result<Proposed, WriteError> {
        let (proposed, _) = self
            .change(
                |_| DocId::Shared,
                move |journal, stamp| {
                    journal.propose_ritual(ritual, schedule, &stamp.member, stamp.now_ms)
                },
            )
            .await?;
        self.emit(Event::JournalChanged { by_partner: false });
        Ok(proposed)
    }

    /// Accepts the partner's proposed change to `ritual`: it takes effect for both.
    pub async fn accept_ritual(&self, ritual: Ritual) -> Result<(), WriteError> {
        self.change(
            |_| DocId::Shared,
            move |journal, stamp| journal.accept_ritual(ritual, &stamp.member, stamp.now_ms),
        )
        .await?;
        self.emit(Event::JournalChanged { by_partner: false });
        Ok(())
    }

    /// Declines the partner's proposed change to `ritual`, or withdraws one's own.
    pub async fn decline_ritual(&self, ritual: Ritual) -> Result<(), WriteError> {
        self.change(
            |_| DocId::Shared,
            move |journal, _| journal.decline_ritual(ritual),
        )
        .await?;
        self.emit(Event::JournalChanged { by_partner: false });
        Ok(())
    }

    /// The next date night and the last one.
    pub async fn date_nights(&self) -> Result<DateNights, Closed> {
        self.call(|d| d.date_nights(UnixMs::now())).await
    }

    /// The day of the next date night, or a refusal while the couple keeps none.
    async fn next_date(&self) -> Result<LocalDate, WriteError> {
        self.date_nights()
            .await?
            .next
            .map(|n| n.date)
            .ok_or(WriteError::Refused(hearth_journal::WriteError::NoDateNight))
    }

    /// Notes the plan for the next date night (in place of any earlier plan).
    pub async fn plan_date_night(&self, plan: &str) -> Result<DateNight, WriteError> {
        let date = self.next_date().await?;
        let plan = plan.to_owned();
        self.change(
            |_| DocId::Shared,
            move |journal, stamp| journal.plan_date_night(date, &plan, &stamp.member, stamp.now_ms),
        )
        .await?;
        self.emit(Event::JournalChanged { by_partner: false });
        self.date_night_on(date).await
    }

    /// Offers another idea for the next date night, for both partners.
    pub async fn another_date_idea(&self) -> Result<DateIdea, WriteError> {
        let date = self.next_date().await?;
        let (idea, _) = self
            .change(
                |_| DocId::Shared,
                move |journal, _| journal.another_date_idea(date),
            )
            .await?;
        self.emit(Event::JournalChanged { by_partner: false });
        Ok(idea)
    }

    /// One's line about the last date night, afterwards (writing again replaces it).
    pub async fn remember_date_night(&self, line: &str) -> Result<DateNight, WriteError> {
        let date = self
            .date_nights()
            .await?
            .last
            .map(|n| n.date)
            .ok_or(WriteError::Refused(
                hearth_journal::WriteError::NoDateNightYet,
            ))?;
        let line = line.to_owned();
        self.change(
            |_| DocId::Shared,
            move |journal, stamp| {
                journal.remember_date_night(date, &line, &stamp.member, stamp.now_ms)
            },
        )
        .await?;
        self.emit(Event::JournalChanged { by_partner: false });
        self.date_night_on(date).await
    }

    async fn date_night_on(&self, date: LocalDate) -> Result<DateNight, WriteError> {
        self.call(move |d| d.shared.date_night(date))
            .await?
            .ok_or(WriteError::Refused(hearth_journal::WriteError::NotReady))
    }
}
