//! Pairing with the partner's device, syncing on demand, and the device's status.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use hearth_crypto::Ticket;
use hearth_crypto::ticket::INVITATION_LIFETIME_MS;
use hearth_journal::{Member, MemberId, Owner, UnixMs};
use hearth_net::{EndpointId, NetEvent, NetworkMode, Outdated, PairingHandle, RelayUrl};
use tokio::sync::broadcast::error::RecvError;

use crate::events::Route;
use crate::{
    Closed, DeviceId, Hearth, InviteError, JoinError, JournalDevice, NewDevice, RemovedDevice,
    SyncError,
};

/// How often `sync_now` looks again at sessions that are already in sync.
const RECHECK: Duration = Duration::from_millis(250);
/// Once one device of the journal is in sync, how much longer [`Hearth::sync_now`] waits for the
/// others: a device that is off should not hold up an exchange that worked.
pub const OTHERS_AFTER_FIRST: Duration = Duration::from_secs(5);

/// The outcome of [`Hearth::sync_now`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SyncReport {
    /// Each device found in sync, with when it was.
    pub devices: Vec<SyncedDevice>,
    /// The devices of the journal that could not be reached meanwhile.
    pub unreachable: Vec<DeviceId>,
}

/// A device found in sync by [`Hearth::sync_now`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SyncedDevice {
    /// The device.
    pub device_id: DeviceId,
    /// When both sides had the same journal.
    pub at_ms: UnixMs,
}

/// The device and its partner devices, for a status display.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Status {
    /// This device.
    pub device_id: DeviceId,
    /// This person.
    pub member: Member,
    /// The journal's id.
    pub journal_id: String,
    /// Whether the shared journal is here.
    pub journal_ready: bool,
    /// The journal's home time zone, which decides the couple's day (the question of the day),
    /// by its name in the time zone database; `None` before one is set.
    pub home_zone: Option<String>,
    /// Whether the couple starts small (see [`crate::Hearth::set_start_small`]).
    pub start_small: bool,
    /// The paired devices.
    pub partner_devices: Vec<DeviceStatus>,
    /// Where this device can be reached directly now (empty while the network is off).
    pub addresses: Vec<SocketAddr>,
    /// The relays through which it can be reached now (empty while the network is off).
    pub relays: Vec<RelayUrl>,
    /// The network mode in use.
    pub network: NetworkMode,
    /// Whether the network runs.
    pub network_running: bool,
    /// Whether this device announces itself and looks for its partner's devices on the local
    /// network (mDNS) while the network runs.
    pub lan_discovery: bool,
    /// The journal's people, each with their devices (this person first).
    pub members: Vec<MemberDevices>,
    /// The journal's home devices.
    pub home_devices: Vec<JournalDevice>,
    /// Whether this is a home device.
    pub home: bool,
    /// The device that removed this one from the journal, once it was: this device syncs with
    /// nobody and keeps what it holds, read only.
    pub removed_by: Option<DeviceId>,
    /// The devices removed from the journal, oldest removal first.
    pub removed_devices: Vec<RemovedDevice>,
    /// The newest epoch of the journal key this device holds (0 until a device is removed).
    pub epoch: u32,
    /// The mailboxes this device exchanges with, and how the last exchanges went.
    pub mailboxes: Vec<crate::MailboxInfo>,
    /// Whether a device of the journal was found running a newer Hearth since this device
    /// started: the two cannot sync until this one is updated.
    pub update_this_device: bool,
}

impl Status {
    /// How to name a device of the journal to a person: "Bob's device" while Bob has one, "Bob's
    /// device “desk”" once he has several, "the home device “attic”", and "your partner's
    /// device" for one the journal does not name.
    pub fn device_label(&self, device: DeviceId) -> String {
        for m in &self.members {
            if let Some(d) = m.devices.iter().find(|d| d.id == device) {
                let whose = if m.me {
                    "your".to_owned()
                } else {
                    format!("{}'s", m.name)
                };
                return if m.devices.len() > 1 {
                    format!("{whose} device “{}”", d.name)
                } else {
                    format!("{whose} device")
                };
            }
        }
        if let Some(d) = self.home_devices.iter().find(|d| d.id == device) {
            return format!("the home device “{}”", d.name);
        }
        if let Some(d) = self.removed_devices.iter().find(|d| d.id == device) {
            return match &d.owner {
                None => format!("the home device “{}”", d.name),
                Some(_) if d.mine => format!("your device “{}”", d.name),
                Some(o) => format!("{o}'s device “{}”", d.name),
            };
        }
        "your partner's device".to_owned()
    }
}

/// A person of the journal and their devices.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MemberDevices {
    /// The member's id.
    pub id: MemberId,
    /// Their name.
    pub name: String,
    /// Whether it is the person using this device.
    pub me: bool,
    /// Their devices.
    pub devices: Vec<JournalDevice>,
}

/// A paired device's connection.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DeviceStatus {
    /// The device.
    pub device_id: DeviceId,
    /// Its owner's name.
    pub name: String,
    /// Its owner's member id.
    pub member_id: String,
    /// When it was paired.
    pub paired_at_ms: UnixMs,
    /// Whether it is connected now.
    pub online: bool,
    /// The path in use, while connected.
    pub route: Option<Route>,
    /// When both sides last had the same journal, since this device started.
    pub last_synced_ms: Option<UnixMs>,
    /// Sync messages sent to it since this device started.
    pub messages_sent: u64,
    /// Sync messages received from it since this device started.
    pub messages_received: u64,
    /// Bytes sent to it since this device started.
    pub bytes_sent: u64,
    /// Bytes received from it since this device started.
    pub bytes_received: u64,
}

impl Hearth {
    /// Opens an invitation for a new device of the journal (valid ten minutes): the ticket to
    /// show as a QR code and as text, and the pairing it leads to. `device_for` says whose the
    /// new device is; `None` means the partner's while the journal has one person, else another
    /// of this person's.
    pub async fn invite(
        &self,
        device_for: Option<NewDevice>,
    ) -> Result<(Ticket, PairingHandle), InviteError> {
        let node = self.node()?.ok_or(InviteError::NetworkOff)?;
        if !self.journal_ready() {
            return Err(InviteError::NotReady);
        }
        let device_for = self
            .call(move |d| {
                let has_partner = d.members().len() > 1;
                let device_for = device_for.unwrap_or_else(|| d.default_invite());
                match device_for {
                    NewDevice::Partner if has_partner => Err(InviteError::PartnerAlreadyHere),
                    NewDevice::Mine if d.is_home() => Err(InviteError::NobodysDevice),
                    _ => {
                        d.invite_for = Some(device_for);
                        Ok(device_for)
                    }
                }
            })
            .await??;
        tracing::debug!(device_for = device_for.as_str(), "invitation opened");
        node.invite(INVITATION_LIFETIME_MS)
            .await
            .map_err(InviteError::Net)
    }

    /// Whose a new device would be if invited now without saying: the partner's while the journal
    /// has one person, else this person's (a home device's: another home device).
    pub async fn default_invite(&self) -> Result<NewDevice, Closed> {
        self.call(|d| d.default_invite()).await
    }

    /// Joins the partner's invitation from its text. A malformed or expired ticket is refused
    /// before anything is sent.
    pub async fn join(&self, ticket_text: &str) -> Result<PairingHandle, JoinError> {
        let node = self.node()?.ok_or(JoinError::NetworkOff)?;
        let now = UnixMs::now().as_unsigned_millis();
        let ticket = Ticket::from_text(ticket_text, now).map_err(JoinError::Ticket)?;
        if ticket.endpoint_id() == node.id().as_bytes() {
            return Err(JoinError::OwnTicket);
        }
        // A device removed from its journal may join another; it only lets the old one's
        // devices in until then.
        let published = self.core.published.borrow();
        if !published.peers.is_empty() && !published.passive {
            return Err(JoinError::AlreadyPaired);
        }
        drop(published);
        Ok(node.join(ticket))
    }

    /// Connects to every device of the journal now and waits until each has the same journal as
    /// this one, or `timeout` passes. Once one device is in sync, the others are waited for a few
    /// seconds more ([`OTHERS_AFTER_FIRST`]) and named in the report if they were not reached; it
    /// fails only if no device was.
    pub async fn sync_now(&self, timeout: Duration) -> Result<SyncReport, SyncError> {
        let node = self.node()?.ok_or(SyncError::NetworkOff)?;
        if let Some(by) = self.call(|d| d.removed_by()).await? {
            return Err(SyncError::Removed { by });
        }
        let peers: Vec<EndpointId> = self
            .core
            .published
            .borrow()
            .peers
            .iter()
            .map(|p| p.id)
            .collect();
        if peers.is_empty() {
            return Err(SyncError::NotPaired);
        }
        // Subscribe before dialing, so that no `Synced` is missed.
        let mut events = node.events();
        node.dial_now();
        node.local_change();
        let mut deadline = tokio::time::Instant::now() + timeout;
        let mut synced: BTreeMap<EndpointId, UnixMs> = BTreeMap::new();
        let mut peers = peers;
        // Whether the wait was cut short for the first device found in sync.
        let mut shortened = false;
        loop {
            // Devices the journal names that this one learned of meanwhile count too.
            for peer in self.core.published.borrow().peers.iter() {
                if !peers.contains(&peer.id) {
                    peers.push(peer.id);
                }
            }
            for peer in &peers {
                if !synced.contains_key(peer) && self.in_sync_now(*peer).await? {
                    synced.insert(*peer, UnixMs::now());
                }
            }
            let now = tokio::time::Instant::now();
            if !synced.is_empty() && !shortened {
                shortened = true;
                deadline = deadline.min(now + OTHERS_AFTER_FIRST);
            }
            let missing: Vec<DeviceId> = peers
                .iter()
                .filter(|p| !synced.contains_key(*p))
                .map(|p| DeviceId::new(*p))
                .collect();
            if missing.is_empty() || (now >= deadline && !synced.is_empty()) {
                let devices = synced
                    .into_iter()
                    .map(|(peer, at_ms)| SyncedDevice {
                        device_id: DeviceId::new(peer),
                        at_ms,
                    })
                    .collect();
                return Ok(SyncReport {
                    devices,
                    unreachable: missing,
                });
            }
            if now >= deadline {
                return Err(SyncError::PartnerUnreachable {
                    waited: timeout,
                    missing,
                });
            }
            let wake = (now + RECHECK).min(deadline);
            tokio::select! {
                event = events.recv() => match event {
                    Ok(NetEvent::Synced { peer, at_ms }) if peers.contains(&peer) => {
                        synced.insert(peer, at_ms);
                    }
                    Ok(NetEvent::RemovedFromJournal { by }) => {
                        return Err(SyncError::Removed { by: DeviceId::new(by) });
                    }
                    Ok(NetEvent::VersionMismatch { peer, outdated: Outdated::ThisDevice })
                        if synced.is_empty() =>
                    {
                        return Err(SyncError::UpdateThisDevice { device: DeviceId::new(peer) });
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => tokio::time::sleep_until(wake).await,
                },
                _ = tokio::time::sleep_until(wake) => {}
            }
        }
    }

    /// Whether a live session with `peer` shows it has exactly this journal.
    async fn in_sync_now(&self, peer: EndpointId) -> Result<bool, Closed> {
        self.call(move |d| d.in_sync(&peer)).await
    }

    /// The device, the journal, and each paired device's connection.
    pub async fn status(&self) -> Result<Status, Closed> {
        let (
            paired,
            member,
            (journal_id, home_zone, start_small),
            journal_ready,
            people,
            devices,
            home,
            removed_by,
        ) = self
            .call(|d| {
                let paired: Vec<_> = d.paired.iter().map(|(id, d)| (*id, d.clone())).collect();
                (
                    paired,
                    d.me(),
                    (
                        d.binding.journal_id.to_string(),
                        d.shared.home_zone(),
                        d.shared.start_small(),
                    ),
                    d.shared.is_ready(),
                    d.members(),
                    d.journal_devices(),
                    d.is_home(),
                    d.removed_by(),
                )
            })
            .await?;
        let (epoch, update_this_device, removed_devices, mailboxes) = self
            .call(|d| {
                (
                    d.epoch(),
                    d.outdated.values().any(|here| *here),
                    d.removed_journal_devices(),
                    d.settings.mailboxes.clone(),
                )
            })
            .await?;
        let node = self.node()?;
        let node = node.as_deref();
        let live = node.map(|n| n.status()).unwrap_or_default();
        let now = UnixMs::now();
        let seen = |mut device: JournalDevice| {
            let s = live.get(&device.id.endpoint());
            device.last_seen_ms = if device.this_device || s.is_some_and(|s| s.online) {
                Some(now)
            } else {
                s.and_then(|s| s.last_synced_ms)
            };
            device
        };
        let mut members: Vec<MemberDevices> = people
            .into_iter()
            .map(|m| MemberDevices {
                me: !home && m.id == member.id,
                id: m.id,
                name: m.name,
                devices: Vec::new(),
            })
            .collect();
        members.sort_by_key(|m| !m.me);
        let mut home_devices = Vec::new();
        for (owner, device) in devices {
            match owner {
                Owner::Home => home_devices.push(seen(device)),
                Owner::Member(id) => {
                    if let Some(m) = members.iter_mut().find(|m| m.id == id) {
                        m.devices.push(seen(device));
                    }
                }
            }
        }
        let partner_devices = paired
            .iter()
            .map(|(id, d)| {
                let s = live.get(&id.endpoint()).cloned().unwrap_or_default();
                DeviceStatus {
                    device_id: *id,
                    name: d.name.clone(),
                    member_id: d.member_id.clone(),
                    paired_at_ms: UnixMs::from_unsigned_millis(d.paired_at_ms),
                    online: s.online,
                    route: s.path.map(Route::from),
                    last_synced_ms: s.last_synced_ms,
                    messages_sent: s.messages_sent,
                    messages_received: s.messages_received,
                    bytes_sent: s.bytes_sent,
                    bytes_received: s.bytes_received,
                }
            })
            .collect();
        let addr = node.map(|node| node.addr());
        let addresses = addr.iter().flat_map(|a| a.ip_addrs().copied()).collect();
        let relays = addr.iter().flat_map(|a| a.relay_urls().cloned()).collect();
        Ok(Status {
            device_id: self.core.device,
            member,
            journal_id,
            journal_ready,
            home_zone,
            start_small,
            partner_devices,
            addresses,
            relays,
            network: self.core.network.clone(),
            network_running: node.is_some(),
            lan_discovery: self.core.lan_discovery,
            members,
            home_devices,
            home,
            removed_by,
            removed_devices,
            epoch,
            mailboxes,
            update_this_device,
        })
    }
}
