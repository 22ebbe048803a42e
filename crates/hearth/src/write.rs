//! Changing the journal: each command is stored durably before it returns, and sent to the
//! partner's connected devices while it is stored.

use hearth_journal::{Content, Edit, EntryId, Journal, Stamp, Turn, UnixMs, Version};
use hearth_store::DocId;

use crate::device::Device;
use crate::events::Event;
use crate::os::random;
use crate::{Hearth, Question, WriteError};

/// A new entry, before it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    /// What it says.
    pub content: Content,
    /// Keep it in the private journal on this device: never synced, never exported with the
    /// shared journal.
    pub private: bool,
}

impl Draft {
    /// An entry for the shared journal.
    pub fn shared(content: Content) -> Self {
        Draft {
            content,
            private: false,
        }
    }

    /// An entry for the private journal.
    pub fn private(content: Content) -> Self {
        Draft {
            content,
            private: true,
        }
    }
}

/// A fresh, time-sortable id for something created now.
///
/// Ids made by this process only ever increase: two entries written in the same millisecond (a
/// script, or a check-in right after an answer) keep the order they were written in, instead of
/// the order their random bytes happen to fall in. The later one reuses the earlier one's time
/// and random bytes plus one.
fn fresh_id() -> Result<EntryId, WriteError> {
    static LAST: std::sync::Mutex<Option<(UnixMs, [u8; 9])>> = std::sync::Mutex::new(None);
    let fresh = random().map_err(WriteError::Randomness)?;
    let now = UnixMs::now();
    let mut last = LAST
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (ms, bytes) = match *last {
        Some((ms, bytes)) if ms >= now => match increment(bytes) {
            Some(next) => (ms, next),
            None => (ms.plus(std::time::Duration::from_millis(1)), fresh),
        },
        _ => (now, fresh),
    };
    *last = Some((ms, bytes));
    Ok(EntryId::new(ms, bytes))
}

/// `bytes` as a big-endian number plus one, or `None` when it would overflow.
fn increment(mut bytes: [u8; 9]) -> Option<[u8; 9]> {
    for byte in bytes.iter_mut().rev() {
        let (next, carry) = byte.overflowing_add(1);
        *byte = next;
        if !carry {
            return Some(bytes);
        }
    }
    None
}

impl Hearth {
    /// Runs a change on the owner. The owner sends it to the partner's connected devices as it
    /// stores it (see [`crate::net_requests::send_before_storing`]); answers it opens because of
    /// it are pushed after.
    pub(crate) async fn change<T: Send + 'static>(
        &self,
        doc: impl FnOnce(&Device) -> DocId + Send + 'static,
        f: impl FnOnce(&mut Journal, &Stamp) -> Result<T, hearth_journal::WriteError> + Send + 'static,
    ) -> Result<(T, DocId), WriteError> {
        let (value, doc, opened) = self
            .call(move |d| {
                let doc = doc(d);
                let value = d.change(doc, f)?;
                // An answer written now may answer a question the partner answered already.
                let written = d.shared.take_answers_written();
                if let Some(private) = d.private.as_mut() {
                    // Only the shared journal's answers open to the partner.
                    private.take_answers_written();
                }
                let opened = doc == DocId::Shared && d.open_answers_written(written);
                Ok::<_, WriteError>((value, doc, opened))
            })
            .await??;
        if opened {
            self.push();
        }
        Ok((value, doc))
    }

    pub(crate) fn emit(&self, event: Event) {
        // No receiver is fine: nobody listens right now.
        let _ = self.core.events.send(event);
    }

    /// Writes a new entry; returns its id.
    pub async fn write(&self, draft: Draft) -> Result<EntryId, WriteError> {
        if draft.private && draft.content.kind() == hearth_journal::EntryKind::Letter {
            return Err(WriteError::Refused(
                hearth_journal::WriteError::SharedOnly {
                    kind: hearth_journal::EntryKind::Letter,
                },
            ));
        }
        let doc = if draft.private {
            DocId::Private
        } else {
            DocId::Shared
        };
        let id = fresh_id()?;
        let entry = id.clone();
        let letter = draft.content.kind() == hearth_journal::EntryKind::Letter;
        self.change(
            move |_| doc,
            move |journal, stamp| journal.write(&entry, stamp, &draft.content),
        )
        .await?;
        if letter {
            self.core.letters.notify_one();
        }
        self.emit(Event::EntryAdded {
            id: id.clone(),
            private: draft.private,
            by_partner: false,
        });
        Ok(id)
    }

    /// Opens one of my sealed answers to my partner now, whether or not they have answered the
    /// question (one the two of us skipped, say). Answers open by themselves once both have
    /// answered; this is for the rest.
    pub async fn open_answer(&self, id: &EntryId) -> Result<(), WriteError> {
        let entry = id.clone();
        self.changed(id, move |journal, stamp| journal.open_answer(&entry, stamp))
            .await
    }

    /// Edits an entry's text or rating.
    pub async fn edit(&self, id: &EntryId, edit: Edit) -> Result<(), WriteError> {
        let entry = id.clone();
        self.changed(id, move |journal, stamp| journal.edit(&entry, stamp, &edit))
            .await
    }

    /// Comments on an entry; returns the comment's id.
    pub async fn comment(&self, id: &EntryId, text: &str) -> Result<EntryId, WriteError> {
        let entry = id.clone();
        let text = text.to_owned();
        let comment = fresh_id()?;
        let new = comment.clone();
        self.changed(id, move |journal, stamp| {
            journal.comment(&entry, &new, stamp, &text)
        })
        .await?;
        Ok(comment)
    }

    /// Changes the text of a comment this person wrote on entry `id`.
    pub async fn edit_comment(
        &self,
        id: &EntryId,
        comment: &EntryId,
        text: &str,
    ) -> Result<(), WriteError> {
        let (entry, comment, text) = (id.clone(), comment.clone(), text.to_owned());
        self.changed(id, move |journal, stamp| {
            journal.edit_comment(&entry, &comment, stamp, &text)
        })
        .await
    }

    /// Deletes a comment this person wrote on entry `id`: its text is cleared on both devices.
    pub async fn delete_comment(&self, id: &EntryId, comment: &EntryId) -> Result<(), WriteError> {
        let (entry, comment) = (id.clone(), comment.clone());
        self.changed(id, move |journal, stamp| {
            journal.delete_comment(&entry, &comment, stamp)
        })
        .await
    }

    /// Adds (`on`) or takes back a reaction.
    pub async fn react(&self, id: &EntryId, emoji: &str, on: bool) -> Result<(), WriteError> {
        let entry = id.clone();
        let emoji = emoji.to_owned();
        self.changed(id, move |journal, stamp| {
            journal.react(&entry, stamp, &emoji, on)
        })
        .await
    }

    /// Deletes an entry: its text, reactions and the text of its comments are cleared on both
    /// devices (the journal's history still holds them; see docs/threat-model.md).
    pub async fn delete(&self, id: &EntryId) -> Result<(), WriteError> {
        let entry = id.clone();
        self.changed(id, move |journal, stamp| journal.delete(&entry, stamp))
            .await
    }

    /// Answers a bid for connection: turned toward, or kept for later.
    pub async fn respond(&self, id: &EntryId, turn: Turn) -> Result<(), WriteError> {
        let entry = id.clone();
        self.changed(id, move |journal, stamp| {
            journal.respond(&entry, stamp, turn)
        })
        .await
    }

    /// Answers today's question of the day in the shared journal; returns the answer's id.
    pub async fn answer_today(&self, text: &str) -> Result<EntryId, WriteError> {
        let body = text.to_owned();
        let today = self.call(|d| d.couple_day()).await?;
        let id = fresh_id()?;
        let answer = id.clone();
        self.change(
            |_| DocId::Shared,
            move |journal, stamp| {
                let question = journal
                    .question_of_the_day(today)
                    .map_err(hearth_journal::WriteError::Malformed)?
                    .ok_or(hearth_journal::WriteError::NotReady)?;
                let content = Content::Answer {
                    question: question.id.to_owned(),
                    day: today,
                    body,
                };
                journal.write(&answer, stamp, &content)
            },
        )
        .await?;
        self.emit(Event::EntryAdded {
            id: id.clone(),
            private: false,
            by_partner: false,
        });
        Ok(id)
    }

    /// Skips today's question of the day for both partners, and returns the question that takes
    /// its place. Refused ([`hearth_journal::WriteError::Answered`]) once either has answered it.
    /// The skip is the couple's: the journal records the day and the question, not who skipped.
    pub async fn skip_question(&self) -> Result<Question, WriteError> {
        let today = self.call(|d| d.couple_day()).await?;
        let (question, _) = self
            .change(
                |_| DocId::Shared,
                move |journal, stamp| {
                    journal.skip_question(today, &stamp.member)?;
                    journal
                        .question_of_the_day(today)
                        .map_err(hearth_journal::WriteError::Malformed)?
                        .ok_or(hearth_journal::WriteError::NotReady)
                },
            )
            .await?;
        self.emit(Event::JournalChanged { by_partner: false });
        Ok(question)
    }

    /// Brings back version `number` (from 1) of one's own entry, as listed by
    /// [`Hearth::history`]: a new change, so it syncs, and a new version. Returns what was
    /// brought back.
    pub async fn restore(&self, id: &EntryId, number: usize) -> Result<Version, WriteError> {
        let (entry, which) = (id.clone(), id.clone());
        let (version, doc) = self
            .change(
                move |d| d.doc_of(&which),
                move |journal, stamp| journal.restore(&entry, stamp, number),
            )
            .await?;
        self.emit(Event::EntryChanged {
            id: id.clone(),
            private: doc == DocId::Private,
            by_partner: false,
        });
        Ok(version)
    }

    /// The journal's home time zone (its name in the time zone database), which decides the
    /// couple's day for the question of the day; `None` before either device set one.
    pub async fn home_zone(&self) -> Result<Option<String>, crate::Closed> {
        self.call(|d| d.shared.home_zone()).await
    }

    /// Sets the journal's home time zone for both partners, by its name in the time zone
    /// database (`Europe/Lisbon`); a name this system does not know is refused.
    pub async fn set_home_zone(&self, name: &str) -> Result<(), WriteError> {
        let name = name.trim().to_owned();
        if crate::Zone::named(&name).is_err() {
            return Err(WriteError::Refused(hearth_journal::WriteError::BadZone {
                name,
            }));
        }
        self.change(
            |_| DocId::Shared,
            move |journal, _| journal.set_home_zone(&name),
        )
        .await?;
        self.emit(Event::JournalChanged { by_partner: false });
        Ok(())
    }

    /// Starts small, or stops, for both partners: while on, Today offers one small prompt a day
    /// in place of the question of the day, and insights count nothing.
    pub async fn set_start_small(&self, on: bool) -> Result<(), WriteError> {
        self.change(
            |_| DocId::Shared,
            move |journal, _| journal.set_start_small(on),
        )
        .await?;
        self.emit(Event::JournalChanged { by_partner: false });
        Ok(())
    }

    /// A change to an existing entry, in whichever journal holds it.
    async fn changed(
        &self,
        id: &EntryId,
        f: impl FnOnce(&mut Journal, &Stamp) -> Result<(), hearth_journal::WriteError> + Send + 'static,
    ) -> Result<(), WriteError> {
        let entry = id.clone();
        let ((), doc) = self.change(move |d| d.doc_of(&entry), f).await?;
        self.emit(Event::EntryChanged {
            id: id.clone(),
            private: doc == DocId::Private,
            by_partner: false,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{fresh_id, increment};

    #[test]
    fn ids_made_in_a_burst_keep_the_order_they_were_made_in() {
        let ids: Vec<_> = (0..2_000).map(|_| fresh_id().expect("an id")).collect();
        for pair in ids.windows(2) {
            assert!(pair[0] < pair[1], "{} then {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn incrementing_carries_and_stops_at_the_top() {
        assert_eq!(increment([0; 9]), Some([0, 0, 0, 0, 0, 0, 0, 0, 1]));
        assert_eq!(
            increment([0, 0, 0, 0, 0, 0, 0, 0, 0xff]),
            Some([0, 0, 0, 0, 0, 0, 0, 1, 0])
        );
        assert_eq!(increment([0xff; 9]), None);
    }
}
