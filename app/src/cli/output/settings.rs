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
        "Forgot {}'s device {}. It can no longer sync with this one.",
        t.epaint(Style::Bold, &device.name),
        t.epaint(Style::Dim, &device.device_id.to_string())
    );
}
