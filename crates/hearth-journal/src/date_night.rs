//! Date night: the week's idea, a plan either partner notes, and a line from each afterwards.
//!
//! ```text
//! date_nights: map  "<YYYY-MM-DD>" → { idea: str,
//!                                      plan: { text: str, by: str, at_ms: int },
//!                                      lines: map member → { text: str, at_ms: int } }
//! ```
//!
//! A date night is named by its day in the couple's day (the journal's home time zone), so both
//! devices speak of the same one. Until the couple asks for another idea, the idea is the week's
//! from the deck ([`deck::date_idea`]). A plan is one short note, the latest one kept; each
//! partner's line afterwards is theirs alone. What a device declares is bounded: only keys that
//! are dates, ideas the deck has, notes within [`MAX_PLAN_CHARS`] and [`MAX_LINE_CHARS`], and
//! lines of members are read.

use automerge::transaction::Transactable as _;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};

use crate::deck::{self, DateIdea, Ritual};
use crate::schema::map_at;
use crate::{ClockTime, Journal, LocalDate, MemberId, UnixMs, WriteError};

const DATE_NIGHTS: &str = "date_nights";
const IDEA: &str = "idea";
const PLAN: &str = "plan";
const LINES: &str = "lines";
const TEXT: &str = "text";
const BY: &str = "by";
const AT_MS: &str = "at_ms";

/// The longest plan, in characters.
pub const MAX_PLAN_CHARS: usize = 500;
/// The longest line about a date night, in characters.
pub const MAX_LINE_CHARS: usize = 280;

/// A short note about a date night, and who wrote it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Note {
    /// Who wrote it.
    pub by: MemberId,
    /// What they wrote.
    pub text: String,
    /// When.
    pub at: UnixMs,
}

/// One date night.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DateNight {
    /// Its day, in the couple's day.
    pub date: LocalDate,
    /// Its time, on each device's own clock.
    pub at: ClockTime,
    /// The idea on offer.
    pub idea: DateIdea,
    /// The plan, once either partner noted one.
    pub plan: Option<Note>,
    /// Each partner's line about it afterwards, in the order the journal's members are listed.
    pub lines: Vec<Note>,
}

fn bounded_str(doc: &AutoCommit, obj: &ObjId, key: &str, most: usize) -> Option<String> {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            // Four bytes at most per character: a longer string is over the limit unread.
            ScalarValue::Str(v) if v.len() <= most * 4 && v.chars().count() <= most => {
                Some(v.to_string())
            }
            _ => None,
        },
        _ => None,
    }
}

fn at_ms(doc: &AutoCommit, obj: &ObjId) -> Option<UnixMs> {
    match doc.get(obj, AT_MS) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            ScalarValue::Int(v) => Some(UnixMs::from_millis(*v)),
            _ => None,
        },
        _ => None,
    }
}

fn checked(text: &str, most: usize) -> Result<&str, WriteError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(WriteError::Empty);
    }
    let chars = text.chars().count();
    if chars > most {
        return Err(WriteError::NoteTooLong { chars, most });
    }
    Ok(text)
}

impl Journal {
    /// The next date night on or after `today` (the couple's day), while the couple keeps it.
    pub fn next_date_night(&self, today: LocalDate) -> Option<LocalDate> {
        let schedule = self.ritual(Ritual::DateNight).schedule;
        (0..7)
            .map(|n| today.add_days(n))
            .find(|d| schedule.on && schedule.days.contains(d.weekday_from_monday()))
    }

    /// The latest date night before `today`, within the last week, while the couple keeps it.
    pub fn last_date_night(&self, today: LocalDate) -> Option<LocalDate> {
        let schedule = self.ritual(Ritual::DateNight).schedule;
        (1..=7)
            .map(|n| today.add_days(-n))
            .find(|d| schedule.on && schedule.days.contains(d.weekday_from_monday()))
    }

    /// The date night on `date`: its idea, plan and lines. `None` while the journal is not ready.
    pub fn date_night(&self, date: LocalDate) -> Option<DateNight> {
        let info = self.info().ok().flatten()?;
        let doc = self.reading();
        let obj =
            map_at(doc, &ROOT, DATE_NIGHTS).and_then(|all| map_at(doc, &all, &date.to_string()));
        let idea = obj
            .as_ref()
            .and_then(|o| bounded_str(doc, o, IDEA, 16))
            .and_then(|id| deck::date_idea_by_id(&id))
            .unwrap_or_else(|| deck::date_idea(&info.id, date));
        let member = |key: &str| {
            info.members
                .iter()
                .find(|m| m.id.as_str() == key)
                .map(|m| m.id.clone())
        };
        let plan = obj.as_ref().and_then(|o| {
            let p = map_at(doc, o, PLAN)?;
            Some(Note {
                by: member(&bounded_str(doc, &p, BY, 64)?)?,
                text: bounded_str(doc, &p, TEXT, MAX_PLAN_CHARS)?,
                at: at_ms(doc, &p)?,
            })
        });
        let lines = obj
            .as_ref()
            .and_then(|o| map_at(doc, o, LINES))
            .map(|l| {
                info.members
                    .iter()
                    .filter_map(|m| {
                        let line = map_at(doc, &l, m.id.as_str())?;
                        Some(Note {
                            by: m.id.clone(),
                            text: bounded_str(doc, &line, TEXT, MAX_LINE_CHARS)?,
                            at: at_ms(doc, &line)?,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(DateNight {
            date,
            at: self.ritual(Ritual::DateNight).schedule.at,
            idea,
            plan,
            lines,
        })
    }

    /// The date nights from `from` to `to` (both included) that either partner planned or wrote
    /// a line about, oldest first.
    pub fn date_nights_kept(&self, from: LocalDate, to: LocalDate) -> Vec<DateNight> {
        let doc = self.reading();
        let Some(all) = map_at(doc, &ROOT, DATE_NIGHTS) else {
            return Vec::new();
        };
        let mut dates: Vec<LocalDate> = doc
            .keys(&all)
            .filter_map(|k| k.parse::<LocalDate>().ok())
            .filter(|d| (from..=to).contains(d))
            .collect();
        dates.sort();
        dates
            .into_iter()
            .filter_map(|d| self.date_night(d))
            .filter(|n| n.plan.is_some() || !n.lines.is_empty())
            .collect()
    }

    fn date_night_obj(&mut self, date: LocalDate) -> Result<ObjId, WriteError> {
        if !self.is_ready() {
            return Err(WriteError::NotReady);
        }
        let doc = self.automerge_mut();
        let all = match map_at(doc, &ROOT, DATE_NIGHTS) {
            Some(obj) => obj,
            None => doc.put_object(ROOT, DATE_NIGHTS, ObjType::Map)?,
        };
        Ok(match map_at(doc, &all, &date.to_string()) {
            Some(obj) => obj,
            None => doc.put_object(&all, date.to_string(), ObjType::Map)?,
        })
    }

    /// Notes the plan for the date night on `date`, in place of any earlier plan.
    pub fn plan_date_night(
        &mut self,
        date: LocalDate,
        text: &str,
        me: &MemberId,
        now: UnixMs,
    ) -> Result<(), WriteError> {
        let text = checked(text, MAX_PLAN_CHARS)?;
        let obj = self.date_night_obj(date)?;
        let plan = self.automerge_mut().put_object(&obj, PLAN, ObjType::Map)?;
        self.put_note(&plan, text, Some(me), now)
    }

    /// Offers another idea for the date night on `date`: the next in this journal's order.
    pub fn another_date_idea(&mut self, date: LocalDate) -> Result<DateIdea, WriteError> {
        let info = self
            .info()
            .map_err(WriteError::Malformed)?
            .ok_or(WriteError::NotReady)?;
        let current = self.date_night(date).ok_or(WriteError::NotReady)?.idea;
        let next = deck::date_idea_after(&info.id, current.id);
        let obj = self.date_night_obj(date)?;
        self.automerge_mut().put(&obj, IDEA, next.id)?;
        Ok(next)
    }

    /// `me`'s one line about the date night on `date`, afterwards; writing again replaces it.
    pub fn remember_date_night(
        &mut self,
        date: LocalDate,
        text: &str,
        me: &MemberId,
        now: UnixMs,
    ) -> Result<(), WriteError> {
        let text = checked(text, MAX_LINE_CHARS)?;
        let obj = self.date_night_obj(date)?;
        let doc = self.automerge_mut();
        let lines = match map_at(doc, &obj, LINES) {
            Some(l) => l,
            None => doc.put_object(&obj, LINES, ObjType::Map)?,
        };
        let line = doc.put_object(&lines, me.as_str(), ObjType::Map)?;
        // A line is kept under its author's id: it names them already.
        self.put_note(&line, text, None, now)
    }

    /// Writes a note's text, its author (when the note's place does not name them) and time
    /// into `obj`.
    fn put_note(
        &mut self,
        obj: &ObjId,
        text: &str,
        by: Option<&MemberId>,
        now: UnixMs,
    ) -> Result<(), WriteError> {
        let doc = self.automerge_mut();
        doc.put(obj, TEXT, text)?;
        if let Some(by) = by {
            doc.put(obj, BY, by.as_str())?;
        }
        doc.put(obj, AT_MS, now.as_millis())?;
        Ok(())
    }
}
