//! The couple's day: the journal's home time zone, and whether the couple starts small.
//!
//! ```text
//! home_zone: str     a time zone database name (`Europe/Lisbon`), set at creation
//! start_small: bool  one small prompt a day instead of the question of the day
//! ```
//!
//! The question of the day changes at midnight in this zone on both devices, so partners in two
//! time zones see the same question. Each device still shows times in its own zone. What a device
//! declares is bounded: a name of at most [`MAX_ZONE_NAME`] characters of the kinds the time zone
//! database uses, else none.

use automerge::transaction::Transactable as _;
use automerge::{ROOT, ReadDoc, ScalarValue, Value};

use crate::{Journal, WriteError};

const HOME_ZONE: &str = "home_zone";
const START_SMALL: &str = "start_small";
/// The longest time zone name read.
pub const MAX_ZONE_NAME: usize = 64;

fn plausible(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_ZONE_NAME
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'+'))
}

impl Journal {
    /// The journal's home time zone, by its name in the time zone database, if one was set (the
    /// caller checks that its system knows it).
    pub fn home_zone(&self) -> Option<String> {
        match self.reading().get(ROOT, HOME_ZONE) {
            Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
                ScalarValue::Str(name) if plausible(name) => Some(name.to_string()),
                _ => None,
            },
            _ => None,
        }
    }

    /// Sets the journal's home time zone (a time zone database name), for both partners.
    pub fn set_home_zone(&mut self, name: &str) -> Result<(), WriteError> {
        if !self.is_ready() {
            return Err(WriteError::NotReady);
        }
        if !plausible(name) {
            return Err(WriteError::BadZone {
                name: name.chars().take(MAX_ZONE_NAME).collect(),
            });
        }
        if self.home_zone().as_deref() != Some(name) {
            self.automerge_mut().put(ROOT, HOME_ZONE, name)?;
        }
        Ok(())
    }

    /// Whether the couple starts small: one small prompt a day, for reconnecting after distance,
    /// in place of the question of the day and the counts of what was shared.
    pub fn start_small(&self) -> bool {
        matches!(
            self.reading().get(ROOT, START_SMALL),
            Ok(Some((Value::Scalar(s), _))) if s.as_ref() == &ScalarValue::Boolean(true)
        )
    }

    /// Starts small, or stops, for both partners.
    pub fn set_start_small(&mut self, on: bool) -> Result<(), WriteError> {
        if !self.is_ready() {
            return Err(WriteError::NotReady);
        }
        if self.start_small() != on {
            self.automerge_mut().put(ROOT, START_SMALL, on)?;
        }
        Ok(())
    }
}
