//! Settings → Rituals: when each ritual comes round for both partners, who set it, changes
//! waiting, and this device's reminders (whether it reminds, notifications, quiet hours).

use egui::RichText;
use hearth::{ClockTime, Proposal, Ritual, RitualSetting, Rituals, Schedule, Weekdays};

use crate::gui::command::Command;
use crate::gui::prefs::{Prefs, Reminders, TimeOfDay};
use crate::gui::reply::People;
use crate::gui::theme::Palette;
use crate::gui::widgets::{buttons, card};
use crate::gui::wording;

const DAY_LETTERS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A change to a ritual being written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Draft {
    /// Which ritual.
    pub(crate) ritual: Ritual,
    /// Kept at all.
    pub(crate) on: bool,
    /// Its days, Monday first.
    pub(crate) days: [bool; 7],
    /// Its time, in minutes after midnight.
    pub(crate) at: u32,
}

impl Draft {
    fn of(setting: &RitualSetting) -> Draft {
        let s = setting.schedule;
        let mut days = [false; 7];
        for d in s.days.days() {
            days[d as usize] = true;
        }
        Draft {
            ritual: setting.ritual,
            on: s.on,
            days,
            at: s.at.minutes(),
        }
    }

    /// The schedule written, if it names a day (or the ritual is off).
    fn schedule(&self, was: Schedule) -> Option<Schedule> {
        let names: Vec<&str> = (0..7)
            .filter(|d| self.days[*d])
            .map(|d| DAY_LETTERS[d])
            .collect();
        let days = if names.is_empty() {
            was.days
        } else {
            names.join(",").parse::<Weekdays>().ok()?
        };
        if self.on && names.is_empty() {
            return None;
        }
        Some(Schedule {
            on: self.on,
            days,
            at: ClockTime::new(self.at / 60, self.at % 60)?,
        })
    }
}

/// Who set a ritual, as a line says it.
fn who_set(setting: &RitualSetting, people: &People) -> String {
    let name = |m: &hearth::MemberId| {
        if *m == people.me.id {
            "you".to_owned()
        } else {
            people.partner_name().to_owned()
        }
    };
    match (&setting.set_by, &setting.agreed_by) {
        (None, _) => "As Hearth starts".to_owned(),
        (Some(by), None) => wording::capital(&format!("set by {}", name(by))),
        (Some(by), Some(agreed)) => {
            wording::capital(&format!("set by {}, agreed by {}", name(by), name(agreed)))
        }
    }
}

/// Draws the rituals card and this device's reminders; `editing` is the change being written.
pub(crate) fn ui(
    ui: &mut egui::Ui,
    editing: &mut Option<Draft>,
    schedule: Option<&Rituals>,
    people: &People,
    prefs: &Prefs,
    p: Palette,
    out: &mut Vec<Command>,
) {
    card::card(ui, |ui| {
        ui.label(RichText::new("Rituals").size(19.0).strong().color(p.text));
        ui.label(
            RichText::new(
                "When each comes round, for both of you. A change one of you proposes takes \
                 effect once the other agrees. There are no streaks to keep.",
            )
            .color(p.quiet),
        );
        let Some(schedule) = schedule else {
            ui.label(
                RichText::new("They show here once your partner's journal has arrived.")
                    .italics()
                    .color(p.quiet),
            );
            return;
        };
        for setting in &schedule.settings {
            ui.add_space(6.0);
            ui.separator();
            let waiting = schedule
                .proposals
                .iter()
                .find(|pr| pr.ritual == setting.ritual);
            ritual_row(ui, setting, waiting, editing, people, prefs, p, out);
        }
    });
    reminders_card(ui, &prefs.reminders, p, out);
}

#[allow(clippy::too_many_arguments)]
fn ritual_row(
    ui: &mut egui::Ui,
    setting: &RitualSetting,
    waiting: Option<&Proposal>,
    editing: &mut Option<Draft>,
    people: &People,
    prefs: &Prefs,
    p: Palette,
    out: &mut Vec<Command>,
) {
    let ritual = setting.ritual;
    ui.horizontal(|ui| {
        ui.vertical(|ui| {
            ui.set_width((ui.available_width() - 130.0).max(200.0));
            ui.label(RichText::new(ritual.title()).strong().color(p.text));
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(wording::capital(&setting.schedule.to_string())).color(p.text),
                );
                ui.label(
                    RichText::new(format!("· {}", who_set(setting, people)))
                        .color(p.quiet)
                        .size(13.5),
                );
            });
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let open = editing.is_some_and(|d| d.ritual == ritual);
            if !open {
                let name = format!("Change {}", ritual.title().to_lowercase());
                let change = buttons::secondary(ui, "Change");
                change.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone())
                });
                if change.clicked() {
                    *editing = Some(Draft::of(setting));
                }
            }
        });
    });
    if let Some(r) = prefs.reminders.of(ritual) {
        let mut on = r.on;
        let name = format!(
            "Remind me of {} on this device",
            ritual.title().to_lowercase()
        );
        let remind = ui
            .checkbox(&mut on, "Remind me on this device")
            .on_hover_text("A reminder here at its time, and its place on Today");
        remind.widget_info(|| {
            egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, name.clone())
        });
        if remind.changed() {
            out.push(Command::SetReminder { ritual, on });
        }
    }
    if let Some(proposal) = waiting {
        proposal_row(ui, proposal, people, p, out);
    }
    if let Some(draft) = editing.as_mut().filter(|d| d.ritual == ritual) {
        let (send, cancel) = editor(ui, draft, people, p);
        if cancel {
            *editing = None;
        } else if send && let Some(schedule) = draft.schedule(setting.schedule) {
            out.push(Command::ProposeRitual { ritual, schedule });
            *editing = None;
        }
    }
}

fn proposal_row(
    ui: &mut egui::Ui,
    proposal: &Proposal,
    people: &People,
    p: Palette,
    out: &mut Vec<Command>,
) {
    let mine = proposal.by == people.me.id;
    let partner = wording::capital(people.partner_name());
    card::warm_card(ui, |ui| {
        let line = if mine {
            format!("Waiting for {partner} to agree: {}", proposal.schedule)
        } else {
            format!("{partner} proposes: {}", proposal.schedule)
        };
        ui.label(RichText::new(line).color(p.text));
        ui.horizontal(|ui| {
            if mine {
                if buttons::quiet(ui, "Withdraw").clicked() {
                    out.push(Command::DeclineRitual(proposal.ritual));
                }
            } else {
                if buttons::primary(ui, "Agree").clicked() {
                    out.push(Command::AcceptRitual(proposal.ritual));
                }
                if buttons::quiet(ui, "Keep it as it is").clicked() {
                    out.push(Command::DeclineRitual(proposal.ritual));
                }
            }
        });
    });
}

/// The days, time and switch of a change; returns whether it was sent, and whether cancelled.
fn editor(ui: &mut egui::Ui, draft: &mut Draft, people: &People, p: Palette) -> (bool, bool) {
    let title = draft.ritual.title();
    let mut sent = false;
    let mut cancelled = false;
    card::warm_card(ui, |ui| {
        ui.checkbox(&mut draft.on, format!("Keep {}", title.to_lowercase()));
        ui.add_enabled_ui(draft.on, |ui| {
            ui.horizontal_wrapped(|ui| {
                buttons::compact(ui);
                for (d, name) in DAY_LETTERS.iter().enumerate() {
                    if buttons::chip(ui, draft.days[d], name).clicked() {
                        draft.days[d] = !draft.days[d];
                    }
                }
            });
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                ui.label(RichText::new("at").color(p.quiet));
                time_value(ui, &mut draft.at, title);
                ui.label(
                    RichText::new("on each of your own clocks")
                        .color(p.quiet)
                        .size(13.5),
                );
            });
        });
        let no_day = draft.on && !draft.days.iter().any(|d| *d);
        if no_day {
            ui.label(
                RichText::new("Choose at least one day, or switch it off.")
                    .color(p.quiet)
                    .size(13.5),
            );
        }
        ui.horizontal(|ui| {
            let label = match &people.partner {
                Some(partner) => format!("Propose to {}", partner.name),
                None => "Save".to_owned(),
            };
            sent = buttons::primary_enabled(ui, !no_day, &label).clicked() && !no_day;
            cancelled = buttons::quiet(ui, "Cancel").clicked();
        });
    });
    (sent, cancelled)
}

fn time_value(ui: &mut egui::Ui, t: &mut u32, name: &str) -> bool {
    let mut hour = *t / 60;
    let mut minute = *t % 60;
    let mut changed = false;
    for (value, most, part) in [(&mut hour, 23, "hour"), (&mut minute, 59, "minute")] {
        if part == "minute" {
            ui.label(":");
        }
        let response = ui.add(
            egui::DragValue::new(value)
                .range(0..=most)
                .custom_formatter(|n, _| format!("{n:02}")),
        );
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::SpinButton, true, format!("{name} {part}"))
        });
        changed |= response.changed();
    }
    *t = hour * 60 + minute;
    changed
}

fn reminders_card(ui: &mut egui::Ui, r: &Reminders, p: Palette, out: &mut Vec<Command>) {
    card::card(ui, |ui| {
        ui.label(
            RichText::new("Reminders on this device")
                .size(19.0)
                .strong()
                .color(p.text),
        );
        ui.label(
            RichText::new(
                "Gentle reminders at each ritual's time, inside Hearth and as a desktop \
                 notification while Hearth runs. Snooze or set one aside from the reminder \
                 itself. Only one a ritual a day.",
            )
            .color(p.quiet),
        );
        ui.add_space(4.0);
        let mut notify = r.notify;
        if ui.checkbox(&mut notify, "Desktop notifications").changed() {
            out.push(Command::SetNotify(notify));
        }
        let minutes = |t: TimeOfDay| t.minutes();
        let (mut on, mut from, mut until) =
            (r.quiet.on, minutes(r.quiet.from), minutes(r.quiet.until));
        let mut changed = false;
        ui.add_enabled_ui(notify, |ui| {
            ui.horizontal(|ui| {
                changed |= ui.checkbox(&mut on, "Quiet hours, from").changed();
                ui.spacing_mut().item_spacing.x = 4.0;
                ui.add_enabled_ui(on, |ui| {
                    changed |= time_value(ui, &mut from, "Quiet from");
                    ui.label(RichText::new("until").color(p.quiet));
                    changed |= time_value(ui, &mut until, "Quiet until");
                });
            });
        });
        if changed {
            out.push(Command::SetQuietHours { on, from, until });
        }
    });
}
