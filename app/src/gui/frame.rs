//! How one device's app is laid out: set-up, unlock, pairing, or the open journal with its
//! places at the top and the status bar at the bottom.

use super::command::{Command, Which};
use super::device::{Device, Phase, Session};
use super::prefs::{Prefs, Tab};
use super::rituals;
use super::screens::{compose, insights, pairing, settings, setup, timeline, today, unlock};
use super::theme::Palette;
use super::widgets::{buttons, card, nav, status};
use egui::{Frame, Margin, RichText};

/// Draws `device` into `ui`.
pub(crate) fn device(
    ui: &mut egui::Ui,
    device: &mut Device,
    prefs: &Prefs,
    out: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    let offset = device.offset_minutes;
    let title = device.title.clone();
    Frame::new().fill(p.page).show(ui, |ui| {
        ui.set_min_size(ui.available_size());
        match &mut device.phase {
            Phase::Setup(state) => {
                titled(ui, title.as_deref(), p);
                setup::ui(ui, state, out);
            }
            Phase::Locked(state) => {
                titled(ui, title.as_deref(), p);
                unlock::ui(ui, state, out);
            }
            Phase::Open(session) => open(ui, session, prefs, offset, title.as_deref(), out),
        }
    });
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
    ui: &mut egui::Ui,
    session: &mut Session,
    prefs: &Prefs,
    offset: i32,
    title: Option<&str>,
    out: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    shortcuts(ui, session, out);
    egui::Panel::top("nav")
        .frame(
            Frame::new()
                .fill(p.page)
                .inner_margin(Margin::symmetric(20, 12)),
        )
        .show(ui, |ui| {
            let name = title.unwrap_or("Hearth");
            let current = session.pairing.is_none().then_some(session.tab);
            nav::bar(ui, current, session.timeline.partner_news, name, out);
        });
    egui::Panel::bottom("status")
        .frame(
            Frame::new()
                .fill(p.card)
                .stroke(egui::Stroke::new(1.0, p.edge))
                .inner_margin(Margin::symmetric(20, 8)),
        )
        .show(ui, |ui| status::bar(ui, session, offset, out));
    let page = egui::CentralPanel::default()
        .frame(
            Frame::new()
                .fill(p.page)
                .inner_margin(Margin::symmetric(20, 8)),
        )
        .show(ui, |ui| {
            if let Some(state) = session.pairing.as_mut() {
                let partner = session
                    .people
                    .partner
                    .as_ref()
                    .map_or("your partner".to_owned(), |m| m.name.clone());
                pairing::ui(ui, state, &partner, out);
                return;
            }
            // Today offers the rituals itself; elsewhere a gentle reminder shows when it is time.
            if session.tab != Tab::Today {
                reminders(ui, prefs, offset, out);
            }
            match session.tab {
                Tab::Today => today::ui(ui, session, prefs, offset, out),
                Tab::Timeline => timeline::ui(ui, session, offset, out),
                Tab::Compose => compose::ui(ui, session, out),
                Tab::Insights => insights::ui(ui, session, out),
                Tab::Settings => settings::ui(ui, session, prefs, out),
            }
        });
    note(ui, session, page.response.rect, p);
}

fn shortcuts(ui: &mut egui::Ui, session: &mut Session, out: &mut Vec<Command>) {
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
        session.timeline.focus_search = true;
        if session.tab != Tab::Timeline {
            out.push(Command::Go(Tab::Timeline));
        }
    }
}

/// A short note floating over the bottom of the page for a few seconds: what just happened, or
/// what went wrong.
fn note(ui: &mut egui::Ui, session: &mut Session, page: egui::Rect, p: Palette) {
    let Some(n) = &session.note else { return };
    if crate::clock::now_ms() > n.until_ms {
        session.note = None;
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

fn reminders(ui: &mut egui::Ui, prefs: &Prefs, offset: i32, out: &mut Vec<Command>) {
    let now = crate::clock::now_ms();
    let p = Palette::of(ui);
    for which in [Which::Morning, Which::Evening, Which::Weekly] {
        if !rituals::due(prefs, which, now, offset) {
            continue;
        }
        let (text, kind) = rituals::reminder_text(which);
        card::warm_card(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(text).color(p.text));
                if buttons::secondary(ui, "Write now").clicked() {
                    out.push(Command::ComposeFor {
                        kind,
                        prompt: None,
                        ritual: Some(which),
                    });
                }
                if buttons::quiet(ui, "Snooze an hour").clicked() {
                    out.push(Command::Snooze(which));
                }
                if buttons::quiet(ui, "Not today").clicked() {
                    out.push(Command::Dismiss(which));
                }
            });
        });
        ui.add_space(6.0);
    }
}
