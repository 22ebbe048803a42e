//! Questions of the day the couple skipped.
//!
//! ```text
//! skipped_questions: map   "<day>/<question id>" → true
//! ```
//!
//! A skip names the day and the question, never who skipped: it is the couple's, not a mark
//! against either. Two devices skipping the same question on the same day write the same key, so
//! the couple moves one question on, not two. Each skip on or before a day moves that day's
//! question one step further through the deck ([`deck::question_after_skips`]).

use automerge::transaction::Transactable as _;
use automerge::{ObjType, ROOT, ReadDoc};

use crate::deck::{self, Question};
use crate::schema::map_at;
use crate::{Journal, LocalDate, MemberId, SchemaWarning, WriteError};

const SKIPPED: &str = "skipped_questions";

impl Journal {
    /// The question of the day on `today`, with the couple's skips counted. `Ok(None)` while the
    /// journal is not ready.
    pub fn question_of_the_day(&self, today: LocalDate) -> Result<Option<Question>, SchemaWarning> {
        let Some(info) = self.info()? else {
            return Ok(None);
        };
        Ok(Some(deck::question_after_skips(
            &info.id,
            info.start_day,
            today,
            self.skips_until(today),
        )))
    }

    /// How many questions the couple skipped on `day` or before. Only keys that name a day and a
    /// question of the deck count, so what a device declares is bounded by the deck's size for
    /// each day.
    pub fn skips_until(&self, day: LocalDate) -> u64 {
        let doc = self.reading();
        let Some(skipped) = map_at(doc, &ROOT, SKIPPED) else {
            return 0;
        };
        doc.keys(&skipped)
            .filter(|key| {
                key.split_once('/').is_some_and(|(d, q)| {
                    d.parse::<LocalDate>().is_ok_and(|d| d <= day) && deck::question(q).is_some()
                })
            })
            .count() as u64
    }

    /// Skips today's question for both partners: `today`'s question becomes the next one. Refused
    /// once either has answered it (`me`'s answer, or the partner's that would be left waiting
    /// for ever); skipping a question skipped already changes nothing.
    pub fn skip_question(&mut self, today: LocalDate, me: &MemberId) -> Result<(), WriteError> {
        let question = self
            .question_of_the_day(today)
            .map_err(WriteError::Malformed)?
            .ok_or(WriteError::NotReady)?;
        let state = self.answer_state(question.id, today, me);
        if state.mine.is_some() || !matches!(state.partner, crate::PartnerAnswer::Waiting) {
            return Err(WriteError::Answered);
        }
        let doc = self.automerge_mut();
        let skipped = match map_at(doc, &ROOT, SKIPPED) {
            Some(obj) => obj,
            None => doc.put_object(ROOT, SKIPPED, ObjType::Map)?,
        };
        doc.put(&skipped, format!("{today}/{}", question.id), true)?;
        Ok(())
    }
}
