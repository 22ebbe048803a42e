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
    pub(crate) fn minutes(self) -> u32 {
        u32::from(self.hour) * 60 + u32::from(self.minute)
    }
}

/// This device's reminder of one ritual. When the ritual comes round is the couple's, kept in the
/// shared journal; whether this device reminds of it, and when it rests, is this person's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    /// Whether this device reminds of the ritual and offers it on Today.
    pub on: bool,
    /// The time the ritual had on this device before rituals were set together; moved into the
    /// shared journal once (see [`Reminders::moved`]), not used after.
    pub at: TimeOfDay,
    /// Snoozed until this moment.
    pub snoozed_until_ms: hearth::UnixMs,
    /// Set aside for this day (days since the epoch, local), so it returns tomorrow.
    pub done_day: i64,
    /// The day a desktop notification of it was last sent (days since the epoch, local).
    #[serde(default = "never")]
    pub notified_day: i64,
}

fn never() -> i64 {
    i64::MIN
}

impl Reminder {
    /// A reminder that is on; `hour`:`minute` is the time an earlier version kept here.
    pub fn at(hour: u8, minute: u8) -> Self {
        Reminder {
            on: true,
            at: TimeOfDay { hour, minute },
            snoozed_until_ms: hearth::UnixMs::EPOCH,
            done_day: i64::MIN,
            notified_day: i64::MIN,
        }
    }

    /// Where it stands, as the reminders reckon.
    pub(crate) fn rest(&self) -> crate::remind::Rest {
        crate::remind::Rest {
            on: self.on,
            snoozed_until: self.snoozed_until_ms,
            done_day: self.done_day,
            notified_day: self.notified_day,
        }
    }

    /// Takes where it stands from the reminders.
    pub(crate) fn set_rest(&mut self, rest: crate::remind::Rest) {
        self.on = rest.on;
        self.snoozed_until_ms = rest.snoozed_until;
        self.done_day = rest.done_day;
        self.notified_day = rest.notified_day;
    }
}

/// Quiet hours: no desktop notification between `from` and `until` (across midnight when `from`
/// is later than `until`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    /// Whether quiet hours are kept.
    pub on: bool,
    /// When they begin.
    pub from: TimeOfDay,
    /// When they end.
    pub until: TimeOfDay,
}

impl QuietHours {
    /// The quiet hours as the reminders reckon, while kept.
    pub(crate) fn kept(self) -> Option<crate::remind::Quiet> {
        self.on.then(|| crate::remind::Quiet {
            from: self.from.minutes(),
            until: self.until.minutes(),
        })
    }
}

impl Default for QuietHours {
    fn default() -> Self {
        QuietHours {
            on: true,
            from: TimeOfDay {
                hour: 22,
                minute: 30,
            },
            until: TimeOfDay { hour: 7, minute: 0 },
        }
    }
}

/// This device's reminders of the couple's rituals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Reminders {
    /// The morning check-in.
    pub morning: Reminder,
    /// The evening debrief (an earlier version kept gratitude's time here too).
    pub evening: Reminder,
    /// Bedtime gratitude.
    pub gratitude: Reminder,
    /// Date night.
    pub date_night: Reminder,
    /// The weekly relationship check-in.
    pub weekly: Reminder,
    /// Whether desktop notifications are sent (reminders still show inside Hearth).
    pub notify: bool,
    /// When no notification is sent.
    pub quiet: QuietHours,
    /// Whether the times an earlier version kept here were moved into the shared journal (as
    /// proposals to the partner); a window from before rituals were shared has not.
    pub moved: bool,
}

impl Reminders {
    /// Every reminder switched off: Today offers no ritual, and nothing reminds.
    pub fn none() -> Self {
        let mut all = Reminders::default();
        for r in [
            &mut all.morning,
            &mut all.evening,
            &mut all.gratitude,
            &mut all.date_night,
            &mut all.weekly,
        ] {
            r.on = false;
        }
        all.notify = false;
        all
    }

    /// This device's reminder of `ritual` (start small has none: it is offered in place of the
    /// question).
    pub(crate) fn of(&self, ritual: hearth::Ritual) -> Option<&Reminder> {
        use hearth::Ritual;
        match ritual {
            Ritual::Morning => Some(&self.morning),
            Ritual::Evening => Some(&self.evening),
            Ritual::Gratitude => Some(&self.gratitude),
            Ritual::DateNight => Some(&self.date_night),
            Ritual::Weekly => Some(&self.weekly),
            Ritual::StartSmall => None,
        }
    }

    /// The same, to change.
    pub(crate) fn of_mut(&mut self, ritual: hearth::Ritual) -> Option<&mut Reminder> {
        use hearth::Ritual;
        match ritual {
            Ritual::Morning => Some(&mut self.morning),
            Ritual::Evening => Some(&mut self.evening),
            Ritual::Gratitude => Some(&mut self.gratitude),
            Ritual::DateNight => Some(&mut self.date_night),
            Ritual::Weekly => Some(&mut self.weekly),
            Ritual::StartSmall => None,
        }
    }
}

impl Default for Reminders {
    fn default() -> Self {
        Reminders {
            morning: Reminder::at(8, 0),
            evening: Reminder::at(21, 0),
            gratitude: Reminder::at(21, 30),
            date_night: Reminder::at(19, 0),
            weekly: Reminder::at(19, 0),
            notify: true,
            quiet: QuietHours::default(),
            moved: false,
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
    /// This device's reminders of the couple's rituals.
    pub reminders: Reminders,
}
