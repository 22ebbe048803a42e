//! The short authentication string, large: seven pictures with their names, and the digits.

use egui::RichText;

use crate::gui::emoji;
use crate::gui::theme::Palette;

/// Draws the pictures in a row (wrapping when narrow), each with its name under it, then the
/// digits.
pub(crate) fn show(ui: &mut egui::Ui, pictures: &[(&'static str, &'static str)], digits: &str) {
    let group = egui::UiBuilder::new().accessibility_label("The pictures and numbers to compare");
    ui.scope_builder(group, |ui| show_inner(ui, pictures, digits));
}

fn show_inner(ui: &mut egui::Ui, pictures: &[(&'static str, &'static str)], digits: &str) {
    let p = Palette::of(ui);
    let gap = 6.0;
    let count = pictures.len().max(1);
    // All in one row when they fit, else rows of four.
    let one_row = (ui.available_width() / count as f32 - gap).min(84.0);
    let (cell, per_row) = if one_row >= 64.0 {
        (one_row, count)
    } else {
        (((ui.available_width() / 4.0) - gap).min(84.0), 4)
    };
    let picture = (cell * 0.66).min(52.0);
    for row in pictures.chunks(per_row) {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = gap;
            let used = row.len() as f32 * (cell + gap) - gap;
            ui.add_space(((ui.available_width() - used) / 2.0).max(0.0));
            for (symbol, name) in row {
                // Every cell the same size, whether its name takes one line or two.
                let size = egui::vec2(cell, picture + 44.0);
                ui.allocate_ui_with_layout(
                    size,
                    egui::Layout::top_down(egui::Align::Center),
                    |ui| {
                        ui.set_min_size(size);
                        emoji::show(ui, symbol, name, picture);
                        ui.label(RichText::new(*name).size(13.5).color(p.quiet));
                    },
                );
            }
        });
    }
    ui.add_space(6.0);
    ui.vertical_centered(|ui| {
        ui.label(RichText::new(digits).monospace().size(26.0).color(p.text))
            .widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Label, true, format!("The numbers {digits}"))
            });
    });
}
