//! What `hearth status` prints: this device, this person, the partner's devices and how they are
//! reached; as text or as JSON.

use std::fmt::Write as _;

use anyhow::Result;
use hearth::{DeviceStatus, JournalDevice, Member, NetworkMode, Route, Status};
use serde::Serialize;

use super::json;
use super::term::{Style, out};
use super::time::{iso, when};
use crate::cli::Ctx;
use hearth::Zone;

#[derive(Serialize)]
struct StatusJson {
    data_dir: String,
    device_id: String,
    member: MemberJson,
    partner: Option<MemberJson>,
    journal_id: String,
    journal_ready: bool,
    home_zone: Option<String>,
    network: String,
    network_running: bool,
    lan_discovery: bool,
    addresses: Vec<String>,
    partner_devices: Vec<DeviceJson>,
    home: bool,
    removed: bool,
    removed_by: Option<String>,
    epoch: u32,
    update_this_device: bool,
    members: Vec<PersonJson>,
    home_devices: Vec<JournalDeviceJson>,
    removed_devices: Vec<RemovedDeviceJson>,
    mailboxes: Vec<super::mailbox::MailboxJson>,
}

#[derive(Serialize)]
struct RemovedDeviceJson {
    id: String,
    name: String,
    owner: Option<String>,
    removed_by: String,
    removed_ms: hearth::UnixMs,
    removed_at: String,
    can_bring_back: bool,
}

#[derive(Serialize)]
struct PersonJson {
    id: String,
    name: String,
    me: bool,
    devices: Vec<JournalDeviceJson>,
}

#[derive(Serialize)]
struct JournalDeviceJson {
    id: String,
    name: String,
    this_device: bool,
    added_ms: hearth::UnixMs,
    last_seen_ms: Option<hearth::UnixMs>,
    last_seen: Option<String>,
    epoch: u32,
    needs_update: bool,
    older_hearth: bool,
    newer_hearth: bool,
}

fn journal_device(d: &JournalDevice, zone: &Zone) -> JournalDeviceJson {
    JournalDeviceJson {
        id: d.id.to_string(),
        name: d.name.clone(),
        this_device: d.this_device,
        added_ms: d.added_ms,
        last_seen_ms: d.last_seen_ms,
        last_seen: d.last_seen_ms.map(|ms| iso(ms, zone)),
        epoch: d.epoch,
        needs_update: d.needs_update,
        older_hearth: d.older_hearth,
        newer_hearth: d.newer_hearth,
    }
}

#[derive(Serialize)]
struct MemberJson {
    id: String,
    name: String,
    joined_ms: hearth::UnixMs,
}

#[derive(Serialize)]
struct DeviceJson {
    device_id: String,
    name: String,
    member_id: String,
    paired_at_ms: hearth::UnixMs,
    paired_at: String,
    online: bool,
    route: Option<Route>,
    last_synced_ms: Option<hearth::UnixMs>,
    last_synced: Option<String>,
    messages_sent: u64,
    messages_received: u64,
    bytes_sent: u64,
    bytes_received: u64,
}

/// The network mode as `hearth status` shows it: `default`, `local` or `relay <url>`.
pub(crate) fn mode_word(mode: &NetworkMode) -> String {
    match mode {
        NetworkMode::Local => "local".to_owned(),
        NetworkMode::CustomRelay(url) => format!("relay {url}"),
        _ => "default".to_owned(),
    }
}

/// Where the device can be reached now: its direct addresses, then its relays.
pub(crate) fn reachable_at(status: &Status) -> Vec<String> {
    let direct = status.addresses.iter().map(ToString::to_string);
    direct
        .chain(status.relays.iter().map(ToString::to_string))
        .collect()
}

fn member(m: Member) -> MemberJson {
    MemberJson {
        id: m.id.to_string(),
        name: m.name,
        joined_ms: m.joined_ms,
    }
}

fn device(d: &DeviceStatus, zone: &Zone) -> DeviceJson {
    DeviceJson {
        device_id: d.device_id.to_string(),
        name: d.name.clone(),
        member_id: d.member_id.clone(),
        paired_at_ms: d.paired_at_ms,
        paired_at: iso(d.paired_at_ms, zone),
        online: d.online,
        route: d.route,
        last_synced_ms: d.last_synced_ms,
        last_synced: d.last_synced_ms.map(|ms| iso(ms, zone)),
        messages_sent: d.messages_sent,
        messages_received: d.messages_received,
        bytes_sent: d.bytes_sent,
        bytes_received: d.bytes_received,
    }
}

fn route_word(route: Option<Route>) -> &'static str {
    match route {
        Some(Route::Lan) => "online via the local network",
        Some(Route::Internet) => "online via the internet, directly",
        Some(Route::Relayed) => "online via a relay",
        Some(Route::Unknown) | None => "online",
    }
}

fn human(ctx: &Ctx, status: &Status, partner: Option<&str>, checked: bool) -> String {
    let t = &ctx.term;
    let now = hearth::UnixMs::now();
    let label = |s: &str| t.paint(Style::Dim, &format!("{s:<14}"));
    let mut s = String::new();
    let you = if status.home {
        "nobody: this is a home device, keeping the journal for both of you".to_owned()
    } else {
        t.paint(Style::Bold, &status.member.name)
    };
    let _ = writeln!(s, "{}{you}", label("You"));
    let _ = writeln!(s, "{}{}", label("This device"), status.device_id);
    let _ = writeln!(s, "{}{}", label("Data"), ctx.data_dir.display());
    if let Some(by) = status.removed_by {
        let _ = writeln!(
            s,
            "{}{}",
            label("Removed"),
            t.paint(
                Style::Warn,
                &format!(
                    "this device was removed from the journal (on {}); it keeps what it holds, \
                     read only",
                    status.device_label(by)
                )
            )
        );
    }
    let journal = match (status.journal_ready, partner) {
        (false, _) if status.home && status.partner_devices.is_empty() => {
            "not joined yet (`hearth invite --for home` on a device of the journal, then `hearth \
             join` here)"
                .to_owned()
        }
        (false, _) => "waiting for your partner's journal (run `hearth sync`)".to_owned(),
        (true, Some(name)) => format!("shared with {name}"),
        (true, None) => "yours alone so far (pair with `hearth invite`)".to_owned(),
    };
    let _ = writeln!(s, "{}{journal}", label("Journal"));
    if status.epoch > 0 {
        let times = match status.epoch {
            1 => "once".to_owned(),
            n => format!("{n} times"),
        };
        let _ = writeln!(
            s,
            "{}renewed {times}, when a device was removed (epoch {})",
            label("Journal key"),
            status.epoch
        );
    }
    for d in &status.removed_devices {
        let _ = writeln!(
            s,
            "{}{}, removed on {} {}",
            label("Removed"),
            status.device_label(d.id),
            status.device_label(d.removed_by),
            when(d.removed_ms, now, &ctx.zone),
        );
        if d.can_bring_back {
            let _ = writeln!(
                s,
                "{}{}",
                label(""),
                t.paint(
                    Style::Dim,
                    &format!(
                        "the device that removed it was removed too; to bring it back: hearth \
                         unpair {} --undo-its-removals",
                        d.removed_by
                    )
                )
            );
        }
    }
    for m in &status.mailboxes {
        let _ = writeln!(
            s,
            "{}{}",
            label("Mailbox"),
            super::mailbox::summary(m, &ctx.zone)
        );
    }
    let running = if status.network_running {
        "online"
    } else {
        "offline (add --online to reach your partner's devices)"
    };
    let network = mode_word(&status.network);
    let lan = if status.lan_discovery {
        "LAN discovery on"
    } else {
        "LAN discovery off"
    };
    let _ = writeln!(s, "{}{network} · {running} · {lan}", label("Network"));
    let reachable = reachable_at(status);
    if !reachable.is_empty() {
        let _ = writeln!(s, "{}{}", label("Reachable at"), reachable.join(", "));
    }
    if status.update_this_device {
        let _ = writeln!(
            s,
            "{}{}",
            label("Update"),
            t.paint(
                Style::Warn,
                "a device of the journal runs a newer Hearth: update Hearth here to sync with it"
            )
        );
    }
    let names = |devices: &[JournalDevice]| {
        devices
            .iter()
            .map(|d| {
                let mut name = d.name.clone();
                if d.this_device {
                    name.push_str(" (this device)");
                } else if d.needs_update {
                    name.push_str(" (runs an older Hearth: update it)");
                } else if d.older_hearth {
                    name.push_str(
                        " (runs an older Hearth: it shows no evening debriefs, letters or \
                         rituals set together until it is updated)",
                    );
                } else if d.newer_hearth {
                    name.push_str(" (runs a newer Hearth: update this one to see all it writes)");
                } else if d.epoch < status.epoch {
                    name.push_str(" (waiting for the new key)");
                }
                name
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut heading = "Devices";
    for m in status.members.iter().filter(|m| !m.devices.is_empty()) {
        let _ = writeln!(s, "{}{}: {}", label(heading), m.name, names(&m.devices));
        heading = "";
    }
    if !status.home_devices.is_empty() {
        let _ = writeln!(s, "{}home: {}", label(heading), names(&status.home_devices));
    }
    if status.partner_devices.is_empty() {
        let _ = writeln!(s, "{}none yet", label("Paired"));
    }
    for (i, d) in status.partner_devices.iter().enumerate() {
        let heading = if i == 0 { "Paired" } else { "" };
        let paired = d.paired_at_ms;
        let presence = match (checked, d.online) {
            (false, _) => String::new(),
            (true, true) => format!(" · {}", route_word(d.route)),
            (true, false) => " · not reachable now".to_owned(),
        };
        let synced = d
            .last_synced_ms
            .map(|ms| format!(" · in sync {}", when(ms, now, &ctx.zone)))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "{}{} {}\n{}paired {}{presence}{synced}",
            label(heading),
            t.paint(Style::Bold, &status.device_label(d.device_id)),
            t.paint(Style::Dim, &d.device_id.to_string()),
            label(""),
            when(paired, now, &ctx.zone),
        );
    }
    s
}

/// The status as JSON (docs/cli.md); `partner` is the partner as a member of the journal.
pub(crate) fn print_json(ctx: &Ctx, status: &Status, partner: Option<Member>) -> Result<()> {
    let shaped = StatusJson {
        data_dir: ctx.data_dir.display().to_string(),
        device_id: status.device_id.to_string(),
        member: member(status.member.clone()),
        partner: partner.map(member),
        journal_id: status.journal_id.clone(),
        journal_ready: status.journal_ready,
        home_zone: status.home_zone.clone(),
        network: mode_word(&status.network),
        network_running: status.network_running,
        lan_discovery: status.lan_discovery,
        addresses: reachable_at(status),
        partner_devices: status
            .partner_devices
            .iter()
            .map(|d| device(d, &ctx.zone))
            .collect(),
        home: status.home,
        removed: status.removed_by.is_some(),
        removed_by: status.removed_by.map(|d| d.to_string()),
        epoch: status.epoch,
        update_this_device: status.update_this_device,
        members: status
            .members
            .iter()
            .map(|m| PersonJson {
                id: m.id.to_string(),
                name: m.name.clone(),
                me: m.me,
                devices: m
                    .devices
                    .iter()
                    .map(|d| journal_device(d, &ctx.zone))
                    .collect(),
            })
            .collect(),
        home_devices: status
            .home_devices
            .iter()
            .map(|d| journal_device(d, &ctx.zone))
            .collect(),
        removed_devices: status
            .removed_devices
            .iter()
            .map(|d| RemovedDeviceJson {
                id: d.id.to_string(),
                name: d.name.clone(),
                owner: d.owner.clone(),
                removed_by: d.removed_by.to_string(),
                removed_ms: d.removed_ms,
                removed_at: iso(d.removed_ms, &ctx.zone),
                can_bring_back: d.can_bring_back,
            })
            .collect(),
        mailboxes: super::mailbox::shaped(&ctx.zone, &status.mailboxes),
    };
    json::print(&shaped)
}

/// The status as text; `partner` is the partner's name, `checked` whether the partner's devices
/// were tried (`--online`), so that their presence means something.
pub(crate) fn print_text(ctx: &Ctx, status: &Status, partner: Option<&str>, checked: bool) {
    out(&human(ctx, status, partner, checked));
}
