//! Text fields with a visible label that screen readers announce with them.

use egui::{RichText, TextEdit};

/// A one-line field under its label.
pub(crate) fn line(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    hint: &str,
    password: bool,
) -> egui::Response {
    let label = ui.label(RichText::new(label).strong());
    ui.add(
        TextEdit::singleline(text)
            .hint_text(hint)
            .password(password)
            .desired_width(f32::INFINITY)
            .margin(egui::vec2(12.0, 9.0)),
    )
    .labelled_by(label.id)
}

/// A multi-line field under its label.
pub(crate) fn multiline(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    hint: &str,
    rows: usize,
) -> egui::Response {
    let label = ui.label(RichText::new(label).strong());
    ui.add(
        TextEdit::multiline(text)
            .hint_text(hint)
            .desired_rows(rows)
            .desired_width(f32::INFINITY)
            .margin(egui::vec2(12.0, 10.0)),
    )
    .labelled_by(label.id)
}
