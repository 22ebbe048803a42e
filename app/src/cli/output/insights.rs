//! What `hearth insights` prints: both partners' check-ins side by side, and what the two shared,
//! counted for the couple.

use anyhow::Result;
use hearth::{Insights, MoodPoint, Together};
use serde::Serialize;

use super::json::{self, Person};
use super::names::Names;
use super::term::{Style, out};

#[derive(Serialize)]
struct InsightsJson<'a> {
    weeks: u32,
    moods: Vec<MoodsJson<'a>>,
    together: Together,
}

#[derive(Serialize)]
struct MoodsJson<'a> {
    person: Person,
    check_ins: &'a [MoodPoint],
}

/// The bars of a rating from 1 to 10, low to high.
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

fn spark(points: &[MoodPoint]) -> String {
    points
        .iter()
        .map(|p| {
            let step = (usize::from(p.mood.get()).saturating_sub(1) * (BARS.len() - 1)) / 9;
            BARS[step.min(BARS.len() - 1)]
        })
        .collect()
}

pub(crate) fn print(names: &Names, insights: &Insights, weeks: u32, as_json: bool) -> Result<()> {
    if as_json {
        return json::print(&InsightsJson {
            weeks,
            moods: insights
                .moods
                .iter()
                .map(|(member, points)| MoodsJson {
                    person: Person::of(names, member),
                    check_ins: points,
                })
                .collect(),
            together: insights.together,
        });
    }
    let t = &names.term;
    let mut s = String::new();
    s.push_str(&t.paint(Style::Bold, &format!("The last {weeks} weeks")));
    s.push_str("\n\n");
    s.push_str(&t.paint(
        Style::Warm,
        "How you felt (check-ins, 1 to 10, oldest first)",
    ));
    s.push('\n');
    if insights.moods.values().all(Vec::is_empty) {
        s.push_str("  No check-ins in these weeks yet.\n");
    }
    let width = insights
        .moods
        .keys()
        .map(|m| names.name(m).chars().count())
        .max()
        .unwrap_or(0);
    for (member, points) in &insights.moods {
        let latest = points.last().map_or(String::new(), |p| {
            t.paint(Style::Dim, &format!("  latest {}", p.mood.get()))
        });
        s.push_str(&format!(
            "  {:width$}  {}{latest}\n",
            names.name(member),
            spark(points)
        ));
    }
    s.push('\n');
    if insights.start_small {
        s.push_str(&t.paint(
            Style::Dim,
            "You're starting small: nothing is counted, only how you felt.",
        ));
        s.push('\n');
        out(&s);
        return Ok(());
    }
    let w = insights.together;
    s.push_str(&t.paint(Style::Warm, "Together"));
    s.push('\n');
    for (count, what) in [
        (w.check_ins, "check-ins"),
        (w.gratitude, "bedtime gratitudes"),
        (w.appreciations, "appreciations"),
        (w.bids_turned_toward, "bids turned toward"),
        (w.questions_answered_together, "questions you both answered"),
        (w.rituals_kept, "rituals kept"),
    ] {
        s.push_str(&format!("  {count:>3}  {what}\n"));
    }
    out(&s);
    Ok(())
}
