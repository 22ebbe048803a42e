//! Times as people read them, in the local time zone, and as ISO 8601 for `--json`.

use hearth::LocalDate;

use crate::clock::{clock, month_name, weekday_name};
use hearth::{UnixMs, Zone};

/// `Saturday 2 May 2026`.
pub(crate) fn long_date(date: LocalDate) -> String {
    let (year, month, day) = date.ymd();
    let weekday = weekday_name(date);
    let month = month_name(month);
    format!("{weekday} {day} {month} {year}")
}

/// A day heading: `Today`, `Yesterday`, or the long date.
pub(crate) fn day_heading(date: LocalDate, today: LocalDate) -> String {
    match today.days_since_epoch() - date.days_since_epoch() {
        0 => "Today".to_owned(),
        1 => "Yesterday".to_owned(),
        _ => long_date(date),
    }
}

/// When something happened, briefly: `today 21:04`, `yesterday 08:15`, `2 May 2026 21:04`.
pub(crate) fn when(at: UnixMs, now: UnixMs, zone: &Zone) -> String {
    let date = zone.date_at(at);
    let today = zone.date_at(now);
    let time = clock(at, zone);
    match today.days_since_epoch() - date.days_since_epoch() {
        0 => format!("today {time}"),
        1 => format!("yesterday {time}"),
        _ => {
            let (year, month, day) = date.ymd();
            let month = month_name(month);
            format!("{day} {month} {year} {time}")
        }
    }
}

/// ISO 8601 with the local offset in force at that moment: `2026-05-02T21:04:05+02:00`.
pub(crate) fn iso(at: UnixMs, zone: &Zone) -> String {
    let offset_minutes = zone.offset_minutes_at(at);
    let date = zone.date_at(at);
    let seconds = zone.seconds_of_day(at);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let offset = offset_minutes.unsigned_abs();
    format!(
        "{date}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60,
        offset / 60,
        offset % 60
    )
}

/// A moment for a log line: `2026-05-02 21:04:05`.
pub(crate) fn stamp(at: UnixMs, zone: &Zone) -> String {
    let date = zone.date_at(at);
    let seconds = zone.seconds_of_day(at);
    format!(
        "{date} {:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// A span of seconds as `9:41`.
pub(crate) fn minutes_seconds(secs: u64) -> String {
    format!("{}:{:02}", secs / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const HOUR: Duration = Duration::from_secs(3_600);
    const DAY: Duration = Duration::from_secs(86_400);

    fn noon(y: i32, m: u32, d: u32) -> UnixMs {
        LocalDate::from_ymd(y, m, d)
            .expect("a real day")
            .start_utc_ms(0)
            .plus(12 * HOUR)
    }

    #[test]
    fn dates_read_as_people_say_them() {
        let day = LocalDate::from_ymd(2026, 5, 2).expect("a real day");
        assert_eq!(long_date(day), "Saturday 2 May 2026");
        assert_eq!(day_heading(day, day), "Today");
        assert_eq!(day_heading(day, day.add_days(1)), "Yesterday");
        assert_eq!(day_heading(day, day.add_days(2)), "Saturday 2 May 2026");
        let at = noon(2026, 5, 2);
        assert_eq!(when(at, at, &Zone::utc()), "today 12:00");
        assert_eq!(when(at, at.plus(DAY), &Zone::utc()), "yesterday 12:00");
        assert_eq!(
            when(at, at.plus(3 * DAY), &Zone::fixed(90)),
            "2 May 2026 13:30"
        );
    }

    #[test]
    fn iso_carries_the_local_offset() {
        let at = noon(2026, 5, 2).plus(Duration::from_secs(5));
        assert_eq!(iso(at, &Zone::fixed(120)), "2026-05-02T14:00:05+02:00");
        assert_eq!(iso(at, &Zone::fixed(-330)), "2026-05-02T06:30:05-05:30");
        assert_eq!(iso(at, &Zone::utc()), "2026-05-02T12:00:05+00:00");
        // Past local midnight, the date moves on too.
        assert_eq!(
            iso(at.plus(11 * HOUR), &Zone::fixed(120)),
            "2026-05-03T01:00:05+02:00"
        );
    }

    #[test]
    fn countdowns_show_minutes_and_seconds() {
        assert_eq!(minutes_seconds(581), "9:41");
        assert_eq!(minutes_seconds(5), "0:05");
    }
}
