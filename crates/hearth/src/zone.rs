//! Local time: the time zone that decides which day it is, and the hour an entry shows.
//!
//! The journal stores UTC milliseconds; each reading turns them into local time with the offset
//! in force at that moment, so an entry written in summer keeps its summer hour in winter, and a
//! device that runs across a daylight-saving change moves to the new day at the right moment.

use hearth_journal::{LocalDate, UnixMs};

const MS_PER_DAY: i64 = 86_400_000;

/// A time zone, as the operating system names it or as a fixed offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zone(jiff::tz::TimeZone);

/// Why a time zone name was not understood.
#[derive(Debug, thiserror::Error)]
#[error("{name:?} is not a time zone this system knows")]
pub struct UnknownZone {
    /// The name given.
    pub name: String,
    /// The time zone database's error.
    #[source]
    source: jiff::Error,
}

impl Zone {
    /// The zone this device is set to (the `TZ` variable, else the system's setting); UTC when
    /// neither can be read.
    pub fn system() -> Zone {
        Zone(jiff::tz::TimeZone::system())
    }

    /// Coordinated Universal Time.
    pub fn utc() -> Zone {
        Zone(jiff::tz::TimeZone::UTC)
    }

    /// A zone that is always `minutes` east of UTC (no daylight saving), clamped to ±25 hours.
    pub fn fixed(minutes: i32) -> Zone {
        let seconds = minutes.clamp(-25 * 60, 25 * 60) * 60;
        let offset = jiff::tz::Offset::from_seconds(seconds).unwrap_or(jiff::tz::Offset::UTC);
        Zone(jiff::tz::TimeZone::fixed(offset))
    }

    /// A zone of the time zone database by its name (`Europe/Lisbon`).
    pub fn named(name: &str) -> Result<Zone, UnknownZone> {
        jiff::tz::TimeZone::get(name)
            .map(Zone)
            .map_err(|source| UnknownZone {
                name: name.to_owned(),
                source,
            })
    }

    /// The zone's name in the time zone database (`Europe/Lisbon`), when it has one (a fixed
    /// offset has none).
    pub fn name(&self) -> Option<&str> {
        self.0.iana_name()
    }

    /// Minutes east of UTC in force at the moment `at`.
    pub fn offset_minutes_at(&self, at: UnixMs) -> i32 {
        let Ok(at) = jiff::Timestamp::from_millisecond(at.as_millis()) else {
            return 0;
        };
        self.0.to_offset(at).seconds() / 60
    }

    /// The local date at the moment `at`.
    pub fn date_at(&self, at: UnixMs) -> LocalDate {
        LocalDate::from_utc_ms(at, self.offset_minutes_at(at))
    }

    /// Seconds since local midnight at the moment `at`, with the offset in force then: 0 to
    /// 86,399 (`21:04:05` is 75,845).
    pub fn seconds_of_day(&self, at: UnixMs) -> u32 {
        let local = at
            .as_millis()
            .saturating_add(i64::from(self.offset_minutes_at(at)) * 60_000);
        u32::try_from(local.rem_euclid(MS_PER_DAY) / 1_000).unwrap_or(0)
    }

    /// Minutes since local midnight at the moment `at`: 0 to 1439 (`21:04` is 1264).
    pub fn minutes_of_day(&self, at: UnixMs) -> u32 {
        self.seconds_of_day(at) / 60
    }

    /// The moment it is `minutes` after midnight on `date` in this zone. A time a daylight-saving
    /// change skips reads as the same time after the change; a time that comes twice, as the
    /// first. `None` for a date out of range or more than a day's minutes.
    pub fn moment(&self, date: LocalDate, minutes: u32) -> Option<UnixMs> {
        if minutes >= 24 * 60 {
            return None;
        }
        let (year, month, day) = date.ymd();
        let civil = jiff::civil::DateTime::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
            i8::try_from(minutes / 60).ok()?,
            i8::try_from(minutes % 60).ok()?,
            0,
            0,
        )
        .ok()?;
        let at = self.0.to_timestamp(civil).ok()?;
        Some(UnixMs::from_millis(at.as_millisecond()))
    }
}

impl Default for Zone {
    /// UTC: a front end passes [`Zone::system`].
    fn default() -> Zone {
        Zone::utc()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// 2026-03-29 00:30 UTC, before Europe/Berlin moves its clocks forward at 01:00 UTC.
    const BEFORE_SPRING: UnixMs = UnixMs::from_millis(1_774_744_200_000);
    const HOUR: Duration = Duration::from_secs(3_600);

    #[test]
    fn the_offset_follows_daylight_saving() {
        let berlin = Zone::named("Europe/Berlin").expect("the system knows Berlin");
        assert_eq!(berlin.offset_minutes_at(BEFORE_SPRING), 60);
        assert_eq!(berlin.offset_minutes_at(BEFORE_SPRING.plus(HOUR)), 120);
        // Half a year later, winter time again.
        assert_eq!(
            berlin.offset_minutes_at(BEFORE_SPRING.plus(220 * 24 * HOUR)),
            60
        );
    }

    #[test]
    fn the_day_turns_at_local_midnight() {
        let tokyo = Zone::named("Asia/Tokyo").expect("the system knows Tokyo");
        // 15:30 UTC is 00:30 the next day in Tokyo.
        let evening_utc = LocalDate::from_utc_ms(BEFORE_SPRING, 0)
            .start_utc_ms(0)
            .plus(15 * HOUR + HOUR / 2);
        assert_eq!(
            tokyo.date_at(evening_utc),
            Zone::utc().date_at(evening_utc).add_days(1)
        );
        assert_eq!(
            Zone::fixed(9 * 60).date_at(evening_utc),
            tokyo.date_at(evening_utc)
        );
    }

    #[test]
    fn the_hour_of_an_entry_is_the_one_in_force_when_it_was_written() {
        let berlin = Zone::named("Europe/Berlin").expect("the system knows Berlin");
        // 00:30 UTC: 01:30 in Berlin before the change, 03:30 an hour later (02:30 UTC).
        assert_eq!(berlin.minutes_of_day(BEFORE_SPRING), 90);
        assert_eq!(
            berlin.minutes_of_day(BEFORE_SPRING.plus(2 * HOUR)),
            4 * 60 + 30
        );
        // West of UTC, 00:30 UTC is the evening before.
        assert_eq!(
            Zone::fixed(-5 * 60).minutes_of_day(BEFORE_SPRING),
            19 * 60 + 30
        );
    }

    #[test]
    fn a_local_time_names_the_moment_daylight_saving_or_not() {
        let berlin = Zone::named("Europe/Berlin").expect("the system knows Berlin");
        let spring = LocalDate::from_ymd(2026, 3, 29).expect("a real day");
        // 01:30 comes before the change: 00:30 UTC.
        assert_eq!(berlin.moment(spring, 90), Some(BEFORE_SPRING));
        // 02:30 is skipped: it reads as 03:30 summer time, 01:30 UTC.
        assert_eq!(berlin.moment(spring, 150), Some(BEFORE_SPRING.plus(HOUR)));
        // Each moment reads back as the local time it was made from.
        let winter = LocalDate::from_ymd(2026, 12, 12).expect("a real day");
        let at = berlin.moment(winter, 21 * 60).expect("a moment");
        assert_eq!(
            (berlin.date_at(at), berlin.minutes_of_day(at)),
            (winter, 21 * 60)
        );
        assert_eq!(berlin.moment(winter, 24 * 60), None);
    }

    #[test]
    fn unknown_names_are_refused_and_fixed_offsets_are_bounded() {
        assert!(Zone::named("Atlantis/Capital").is_err());
        assert_eq!(Zone::fixed(90).offset_minutes_at(UnixMs::EPOCH), 90);
        assert_eq!(
            Zone::fixed(i32::MAX).offset_minutes_at(UnixMs::EPOCH),
            25 * 60
        );
    }
}
