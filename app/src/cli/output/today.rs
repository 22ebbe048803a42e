//! What `hearth today` prints: the question of the day and where the answers stand, the rituals
//! for now, the partner's bids waiting, and their latest entries; as text or as JSON.

use std::fmt::Write as _;

use anyhow::Result;
use hearth::{Entry, PartnerAnswer, Question, Ritual, Tier, Today};
use serde::Serialize;

use super::entries::kind_label;
use super::json::{self, EntryJson};
use super::names::Names;
use super::term::{Style, out};
use super::time::{long_date, when};

fn ritual_name(ritual: Ritual) -> &'static str {
    match ritual {
        Ritual::Morning => "Morning check-in",
        Ritual::Evening => "Evening debrief",
        Ritual::Weekly => "Weekly check-in",
        Ritual::Gratitude => "Gratitude",
        Ritual::StartSmall => "Start small",
        Ritual::DateNight => "Date night",
    }
}

fn ritual_command(ritual: Ritual) -> &'static str {
    match ritual {
        Ritual::Morning | Ritual::Weekly => "hearth write --kind checkin --mood N \"...\"",
        Ritual::Evening | Ritual::StartSmall => "hearth write \"...\"",
        Ritual::Gratitude => "hearth write --kind gratitude -",
        Ritual::DateNight => "hearth date-night",
    }
}

fn tier_name(tier: Tier) -> &'static str {
    match tier {
        Tier::Light => "light",
        Tier::Closer => "closer",
        Tier::Deep => "deep",
    }
}

#[derive(Serialize)]
struct TodayJson<'a> {
    date: String,
    question: QuestionJson,
    start_small: Option<PromptJson>,
    answers: AnswersJson<'a>,
    rituals: Vec<RitualJson>,
    date_night: super::rituals::DateNightsJson,
    letters: Vec<EntryJson<'a>>,
    proposals: Vec<super::rituals::ProposalJson>,
    open_bids: Vec<EntryJson<'a>>,
    later_bids: Vec<EntryJson<'a>>,
    partner_latest: Vec<EntryJson<'a>>,
}

#[derive(Serialize)]
struct PromptJson {
    id: &'static str,
    text: &'static str,
}

#[derive(Serialize)]
struct QuestionJson {
    id: &'static str,
    text: &'static str,
    tier: Tier,
}

#[derive(Serialize)]
struct AnswersJson<'a> {
    mine: Option<EntryJson<'a>>,
    partner: PartnerJson<'a>,
}

#[derive(Serialize)]
struct PartnerJson<'a> {
    state: &'static str,
    answer: Option<EntryJson<'a>>,
}

#[derive(Serialize)]
struct RitualJson {
    ritual: Ritual,
    name: &'static str,
    prompt: &'static str,
}

fn shape<'a>(names: &Names, today: &'a Today) -> TodayJson<'a> {
    let shared = |e: &'a Entry| json::entry(names, e, false);
    let (state, answer) = match &today.answers.partner {
        PartnerAnswer::Waiting => ("waiting", None),
        PartnerAnswer::Hidden => ("hidden", None),
        PartnerAnswer::Opening => ("opening", None),
        PartnerAnswer::Revealed(e) => ("revealed", Some(shared(e))),
    };
    TodayJson {
        date: today.date.to_string(),
        question: QuestionJson {
            id: today.question.id,
            text: today.question.text,
            tier: today.question.tier,
        },
        start_small: today.start_small.map(|p| PromptJson {
            id: p.id,
            text: p.text,
        }),
        answers: AnswersJson {
            mine: today.answers.mine.as_ref().map(shared),
            partner: PartnerJson { state, answer },
        },
        rituals: today
            .rituals
            .iter()
            .map(|r| RitualJson {
                ritual: r.ritual,
                name: ritual_name(r.ritual),
                prompt: r.prompt.text,
            })
            .collect(),
        date_night: super::rituals::date_nights_json(names, &today.date_night),
        letters: today.letters.iter().map(shared).collect(),
        proposals: today
            .schedule
            .proposals
            .iter()
            .map(|p| super::rituals::proposal_json(names, p))
            .collect(),
        open_bids: today.open_bids.iter().map(shared).collect(),
        later_bids: today.later_bids.iter().map(shared).collect(),
        partner_latest: today.partner_latest.iter().map(shared).collect(),
    }
}

fn first_line(entry: &Entry) -> String {
    let text = entry.content.main_text();
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 72 {
        format!("{}…", line.chars().take(71).collect::<String>())
    } else {
        line.to_owned()
    }
}

fn human(names: &Names, today: &Today, partner: Option<&str>) -> String {
    let t = &names.term;
    let partner = partner.unwrap_or("Your partner");
    let mut s = String::new();
    let _ = writeln!(s, "{}\n", t.paint(Style::Bold, &long_date(today.date)));

    match today.start_small {
        Some(prompt) => {
            let _ = writeln!(s, "{}", t.paint(Style::Warm, "One small thing"));
            let _ = writeln!(s, "  {}", t.paint(Style::Bold, prompt.text));
            let _ = writeln!(
                s,
                "  {}",
                t.paint(Style::Dim, "Just a line is plenty — hearth write \"...\"")
            );
        }
        None => {
            let q = &today.question;
            let _ = writeln!(
                s,
                "{} {}",
                t.paint(Style::Warm, "Question of the day"),
                t.paint(Style::Dim, &format!("({})", tier_name(q.tier)))
            );
            let _ = writeln!(s, "  {}", t.paint(Style::Bold, q.text));
            match &today.answers.mine {
                Some(mine) => {
                    let _ = writeln!(s, "  You: {}", first_line(mine));
                }
                None => {
                    let _ = writeln!(
                        s,
                        "  You: not answered yet {}",
                        t.paint(Style::Dim, "— hearth write --kind answer \"...\"")
                    );
                    if matches!(today.answers.partner, PartnerAnswer::Waiting) {
                        let _ = writeln!(
                            s,
                            "  {}",
                            t.paint(Style::Dim, "Not this one? hearth skip-question")
                        );
                    }
                }
            }
            let theirs = match &today.answers.partner {
                PartnerAnswer::Waiting => "not answered yet".to_owned(),
                PartnerAnswer::Hidden => {
                    "has answered; you will see it once you answer too".to_owned()
                }
                PartnerAnswer::Opening => format!(
                    "has answered; it opens when {partner}'s device next syncs (it is sealed until then)"
                ),
                PartnerAnswer::Revealed(e) => first_line(e),
            };
            let _ = writeln!(s, "  {partner}: {theirs}");
        }
    }

    if !today.rituals.is_empty() {
        let _ = writeln!(s, "\n{}", t.paint(Style::Warm, "Rituals for now"));
        for r in &today.rituals {
            let _ = writeln!(
                s,
                "  {}: {}  {}",
                ritual_name(r.ritual),
                r.prompt.text,
                t.paint(Style::Dim, &format!("— {}", ritual_command(r.ritual)))
            );
        }
    }

    if let Some(n) = &today.date_night.next {
        let day = if n.date == today.date {
            "tonight".to_owned()
        } else {
            long_date(n.date)
        };
        let _ = writeln!(
            s,
            "\n{}",
            t.paint(Style::Warm, &format!("Date night — {day} at {}", n.at))
        );
        match &n.plan {
            Some(p) => {
                let _ = writeln!(s, "  Plan: {}", p.text);
            }
            None => {
                let _ = writeln!(
                    s,
                    "  Idea: {}  {}",
                    n.idea.text,
                    t.paint(Style::Dim, "— hearth date-night")
                );
            }
        }
    }
    if let Some(n) = &today.date_night.last {
        let _ = writeln!(
            s,
            "\n{}\n  {}",
            t.paint(Style::Warm, "After date night"),
            t.paint(
                Style::Dim,
                "How was it? One line to remember it — hearth date-night remember \"...\""
            )
        );
        for l in &n.lines {
            let _ = writeln!(s, "  {}: {}", names.name(&l.by), l.text);
        }
    }
    if !today.letters.is_empty() {
        let _ = writeln!(s, "\n{}", t.paint(Style::Warm, "Letters for later"));
        for letter in &today.letters {
            let line = match &letter.content {
                hearth::Content::Letter { opens_at, .. } => format!(
                    "Your letter, sealed until {}",
                    crate::clock::on_day_at(*opens_at, names.now_ms, &names.zone)
                ),
                hearth::Content::SealedLetter { opens_at } => crate::clock::letter_opens(
                    *opens_at,
                    names.now_ms,
                    &names.zone,
                    Some(&names.name(&letter.author)),
                ),
                _ => continue,
            };
            let _ = writeln!(s, "  {line}");
        }
    }
    for p in today
        .schedule
        .proposals
        .iter()
        .filter(|p| !names.is_me(&p.by))
    {
        let _ = writeln!(
            s,
            "\n{}\n  {}: {}  {}",
            t.paint(
                Style::Warm,
                &format!("{} proposes a change", names.name(&p.by))
            ),
            p.ritual.title(),
            t.paint(Style::Bold, &p.schedule.to_string()),
            t.paint(
                Style::Dim,
                &format!(
                    "— hearth rituals accept {0} (or decline {0})",
                    super::rituals::cli_name(p.ritual)
                )
            )
        );
    }

    let waiting = today
        .open_bids
        .iter()
        .map(|bid| (bid, "toward|later", None));
    let kept = today.later_bids.iter().map(|bid| {
        let kept = match &bid.content {
            hearth::Content::Bid {
                response: Some(r), ..
            } => r.at_ms,
            _ => bid.created_ms,
        };
        let since = crate::clock::since(kept, names.now_ms, &names.zone);
        (bid, "toward", Some(since))
    });
    for (title, bids) in [
        ("Waiting for you", waiting.collect::<Vec<_>>()),
        ("Kept for later", kept.collect()),
    ] {
        if bids.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n{}", t.paint(Style::Warm, title));
        for (bid, answers, since) in bids {
            let phrase = match &bid.content {
                hearth::Content::Bid { bid, .. } => bid.phrase(),
                _ => "",
            };
            let note = first_line(bid);
            let note = if note.is_empty() {
                String::new()
            } else {
                format!(" — {note}")
            };
            let since =
                since.map_or_else(String::new, |s| format!("  {}", t.paint(Style::Dim, &s)));
            let _ = writeln!(
                s,
                "  {}{note}{since}  {}",
                t.paint(Style::Bold, phrase),
                t.paint(
                    Style::Dim,
                    &format!("hearth respond {} {answers}", names.short_id(&bid.id))
                )
            );
        }
    }

    if !today.partner_latest.is_empty() {
        let _ = writeln!(
            s,
            "\n{}",
            t.paint(Style::Warm, &format!("Latest from {partner}"))
        );
        for e in &today.partner_latest {
            let _ = writeln!(
                s,
                "  {}  {} · {}  {}",
                t.paint(Style::Dim, &when(e.created_ms, names.now_ms, &names.zone)),
                kind_label(e.kind()),
                first_line(e),
                t.paint(Style::Dim, names.short_id(&e.id))
            );
        }
    }
    s
}

/// Today as JSON (docs/cli.md).
pub(crate) fn print_json(names: &Names, today: &Today) -> Result<()> {
    json::print(&shape(names, today))
}

/// Today as text; `partner` is the partner's name, when there is one.
pub(crate) fn print_text(names: &Names, today: &Today, partner: Option<&str>) {
    out(&human(names, today, partner));
}

/// The question that took the place of a skipped one.
pub(crate) fn print_skipped(question: &Question, as_json: bool) -> Result<()> {
    if as_json {
        return json::print(&QuestionJson {
            id: question.id,
            text: question.text,
            tier: question.tier,
        });
    }
    out(&format!(
        "Skipped, for both of you. Today's question is now:\n  {}\n",
        question.text
    ));
    Ok(())
}
