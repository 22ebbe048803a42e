//! The mailbox protocol, `hearth/mailbox/1`, over iroh: the server a couple (or someone for many
//! couples) runs with `hearth mailbox serve`, and the device's side of it, which is one more
//! [`Mailbox`] beside a folder (docs/protocol.md, "Mailbox server").
//!
//! A device opens one connection and one stream per exchange, greets the server for its journal
//! ([`Hello`]), and then asks one thing at a time. The server decides on the greeting before it
//! reads or sends a byte of any file, and bounds every frame by the largest message there is.

use std::sync::Arc;
use std::time::Duration;

use hearth_crypto::ticket::MailboxTicket;
use hearth_mailbox::keeper::{Admitted, Keeper};
use hearth_mailbox::proto::{Failure, Hello, MAILBOX_ALPN, Message, Refusal, max_message};
use hearth_mailbox::{Entry, Mailbox, MailboxError};
use iroh::endpoint::{Connection, RecvStream, SendStream};
use iroh::protocol::{AcceptError, ProtocolHandler, Router};
use iroh::{Endpoint, EndpointAddr, EndpointId, RelayUrl};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::endpoint::{self, StartError};
use crate::node_state::unsigned_now;
use crate::{NetConfig, NetworkMode};

/// How long the server waits for a greeting, and the device for any reply.
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the server waits for a device's next request before it closes.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a frame's body may take once its length has arrived: a file at its largest over a
/// slow relay.
const BODY_TIMEOUT: Duration = Duration::from_secs(300);
/// How long a device waits to reach the server.
const DIAL_TIMEOUT: Duration = Duration::from_secs(20);
/// How often the server deletes what has expired.
const SWEEP_EVERY: Duration = Duration::from_secs(60 * 60);
/// At most this many MiB of requests are read into memory at once, over all connections.
const IN_FLIGHT_MIB: u32 = 512;
/// Code with which a side closes a connection after a finished exchange.
const CLOSE_DONE: u32 = 0;
/// Code with which the server closes a connection that broke the protocol.
const CLOSE_PROTOCOL: u32 = 1;

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error)]
enum FrameError {
    #[error("the other side finished")]
    Finished,
    #[error("no answer in time")]
    TimedOut,
    #[error("a message of {0} bytes, more than any message may be")]
    TooLarge(usize),
    #[error("the connection failed")]
    Read(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("not a message of the mailbox protocol")]
    Wire(#[from] hearth_mailbox::WireError),
}

async fn write_message(send: &mut SendStream, message: &Message) -> Result<(), FrameError> {
    let body = message.encode();
    let mut frame = Vec::with_capacity(4 + body.len());
    frame.extend_from_slice(
        &u32::try_from(body.len())
            .map_err(|_| FrameError::TooLarge(body.len()))?
            .to_be_bytes(),
    );
    frame.extend_from_slice(&body);
    send.write_all(&frame)
        .await
        .map_err(|e| FrameError::Read(Box::new(e)))
}

/// Reads one message, waiting `wait` for it to begin; `permits` (if any) bounds how much all
/// connections read into memory at once.
async fn read_message(
    recv: &mut RecvStream,
    wait: Duration,
    permits: Option<&Semaphore>,
) -> Result<Message, FrameError> {
    let mut len = [0u8; 4];
    match tokio::time::timeout(wait, recv.read_exact(&mut len)).await {
        Err(_) => return Err(FrameError::TimedOut),
        Ok(Err(iroh::endpoint::ReadExactError::FinishedEarly(0))) => {
            return Err(FrameError::Finished);
        }
        Ok(Err(e)) => return Err(FrameError::Read(Box::new(e))),
        Ok(Ok(())) => {}
    }
    let len = usize::try_from(u32::from_be_bytes(len)).unwrap_or(usize::MAX);
    if len > max_message() {
        return Err(FrameError::TooLarge(len));
    }
    let _permit = match permits {
        Some(p) => {
            let mib = u32::try_from((len >> 20) + 1).unwrap_or(IN_FLIGHT_MIB);
            Some(
                p.acquire_many(mib.min(IN_FLIGHT_MIB))
                    .await
                    .map_err(|e| FrameError::Read(Box::new(e)))?,
            )
        }
        None => None,
    };
    let mut body = vec![0u8; len];
    match tokio::time::timeout(BODY_TIMEOUT, recv.read_exact(&mut body)).await {
        Err(_) => Err(FrameError::TimedOut),
        Ok(Err(e)) => Err(FrameError::Read(Box::new(e))),
        Ok(Ok(())) => Ok(Message::decode(&body)?),
    }
}

/// Where a device with this id, relay and direct addresses is reached.
pub(crate) fn reach(
    id: &[u8; 32],
    relay: Option<&str>,
    direct: &[std::net::SocketAddr],
) -> Result<EndpointAddr, iroh::KeyParsingError> {
    let mut addr = EndpointAddr::new(iroh::PublicKey::from_bytes(id)?);
    if let Some(url) = relay.and_then(|u| u.parse::<RelayUrl>().ok()) {
        addr = addr.with_relay_url(url);
    }
    for ip in direct {
        addr = addr.with_ip_addr(*ip);
    }
    Ok(addr)
}

/// The addresses an endpoint can be reached at directly, for a ticket: those iroh found, and the
/// sockets it bound to a particular address.
pub(crate) fn direct_addrs(endpoint: &Endpoint) -> Vec<std::net::SocketAddr> {
    let mut direct: Vec<_> = endpoint.addr().ip_addrs().copied().collect();
    direct.extend(
        endpoint
            .bound_sockets()
            .into_iter()
            .filter(|a| !a.ip().is_unspecified()),
    );
    direct.sort();
    direct.dedup();
    direct.truncate(hearth_crypto::ticket::MAX_DIRECT_ADDRS);
    direct
}

/// A running mailbox server.
pub struct MailboxServer {
    router: Router,
    keeper: Arc<Keeper>,
    setup: hearth_crypto::ticket::SetupSecret,
    relays: bool,
    cancel: CancellationToken,
    tasks: TaskTracker,
}

impl std::fmt::Debug for MailboxServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "MailboxServer({})",
            self.router.endpoint().id().fmt_short()
        )
    }
}

impl MailboxServer {
    /// Starts a server whose identity is `config.secret_key` and whose setup secret is `setup`
    /// (both from the keeper's storage), keeping files with `keeper`.
    pub async fn spawn(
        config: NetConfig,
        keeper: Keeper,
        setup: hearth_crypto::ticket::SetupSecret,
    ) -> Result<MailboxServer, StartError> {
        let endpoint = endpoint::bind(&config, None).await?;
        let keeper = Arc::new(keeper);
        let cancel = CancellationToken::new();
        let tasks = TaskTracker::new();
        let door = Arc::new(crate::door::Door::new());
        let router = Router::builder(endpoint)
            .incoming_filter(Arc::new(move |incoming| door.filter(incoming)))
            .accept(
                MAILBOX_ALPN,
                Handler {
                    keeper: keeper.clone(),
                    permits: Arc::new(Semaphore::new(IN_FLIGHT_MIB as usize)),
                },
            )
            .spawn();
        let sweeper = keeper.clone();
        let stop = cancel.clone();
        tasks.spawn(async move {
            loop {
                match sweeper.sweep(unsigned_now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(files = n, "deleted expired mailbox files"),
                    Err(e) => tracing::warn!(error = %e, "could not delete expired files"),
                }
                tokio::select! {
                    _ = stop.cancelled() => return,
                    _ = tokio::time::sleep(SWEEP_EVERY) => {}
                }
            }
        });
        Ok(MailboxServer {
            router,
            keeper,
            setup,
            relays: config.mode != NetworkMode::Local,
            cancel,
            tasks,
        })
    }

    /// The server's identity.
    pub fn id(&self) -> EndpointId {
        self.router.endpoint().id()
    }

    /// The server's storage and rules.
    pub fn keeper(&self) -> &Keeper {
        &self.keeper
    }

    /// The ticket to give to those the server serves: how to reach it now, and its setup
    /// secret. With relays, waits a few seconds for one so the ticket can name it.
    pub async fn ticket(&self) -> MailboxTicket {
        let endpoint = self.router.endpoint();
        if self.relays {
            let _ = tokio::time::timeout(Duration::from_secs(5), endpoint.online()).await;
        }
        let relay = endpoint.addr().relay_urls().next().map(|u| u.to_string());
        MailboxTicket::new(
            *self.id().as_bytes(),
            self.setup.clone(),
            relay.filter(|u| u.len() <= hearth_crypto::ticket::MAX_RELAY_URL_LEN),
            direct_addrs(endpoint),
        )
        .expect("the relay URL and the addresses are bounded above")
    }

    /// Stops accepting, lets running exchanges end, and closes the endpoint.
    pub async fn shutdown(&self) {
        self.cancel.cancel();
        self.tasks.close();
        self.tasks.wait().await;
        if let Err(e) = self.router.shutdown().await {
            tracing::warn!(error = %e, "the mailbox server did not shut down cleanly");
        }
    }
}

/// Serves `hearth/mailbox/1`.
#[derive(Clone)]
struct Handler {
    keeper: Arc<Keeper>,
    permits: Arc<Semaphore>,
}

impl std::fmt::Debug for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MailboxHandler")
    }
}

impl ProtocolHandler for Handler {
    async fn accept(&self, conn: Connection) -> Result<(), AcceptError> {
        let device = *conn.remote_id().as_bytes();
        let Ok(Ok((mut send, mut recv))) =
            tokio::time::timeout(REPLY_TIMEOUT, conn.accept_bi()).await
        else {
            return Ok(());
        };
        let hello = match read_message(&mut recv, REPLY_TIMEOUT, None).await {
            Ok(Message::Hello(hello)) => hello,
            Err(FrameError::Wire(hearth_mailbox::WireError::Version(_))) => {
                let _ = write_message(&mut send, &Message::Refused(Refusal::Outdated)).await;
                let _ = send.finish();
                let _ = tokio::time::timeout(REPLY_TIMEOUT, conn.closed()).await;
                return Ok(());
            }
            _ => {
                conn.close(CLOSE_PROTOCOL.into(), b"expected a greeting");
                return Ok(());
            }
        };
        let admitted = match self.keeper.greet(device, &hello).await {
            Ok(Ok(admitted)) => admitted,
            Ok(Err(refusal)) => {
                tracing::info!(?refusal, "refused a device at the mailbox");
                let _ = write_message(&mut send, &Message::Refused(refusal)).await;
                let _ = send.finish();
                let _ = tokio::time::timeout(REPLY_TIMEOUT, conn.closed()).await;
                return Ok(());
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not decide on a greeting");
                let _ = write_message(&mut send, &Message::Failed(Failure::Storage)).await;
                let _ = send.finish();
                return Ok(());
            }
        };
        if write_message(&mut send, &Message::Welcome).await.is_err() {
            return Ok(());
        }
        loop {
            let request = match read_message(&mut recv, IDLE_TIMEOUT, Some(&self.permits)).await {
                Ok(request) => request,
                Err(FrameError::Finished) => break,
                Err(e) => {
                    tracing::debug!(error = %e, "a mailbox connection ended");
                    conn.close(CLOSE_PROTOCOL.into(), b"bad request");
                    return Ok(());
                }
            };
            let reply = self.answer(&admitted, request).await;
            let Some(reply) = reply else {
                conn.close(CLOSE_PROTOCOL.into(), b"not a request");
                return Ok(());
            };
            if write_message(&mut send, &reply).await.is_err() {
                return Ok(());
            }
        }
        let _ = send.finish();
        let _ = tokio::time::timeout(REPLY_TIMEOUT, conn.closed()).await;
        Ok(())
    }
}

impl Handler {
    /// The reply to a request, or `None` for a message that is not one.
    async fn answer(&self, journal: &Admitted, request: Message) -> Option<Message> {
        if !matches!(
            request,
            Message::List | Message::Get(_) | Message::Put(..) | Message::Delete(_)
        ) {
            return None;
        }
        if !self.keeper.take_request(journal) {
            return Some(Message::Failed(Failure::RateLimited));
        }
        let done = |r: Result<(), Failure>| r.map_or_else(Message::Failed, |()| Message::Done);
        Some(match request {
            Message::List => self
                .keeper
                .list(journal)
                .await
                .map_or_else(Message::Failed, Message::Listing),
            Message::Get(name) => self
                .keeper
                .get(journal, &name)
                .await
                .map_or_else(Message::Failed, Message::File),
            Message::Put(name, bytes) => done(self.keeper.put(journal, &name, bytes).await),
            Message::Delete(name) => done(self.keeper.delete(journal, &name).await),
            _ => return None,
        })
    }
}

/// Why a device could not use a mailbox server.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    /// The server could not be reached.
    #[error("the mailbox server could not be reached ({0})")]
    Unreachable(Box<dyn std::error::Error + Send + Sync>),
    /// The server turned this device away.
    #[error("{}", refusal_text(*.0))]
    Refused(Refusal),
    /// The server failed, or broke the protocol.
    #[error("the mailbox server failed: {0}")]
    Failed(String),
}

fn refusal_text(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::UnknownJournal => {
            "the mailbox server does not keep this journal yet; add it with its ticket"
        }
        Refusal::NotAllowed => "the mailbox server does not let this device in",
        Refusal::Outdated => "the mailbox server runs an older Hearth; it needs updating",
        Refusal::Full => "the mailbox server keeps as many journals as it may",
    }
}

fn failure_text(failure: Failure) -> &'static str {
    match failure {
        Failure::QuotaFull => "this journal's space on the mailbox server is full",
        Failure::RateLimited => "the mailbox server is busy; try again in a minute",
        Failure::BadName => "the mailbox server refused a file name",
        Failure::Storage => "the mailbox server's storage failed",
        Failure::TooLarge => "a file is larger than the mailbox server takes",
    }
}

/// An open exchange with a mailbox server: a [`Mailbox`] like a folder.
pub struct Remote {
    conn: Connection,
    stream: tokio::sync::Mutex<(SendStream, RecvStream)>,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Remote({})", self.conn.remote_id().fmt_short())
    }
}

impl Remote {
    /// Reaches the server of `ticket` from `endpoint` and greets it with `hello`.
    pub async fn open(
        endpoint: &Endpoint,
        ticket: &MailboxTicket,
        hello: Hello,
    ) -> Result<Remote, RemoteError> {
        let addr = reach(
            ticket.endpoint_id(),
            ticket.relay_url(),
            ticket.direct_addrs(),
        )
        .map_err(|e| RemoteError::Unreachable(Box::new(e)))?;
        let conn =
            match tokio::time::timeout(DIAL_TIMEOUT, endpoint.connect(addr, MAILBOX_ALPN)).await {
                Ok(Ok(conn)) => conn,
                Ok(Err(e)) => return Err(RemoteError::Unreachable(Box::new(e))),
                Err(_) => return Err(RemoteError::Unreachable("no answer in time".into())),
            };
        let (mut send, mut recv) = conn
            .open_bi()
            .await
            .map_err(|e| RemoteError::Unreachable(Box::new(e)))?;
        write_message(&mut send, &Message::Hello(hello))
            .await
            .map_err(|e| RemoteError::Unreachable(Box::new(e)))?;
        match read_message(&mut recv, REPLY_TIMEOUT, None).await {
            Ok(Message::Welcome) => Ok(Remote {
                conn,
                stream: tokio::sync::Mutex::new((send, recv)),
            }),
            Ok(Message::Refused(refusal)) => Err(RemoteError::Refused(refusal)),
            Ok(Message::Failed(failure)) => Err(RemoteError::Failed(failure_text(failure).into())),
            Ok(other) => Err(RemoteError::Failed(format!("it answered {other:?}"))),
            Err(e) => Err(RemoteError::Failed(e.to_string())),
        }
    }

    async fn ask(&self, request: Message, doing: &'static str) -> Result<Message, MailboxError> {
        let io = |e: &dyn std::fmt::Display| MailboxError::Io {
            doing,
            source: std::io::Error::other(e.to_string()),
        };
        let mut stream = self.stream.lock().await;
        let (send, recv) = &mut *stream;
        write_message(send, &request).await.map_err(|e| io(&e))?;
        match read_message(recv, REPLY_TIMEOUT + BODY_TIMEOUT, None).await {
            Ok(Message::Failed(failure)) => Err(io(&failure_text(failure))),
            Ok(reply) => Ok(reply),
            Err(e) => Err(io(&e)),
        }
    }

    /// Ends the exchange.
    pub async fn close(self) {
        let (mut send, _recv) = self.stream.into_inner();
        let _ = send.finish();
        let _ = tokio::time::timeout(Duration::from_secs(2), send.stopped()).await;
        self.conn.close(CLOSE_DONE.into(), b"done");
    }
}

fn unexpected(doing: &'static str, reply: &Message) -> MailboxError {
    MailboxError::Io {
        doing,
        source: std::io::Error::other(format!("the mailbox server answered {reply:?}")),
    }
}

impl Mailbox for Remote {
    async fn list(&self) -> Result<Vec<Entry>, MailboxError> {
        match self.ask(Message::List, "listed").await? {
            Message::Listing(entries) => Ok(entries),
            other => Err(unexpected("listed", &other)),
        }
    }

    async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, MailboxError> {
        match self.ask(Message::Get(name.to_owned()), "read").await? {
            Message::File(file) => Ok(file),
            other => Err(unexpected("read", &other)),
        }
    }

    async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), MailboxError> {
        match self
            .ask(Message::Put(name.to_owned(), bytes), "written")
            .await?
        {
            Message::Done => Ok(()),
            other => Err(unexpected("written", &other)),
        }
    }

    async fn delete(&self, name: &str) -> Result<(), MailboxError> {
        match self
            .ask(Message::Delete(name.to_owned()), "cleaned up")
            .await?
        {
            Message::Done => Ok(()),
            other => Err(unexpected("cleaned up", &other)),
        }
    }
}

/// An endpoint for reaching mailbox servers while the device's network is not running: it
/// accepts nothing.
pub async fn client_endpoint(config: &NetConfig) -> Result<Endpoint, StartError> {
    let mut config = config.clone();
    config.mdns = false;
    config.bind = None;
    endpoint::bind(&config, None).await
}
