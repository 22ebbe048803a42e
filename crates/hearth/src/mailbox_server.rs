//! Running a mailbox server (`hearth mailbox serve`): a small service that keeps sealed files for
//! the journals whose devices hold its ticket, and can read none of them
//! (docs/protocol.md, "Mailbox server"; docs/decisions/0010-mailbox-server.md).
//!
//! It needs no journal of its own: its identity and setup secret live in its storage, beside the
//! files it keeps, so a restart keeps its id and ticket.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use hearth_crypto::DeviceSecret;
use hearth_mailbox::keeper::{Keeper, KeeperError, Limits};
use hearth_net::{NetConfig, NetworkMode};

use crate::os::random;

/// Where a mailbox server keeps its files.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerStorage {
    /// A folder on the server's disk.
    Folder(PathBuf),
    /// A bucket of S3-compatible object storage, under a prefix. The endpoint, region and
    /// credentials come from the usual environment variables (`AWS_ENDPOINT_URL`,
    /// `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`; `AWS_ALLOW_HTTP=true` for an
    /// endpoint over plain HTTP).
    S3 {
        /// The bucket.
        bucket: String,
        /// The prefix inside it ("" for the whole bucket).
        prefix: String,
    },
}

impl ServerStorage {
    /// Reads `--storage`: `s3://BUCKET/PREFIX` for object storage, anything else a folder.
    pub fn parse(text: &str) -> Result<ServerStorage, ServerError> {
        match text.strip_prefix("s3://") {
            Some(rest) => {
                let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                if bucket.is_empty() {
                    return Err(ServerError::Open {
                        place: text.to_owned(),
                        source: "an S3 storage is written s3://BUCKET/PREFIX".into(),
                    });
                }
                Ok(ServerStorage::S3 {
                    bucket: bucket.to_owned(),
                    prefix: prefix.trim_matches('/').to_owned(),
                })
            }
            None => Ok(ServerStorage::Folder(PathBuf::from(text))),
        }
    }
}

impl std::fmt::Display for ServerStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServerStorage::Folder(dir) => write!(f, "{}", dir.display()),
            ServerStorage::S3 { bucket, prefix } => write!(f, "s3://{bucket}/{prefix}"),
        }
    }
}

/// How a mailbox server runs.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// Where it keeps its files and identity.
    pub storage: ServerStorage,
    /// The UDP address to bind (any free port on every interface if `None`).
    pub bind: Option<SocketAddr>,
    /// Which network services it uses: by default iroh's public relays, so devices anywhere
    /// reach it.
    pub network: NetworkMode,
    /// Bytes of files one journal may keep.
    pub quota_bytes: u64,
    /// Trust a relay's self-signed certificate: for the in-process relay of tests only.
    #[cfg(feature = "test-utils")]
    pub insecure_relay_tls: bool,
}

impl ServerOptions {
    /// A server keeping its files in `storage`, with the default network and limits.
    pub fn new(storage: ServerStorage) -> ServerOptions {
        ServerOptions {
            storage,
            bind: None,
            network: NetworkMode::Default,
            quota_bytes: Limits::default().quota_bytes,
            #[cfg(feature = "test-utils")]
            insecure_relay_tls: false,
        }
    }
}

/// Why a mailbox server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The storage could not be opened.
    #[error("could not open the mailbox server's storage at {place}")]
    Open {
        /// Where.
        place: String,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The storage holds no usable identity, or could not be read.
    #[error(transparent)]
    Storage(#[from] KeeperError),
    /// No randomness for a new identity.
    #[error("the system gave no randomness for the server's identity")]
    Randomness(#[source] getrandom::Error),
    /// The network could not start.
    #[error(transparent)]
    Network(#[from] hearth_net::StartError),
}

/// A running mailbox server.
#[derive(Debug)]
pub struct MailboxServer {
    inner: hearth_net::mailbox::MailboxServer,
}

impl MailboxServer {
    /// Opens the storage (making the server's identity the first time) and starts serving.
    pub async fn start(options: ServerOptions) -> Result<MailboxServer, ServerError> {
        let open = |e: Box<dyn std::error::Error + Send + Sync>| ServerError::Open {
            place: options.storage.to_string(),
            source: e,
        };
        let store: Arc<dyn object_store::ObjectStore> = match &options.storage {
            ServerStorage::Folder(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| open(Box::new(e)))?;
                Arc::new(
                    object_store::local::LocalFileSystem::new_with_prefix(dir)
                        .map_err(|e| open(Box::new(e)))?,
                )
            }
            ServerStorage::S3 { bucket, prefix } => {
                // The S3 client's TLS uses ring, as iroh's does; installed once per process (a
                // second install finds it there, which is fine).
                let _ = rustls::crypto::ring::default_provider().install_default();
                let s3 = object_store::aws::AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .build()
                    .map_err(|e| open(Box::new(e)))?;
                if prefix.is_empty() {
                    Arc::new(s3)
                } else {
                    Arc::new(object_store::prefix::PrefixStore::new(s3, prefix.as_str()))
                }
            }
        };
        let fresh = zeroize::Zeroizing::new(random::<48>().map_err(ServerError::Randomness)?);
        let limits = Limits {
            quota_bytes: options.quota_bytes,
            ..Limits::default()
        };
        let (keeper, identity) = Keeper::open(store, limits, &fresh).await?;
        let mut config = NetConfig::new(
            DeviceSecret::from_bytes(*identity.secret_key),
            options.network,
        );
        config.bind = options.bind;
        // A server is found by its ticket, never on the LAN.
        config.mdns = false;
        #[cfg(feature = "test-utils")]
        {
            config.insecure_relay_tls = options.insecure_relay_tls;
        }
        let inner =
            hearth_net::mailbox::MailboxServer::spawn(config, keeper, identity.setup).await?;
        Ok(MailboxServer { inner })
    }

    /// The ticket to give to the couples it serves (`hearthbox1...`): it reaches the server and
    /// lets a journal start keeping files there.
    pub async fn ticket(&self) -> String {
        self.inner.ticket().await.to_text()
    }

    /// The server's name on the couple's devices: the first 8 characters of its id.
    pub fn name(&self) -> String {
        data_encoding::HEXLOWER.encode(&self.inner.id().as_bytes()[..4])
    }

    /// Stops serving: running exchanges end, and the storage is left as it is.
    pub async fn shutdown(self) {
        self.inner.shutdown().await;
    }
}
