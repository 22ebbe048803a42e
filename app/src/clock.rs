//! The local clock and calendar, shared by the app and the command line: now, the local time
//! zone's offset, the time of day, and the names of days and months.

use hearth::LocalDate;

const DAY_MS: i64 = 86_400_000;

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

/// Now, in UTC milliseconds.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Milliseconds since local midnight of a UTC moment.
pub(crate) fn local_ms_of_day(utc_ms: i64, offset_minutes: i32) -> i64 {
    utc_ms
        .saturating_add(i64::from(offset_minutes) * 60_000)
        .rem_euclid(DAY_MS)
}

/// Minutes since local midnight of a UTC moment.
pub(crate) fn local_minutes(utc_ms: i64, offset_minutes: i32) -> i64 {
    local_ms_of_day(utc_ms, offset_minutes) / 60_000
}

/// `21:04`.
pub(crate) fn clock(utc_ms: i64, offset_minutes: i32) -> String {
    let minutes = local_minutes(utc_ms, offset_minutes);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `Saturday`.
pub(crate) fn weekday_name(day: LocalDate) -> &'static str {
    WEEKDAYS[day.weekday_from_monday() as usize % 7]
}

/// `May` for 5.
pub(crate) fn month_name(month: u32) -> &'static str {
    MONTHS[(month as usize).saturating_sub(1) % 12]
}

/// The local time zone's offset from UTC in minutes, as the operating system reports it.
pub(crate) fn local_utc_offset_minutes() -> i32 {
    // `date +%z` prints e.g. "+0130"; where it is missing, UTC is the honest fallback.
    let output = std::process::Command::new("date").arg("+%z").output();
    let Ok(output) = output else { return 0 };
    parse_offset(String::from_utf8_lossy(&output.stdout).trim()).unwrap_or(0)
}

fn parse_offset(text: &str) -> Option<i32> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    Some(sign * (hours * 60 + minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_parse_as_date_prints_them() {
        assert_eq!(parse_offset("+0130"), Some(90));
        assert_eq!(parse_offset("-0500"), Some(-300));
        assert_eq!(parse_offset("0500"), None);
        assert_eq!(parse_offset("+5"), None);
    }

    #[test]
    fn the_clock_reads_local_time() {
        let noon = LocalDate::from_ymd(2026, 5, 2)
            .expect("a real day")
            .start_utc_ms(0)
            + 12 * 3_600_000;
        assert_eq!(clock(noon, 0), "12:00");
        assert_eq!(clock(noon, 90), "13:30");
        assert_eq!(clock(noon, -13 * 60), "23:00");
        assert_eq!(local_minutes(noon - 1, 0), 11 * 60 + 59);
        assert_eq!(month_name(5), "May");
        assert_eq!(
            weekday_name(LocalDate::from_ymd(2026, 5, 2).expect("day")),
            "Saturday"
        );
    }
}
