//! What `hearth rituals` and `hearth date-night` print, as text or as JSON (docs/cli.md).

use std::fmt::Write as _;

use anyhow::Result;
use hearth::{
    Cost, DateIdea, DateNight, DateNights, Note, Place, Proposal, Proposed, Ritual, RitualSetting,
    Rituals,
};
use serde::Serialize;

use super::json::{self, Person};
use super::names::Names;
use super::term::{Style, Term, out};
use super::time::{iso, long_date, when};

/// The ritual's name on the command line.
pub(crate) fn cli_name(ritual: Ritual) -> &'static str {
    match ritual {
        Ritual::Morning => "morning",
        Ritual::Evening => "evening",
        Ritual::Gratitude => "gratitude",
        Ritual::DateNight => "date-night",
        Ritual::Weekly => "weekly",
        Ritual::StartSmall => "start-small",
    }
}

#[derive(Serialize)]
struct RitualJson {
    ritual: Ritual,
    name: &'static str,
    on: bool,
    days: hearth::Weekdays,
    at: hearth::ClockTime,
    set_by: Option<Person>,
    agreed_by: Option<Person>,
    since: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct ProposalJson {
    ritual: Ritual,
    name: &'static str,
    on: bool,
    days: hearth::Weekdays,
    at: hearth::ClockTime,
    by: Person,
    proposed_at: String,
}

#[derive(Serialize)]
struct RitualsJson {
    rituals: Vec<RitualJson>,
    proposals: Vec<ProposalJson>,
}

fn ritual_json(names: &Names, r: &RitualSetting) -> RitualJson {
    RitualJson {
        ritual: r.ritual,
        name: r.ritual.title(),
        on: r.schedule.on,
        days: r.schedule.days,
        at: r.schedule.at,
        set_by: r.set_by.as_ref().map(|m| Person::of(names, m)),
        agreed_by: r.agreed_by.as_ref().map(|m| Person::of(names, m)),
        since: r.since.map(|at| iso(at, &names.zone)),
    }
}

pub(crate) fn proposal_json(names: &Names, p: &Proposal) -> ProposalJson {
    ProposalJson {
        ritual: p.ritual,
        name: p.ritual.title(),
        on: p.schedule.on,
        days: p.schedule.days,
        at: p.schedule.at,
        by: Person::of(names, &p.by),
        proposed_at: iso(p.at, &names.zone),
    }
}

/// Who set a ritual, as a line says it.
fn who_set(names: &Names, r: &RitualSetting) -> String {
    let name = |m| {
        if names.is_me(m) {
            "you".to_owned()
        } else {
            names.name(m)
        }
    };
    match (&r.set_by, &r.agreed_by) {
        (None, _) => "as Hearth starts".to_owned(),
        (Some(by), None) => format!("set by {}", name(by)),
        (Some(by), Some(agreed)) => format!("set by {}, agreed by {}", name(by), name(agreed)),
    }
}

/// The rituals, and the changes waiting.
pub(crate) fn print(names: &Names, rituals: &Rituals, as_json: bool) -> Result<()> {
    if as_json {
        return json::print(&RitualsJson {
            rituals: rituals
                .settings
                .iter()
                .map(|r| ritual_json(names, r))
                .collect(),
            proposals: rituals
                .proposals
                .iter()
                .map(|p| proposal_json(names, p))
                .collect(),
        });
    }
    let t = &names.term;
    let mut s = String::new();
    let _ = writeln!(s, "{}", t.paint(Style::Warm, "Your rituals"));
    for r in &rituals.settings {
        let _ = writeln!(
            s,
            "  {:<18} {:<28} {}",
            r.ritual.title(),
            r.schedule.to_string(),
            t.paint(Style::Dim, &who_set(names, r))
        );
    }
    for p in &rituals.proposals {
        let mine = names.is_me(&p.by);
        let title = if mine {
            "Waiting for your partner".to_owned()
        } else {
            format!("{} proposes", names.name(&p.by))
        };
        let _ = writeln!(
            s,
            "\n{}\n  {}: {}  {}",
            t.paint(Style::Warm, &title),
            p.ritual.title(),
            t.paint(Style::Bold, &p.schedule.to_string()),
            t.paint(Style::Dim, &when(p.at, names.now_ms, &names.zone))
        );
        let how = if mine {
            format!(
                "they accept it on their device; `hearth rituals decline {}` withdraws it",
                cli_name(p.ritual)
            )
        } else {
            format!(
                "hearth rituals accept {0}   or   hearth rituals decline {0}",
                cli_name(p.ritual)
            )
        };
        let _ = writeln!(s, "  {}", t.paint(Style::Dim, &how));
    }
    out(&s);
    Ok(())
}

#[derive(Serialize)]
struct Done {
    ritual: Ritual,
    outcome: &'static str,
}

/// What became of a proposal.
pub(crate) fn proposed(
    term: &Term,
    ritual: Ritual,
    schedule: &hearth::Schedule,
    outcome: Proposed,
    as_json: bool,
) -> Result<()> {
    let (word, line) = match outcome {
        Proposed::Applied => ("applied", format!("now {schedule}.")),
        Proposed::Waiting => (
            "waiting",
            format!("{schedule}, proposed: it takes effect once your partner accepts it."),
        ),
        Proposed::Unchanged => ("unchanged", format!("{schedule} already; nothing changed.")),
    };
    if as_json {
        return json::print(&Done {
            ritual,
            outcome: word,
        });
    }
    out(&format!(
        "{}: {line}\n\n",
        term.paint(Style::Bold, ritual.title())
    ));
    Ok(())
}

/// An answer to a proposal.
pub(crate) fn answered(term: &Term, p: &Proposal, accepted: bool, as_json: bool) -> Result<()> {
    if as_json {
        return json::print(&Done {
            ritual: p.ritual,
            outcome: if accepted { "accepted" } else { "declined" },
        });
    }
    let line = if accepted {
        format!("now {}, for both of you.", p.schedule)
    } else {
        "stays as it was.".to_owned()
    };
    out(&format!(
        "{} {line}\n\n",
        term.paint(Style::Bold, p.ritual.title())
    ));
    Ok(())
}

#[derive(Serialize)]
struct IdeaJson {
    id: &'static str,
    text: &'static str,
    place: Place,
    cost: Cost,
}

fn idea_json(idea: &DateIdea) -> IdeaJson {
    IdeaJson {
        id: idea.id,
        text: idea.text,
        place: idea.place,
        cost: idea.cost,
    }
}

#[derive(Serialize)]
struct NoteJson {
    by: Person,
    text: String,
    at: String,
}

#[derive(Serialize)]
pub(crate) struct DateNightJson {
    date: String,
    at: hearth::ClockTime,
    idea: IdeaJson,
    plan: Option<NoteJson>,
    lines: Vec<NoteJson>,
}

#[derive(Serialize)]
pub(crate) struct DateNightsJson {
    next: Option<DateNightJson>,
    last: Option<DateNightJson>,
}

fn note_json(names: &Names, n: &Note) -> NoteJson {
    NoteJson {
        by: Person::of(names, &n.by),
        text: n.text.clone(),
        at: iso(n.at, &names.zone),
    }
}

fn night_json(names: &Names, n: &DateNight) -> DateNightJson {
    DateNightJson {
        date: n.date.to_string(),
        at: n.at,
        idea: idea_json(&n.idea),
        plan: n.plan.as_ref().map(|p| note_json(names, p)),
        lines: n.lines.iter().map(|l| note_json(names, l)).collect(),
    }
}

/// Where and what an idea costs, in a few words.
pub(crate) fn idea_tags(idea: &DateIdea) -> &'static str {
    match (idea.place, idea.cost) {
        (Place::Home, Cost::Free) => "at home, free",
        (Place::Home, Cost::Paid) => "at home",
        (Place::Out, Cost::Free) => "out, free",
        (Place::Out, Cost::Paid) => "out",
    }
}

/// Another idea, for both.
pub(crate) fn another(idea: &DateIdea, as_json: bool) -> Result<()> {
    if as_json {
        return json::print(&idea_json(idea));
    }
    out(&format!(
        "Another idea, for both of you:\n  {} ({})\n\n",
        idea.text,
        idea_tags(idea)
    ));
    Ok(())
}

/// A plan or a line kept.
pub(crate) fn noted(line: &str, as_json: bool) -> Result<()> {
    if as_json {
        return json::print(&serde_json::json!({ "noted": true }));
    }
    out(&format!("{line}\n\n"));
    Ok(())
}

/// The next date night and the last, as JSON.
pub(crate) fn date_nights_json(names: &Names, nights: &DateNights) -> DateNightsJson {
    DateNightsJson {
        next: nights.next.as_ref().map(|n| night_json(names, n)),
        last: nights.last.as_ref().map(|n| night_json(names, n)),
    }
}

/// The next date night and the last.
pub(crate) fn print_date_nights(names: &Names, nights: &DateNights, as_json: bool) -> Result<()> {
    if as_json {
        return json::print(&date_nights_json(names, nights));
    }
    let t = &names.term;
    let mut s = String::new();
    let who = |m| {
        if names.is_me(m) {
            "You".to_owned()
        } else {
            names.name(m)
        }
    };
    match &nights.next {
        None => {
            let _ = writeln!(
                s,
                "Date night is off. {}",
                t.paint(
                    Style::Dim,
                    "hearth rituals propose date-night --on switches it back on"
                )
            );
        }
        Some(n) => {
            let _ = writeln!(
                s,
                "{}",
                t.paint(
                    Style::Warm,
                    &format!("Date night — {} at {}", long_date(n.date), n.at)
                )
            );
            let _ = writeln!(
                s,
                "  Idea: {} {}",
                n.idea.text,
                t.paint(Style::Dim, &format!("({})", idea_tags(&n.idea)))
            );
            match &n.plan {
                Some(p) => {
                    let _ = writeln!(
                        s,
                        "  Plan: {} {}",
                        t.paint(Style::Bold, &p.text),
                        t.paint(Style::Dim, &format!("— {}", who(&p.by)))
                    );
                }
                None => {
                    let _ = writeln!(
                        s,
                        "  {}",
                        t.paint(
                            Style::Dim,
                            "No plan yet — hearth date-night plan \"...\", or hearth date-night another"
                        )
                    );
                }
            }
        }
    }
    if let Some(n) = &nights.last {
        let _ = writeln!(
            s,
            "\n{}",
            t.paint(
                Style::Warm,
                &format!("Last date night — {}", long_date(n.date))
            )
        );
        if let Some(p) = &n.plan {
            let _ = writeln!(s, "  The plan was: {}", p.text);
        }
        for l in &n.lines {
            let _ = writeln!(s, "  {}: {}", who(&l.by), l.text);
        }
        if !n.lines.iter().any(|l| names.is_me(&l.by)) {
            let _ = writeln!(
                s,
                "  {}",
                t.paint(
                    Style::Dim,
                    "How was it? One line — hearth date-night remember \"...\""
                )
            );
        }
    }
    out(&s);
    Ok(())
}
