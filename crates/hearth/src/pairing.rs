//! What the two devices hand each other when they pair, and taking it: the inviter adds the new
//! member, the joiner takes the journal key and starts an empty replica of the partner's journal.
//!
//! A device that wrote entries before it joined keeps them: its earlier journal is stored aside
//! (the record `carry_over`) and, once the first sync has brought the partner's journal, each of its
//! entries is written again into the shared journal under the same id. The two documents are never
//! merged: two independently created journals would hide each other's entries.

use hearth_crypto::ExchangePublic;
use hearth_crypto::pairing::{Grant, MAX_PAYLOAD_LEN};
use hearth_journal::{Content, Journal, Member, MemberId, Owner, Stamp, UnixMs};
use hearth_net::{BackendError, EndpointId, TransportAddr};
use hearth_store::{DocId, JournalBinding, PairedDevice};

use crate::device::{Binding, Device};
use crate::devices::NewDevice;
use crate::events::Event;
use crate::os::actor;
use crate::paired::stored_addrs;
use crate::persist::empty_doc;
use crate::{DeviceId, MAX_NAME_CHARS, WriteError};

/// The store's record of a journal of this device's own, written before it joined its partner's,
/// whose entries are still to be carried into the shared journal (empty when there is none).
pub(crate) const CARRY_OVER: &str = "carry_over";

/// Ids in the pairing payloads are short; anything longer is not from Hearth.
const MAX_ID_CHARS: usize = 64;

/// The store's record of the member whose entries the carried-over journal holds, when joining
/// made this device another member's (an invitation for "my other device").
pub(crate) const CARRY_OVER_AUTHOR: &str = "carry_over_author";

/// What the inviter hands the joiner beside the journal key.
#[derive(serde::Serialize, serde::Deserialize)]
struct GrantPayload {
    journal_id: String,
    members: Vec<MemberRecord>,
    inviter_member: String,
    /// Whose the joining device is. Absent from versions before several devices: the partner's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    device_for: Option<NewDevice>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct MemberRecord {
    id: String,
    name: String,
    joined_ms: UnixMs,
}

/// What the joiner tells the inviter about itself.
#[derive(serde::Serialize, serde::Deserialize)]
struct JoinerPayload {
    member_id: String,
    name: String,
    /// The joining device itself. Absent from versions before several devices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    device: Option<JoinerDevice>,
}

/// The joining device: its name, its exchange key, and whether it is a home device.
#[derive(serde::Serialize, serde::Deserialize)]
struct JoinerDevice {
    name: String,
    /// Its public exchange key, hex.
    exchange: String,
    home: bool,
}

/// Why pairing data could not be made or taken.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PairingDataError {
    /// The shared journal is not here yet, so it cannot be handed on.
    #[error("the journal has not been received yet")]
    NotReady,
    /// The payload would not fit in a pairing message.
    #[error("the pairing payload is {len} bytes; at most {MAX_PAYLOAD_LEN} fit")]
    TooLarge {
        /// Its size.
        len: usize,
    },
    /// The other device's payload is not what Hearth sends.
    #[error("the other device's pairing data is malformed")]
    Malformed(#[source] serde_json::Error),
    /// A field of the other device's payload is out of bounds.
    #[error("the other device's pairing data has an invalid {field}")]
    Invalid {
        /// Which field.
        field: &'static str,
    },
    /// The JSON could not be written.
    #[error("could not write the pairing data")]
    Encode(#[source] serde_json::Error),
    /// The invitation is for a home device, and this one is a person's (or the other way round).
    #[error("{}", wrong_kind(*invited, *joiner_is_home))]
    WrongKind {
        /// Whose the invitation said the new device would be.
        invited: NewDevice,
        /// Whether the joining device is a home device.
        joiner_is_home: bool,
    },
    /// The joining device runs a version of Hearth from before several devices and key epochs,
    /// whose sync this version no longer speaks.
    #[error("the new device runs an older version of Hearth; update Hearth on it, then pair again")]
    Outdated,
    /// The inviting device runs a version of Hearth from before several devices and key epochs.
    #[error(
        "the inviting device runs an older version of Hearth; update Hearth on it, then pair again"
    )]
    InviterOutdated,
}

fn wrong_kind(invited: NewDevice, joiner_is_home: bool) -> &'static str {
    match (invited, joiner_is_home) {
        (NewDevice::Home, false) => {
            "the invitation is for a home device; set one up with `hearth init --home` and join from it"
        }
        _ => "this is a home device: it can join only an invitation made for a home device",
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn valid_name(name: &str) -> bool {
    !name.trim().is_empty() && name.chars().count() <= MAX_NAME_CHARS
}

fn peer_data(field: &'static str) -> BackendError {
    BackendError::peer(PairingDataError::Invalid { field })
}

impl Device {
    /// Inviter: the journal key, with the journal's id and members.
    pub(crate) fn grant(&self) -> Result<Grant, BackendError> {
        let info = self
            .shared
            .info()
            .ok()
            .flatten()
            .ok_or_else(|| BackendError::local(PairingDataError::NotReady))?;
        let payload = GrantPayload {
            journal_id: info.id.as_str().to_owned(),
            members: info
                .members
                .into_iter()
                .map(|m| MemberRecord {
                    id: m.id.as_str().to_owned(),
                    name: m.name,
                    joined_ms: m.joined_ms,
                })
                .collect(),
            inviter_member: self.binding.member.as_str().to_owned(),
            device_for: Some(self.invite_for.unwrap_or(NewDevice::Partner)),
        };
        let bytes = serde_json::to_vec(&payload)
            .map_err(|e| BackendError::local(PairingDataError::Encode(e)))?;
        if bytes.len() > MAX_PAYLOAD_LEN {
            return Err(BackendError::local(PairingDataError::TooLarge {
                len: bytes.len(),
            }));
        }
        let key = self.binding.key.clone();
        Ok(Grant::new(key, bytes))
    }

    /// Joiner: this person's member id and name.
    pub(crate) fn joiner_payload(&self) -> Result<Vec<u8>, BackendError> {
        let me = self.me();
        serde_json::to_vec(&JoinerPayload {
            member_id: me.id.as_str().to_owned(),
            name: me.name,
            device: Some(JoinerDevice {
                name: self.device_name(),
                exchange: data_encoding::HEXLOWER.encode(self.exchange.as_bytes()),
                home: self.is_home(),
            }),
        })
        .map_err(|e| BackendError::local(PairingDataError::Encode(e)))
    }

    /// Inviter: the joiner becomes a member of the journal and a paired device.
    pub(crate) fn take_joiner(
        &mut self,
        peer: &EndpointId,
        payload: &[u8],
        addrs: Vec<TransportAddr>,
    ) -> Result<(), BackendError> {
        let joiner: JoinerPayload = serde_json::from_slice(payload)
            .map_err(|e| BackendError::peer(PairingDataError::Malformed(e)))?;
        let invited = self.invite_for.take().unwrap_or(NewDevice::Partner);
        let (device_name, exchange) = match &joiner.device {
            Some(d) => {
                if !valid_name(&d.name) {
                    return Err(peer_data("device name"));
                }
                let exchange = data_encoding::HEXLOWER
                    .decode(d.exchange.as_bytes())
                    .ok()
                    .and_then(|b| <[u8; 32]>::try_from(b).ok())
                    .ok_or_else(|| peer_data("exchange key"))?;
                if d.home != (invited == NewDevice::Home) {
                    return Err(BackendError::peer(PairingDataError::WrongKind {
                        invited,
                        joiner_is_home: d.home,
                    }));
                }
                (
                    d.name.trim().to_owned(),
                    ExchangePublic::from_bytes(exchange),
                )
            }
            None => return Err(BackendError::peer(PairingDataError::Outdated)),
        };
        let (owner, member_id, person) = match invited {
            NewDevice::Partner => {
                if !valid_id(&joiner.member_id) || joiner.member_id == self.binding.member.as_str()
                {
                    return Err(peer_data("member id"));
                }
                if !valid_name(&joiner.name) {
                    return Err(peer_data("name"));
                }
                let member = Member {
                    id: MemberId::new(joiner.member_id.clone()),
                    name: joiner.name.trim().to_owned(),
                    joined_ms: UnixMs::now(),
                };
                self.change(DocId::Shared, |journal, _| journal.put_member(&member))
                    .map_err(BackendError::local)?;
                (Owner::Member(member.id), joiner.member_id, member.name)
            }
            NewDevice::Mine => {
                let me = self.me();
                (
                    Owner::Member(me.id.clone()),
                    me.id.as_str().to_owned(),
                    me.name,
                )
            }
            NewDevice::Home => (Owner::Home, String::new(), String::new()),
        };
        let id = DeviceId::new(*peer);
        self.note_new_device(id, owner, &device_name, Some(exchange), &addrs)
            .map_err(BackendError::local)?;
        self.note_own_record();
        // The journal's newest key, sealed to the new device (it was given the first).
        self.tend_epochs();
        self.remember_device(peer, member_id, person, addrs)
    }

    /// Joiner: take the journal key, and start the shared journal as an empty replica that the
    /// first sync fills.
    pub(crate) fn take_grant(
        &mut self,
        peer: &EndpointId,
        grant: &Grant,
        addrs: Vec<TransportAddr>,
    ) -> Result<(), BackendError> {
        let payload: GrantPayload = serde_json::from_slice(grant.payload())
            .map_err(|e| BackendError::peer(PairingDataError::Malformed(e)))?;
        if !valid_id(&payload.journal_id) {
            return Err(peer_data("journal id"));
        }
        let inviter = payload
            .members
            .iter()
            .find(|m| m.id == payload.inviter_member)
            .ok_or_else(|| peer_data("inviter member"))?;
        if !valid_id(&inviter.id) || !valid_name(&inviter.name) {
            return Err(peer_data("inviter member"));
        }
        // Every inviter since devices had records says whose the new device is.
        let invited = payload
            .device_for
            .ok_or_else(|| BackendError::peer(PairingDataError::InviterOutdated))?;
        if self.is_home() != (invited == NewDevice::Home) {
            return Err(BackendError::local(PairingDataError::WrongKind {
                invited,
                joiner_is_home: self.is_home(),
            }));
        }
        let me = self.me();
        // Another device of the inviting person takes their member id and name.
        let (member_id, name) = match invited {
            NewDevice::Mine => (inviter.id.clone(), inviter.name.clone()),
            NewDevice::Partner | NewDevice::Home => (me.id.as_str().to_owned(), me.name.clone()),
        };
        let own_entries = self.shared.is_ready()
            && self
                .shared
                .scan()
                .entries
                .iter()
                .any(|e| !e.deleted && e.author == me.id);
        if own_entries && self.carry.is_none() {
            let bytes = self.shared.save();
            self.store
                .put_setting(CARRY_OVER_AUTHOR, me.id.as_str().as_bytes())
                .map_err(BackendError::local)?;
            self.store
                .put_setting(CARRY_OVER, &bytes)
                .map_err(BackendError::local)?;
            self.carry = Some(bytes);
        }
        let binding = JournalBinding {
            journal_key: grant.journal_key().clone(),
            journal_id: payload.journal_id.clone(),
            member_id,
        };
        self.store
            .set_journal_binding(&binding)
            .map_err(BackendError::local)?;
        self.binding = Binding::from_store(&binding);
        empty_doc(&self.store, DocId::Shared).map_err(BackendError::local)?;
        self.shared = Journal::replica(actor(&self.id).map_err(BackendError::local)?);
        // The keys of the journal left behind are no use in this one (and are not read back for
        // it: they name their journal).
        self.epoch_keys.clear();
        self.publish();
        // A device removed from another journal starts afresh in this one: it forgets that
        // journal's devices, and that it was removed there.
        self.learned = None;
        for old in std::mem::take(&mut self.paired).into_keys() {
            self.store
                .remove_paired_device(*old.as_bytes())
                .map_err(BackendError::local)?;
        }
        self.change_settings(|s| {
            s.name = name;
            s.removed_by = None;
        })
        .map_err(BackendError::local)?;
        self.remember_device(peer, inviter.id.clone(), inviter.name.clone(), addrs)
    }

    fn remember_device(
        &mut self,
        peer: &EndpointId,
        member_id: String,
        name: String,
        addrs: Vec<TransportAddr>,
    ) -> Result<(), BackendError> {
        let id = DeviceId::new(*peer);
        let device = PairedDevice {
            endpoint_id: *id.as_bytes(),
            member_id,
            name: name.clone(),
            addrs: stored_addrs(&addrs),
            paired_at_ms: UnixMs::now().as_unsigned_millis(),
        };
        self.store
            .put_paired_device(&device)
            .map_err(BackendError::local)?;
        self.paired.insert(id, device);
        self.publish();
        self.emit(Event::Paired { device: id, name });
        Ok(())
    }

    /// Writes the entries of this device's earlier journal into the shared journal, once it is
    /// here. Entries keep their ids, so doing it twice (after a crash) adds nothing. Returns
    /// whether anything was written.
    pub(crate) fn carry_over(&mut self) -> Result<bool, WriteError> {
        if !self.shared.is_ready() {
            return Ok(false);
        }
        let Some(bytes) = self.carry.as_ref() else {
            return Ok(false);
        };
        let actor = actor(&self.id).map_err(WriteError::Randomness)?;
        let old = match Journal::load(bytes, actor) {
            Ok(old) => Some(old),
            Err(e) => {
                tracing::warn!(error = %e, "the earlier journal cannot be read; its entries are not carried over");
                None
            }
        };
        let me = self.binding.member.clone();
        let partner = self
            .shared
            .info()
            .ok()
            .flatten()
            .and_then(|info| info.members.into_iter().find(|m| m.id != me))
            .map(|m| m.id);
        // The earlier journal's entries are this person's under the member id the device had
        // then (another, if it joined as a second device of its person).
        let author = match self.store.get_setting(CARRY_OVER_AUTHOR) {
            Ok(Some(bytes)) if !bytes.is_empty() => String::from_utf8(bytes)
                .map(MemberId::new)
                .unwrap_or_else(|_| me.clone()),
            _ => me.clone(),
        };
        if let Some(old) = old {
            copy_entries(&old, &mut self.shared, &author, &me, partner.as_ref());
        }
        self.store_change(DocId::Shared)?;
        // The entries are stored under their own ids: forgetting the setting may fail safely.
        if let Err(e) = self
            .store
            .put_setting(CARRY_OVER, &[])
            .and_then(|()| self.store.put_setting(CARRY_OVER_AUTHOR, &[]))
        {
            tracing::warn!(error = %e, "could not clear the carried-over journal");
        }
        self.carry = None;
        Ok(true)
    }
}

/// Copies `author`'s live entries, comments and reactions from `old` into `new` as `me`'s, each
/// in a transaction of its own so that one that cannot be copied leaves the others.
fn copy_entries(
    old: &Journal,
    new: &mut Journal,
    author: &MemberId,
    me: &MemberId,
    partner: Option<&MemberId>,
) {
    for entry in old.scan().entries {
        if entry.deleted || entry.author != *author {
            continue;
        }
        let stamp = Stamp {
            member: me.clone(),
            device: entry.device.clone(),
            now_ms: entry.created_ms,
        };
        let content = addressed(entry.content.clone(), partner);
        match new.transact(|j| j.write(&entry.id, &stamp, &content)) {
            Ok(()) | Err(hearth_journal::WriteError::Exists { .. }) => {}
            Err(e) => {
                tracing::warn!(id = %entry.id, error = %e, "an earlier entry could not be carried over");
                continue;
            }
        }
        for comment in entry.comments.iter().filter(|c| c.author == *author) {
            let at = Stamp {
                now_ms: comment.created_ms,
                device: comment.device.clone(),
                ..stamp.clone()
            };
            // A comment or reaction that cannot be copied is left out; the entry stays.
            let _ = new.transact(|j| j.comment(&entry.id, &comment.id, &at, &comment.text));
        }
        for emoji in entry.reactions.get(author).into_iter().flatten() {
            let _ = new.transact(|j| j.react(&entry.id, &stamp, emoji, true));
        }
    }
}

/// Entries written before there was a partner were addressed to nobody: address them now.
fn addressed(content: Content, partner: Option<&MemberId>) -> Content {
    let to_partner = |to: Option<MemberId>| to.or_else(|| partner.cloned());
    match content {
        Content::Gratitude { to, lines } => Content::Gratitude {
            to: to_partner(to),
            lines,
        },
        Content::Appreciation { to, body } => Content::Appreciation {
            to: to_partner(to),
            body,
        },
        Content::Bid {
            to,
            bid,
            body,
            response,
        } => Content::Bid {
            to: to_partner(to),
            bid,
            body,
            response,
        },
        other => other,
    }
}
