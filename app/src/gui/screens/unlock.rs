//! Unlock: the passphrase, and nothing else happens until it is right.

use egui::RichText;

use crate::gui::command::Command;
use crate::gui::secret;
use crate::gui::theme::{Palette, title};
use crate::gui::widgets::{buttons, card, field};

/// The unlock form.
pub(crate) struct State {
    passphrase: String,
    pub(crate) working: bool,
    pub(crate) error: Option<String>,
    /// Put the cursor in the field on the next frame (at first, and after a wrong passphrase).
    pub(crate) focus: bool,
}

impl Default for State {
    fn default() -> Self {
        State {
            passphrase: String::new(),
            working: false,
            error: None,
            focus: true,
        }
    }
}

/// Draws the form; returns what was asked for.
pub(crate) fn ui(state: &mut State, ui: &mut egui::Ui) -> Vec<Command> {
    let p = Palette::of(ui);
    let mut out = Vec::new();
    ui.add_space((ui.available_height() * 0.14).max(24.0));
    card::column(ui, 440.0, |ui| {
        ui.vertical_centered(|ui| {
            ui.label(RichText::new("🔥").size(48.0).color(p.accent));
            ui.label(
                RichText::new("Welcome back")
                    .text_style(title())
                    .color(p.text),
            );
            ui.label(
                RichText::new("Your journal is locked. Type your passphrase to open it.")
                    .color(p.quiet),
            );
        });
        ui.add_space(14.0);
        card::card(ui, |ui| {
            let field = field::line(ui, "Passphrase", &mut state.passphrase, "", true);
            if std::mem::take(&mut state.focus) {
                field.request_focus();
            }
            if let Some(error) = &state.error {
                ui.label(RichText::new(error).color(p.alert).size(15.0));
            }
            ui.add_space(6.0);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let ready = !state.passphrase.is_empty() && !state.working;
            ui.horizontal(|ui| {
                if (buttons::primary_enabled(ui, ready, "Unlock").clicked() || enter) && ready {
                    let passphrase =
                        secret::take(&ui.ctx().clone(), field.id, &mut state.passphrase);
                    state.working = true;
                    state.error = None;
                    out.push(Command::Unlock { passphrase });
                }
                if state.working {
                    ui.spinner();
                    ui.label(RichText::new("Opening…").color(p.quiet));
                }
            });
        });
    });
    out
}
