//! What the network layer tells the rest of the app.

use std::fmt;

use iroh::EndpointId;

/// The path a connection to the partner takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Path {
    /// Directly, within the local network.
    Lan,
    /// Directly, across the internet (hole punched).
    Internet,
    /// Through a relay, which forwards packets it cannot read.
    Relayed,
    /// Not known yet.
    Unknown,
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Path::Lan => "local network",
            Path::Internet => "internet, direct",
            Path::Relayed => "relayed",
            Path::Unknown => "unknown path",
        })
    }
}

/// Why a session with a paired device ended badly: the device sent something it never should.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Misbehaviour {
    /// A frame failed to open (tampered, replayed, reordered, reflected or oversized).
    #[error("a frame failed authentication or order checks")]
    BadFrame,
    /// A message inside a frame was malformed.
    #[error("a malformed message")]
    BadMessage,
    /// A sync message was refused before it reached the journal.
    #[error("an invalid sync message")]
    BadSyncMessage,
    /// The journal could not take the changes it sent.
    #[error("changes the journal could not take")]
    RejectedChanges,
    /// It stopped answering in time.
    #[error("it stopped answering")]
    Unresponsive,
}

/// Something the app may want to show or act on.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NetEvent {
    /// A paired device is connected.
    PeerOnline {
        /// Which device.
        peer: EndpointId,
        /// The path in use.
        path: Path,
    },
    /// The path to a connected device changed (for example from relayed to direct).
    PathChanged {
        /// Which device.
        peer: EndpointId,
        /// The new path.
        path: Path,
    },
    /// A paired device is no longer connected.
    PeerOffline {
        /// Which device.
        peer: EndpointId,
    },
    /// Changes from a paired device were taken into the journal.
    Received {
        /// From which device.
        peer: EndpointId,
    },
    /// Both sides have the same journal.
    Synced {
        /// With which device.
        peer: EndpointId,
        /// When.
        at_ms: hearth_journal::UnixMs,
    },
    /// A paired device sent something it never should, and was disconnected.
    Misbehaved {
        /// Which device.
        peer: EndpointId,
        /// What it did.
        what: Misbehaviour,
    },
    /// A device that is not paired tried to sync and was turned away.
    StrangerRefused {
        /// Its id.
        peer: EndpointId,
    },
    /// A device removed from the journal tried to sync and was told so.
    RemovedRefused {
        /// Its id.
        peer: EndpointId,
    },
    /// A device of the journal turned this one away: this device was removed from the journal.
    RemovedFromJournal {
        /// The device that said so.
        by: EndpointId,
    },
    /// A paired device speaks another version of the sync protocol, so the two cannot sync
    /// until the older one is updated.
    VersionMismatch {
        /// The other device.
        peer: EndpointId,
        /// Which of the two needs updating.
        outdated: Outdated,
    },
}

/// Which of two devices runs the older Hearth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outdated {
    /// The other device: Hearth must be updated there.
    Peer,
    /// This device: Hearth must be updated here.
    ThisDevice,
}

/// A snapshot of one paired device's connection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeerStatus {
    /// Whether it is connected now.
    pub online: bool,
    /// The path in use, while connected.
    pub path: Option<Path>,
    /// When both sides last had the same journal.
    pub last_synced_ms: Option<hearth_journal::UnixMs>,
    /// Sync messages sent to it since this device started.
    pub messages_sent: u64,
    /// Sync messages received from it since this device started.
    pub messages_received: u64,
    /// Bytes of sync messages sent to it since this device started.
    pub bytes_sent: u64,
    /// Bytes of sync messages received from it since this device started.
    pub bytes_received: u64,
}
