//! The rituals and their reminders: which ritual a reminder keeps, when Today offers it, and when
//! a gentle reminder shows elsewhere in the app. Nothing counts streaks; a missed day is simply a
//! new day.

use hearth::{EntryKind, LocalDate, Ritual};

use super::command::Which;
use super::prefs::{Prefs, Reminder};
use hearth::{UnixMs, Zone};

/// Sunday, counting Monday as 0.
const SUNDAY: u32 = 6;

/// The reminder that keeps `ritual`, if any.
pub(crate) fn which(ritual: Ritual) -> Option<Which> {
    match ritual {
        Ritual::Morning => Some(Which::Morning),
        Ritual::Evening | Ritual::Gratitude => Some(Which::Evening),
        Ritual::Weekly => Some(Which::Weekly),
        Ritual::StartSmall | Ritual::DateNight => None,
    }
}

/// What a ritual is called, and the kind of entry it invites.
pub(crate) fn describe(ritual: Ritual) -> (&'static str, EntryKind) {
    match ritual {
        Ritual::Morning => ("Morning check-in", EntryKind::CheckIn),
        Ritual::Evening => ("Evening debrief", EntryKind::Journal),
        Ritual::Gratitude => ("Gratitude at bedtime", EntryKind::Gratitude),
        Ritual::Weekly => ("Our weekly check-in", EntryKind::Journal),
        Ritual::StartSmall => ("Start small", EntryKind::Journal),
        Ritual::DateNight => ("Date night", EntryKind::Journal),
    }
}

fn reminder(prefs: &Prefs, which: Which) -> &Reminder {
    match which {
        Which::Morning => &prefs.reminders.morning,
        Which::Evening => &prefs.reminders.evening,
        Which::Weekly => &prefs.reminders.weekly,
    }
}

fn today(now: UnixMs, zone: &Zone) -> LocalDate {
    zone.date_at(now)
}

/// Whether Today offers the rituals `which` keeps: switched on, not set aside for today, not
/// snoozed.
pub(crate) fn offered(prefs: &Prefs, which: Which, now: UnixMs, zone: &Zone) -> bool {
    let r = reminder(prefs, which);
    r.on && r.done_day != today(now, zone).days_since_epoch() && r.snoozed_until_ms <= now
}

/// Whether the reminder for `which` shows now: offered, its time has come, and its part of the
/// day (the morning until noon, the evening until midnight, the weekly one on Sundays) is not
/// over.
pub(crate) fn due(prefs: &Prefs, which: Which, now: UnixMs, zone: &Zone) -> bool {
    let minutes = i64::from(zone.minutes_of_day(now));
    let at = reminder(prefs, which).at.minutes();
    let window = match which {
        Which::Morning => minutes < 12 * 60,
        Which::Evening => true,
        Which::Weekly => today(now, zone).weekday_from_monday() == SUNDAY,
    };
    window && minutes >= at && offered(prefs, which, now, zone)
}

/// What a reminder says, and the entry it invites.
pub(crate) fn reminder_text(which: Which) -> (&'static str, EntryKind) {
    match which {
        Which::Morning => (
            "Good morning — a quick check-in, whenever you're ready?",
            EntryKind::CheckIn,
        ),
        Which::Evening => (
            "Before bed: three small things that made today better?",
            EntryKind::Gratitude,
        ),
        Which::Weekly => (
            "It's Sunday — a good evening for your weekly check-in together.",
            EntryKind::Journal,
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const DAY: Duration = Duration::from_secs(86_400);
    const SECOND: Duration = Duration::from_secs(1);

    /// Sunday, 22 November 2026, at `hour`:00 UTC.
    fn sunday_at(hour: u64) -> UnixMs {
        let day = LocalDate::from_ymd(2026, 11, 22).expect("a real day");
        day.start_utc_ms(0).plus(Duration::from_secs(hour * 3_600))
    }

    #[test]
    fn reminders_show_from_their_time_within_their_part_of_the_day() {
        let prefs = Prefs::default();
        assert!(!due(&prefs, Which::Morning, sunday_at(7), &Zone::utc()));
        assert!(due(&prefs, Which::Morning, sunday_at(9), &Zone::utc()));
        assert!(!due(&prefs, Which::Morning, sunday_at(13), &Zone::utc()));
        assert!(due(&prefs, Which::Evening, sunday_at(22), &Zone::utc()));
        assert!(due(&prefs, Which::Weekly, sunday_at(20), &Zone::utc()));
        assert!(!due(
            &prefs,
            Which::Weekly,
            sunday_at(20).plus(DAY),
            &Zone::utc()
        ));
    }

    #[test]
    fn a_ritual_set_aside_or_snoozed_rests() {
        let now = sunday_at(9);
        let mut prefs = Prefs::default();
        prefs.reminders.morning.done_day = today(now, &Zone::utc()).days_since_epoch();
        assert!(!offered(&prefs, Which::Morning, now, &Zone::utc()));
        assert!(
            offered(&prefs, Which::Morning, now.plus(DAY), &Zone::utc()),
            "back tomorrow"
        );
        prefs.reminders.evening.snoozed_until_ms = now.plus(SECOND);
        assert!(!offered(&prefs, Which::Evening, now, &Zone::utc()));
        assert!(offered(
            &prefs,
            Which::Evening,
            now.plus(SECOND),
            &Zone::utc()
        ));
        let off = Prefs {
            reminders: crate::gui::prefs::Reminders::none(),
            ..Prefs::default()
        };
        assert!(!offered(&off, Which::Weekly, now, &Zone::utc()));
    }
}
