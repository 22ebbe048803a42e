//! Errors of pairing and syncing.

use std::time::Duration;

use crate::Closed;

/// Why an invitation could not be opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InviteError {
    /// This Hearth was opened without the network.
    #[error("the network is off")]
    NetworkOff,
    /// The shared journal has not arrived yet, so there is nothing to share.
    #[error("the journal has not been received from your partner yet")]
    NotReady,
    /// The network layer could not open the invitation.
    #[error("could not open the invitation")]
    Net(#[source] hearth_net::InviteError),
    /// An invitation for the partner's device, when the journal has its two people already.
    #[error(
        "the journal has both of you already: invite another device of yours, or a home device"
    )]
    PartnerAlreadyHere,
    /// An invitation for "my other device" from a home device, which is nobody's.
    #[error(
        "this is a home device, which is nobody's: invite from a device of the person the new one is for"
    )]
    NobodysDevice,
    /// The journal was closed ([`Hearth::shutdown`](crate::Hearth::shutdown)).
    #[error(transparent)]
    Closed(#[from] Closed),
}

/// Why joining an invitation could not start. Nothing was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JoinError {
    /// This Hearth was opened without the network.
    #[error("the network is off")]
    NetworkOff,
    /// The ticket text is malformed or expired.
    #[error("that invitation code cannot be used")]
    Ticket(#[source] hearth_crypto::ticket::TicketDecodeError),
    /// The ticket is this device's own invitation.
    #[error("that is this device's own invitation")]
    OwnTicket,
    /// This device is paired already: joining another journal would leave its partner.
    #[error("this device is already paired; unpair it first")]
    AlreadyPaired,
    /// The list of paired devices could not be read.
    #[error("could not read the paired devices")]
    Paired(#[source] hearth_store::ReadError),
    /// The journal was closed ([`Hearth::shutdown`](crate::Hearth::shutdown)).
    #[error(transparent)]
    Closed(#[from] Closed),
}

/// Why a sync did not complete.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// This Hearth was opened without the network.
    #[error("the network is off")]
    NetworkOff,
    /// There is no paired device to sync with.
    #[error("this device is not paired with anyone yet")]
    NotPaired,
    /// This device was removed from the journal: the other devices turn it away.
    #[error("this device was removed from the journal; it keeps what it holds, read only")]
    Removed {
        /// The device that removed it, or that told it so.
        by: crate::DeviceId,
    },
    /// A device of the journal runs a newer Hearth, whose sync this version does not speak.
    #[error("a device of the journal runs a newer Hearth: update Hearth on this device")]
    UpdateThisDevice {
        /// The device that runs the newer version.
        device: crate::DeviceId,
    },
    /// No device of the journal was reached and brought in sync in time.
    #[error("could not reach your partner's device within {} s", waited.as_secs())]
    PartnerUnreachable {
        /// How long was waited.
        waited: Duration,
        /// The devices that were not in sync when time ran out.
        missing: Vec<crate::DeviceId>,
    },
    /// The journal was closed ([`Hearth::shutdown`](crate::Hearth::shutdown)).
    #[error(transparent)]
    Closed(#[from] Closed),
}
