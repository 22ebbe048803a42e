//! A device for the network tests: a real journal in memory behind the `Backend` the network
//! asks, and helpers to start nodes on loopback.
#![allow(dead_code, missing_docs)]

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hearth_crypto::pairing::Grant;
use hearth_crypto::{DeviceSecret, JournalKey};
use hearth_journal::sync::{PeerSync, SyncMessage};
use hearth_journal::*;
use hearth_net::*;

pub struct Device {
    pub journal: Mutex<Journal>,
    pub key: Mutex<Option<JournalKey>>,
    /// The keys of epochs after the first, as a removal makes them.
    pub later_keys: Mutex<std::collections::BTreeMap<u32, JournalKey>>,
    pub paired: Mutex<HashMap<EndpointId, Vec<TransportAddr>>>,
    pub states: Mutex<HashMap<EndpointId, Vec<u8>>>,
    /// Each live session's sync state, and the outbox its messages go to.
    pub live: Mutex<HashMap<EndpointId, (PeerSync, Outbox)>>,
    pub member: MemberId,
    /// Each `sync_end` call once it has returned, in order: the peer, and the sync state it kept
    /// (none if no session with that peer was live).
    pub ended: Mutex<Vec<(EndpointId, Option<Vec<u8>>)>>,
    /// How long `sync_receive` waits before taking a message (zero: not at all).
    pub receive_delay: Mutex<Duration>,
    /// How many `sync_receive` calls of a message carrying changes have taken it and started
    /// waiting `receive_delay` (a message of heads alone, as a session in step trades, does not
    /// count).
    pub delayed_receives: std::sync::atomic::AtomicUsize,
    /// While set, `paired_peers` lists nobody, so this device's dialers find no address to dial:
    /// every session with it is one the other device dialed.
    pub no_dial: std::sync::atomic::AtomicBool,
}

static NEXT: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(1);

fn actor() -> [u8; 16] {
    [NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed); 16]
}

impl Device {
    /// A device that starts a journal.
    pub fn founder(name: &str) -> Arc<Device> {
        let member = Member {
            id: MemberId::new(name),
            name: name.into(),
            joined_ms: UnixMs::EPOCH,
        };
        let journal = Journal::create(
            &JournalId::new("j"),
            &member,
            LocalDate::from_days_since_epoch(20_000),
            UnixMs::EPOCH,
            actor(),
        )
        .expect("create");
        Arc::new(Device {
            journal: Mutex::new(journal),
            key: Mutex::new(Some(JournalKey::from_bytes([0x42; 32]))),
            later_keys: Mutex::default(),
            paired: Mutex::default(),
            states: Mutex::default(),
            live: Mutex::default(),
            member: member.id,
            ended: Mutex::default(),
            receive_delay: Mutex::default(),
            delayed_receives: Default::default(),
            no_dial: Default::default(),
        })
    }

    /// A device with no journal yet, waiting to join one.
    pub fn newcomer(name: &str) -> Arc<Device> {
        Arc::new(Device {
            journal: Mutex::new(Journal::replica(actor())),
            key: Mutex::new(None),
            later_keys: Mutex::default(),
            paired: Mutex::default(),
            states: Mutex::default(),
            live: Mutex::default(),
            member: MemberId::new(name),
            ended: Mutex::default(),
            receive_delay: Mutex::default(),
            delayed_receives: Default::default(),
            no_dial: Default::default(),
        })
    }

    pub fn write(&self, n: i64, text: &str) -> EntryId {
        let at = UnixMs::from_millis(n);
        let id = EntryId::new(at, [n as u8; 9]);
        let stamp = Stamp {
            member: self.member.clone(),
            device: DeviceRef::new("d"),
            now_ms: at,
        };
        self.journal
            .lock()
            .unwrap()
            .write(&id, &stamp, &Content::Journal { body: text.into() })
            .expect("write");
        id
    }

    pub fn texts(&self) -> Vec<String> {
        self.journal
            .lock()
            .unwrap()
            .scan()
            .entries
            .iter()
            .map(|e| e.content.main_text())
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("test backend: {0}")]
pub struct Oops(&'static str);

impl Device {
    fn sync_start_now(&self, peer: &EndpointId, outbox: Outbox) -> Result<(), BackendError> {
        let state = match self.states.lock().unwrap().get(peer) {
            Some(bytes) => PeerSync::restore(bytes).map_err(BackendError::local)?,
            None => PeerSync::new(),
        };
        self.live.lock().unwrap().insert(*peer, (state, outbox));
        Ok(())
    }

    fn sync_generate_now(&self, peer: &EndpointId) -> Result<(), BackendError> {
        let mut live = self.live.lock().unwrap();
        let (state, outbox) = live
            .get_mut(peer)
            .ok_or_else(|| BackendError::local(Oops("no session")))?;
        let message = self
            .journal
            .lock()
            .unwrap()
            .generate_sync_message(state)
            .map_err(BackendError::local)?;
        if let Some(message) = message {
            outbox.send(message);
        }
        Ok(())
    }

    fn sync_receive_now(
        &self,
        peer: &EndpointId,
        message: SyncMessage,
    ) -> Result<Reply, BackendError> {
        let mut live = self.live.lock().unwrap();
        let (state, outbox) = live
            .get_mut(peer)
            .ok_or_else(|| BackendError::local(Oops("no session")))?;
        let mut journal = self.journal.lock().unwrap();
        let before = journal.automerge_mut().get_heads();
        journal
            .receive_sync_message(state, message)
            .map_err(BackendError::peer)?;
        let changed = journal.automerge_mut().get_heads() != before;
        let reply = journal
            .generate_sync_message(state)
            .map_err(BackendError::local)?;
        if let Some(reply) = reply {
            outbox.send(reply);
        }
        let in_sync = journal.in_sync_with(state);
        self.states.lock().unwrap().insert(*peer, state.persist());
        Ok(Reply { changed, in_sync })
    }
}

/// An answer that is already here.
fn answered<T: Send + 'static>(value: T) -> Pending<T> {
    Box::pin(std::future::ready(value))
}

impl Backend for Device {
    fn journal_epochs(&self) -> Vec<u32> {
        if self.key.lock().unwrap().is_none() {
            return Vec::new();
        }
        std::iter::once(0)
            .chain(self.later_keys.lock().unwrap().keys().copied())
            .collect()
    }
    fn journal_key(&self, epoch: u32) -> Option<JournalKey> {
        match epoch {
            0 => self.key.lock().unwrap().clone(),
            later => self.later_keys.lock().unwrap().get(&later).cloned(),
        }
    }
    fn is_paired(&self, peer: &EndpointId) -> bool {
        self.paired.lock().unwrap().contains_key(peer)
    }
    fn paired_peers(&self) -> Vec<KnownPeer> {
        if self.no_dial.load(std::sync::atomic::Ordering::SeqCst) {
            return Vec::new();
        }
        self.paired
            .lock()
            .unwrap()
            .iter()
            .map(|(id, addrs)| KnownPeer {
                id: *id,
                addrs: addrs.clone(),
            })
            .collect()
    }
    fn remember_addrs(&self, peer: &EndpointId, addrs: Vec<TransportAddr>) -> Pending<()> {
        if let Some(a) = self.paired.lock().unwrap().get_mut(peer) {
            *a = addrs;
        }
        answered(())
    }
    fn sync_start(&self, peer: &EndpointId, outbox: Outbox) -> Pending<Result<(), BackendError>> {
        answered(self.sync_start_now(peer, outbox))
    }
    fn sync_generate(&self, peer: &EndpointId) -> Pending<Result<(), BackendError>> {
        answered(self.sync_generate_now(peer))
    }
    fn sync_receive(
        &self,
        peer: &EndpointId,
        message: SyncMessage,
    ) -> Pending<Result<Reply, BackendError>> {
        let delay = *self.receive_delay.lock().unwrap();
        let carries_changes = message.change_chunks() > 0;
        let reply = self.sync_receive_now(peer, message);
        if delay.is_zero() {
            return answered(reply);
        }
        // Slow to answer: the message is taken, the answer comes late.
        if carries_changes {
            self.delayed_receives
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        Box::pin(async move {
            tokio::time::sleep(delay).await;
            reply
        })
    }
    fn sync_end(&self, peer: &EndpointId) -> Pending<()> {
        let kept = self.live.lock().unwrap().remove(peer).map(|(state, _)| {
            let bytes = state.persist();
            self.states.lock().unwrap().insert(*peer, bytes.clone());
            bytes
        });
        self.ended.lock().unwrap().push((*peer, kept));
        answered(())
    }
    fn pairing_grant(&self) -> Pending<Result<Grant, BackendError>> {
        answered(
            self.journal_key(0)
                .ok_or_else(|| BackendError::local(Oops("no key")))
                .map(|key| Grant::new(key, b"journal j".to_vec())),
        )
    }
    fn pairing_payload(&self) -> Pending<Result<Vec<u8>, BackendError>> {
        answered(Ok(self.member.as_str().as_bytes().to_vec()))
    }
    fn paired_as_inviter(
        &self,
        peer: &EndpointId,
        _payload: &[u8],
        addrs: Vec<TransportAddr>,
    ) -> Pending<Result<(), BackendError>> {
        self.paired.lock().unwrap().insert(*peer, addrs);
        answered(Ok(()))
    }
    fn paired_as_joiner(
        &self,
        peer: &EndpointId,
        grant: &Grant,
        addrs: Vec<TransportAddr>,
    ) -> Pending<Result<(), BackendError>> {
        *self.key.lock().unwrap() = Some(grant.journal_key().clone());
        self.paired.lock().unwrap().insert(*peer, addrs);
        answered(Ok(()))
    }
}

static SECRET: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(1);

pub fn loopback_config() -> NetConfig {
    let n = SECRET.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut config = NetConfig::new(DeviceSecret::from_bytes([n; 32]), NetworkMode::Local);
    config.mdns = false;
    config.bind = Some(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)));
    config
}

pub async fn node(device: &Arc<Device>) -> Node {
    Node::spawn(loopback_config(), device.clone())
        .await
        .expect("node starts")
}

/// Pairs `joiner` with `inviter`'s open invitation, both people confirming.
pub async fn pair(inviter: &Node, joiner: &Node) {
    let (ticket, mut inv) = inviter.invite(60_000).await.expect("invite");
    let ticket =
        hearth_crypto::Ticket::from_text(&ticket.to_text(), now()).expect("ticket reads back");
    let mut join = joiner.join(ticket);
    let (a, b) = tokio::join!(drive(&mut inv), drive(&mut join));
    assert_eq!(a.digits(), b.digits(), "both screens show the same string");
}

/// Confirms the string when it shows and waits for `Paired`; returns the string.
pub async fn drive(handle: &mut PairingHandle) -> hearth_crypto::pairing::Sas {
    let mut sas = None;
    loop {
        match tokio::time::timeout(Duration::from_secs(30), handle.next())
            .await
            .expect("pairing stalls")
        {
            Some(PairingEvent::Compare(s)) => {
                sas = Some(s);
                handle.confirm(&s, true);
            }
            Some(PairingEvent::Paired { .. }) => return sas.expect("compared before paired"),
            Some(PairingEvent::Failed(why)) => panic!("pairing failed: {why}"),
            Some(_) => {}
            None => panic!("pairing ended without an outcome"),
        }
    }
}

pub fn now() -> u64 {
    UnixMs::now().as_unsigned_millis()
}

/// Waits until `check` holds, up to `secs` seconds.
pub async fn eventually(secs: u64, mut check: impl FnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while tokio::time::Instant::now() < deadline {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    check()
}
