//! The first screen: Today and the newest page of the timeline as they last stood, kept sealed in
//! the store, so that the window can show them the moment the journal unlocks while the whole
//! journal loads behind them (loading takes seconds for a journal of years).
//!
//! The owner writes it a moment after the journal last changed ([`VIEW_AFTER`] of quiet) and as
//! the device closes. It is kept with what it was made from: the journal's id, how many chunks
//! each document had been given, and the couple's day. At the next open it is shown only if all
//! of these still hold (anything stored after it, such as a change that arrived after a crash, a
//! whole journal that replaced the stored one, or a new day, makes it stale), and the ritual
//! prompts are picked again for the hour of the open. A stale or missing one is made again once
//! the journal has loaded.

use std::time::{Duration, Instant};

use hearth_journal::{Filter, JournalId, Member, UnixMs};
use hearth_store::{DocId, Store};

use crate::device::Device;
use crate::read::Page;
use crate::today::Today;
use crate::zone::Zone;

/// How many entries of the timeline the first screen holds: one page of the window's timeline.
pub const FIRST_SCREEN_PAGE: usize = 150;

/// How long the journal must stay unchanged before the first screen is written again: a burst of
/// changes (a sync, an evening of writing back and forth) writes it once. Making it reads Today,
/// which reads the whole journal on the owner while a partner's change or a read waits; a device
/// stopped within this time of a change opens without a first screen, as a first open does.
const VIEW_AFTER: Duration = Duration::from_secs(20);

/// Where the first screen is kept among the store's settings.
const KEY: &str = "first_screen";

/// The version of what is kept under [`KEY`]; another version is not read.
const VERSION: u32 = 1;

/// What the window shows first: the people, Today and the newest page of the timeline, as they
/// stood when the journal last changed on this device.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct FirstScreen {
    /// This person.
    pub me: Member,
    /// The partner, once they are a member.
    pub partner: Option<Member>,
    /// Today, once the shared journal is here.
    pub today: Option<Today>,
    /// The newest entries of both journals, unfiltered ([`FIRST_SCREEN_PAGE`] at most).
    pub timeline: Page,
}

/// The first screen as kept, with what says whether it still holds.
#[derive(serde::Serialize, serde::Deserialize)]
struct Kept {
    version: u32,
    journal_id: String,
    /// The chunk marks of the shared and the private document when it was made.
    marks: [u64; 2],
    /// The couple's home zone when it was made (`None`: this device's).
    couple_zone: Option<String>,
    screen: FirstScreen,
}

/// The chunk marks of both documents: they move with every change stored.
fn marks(store: &Store) -> Option<[u64; 2]> {
    Some([
        store.mark(DocId::Shared).ok()?.value(),
        store.mark(DocId::Private).ok()?.value(),
    ])
}

/// The first screen kept in `store` for `journal_id`, if it still holds: nothing was stored
/// since it was made and it is still the same day for the couple. Its ritual prompts are picked
/// again for now. Anything unreadable counts as missing.
pub(crate) fn read(store: &Store, journal_id: &JournalId, zone: &Zone) -> Option<FirstScreen> {
    let bytes = store.get_setting(KEY).ok().flatten()?;
    let kept: Kept = serde_json::from_slice(&bytes).ok()?;
    if kept.version != VERSION
        || kept.journal_id != journal_id.as_str()
        || Some(kept.marks) != marks(store)
    {
        return None;
    }
    let couple_zone = match &kept.couple_zone {
        Some(name) => Zone::named(name).ok()?,
        None => zone.clone(),
    };
    let mut screen = kept.screen;
    let now = UnixMs::now();
    if let Some(today) = &mut screen.today {
        if today.date != couple_zone.date_at(now) {
            return None;
        }
        today.rituals = crate::today::rituals_at(&today.schedule.settings, journal_id, now, zone);
    }
    Some(screen)
}

impl Device {
    /// Asks for the first screen to be written once the journal has been quiet a moment.
    pub(crate) fn first_screen_soon(&mut self) {
        self.first_screen_due = Some(Instant::now() + VIEW_AFTER);
    }

    /// Writes the first screen as the journal stands now. A failure only costs the next open its
    /// first screen.
    pub(crate) fn write_first_screen(&mut self) {
        self.first_screen_due = None;
        if self.broken {
            return;
        }
        let Some(marks) = marks(&self.store) else {
            return;
        };
        let screen = FirstScreen {
            me: self.me(),
            partner: {
                let me = self.binding.member.clone();
                self.members().into_iter().find(|m| m.id != me)
            },
            today: self.today_view().ok(),
            timeline: self.timeline(&Filter::default(), None, FIRST_SCREEN_PAGE),
        };
        let kept = Kept {
            version: VERSION,
            journal_id: self.binding.journal_id.as_str().to_owned(),
            marks,
            couple_zone: self.shared.home_zone(),
            screen,
        };
        let written = serde_json::to_vec(&kept)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                self.store
                    .put_setting(KEY, &bytes)
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = written {
            tracing::warn!(error = %e, "could not keep the first screen");
        }
    }
}
