//! The rituals on this device: which the couple's schedule offers now, which rest here (snoozed,
//! set aside for today, or not reminded of on this device), when a reminder is due, what it
//! says, and moving the times an earlier version kept on this device into the shared journal.
//! Nothing counts streaks; a missed day is simply a new day.

use hearth::{
    ClockTime, EntryKind, LocalDate, Ritual, RitualSetting, Schedule, UnixMs, Weekdays, Zone,
};

use super::prefs::{Prefs, Reminder, Reminders};

/// What a ritual is called on screen, and the kind of entry it invites.
pub(crate) fn describe(ritual: Ritual) -> (&'static str, EntryKind) {
    let kind = match ritual {
        Ritual::Morning => EntryKind::CheckIn,
        Ritual::Evening => EntryKind::Debrief,
        Ritual::Gratitude => EntryKind::Gratitude,
        Ritual::Weekly | Ritual::StartSmall | Ritual::DateNight => EntryKind::Journal,
    };
    (ritual.title(), kind)
}

fn today(now: UnixMs, zone: &Zone) -> LocalDate {
    zone.date_at(now)
}

/// Whether `ritual` is offered on this device now: reminded of here, not set aside for today,
/// not snoozed.
pub(crate) fn offered(prefs: &Prefs, ritual: Ritual, now: UnixMs, zone: &Zone) -> bool {
    prefs.reminders.of(ritual).is_some_and(|r| {
        r.on && r.done_day != today(now, zone).days_since_epoch() && r.snoozed_until_ms <= now
    })
}

/// Whether the reminder of `setting` shows now: offered, on one of its days, its time has come,
/// and not long past.
pub(crate) fn due(prefs: &Prefs, setting: &RitualSetting, now: UnixMs, zone: &Zone) -> bool {
    crate::remind::in_window(setting, now, zone) && offered(prefs, setting.ritual, now, zone)
}

/// What a reminder says.
pub(crate) fn reminder_text(ritual: Ritual) -> &'static str {
    crate::remind::text(ritual)
}

/// The times an earlier version kept on this device, as proposals for the shared journal: each
/// ritual whose time or switch differs from how the couple's journal keeps it until set. The
/// evening reminder then kept gratitude too, half an hour later now.
pub(crate) fn to_move(reminders: &Reminders) -> Vec<(Ritual, Schedule)> {
    let schedule = |r: &Reminder, days: Weekdays, later: u32| {
        let minutes = (r.at.minutes() + later).min(23 * 60 + 59);
        Schedule {
            on: r.on,
            days,
            at: ClockTime::new(minutes / 60, minutes % 60)
                .unwrap_or(Schedule::default_for(Ritual::Morning).at),
        }
    };
    let sunday = Weekdays::only(6);
    [
        (
            Ritual::Morning,
            schedule(&reminders.morning, Weekdays::EVERY_DAY, 0),
        ),
        (
            Ritual::Evening,
            schedule(&reminders.evening, Weekdays::EVERY_DAY, 0),
        ),
        (
            Ritual::Gratitude,
            schedule(&reminders.evening, Weekdays::EVERY_DAY, 30),
        ),
        (Ritual::Weekly, schedule(&reminders.weekly, sunday, 0)),
    ]
    .into_iter()
    .filter(|(ritual, s)| *s != Schedule::default_for(*ritual))
    .collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const DAY: Duration = Duration::from_secs(86_400);
    const SECOND: Duration = Duration::from_secs(1);

    use crate::remind::tests::{kept, sunday_at};

    #[test]
    fn reminders_show_from_their_time_on_their_days() {
        let prefs = Prefs::default();
        let utc = Zone::utc();
        let morning = kept(Ritual::Morning);
        assert!(!due(&prefs, &morning, sunday_at(7), &utc));
        assert!(due(&prefs, &morning, sunday_at(9), &utc));
        assert!(!due(&prefs, &morning, sunday_at(15), &utc));
        assert!(due(&prefs, &kept(Ritual::Evening), sunday_at(22), &utc));
        let weekly = kept(Ritual::Weekly);
        assert!(due(&prefs, &weekly, sunday_at(23), &utc));
        assert!(!due(&prefs, &weekly, sunday_at(20).plus(DAY), &utc));
        // Date night keeps Fridays until the couple sets another day.
        assert!(!due(&prefs, &kept(Ritual::DateNight), sunday_at(20), &utc));
    }

    #[test]
    fn a_ritual_set_aside_snoozed_or_not_reminded_of_here_rests() {
        let now = sunday_at(9);
        let utc = Zone::utc();
        let mut prefs = Prefs::default();
        prefs.reminders.morning.done_day = today(now, &utc).days_since_epoch();
        assert!(!offered(&prefs, Ritual::Morning, now, &utc));
        assert!(
            offered(&prefs, Ritual::Morning, now.plus(DAY), &utc),
            "back tomorrow"
        );
        prefs.reminders.evening.snoozed_until_ms = now.plus(SECOND);
        assert!(!offered(&prefs, Ritual::Evening, now, &utc));
        assert!(offered(&prefs, Ritual::Evening, now.plus(SECOND), &utc));
        let off = Prefs {
            reminders: Reminders::none(),
            ..Prefs::default()
        };
        assert!(!offered(&off, Ritual::Weekly, now, &utc));
        assert!(!offered(&prefs, Ritual::StartSmall, now, &utc));
    }

    #[test]
    fn only_times_changed_on_this_device_are_moved_to_the_journal() {
        assert!(to_move(&Reminders::default()).is_empty());
        let mut changed = Reminders::default();
        changed.morning.at.hour = 7;
        changed.weekly.on = false;
        let moved = to_move(&changed);
        assert_eq!(
            moved
                .iter()
                .map(|(r, s)| (*r, s.to_string()))
                .collect::<Vec<_>>(),
            vec![
                (Ritual::Morning, "every day at 07:00".to_owned()),
                (Ritual::Weekly, "off".to_owned())
            ]
        );
        let mut late = Reminders::default();
        late.evening.at.hour = 22;
        let moved = to_move(&late);
        assert_eq!(moved.len(), 2, "the evening and gratitude");
        assert_eq!(moved[1].1.at.to_string(), "22:30");
    }
}
