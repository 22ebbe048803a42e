//! How things are said: errors as one sentence, times as people say them, kinds by their names.

use hearth::{EntryKind, LocalDate};

use crate::clock::{clock, month_name, weekday_name};
use hearth::{UnixMs, Zone};

/// An error and its causes as one plain sentence.
pub(crate) fn sentence(error: &dyn std::error::Error) -> String {
    let text = hearth::with_causes(error);
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// `text` with its first letter in capitals, for the start of a sentence ("your partner" →
/// "Your partner").
pub(crate) fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// "Sunday, 22 November".
pub(crate) fn long_date(day: LocalDate) -> String {
    let (_, month, d) = day.ymd();
    let weekday = weekday_name(day);
    let month = month_name(month);
    format!("{weekday}, {d} {month}")
}

/// When something was written, as a person would say it: "just now", "14:02", "yesterday,
/// 21:30", "3 November".
pub(crate) fn when(at: UnixMs, now: UnixMs, zone: &Zone) -> String {
    let day = zone.date_at(at);
    let today = zone.date_at(now);
    if at <= now {
        let ago = now.since(at).as_secs();
        if ago < 60 {
            return "just now".into();
        }
        if ago < 3_600 {
            return format!("{} min ago", ago / 60);
        }
    }
    let days = today.days_since_epoch() - day.days_since_epoch();
    let time = clock(at, zone);
    match days {
        0 => format!("today, {time}"),
        1 => format!("yesterday, {time}"),
        2..=6 => format!("{}, {time}", weekday_name(day)),
        _ => {
            let (year, month, d) = day.ymd();
            let (this_year, _, _) = today.ymd();
            let month = month_name(month);
            if year == this_year {
                format!("{d} {month}")
            } else {
                format!("{d} {month} {year}")
            }
        }
    }
}

/// "Good morning" and so on, by the local hour.
pub(crate) fn greeting(now: UnixMs, zone: &Zone) -> &'static str {
    match zone.minutes_of_day(now) / 60 {
        5..=11 => "Good morning",
        12..=17 => "Good afternoon",
        18..=22 => "Good evening",
        _ => "Hello",
    }
}

/// What a kind of entry is called on screen.
pub(crate) fn kind_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Journal => "Journal",
        EntryKind::CheckIn => "Check-in",
        EntryKind::Debrief => "Debrief",
        EntryKind::Letter => "Letter for later",
        EntryKind::Gratitude => "Gratitude",
        EntryKind::Appreciation => "Appreciation",
        EntryKind::Answer => "Answer",
        EntryKind::Bid => "Bid",
    }
}

/// A small picture word for a kind (drawn from the bundled emoji font).
pub(crate) fn kind_icon(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Journal => "✏",
        EntryKind::CheckIn => "☀",
        EntryKind::Debrief => "🌙",
        EntryKind::Letter => "✉",
        EntryKind::Gratitude => "💛",
        EntryKind::Appreciation => "🌷",
        EntryKind::Answer => "💬",
        EntryKind::Bid => "👋",
    }
}

/// What became of a proposed change to a ritual, as a note.
pub(crate) fn proposed(
    ritual: hearth::Ritual,
    schedule: &hearth::Schedule,
    outcome: hearth::Proposed,
) -> String {
    let title = ritual.title();
    match outcome {
        hearth::Proposed::Applied => format!("{title}: now {schedule}."),
        hearth::Proposed::Waiting => {
            format!("{title}: {schedule} proposed. It takes effect once your partner agrees.")
        }
        hearth::Proposed::Unchanged => format!("{title} is kept that way already."),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);
    const HOUR: Duration = Duration::from_secs(3_600);

    #[test]
    fn times_read_the_way_people_say_them() {
        let day = LocalDate::from_ymd(2026, 11, 22).expect("a real day");
        let noon = day.start_utc_ms(0).plus(12 * HOUR);
        assert_eq!(when(noon.minus(MINUTE / 2), noon, &Zone::utc()), "just now");
        assert_eq!(
            when(noon.minus(5 * MINUTE), noon, &Zone::utc()),
            "5 min ago"
        );
        assert_eq!(
            when(noon.minus(3 * HOUR), noon, &Zone::utc()),
            "today, 09:00"
        );
        assert_eq!(
            when(noon.minus(24 * HOUR), noon, &Zone::utc()),
            "yesterday, 12:00"
        );
        assert_eq!(long_date(day), "Sunday, 22 November");
    }

    #[test]
    fn errors_become_one_sentence() {
        let e = std::io::Error::other("disk full");
        assert_eq!(sentence(&e), "Disk full.");
    }
}
