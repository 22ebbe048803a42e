//! The status bar: is the partner here, by which path, when did we last sync.

use egui::RichText;
use hearth::{DeviceStatus, Status};

use super::buttons;
use crate::gui::command::Command;
use crate::gui::theme::Palette;
use crate::gui::wording;
use hearth::Zone;

/// The device the bar speaks of: one of the partner's, connected if any is; else any other
/// device of the journal, connected if any is (`None` before pairing).
fn shown(status: &Status) -> Option<&DeviceStatus> {
    let partners: Vec<_> = status
        .members
        .iter()
        .filter(|m| !m.me)
        .flat_map(|m| m.devices.iter().map(|d| d.id))
        .collect();
    let devices = &status.partner_devices;
    let theirs = |d: &&DeviceStatus| partners.contains(&d.device_id);
    devices
        .iter()
        .filter(theirs)
        .find(|d| d.online)
        .or_else(|| devices.iter().find(theirs))
        .or_else(|| devices.iter().find(|d| d.online))
        .or_else(|| devices.first())
}

/// What the bar says while the partner is offline: with a mailbox, when this device last left
/// something there and picked something up.
fn offline(partner: &str, status: Option<&Status>, zone: &Zone) -> String {
    let mailboxes = status.map(|s| s.mailboxes.as_slice()).unwrap_or_default();
    if mailboxes.is_empty() {
        return format!(
            "{partner} is offline · your entries are safe here and will sync when you're both online"
        );
    }
    let now = hearth::UnixMs::now();
    let newest = |of: fn(&hearth::MailboxInfo) -> Option<hearth::UnixMs>| {
        mailboxes.iter().filter_map(of).max()
    };
    let mut said = vec![format!("{partner} is offline")];
    if let Some(at) = newest(|m| m.delivered_ms) {
        said.push(format!(
            "delivered to the mailbox {}",
            wording::when(at, now, zone)
        ));
    }
    if let Some(at) = newest(|m| m.picked_up_ms) {
        said.push(format!(
            "picked up from the mailbox {}",
            wording::when(at, now, zone)
        ));
    }
    if said.len() == 1 {
        said.push("your entries will wait for them in the mailbox".to_owned());
    }
    said.join(" · ")
}

/// Draws the bar for an open journal: `partner` is the partner's name, `status` this device's
/// (`None` until read), `zone` the local time zone.
pub(crate) fn bar(
    ui: &mut egui::Ui,
    partner: &str,
    status: Option<&Status>,
    zone: &Zone,
    out: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    let device = status.and_then(shown);
    if let Some((status, by)) = status.and_then(|s| Some((s, s.removed_by?))) {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
            ui.painter().circle_filled(rect.center(), 5.0, p.alert);
            ui.label(
                RichText::new(format!(
                    "This device was removed from your journal by {}. It keeps what it holds, to \
                     read, and syncs no more.",
                    status.device_label(by)
                ))
                .size(14.0)
                .color(p.quiet),
            );
            // If that device is lost or stolen, removing it answers its removals.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if buttons::quiet(ui, "Lost or stolen? Remove it").clicked() {
                    out.push(Command::Unpair { device: by });
                }
            });
        });
        return;
    }
    ui.horizontal(|ui| {
        let (dot, text) = match device {
            None => (
                p.quiet,
                "Not paired yet — invite your partner from Today or Settings.".to_owned(),
            ),
            Some(d) if d.online => {
                let path = match d.route {
                    Some(hearth::Route::Lan) => "on your home network",
                    Some(hearth::Route::Internet) => "directly over the internet",
                    Some(hearth::Route::Relayed) => "through a relay (it can't read anything)",
                    _ => "connected",
                };
                (p.calm, format!("{partner} is online · {path}"))
            }
            Some(_) => (p.quiet, offline(partner, status, zone)),
        };
        let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
        ui.painter().circle_filled(rect.center(), 5.0, dot);
        ui.label(RichText::new(text).size(14.0).color(p.quiet));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if device.is_some() {
                if buttons::quiet(ui, "Sync now").clicked() {
                    out.push(Command::SyncNow);
                }
                if let Some(at) = device.and_then(|d| d.last_synced_ms) {
                    let when = wording::when(at, hearth::UnixMs::now(), zone);
                    ui.label(
                        RichText::new(format!("Last synced {when}"))
                            .size(14.0)
                            .color(p.quiet),
                    );
                }
            }
        });
    });
}
