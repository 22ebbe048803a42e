//! What the window remembers between runs: theme, last screen, ritual times. No secrets, no
//! journal content: the journal lives encrypted in the store, never here.

use serde::{Deserialize, Serialize};

/// The key under which eframe keeps the preferences.
pub(crate) const STORAGE_KEY: &str = "hearth-prefs";

/// Light, dark, or as the system says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Follow the operating system.
    #[default]
    System,
    /// Cream paper and ember.
    Light,
    /// Warm charcoal and amber.
    Dark,
}

impl ThemeChoice {
    pub(crate) fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// The main screens, as remembered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tab {
    /// The question of the day, rituals, the partner's latest.
    #[default]
    Today,
    /// Every entry, newest first.
    Timeline,
    /// Writing something new.
    Compose,
    /// Moods and habits over weeks.
    Insights,
    /// Name, rituals, network, passphrase.
    Settings,
}

/// A time of day, local.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeOfDay {
    /// 0–23.
    pub hour: u8,
    /// 0–59.
    pub minute: u8,
}

impl TimeOfDay {
    /// Minutes since midnight.
    pub(crate) fn minutes(self) -> i64 {
        i64::from(self.hour) * 60 + i64::from(self.minute)
    }
}

/// One ritual's reminder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    /// Whether the app shows it.
    pub on: bool,
    /// When it starts showing.
    pub at: TimeOfDay,
    /// Snoozed until this moment.
    pub snoozed_until_ms: hearth::UnixMs,
    /// Dismissed for this day (days since the epoch, local), so it returns tomorrow.
    pub done_day: i64,
}

impl Reminder {
    /// A reminder that is on, at `hour`:`minute`.
    pub fn at(hour: u8, minute: u8) -> Self {
        Reminder {
            on: true,
            at: TimeOfDay { hour, minute },
            snoozed_until_ms: hearth::UnixMs::EPOCH,
            done_day: i64::MIN,
        }
    }
}

/// The ritual reminders the couple keeps. A ritual switched off here is not offered on Today
/// either.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Reminders {
    /// The morning check-in (offered until noon).
    pub morning: Reminder,
    /// The evening debrief and gratitude at bedtime (offered from six in the evening).
    pub evening: Reminder,
    /// The weekly relationship check-in (offered on Sundays).
    pub weekly: Reminder,
}

impl Reminders {
    /// Every ritual switched off: Today offers none, and no reminder shows.
    pub fn none() -> Self {
        let mut all = Reminders::default();
        for r in [&mut all.morning, &mut all.evening, &mut all.weekly] {
            r.on = false;
        }
        all
    }
}

impl Default for Reminders {
    fn default() -> Self {
        Reminders {
            morning: Reminder::at(8, 0),
            evening: Reminder::at(21, 0),
            weekly: Reminder::at(19, 0),
        }
    }
}

/// The window's remembered state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Light or dark.
    pub theme: ThemeChoice,
    /// The screen shown last.
    pub tab: Tab,
    /// Ritual reminders.
    pub reminders: Reminders,
}
