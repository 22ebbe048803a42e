//! What `hearth passphrase` and `hearth unpair` ask and say.

use hearth::DeviceStatus;
use tokio::sync::oneshot;

use super::term::{self, Style, Term};

/// The passphrase was changed.
pub(crate) fn passphrase_changed() {
    eprintln!(
        "Passphrase changed. Keep it somewhere safe: without it, this device's journal cannot be \
         opened."
    );
}

/// Asks whether to forget `device` (see [`term::ask`]).
pub(crate) fn ask_forget(device: &DeviceStatus) -> oneshot::Receiver<Option<String>> {
    let question = format!(
        "Forget {}'s device {}? It will no longer sync with this one. [y/N]",
        device.name, device.device_id
    );
    term::ask(&question)
}

/// `device` was forgotten.
pub(crate) fn forgot(t: &Term, device: &DeviceStatus) {
    eprintln!(
        "Removed {}'s device {} from the journal. It can no longer sync with any device of it.",
        t.epaint(Style::Bold, &device.name),
        t.epaint(Style::Dim, &device.device_id.to_string())
    );
}

/// The removals an already removed device made were undone: `count` devices are back.
pub(crate) fn undone(t: &Term, count: usize) {
    if count == 0 {
        eprintln!("That device was already removed, and nothing it removed is still out.");
    } else {
        eprintln!("That device was already removed; it stays removed.");
        brought_back(t, count);
    }
}

/// `count` devices the removed device had removed are back in the journal.
pub(crate) fn brought_back(t: &Term, count: usize) {
    let devices = if count == 1 {
        "The device it had removed is".to_owned()
    } else {
        format!("The {count} devices it had removed are")
    };
    eprintln!(
        "{} {devices} back in the journal.",
        t.epaint(Style::Dim, "·")
    );
}

/// The couple's time zone, on standard output.
pub(crate) fn home_zone(zone: Option<&str>) {
    match zone {
        Some(zone) => super::term::outln(zone),
        None => eprintln!(
            "No home time zone yet: each device uses its own. `hearth home-zone ZONE` sets one."
        ),
    }
}

/// The couple's time zone was set.
pub(crate) fn home_zone_set(zone: &str) {
    eprintln!(
        "The question of the day now changes at midnight in {zone}, on both devices once they sync."
    );
}

/// Whether the couple starts small, on standard output.
pub(crate) fn start_small(on: bool) {
    if on {
        super::term::outln(
            "on: one small prompt a day in place of the question of the day, nothing counted",
        );
    } else {
        super::term::outln("off: the question of the day, and insights count what you share");
    }
}
