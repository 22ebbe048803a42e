//! Settings: name, rituals (`rituals`), network, export, passphrase, unpairing, theme.

use egui::RichText;
use hearth::{DeviceId, Format, NetworkMode, RelayUrl, Status, Strength};

use crate::gui::command::Command;
use crate::gui::prefs::{Prefs, ThemeChoice};
use crate::gui::reply::People;
use crate::gui::secret;
use crate::gui::theme::Palette;
use crate::gui::widgets::{buttons, card, field};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Net {
    #[default]
    Default,
    Local,
    Relay,
}

/// The settings form.
pub(crate) struct State {
    pub(crate) name: String,
    net: Option<Net>,
    /// LAN discovery, as shown (first from the status).
    lan: Option<bool>,
    relay: String,
    format: Format,
    path: String,
    old: String,
    new: String,
    /// How strong the new passphrase looks, estimated when it changes.
    strength: Strength,
    again: String,
    unpairing: Option<DeviceId>,
    /// This device's name as typed (first from the status).
    device_name: Option<String>,
    /// A folder or a server's ticket to add as a mailbox, as typed.
    mailbox_folder: String,
    /// The couple's time zone as typed (first from the status).
    home_zone: Option<String>,
    /// A change to a ritual being written.
    ritual: Option<super::rituals::Draft>,
}

impl State {
    pub(crate) fn new(name: String) -> Self {
        State {
            name,
            net: None,
            lan: None,
            relay: String::new(),
            format: Format::Markdown,
            path: default_export_path(),
            old: String::new(),
            new: String::new(),
            strength: Strength::Empty,
            again: String::new(),
            unpairing: None,
            device_name: None,
            mailbox_folder: String::new(),
            home_zone: None,
            ritual: None,
        }
    }
}

fn default_export_path() -> String {
    let home = std::env::var_os("HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    home.join("hearth-journal.md").display().to_string()
}

/// Draws the settings; returns what was asked for. `status` is where this device and its
/// partner's stand, once read; `prefs` holds the rituals' times and the theme.
#[allow(clippy::too_many_arguments)]
pub(crate) fn ui(
    state: &mut State,
    people: &People,
    status: Option<&Status>,
    schedule: Option<&hearth::Rituals>,
    prefs: &Prefs,
    zone: &hearth::Zone,
    ui: &mut egui::Ui,
) -> Vec<Command> {
    let p = Palette::of(ui);
    let mut out = Vec::new();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            card::column(ui, 640.0, |ui| {
                ui.add_space(6.0);
                ui.label(RichText::new("Settings").size(28.0).color(p.text));
                you(ui, state, people, p, &mut out);
                super::rituals::ui(ui, &mut state.ritual, schedule, people, prefs, p, &mut out);
                our_day(ui, state, status, zone, p, &mut out);
                look(ui, prefs, p, &mut out);
                partner(ui, state, status, zone, p, &mut out);
                apart(ui, state, status, zone, p, &mut out);
                network(ui, state, status, p, &mut out);
                export(ui, state, p, &mut out);
                passphrase(ui, state, p, &mut out);
                ui.add_space(20.0);
            });
        });
    out
}

fn you(ui: &mut egui::Ui, s: &mut State, people: &People, p: Palette, out: &mut Vec<Command>) {
    card::card(ui, |ui| {
        heading(ui, "You", p);
        field::line(ui, "Your name", &mut s.name, "", false);
        let changed = s.name.trim() != people.me.name && !s.name.trim().is_empty();
        if changed && buttons::primary(ui, "Save name").clicked() {
            out.push(Command::SetName(s.name.trim().to_owned()));
        }
    });
}

/// The couple's day: the time zone where the question of the day changes at midnight for both,
/// and whether they start small.
fn our_day(
    ui: &mut egui::Ui,
    s: &mut State,
    status: Option<&Status>,
    zone: &hearth::Zone,
    p: Palette,
    out: &mut Vec<Command>,
) {
    let Some(status) = status.filter(|s| s.journal_ready) else {
        return;
    };
    let stored = status.home_zone.clone().unwrap_or_default();
    let typed = s.home_zone.get_or_insert_with(|| stored.clone());
    card::card(ui, |ui| {
        heading(ui, "Our day", p);
        ui.label(
            RichText::new(
                "The question of the day changes at midnight in this time zone, for both of you, \
                 wherever you are. Times still show in each device's own.",
            )
            .color(p.quiet),
        );
        ui.add_space(4.0);
        field::line(ui, "Our time zone", typed, "Europe/Lisbon", false);
        if let Some(own) = zone.name() {
            ui.label(
                RichText::new(format!("This device is in {own}."))
                    .color(p.quiet)
                    .size(13.5),
            );
        }
        let mut small = status.start_small;
        ui.add_space(6.0);
        if ui
            .checkbox(&mut small, "Start small")
            .on_hover_text("For both of you, from the next sync.")
            .changed()
        {
            out.push(Command::SetStartSmall(small));
        }
        ui.label(
            RichText::new(
                "For reconnecting after some distance: one small prompt a day in place of the \
                 question of the day, and nothing counted in Insights.",
            )
            .color(p.quiet)
            .size(13.5),
        );
        let wanted = typed.trim().to_owned();
        if !wanted.is_empty() && wanted != stored {
            let known = hearth::Zone::named(&wanted).is_ok();
            if known {
                if buttons::primary(ui, "Save time zone").clicked() {
                    out.push(Command::SetHomeZone(wanted));
                }
            } else {
                ui.label(
                    RichText::new("Not a time zone name this device knows (like Europe/Lisbon).")
                        .color(p.alert)
                        .size(13.5),
                );
            }
        }
    });
}

/// A card's heading.
fn heading(ui: &mut egui::Ui, text: &str, p: Palette) {
    ui.label(RichText::new(text).size(19.0).strong().color(p.text));
}

fn look(ui: &mut egui::Ui, prefs: &Prefs, p: Palette, out: &mut Vec<Command>) {
    card::card(ui, |ui| {
        heading(ui, "Appearance", p);
        ui.horizontal(|ui| {
            for (choice, name) in [
                (ThemeChoice::System, "Like my system"),
                (ThemeChoice::Light, "Light"),
                (ThemeChoice::Dark, "Dark"),
            ] {
                if buttons::chip(ui, prefs.theme == choice, name).clicked() {
                    out.push(Command::SetTheme(choice));
                }
            }
        });
    });
}

fn partner(
    ui: &mut egui::Ui,
    s: &mut State,
    status: Option<&Status>,
    zone: &hearth::Zone,
    p: Palette,
    out: &mut Vec<Command>,
) {
    let Some(status) = status else {
        return;
    };
    card::card(ui, |ui| {
        heading(ui, "Devices", p);
        if status.update_this_device {
            ui.label(
                RichText::new(
                    "A device of your journal runs a newer Hearth. Update Hearth here to sync \
                     with it again.",
                )
                .color(p.alert),
            );
        }
        let has_partner = status.members.len() > 1;
        if !has_partner && status.partner_devices.is_empty() {
            ui.label(RichText::new("No partner device yet.").color(p.quiet));
            if buttons::primary(ui, "Invite or join your partner").clicked() {
                out.push(Command::OpenPairing);
            }
        }
        for m in &status.members {
            let whose = if m.me {
                "Yours".to_owned()
            } else {
                format!("{}'s", m.name)
            };
            ui.add_space(4.0);
            ui.label(RichText::new(whose).color(p.quiet));
            for d in &m.devices {
                device_row(ui, s, status, d, zone, p, out);
            }
        }
        if !status.home_devices.is_empty() {
            ui.add_space(4.0);
            ui.label(RichText::new("At home, for both of you").color(p.quiet));
            for d in &status.home_devices {
                device_row(ui, s, status, d, zone, p, out);
            }
        }
        if !status.removed_devices.is_empty() {
            ui.add_space(4.0);
            ui.label(RichText::new("Removed").color(p.quiet));
            for d in &status.removed_devices {
                removed_row(ui, status, d, zone, p, out);
            }
        }
        if s.unpairing.is_some() {
            ui.add_space(4.0);
            ui.label(
                RichText::new(
                    "Removing a device cuts it off from the journal on every device, yours and \
                     your partner's, as each hears of it: none syncs with it again, and the \
                     journal gets a new key that it never receives. What it already holds stays \
                     on it. Use this for a lost or sold device.",
                )
                .color(p.quiet),
            );
        }
        let current = status
            .members
            .iter()
            .flat_map(|m| &m.devices)
            .chain(&status.home_devices)
            .find(|d| d.this_device)
            .map(|d| d.name.clone());
        if let Some(current) = current {
            ui.add_space(6.0);
            let typed = s.device_name.get_or_insert_with(|| current.clone());
            field::line(ui, "This device's name", typed, "Ada's laptop", false);
            let changed = typed.trim() != current && !typed.trim().is_empty();
            if changed && buttons::secondary(ui, "Save this device's name").clicked() {
                out.push(Command::SetDeviceName(typed.trim().to_owned()));
            }
        }
        if has_partner || !status.partner_devices.is_empty() {
            ui.add_space(6.0);
            ui.horizontal_wrapped(|ui| {
                if !status.home && buttons::secondary(ui, "Add another of my devices").clicked() {
                    out.push(Command::AddDevice(hearth::NewDevice::Mine));
                }
                if buttons::quiet(ui, "Add a home device").clicked() {
                    out.push(Command::AddDevice(hearth::NewDevice::Home));
                }
            });
        }
    });
}

fn device_row(
    ui: &mut egui::Ui,
    s: &mut State,
    status: &Status,
    d: &hearth::JournalDevice,
    zone: &hearth::Zone,
    p: Palette,
    out: &mut Vec<Command>,
) {
    let live = status.partner_devices.iter().find(|c| c.device_id == d.id);
    ui.horizontal(|ui| {
        ui.label(RichText::new(&d.name).strong());
        let note = match live {
            _ if d.this_device => "this device".to_owned(),
            Some(c) if c.online => match c.route {
                Some(hearth::Route::Lan) => "connected · on your home network".to_owned(),
                Some(hearth::Route::Internet) => {
                    "connected · directly over the internet".to_owned()
                }
                Some(hearth::Route::Relayed) => "connected · through a relay".to_owned(),
                _ => "connected".to_owned(),
            },
            _ => match d.last_seen_ms {
                Some(at) => format!(
                    "seen {}",
                    crate::gui::wording::when(at, hearth::UnixMs::now(), zone)
                ),
                None => format!("not seen lately · {}", short(&d.id.to_string())),
            },
        };
        ui.label(RichText::new(note).color(p.quiet));
        if d.needs_update {
            ui.label(RichText::new("runs an older Hearth · update it there").color(p.alert));
        } else if d.older_hearth {
            ui.label(
                RichText::new(
                    "runs an older Hearth · evening debriefs, letters and your rituals show \
                     there once it is updated",
                )
                .color(p.alert),
            );
        } else if d.newer_hearth {
            ui.label(
                RichText::new("runs a newer Hearth · update this one to see all it writes")
                    .color(p.alert),
            );
        } else if !d.this_device && key_moving(status) {
            // While a new key travels after a removal, each device shows whether it has it.
            let key = if d.epoch >= status.epoch {
                "has the new key"
            } else {
                "waiting for the new key"
            };
            ui.label(RichText::new(key).color(p.quiet));
        }
        if d.this_device {
            return;
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if s.unpairing == Some(d.id) {
                if buttons::quiet(ui, "Keep it").clicked() {
                    s.unpairing = None;
                }
                if buttons::secondary(ui, "Yes, remove it").clicked() {
                    out.push(Command::Unpair { device: d.id });
                    s.unpairing = None;
                }
            } else if buttons::quiet(ui, "Remove").clicked() {
                s.unpairing = Some(d.id);
            }
        });
    });
}

/// A removed device: who removed it and when, and a way back when the device that removed it
/// was removed too (a lost or stolen device's removals can be undone).
fn removed_row(
    ui: &mut egui::Ui,
    status: &Status,
    d: &hearth::RemovedDevice,
    zone: &hearth::Zone,
    p: Palette,
    out: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(status.device_label(d.id)).color(p.quiet));
        ui.label(
            RichText::new(format!(
                "removed on {} {}",
                status.device_label(d.removed_by),
                crate::gui::wording::when(d.removed_ms, hearth::UnixMs::now(), zone)
            ))
            .color(p.quiet),
        );
    });
    if d.can_bring_back {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("The device that removed it was removed too.").color(p.quiet));
            let by_same = status
                .removed_devices
                .iter()
                .filter(|r| r.removed_by == d.removed_by)
                .count();
            let label = match by_same {
                1 => "Bring it back".to_owned(),
                n => format!("Bring back all {n} it removed"),
            };
            if buttons::secondary(ui, &label).clicked() {
                out.push(Command::UndoRemovalsBy {
                    device: d.removed_by,
                });
            }
        });
    }
}

/// "When you're not online together": the mailboxes, and adding a folder or a server as one.
fn apart(
    ui: &mut egui::Ui,
    s: &mut State,
    status: Option<&Status>,
    zone: &hearth::Zone,
    p: Palette,
    out: &mut Vec<Command>,
) {
    let Some(status) = status else {
        return;
    };
    card::card(ui, |ui| {
        heading(ui, "When you're not online together", p);
        ui.label(
            RichText::new(
                "Your devices can leave what they wrote for each other in a folder both your \
                 computers reach: one a file-sync service keeps in step, a network share, or a \
                 USB stick you carry between them. Or in a mailbox server that you, or someone \
                 you trust, run with “hearth mailbox serve”: paste its ticket below, on one of \
                 your devices, and the others learn of it. Everything left in either is sealed; \
                 nobody who sees the folder or runs the server can read a word.",
            )
            .color(p.quiet),
        );
        let now = hearth::UnixMs::now();
        let when = |ms: hearth::UnixMs| crate::gui::wording::when(ms, now, zone);
        for m in &status.mailboxes {
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                ui.label(RichText::new(&m.name).strong());
                match &m.place {
                    hearth::MailboxPlace::Folder { path } => {
                        ui.label(RichText::new(path.display().to_string()).color(p.quiet));
                    }
                    hearth::MailboxPlace::Server { .. } => {
                        ui.label(RichText::new("mailbox server").color(p.quiet));
                    }
                    _ => {}
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if buttons::quiet(ui, "Stop using it").clicked() {
                        out.push(Command::RemoveMailbox(m.name.clone()));
                    }
                });
            });
            let delivered = m.delivered_ms.map_or_else(
                || "Nothing left there yet".to_owned(),
                |at| format!("Delivered {}", when(at)),
            );
            let picked = m.picked_up_ms.map_or_else(
                || "nothing picked up yet".to_owned(),
                |at| format!("picked up {}", when(at)),
            );
            ui.label(RichText::new(format!("{delivered} · {picked}")).color(p.quiet));
            if let Some(e) = &m.last_error {
                ui.label(RichText::new(format!("Last try: {e}")).color(p.alert));
            }
        }
        ui.add_space(6.0);
        let label = if status.mailboxes.is_empty() {
            "A folder, or a mailbox server's ticket"
        } else {
            "Another folder or mailbox server"
        };
        field::line(
            ui,
            label,
            &mut s.mailbox_folder,
            "/home/you/Sync/Hearth  or  hearthbox1…",
            false,
        );
        let typed = s.mailbox_folder.trim();
        let server = typed.to_ascii_lowercase().starts_with("hearthbox1");
        let add = if server {
            "Use this mailbox server"
        } else {
            "Use this folder"
        };
        if !typed.is_empty() && buttons::secondary(ui, add).clicked() {
            out.push(Command::AddMailbox(typed.to_owned()));
            s.mailbox_folder.clear();
        }
    });
}

/// Whether the journal's newest key is still on its way to some device.
fn key_moving(status: &Status) -> bool {
    status
        .members
        .iter()
        .flat_map(|m| &m.devices)
        .chain(&status.home_devices)
        .any(|d| d.epoch < status.epoch)
}

/// The custom relay mode for what was typed, if it is a relay's web address.
fn relay_mode(typed: &str) -> Option<NetworkMode> {
    let url: RelayUrl = typed.trim().parse().ok()?;
    matches!(url.scheme(), "https" | "http").then_some(NetworkMode::CustomRelay(url))
}

fn short(id: &str) -> String {
    id.chars().take(10).collect::<String>() + "…"
}

fn network(
    ui: &mut egui::Ui,
    s: &mut State,
    status: Option<&Status>,
    p: Palette,
    out: &mut Vec<Command>,
) {
    let current = status.map(|s| s.network.clone()).unwrap_or_default();
    let net = s.net.get_or_insert(match current {
        NetworkMode::Local => Net::Local,
        NetworkMode::CustomRelay(_) => Net::Relay,
        _ => Net::Default,
    });
    if let NetworkMode::CustomRelay(url) = &current
        && *net == Net::Relay
        && s.relay.is_empty()
    {
        s.relay = url.to_string();
    }
    card::card(ui, |ui| {
        heading(ui, "Network", p);
        ui.label(
            RichText::new("How your devices find each other. Whatever the path, everything is sealed end to end.")
                .color(p.quiet),
        );
        ui.radio_value(
            net,
            Net::Default,
            "Anywhere — at home directly, elsewhere through public relays",
        );
        ui.radio_value(
            net,
            Net::Local,
            "Only at home — the local network, nothing else",
        );
        ui.radio_value(net, Net::Relay, "Through our own relay");
        if *net == Net::Relay {
            field::line(
                ui,
                "Relay address",
                &mut s.relay,
                "https://relay.example.org",
                false,
            );
        }
        let mode = match net {
            Net::Default => Some(NetworkMode::Default),
            Net::Local => Some(NetworkMode::Local),
            Net::Relay => relay_mode(&s.relay),
        };
        if mode.is_none() && !s.relay.trim().is_empty() {
            ui.label(
                RichText::new("A relay's address starts with https:// (or http://).")
                    .small()
                    .color(p.alert),
            );
        }
        let save = ui.add_enabled_ui(mode.is_some(), |ui| {
            buttons::secondary(ui, "Save network setting")
        });
        if let (true, Some(mode)) = (save.inner.clicked(), mode) {
            out.push(Command::SetNetwork(mode));
        }
        ui.add_space(6.0);
        let lan = s.lan.get_or_insert(status.is_none_or(|s| s.lan_discovery));
        if ui
            .checkbox(lan, "Find each other on the home network (LAN discovery)")
            .changed()
        {
            out.push(Command::SetLanDiscovery(*lan));
        }
        ui.label(
            RichText::new(
                "While Hearth is open, this tells the devices on your local network this \
                 device's id and addresses, so your partner's finds it. Nothing of the journal.",
            )
            .small()
            .color(p.quiet),
        );
    });
}

fn export(ui: &mut egui::Ui, s: &mut State, p: Palette, out: &mut Vec<Command>) {
    card::card(ui, |ui| {
        heading(ui, "Export a copy", p);
        ui.label(
            RichText::new(
                "A copy of the shared journal as it reads now, unencrypted — keep it somewhere \
                 safe. Private and deleted entries stay out of it; of answers you haven't opened \
                 yet it says only that they were given.",
            )
            .color(p.quiet),
        );
        ui.horizontal(|ui| {
            for (format, name, ext) in [
                (Format::Markdown, "Readable (Markdown)", "md"),
                (Format::Json, "JSON", "json"),
                (Format::Automerge, "Automerge", "automerge"),
            ] {
                if buttons::chip(ui, s.format == format, name).clicked() {
                    s.format = format;
                    let path = std::path::Path::new(&s.path).with_extension(ext);
                    s.path = path.display().to_string();
                }
            }
        });
        field::line(ui, "Save to", &mut s.path, "", false);
        let ready = !s.path.trim().is_empty();
        if buttons::secondary(ui, "Export").clicked() && ready {
            out.push(Command::Export {
                format: s.format,
                path: s.path.trim().into(),
            });
        }
    });
}

fn passphrase(ui: &mut egui::Ui, s: &mut State, p: Palette, out: &mut Vec<Command>) {
    card::card(ui, |ui| {
        heading(ui, "Passphrase", p);
        let old = field::line(ui, "Current passphrase", &mut s.old, "", true);
        let new = field::line(ui, "New passphrase", &mut s.new, "", true);
        if new.changed() {
            s.strength = Strength::of(&s.new, &[s.name.trim()]);
        }
        if s.strength != Strength::Empty && s.strength != Strength::Strong {
            let hint = if s.strength.refused() {
                p.alert
            } else {
                p.quiet
            };
            ui.label(RichText::new(s.strength.advice()).color(hint).size(14.0));
        }
        let again = field::line(ui, "New passphrase again", &mut s.again, "", true);
        let same = s.new == s.again;
        if !s.again.is_empty() && !same {
            ui.label(
                RichText::new("The new ones don't match yet.")
                    .color(p.alert)
                    .size(14.0),
            );
        }
        let ready = !s.old.is_empty() && !s.strength.refused() && same;
        if buttons::primary_enabled(ui, ready, "Change passphrase").clicked() && ready {
            let ctx = ui.ctx().clone();
            let old = secret::take(&ctx, old.id, &mut s.old);
            let new_pass = secret::take(&ctx, new.id, &mut s.new);
            secret::clear(&ctx, again.id, &mut s.again);
            s.strength = Strength::Empty;
            out.push(Command::ChangePassphrase { old, new: new_pass });
        }
    });
}
