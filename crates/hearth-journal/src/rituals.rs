//! The rituals the couple keeps, set together.
//!
//! ```text
//! rituals: map           "<ritual>" → { on: bool, days: str, at: str,
//!                                       set_by: str, agreed_by: str, since_ms: int }
//! ritual_proposals: map  "<ritual>" → { on: bool, days: str, at: str, by: str, at_ms: int }
//! ```
//!
//! A ritual is one of [`Ritual::SCHEDULED`]; `days` names weekdays (`mon,fri`), `at` is a time of
//! day (`21:30`) read in each device's own time zone. Until the couple sets a ritual it keeps its
//! default ([`Schedule::default_for`]). Either partner proposes a change; it takes effect when the
//! other accepts, so both see who set what. A journal with one member (not paired yet) takes a
//! proposal at once. What a device declares is bounded: only the five ritual names are read,
//! `days` and `at` must parse, and the people named must be members of the journal; anything else
//! is left unread and the ritual keeps its last readable setting or its default.

use std::fmt;
use std::str::FromStr;

use automerge::transaction::Transactable as _;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};

use crate::deck::Ritual;
use crate::schema::map_at;
use crate::{Journal, MemberId, UnixMs, WriteError};

const RITUALS: &str = "rituals";
const PROPOSALS: &str = "ritual_proposals";
const ON: &str = "on";
const DAYS: &str = "days";
const AT: &str = "at";
const SET_BY: &str = "set_by";
const AGREED_BY: &str = "agreed_by";
const SINCE_MS: &str = "since_ms";
const BY: &str = "by";
const AT_MS: &str = "at_ms";
/// The longest stored value read as weekdays or a time (`mon,tue,wed,thu,fri,sat,sun` is 27).
const MAX_FIELD: usize = 32;

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Ritual {
    /// The rituals with a schedule the couple sets, in the order they come in a day and a week.
    pub const SCHEDULED: [Ritual; 5] = [
        Ritual::Morning,
        Ritual::Evening,
        Ritual::Gratitude,
        Ritual::DateNight,
        Ritual::Weekly,
    ];

    /// The name stored in the journal and used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Ritual::Morning => "morning",
            Ritual::Evening => "evening",
            Ritual::Weekly => "weekly",
            Ritual::Gratitude => "gratitude",
            Ritual::DateNight => "date_night",
            Ritual::StartSmall => "start_small",
        }
    }

    /// What the couple calls it.
    pub fn title(self) -> &'static str {
        match self {
            Ritual::Morning => "Morning check-in",
            Ritual::Evening => "Evening debrief",
            Ritual::Weekly => "Weekly check-in",
            Ritual::Gratitude => "Bedtime gratitude",
            Ritual::DateNight => "Date night",
            Ritual::StartSmall => "Start small",
        }
    }

    fn scheduled(name: &str) -> Option<Ritual> {
        Ritual::SCHEDULED.into_iter().find(|r| r.as_str() == name)
    }
}

/// The days of the week a ritual keeps.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Weekdays(u8);

impl Weekdays {
    /// Every day of the week.
    pub const EVERY_DAY: Weekdays = Weekdays(0x7f);
    /// No day.
    pub const NONE: Weekdays = Weekdays(0);

    /// One day, counting Monday as 0 (as [`crate::LocalDate::weekday_from_monday`]).
    pub const fn only(day_from_monday: u32) -> Weekdays {
        Weekdays(1 << (day_from_monday % 7))
    }

    /// Whether the day (Monday is 0) is one of them.
    pub fn contains(self, day_from_monday: u32) -> bool {
        day_from_monday < 7 && self.0 & (1 << day_from_monday) != 0
    }

    /// Whether no day is named.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The days named, Monday first (Monday is 0).
    pub fn days(self) -> impl Iterator<Item = u32> {
        (0..7).filter(move |d| self.contains(*d))
    }
}

impl fmt::Display for Weekdays {
    /// `every day`, or the days' short names (`mon,fri`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.days().map(|d| DAY_NAMES[d as usize]).collect();
        f.write_str(&names.join(","))
    }
}

impl fmt::Debug for Weekdays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Weekdays({self})")
    }
}

impl serde::Serialize for Weekdays {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.days().map(|d| DAY_NAMES[d as usize]))
    }
}

/// Words that name no days.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{given:?} names no days: give days as mon,tue,wed,thu,fri,sat,sun (or daily, weekdays, weekends)"
)]
pub struct BadDays {
    /// What was given.
    pub given: String,
}

impl<'de> serde::Deserialize<'de> for Weekdays {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let names = <Vec<String> as serde::Deserialize>::deserialize(d)?;
        if names.is_empty() {
            return Ok(Weekdays(0));
        }
        names.join(",").parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for Weekdays {
    type Err = BadDays;

    /// `mon,wed,fri` (full names too, any case), or `daily`, `weekdays`, `weekends`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadDays {
            given: s.chars().take(MAX_FIELD).collect(),
        };
        let mut bits = 0u8;
        for word in s.split(',').map(|w| w.trim().to_ascii_lowercase()) {
            bits |= match word.as_str() {
                "daily" | "every day" | "everyday" => 0x7f,
                "weekdays" => 0x1f,
                "weekends" => 0x60,
                w if w.len() >= 3 => {
                    let day = DAY_NAMES
                        .iter()
                        .position(|name| w.starts_with(name) && full_or_short(name, w))
                        .ok_or_else(bad)?;
                    1 << day
                }
                _ => return Err(bad()),
            };
        }
        if bits == 0 {
            return Err(bad());
        }
        Ok(Weekdays(bits))
    }
}

/// Whether `word` is the short `name` of a day or its whole name ("mon" or "monday").
fn full_or_short(name: &str, word: &str) -> bool {
    const FULL: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    word == name || FULL.contains(&word)
}

/// A time of day, in minutes after midnight, read in each device's own time zone.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(u16);

impl ClockTime {
    /// `hour`:`minute`, if it is a time of day.
    pub fn new(hour: u32, minute: u32) -> Option<ClockTime> {
        (hour < 24 && minute < 60).then(|| ClockTime((hour * 60 + minute) as u16))
    }

    /// Minutes after midnight.
    pub fn minutes(self) -> u32 {
        u32::from(self.0)
    }

    /// The hour, 0–23.
    pub fn hour(self) -> u32 {
        self.minutes() / 60
    }

    /// The minute, 0–59.
    pub fn minute(self) -> u32 {
        self.minutes() % 60
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())
    }
}

impl fmt::Debug for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClockTime({self})")
    }
}

impl serde::Serialize for ClockTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Not a time of day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{given:?} is not a time of day: give it as HH:MM, from 00:00 to 23:59")]
pub struct BadClockTime {
    /// What was given.
    pub given: String,
}

impl<'de> serde::Deserialize<'de> for ClockTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for ClockTime {
    type Err = BadClockTime;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadClockTime {
            given: s.chars().take(MAX_FIELD).collect(),
        };
        let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
        if m.len() != 2 {
            return Err(bad());
        }
        let digits = |t: &str, most: usize| {
            (!t.is_empty() && t.len() <= most && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse::<u32>().ok())
                .flatten()
        };
        match (digits(h, 2), digits(m, 2)) {
            (Some(h), Some(m)) => ClockTime::new(h, m).ok_or_else(bad),
            _ => Err(bad()),
        }
    }
}

/// When a ritual comes round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Schedule {
    /// Whether the couple keeps it.
    pub on: bool,
    /// The days it comes on.
    pub days: Weekdays,
    /// The time of day, on each device's own clock.
    pub at: ClockTime,
}

impl fmt::Display for Schedule {
    /// As people say it: `every day at 08:00`, `weekdays at 07:30`, `Fridays at 19:00`,
    /// `Mon, Wed and Fri at 19:00`, or `off`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const PLURAL: [&str; 7] = [
            "Mondays",
            "Tuesdays",
            "Wednesdays",
            "Thursdays",
            "Fridays",
            "Saturdays",
            "Sundays",
        ];
        const SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        if !self.on {
            return f.write_str("off");
        }
        let days: Vec<u32> = self.days.days().collect();
        let named = match (self.days.0, days.as_slice()) {
            (0x7f, _) => "every day".to_owned(),
            (0x1f, _) => "weekdays".to_owned(),
            (0x60, _) => "weekends".to_owned(),
            (_, [one]) => PLURAL[*one as usize].to_owned(),
            (_, [rest @ .., last]) => format!(
                "{} and {}",
                rest.iter()
                    .map(|d| SHORT[*d as usize])
                    .collect::<Vec<_>>()
                    .join(", "),
                SHORT[*last as usize]
            ),
            (_, []) => "no day".to_owned(),
        };
        write!(f, "{named} at {}", self.at)
    }
}

impl Schedule {
    /// How a ritual is kept until the couple sets it: the morning check-in at eight, the evening
    /// debrief at nine and gratitude at half past, every day; date night on Fridays at seven; the
    /// weekly check-in on Sundays at seven.
    pub fn default_for(ritual: Ritual) -> Schedule {
        let (days, hour, minute) = match ritual {
            Ritual::Morning => (Weekdays::EVERY_DAY, 8, 0),
            Ritual::Evening => (Weekdays::EVERY_DAY, 21, 0),
            Ritual::Gratitude => (Weekdays::EVERY_DAY, 21, 30),
            Ritual::DateNight => (Weekdays::only(4), 19, 0),
            Ritual::Weekly => (Weekdays::only(6), 19, 0),
            Ritual::StartSmall => (Weekdays::EVERY_DAY, 0, 0),
        };
        Schedule {
            on: true,
            days,
            at: ClockTime::new(hour, minute).unwrap_or(ClockTime(0)),
        }
    }
}

/// How a ritual is kept now, and who set it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RitualSetting {
    /// Which ritual.
    pub ritual: Ritual,
    /// When it comes round.
    pub schedule: Schedule,
    /// Who proposed the setting in effect; `None` while it is the default.
    pub set_by: Option<MemberId>,
    /// Who accepted it; `None` for the default, or when one person set it before pairing.
    pub agreed_by: Option<MemberId>,
    /// When it took effect.
    pub since: Option<UnixMs>,
}

/// A change to a ritual, waiting for the other partner.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Proposal {
    /// Which ritual.
    pub ritual: Ritual,
    /// How it would be kept.
    pub schedule: Schedule,
    /// Who proposed it.
    pub by: MemberId,
    /// When.
    pub at: UnixMs,
}

/// What became of a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Proposed {
    /// It took effect: there is no partner yet, or it was the partner's own proposal.
    Applied,
    /// It waits for the partner to accept.
    Waiting,
    /// The ritual is kept so already; nothing changed.
    Unchanged,
}

fn str_field(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            ScalarValue::Str(v) if v.len() <= MAX_FIELD => Some(v.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn int_field(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<i64> {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            ScalarValue::Int(v) => Some(*v),
            ScalarValue::Uint(v) => i64::try_from(*v).ok(),
            _ => None,
        },
        _ => None,
    }
}

fn read_schedule(doc: &AutoCommit, obj: &ObjId) -> Option<Schedule> {
    let on = match doc.get(obj, ON) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            ScalarValue::Boolean(b) => *b,
            _ => return None,
        },
        _ => return None,
    };
    Some(Schedule {
        on,
        days: str_field(doc, obj, DAYS)?.parse().ok()?,
        at: str_field(doc, obj, AT)?.parse().ok()?,
    })
}

fn write_schedule(
    doc: &mut AutoCommit,
    obj: &ObjId,
    schedule: &Schedule,
) -> Result<(), WriteError> {
    doc.put(obj, ON, schedule.on)?;
    doc.put(obj, DAYS, schedule.days.to_string())?;
    doc.put(obj, AT, schedule.at.to_string())?;
    Ok(())
}

impl Journal {
    fn member_named(&self, key: Option<String>) -> Option<MemberId> {
        let key = key?;
        let info = self.info().ok().flatten()?;
        info.members
            .into_iter()
            .map(|m| m.id)
            .find(|id| id.as_str() == key)
    }

    /// How `ritual` is kept now: the couple's setting, or its default.
    pub fn ritual(&self, ritual: Ritual) -> RitualSetting {
        let doc = self.reading();
        let set = map_at(doc, &ROOT, RITUALS)
            .and_then(|all| map_at(doc, &all, ritual.as_str()))
            .and_then(|obj| {
                Some(RitualSetting {
                    ritual,
                    schedule: read_schedule(doc, &obj)?,
                    set_by: self.member_named(str_field(doc, &obj, SET_BY)),
                    agreed_by: self.member_named(str_field(doc, &obj, AGREED_BY)),
                    since: int_field(doc, &obj, SINCE_MS).map(UnixMs::from_millis),
                })
            });
        set.unwrap_or(RitualSetting {
            ritual,
            schedule: Schedule::default_for(ritual),
            set_by: None,
            agreed_by: None,
            since: None,
        })
    }

    /// Every scheduled ritual as it is kept now, in [`Ritual::SCHEDULED`] order.
    pub fn rituals(&self) -> Vec<RitualSetting> {
        Ritual::SCHEDULED
            .into_iter()
            .map(|r| self.ritual(r))
            .collect()
    }

    /// The proposals waiting, in [`Ritual::SCHEDULED`] order.
    pub fn ritual_proposals(&self) -> Vec<Proposal> {
        let doc = self.reading();
        let Some(all) = map_at(doc, &ROOT, PROPOSALS) else {
            return Vec::new();
        };
        Ritual::SCHEDULED
            .into_iter()
            .filter_map(|ritual| {
                let obj = map_at(doc, &all, ritual.as_str())?;
                Some(Proposal {
                    ritual,
                    schedule: read_schedule(doc, &obj)?,
                    by: self.member_named(str_field(doc, &obj, BY))?,
                    at: UnixMs::from_millis(int_field(doc, &obj, AT_MS)?),
                })
            })
            .collect()
    }

    fn proposal(&self, ritual: Ritual) -> Option<Proposal> {
        self.ritual_proposals()
            .into_iter()
            .find(|p| p.ritual == ritual)
    }

    fn has_partner(&self, me: &MemberId) -> bool {
        self.info()
            .ok()
            .flatten()
            .is_some_and(|info| info.members.iter().any(|m| m.id != *me))
    }

    fn scheduled(ritual: Ritual) -> Result<(), WriteError> {
        if Ritual::scheduled(ritual.as_str()).is_none() {
            return Err(WriteError::NotScheduled { ritual });
        }
        Ok(())
    }

    /// Proposes keeping `ritual` as `schedule`. With no partner in the journal yet it takes effect
    /// at once; proposing what the partner proposed accepts it; otherwise it waits for the partner
    /// (replacing any proposal of the same ritual).
    pub fn propose_ritual(
        &mut self,
        ritual: Ritual,
        schedule: Schedule,
        me: &MemberId,
        now: UnixMs,
    ) -> Result<Proposed, WriteError> {
        Self::scheduled(ritual)?;
        if !self.is_ready() {
            return Err(WriteError::NotReady);
        }
        if schedule.on && schedule.days.is_empty() {
            return Err(WriteError::NoDays);
        }
        let waiting = self.proposal(ritual);
        if let Some(p) = &waiting
            && p.by != *me
            && p.schedule == schedule
        {
            self.accept_ritual(ritual, me, now)?;
            return Ok(Proposed::Applied);
        }
        if self.ritual(ritual).schedule == schedule {
            if waiting.is_some() {
                self.remove_proposal(ritual)?;
            }
            return Ok(Proposed::Unchanged);
        }
        if !self.has_partner(me) {
            self.apply(ritual, &schedule, me, None, now)?;
            if waiting.is_some() {
                self.remove_proposal(ritual)?;
            }
            return Ok(Proposed::Applied);
        }
        let doc = self.automerge_mut();
        let all = match map_at(doc, &ROOT, PROPOSALS) {
            Some(obj) => obj,
            None => doc.put_object(ROOT, PROPOSALS, ObjType::Map)?,
        };
        let obj = doc.put_object(&all, ritual.as_str(), ObjType::Map)?;
        write_schedule(doc, &obj, &schedule)?;
        doc.put(&obj, BY, me.as_str())?;
        doc.put(&obj, AT_MS, now.as_millis())?;
        Ok(Proposed::Waiting)
    }

    /// Accepts the partner's proposal for `ritual`: it takes effect, set by them and agreed by
    /// `me`.
    pub fn accept_ritual(
        &mut self,
        ritual: Ritual,
        me: &MemberId,
        now: UnixMs,
    ) -> Result<(), WriteError> {
        let proposal = self
            .proposal(ritual)
            .ok_or(WriteError::NoProposal { ritual })?;
        if proposal.by == *me {
            return Err(WriteError::OwnProposal { ritual });
        }
        self.apply(ritual, &proposal.schedule, &proposal.by, Some(me), now)?;
        self.remove_proposal(ritual)
    }

    /// Declines the partner's proposal for `ritual`, or withdraws `me`'s own: the ritual stays as
    /// it is.
    pub fn decline_ritual(&mut self, ritual: Ritual) -> Result<(), WriteError> {
        if self.proposal(ritual).is_none() {
            return Err(WriteError::NoProposal { ritual });
        }
        self.remove_proposal(ritual)
    }

    fn remove_proposal(&mut self, ritual: Ritual) -> Result<(), WriteError> {
        let doc = self.automerge_mut();
        if let Some(all) = map_at(doc, &ROOT, PROPOSALS) {
            doc.delete(&all, ritual.as_str())?;
        }
        Ok(())
    }

    fn apply(
        &mut self,
        ritual: Ritual,
        schedule: &Schedule,
        set_by: &MemberId,
        agreed_by: Option<&MemberId>,
        now: UnixMs,
    ) -> Result<(), WriteError> {
        let doc = self.automerge_mut();
        let all = match map_at(doc, &ROOT, RITUALS) {
            Some(obj) => obj,
            None => doc.put_object(ROOT, RITUALS, ObjType::Map)?,
        };
        let obj = doc.put_object(&all, ritual.as_str(), ObjType::Map)?;
        write_schedule(doc, &obj, schedule)?;
        doc.put(&obj, SET_BY, set_by.as_str())?;
        if let Some(agreed) = agreed_by {
            doc.put(&obj, AGREED_BY, agreed.as_str())?;
        }
        doc.put(&obj, SINCE_MS, now.as_millis())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_read_as_people_say_them() {
        let say = |days: &str, on: bool| {
            Schedule {
                on,
                days: days.parse().expect("days"),
                at: "19:00".parse().expect("time"),
            }
            .to_string()
        };
        assert_eq!(say("daily", true), "every day at 19:00");
        assert_eq!(say("mon,tue,wed,thu,fri", true), "weekdays at 19:00");
        assert_eq!(say("sat,sun", true), "weekends at 19:00");
        assert_eq!(say("fri", true), "Fridays at 19:00");
        assert_eq!(say("mon,wed,fri", true), "Mon, Wed and Fri at 19:00");
        assert_eq!(say("fri", false), "off");
    }

    #[test]
    fn days_and_times_read_as_people_write_them() {
        let days: Weekdays = "mon, Friday".parse().expect("days");
        assert_eq!(days.to_string(), "mon,fri");
        assert!(days.contains(0) && days.contains(4) && !days.contains(6));
        assert_eq!("daily".parse::<Weekdays>(), Ok(Weekdays::EVERY_DAY));
        assert_eq!(
            "weekends".parse::<Weekdays>().map(|d| d.to_string()),
            Ok("sat,sun".to_string())
        );
        for bad in ["", "mo", "funday", "mon,,fri", "monk"] {
            assert!(bad.parse::<Weekdays>().is_err(), "{bad:?}");
        }
        assert_eq!(
            "7:05".parse::<ClockTime>().map(|t| t.to_string()),
            Ok("07:05".into())
        );
        assert_eq!("23:59".parse::<ClockTime>().map(|t| t.minutes()), Ok(1439));
        for bad in [
            "24:00", "12:60", "12", "1:2:3", "-1:00", "12:5x", "123:00", "",
        ] {
            assert!(bad.parse::<ClockTime>().is_err(), "{bad:?}");
        }
    }
}
