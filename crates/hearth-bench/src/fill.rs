//! A couple's history written into a journal document: entries by both partners over the years,
//! with comments, reactions, answered bids and the odd edit. Each is its own Automerge change, as
//! the app makes them, and the changes come from many actors (every time the app opens, it writes
//! under a fresh actor id).

use automerge::ActorId;
use automerge::transaction::CommitOptions;
use hearth::{Content, Edit, EntryId, LocalDate, MemberId, Turn};
use hearth_journal::{DeviceRef, Journal, Stamp, UnixMs};

use crate::corpus;
use crate::rng::Rng;

const MINUTE_MS: usize = 60_000;
const HOUR_MS: usize = 60 * MINUTE_MS;
/// The time between one entry and the next: from 20 minutes to 16 hours.
const GAP_MS: (usize, usize) = (20 * MINUTE_MS, 16 * HOUR_MS);

/// Where a history of `entries` entries starts, so that it ends about today (the start of
/// today, UTC, for every journal of a run): a couple opens Hearth on a journal they have been
/// writing in, not one dated years ahead, and what Today reads (the week's bids, the latest
/// entries) is then as it would be for them.
fn start_ms(entries: usize) -> i64 {
    const DAY_MS: i64 = 86_400_000;
    let today = UnixMs::now().as_millis() / DAY_MS * DAY_MS;
    let mean_gap = i64::try_from((GAP_MS.0 + GAP_MS.1) / 2).unwrap_or(i64::MAX);
    let span = i64::try_from(entries)
        .unwrap_or(i64::MAX)
        .saturating_mul(mean_gap);
    today.saturating_sub(span).max(0)
}

/// The two people writing, and the device each writes on.
pub struct People {
    pub members: [MemberId; 2],
    pub devices: [DeviceRef; 2],
}

/// What [`fill`] wrote.
#[derive(Clone, Copy, Debug, Default)]
pub struct Written {
    pub entries: usize,
    pub changes: usize,
    /// Characters of text written (entries and comments).
    pub text_bytes: usize,
}

struct Writer<'a> {
    journal: &'a mut Journal,
    written: Written,
}

impl Writer<'_> {
    /// Ends the change being made, as the app does after every command.
    fn commit(&mut self, at_ms: i64) {
        let doc = self.journal.automerge_mut();
        if doc
            .commit_with(CommitOptions::default().with_time(at_ms / 1000))
            .is_some()
        {
            self.written.changes += 1;
        }
    }
}

/// Writes `entries` entries with their comments, reactions and responses into `journal`.
pub fn fill(
    journal: &mut Journal,
    people: &People,
    entries: usize,
    rng: &mut Rng,
) -> anyhow::Result<Written> {
    let mut w = Writer {
        journal,
        written: Written::default(),
    };
    let mut now = start_ms(entries);
    for _ in 0..entries {
        now += rng.range(GAP_MS.0, GAP_MS.1) as i64;
        if rng.chance(4) {
            w.journal
                .automerge_mut()
                .set_actor(ActorId::from(rng.bytes::<16>()));
        }
        let who = rng.range(0, 2);
        let stamp = |person: usize, at_ms: i64| Stamp {
            member: people.members[person].clone(),
            device: people.devices[person].clone(),
            now_ms: UnixMs::from_millis(at_ms),
        };
        let id = EntryId::new(UnixMs::from_millis(now), rng.bytes());
        let day = LocalDate::from_utc_ms(UnixMs::from_millis(now), 0);
        let content = corpus::content(rng, &people.members[1 - who], day);
        w.journal.write(&id, &stamp(who, now), &content)?;
        w.commit(now);
        w.written.entries += 1;
        w.written.text_bytes += content.main_text().len();

        // The partner sees it later.
        let later = now + rng.range(MINUTE_MS, 3 * HOUR_MS) as i64;
        if matches!(content, Content::Bid { .. }) && rng.chance(70) {
            let turn = if rng.chance(80) {
                Turn::Toward
            } else {
                Turn::Later
            };
            w.journal.respond(&id, &stamp(1 - who, later), turn)?;
            w.commit(later);
        }
        if rng.chance(35) {
            let emoji = corpus::emoji(rng);
            w.journal.react(&id, &stamp(1 - who, later), emoji, true)?;
            w.commit(later);
        }
        if rng.chance(25) {
            for k in 0..rng.range(1, 4) {
                let at = later + (k * 10 * MINUTE_MS) as i64;
                let by = (1 - who + k) % 2;
                let comment = EntryId::new(UnixMs::from_millis(at), rng.bytes());
                let text = corpus::comment(rng);
                w.journal.comment(&id, &comment, &stamp(by, at), &text)?;
                w.commit(at);
                w.written.text_bytes += text.len();
            }
        }
        if rng.chance(5) {
            let more = corpus::text(rng, 120);
            let edit = match &content {
                Content::Gratitude { lines, .. } => Edit::Line {
                    index: 0,
                    text: format!("{} {more}", lines[0]),
                },
                other => Edit::Body(format!("{} {more}", other.main_text())),
            };
            w.journal.edit(&id, &stamp(who, later), &edit)?;
            w.commit(later);
        }
    }
    Ok(w.written)
}
