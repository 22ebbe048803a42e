//! The journals the figures run on. A couple's two devices are created and paired over loopback
//! through the facade, exactly as people do it; then, with both devices off, the inviter's
//! journal is filled with a generated history and stored as one compacted snapshot. Every figure
//! opens copies of these directories, so each run starts from the same bytes.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use hearth::{
    Event, Filter, Hearth, KdfParams, NetworkMode, Options, PairingEvent, PairingHandle, Passphrase,
};
use hearth_journal::{DeviceRef, Journal, Stamp, UnixMs};
use hearth_store::{DocId, Store, StoredDoc};
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::RecvError;

use crate::fill::{People, Written, fill};
use crate::rng::Rng;

/// The passphrase of every generated device.
const PASSPHRASE: &str = "a quiet evening by the fire";
/// Generous bounds on steps that take well under a second when nothing is wrong.
const STEP_TIMEOUT: Duration = Duration::from_secs(120);

pub fn passphrase() -> Passphrase {
    Passphrase::new(PASSPHRASE)
}

/// Loopback, no relay, no mDNS, and the fast key derivation: Argon2id is measured on its own.
pub fn options(bind: SocketAddr, network: bool) -> Options {
    Options {
        network: Some(NetworkMode::Local),
        bind: Some(bind),
        mdns: false,
        kdf: KdfParams::insecure_fast_for_tests(),
        start_network: network,
        ..Options::default()
    }
}

pub fn any_port() -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, 0))
}

/// Two paired devices at rest: Ada's holds the generated history, Ben's the journal as it was
/// when they paired (its structure and the two members, nothing more).
pub struct Couple {
    pub ada: PathBuf,
    pub ben: PathBuf,
    /// Where each listened when they paired; each is opened there again so the other finds it.
    pub ada_addr: SocketAddr,
    pub ben_addr: SocketAddr,
    /// The two shared journals as stored, in Automerge's saved form.
    pub ada_doc: Vec<u8>,
    pub ben_doc: Vec<u8>,
    pub people: People,
    pub written: Written,
}

impl Couple {
    /// Ada's stamp on the `n`th change a figure makes in memory, with the journal alone: each a
    /// millisecond after the one before, all after the generated journal's last day.
    pub fn ada_in_memory(&self, n: usize) -> Stamp {
        Stamp {
            member: self.people.members[0].clone(),
            device: DeviceRef::new("ada"),
            now_ms: UnixMs::from_millis(1_900_000_000_000 + n as i64),
        }
    }
}

/// Creates and pairs two devices under `root`, then writes `entries` entries into Ada's journal.
pub async fn couple(
    root: &Path,
    label: &str,
    entries: usize,
    rng: &mut Rng,
) -> anyhow::Result<Couple> {
    let ada_dir = root.join(format!("{label}-ada"));
    let ben_dir = root.join(format!("{label}-ben"));
    let ada = Hearth::create(&ada_dir, &passphrase(), "Ada", options(any_port(), true)).await?;
    let ben = Hearth::create(&ben_dir, &passphrase(), "Ben", options(any_port(), true)).await?;
    pair(&ada, &ben).await?;
    let (x, y) = tokio::join!(ada.sync_now(STEP_TIMEOUT), ben.sync_now(STEP_TIMEOUT));
    x.context("the new pair syncs (Ada)")?;
    y.context("the new pair syncs (Ben)")?;
    let ada_addr = loopback_addr(&ada).await?;
    let ben_addr = loopback_addr(&ben).await?;
    let people = People {
        members: [ada.me().await?.id, ben.me().await?.id],
        devices: [
            DeviceRef::new(ada.status().await?.device_id.to_string()),
            DeviceRef::new(ben.status().await?.device_id.to_string()),
        ],
    };
    ada.shutdown().await;
    ben.shutdown().await;

    let mut history = rng.fork();
    let (ada_doc, written, people) = {
        let dir = ada_dir.clone();
        tokio::task::spawn_blocking(move || {
            fill_store(&dir, &people, entries, &mut history).map(|(d, w)| (d, w, people))
        })
        .await??
    };
    let ben_doc = stored_doc(&ben_dir)?;
    Ok(Couple {
        ada: ada_dir,
        ben: ben_dir,
        ada_addr,
        ben_addr,
        ada_doc,
        ben_doc,
        people,
        written,
    })
}

/// The loopback address a running device listens on.
pub async fn loopback_addr(h: &Hearth) -> anyhow::Result<SocketAddr> {
    h.status()
        .await?
        .addresses
        .into_iter()
        .find(|a| a.ip().is_loopback())
        .context("the device has no loopback address")
}

async fn drive(mut handle: PairingHandle) -> anyhow::Result<()> {
    loop {
        match tokio::time::timeout(STEP_TIMEOUT, handle.next()).await {
            Err(_) => bail!("pairing stalled"),
            Ok(Some(PairingEvent::Compare(sas))) => handle.confirm(&sas, true),
            Ok(Some(PairingEvent::Paired { .. })) => return Ok(()),
            Ok(Some(PairingEvent::Failed(why))) => bail!("pairing failed: {why}"),
            Ok(Some(_)) => {}
            Ok(None) => bail!("pairing ended without an outcome"),
        }
    }
}

/// Pairs the two as people do: Ben joins Ada's invitation and both confirm the short string.
async fn pair(inviter: &Hearth, joiner: &Hearth) -> anyhow::Result<()> {
    pair_for(inviter, joiner, None).await
}

/// Pairs `joiner` as a device `device_for` says whose ([`Hearth::invite`]).
pub async fn pair_for(
    inviter: &Hearth,
    joiner: &Hearth,
    device_for: Option<hearth::NewDevice>,
) -> anyhow::Result<()> {
    let (ticket, invitation) = inviter.invite(device_for).await?;
    let joining = joiner.join(&ticket.to_text()).await?;
    let (a, b) = tokio::join!(drive(invitation), drive(joining));
    a.context("Ada's side of pairing")?;
    b.context("Ben's side of pairing")
}

/// A stored document as the facade loads it: the snapshot, then every chunk after it.
fn journal_of(stored: &StoredDoc, actor: [u8; 16]) -> anyhow::Result<Journal> {
    let mut journal = match &stored.snapshot {
        Some(snapshot) if !snapshot.is_empty() => Journal::load(snapshot, actor)?,
        _ => Journal::replica(actor),
    };
    for chunk in &stored.chunks {
        journal.load_incremental(chunk)?;
    }
    Ok(journal)
}

fn fill_store(
    dir: &Path,
    people: &People,
    entries: usize,
    rng: &mut Rng,
) -> anyhow::Result<(Vec<u8>, Written)> {
    let store = Store::open(dir, &passphrase())?;
    let stored = store.load(DocId::Shared)?;
    let mut journal = journal_of(&stored, rng.bytes())?;
    let written = fill(&mut journal, people, entries, rng)?;
    let snapshot = journal.save();
    store.compact(DocId::Shared, &snapshot, stored.mark)?;
    Ok((snapshot, written))
}

/// The shared journal stored in `dir`, saved whole.
fn stored_doc(dir: &Path) -> anyhow::Result<Vec<u8>> {
    let store = Store::open(dir, &passphrase())?;
    let stored = store.load(DocId::Shared)?;
    Ok(journal_of(&stored, [0; 16])?.save())
}

/// Copies a device's data directory (its files; it has no subdirectories).
pub fn copy_device(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// Both devices of a couple, running, on copies of their directories.
pub struct Live {
    pub ada: Hearth,
    pub ben: Hearth,
    _dir: tempfile::TempDir,
}

impl Live {
    pub async fn shutdown(self) {
        self.ada.shutdown().await;
        self.ben.shutdown().await;
    }
}

/// How Ada's journal reached Ben when the two were brought up.
pub struct Arrival {
    /// From Ben's open returning (his network up and dialing) to his holding her whole journal,
    /// stored durably.
    pub elapsed: Duration,
    /// Sealed frames both ways, as counted by the network.
    pub wire_bytes: u64,
}

/// Opens copies of both devices, Ada first, and waits for Ben to hold her whole journal.
pub async fn bring_up(couple: &Couple, scratch: &Path) -> anyhow::Result<(Live, Arrival)> {
    let dir = tempfile::tempdir_in(scratch)?;
    let (ada_dir, ben_dir) = (dir.path().join("ada"), dir.path().join("ben"));
    copy_device(&couple.ada, &ada_dir)?;
    copy_device(&couple.ben, &ben_dir)?;
    let ada = Hearth::open(&ada_dir, &passphrase(), options(couple.ada_addr, true)).await?;
    if loopback_addr(&ada).await? != couple.ada_addr {
        bail!(
            "port {} was taken by another program; run again",
            couple.ada_addr.port()
        );
    }
    let mut ada_events = ada.events();
    let ben = Hearth::open(&ben_dir, &passphrase(), options(couple.ben_addr, true)).await?;
    let start = Instant::now();
    let mut ben_events = ben.events();
    until_synced(&ben, &mut ben_events).await?;
    let elapsed = start.elapsed();
    until_synced(&ada, &mut ada_events).await?;
    let wire_bytes = quiet_wire(&ben).await?;
    let have = ben
        .timeline(&Filter::default(), None, usize::MAX)
        .await?
        .items
        .len();
    if have != couple.written.entries {
        bail!(
            "Ben holds {have} entries after the sync, not {}",
            couple.written.entries
        );
    }
    Ok((
        Live {
            ada,
            ben,
            _dir: dir,
        },
        Arrival {
            elapsed,
            wire_bytes,
        },
    ))
}

/// Waits until `h` has been in sync with its partner since it started.
pub async fn until_synced(h: &Hearth, events: &mut Receiver<Event>) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + STEP_TIMEOUT;
    loop {
        let synced = h
            .status()
            .await?
            .partner_devices
            .iter()
            .any(|d| d.last_synced_ms.is_some());
        if synced {
            return Ok(());
        }
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Err(_) => bail!("no sync within {STEP_TIMEOUT:?}"),
            Ok(Ok(Event::Synced { .. })) => return Ok(()),
            Ok(Err(RecvError::Closed)) => bail!("the device stopped"),
            Ok(_) => {}
        }
    }
}

/// Bytes of sealed frames both ways, once the exchange has gone quiet.
async fn quiet_wire(h: &Hearth) -> anyhow::Result<u64> {
    let total = async || -> anyhow::Result<u64> {
        Ok(h.status()
            .await?
            .partner_devices
            .iter()
            .map(|d| d.bytes_sent + d.bytes_received)
            .sum())
    };
    let mut last = total().await?;
    for _ in 0..30 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = total().await?;
        if now == last {
            break;
        }
        last = now;
    }
    Ok(last)
}
