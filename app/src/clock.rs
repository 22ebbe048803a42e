//! The local calendar, shared by the app and the command line: the time of day in a time zone
//! (with the offset in force at that moment), and the names of days and months.

use hearth::{LocalDate, UnixMs, Zone};

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `21:04`.
pub(crate) fn clock(at: UnixMs, zone: &Zone) -> String {
    let minutes = zone.minutes_of_day(at);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// How long something has waited, gently: `since this morning`, `since yesterday`, `since
/// Tuesday` within the week, `since 3 May` before.
pub(crate) fn since(at: UnixMs, now: UnixMs, zone: &Zone) -> String {
    let day = zone.date_at(at);
    match zone.date_at(now).days_since_epoch() - day.days_since_epoch() {
        ..=0 => "since today".to_owned(),
        1 => "since yesterday".to_owned(),
        2..=6 => format!("since {}", weekday_name(day)),
        _ => {
            let (_, month, d) = day.ymd();
            format!("since {d} {}", month_name(month))
        }
    }
}

/// A moment as people type it, `YYYY-MM-DD HH:MM` (or with a `T` between): its day and time.
pub(crate) fn parse_moment(text: &str) -> Option<(LocalDate, hearth::ClockTime)> {
    let (day, time) = text.trim().split_once([' ', 'T'])?;
    Some((day.parse().ok()?, time.trim().parse().ok()?))
}

/// When a moment comes, briefly: `today at 21:00`, `tomorrow at 21:00`, `Saturday 12 December
/// at 21:00`.
pub(crate) fn on_day_at(at: UnixMs, now: UnixMs, zone: &Zone) -> String {
    let day = zone.date_at(at);
    let time = clock(at, zone);
    match day.days_since_epoch() - zone.date_at(now).days_since_epoch() {
        0 => format!("today at {time}"),
        1 => format!("tomorrow at {time}"),
        _ => {
            let (year, month, d) = day.ymd();
            let this_year = zone.date_at(now).ymd().0;
            let year = if year == this_year {
                String::new()
            } else {
                format!(" {year}")
            };
            format!(
                "{} {d} {}{year} at {time}",
                weekday_name(day),
                month_name(month)
            )
        }
    }
}

/// When a sealed letter opens, as its reader is told. For its author (`author` is `None`): when
/// it opens. For the partner, honestly: it opens once the author's device is next online after
/// its moment.
pub(crate) fn letter_opens(
    opens_at: UnixMs,
    now: UnixMs,
    zone: &Zone,
    author: Option<&str>,
) -> String {
    match author {
        None if opens_at > now => format!(
            "Sealed until {}; it opens for both of you then.",
            on_day_at(opens_at, now, zone)
        ),
        None => "Its moment has come: it opens as soon as this device is online.".to_owned(),
        Some(who) if opens_at > now => format!(
            "A letter from {who}, sealed until {}. It opens when {who}'s device is next online \
             after that.",
            on_day_at(opens_at, now, zone)
        ),
        Some(who) => format!(
            "A letter from {who}. Its moment has come: it opens when {who}'s device is next \
             online."
        ),
    }
}

/// `Saturday`.
pub(crate) fn weekday_name(day: LocalDate) -> &'static str {
    WEEKDAYS[day.weekday_from_monday() as usize % 7]
}

/// `May` for 5.
pub(crate) fn month_name(month: u32) -> &'static str {
    MONTHS[(month as usize).saturating_sub(1) % 12]
}

#[cfg(test)]
mod letter_tests {
    use super::*;

    #[test]
    fn a_letter_says_honestly_when_it_opens() {
        let now = LocalDate::from_ymd(2026, 12, 4)
            .expect("a real day")
            .start_utc_ms(0)
            .plus(std::time::Duration::from_secs(10 * 3_600));
        let utc = Zone::utc();
        let saturday = LocalDate::from_ymd(2026, 12, 12)
            .expect("a real day")
            .start_utc_ms(0)
            .plus(std::time::Duration::from_secs(21 * 3_600));
        assert_eq!(
            letter_opens(saturday, now, &utc, Some("Ada")),
            "A letter from Ada, sealed until Saturday 12 December at 21:00. It opens when Ada's \
             device is next online after that."
        );
        assert!(letter_opens(now, now, &utc, Some("Ada")).contains("next online"));
        assert!(letter_opens(saturday, now, &utc, None).starts_with("Sealed until"));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const HOUR: Duration = Duration::from_secs(3_600);

    #[test]
    fn an_entry_keeps_the_hour_it_was_written_at_across_daylight_saving() {
        let lisbon = Zone::named("Europe/Lisbon").expect("the system knows Lisbon");
        // 18:00 UTC on a summer day is 19:00 in Lisbon (UTC+1), whatever the season now.
        let summer = LocalDate::from_ymd(2026, 7, 1)
            .expect("a real day")
            .start_utc_ms(0)
            .plus(18 * HOUR);
        assert_eq!(clock(summer, &lisbon), "19:00");
        // And on a winter day the same UTC hour is 18:00 (UTC+0).
        let winter = LocalDate::from_ymd(2026, 12, 1)
            .expect("a real day")
            .start_utc_ms(0)
            .plus(18 * HOUR);
        assert_eq!(clock(winter, &lisbon), "18:00");
    }

    #[test]
    fn the_clock_reads_local_time() {
        let noon = LocalDate::from_ymd(2026, 5, 2)
            .expect("a real day")
            .start_utc_ms(0)
            .plus(12 * HOUR);
        assert_eq!(clock(noon, &Zone::utc()), "12:00");
        assert_eq!(clock(noon, &Zone::fixed(90)), "13:30");
        assert_eq!(clock(noon, &Zone::fixed(-13 * 60)), "23:00");
        assert_eq!(
            Zone::utc().minutes_of_day(noon.minus(Duration::from_millis(1))),
            11 * 60 + 59
        );
        assert_eq!(month_name(5), "May");
        assert_eq!(
            weekday_name(LocalDate::from_ymd(2026, 5, 2).expect("day")),
            "Saturday"
        );
    }

    #[test]
    fn how_long_something_waited_is_said_gently() {
        let day = |d| {
            LocalDate::from_ymd(2026, 5, d)
                .expect("a real day")
                .start_utc_ms(0)
                .plus(9 * HOUR)
        };
        // Saturday 9 May, evening.
        let now = day(9).plus(10 * HOUR);
        let utc = Zone::utc();
        assert_eq!(since(day(9), now, &utc), "since today");
        assert_eq!(since(day(8), now, &utc), "since yesterday");
        assert_eq!(since(day(5), now, &utc), "since Tuesday");
        assert_eq!(since(day(2), now, &utc), "since 2 May");
        // A clock a little behind says today, not a day to come.
        assert_eq!(since(now.plus(HOUR), now, &utc), "since today");
    }
}
