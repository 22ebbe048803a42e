//! How one device's app is laid out: set-up, unlock, pairing, or the open journal with its
//! places at the top and the status bar at the bottom. Like the screens it places, this is a view:
//! it draws the state it is given and returns the commands the person gave.

use egui::{Frame, Margin, RichText};
use hearth::Status;

use super::command::Command;
use super::prefs::{Prefs, Tab};
use super::reply::People;
use super::rituals;
use super::screens::{compose, insights, pairing, settings, setup, timeline, today, unlock};
use super::theme::Palette;
use super::widgets::entry::Cards;
use super::widgets::{buttons, card, nav, status};
use hearth::Zone;

/// What an open journal's page shows and edits: each screen's state, and what they share.
pub(crate) struct View {
    /// Who this device's person and partner are.
    pub(crate) people: People,
    /// The place shown.
    pub(crate) tab: Tab,
    /// Where this device and the partner's stand, once read.
    pub(crate) status: Option<Status>,
    /// A note shown for a moment over the bottom of the page.
    pub(crate) note: Option<Note>,
    pub(crate) today: today::State,
    pub(crate) timeline: timeline::State,
    pub(crate) compose: compose::State,
    pub(crate) insights: insights::State,
    pub(crate) settings: settings::State,
    /// The pairing screen, shown instead of the places while it is open.
    pub(crate) pairing: Option<pairing::State>,
    /// What entry cards keep across Today and the timeline.
    pub(crate) cards: Cards,
    /// Shown from the first screen kept from the last time, while the journal opens behind it.
    pub(crate) opening: bool,
}

impl View {
    /// The page of a journal just opened, on `tab`.
    pub(crate) fn new(people: People, tab: Tab) -> Self {
        let name = people.me.name.clone();
        View {
            people,
            tab,
            status: None,
            note: None,
            today: today::State::default(),
            timeline: timeline::State::default(),
            compose: compose::State::default(),
            insights: insights::State::default(),
            settings: settings::State::new(name),
            pairing: None,
            cards: Cards::default(),
            opening: false,
        }
    }
}

/// A note shown for a moment at the bottom of the page.
pub(crate) struct Note {
    pub(crate) text: String,
    pub(crate) error: bool,
    pub(crate) until_ms: hearth::UnixMs,
}

/// Where one device stands, as its page shows it.
pub(crate) enum Page<'a> {
    /// First run: no journal here yet.
    Setup(&'a mut setup::State),
    /// A journal is here, locked.
    Locked(&'a mut unlock::State),
    /// The journal is open.
    Open(&'a mut View),
}

/// Draws one device's `page`; returns what was asked for. `title` names the device in the demo;
/// `zone` is the local time zone.
pub(crate) fn ui(
    page: Page<'_>,
    title: Option<&str>,
    prefs: &Prefs,
    zone: &Zone,
    ui: &mut egui::Ui,
) -> Vec<Command> {
    let p = Palette::of(ui);
    Frame::new()
        .fill(p.page)
        .show(ui, |ui| {
            ui.set_min_size(ui.available_size());
            match page {
                Page::Setup(state) => {
                    titled(ui, title, p);
                    setup::ui(state, ui)
                }
                Page::Locked(state) => {
                    titled(ui, title, p);
                    unlock::ui(state, ui)
                }
                Page::Open(view) => open(view, prefs, zone, title, ui),
            }
        })
        .inner
}

fn titled(ui: &mut egui::Ui, title: Option<&str>, p: Palette) {
    if let Some(title) = title {
        ui.add_space(8.0);
        ui.vertical_centered(|ui| {
            ui.label(RichText::new(title).color(p.quiet).size(14.0));
        });
    }
}

fn open(
    view: &mut View,
    prefs: &Prefs,
    zone: &Zone,
    title: Option<&str>,
    ui: &mut egui::Ui,
) -> Vec<Command> {
    let p = Palette::of(ui);
    let mut out = Vec::new();
    shortcuts(ui, view, &mut out);
    egui::Panel::top("nav")
        .frame(
            Frame::new()
                .fill(p.page)
                .inner_margin(Margin::symmetric(20, 12)),
        )
        .show(ui, |ui| {
            let name = title.unwrap_or("Hearth");
            let current = view.pairing.is_none().then_some(view.tab);
            nav::bar(ui, current, view.timeline.partner_news, name, &mut out);
        });
    egui::Panel::bottom("status")
        .frame(
            Frame::new()
                .fill(p.card)
                .stroke(egui::Stroke::new(1.0, p.edge))
                .inner_margin(Margin::symmetric(20, 8)),
        )
        .show(ui, |ui| {
            if view.opening {
                ui.label(egui::RichText::new("Opening the rest of your journal…").color(p.quiet));
                return;
            }
            status::bar(
                ui,
                view.people.partner_name(),
                view.status.as_ref(),
                zone,
                &mut out,
            );
        });
    let page = egui::CentralPanel::default()
        .frame(
            Frame::new()
                .fill(p.page)
                .inner_margin(Margin::symmetric(20, 8)),
        )
        .show(ui, |ui| {
            if let Some(state) = view.pairing.as_mut() {
                out.extend(pairing::ui(state, &view.people, ui));
                return;
            }
            // Today offers the rituals itself; elsewhere a gentle reminder shows when it is time.
            if view.tab != Tab::Today
                && let Some(day) = &view.today.day
            {
                reminders(ui, &day.schedule, prefs, zone, &mut out);
            }
            let people = &view.people;
            let asked = match view.tab {
                Tab::Today => today::ui(
                    &mut view.today,
                    people,
                    view.status.as_ref(),
                    prefs,
                    &mut view.cards,
                    zone,
                    ui,
                ),
                Tab::Timeline => {
                    timeline::ui(&mut view.timeline, people, &mut view.cards, zone, ui)
                }
                Tab::Compose => compose::ui(&mut view.compose, people, zone, ui),
                Tab::Insights => insights::ui(&mut view.insights, people, ui),
                Tab::Settings => {
                    let status = view.status.as_ref();
                    let schedule = view.today.day.as_ref().map(|d| &d.schedule);
                    settings::ui(
                        &mut view.settings,
                        people,
                        status,
                        schedule,
                        prefs,
                        zone,
                        ui,
                    )
                }
            };
            out.extend(asked);
        });
    note(ui, &mut view.note, page.response.rect, p);
    out
}

fn shortcuts(ui: &mut egui::Ui, view: &mut View, out: &mut Vec<Command>) {
    let (compose, search) = ui.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::COMMAND, egui::Key::N),
            i.consume_key(egui::Modifiers::COMMAND, egui::Key::F),
        )
    });
    if compose {
        out.push(Command::Go(Tab::Compose));
    }
    if search {
        view.timeline.focus_search = true;
        if view.tab != Tab::Timeline {
            out.push(Command::Go(Tab::Timeline));
        }
    }
}

/// A short note floating over the bottom of the page for a few seconds: what just happened, or
/// what went wrong.
fn note(ui: &mut egui::Ui, note: &mut Option<Note>, page: egui::Rect, p: Palette) {
    let Some(n) = note else { return };
    if hearth::UnixMs::now() > n.until_ms {
        *note = None;
        return;
    }
    let (edge, color) = if n.error {
        (p.alert, p.alert)
    } else {
        (p.edge, p.text)
    };
    let width = (page.width() - 40.0).clamp(120.0, 560.0);
    egui::Area::new(ui.scope_id().with("note"))
        .order(egui::Order::Foreground)
        .pivot(egui::Align2::CENTER_BOTTOM)
        .fixed_pos(page.center_bottom() - egui::vec2(0.0, 14.0))
        .interactable(false)
        .show(ui.ctx(), |ui| {
            ui.scope_builder(egui::UiBuilder::new().accessibility_label("Notice"), |ui| {
                Frame::new()
                    .fill(p.card)
                    .stroke(egui::Stroke::new(1.0, edge))
                    .corner_radius(egui::CornerRadius::same(14))
                    .shadow(ui.visuals().popup_shadow)
                    .inner_margin(Margin::symmetric(18, 10))
                    .show(ui, |ui| {
                        ui.set_max_width(width);
                        ui.label(RichText::new(&n.text).color(color));
                    });
            });
        });
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_millis(500));
}

fn reminders(
    ui: &mut egui::Ui,
    schedule: &hearth::Rituals,
    prefs: &Prefs,
    zone: &Zone,
    out: &mut Vec<Command>,
) {
    let now = hearth::UnixMs::now();
    let p = Palette::of(ui);
    for setting in &schedule.settings {
        if !rituals::due(prefs, setting, now, zone) {
            continue;
        }
        let ritual = setting.ritual;
        let text = rituals::reminder_text(ritual);
        let (_, kind) = rituals::describe(ritual);
        card::warm_card(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(text).color(p.text));
                if ritual == hearth::Ritual::DateNight {
                    if buttons::secondary(ui, "See the plan").clicked() {
                        out.push(Command::Go(Tab::Today));
                    }
                } else if buttons::secondary(ui, "Write now").clicked() {
                    out.push(Command::ComposeFor {
                        kind,
                        prompt: None,
                        ritual: Some(ritual),
                    });
                }
                if buttons::quiet(ui, "Snooze an hour").clicked() {
                    out.push(Command::Snooze(ritual));
                }
                if buttons::quiet(ui, "Not today").clicked() {
                    out.push(Command::Dismiss(ritual));
                }
            });
        });
        ui.add_space(6.0);
    }
}
