//! What a mailbox server keeps, and who it lets in (docs/protocol.md, "Mailbox server";
//! docs/decisions/0010-mailbox-server.md).
//!
//! The server keeps, in object storage (a folder, or an S3-compatible store):
//!
//! - `server/identity`: its iroh secret key and its setup secret, so a restart keeps its id and
//!   ticket;
//! - per journal (by opaque mailbox id) a `record`: the epoch it was last proven at, the verifier
//!   of that epoch's access token, and the devices it lets in;
//! - and the journal's files, exactly as a folder holds them, under `files/`.
//!
//! It never holds a journal key: it checks a token derived from one against a hash.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use hearth_crypto::mailbox::{access_verifier, max_file_len};
use hearth_crypto::ticket::SetupSecret;
use n0_future::StreamExt as _;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt as _, PutPayload};
use zeroize::Zeroizing;

use crate::proto::{Failure, Hello, MAX_HELLO_DEVICES, Refusal};
use crate::store::{Entry, MAX_ENTRIES};
use crate::wire::{Reader, count_u16};
use crate::{EXPIRY_MS, FileName};

/// At most this many devices stay on a journal's list: past it, new ones are not added.
pub const MAX_LISTED_DEVICES: usize = 4 * MAX_HELLO_DEVICES;

/// What a server allows each journal and all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of files one journal may keep.
    pub quota_bytes: u64,
    /// Journals the server keeps at most.
    pub max_journals: usize,
    /// Requests one journal's devices may make at once, together.
    pub burst: u32,
    /// And each second after.
    pub per_second: u32,
}

impl Default for Limits {
    /// 512 MiB a journal, 10,000 journals, 256 requests at once and 16 a second after: a couple's
    /// exchange takes a few requests a device.
    fn default() -> Self {
        Limits {
            quota_bytes: 512 * 1024 * 1024,
            max_journals: 10_000,
            burst: 256,
            per_second: 16,
        }
    }
}

/// Why the server's storage could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeeperError {
    /// The storage failed.
    #[error("the mailbox server's storage failed")]
    Storage(#[from] object_store::Error),
    /// A file in the storage is not what this server wrote.
    #[error("{0} in the mailbox server's storage is damaged")]
    Damaged(&'static str),
}

/// The server's identity, kept in its storage.
pub struct Identity {
    /// Its iroh secret key.
    pub secret_key: Zeroizing<[u8; 32]>,
    /// The secret its ticket carries.
    pub setup: SetupSecret,
}

/// A journal the server keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Record {
    epoch: u32,
    verifier: [u8; 32],
    devices: BTreeSet<[u8; 32]>,
}

const RECORD_MAGIC: &[u8; 4] = b"HMBR";
const IDENTITY_MAGIC: &[u8; 4] = b"HMBI";
const FORMAT: u8 = 1;

impl Record {
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(43 + 32 * self.devices.len());
        out.extend_from_slice(RECORD_MAGIC);
        out.push(FORMAT);
        out.extend_from_slice(&self.epoch.to_be_bytes());
        out.extend_from_slice(&self.verifier);
        out.extend_from_slice(&count_u16(self.devices.len()));
        for d in &self.devices {
            out.extend_from_slice(d);
        }
        out
    }

    fn decode(bytes: &[u8]) -> Option<Record> {
        let mut r = Reader(bytes);
        if r.take(4).ok()? != RECORD_MAGIC || r.u8().ok()? != FORMAT {
            return None;
        }
        let epoch = u32::from_be_bytes(r.array().ok()?);
        let verifier = r.array().ok()?;
        let devices = (0..r.count("devices", MAX_LISTED_DEVICES).ok()?)
            .map(|_| r.array())
            .collect::<Result<_, _>>()
            .ok()?;
        r.end().ok()?;
        Some(Record {
            epoch,
            verifier,
            devices,
        })
    }
}

/// A token bucket.
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// A journal the server let a device in to, for the requests that follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Admitted {
    /// The journal's mailbox id.
    pub mailbox_id: [u8; 16],
}

/// A mailbox server's storage and rules.
pub struct Keeper {
    store: Arc<dyn ObjectStore>,
    limits: Limits,
    setup: SetupSecret,
    /// One greeting at a time per journal changes its record.
    records: tokio::sync::Mutex<()>,
    buckets: Mutex<HashMap<[u8; 16], Bucket>>,
}

impl std::fmt::Debug for Keeper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Keeper({})", self.store)
    }
}

fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

fn journal_dir(id: &[u8; 16]) -> String {
    format!("journals/{}", hex(id))
}

fn record_path(id: &[u8; 16]) -> Path {
    Path::from(format!("{}/record", journal_dir(id)))
}

fn files_dir(id: &[u8; 16]) -> String {
    format!("{}/files", journal_dir(id))
}

fn file_path(id: &[u8; 16], name: &str) -> Result<Path, Failure> {
    FileName::parse(name).ok_or(Failure::BadName)?;
    Ok(Path::from(format!("{}/{name}", files_dir(id))))
}

fn storage_failed(e: object_store::Error) -> Failure {
    tracing::warn!(error = %e, "the mailbox server's storage failed");
    Failure::Storage
}

fn is_not_found(e: &object_store::Error) -> bool {
    matches!(e, object_store::Error::NotFound { .. })
}

impl Keeper {
    /// The keeper of the server whose storage is `store`, and the server's identity: read from
    /// the storage, or made from `fresh` (48 random bytes: the secret key, then the setup secret)
    /// and stored the first time, so that a restart keeps the server's id and ticket.
    pub async fn open(
        store: Arc<dyn ObjectStore>,
        limits: Limits,
        fresh: &[u8; 48],
    ) -> Result<(Keeper, Identity), KeeperError> {
        let path = Path::from("server/identity");
        let read = |bytes: &[u8]| -> Option<Identity> {
            let mut r = Reader(bytes);
            if r.take(4).ok()? != IDENTITY_MAGIC || r.u8().ok()? != FORMAT {
                return None;
            }
            let secret_key = Zeroizing::new(r.array().ok()?);
            let setup = SetupSecret::from_bytes(r.array().ok()?);
            r.end().ok()?;
            Some(Identity { secret_key, setup })
        };
        let identity = match store.get(&path).await {
            Ok(got) => {
                let bytes = Zeroizing::new(got.bytes().await?.to_vec());
                read(&bytes).ok_or(KeeperError::Damaged("the server's identity"))?
            }
            Err(e) if is_not_found(&e) => {
                let mut bytes = Zeroizing::new(Vec::with_capacity(53));
                bytes.extend_from_slice(IDENTITY_MAGIC);
                bytes.push(FORMAT);
                bytes.extend_from_slice(fresh);
                store.put(&path, PutPayload::from(bytes.to_vec())).await?;
                read(&bytes).expect("just written")
            }
            Err(e) => return Err(e.into()),
        };
        let keeper = Keeper {
            store,
            limits,
            setup: identity.setup.clone(),
            records: tokio::sync::Mutex::new(()),
            buckets: Mutex::new(HashMap::new()),
        };
        Ok((keeper, identity))
    }

    async fn record(&self, id: &[u8; 16]) -> Result<Option<Record>, KeeperError> {
        match self.store.get(&record_path(id)).await {
            Ok(got) => Record::decode(&got.bytes().await?)
                .map(Some)
                .ok_or(KeeperError::Damaged("a journal's record")),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn journals(&self) -> Result<usize, KeeperError> {
        let listed = self
            .store
            .list_with_delimiter(Some(&Path::from("journals")))
            .await?;
        Ok(listed.common_prefixes.len())
    }

    /// Decides on `device`'s greeting: lets it in to the journal it names, or says why not.
    /// A greeting that proves the journal's newest epoch the server knows may change the
    /// journal's list of devices: at that epoch it adds devices; at a newer epoch (a device was
    /// removed) it replaces the list. Only the setup secret lets a journal in the first time.
    pub async fn greet(
        &self,
        device: [u8; 32],
        hello: &Hello,
    ) -> Result<Result<Admitted, Refusal>, KeeperError> {
        let _one_at_a_time = self.records.lock().await;
        let id = hello.mailbox_id;
        let newest = hello.proofs.iter().max_by_key(|p| p.epoch);
        let named = || -> BTreeSet<[u8; 32]> {
            hello
                .devices
                .iter()
                .copied()
                .chain([device])
                .take(MAX_LISTED_DEVICES)
                .collect()
        };
        let record = match self.record(&id).await? {
            None => {
                let Some(setup) = &hello.setup else {
                    return Ok(Err(Refusal::UnknownJournal));
                };
                let Some(newest) = newest else {
                    return Ok(Err(Refusal::NotAllowed));
                };
                if !self.setup.matches(setup) {
                    return Ok(Err(Refusal::UnknownJournal));
                }
                if self.journals().await? >= self.limits.max_journals {
                    return Ok(Err(Refusal::Full));
                }
                let record = Record {
                    epoch: newest.epoch,
                    verifier: access_verifier(&newest.token),
                    devices: named(),
                };
                self.store
                    .put(&record_path(&id), PutPayload::from(record.encode()))
                    .await?;
                record
            }
            Some(mut record) => {
                let proven = hello.proofs.iter().any(|p| {
                    p.epoch == record.epoch && access_verifier(&p.token) == record.verifier
                });
                if let (true, Some(newest)) = (proven, newest) {
                    let before = record.clone();
                    if newest.epoch > record.epoch {
                        record = Record {
                            epoch: newest.epoch,
                            verifier: access_verifier(&newest.token),
                            devices: named(),
                        };
                    } else {
                        for d in named() {
                            if record.devices.len() >= MAX_LISTED_DEVICES {
                                break;
                            }
                            record.devices.insert(d);
                        }
                    }
                    if record != before {
                        self.store
                            .put(&record_path(&id), PutPayload::from(record.encode()))
                            .await?;
                    }
                }
                record
            }
        };
        if record.devices.contains(&device) {
            Ok(Ok(Admitted { mailbox_id: id }))
        } else {
            Ok(Err(Refusal::NotAllowed))
        }
    }

    /// Whether the journal's devices may make another request now.
    pub fn take_request(&self, journal: &Admitted) -> bool {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let burst = f64::from(self.limits.burst);
        let bucket = buckets.entry(journal.mailbox_id).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let refill =
            now.duration_since(bucket.at).as_secs_f64() * f64::from(self.limits.per_second);
        bucket.tokens = (bucket.tokens + refill).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Every file the journal keeps here.
    pub async fn list(&self, journal: &Admitted) -> Result<Vec<Entry>, Failure> {
        let prefix = files_dir(&journal.mailbox_id);
        let mut listed = self.store.list(Some(&Path::from(prefix.clone())));
        let mut out = Vec::new();
        while let Some(meta) = listed.next().await {
            let meta = meta.map_err(storage_failed)?;
            let location = meta.location.to_string();
            let Some(name) = location
                .strip_prefix(prefix.as_str())
                .and_then(|n| n.strip_prefix('/'))
            else {
                continue;
            };
            if FileName::parse(name).is_none() {
                continue;
            }
            out.push(Entry {
                name: name.to_owned(),
                size: meta.size,
                modified_ms: u64::try_from(meta.last_modified.timestamp_millis()).unwrap_or(0),
            });
            if out.len() > MAX_ENTRIES {
                return Err(Failure::QuotaFull);
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// A file's bytes, if it is there.
    pub async fn get(&self, journal: &Admitted, name: &str) -> Result<Option<Vec<u8>>, Failure> {
        let path = file_path(&journal.mailbox_id, name)?;
        match self.store.get(&path).await {
            Ok(got) => {
                if got.meta.size > max_file_len() as u64 {
                    return Err(Failure::TooLarge);
                }
                Ok(Some(got.bytes().await.map_err(storage_failed)?.to_vec()))
            }
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(storage_failed(e)),
        }
    }

    /// Writes a file whole, within the journal's quota.
    pub async fn put(&self, journal: &Admitted, name: &str, bytes: Vec<u8>) -> Result<(), Failure> {
        let path = file_path(&journal.mailbox_id, name)?;
        if bytes.len() > max_file_len() {
            return Err(Failure::TooLarge);
        }
        let files = self.list(journal).await?;
        let others = files.iter().filter(|e| e.name != name);
        let used: u64 = others.clone().map(|e| e.size).sum();
        if used.saturating_add(bytes.len() as u64) > self.limits.quota_bytes
            || others.count() >= MAX_ENTRIES
        {
            return Err(Failure::QuotaFull);
        }
        self.store
            .put(&path, PutPayload::from(bytes))
            .await
            .map_err(storage_failed)?;
        Ok(())
    }

    /// Deletes a file; one that is not there is not an error.
    pub async fn delete(&self, journal: &Admitted, name: &str) -> Result<(), Failure> {
        let path = file_path(&journal.mailbox_id, name)?;
        match self.store.delete(&path).await {
            Ok(()) => Ok(()),
            Err(e) if is_not_found(&e) => Ok(()),
            Err(e) => Err(storage_failed(e)),
        }
    }

    /// Deletes every file of every journal older than the expiry at `now_ms`; returns how many.
    pub async fn sweep(&self, now_ms: u64) -> Result<usize, KeeperError> {
        let mut listed = self.store.list(Some(&Path::from("journals")));
        let mut old = Vec::new();
        while let Some(meta) = listed.next().await {
            let meta = meta?;
            let modified = u64::try_from(meta.last_modified.timestamp_millis()).unwrap_or(0);
            let is_file = meta.location.as_ref().contains("/files/");
            if is_file && modified.saturating_add(EXPIRY_MS) < now_ms {
                old.push(meta.location);
            }
        }
        for path in &old {
            match self.store.delete(path).await {
                Ok(()) => {}
                Err(e) if is_not_found(&e) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(old.len())
    }
}
