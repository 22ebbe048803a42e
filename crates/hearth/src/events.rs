//! What a front end hears from a running `Hearth`, and the task translating the network's events.

use hearth_journal::{EntryId, SchemaWarning, UnixMs};
use hearth_net::{Misbehaviour, NetEvent};
use tokio::sync::broadcast;

use crate::DeviceId;

/// How a connection to a partner device travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Directly, within the local network.
    Lan,
    /// Directly, across the internet.
    Internet,
    /// Through a relay, which forwards packets it cannot read.
    Relayed,
    /// Not known yet.
    Unknown,
}

impl From<hearth_net::Path> for Route {
    fn from(path: hearth_net::Path) -> Self {
        match path {
            hearth_net::Path::Lan => Route::Lan,
            hearth_net::Path::Internet => Route::Internet,
            hearth_net::Path::Relayed => Route::Relayed,
            hearth_net::Path::Unknown => Route::Unknown,
        }
    }
}

/// Something to show or act on.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// An entry was written on this device.
    EntryAdded {
        /// The entry.
        id: EntryId,
        /// Whether it went to the private journal.
        private: bool,
        /// Always false: the partner's entries arrive as [`Event::JournalChanged`].
        by_partner: bool,
    },
    /// An entry was changed (edited, commented, reacted to, deleted, answered) on this device.
    EntryChanged {
        /// The entry.
        id: EntryId,
        /// Whether it is in the private journal.
        private: bool,
        /// Always false: the partner's changes arrive as [`Event::JournalChanged`].
        by_partner: bool,
    },
    /// The journal changed as a whole: changes from a partner device arrived, or the shared
    /// journal was received for the first time. Read it again.
    JournalChanged {
        /// Whether the change came from the partner.
        by_partner: bool,
    },
    /// A partner device came online, went offline, or changed path.
    Presence {
        /// The device.
        device: DeviceId,
        /// Whether it is connected now.
        online: bool,
        /// The path in use while connected.
        route: Option<Route>,
    },
    /// Both sides have the same journal.
    Synced {
        /// The device.
        device: DeviceId,
        /// When.
        at_ms: UnixMs,
    },
    /// A pairing completed on this device.
    Paired {
        /// The new partner device.
        device: DeviceId,
        /// Its owner's name.
        name: String,
    },
    /// This device was removed from the journal (by `by`): it syncs with nobody from now on,
    /// and keeps what it holds, read only.
    Removed {
        /// The device that removed it, or that told it so.
        by: DeviceId,
    },
    /// An exchange with a mailbox ran ([`Hearth::exchange_with_mailboxes`](crate::Hearth::exchange_with_mailboxes)).
    Mailbox {
        /// The mailbox's name.
        name: String,
        /// Whether this device left something new there.
        delivered: bool,
        /// Whether something new was picked up.
        picked_up: bool,
        /// Why it failed, if it did.
        error: Option<String>,
    },
    /// Something went wrong that the person may want to know about.
    Warning(Warning),
}

/// A warning for [`Event::Warning`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// Part of the journal does not fit the schema and is not shown.
    Schema(SchemaWarning),
    /// A paired device sent something it never should and was disconnected.
    Misbehaved {
        /// The device.
        device: DeviceId,
        /// What it did.
        what: Misbehaviour,
    },
    /// A device that is not paired tried to sync and was turned away.
    StrangerRefused {
        /// The device.
        device: DeviceId,
    },
    /// A device of the journal runs another version of Hearth, and the two cannot sync until
    /// the older one is updated.
    VersionMismatch {
        /// The other device.
        device: DeviceId,
        /// Whether the older one is this device (else it is the other).
        update_here: bool,
    },
}

/// The facade's event for a network event, if it has one.
pub(crate) fn translate(event: NetEvent) -> Option<Event> {
    let device = |peer: &hearth_net::EndpointId| DeviceId::new(*peer);
    Some(match event {
        NetEvent::PeerOnline { peer, path } | NetEvent::PathChanged { peer, path } => {
            Event::Presence {
                device: device(&peer),
                online: true,
                route: Some(path.into()),
            }
        }
        NetEvent::PeerOffline { peer } => Event::Presence {
            device: device(&peer),
            online: false,
            route: None,
        },
        // The owner tells of the change itself, as soon as it is stored (`sync_receive`).
        NetEvent::Received { .. } => return None,
        NetEvent::Synced { peer, at_ms } => Event::Synced {
            device: device(&peer),
            at_ms,
        },
        NetEvent::Misbehaved { peer, what } => Event::Warning(Warning::Misbehaved {
            device: device(&peer),
            what,
        }),
        NetEvent::StrangerRefused { peer } => Event::Warning(Warning::StrangerRefused {
            device: device(&peer),
        }),
        _ => return None,
    })
}

/// Forwards the network's events as the facade's until the network stops or `stop` is cancelled.
/// Being told this device was removed from the journal goes to the owner, which remembers it and
/// says so.
pub(crate) async fn forward(
    mut from: broadcast::Receiver<NetEvent>,
    to: broadcast::Sender<Event>,
    inbox: crate::owner::Inbox,
    stop: tokio_util::sync::CancellationToken,
) {
    loop {
        let next = tokio::select! {
            biased;
            _ = stop.cancelled() => return,
            next = from.recv() => next,
        };
        match next {
            Ok(NetEvent::VersionMismatch { peer, outdated }) => {
                let device = DeviceId::new(peer);
                let update_here = outdated == hearth_net::Outdated::ThisDevice;
                let _ = inbox
                    .call(move |d| d.note_version_mismatch(device, update_here))
                    .await;
                let _ = to.send(Event::Warning(Warning::VersionMismatch {
                    device,
                    update_here,
                }));
            }
            Ok(NetEvent::RemovedFromJournal { by }) => {
                let by = DeviceId::new(by).as_writer();
                // Closed: the device is shutting down.
                let _ = inbox.call(move |d| d.note_removed(&by)).await;
            }
            Ok(event) => {
                if let Some(event) = translate(event) {
                    // No receiver is fine: nobody listens right now.
                    let _ = to.send(event);
                }
            }
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::debug!(skipped = n, "network events skipped");
            }
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}
