//! The journal's devices as this device sees them: its own record in the shared journal, the
//! records of every other device, and turning them into the devices it syncs with.
//!
//! Every device writes its own record (whose it is, its name, its exchange key, where it can be
//! reached); the device that invites a new one writes the newcomer's record at pairing, so that
//! the others learn of it from whichever device they next sync with. A device syncs with every
//! device whose record it holds, not only the one it paired with: a second laptop that paired
//! with its owner's first laptop finds the partner's phone through the record the first laptop
//! synced (docs/decisions/0007-devices-in-the-journal.md).

use hearth_crypto::ExchangePublic;
use hearth_journal::{DeviceRecord, MAX_DEVICE_ADDRS, MAX_DEVICE_NAME_CHARS, Owner, UnixMs};
use hearth_net::{RelayUrl, TransportAddr};
use hearth_store::{DocId, PairedDevice};

use crate::DeviceId;
use crate::device::Device;
use crate::paired::stored_addrs;

/// Whose a device is, as the person inviting it says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NewDevice {
    /// The partner's device: the partner becomes the journal's second member. Only while the
    /// journal has one member.
    Partner,
    /// Another device of the person inviting: their name, their entries.
    Mine,
    /// A home device: it keeps the journal for both and writes nothing of its own.
    Home,
}

impl NewDevice {
    /// The word the command line and the pairing data use.
    pub fn as_str(self) -> &'static str {
        match self {
            NewDevice::Partner => "partner",
            NewDevice::Mine => "me",
            NewDevice::Home => "home",
        }
    }
}

/// A device of the journal, for the status and the settings.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct JournalDevice {
    /// The device.
    pub id: DeviceId,
    /// Its name.
    pub name: String,
    /// Whether it is the device this runs on.
    pub this_device: bool,
    /// When it joined the journal.
    pub added_ms: UnixMs,
    /// When this device last saw it: now while connected (and for this device itself), else
    /// when they were last in sync since this device started.
    pub last_seen_ms: Option<UnixMs>,
    /// The newest epoch of the journal key it holds, as it last said.
    pub epoch: u32,
    /// Whether it was found running an older Hearth since this device started: the two cannot
    /// sync until it is updated.
    pub needs_update: bool,
    /// Whether its Hearth, as its record says, is older than this one: it syncs, but does not
    /// show evening debriefs, letters for later or rituals set together until it is updated.
    pub older_hearth: bool,
    /// Whether its Hearth, as its record says, is newer than this one: what it writes that this
    /// version does not know shows once this device is updated.
    pub newer_hearth: bool,
}

/// A device removed from the journal, for the status and the settings.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RemovedDevice {
    /// The device.
    pub id: DeviceId,
    /// Its name.
    pub name: String,
    /// Its owner's name; `None` for a home device.
    pub owner: Option<String>,
    /// Whether it was a device of the person using this one.
    pub mine: bool,
    /// The device that removed it.
    pub removed_by: DeviceId,
    /// When.
    pub removed_ms: UnixMs,
    /// Whether the device that removed it is itself removed: its removals can then be undone
    /// ([`crate::Hearth::undo_removals_by`]), which brings this device back.
    pub can_bring_back: bool,
}

/// A device's default name: its host name, as the operating system gives it.
pub(crate) fn default_device_name() -> String {
    let host = gethostname::gethostname();
    let name: String = host
        .to_string_lossy()
        .trim()
        .chars()
        .take(MAX_DEVICE_NAME_CHARS)
        .collect();
    if name.is_empty() {
        "this device".to_owned()
    } else {
        name
    }
}

impl Device {
    /// Whether this is a home device (it has no person).
    pub(crate) fn is_home(&self) -> bool {
        self.settings.home
    }

    /// Whose a new device is when the invitation does not say: the partner's while the journal
    /// has one person, else this person's (a home device's: another home device).
    pub(crate) fn default_invite(&self) -> NewDevice {
        if self.members().len() <= 1 {
            NewDevice::Partner
        } else if self.is_home() {
            NewDevice::Home
        } else {
            NewDevice::Mine
        }
    }

    /// Whose this device is.
    pub(crate) fn owner(&self) -> Owner {
        if self.is_home() {
            Owner::Home
        } else {
            Owner::Member(self.binding.member.clone())
        }
    }

    /// This device's name.
    pub(crate) fn device_name(&self) -> String {
        if self.settings.device_name.trim().is_empty() {
            default_device_name()
        } else {
            self.settings.device_name.clone()
        }
    }

    /// This device's record as it should read now, keeping the addresses the journal holds
    /// until the network says where it is.
    fn own_record(&self) -> DeviceRecord {
        let id = self.id.as_writer();
        let held = self.shared.devices().remove(&id);
        let (addrs, relay) = match (&self.reachable, held.as_ref()) {
            (Some(reachable), _) => reachable.clone(),
            (None, Some(r)) => (r.addrs.clone(), r.relay.clone()),
            (None, None) => (Vec::new(), None),
        };
        DeviceRecord {
            id,
            owner: self.owner(),
            name: self.device_name(),
            exchange: Some(*self.exchange.as_bytes()),
            added_ms: held.as_ref().map_or_else(UnixMs::now, |r| r.added_ms),
            addrs,
            relay,
            epoch: self.epoch(),
            removed: None,
        }
    }

    /// Writes this device's record into the shared journal if it is missing or out of date.
    /// A failure is logged: the next chance tries again.
    pub(crate) fn note_own_record(&mut self) {
        let record = self.own_record();
        self.put_record(&record);
        // And what this version reads, so the other devices can tell an older one it is.
        let id = record.id;
        if !self.broken
            && self.shared.is_ready()
            && self.shared.device_reads(&id) < hearth_journal::READS
            && let Err(e) = self.apply(DocId::Shared, |journal| {
                journal.note_reads(&id, hearth_journal::READS)
            })
        {
            tracing::warn!(error = %e, "could not say in the journal what this Hearth reads");
        }
    }

    /// Records where this device can be reached now, if that changed.
    pub(crate) fn note_own_addrs(&mut self, addrs: &[TransportAddr]) {
        let mut ips = Vec::new();
        let mut relay = None;
        for addr in addrs {
            match addr {
                TransportAddr::Ip(ip) => ips.push(ip.to_string()),
                TransportAddr::Relay(url) => relay = Some(url.to_string()),
                _ => {}
            }
        }
        ips.truncate(MAX_DEVICE_ADDRS);
        self.reachable = Some((ips, relay));
        self.note_own_record();
    }

    fn put_record(&mut self, record: &DeviceRecord) {
        if self.broken || !self.shared.is_ready() {
            return;
        }
        if self.shared.devices().get(&record.id) == Some(record) {
            return;
        }
        if let Err(e) = self.apply(DocId::Shared, |journal| journal.put_device(record)) {
            tracing::warn!(error = %e, "could not write this device's record into the journal");
        }
    }

    /// Writes the record of a device that just paired with this one.
    pub(crate) fn note_new_device(
        &mut self,
        id: DeviceId,
        owner: Owner,
        name: &str,
        exchange: Option<ExchangePublic>,
        addrs: &[TransportAddr],
    ) -> Result<(), crate::WriteError> {
        let record = DeviceRecord {
            id: id.as_writer(),
            owner,
            name: name.chars().take(MAX_DEVICE_NAME_CHARS).collect(),
            exchange: exchange.map(|e| *e.as_bytes()),
            added_ms: UnixMs::now(),
            addrs: stored_addrs(addrs)
                .into_iter()
                .filter(|a| a.parse::<std::net::SocketAddr>().is_ok())
                .take(MAX_DEVICE_ADDRS)
                .collect(),
            relay: addrs.iter().find_map(|a| match a {
                TransportAddr::Relay(url) => Some(url.to_string()),
                _ => None,
            }),
            epoch: 0,
            removed: None,
        };
        self.apply(DocId::Shared, |journal| journal.put_device(&record))
    }

    /// Takes every device the shared journal names into the devices this one syncs with, and
    /// refreshes where each can be reached; forgets every device the journal says was removed.
    /// Returns whether any device is new here.
    pub(crate) fn learn_devices(&mut self) -> bool {
        let mut learned = false;
        let names = self.member_names();
        let records = self.shared.devices();
        let epochs = self.shared.epochs();
        // Most received changes are entries: nothing to learn unless the records, the people's
        // names or the key's epochs changed since the last look.
        let seen = (records, names, epochs);
        if self.learned.as_ref() == Some(&seen) {
            return false;
        }
        let (records, names, epochs) = seen;
        let judged = hearth_journal::judge_removals(&records);
        let mut all_kept = true;
        for (id, record) in &records {
            let Ok(device) = id.as_str().parse::<DeviceId>() else {
                continue;
            };
            if device == self.id {
                match &record.removed {
                    Some(removal) if judged.contains(id) => self.note_removed(&removal.by),
                    Some(_) => self.note_restored(),
                    // Told at another device's door, before the removal itself arrived: back
                    // once that device is judged removed (the removal was answered).
                    None if self
                        .settings
                        .removed_by
                        .as_deref()
                        .is_some_and(|by| judged.iter().any(|j| j.as_str() == by)) =>
                    {
                        self.note_restored()
                    }
                    None => {}
                }
                continue;
            }
            if judged.contains(id) {
                if self.paired.contains_key(&device) {
                    match self.store.remove_paired_device(*device.as_bytes()) {
                        Ok(_) => {
                            tracing::info!(device = %device, "a device was removed from the journal");
                            self.paired.remove(&device);
                        }
                        Err(e) => {
                            all_kept = false;
                            tracing::warn!(error = %e, "could not forget a removed device");
                        }
                    }
                }
                continue;
            }
            let (member_id, person) = match &record.owner {
                Owner::Member(m) => (
                    m.as_str().to_owned(),
                    names.get(m).cloned().unwrap_or_default(),
                ),
                Owner::Home => (String::new(), String::new()),
            };
            let mut addrs = record.addrs.clone();
            addrs.extend(
                record
                    .relay
                    .iter()
                    .filter(|r| r.parse::<RelayUrl>().is_ok())
                    .cloned(),
            );
            let known = self.paired.get(&device).cloned();
            let updated = match &known {
                Some(known) => {
                    // What this device saw itself is kept; the journal's addresses are added.
                    let mut merged = known.addrs.clone();
                    for a in &addrs {
                        if !merged.contains(a) {
                            merged.push(a.clone());
                        }
                    }
                    merged.truncate(MAX_DEVICE_ADDRS + 1);
                    let person = if person.is_empty() {
                        known.name.clone()
                    } else {
                        person
                    };
                    let same = merged == known.addrs
                        && known.member_id == member_id
                        && known.name == person;
                    (!same).then(|| PairedDevice {
                        member_id,
                        name: person,
                        addrs: merged,
                        ..known.clone()
                    })
                }
                None => Some(PairedDevice {
                    endpoint_id: *device.as_bytes(),
                    member_id,
                    name: person,
                    addrs,
                    paired_at_ms: record.added_ms.as_unsigned_millis(),
                }),
            };
            let Some(updated) = updated else {
                continue;
            };
            match self.store.put_paired_device(&updated) {
                Ok(()) => {
                    learned |= known.is_none();
                    if known.is_none() {
                        tracing::info!(device = %device, "learned of a device of the journal");
                    }
                    self.paired.insert(device, updated);
                }
                Err(e) => {
                    all_kept = false;
                    tracing::warn!(error = %e, "could not remember a device of the journal");
                }
            }
        }
        self.tend_epochs();
        // A store failure is tried again with the next change; so is a key left to make or
        // seal (`tend_epochs` changed the journal, and the next look sees that).
        let records = self.shared.devices();
        let epochs_now = self.shared.epochs();
        self.learned = (all_kept && epochs_now == epochs).then_some((records, names, epochs_now));
        self.publish();
        learned
    }

    /// Removes `device` from the journal and forgets it here. Returns whether it was a device of
    /// the journal.
    pub(crate) fn remove_device(&mut self, device: DeviceId) -> Result<bool, crate::UnpairError> {
        if device == self.id {
            return Err(crate::UnpairError::ThisDevice);
        }
        if self.removed_by().is_some_and(|by| by != device) {
            return Err(crate::UnpairError::RemovedHere);
        }
        let record = self.shared.devices().remove(&device.as_writer());
        let paired = self.paired.get(&device).cloned();
        let removed = self.shared.removed_devices();
        if paired.is_none() && record.as_ref().is_none_or(|r| removed.contains(&r.id)) {
            return Ok(false);
        }
        if self.shared.is_ready() {
            // A device from before records is removed with the record its pairing left here.
            let record = record.unwrap_or_else(|| DeviceRecord {
                id: device.as_writer(),
                owner: match paired.as_ref().map(|p| p.member_id.as_str()) {
                    Some("") | None => Owner::Home,
                    Some(m) => Owner::Member(hearth_journal::MemberId::new(m)),
                },
                name: paired
                    .as_ref()
                    .map(|p| format!("{}'s device", p.name))
                    .unwrap_or_default(),
                exchange: None,
                added_ms: paired.as_ref().map_or(UnixMs::EPOCH, |p| {
                    UnixMs::from_unsigned_millis(p.paired_at_ms)
                }),
                addrs: Vec::new(),
                relay: None,
                epoch: 0,
                removed: None,
            });
            let by = self.id.as_writer();
            self.apply(DocId::Shared, |journal| {
                journal.remove_device(&record, &by, UnixMs::now())
            })
            .map_err(crate::UnpairError::Write)?;
        }
        self.store
            .remove_paired_device(*device.as_bytes())
            .map_err(crate::UnpairError::Store)?;
        self.paired.remove(&device);
        // Judged anew (an answer to this device's own removal may bring it back), then a new
        // key, sealed to every device that stays.
        self.learned = None;
        self.learn_devices();
        Ok(true)
    }

    /// This device was removed from the journal by `by`: from now on it talks to nobody and
    /// writes nothing; what it holds stays, read only. Kept across restarts.
    pub(crate) fn note_removed(&mut self, by: &hearth_journal::DeviceRef) {
        if self.settings.removed_by.is_some() {
            return;
        }
        tracing::warn!(%by, "this device was removed from the journal");
        let by = by.as_str().to_owned();
        if let Err(e) = self.change_settings(|s| s.removed_by = Some(by.clone())) {
            tracing::warn!(error = %e, "could not remember that this device was removed");
        }
        self.publish();
        if let Ok(by) = by.parse::<DeviceId>() {
            self.emit(crate::Event::Removed { by });
        }
    }

    /// This device is no longer judged removed (its removal was answered or undone): it writes
    /// and syncs again.
    pub(crate) fn note_restored(&mut self) {
        if self.settings.removed_by.is_none() {
            return;
        }
        tracing::info!("this device is back in the journal: its removal no longer counts");
        if let Err(e) = self.change_settings(|s| s.removed_by = None) {
            tracing::warn!(error = %e, "could not remember that this device is back");
            return;
        }
        self.publish();
        self.emit(crate::Event::JournalChanged { by_partner: false });
    }

    /// Undoes every removal `remover` made, if it is itself removed: the devices it removed come
    /// back (the person chooses this when removing a lost or stolen device). Returns the devices
    /// whose removal was undone.
    pub(crate) fn undo_removals_by(
        &mut self,
        remover: DeviceId,
    ) -> Result<Vec<DeviceId>, crate::UnpairError> {
        if self.removed_by().is_some() {
            return Err(crate::UnpairError::RemovedHere);
        }
        let remover = remover.as_writer();
        let victims: Vec<hearth_journal::DeviceRef> = self
            .shared
            .devices()
            .into_values()
            .filter(|r| {
                r.removed
                    .as_ref()
                    .is_some_and(|m| m.by == remover && m.undone.is_none())
            })
            .map(|r| r.id)
            .collect();
        if victims.is_empty() || !self.shared.removed_devices().contains(&remover) {
            return Ok(Vec::new());
        }
        let me = self.id.as_writer();
        self.apply(DocId::Shared, |journal| {
            victims
                .iter()
                .try_for_each(|v| journal.undo_removal(v, &me, UnixMs::now()))
        })
        .map_err(crate::UnpairError::Write)?;
        self.learned = None;
        self.learn_devices();
        Ok(victims
            .iter()
            .filter_map(|v| v.as_str().parse().ok())
            .collect())
    }

    /// The devices the journal counts as removed (as judged on every device), oldest removal
    /// first.
    pub(crate) fn removed_journal_devices(&self) -> Vec<RemovedDevice> {
        let records = self.shared.devices();
        let removed = hearth_journal::judge_removals(&records);
        let names = self.member_names();
        let mut out: Vec<RemovedDevice> = removed
            .iter()
            .filter_map(|id| {
                let record = records.get(id)?;
                let removal = record.removed.as_ref()?;
                Some(RemovedDevice {
                    id: id.as_str().parse().ok()?,
                    name: record.name.clone(),
                    owner: match &record.owner {
                        Owner::Home => None,
                        Owner::Member(m) => names.get(m).cloned(),
                    },
                    mine: !self.is_home() && record.owner == self.owner(),
                    removed_by: removal.by.as_str().parse().ok()?,
                    removed_ms: removal.at_ms,
                    can_bring_back: removed.contains(&removal.by),
                })
            })
            .collect();
        out.sort_by_key(|d| d.removed_ms);
        out
    }

    /// The device that removed this one from the journal, once it was.
    pub(crate) fn removed_by(&self) -> Option<DeviceId> {
        self.settings
            .removed_by
            .as_deref()
            .and_then(|by| by.parse().ok())
    }

    fn member_names(&self) -> std::collections::BTreeMap<hearth_journal::MemberId, String> {
        self.members().into_iter().map(|m| (m.id, m.name)).collect()
    }

    /// The devices of the journal: this one's and every one it knows, by owner.
    pub(crate) fn journal_devices(&self) -> Vec<(Owner, JournalDevice)> {
        let records = self.shared.devices();
        let mut devices = vec![(
            self.owner(),
            JournalDevice {
                id: self.id,
                name: self.device_name(),
                this_device: true,
                added_ms: records
                    .get(&self.id.as_writer())
                    .map_or(UnixMs::EPOCH, |r| r.added_ms),
                last_seen_ms: None,
                epoch: self.epoch(),
                needs_update: false,
                older_hearth: false,
                newer_hearth: false,
            },
        )];
        for (id, paired) in &self.paired {
            let record = records.get(&id.as_writer());
            let owner = match record {
                Some(r) => r.owner.clone(),
                None if paired.member_id.is_empty() => Owner::Home,
                None => Owner::Member(hearth_journal::MemberId::new(paired.member_id.clone())),
            };
            let name = record
                .map(|r| r.name.clone())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format!("{}'s device", paired.name));
            devices.push((
                owner,
                JournalDevice {
                    id: *id,
                    name,
                    this_device: false,
                    added_ms: UnixMs::from_unsigned_millis(paired.paired_at_ms),
                    last_seen_ms: None,
                    epoch: record.map_or(0, |r| r.epoch),
                    needs_update: self.outdated.get(id) == Some(&false),
                    older_hearth: self.shared.device_reads(&id.as_writer()) < hearth_journal::READS,
                    newer_hearth: self.shared.device_reads(&id.as_writer()) > hearth_journal::READS,
                },
            ));
        }
        devices
    }
}
