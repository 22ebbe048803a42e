//! `hearth demo`: two devices side by side in one window, each with a journal of its own in a
//! temporary directory, talking over this computer's own network. The demo opens an invitation on
//! the left, hands it to the right as if its camera had read the QR code, and leaves the rest —
//! comparing the pictures, writing, reacting — to the person trying it.

use std::time::{Duration, Instant};

use egui::{Frame, Margin, RichText};

use super::command::Command;
use super::device::{Device, Phase};
use super::prefs::Prefs;
use super::screens::pairing::Mode;
use super::theme::Palette;

/// How long the invitation shows before the right-hand device "scans" it.
const SCAN_AFTER: Duration = Duration::from_millis(1500);

/// Where the demo stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Both journals are opening.
    Opening,
    /// The left device shows its invitation.
    Inviting,
    /// The right device has the invitation; the people compare the pictures.
    Joined,
    /// Both are paired: the rest is theirs to try.
    Paired,
}

/// What the demo does by itself, and what it tells the person trying it.
pub(crate) struct Script {
    stage: Stage,
    ticket_seen: Option<Instant>,
}

impl Script {
    pub(crate) fn new() -> Self {
        Script {
            stage: Stage::Opening,
            ticket_seen: None,
        }
    }

    /// A line over both devices saying what this is and what to try.
    pub(crate) fn banner(&self, ui: &mut egui::Ui) {
        let p = Palette::of(ui);
        let hint = match self.stage {
            Stage::Opening => "Opening two journals…",
            Stage::Inviting => "The left device shows an invitation; the right one is reading it.",
            Stage::Joined => {
                "Compare the pictures on both sides and press \u{201c}They match\u{201d} on each."
            }
            Stage::Paired => {
                "Paired. Write something on one side and watch it arrive on the other; \
                 react, comment, answer the question of the day."
            }
        };
        Frame::new()
            .fill(p.accent_soft)
            .inner_margin(Margin::symmetric(20, 10))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new("Hearth demo").strong().color(p.accent));
                    ui.label(
                        RichText::new(
                            "Two devices in one window, paired over this computer's own network. \
                             Both journals are deleted when you close it.",
                        )
                        .color(p.text),
                    );
                });
                ui.label(RichText::new(hint).color(p.quiet).size(14.5));
            });
    }

    /// Moves the demo on once the devices are ready for the next step.
    pub(crate) fn step(&mut self, devices: &mut [Device], prefs: &mut Prefs, ctx: &egui::Context) {
        let [inviter, joiner] = devices else {
            return;
        };
        match self.stage {
            Stage::Opening => {
                if inviter.is_open() && joiner.is_open() {
                    inviter.apply(Command::OpenPairing, prefs);
                    inviter.apply(Command::Invite, prefs);
                    joiner.apply(Command::OpenPairing, prefs);
                    self.stage = Stage::Inviting;
                }
            }
            Stage::Inviting => {
                let Some(ticket) = invitation(inviter) else {
                    return;
                };
                let seen = *self.ticket_seen.get_or_insert_with(Instant::now);
                if seen.elapsed() < SCAN_AFTER {
                    ctx.request_repaint_after(SCAN_AFTER.saturating_sub(seen.elapsed()));
                    return;
                }
                if let Phase::Open(session) = &mut joiner.phase
                    && let Some(state) = session.view.pairing.as_mut()
                    && state.mode == Mode::Choose
                {
                    state.ticket_input.clone_from(&ticket);
                }
                joiner.apply(Command::Join { ticket }, prefs);
                self.stage = Stage::Joined;
            }
            Stage::Joined => {
                if has_partner(inviter) && has_partner(joiner) {
                    self.stage = Stage::Paired;
                }
            }
            Stage::Paired => {}
        }
    }
}

/// The invitation the device shows, once it shows one.
fn invitation(device: &Device) -> Option<String> {
    let Phase::Open(session) = &device.phase else {
        return None;
    };
    session
        .view
        .pairing
        .as_ref()
        .and_then(|state| state.ticket.as_ref())
        .map(|(ticket, _)| ticket.clone())
}

/// Whether the device knows its partner.
fn has_partner(device: &Device) -> bool {
    matches!(&device.phase, Phase::Open(session) if session.view.people.partner.is_some())
}
