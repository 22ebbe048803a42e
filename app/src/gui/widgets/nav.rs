//! The row of places at the top of an open journal.

use egui::RichText;

use super::buttons;
use crate::gui::command::Command;
use crate::gui::prefs::Tab;
use crate::gui::theme::Palette;

const PLACES: [(Tab, &str); 4] = [
    (Tab::Today, "Today"),
    (Tab::Timeline, "Timeline"),
    (Tab::Insights, "Insights"),
    (Tab::Settings, "Settings"),
];

/// The title, the places, and "Write".
/// `current` is `None` while a screen outside the places (pairing) shows; `news` puts a small
/// dot on the timeline when the partner wrote something since it was last looked at.
pub(crate) fn bar(
    ui: &mut egui::Ui,
    current: Option<Tab>,
    news: bool,
    title: &str,
    out: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    ui.horizontal(|ui| {
        ui.label(RichText::new("🔥").size(22.0).color(p.accent));
        ui.label(RichText::new(title).size(20.0).color(p.text).strong());
        ui.add_space(18.0);
        for (tab, name) in PLACES {
            let chip = buttons::chip(ui, current == Some(tab), name);
            if news && tab == Tab::Timeline {
                let at = chip.rect.right_top() + egui::vec2(-6.0, 6.0);
                ui.painter().circle_filled(at, 4.0, p.partner);
            }
            if chip.clicked() {
                if current.is_none() {
                    // Leaving the pairing screen for a place.
                    out.push(Command::ClosePairing);
                }
                if current != Some(tab) {
                    out.push(Command::Go(tab));
                }
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let write =
                buttons::primary(ui, "✏  Write").on_hover_text("Write something new (Ctrl+N)");
            write.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Write"));
            if write.clicked() {
                if current.is_none() {
                    out.push(Command::ClosePairing);
                }
                out.push(Command::Go(Tab::Compose));
            }
        });
    });
}
