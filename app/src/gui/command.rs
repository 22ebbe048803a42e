//! What the screens ask for. Drawing collects commands; they are applied after the frame is
//! drawn, so no screen changes state that another is still drawing.

use hearth::{Draft, Edit, EntryId, Format, NetworkMode, Passphrase, Turn};

use super::prefs::{Tab, ThemeChoice};

/// One request from a screen.
pub(crate) enum Command {
    /// Show another main screen.
    Go(Tab),
    /// Start composing an entry of this kind, perhaps answering a ritual's prompt.
    ComposeFor {
        kind: hearth::EntryKind,
        prompt: Option<String>,
        ritual: Option<hearth::Ritual>,
    },
    /// First run: make the journal.
    Create {
        name: String,
        passphrase: Passphrase,
    },
    /// Open the journal.
    Unlock { passphrase: Passphrase },
    /// Show the pairing screen.
    OpenPairing,
    /// Open an invitation for the partner.
    Invite,
    /// Show the pairing screen with an invitation for a new device of the journal: another of
    /// this person's, a home device, or the partner's.
    AddDevice(hearth::NewDevice),
    /// Join the partner's invitation.
    Join { ticket: String },
    /// The person's answer to "do both screens show the same?"
    Confirm(bool),
    /// Leave the pairing screen (cancelling a pairing in progress).
    ClosePairing,
    /// Write a new entry.
    Write(Draft),
    /// Change an entry.
    Edit { id: EntryId, edit: Edit },
    /// Comment on an entry.
    Comment { id: EntryId, text: String },
    /// Add or take back a reaction.
    React {
        id: EntryId,
        emoji: String,
        on: bool,
    },
    /// Delete an entry of one's own.
    Delete { id: EntryId },
    /// Open a sealed answer of one's own to the partner now.
    OpenAnswer { id: EntryId },
    /// Change the text of a comment of one's own.
    EditComment {
        entry: EntryId,
        comment: EntryId,
        text: String,
    },
    /// Turn LAN discovery (mDNS) on or off, from the next start.
    SetLanDiscovery(bool),
    /// Delete a comment of one's own.
    DeleteComment { entry: EntryId, comment: EntryId },
    /// Answer a partner's bid.
    Respond { id: EntryId, turn: Turn },
    /// Answer the question of the day.
    Answer { text: String },
    /// Skip the question of the day, for both partners.
    SkipQuestion,
    /// Set the couple's time zone, by its name in the time zone database.
    SetHomeZone(String),
    /// Start small, or stop, for both partners.
    SetStartSmall(bool),
    /// Read an entry's versions.
    LoadHistory { id: EntryId },
    /// Bring back an earlier version of one's own entry.
    Restore { id: EntryId, number: usize },
    /// Read the timeline again from the newest entry, with the current filter.
    ReloadTimeline,
    /// Read the next (older) page of the timeline.
    MoreTimeline,
    /// Read the insights for the last `weeks` weeks.
    LoadInsights { weeks: u32 },
    /// Rename this person.
    SetName(String),
    /// Rename this device.
    SetDeviceName(String),
    /// Change how this device reaches its partner.
    SetNetwork(NetworkMode),
    /// Export the journal to a file.
    Export {
        format: Format,
        path: std::path::PathBuf,
    },
    /// Change the passphrase.
    ChangePassphrase { old: Passphrase, new: Passphrase },
    /// Forget a partner device.
    Unpair { device: hearth::DeviceId },
    /// Add a folder as a mailbox.
    AddMailbox(String),
    /// Stop using a mailbox (by name).
    RemoveMailbox(String),
    /// Undo every removal made by a device that was itself removed.
    UndoRemovalsBy { device: hearth::DeviceId },
    /// Reach the partner now.
    SyncNow,
    /// Light or dark.
    SetTheme(ThemeChoice),
    /// Not now: show the reminder again in an hour.
    Snooze(hearth::Ritual),
    /// Done for today.
    Dismiss(hearth::Ritual),
    /// Remind of a ritual on this device, or not.
    SetReminder { ritual: hearth::Ritual, on: bool },
    /// Send desktop notifications, or not.
    SetNotify(bool),
    /// Keep quiet hours for notifications, from and until (minutes after midnight).
    SetQuietHours { on: bool, from: u32, until: u32 },
    /// Propose a change to a ritual to the partner (before pairing, it takes effect at once).
    ProposeRitual {
        ritual: hearth::Ritual,
        schedule: hearth::Schedule,
    },
    /// Accept the partner's proposed change to a ritual.
    AcceptRitual(hearth::Ritual),
    /// Decline the partner's proposed change, or withdraw one's own.
    DeclineRitual(hearth::Ritual),
    /// Another idea for the next date night.
    AnotherDateIdea,
    /// The plan for the next date night.
    PlanDateNight(String),
    /// One's line about the last date night.
    RememberDateNight(String),
}
