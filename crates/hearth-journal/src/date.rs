//! Calendar dates without a clock or a time-zone database: the caller says what day it is.

use std::fmt;
use std::str::FromStr;

use crate::UnixMs;

/// A day of the proleptic Gregorian calendar, as a person sees it on their own wall clock.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDate {
    /// Days since 1970-01-01 (negative before).
    days: i64,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// The text is not of the form `YYYY-MM-DD`.
    #[error("a date is written YYYY-MM-DD")]
    Format,
    /// The month or day does not exist.
    #[error("{year:04}-{month:02}-{day:02} is not a day of the calendar")]
    NoSuchDay {
        /// The year written.
        year: i32,
        /// The month written.
        month: u32,
        /// The day written.
        day: u32,
    },
}

const MS_PER_DAY: i64 = 86_400_000;

impl LocalDate {
    /// The date of a year, month (1–12) and day (1–31), if that day exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Self {
            days: days_from_civil(i64::from(year), month, day),
        })
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Self {
        Self { days }
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i64 {
        self.days
    }

    /// The local date of a moment for a clock `utc_offset_minutes` ahead of UTC.
    pub fn from_utc_ms(at: UnixMs, utc_offset_minutes: i32) -> Self {
        let local = at
            .as_millis()
            .saturating_add(i64::from(utc_offset_minutes) * 60_000);
        Self {
            days: local.div_euclid(MS_PER_DAY),
        }
    }

    /// The first moment of this local day.
    pub fn start_utc_ms(self, utc_offset_minutes: i32) -> UnixMs {
        UnixMs::from_millis(
            self.days
                .saturating_mul(MS_PER_DAY)
                .saturating_sub(i64::from(utc_offset_minutes) * 60_000),
        )
    }

    /// The date `n` days later (earlier for negative `n`).
    pub fn add_days(self, n: i64) -> Self {
        Self {
            days: self.days.saturating_add(n),
        }
    }

    /// Year, month (1–12) and day (1–31).
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.days)
    }

    /// Day of the week, Monday = 0 … Sunday = 6.
    pub fn weekday_from_monday(self) -> u32 {
        // 1970-01-01 was a Thursday.
        u32::try_from((self.days + 3).rem_euclid(7)).unwrap_or(0)
    }
}

impl fmt::Display for LocalDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Debug for LocalDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LocalDate({self})")
    }
}

impl serde::Serialize for LocalDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for LocalDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for LocalDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.trim().splitn(3, '-');
        let mut next = || parts.next().ok_or(DateError::Format);
        let (y, m, d) = (next()?, next()?, next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(DateError::Format);
        }
        let number = |t: &str| t.parse::<u32>().map_err(|_| DateError::Format);
        let year = i32::try_from(number(y)?).map_err(|_| DateError::Format)?;
        let (month, day) = (number(m)?, number(d)?);
        Self::from_ymd(year, month, day).ok_or(DateError::NoSuchDay { year, month, day })
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date, counting in 400-year eras that start on 1 March.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let month_from_march = (m + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (
        i32::try_from(year).unwrap_or(i32::MAX),
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(
            LocalDate::from_days_since_epoch(0).to_string(),
            "1970-01-01"
        );
        assert_eq!(
            LocalDate::from_ymd(2000, 2, 29).map(LocalDate::days_since_epoch),
            Some(11_016)
        );
        assert_eq!(
            LocalDate::from_ymd(2026, 11, 22).map(|d| d.weekday_from_monday()),
            Some(6)
        );
        assert_eq!(LocalDate::from_ymd(2026, 2, 29), None);
    }

    #[test]
    fn every_day_for_a_thousand_years_round_trips() {
        let start = LocalDate::from_ymd(1600, 1, 1)
            .expect("a real day")
            .days_since_epoch();
        let mut expected = (1600, 1, 1);
        for days in start..start + 365_250 {
            let date = LocalDate::from_days_since_epoch(days);
            assert_eq!(date.ymd(), expected);
            let (y, m, d) = expected;
            expected = if d < days_in_month(y, m) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
        }
    }

    #[test]
    fn local_dates_follow_the_offset() {
        // 2026-11-22 23:30 UTC is already the 23rd in Berlin and still the 22nd in New York.
        let utc = LocalDate::from_ymd(2026, 11, 22)
            .expect("day")
            .start_utc_ms(0)
            .plus(std::time::Duration::from_secs(23 * 3_600 + 1_800));
        assert_eq!(LocalDate::from_utc_ms(utc, 60).to_string(), "2026-11-23");
        assert_eq!(LocalDate::from_utc_ms(utc, -300).to_string(), "2026-11-22");
        let day = LocalDate::from_utc_ms(utc, 60);
        assert!(day.start_utc_ms(60) <= utc && utc < day.add_days(1).start_utc_ms(60));
    }

    #[test]
    fn parsing() {
        assert_eq!(
            "2026-11-22".parse::<LocalDate>().map(|d| d.ymd()),
            Ok((2026, 11, 22))
        );
        assert_eq!("2026-1-22".parse::<LocalDate>(), Err(DateError::Format));
        assert!(matches!(
            "2026-13-01".parse::<LocalDate>(),
            Err(DateError::NoSuchDay { month: 13, .. })
        ));
    }
}
