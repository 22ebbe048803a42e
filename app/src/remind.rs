//! Reminders of the couple's rituals, shared by the window and `hearth serve`: when a ritual is
//! due on this device, and the desktop notification that says so, with "Snooze an hour" and "Not
//! today". At most one notification a ritual a day unless one is snoozed (then one more, an hour
//! later), and none in quiet hours. When a ritual comes round is the couple's (the shared
//! journal); whether and how this device reminds is this person's.

use hearth::{Ritual, RitualSetting, UnixMs, Zone};

/// A reminder shows from the ritual's time for this long; the weekly check-in and date night
/// until midnight.
const DUE_FOR_MINUTES: u32 = 360;

/// How long "Snooze an hour" rests a reminder.
pub(crate) const SNOOZE: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Whether `setting`'s ritual is due now on this device's clock: kept, on one of its days, its
/// time has come and is not long past.
pub(crate) fn in_window(setting: &RitualSetting, now: UnixMs, zone: &Zone) -> bool {
    let s = setting.schedule;
    let minutes = zone.minutes_of_day(now);
    let at = s.at.minutes();
    let until = match setting.ritual {
        Ritual::Weekly | Ritual::DateNight => 24 * 60,
        _ => at + DUE_FOR_MINUTES,
    };
    s.on && s.days.contains(zone.date_at(now).weekday_from_monday())
        && (at..until).contains(&minutes)
}

/// Where one ritual's reminder stands on this device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rest {
    /// Whether this device reminds of it.
    pub(crate) on: bool,
    /// Snoozed until this moment.
    pub(crate) snoozed_until: UnixMs,
    /// Set aside for this day (days since the epoch, local).
    pub(crate) done_day: i64,
    /// The day a notification of it was last sent (days since the epoch, local).
    pub(crate) notified_day: i64,
}

impl Default for Rest {
    fn default() -> Self {
        Rest {
            on: true,
            snoozed_until: UnixMs::EPOCH,
            done_day: i64::MIN,
            notified_day: i64::MIN,
        }
    }
}

impl Rest {
    /// What an answer to a notification does: "Snooze an hour" rests it for an hour and asks
    /// for one more notification after; "Not today" rests it until tomorrow.
    pub(crate) fn answer(&mut self, answer: Answer, now: UnixMs, zone: &Zone) {
        match answer {
            Answer::Snooze => {
                self.snoozed_until = now.plus(SNOOZE);
                self.notified_day = i64::MIN;
            }
            Answer::NotToday => self.done_day = zone.date_at(now).days_since_epoch(),
        }
    }
}

/// Quiet hours, in minutes after midnight: from, until (across midnight when from is later).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Quiet {
    pub(crate) from: u32,
    pub(crate) until: u32,
}

impl Quiet {
    /// Whether `minutes` after midnight falls in them.
    pub(crate) fn contains(self, minutes: u32) -> bool {
        if self.from <= self.until {
            (self.from..self.until).contains(&minutes)
        } else {
            minutes >= self.from || minutes < self.until
        }
    }
}

/// Whether to send a notification of `setting`'s ritual now.
pub(crate) fn should_notify(
    setting: &RitualSetting,
    rest: &Rest,
    quiet: Option<Quiet>,
    now: UnixMs,
    zone: &Zone,
) -> bool {
    let today = zone.date_at(now).days_since_epoch();
    in_window(setting, now, zone)
        && rest.on
        && rest.done_day != today
        && rest.snoozed_until <= now
        && rest.notified_day != today
        && !quiet.is_some_and(|q| q.contains(zone.minutes_of_day(now)))
}

/// What a reminder of `ritual` says.
// A build with neither the window nor notifications says it nowhere.
#[cfg_attr(not(any(feature = "notify", feature = "gui")), allow(dead_code))]
pub(crate) fn text(ritual: Ritual) -> &'static str {
    match ritual {
        Ritual::Morning => "Good morning — a quick check-in, whenever you're ready?",
        Ritual::Evening => "How was today? A few words on what was hard and what helped.",
        Ritual::Gratitude => "Before bed: three small ways your partner lit up your day?",
        Ritual::DateNight => "It's date night. Enjoy each other.",
        Ritual::Weekly => "A good evening for your weekly check-in together.",
        Ritual::StartSmall => "One small thing, whenever you like.",
    }
}

/// An answer given on a notification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "notify"), allow(dead_code))]
pub(crate) enum Answer {
    /// "Snooze an hour".
    Snooze,
    /// "Not today".
    NotToday,
}

/// What became of a notification sent: an answer given on it, or why it could not be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "notify"), allow(dead_code))]
pub(crate) enum Heard {
    /// The person answered on it.
    Answer(Answer),
    /// The desktop took no notification (one sentence).
    NotShown(String),
}

/// Where what became of each notification goes.
pub(crate) type Heards = std::sync::mpsc::Sender<(Ritual, Heard)>;

/// Sends the notification of `ritual` on a thread of its own (a desktop bus may be slow to
/// answer, and neither the window nor `serve` waits for it); what becomes of it arrives on
/// `heard`.
#[cfg(feature = "notify")]
pub(crate) fn send(ritual: Ritual, heard: Heards) {
    std::thread::spawn(move || {
        let shown = notify_rust::Notification::new()
            .appname("Hearth")
            .summary(ritual.title())
            .body(text(ritual))
            .action("snooze", "Snooze an hour")
            .action("not-today", "Not today")
            .show();
        let handle = match shown {
            Ok(handle) => handle,
            Err(e) => {
                let why = format!("could not show a desktop notification: {e}");
                // Nobody listening any more is fine.
                let _ = heard.send((ritual, Heard::NotShown(why)));
                return;
            }
        };
        // The answer comes when the person clicks; this waits for it, and ends when the
        // notification closes.
        handle.wait_for_action(|action| {
            let answer = match action {
                "snooze" => Answer::Snooze,
                "not-today" => Answer::NotToday,
                _ => return,
            };
            let _ = heard.send((ritual, Heard::Answer(answer)));
        });
    });
}

/// This build sends no desktop notifications.
#[cfg(not(feature = "notify"))]
pub(crate) fn send(ritual: Ritual, heard: Heards) {
    let why = "this build of Hearth sends no desktop notifications".to_owned();
    let _ = heard.send((ritual, Heard::NotShown(why)));
}

#[cfg(test)]
pub(crate) mod tests {
    use std::time::Duration;

    use hearth::{LocalDate, Schedule};

    use super::*;

    const HOUR: Duration = Duration::from_secs(3_600);

    /// Sunday, 22 November 2026, at `hour`:00 UTC.
    pub(crate) fn sunday_at(hour: u64) -> UnixMs {
        let day = LocalDate::from_ymd(2026, 11, 22).expect("a real day");
        day.start_utc_ms(0).plus(Duration::from_secs(hour * 3_600))
    }

    /// `ritual` as the couple keeps it until they set it.
    pub(crate) fn kept(ritual: Ritual) -> RitualSetting {
        RitualSetting {
            ritual,
            schedule: Schedule::default_for(ritual),
            set_by: None,
            agreed_by: None,
            since: None,
        }
    }

    #[test]
    fn one_notification_a_ritual_a_day_unless_snoozed_and_none_in_quiet_hours() {
        let utc = Zone::utc();
        let evening = kept(Ritual::Evening);
        let mut rest = Rest::default();
        let at = sunday_at(21);
        assert!(!should_notify(&evening, &rest, None, sunday_at(20), &utc));
        assert!(should_notify(&evening, &rest, None, at, &utc));
        rest.notified_day = utc.date_at(at).days_since_epoch();
        assert!(
            !should_notify(&evening, &rest, None, at.plus(HOUR), &utc),
            "once a day"
        );
        // Snoozed: none for an hour, then one more.
        rest.answer(Answer::Snooze, at, &utc);
        assert!(!should_notify(
            &evening,
            &rest,
            None,
            at.plus(HOUR / 2),
            &utc
        ));
        assert!(should_notify(&evening, &rest, None, at.plus(HOUR), &utc));
        // Not today: none until tomorrow.
        rest.answer(Answer::NotToday, at.plus(HOUR), &utc);
        assert!(!should_notify(
            &evening,
            &rest,
            None,
            at.plus(2 * HOUR),
            &utc
        ));
        // Quiet hours from 20:30 until 07:00 keep the evening quiet.
        let quiet = Quiet {
            from: 20 * 60 + 30,
            until: 7 * 60,
        };
        let fresh = Rest::default();
        assert!(!should_notify(&evening, &fresh, Some(quiet), at, &utc));
        assert!(quiet.contains(3 * 60) && !quiet.contains(12 * 60));
        let off = Rest {
            on: false,
            ..Rest::default()
        };
        assert!(!should_notify(&evening, &off, None, at, &utc));
    }
}
