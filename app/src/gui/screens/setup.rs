//! First run: a welcome, your name, a passphrase; then the journal is made.

use egui::RichText;

use crate::gui::command::Command;
use hearth::Strength;

use crate::gui::secret;
use crate::gui::theme::{Palette, title};
use crate::gui::widgets::{buttons, card, field};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Step {
    #[default]
    Welcome,
    Name,
    Passphrase,
}

/// The set-up form.
#[derive(Default)]
pub(crate) struct State {
    pub(crate) step: Step,
    pub(crate) name: String,
    passphrase: String,
    /// How strong the passphrase typed looks, estimated when it changes.
    strength: Strength,
    again: String,
    pub(crate) working: bool,
    pub(crate) error: Option<String>,
}

/// Draws the form; returns what was asked for.
pub(crate) fn ui(state: &mut State, ui: &mut egui::Ui) -> Vec<Command> {
    let p = Palette::of(ui);
    let mut out = Vec::new();
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.add_space((ui.available_height() * 0.08).max(24.0));
        card::column(ui, 520.0, |ui| match state.step {
            Step::Welcome => welcome(ui, state, p),
            Step::Name => name(ui, state, p),
            Step::Passphrase => passphrase(ui, state, p, &mut out),
        });
    });
    out
}

fn welcome(ui: &mut egui::Ui, state: &mut State, p: Palette) {
    ui.vertical_centered(|ui| {
        ui.label(RichText::new("🔥").size(56.0).color(p.accent));
        ui.label(
            RichText::new("Welcome to Hearth")
                .text_style(title())
                .color(p.text),
        );
        ui.add_space(6.0);
        ui.label(
            RichText::new(
                "A quiet place for the two of you: little check-ins, thank-yous, \
                 a question each day, and whatever else you want to share.",
            )
            .color(p.quiet)
            .size(17.0),
        );
        ui.add_space(8.0);
        ui.label(
            RichText::new(
                "Everything stays on your devices, sealed with a passphrase, and travels \
                 only between you and your partner.",
            )
            .color(p.quiet)
            .size(15.0),
        );
        ui.add_space(22.0);
        if buttons::primary(ui, "Let's begin").clicked() {
            state.step = Step::Name;
        }
    });
}

fn name(ui: &mut egui::Ui, state: &mut State, p: Palette) {
    card::card(ui, |ui| {
        ui.label(
            RichText::new("What should your partner call you?")
                .heading()
                .color(p.text),
        );
        ui.label(
            RichText::new("This is the name they will see next to your entries.").color(p.quiet),
        );
        ui.add_space(8.0);
        let field = field::line(ui, "Your name", &mut state.name, "e.g. Ada", false);
        let ready = !state.name.trim().is_empty();
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            let go = buttons::primary_enabled(ui, ready, "Continue").clicked() || enter;
            if go && ready {
                state.step = Step::Passphrase;
            }
            if buttons::quiet(ui, "Back").clicked() {
                state.step = Step::Welcome;
            }
        });
    });
}

fn passphrase(ui: &mut egui::Ui, state: &mut State, p: Palette, out: &mut Vec<Command>) {
    card::card(ui, |ui| {
        ui.label(RichText::new("Choose a passphrase").heading().color(p.text));
        ui.label(
            RichText::new(
                "It unlocks Hearth on this device. A short sentence you'll remember works well.",
            )
            .color(p.quiet),
        );
        ui.add_space(8.0);
        let first = field::line(ui, "Passphrase", &mut state.passphrase, "", true);
        if first.changed() {
            state.strength = Strength::of(&state.passphrase, &[state.name.trim()]);
        }
        let strength = state.strength;
        strength_bar(ui, strength, p);
        let hint = if strength.refused() { p.alert } else { p.quiet };
        ui.label(RichText::new(strength.advice()).color(hint).size(14.0));
        ui.add_space(4.0);
        let second = field::line(ui, "Passphrase again", &mut state.again, "", true);
        let same = state.passphrase == state.again;
        if !state.again.is_empty() && !same {
            ui.label(
                RichText::new("The two don't match yet.")
                    .color(p.alert)
                    .size(14.0),
            );
        }
        ui.add_space(8.0);
        card::warm_card(ui, |ui| {
            ui.label(
                RichText::new(
                    "Please keep it somewhere safe. If the passphrase is lost, nobody — not even \
                     us — can open this journal again.",
                )
                .color(p.text)
                .size(15.0),
            );
        });
        if let Some(error) = &state.error {
            ui.label(RichText::new(error).color(p.alert));
        }
        ui.add_space(8.0);
        let ready = !state.strength.refused() && same && !state.working;
        let enter = second.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.horizontal(|ui| {
            let go = buttons::primary_enabled(ui, ready, "Create our journal").clicked();
            if (go || enter) && ready {
                let ctx = ui.ctx().clone();
                let passphrase = secret::take(&ctx, first.id, &mut state.passphrase);
                secret::clear(&ctx, second.id, &mut state.again);
                state.strength = Strength::Empty;
                state.working = true;
                state.error = None;
                out.push(Command::Create {
                    name: state.name.trim().to_owned(),
                    passphrase,
                });
            }
            if !state.working && buttons::quiet(ui, "Back").clicked() {
                state.step = Step::Name;
            }
            if state.working {
                ui.spinner();
                ui.label(RichText::new("Making your journal…").color(p.quiet));
            }
        });
    });
}

fn strength_bar(ui: &mut egui::Ui, strength: Strength, p: Palette) {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, 6.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 3.0, p.edge);
    let mut filled = rect;
    let (fraction, color) = match strength {
        Strength::Empty => (0.0, p.edge),
        Strength::TooWeak => (0.15, p.alert),
        Strength::Weak => (0.35, p.alert),
        Strength::Fair => (0.65, p.accent),
        Strength::Strong => (1.0, p.calm),
    };
    filled.set_width(width * fraction);
    ui.painter().rect_filled(filled, 3.0, color);
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::ProgressIndicator,
            true,
            format!("Passphrase strength: {}", strength.name()),
        )
    });
}
