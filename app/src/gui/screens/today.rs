//! Today: the question of the day, the rituals for now, the partner's bids and latest entries.

use egui::RichText;
use hearth::{Item, PartnerAnswer, Status, Today};

use crate::gui::command::Command;
use crate::gui::prefs::Prefs;
use crate::gui::reply::People;
use crate::gui::rituals;
use crate::gui::theme::Palette;
use crate::gui::widgets::entry::{self, Cards, Drafts, Look};
use crate::gui::widgets::{buttons, card};
use crate::gui::wording;
use hearth::Zone;

/// The widest the page gets: a comfortable line length for reading.
const WIDTH: f32 = 720.0;

/// What Today shows and edits.
#[derive(Default)]
pub(crate) struct State {
    /// The day: its question, rituals, bids and the partner's latest (`None` while the partner's
    /// journal has not arrived).
    pub(crate) day: Option<Today>,
    /// Whether the day has been read at least once.
    pub(crate) read: bool,
    /// The answer to the question of the day, as typed.
    pub(crate) answer: String,
    /// The answer is on its way to the journal.
    pub(crate) answering: bool,
    /// The plan for the next date night, as typed.
    pub(crate) plan: String,
    /// The plan is shown as a field, to write or change.
    pub(crate) changing_plan: bool,
    /// The plan is on its way to the journal.
    pub(crate) planning: bool,
    /// One's line about the last date night, as typed.
    pub(crate) line: String,
    /// The line is on its way to the journal.
    pub(crate) remembering: bool,
}

impl State {
    /// A change came back: what was on its way is kept (`ok`, so its field empties) or not (so
    /// what was typed stays, to try again).
    pub(crate) fn sent(&mut self, ok: bool) {
        if ok && self.planning {
            self.plan.clear();
            self.changing_plan = false;
        }
        if ok && self.remembering {
            self.line.clear();
        }
        self.planning = false;
        self.remembering = false;
    }
}

/// Draws Today; returns what was asked for. `status` is where the partner's devices stand, once
/// read; `prefs` holds the rituals kept; `cards` is what entry cards keep across screens; `zone`
/// is the local time zone in minutes east of UTC.
pub(crate) fn ui(
    state: &mut State,
    people: &People,
    status: Option<&Status>,
    prefs: &Prefs,
    cards: &mut Cards,
    zone: &Zone,
    ui: &mut egui::Ui,
) -> Vec<Command> {
    let p = Palette::of(ui);
    let now = hearth::UnixMs::now();
    let mut out = Vec::new();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            card::column(ui, WIDTH, |ui| {
                ui.add_space(10.0);
                greeting(ui, state, people, now, zone, p);
                ui.add_space(6.0);
                let alone = people.partner.is_none()
                    && status.is_some_and(|s| s.partner_devices.is_empty());
                if alone {
                    invite_card(ui, p, &mut out);
                    ui.add_space(4.0);
                }
                let Some(day) = state.day.clone() else {
                    if state.read {
                        card::card(ui, |ui| {
                            ui.label(
                                RichText::new("Your partner's journal is on its way").strong(),
                            );
                            ui.label(
                                RichText::new(
                                    "It arrives as soon as both devices are online together. \
                                     Anything you write meanwhile is kept and shared then.",
                                )
                                .color(p.quiet),
                            );
                        });
                    } else {
                        ui.spinner();
                    }
                    return;
                };
                match day.start_small {
                    Some(prompt) => start_small(ui, prompt, p, &mut out),
                    None => question(ui, state, &day, people, p, &mut out),
                }
                proposals(ui, &day, people, p, &mut out);
                rituals(ui, &day, prefs, zone, p, &mut out);
                if prefs.reminders.date_night.on {
                    date_night(ui, state, &day, people, p, &mut out);
                }
                let look = Look {
                    people,
                    zone,
                    now_ms: now,
                    full: true,
                };
                letters(ui, &day, &look, p);
                bids(ui, &day, &look, &mut cards.drafts, p, &mut out);
                latest(ui, &day, &look, &mut cards.drafts, p, &mut out);
                ui.add_space(20.0);
            });
        });
    out
}

fn greeting(
    ui: &mut egui::Ui,
    state: &State,
    people: &People,
    now: hearth::UnixMs,
    zone: &Zone,
    p: Palette,
) {
    let first = people
        .me
        .name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    ui.label(
        RichText::new(format!("{}, {first}", wording::greeting(now, zone)))
            .size(30.0)
            .color(p.text),
    );
    let date = state
        .day
        .as_ref()
        .map(|t| wording::long_date(t.date))
        .unwrap_or_default();
    let text = RichText::new(&date).color(p.quiet).size(15.0);
    reserved(ui, 20.0, text, &format!("Today is {date}"));
}

/// A label in a place of fixed size (the whole width, `height` high), so that what changes
/// from day to day (the date, the question) never moves what comes after it. `name` is what a
/// screen reader says for the place.
fn reserved(ui: &mut egui::Ui, height: f32, text: RichText, name: &str) {
    let size = egui::vec2(ui.available_width(), height);
    let place = ui.allocate_ui_with_layout(size, egui::Layout::top_down(egui::Align::Min), |ui| {
        ui.set_min_size(size);
        ui.label(text);
    });
    place
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Group, true, name));
}

/// A heading between the parts of the page.
fn section(ui: &mut egui::Ui, title: &str, p: Palette) {
    ui.add_space(14.0);
    ui.label(RichText::new(title).size(19.0).strong().color(p.text));
    ui.add_space(2.0);
}

fn invite_card(ui: &mut egui::Ui, p: Palette, out: &mut Vec<Command>) {
    card::card(ui, |ui| {
        ui.horizontal(|ui| {
            ui.vertical(|ui| {
                ui.set_width((ui.available_width() - 240.0).max(200.0));
                ui.label(RichText::new("Hearth is for two").strong().size(18.0));
                ui.label(
                    RichText::new(
                        "When you're together, pair your partner's device. It takes a minute.",
                    )
                    .color(p.quiet),
                );
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if buttons::primary(ui, "Invite or join").clicked() {
                    out.push(Command::OpenPairing);
                }
            });
        });
    });
}

/// While the couple starts small: one small prompt, the same for both, in place of the question.
fn start_small(ui: &mut egui::Ui, prompt: hearth::Prompt, p: Palette, out: &mut Vec<Command>) {
    ui.add_space(8.0);
    card::warm_card(ui, |ui| {
        ui.label(
            RichText::new("ONE SMALL THING")
                .size(12.5)
                .color(p.accent)
                .strong(),
        );
        ui.add_space(2.0);
        ui.label(RichText::new(prompt.text).size(23.0).color(p.text));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if buttons::primary(ui, "Write a line").clicked() {
                out.push(Command::ComposeFor {
                    kind: hearth::EntryKind::Journal,
                    prompt: Some(prompt.text.to_owned()),
                    ritual: None,
                });
            }
            ui.label(
                RichText::new(
                    "Just a line is plenty. There's no question of the day while you start small.",
                )
                .color(p.quiet)
                .size(14.5),
            );
        });
    });
}

fn question(
    ui: &mut egui::Ui,
    state: &mut State,
    today: &Today,
    people: &People,
    p: Palette,
    out: &mut Vec<Command>,
) {
    let partner = people.partner_name();
    ui.add_space(8.0);
    card::warm_card(ui, |ui| {
        ui.label(
            RichText::new("QUESTION OF THE DAY")
                .size(12.5)
                .color(p.accent)
                .strong(),
        );
        ui.add_space(2.0);
        // Two lines are kept for the question whatever its length, so the page does not jump
        // from one day to the next.
        let text = today.question.text;
        reserved(
            ui,
            2.0 * 31.0,
            RichText::new(text).size(23.0).color(p.text),
            &format!("Question of the day: {text}"),
        );
        ui.add_space(6.0);
        match &today.answers.mine {
            None => {
                let label = ui.label(RichText::new("Your answer").strong());
                let field = ui
                    .add_enabled(
                        !state.answering,
                        egui::TextEdit::multiline(&mut state.answer)
                            .hint_text("Take your time…")
                            .desired_rows(3)
                            .desired_width(f32::INFINITY)
                            .margin(egui::vec2(12.0, 10.0)),
                    )
                    .labelled_by(label.id);
                let send_keys = field.has_focus()
                    && ui.input(|i| i.modifiers.command && i.key_pressed(egui::Key::Enter));
                let ready = !state.answer.trim().is_empty() && !state.answering;
                ui.add_space(2.0);
                ui.horizontal(|ui| {
                    let answer =
                        buttons::primary_enabled(ui, ready, "Answer").on_hover_text("Ctrl+Enter");
                    if (answer.clicked() || send_keys) && ready {
                        out.push(Command::Answer {
                            text: state.answer.trim().to_owned(),
                        });
                    }
                    let who = wording::capital(partner);
                    let hint = match today.answers.partner {
                        PartnerAnswer::Hidden => {
                            format!("{who} has answered. Yours first, then you'll see theirs.")
                        }
                        _ => format!("{who} sees your answer once they've answered too."),
                    };
                    ui.label(RichText::new(hint).color(p.quiet).size(14.5));
                });
                // Skipping is for a question neither has answered: it is the couple's, and it
                // would leave a given answer waiting for ever.
                if matches!(today.answers.partner, PartnerAnswer::Waiting) && !state.answering {
                    ui.add_space(2.0);
                    if buttons::small(ui, "Not this one? Skip this question")
                        .on_hover_text("You both get the next question instead.")
                        .clicked()
                    {
                        out.push(Command::SkipQuestion);
                    }
                }
            }
            Some(mine) => {
                answer_block(ui, "You", p.accent, &mine.content.main_text(), p);
                ui.add_space(4.0);
                match &today.answers.partner {
                    PartnerAnswer::Revealed(theirs) => {
                        answer_block(ui, partner, p.partner, &theirs.content.main_text(), p);
                    }
                    PartnerAnswer::Opening => {
                        ui.label(RichText::new(partner).strong().color(p.partner));
                        ui.label(
                            RichText::new(format!(
                                "{} has answered too. Their answer is sealed, and opens when \
                                 {partner}'s device next syncs.",
                                wording::capital(partner)
                            ))
                            .italics()
                            .color(p.quiet),
                        );
                    }
                    _ => {
                        ui.label(RichText::new(partner).strong().color(p.partner));
                        ui.label(
                            RichText::new(format!(
                                "Waiting for {partner}… their answer shows here once they've answered."
                            ))
                            .italics()
                            .color(p.quiet),
                        );
                    }
                }
            }
        }
    });
}

fn answer_block(ui: &mut egui::Ui, who: &str, color: egui::Color32, text: &str, p: Palette) {
    ui.label(RichText::new(who).strong().color(color));
    ui.label(RichText::new(text).color(p.text));
}

/// The partner's proposed changes to the rituals, to agree to or not.
fn proposals(
    ui: &mut egui::Ui,
    today: &Today,
    people: &People,
    p: Palette,
    out: &mut Vec<Command>,
) {
    let theirs: Vec<_> = today
        .schedule
        .proposals
        .iter()
        .filter(|proposal| proposal.by != people.me.id)
        .collect();
    for proposal in theirs {
        let now = today
            .schedule
            .settings
            .iter()
            .find(|s| s.ritual == proposal.ritual)
            .map(|s| s.schedule.to_string())
            .unwrap_or_default();
        ui.add_space(8.0);
        card::card(ui, |ui| {
            ui.label(
                RichText::new(format!(
                    "{} proposes a change to {}",
                    wording::capital(people.partner_name()),
                    proposal.ritual.title().to_lowercase()
                ))
                .strong()
                .color(p.partner),
            );
            ui.label(
                RichText::new(wording::capital(&proposal.schedule.to_string()))
                    .size(18.0)
                    .color(p.text),
            );
            ui.label(
                RichText::new(format!("Now: {now}"))
                    .color(p.quiet)
                    .size(14.0),
            );
            ui.add_space(2.0);
            ui.horizontal(|ui| {
                if buttons::primary(ui, "Agree").clicked() {
                    out.push(Command::AcceptRitual(proposal.ritual));
                }
                if buttons::quiet(ui, "Keep it as it is").clicked() {
                    out.push(Command::DeclineRitual(proposal.ritual));
                }
            });
        });
    }
}

fn rituals(
    ui: &mut egui::Ui,
    today: &Today,
    prefs: &Prefs,
    zone: &Zone,
    p: Palette,
    out: &mut Vec<Command>,
) {
    let now = hearth::UnixMs::now();
    let offered: Vec<_> = today
        .rituals
        .iter()
        .filter(|r| rituals::offered(prefs, r.ritual, now, zone))
        .collect();
    if offered.is_empty() {
        return;
    }
    section(ui, "For now", p);
    for r in offered {
        let (name, kind) = rituals::describe(r.ritual);
        card::card(ui, |ui| {
            ui.label(RichText::new(name).strong().color(p.accent));
            ui.label(r.prompt.text);
            ui.add_space(2.0);
            ui.horizontal(|ui| {
                if buttons::secondary(ui, "Write now")
                    .on_hover_text(name)
                    .clicked()
                {
                    out.push(Command::ComposeFor {
                        kind,
                        prompt: Some(r.prompt.text.to_owned()),
                        ritual: Some(r.ritual),
                    });
                }
                if buttons::quiet(ui, "Snooze an hour").clicked() {
                    out.push(Command::Snooze(r.ritual));
                }
                if buttons::quiet(ui, "Not today").clicked() {
                    out.push(Command::Dismiss(r.ritual));
                }
            });
        });
        ui.add_space(2.0);
    }
}

/// Where and what a date idea costs, in a few words.
fn idea_tags(idea: &hearth::DateIdea) -> &'static str {
    match (idea.place, idea.cost) {
        (hearth::Place::Home, hearth::Cost::Free) => "At home · free",
        (hearth::Place::Home, hearth::Cost::Paid) => "At home",
        (hearth::Place::Out, hearth::Cost::Free) => "Out · free",
        (hearth::Place::Out, hearth::Cost::Paid) => "Out",
    }
}

/// Date night: the next one when it is near (its idea, or the plan), and a line about the last
/// one while mine is not written.
fn date_night(
    ui: &mut egui::Ui,
    state: &mut State,
    today: &Today,
    people: &People,
    p: Palette,
    out: &mut Vec<Command>,
) {
    let nights = &today.date_night;
    if nights.next.is_none() && nights.last.is_none() {
        return;
    }
    section(ui, "Date night", p);
    if let Some(next) = &nights.next {
        let when = if next.date == today.date {
            format!("TONIGHT AT {}", next.at)
        } else {
            format!(
                "{} AT {}",
                crate::clock::weekday_name(next.date).to_uppercase(),
                next.at
            )
        };
        card::warm_card(ui, |ui| {
            ui.label(RichText::new(when).size(12.5).color(p.accent).strong());
            ui.add_space(2.0);
            match (&next.plan, state.changing_plan) {
                (Some(plan), false) => {
                    ui.label(RichText::new(&plan.text).size(19.0).color(p.text));
                    let who = if plan.by == people.me.id {
                        "you".to_owned()
                    } else {
                        people.partner_name().to_owned()
                    };
                    ui.label(
                        RichText::new(format!("The plan, noted by {who}"))
                            .color(p.quiet)
                            .size(14.0),
                    );
                    if buttons::small(ui, "Change the plan").clicked() {
                        state.plan = plan.text.clone();
                        state.changing_plan = true;
                    }
                }
                _ => {
                    ui.label(RichText::new(next.idea.text).size(19.0).color(p.text));
                    ui.horizontal(|ui| {
                        ui.label(
                            RichText::new(idea_tags(&next.idea))
                                .color(p.quiet)
                                .size(14.0),
                        );
                        if buttons::small(ui, "Another idea").clicked() {
                            out.push(Command::AnotherDateIdea);
                        }
                    });
                    ui.add_space(4.0);
                    let field = crate::gui::widgets::field::line(
                        ui,
                        "Our plan",
                        &mut state.plan,
                        "This idea, or one of your own — where, when, what to bring",
                        false,
                    );
                    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    let ready = !state.plan.trim().is_empty() && !state.planning;
                    ui.add_space(2.0);
                    if (buttons::primary_enabled(ui, ready, "Save the plan").clicked() || enter)
                        && ready
                    {
                        out.push(Command::PlanDateNight(state.plan.trim().to_owned()));
                    }
                }
            }
        });
    }
    if let Some(last) = &nights.last {
        ui.add_space(4.0);
        card::card(ui, |ui| {
            ui.label(RichText::new("How was date night?").strong().size(17.0));
            if let Some(plan) = &last.plan {
                ui.label(
                    RichText::new(format!("The plan was: {}", plan.text))
                        .color(p.quiet)
                        .size(14.0),
                );
            }
            for line in &last.lines {
                answer_block(ui, people.partner_name(), p.partner, &line.text, p);
            }
            ui.add_space(2.0);
            let field = crate::gui::widgets::field::line(
                ui,
                "One line to remember it by",
                &mut state.line,
                "What you'll smile about later",
                false,
            );
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let ready = !state.line.trim().is_empty() && !state.remembering;
            ui.add_space(2.0);
            if (buttons::primary_enabled(ui, ready, "Keep this line").clicked() || enter) && ready {
                out.push(Command::RememberDateNight(state.line.trim().to_owned()));
            }
        });
    }
}

/// Letters for later still sealed: when each opens, and for one's own, that it waits.
fn letters(ui: &mut egui::Ui, today: &Today, look: &Look<'_>, p: Palette) {
    if today.letters.is_empty() {
        return;
    }
    section(ui, "Letters for later", p);
    for letter in &today.letters {
        card::card(ui, |ui| {
            let line = match &letter.content {
                hearth::Content::Letter { opens_at, .. } => format!(
                    "Your letter to {} is sealed until {}.",
                    look.people.partner_name(),
                    crate::clock::on_day_at(*opens_at, look.now_ms, look.zone)
                ),
                hearth::Content::SealedLetter { opens_at } => crate::clock::letter_opens(
                    *opens_at,
                    look.now_ms,
                    look.zone,
                    Some(look.people.name_of(&letter.author)),
                ),
                _ => return,
            };
            ui.horizontal(|ui| {
                ui.label(RichText::new("✉").size(20.0).color(p.accent));
                ui.label(RichText::new(line).color(p.text));
            });
        });
        ui.add_space(2.0);
    }
}

/// The partner's bids: those waiting for an answer, then those kept for later (they stay on
/// Today until turned toward).
fn bids(
    ui: &mut egui::Ui,
    today: &Today,
    look: &Look<'_>,
    drafts: &mut Drafts,
    p: Palette,
    out: &mut Vec<Command>,
) {
    let waiting = format!("{} reached out", look.people.partner_name());
    for (title, bids) in [
        (waiting.as_str(), &today.open_bids),
        ("Kept for later", &today.later_bids),
    ] {
        if bids.is_empty() {
            continue;
        }
        section(ui, title, p);
        let items: Vec<Item> = bids
            .iter()
            .map(|bid| Item {
                entry: bid.clone(),
                private: false,
            })
            .collect();
        cards(ui, &items, look, drafts, out);
    }
}

fn latest(
    ui: &mut egui::Ui,
    today: &Today,
    look: &Look<'_>,
    drafts: &mut Drafts,
    p: Palette,
    out: &mut Vec<Command>,
) {
    let people = look.people;
    if people.partner.is_none() {
        return;
    }
    // Answers stay with the question of the day (hidden until both have answered); open bids
    // and those kept for later have their own places above.
    let shown: Vec<Item> = today
        .partner_latest
        .iter()
        .filter(|e| {
            e.kind() != hearth::EntryKind::Answer
                && !matches!(e.content, hearth::Content::Bid { response: None, .. })
                && !e.kept_for_later()
        })
        .map(|e| Item {
            entry: e.clone(),
            private: false,
        })
        .collect();
    section(ui, &format!("Lately from {}", people.partner_name()), p);
    if shown.is_empty() {
        ui.label(
            RichText::new(format!(
                "Nothing new from {} yet. It shows up here the moment it arrives.",
                people.partner_name()
            ))
            .color(p.quiet),
        );
        return;
    }
    cards(ui, &shown, look, drafts, out);
}

/// Full cards for `items`, with their comments, reactions and actions.
fn cards(
    ui: &mut egui::Ui,
    items: &[Item],
    look: &Look<'_>,
    drafts: &mut Drafts,
    out: &mut Vec<Command>,
) {
    for item in items {
        entry::card(ui, item, look, drafts, out);
        ui.add_space(2.0);
    }
}
