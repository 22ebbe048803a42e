//! Buttons: one warm primary action per place, quiet ones around it.

use egui::{Button, CornerRadius, RichText, Stroke};

use crate::gui::theme::{Palette, WIDGET_RADIUS};

/// The main action of a place, filled with the accent.
pub(crate) fn primary(ui: &mut egui::Ui, text: &str) -> egui::Response {
    let p = Palette::of(ui);
    ui.add(
        Button::new(RichText::new(text).color(p.on_accent).strong())
            .fill(p.accent)
            .stroke(Stroke::NONE)
            .corner_radius(CornerRadius::same(WIDGET_RADIUS))
            .min_size(egui::vec2(120.0, 40.0)),
    )
}

/// The main action, switched off while `enabled` is false.
pub(crate) fn primary_enabled(ui: &mut egui::Ui, enabled: bool, text: &str) -> egui::Response {
    ui.add_enabled_ui(enabled, |ui| primary(ui, text)).inner
}

/// A secondary action.
pub(crate) fn secondary(ui: &mut egui::Ui, text: &str) -> egui::Response {
    let p = Palette::of(ui);
    ui.add(
        Button::new(RichText::new(text).color(p.text))
            .fill(p.card)
            .stroke(Stroke::new(1.0, p.edge))
            .corner_radius(CornerRadius::same(WIDGET_RADIUS))
            .min_size(egui::vec2(0.0, 36.0)),
    )
}

/// A quiet text-only action.
pub(crate) fn quiet(ui: &mut egui::Ui, text: &str) -> egui::Response {
    let p = Palette::of(ui);
    ui.add(Button::new(RichText::new(text).color(p.accent)).frame(false))
}

/// A small quiet action under an entry, in the quiet text colour until pointed at.
pub(crate) fn small(ui: &mut egui::Ui, text: &str) -> egui::Response {
    let p = Palette::of(ui);
    let id = ui.next_auto_id();
    let hovered = ui.ctx().read_response(id).is_some_and(|r| r.hovered());
    let color = if hovered { p.accent } else { p.quiet };
    ui.add(
        Button::new(RichText::new(text).color(color).size(14.5))
            .frame(false)
            .min_size(egui::vec2(0.0, 28.0)),
    )
}

/// Makes the chips that follow in `ui` a little smaller, for rows of many.
pub(crate) fn compact(ui: &mut egui::Ui) {
    ui.spacing_mut().button_padding = egui::vec2(12.0, 4.0);
    ui.spacing_mut().item_spacing.x = 6.0;
}

/// A choice among a few, drawn as a rounded chip.
pub(crate) fn chip(ui: &mut egui::Ui, selected: bool, text: &str) -> egui::Response {
    let p = Palette::of(ui);
    let (fill, color, stroke) = if selected {
        (p.accent, p.on_accent, Stroke::NONE)
    } else {
        (p.card, p.text, Stroke::new(1.0, p.edge))
    };
    ui.add(
        Button::new(RichText::new(text).color(color))
            .selected(selected)
            .fill(fill)
            .stroke(stroke)
            .corner_radius(CornerRadius::same(16))
            .min_size(egui::vec2(0.0, 30.0)),
    )
}
