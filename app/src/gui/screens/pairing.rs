//! Pairing with the partner's device, in person: invite (QR code and ticket) or join (paste the
//! ticket), then compare the short string on both screens.

use egui::{RichText, TextureHandle};
use hearth::NewDevice;

use crate::gui::command::Command;
use crate::gui::emoji;
use crate::gui::reply::{PairFailure, PairStep, People};
use crate::gui::theme::{Palette, title};
use crate::gui::widgets::{buttons, card, field, qr, sas};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Choosing between invite and join.
    #[default]
    Choose,
    /// Opening an invitation.
    Inviting,
    /// Typing or pasting a ticket.
    Joining,
}

/// The pairing screen. The pairing itself runs in the background, owned by the device; this is
/// only what the screen shows.
#[derive(Default)]
pub(crate) struct State {
    pub(crate) mode: Mode,
    /// Right after set-up: the screen offers "Not now".
    pub(crate) first_run: bool,
    pub(crate) ticket_input: String,
    pub(crate) join_error: Option<String>,
    pub(crate) ticket: Option<(String, hearth::UnixMs)>,
    qr: Option<TextureHandle>,
    pub(crate) current: Option<PairStep>,
    pub(crate) answered: Option<bool>,
    /// A join was started and not refused: the screen shows its progress, not the choice.
    underway: bool,
    /// Whose the invited device will be; `None` for the partner's, as the first pairing is.
    pub(crate) device_for: Option<NewDevice>,
}

impl State {
    pub(crate) fn first_run() -> Self {
        State {
            first_run: true,
            ..State::default()
        }
    }

    /// The screen for adding a device to the journal: an invitation, opened at once.
    pub(crate) fn adding(device_for: NewDevice) -> Self {
        State {
            device_for: Some(device_for),
            mode: Mode::Inviting,
            ..State::default()
        }
    }

    /// Whose device the screen waits for, in words: "your partner's device", "your other
    /// device", "the home device".
    fn other_device(&self) -> &'static str {
        match self.device_for {
            None | Some(NewDevice::Partner) => "your partner's device",
            Some(NewDevice::Mine) => "your other device",
            Some(NewDevice::Home) => "the home device",
        }
    }

    /// An invitation is being opened.
    pub(crate) fn begin_invite(&mut self) {
        self.reset_progress();
        self.mode = Mode::Inviting;
    }

    /// The partner's invitation is being joined.
    pub(crate) fn begin_join(&mut self) {
        self.reset_progress();
        self.mode = Mode::Joining;
        self.current = Some(PairStep::Connected);
        self.underway = true;
    }

    fn reset_progress(&mut self) {
        self.underway = false;
        self.ticket = None;
        self.qr = None;
        self.current = None;
        self.answered = None;
        self.join_error = None;
    }

    pub(crate) fn step(&mut self, step: PairStep) {
        match step {
            PairStep::Invitation {
                ticket,
                expires_at_ms,
            } => {
                self.ticket = Some((ticket, expires_at_ms));
                self.qr = None;
            }
            PairStep::JoinRefused(text) => {
                // Back to the ticket, with the reason beside it.
                self.reset_progress();
                self.join_error = Some(text);
            }
            other => self.current = Some(other),
        }
    }
}

/// Draws the screen; returns what was asked for.
pub(crate) fn ui(state: &mut State, people: &People, ui: &mut egui::Ui) -> Vec<Command> {
    let p = Palette::of(ui);
    let partner = people.partner_name();
    let mut out = Vec::new();
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.add_space(16.0);
        card::column(ui, 600.0, |ui| match state.current.clone() {
            Some(PairStep::Compare { emoji, digits }) => {
                compare(ui, state, &emoji, &digits, p, &mut out)
            }
            Some(PairStep::Paired) => paired(ui, state, partner, p, &mut out),
            Some(PairStep::Failed(failure)) => failed(ui, state, &failure, p, &mut out),
            Some(PairStep::Connected) if state.mode == Mode::Joining || state.ticket.is_some() => {
                connecting(ui, p, &mut out);
            }
            _ => match state.mode {
                Mode::Choose | Mode::Joining if !state.underway => choose(ui, state, p, &mut out),
                _ => invitation(ui, state, p, &mut out),
            },
        });
    });
    out
}

fn choose(ui: &mut egui::Ui, state: &mut State, p: Palette, out: &mut Vec<Command>) {
    ui.vertical_centered(|ui| {
        ui.label(
            RichText::new("Bring your partner in")
                .text_style(title())
                .color(p.text),
        );
        ui.label(
            RichText::new("Sit together with both devices. One of you invites, the other joins.")
                .color(p.quiet),
        );
    });
    ui.add_space(12.0);
    card::card(ui, |ui| {
        ui.label(RichText::new("Invite your partner").heading().color(p.text));
        ui.label(
            RichText::new("Show a code for your partner's device to scan or paste.").color(p.quiet),
        );
        if buttons::primary(ui, "Show an invitation").clicked() {
            out.push(Command::Invite);
        }
    });
    ui.add_space(8.0);
    card::card(ui, |ui| {
        ui.label(RichText::new("Join an invitation").heading().color(p.text));
        ui.label(
            RichText::new(
                "Paste the invitation your partner's device shows, or one of yours if this is \
                 another device of yours.",
            )
            .color(p.quiet),
        );
        field::multiline(ui, "Invitation", &mut state.ticket_input, "hearth1…", 2);
        if let Some(error) = &state.join_error {
            ui.label(RichText::new(error).color(p.alert).size(15.0));
        }
        let ready = !state.ticket_input.trim().is_empty();
        if buttons::primary_enabled(ui, ready, "Join").clicked() && ready {
            out.push(Command::Join {
                ticket: state.ticket_input.trim().to_owned(),
            });
        }
    });
    ui.add_space(8.0);
    ui.vertical_centered(|ui| {
        let text = if state.first_run {
            "Not now — I'll start on my own"
        } else {
            "Back"
        };
        if buttons::quiet(ui, text).clicked() {
            out.push(Command::ClosePairing);
        }
    });
}

fn invitation(ui: &mut egui::Ui, state: &mut State, p: Palette, out: &mut Vec<Command>) {
    ui.vertical_centered(|ui| {
        let (head, how) = match state.device_for {
            None | Some(NewDevice::Partner) => (
                "Your invitation",
                "Scan this on your partner's device, or copy the text across.",
            ),
            Some(NewDevice::Mine) => (
                "Add another of your devices",
                "Open Hearth on the new device, choose Join, and scan this or paste the text. \
                 It will show your name and your entries as yours.",
            ),
            Some(NewDevice::Home) => (
                "Add a home device",
                "On the home device (set up with `hearth init --home`), run `hearth join -` and \
                 paste this text. It keeps the journal for both of you and writes nothing itself.",
            ),
        };
        ui.label(RichText::new(head).text_style(title()).color(p.text));
        ui.label(RichText::new(how).color(p.quiet));
    });
    ui.add_space(10.0);
    let Some((ticket, expires)) = state.ticket.clone() else {
        ui.vertical_centered(|ui| {
            ui.spinner();
            ui.label(RichText::new("Opening an invitation…").color(p.quiet));
        });
        return;
    };
    card::card(ui, |ui| {
        ui.vertical_centered(|ui| {
            if state.qr.is_none() {
                state.qr = qr::texture(ui.ctx(), &ticket);
            }
            if let Some(texture) = &state.qr {
                let side = 240.0_f32.min(ui.available_width());
                ui.add(
                    egui::Image::new((texture.id(), egui::vec2(side, side)))
                        .alt_text("QR code of the invitation"),
                );
            }
            ui.add_space(6.0);
            let mut shown = ticket.clone();
            let text = ui.add(
                egui::TextEdit::multiline(&mut shown)
                    .font(egui::TextStyle::Monospace)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            );
            text.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Invitation text")
            });
            ui.horizontal(|ui| {
                if buttons::secondary(ui, "Copy invitation").clicked() {
                    ui.ctx().copy_text(ticket.clone());
                }
                let left = expires.since(hearth::UnixMs::now()).as_secs();
                ui.label(
                    RichText::new(format!("Valid for {}:{:02} more", left / 60, left % 60))
                        .color(p.quiet),
                );
            });
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs(1));
            ui.add_space(6.0);
            let waiting = egui::UiBuilder::new()
                .accessibility_label("Waiting for the other device")
                .layout(egui::Layout::left_to_right(egui::Align::Center));
            ui.scope_builder(waiting, |ui| {
                ui.spinner();
                ui.label(
                    RichText::new(format!("Waiting for {}…", state.other_device())).color(p.quiet),
                );
            });
        });
    });
    ui.add_space(8.0);
    ui.vertical_centered(|ui| {
        if buttons::quiet(ui, "Cancel").clicked() {
            out.push(Command::ClosePairing);
        }
    });
}

fn connecting(ui: &mut egui::Ui, p: Palette, out: &mut Vec<Command>) {
    ui.add_space(40.0);
    ui.vertical_centered(|ui| {
        ui.spinner();
        ui.label(
            RichText::new("Connecting to your partner's device…")
                .size(18.0)
                .color(p.text),
        );
        ui.label(RichText::new("This usually takes a moment.").color(p.quiet));
        ui.add_space(10.0);
        if buttons::quiet(ui, "Cancel").clicked() {
            out.push(Command::ClosePairing);
        }
    });
}

fn compare(
    ui: &mut egui::Ui,
    state: &State,
    emoji: &[(&'static str, &'static str)],
    digits: &str,
    p: Palette,
    out: &mut Vec<Command>,
) {
    ui.vertical_centered(|ui| {
        ui.label(
            RichText::new("Do these match?")
                .text_style(title())
                .color(p.text),
        );
        ui.label(
            RichText::new(
                "Look at both screens together. The pictures and numbers must be the same on each.",
            )
            .color(p.quiet),
        );
    });
    ui.add_space(12.0);
    card::warm_card(ui, |ui| sas::show(ui, emoji, digits));
    ui.add_space(12.0);
    match state.answered {
        None => {
            card::centered_row(ui, |ui| {
                if buttons::primary(ui, "They match").clicked() {
                    out.push(Command::Confirm(true));
                }
                if buttons::secondary(ui, "They don't match").clicked() {
                    out.push(Command::Confirm(false));
                }
            });
        }
        Some(_) => {
            ui.vertical_centered(|ui| {
                ui.spinner();
                ui.label(RichText::new("Waiting for your partner to confirm too…").color(p.quiet));
            });
        }
    }
}

fn paired(ui: &mut egui::Ui, state: &State, partner: &str, p: Palette, out: &mut Vec<Command>) {
    ui.add_space(30.0);
    ui.vertical_centered(|ui| {
        emoji::show(ui, "💛", "A yellow heart", 64.0);
        ui.add_space(6.0);
        let (head, text) = match state.device_for {
            None | Some(NewDevice::Partner) => (
                "You're connected",
                format!(
                    "You and {partner} now share one journal. What one of you writes, the other \
                     will see."
                ),
            ),
            Some(NewDevice::Mine) => (
                "Your device is in",
                "The new device holds the journal too, and keeps in step with every device of \
                 yours and of your partner's on its own."
                    .to_owned(),
            ),
            Some(NewDevice::Home) => (
                "The home device is in",
                "It keeps the journal for both of you, so what one of you writes reaches the \
                 other even when you are never online at the same time."
                    .to_owned(),
            ),
        };
        ui.label(RichText::new(head).text_style(title()).color(p.text));
        ui.label(RichText::new(text).color(p.quiet));
        ui.add_space(14.0);
        if buttons::primary(ui, "Open our journal").clicked() {
            out.push(Command::ClosePairing);
        }
    });
}

fn failed(
    ui: &mut egui::Ui,
    state: &mut State,
    failure: &PairFailure,
    p: Palette,
    out: &mut Vec<Command>,
) {
    let (head, text) = match failure {
        PairFailure::Expired => (
            "The invitation ran out",
            "Invitations last ten minutes. Nothing was shared — just start a new one.".to_owned(),
        ),
        PairFailure::Mismatch => (
            "Not paired",
            "You said the pictures didn't match, so nothing was shared. That's the right call \
             if anything looked different. Try again together."
                .to_owned(),
        ),
        PairFailure::Declined => (
            "Not paired",
            "Your partner said the pictures didn't match on their side, so nothing was shared. \
             Try again together."
                .to_owned(),
        ),
        PairFailure::Other(text) => ("That didn't work", text.clone()),
    };
    ui.add_space(30.0);
    ui.vertical_centered(|ui| {
        ui.label(RichText::new(head).text_style(title()).color(p.text));
        ui.label(RichText::new(text).color(p.quiet));
        ui.add_space(14.0);
        if buttons::primary(ui, "Try again").clicked() {
            state.reset_progress();
            state.mode = Mode::Choose;
        }
        if buttons::quiet(ui, "Close").clicked() {
            out.push(Command::ClosePairing);
        }
    });
}
