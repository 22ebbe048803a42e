//! Bare iroh endpoints that speak Hearth's protocols byte by byte, for tests of what the device
//! does with callers that are not a well-behaved Hearth: strangers, and a paired device whose
//! code is broken or hostile. The wire formats are those of docs/protocol.md.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use hearth::Hearth;
use hearth_crypto::JournalKey;
use hearth_crypto::frame::{self, FrameOpener, FrameSealer};
use hearth_crypto::pairing::{Grant, Joiner, MAX_PAIR_MESSAGE_LEN};
use iroh::endpoint::{Connection, QuicTransportConfig, RecvStream, SendStream, presets};
use iroh::{Endpoint, EndpointAddr, EndpointId, SecretKey};

/// Session message kinds inside a sealed frame (docs/protocol.md, "Sync session").
pub const PART: u8 = 1;
pub const LAST_PART: u8 = 2;

/// A fresh endpoint with a new random identity, on IPv4 loopback, no relay, no lookup.
pub async fn fresh_endpoint() -> Endpoint {
    endpoint_with(SecretKey::generate(), None).await
}

/// An endpoint with the given identity and, if given, transport settings.
pub async fn endpoint_with(secret: SecretKey, transport: Option<QuicTransportConfig>) -> Endpoint {
    let mut builder = Endpoint::builder(presets::Minimal)
        .secret_key(secret)
        .clear_ip_transports()
        .bind_addr(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .expect("loopback address");
    if let Some(t) = transport {
        builder = builder.transport_config(t);
    }
    builder.bind().await.expect("endpoint binds")
}

/// Where a device on loopback is reached: its id and bound address.
pub async fn addr_of(h: &Hearth) -> EndpointAddr {
    let id: EndpointId = h
        .status()
        .await
        .expect("status")
        .device_id
        .to_string()
        .parse()
        .expect("device id");
    EndpointAddr::new(id).with_ip_addr(super::bound_addr(h).await)
}

/// Writes a length-prefixed pairing message.
pub async fn write_plain(send: &mut SendStream, message: &[u8]) -> bool {
    let len = u32::try_from(message.len()).expect("short message");
    send.write_all(&len.to_be_bytes()).await.is_ok() && send.write_all(message).await.is_ok()
}

/// Reads one length-prefixed pairing message, or `None` if the stream ends or the prefix is
/// beyond any pairing message.
pub async fn read_plain(recv: &mut RecvStream) -> Option<Vec<u8>> {
    let mut header = [0u8; 4];
    recv.read_exact(&mut header).await.ok()?;
    let len = u32::from_be_bytes(header) as usize;
    if len > MAX_PAIR_MESSAGE_LEN {
        return None;
    }
    let mut body = vec![0u8; len];
    recv.read_exact(&mut body).await.ok()?;
    Some(body)
}

/// Runs the joiner's side of pairing on a bare endpoint and confirms the short string at once
/// (the inviting person must confirm too). Returns the grant: the journal key and the journal.
pub async fn pair_as_joiner(
    endpoint: &Endpoint,
    ticket: &hearth::Ticket,
    member_id: &str,
    name: &str,
) -> Grant {
    let inviter = EndpointId::from_bytes(ticket.endpoint_id()).expect("inviter id");
    let mut to = EndpointAddr::new(inviter);
    for a in ticket.direct_addrs() {
        to = to.with_ip_addr(*a);
    }
    let conn = endpoint
        .connect(to, hearth_net::PAIR_ALPN)
        .await
        .expect("connect");
    let (mut send, mut recv) = conn.open_bi().await.expect("stream");
    let now = super::now_ms();
    let (mut joiner, first) = Joiner::start(
        ticket,
        *endpoint.id().as_bytes(),
        rand_bytes(),
        now,
        now + 300_000,
    )
    .expect("start");
    assert!(write_plain(&mut send, &first).await);
    // As a device of today's version says it: its own name and an exchange key (any 32 bytes
    // will do for a device that never opens a key sealed to it).
    let payload = format!(
        r#"{{"member_id":"{member_id}","name":"{name}","device":{{"name":"{name}'s device","exchange":"{}","home":false}}}}"#,
        "ab".repeat(32)
    );
    loop {
        let message = tokio::time::timeout(Duration::from_secs(60), read_plain(&mut recv))
            .await
            .expect("the inviter answers")
            .expect("a pairing message");
        let mut step = joiner
            .handle_message(super::now_ms(), &message)
            .expect("pairing goes on");
        if step.sas.is_some() {
            let confirmed = joiner
                .confirm_sas(super::now_ms(), payload.as_bytes())
                .expect("confirm");
            step.send = confirmed.send;
        }
        if let Some(bytes) = step.send {
            assert!(write_plain(&mut send, &bytes).await);
        }
        if let Some(grant) = step.granted {
            let _ = send.finish();
            let _ = tokio::time::timeout(Duration::from_secs(5), send.stopped()).await;
            conn.close(0u32.into(), b"paired");
            return grant;
        }
    }
}

/// 32 bytes from the operating system, through iroh's key generation.
pub fn rand_bytes() -> [u8; 32] {
    SecretKey::generate().to_bytes()
}

/// A sync session opened by hand: the hello exchanged, the frame keys derived.
pub struct RawSession {
    pub conn: Connection,
    pub send: SendStream,
    pub recv: RecvStream,
    pub sealer: FrameSealer,
    pub opener: FrameOpener,
}

impl RawSession {
    /// Dials `to` on the sync protocol and says hello with `key`, the journal key.
    pub async fn open(endpoint: &Endpoint, to: EndpointAddr, key: &JournalKey) -> RawSession {
        let them = *to.id.as_bytes();
        let conn = endpoint
            .connect(to, hearth_net::SYNC_ALPN)
            .await
            .expect("connect");
        let (mut send, mut recv) = conn.open_bi().await.expect("stream");
        let nonce = rand_bytes();
        // Version 2, holding the key of epoch 0 alone, and the nonce.
        let mut hello = vec![2u8, 1, 0, 0, 0, 0];
        hello.extend_from_slice(&frame::key_check(key, 0));
        hello.extend_from_slice(&nonce);
        send.write_all(&hello).await.expect("hello");
        let mut head = [0u8; 2];
        tokio::time::timeout(Duration::from_secs(30), recv.read_exact(&mut head))
            .await
            .expect("their hello in time")
            .expect("their hello");
        let mut theirs = vec![0u8; usize::from(head[1]) * 12 + 32];
        recv.read_exact(&mut theirs).await.expect("their hello");
        let their_nonce: [u8; 32] = theirs[theirs.len() - 32..].try_into().expect("32 bytes");
        let (sealer, opener) =
            frame::session(key, 0, *endpoint.id().as_bytes(), nonce, them, their_nonce)
                .expect("session keys");
        RawSession {
            conn,
            send,
            recv,
            sealer,
            opener,
        }
    }

    /// Seals one frame of `kind` with `payload`.
    pub fn frame(&mut self, kind: u8, payload: &[u8]) -> Vec<u8> {
        let mut plain = Vec::with_capacity(payload.len() + 1);
        plain.push(kind);
        plain.extend_from_slice(payload);
        self.sealer.seal(&plain).expect("seal")
    }
}

/// Waits for the connection to close and returns the application close code, if it was one.
pub async fn close_code(conn: &Connection, secs: u64) -> Option<u64> {
    match tokio::time::timeout(Duration::from_secs(secs), conn.closed()).await {
        Ok(iroh::endpoint::ConnectionError::ApplicationClosed(close)) => {
            Some(close.error_code.into_inner())
        }
        Ok(_) => None,
        Err(_) => panic!("the connection was not closed within {secs} s"),
    }
}

/// This process's resident memory in bytes, from `/proc/self/status` (Linux).
pub fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .expect("VmRSS line");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("VmRSS in kB");
    kib * 1024
}

/// Samples the resident memory every few milliseconds until dropped; `peak` reads the highest.
pub struct RssWatch {
    peak: std::sync::Arc<std::sync::atomic::AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl RssWatch {
    pub fn start() -> RssWatch {
        let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(rss_bytes()));
        let p = peak.clone();
        let task = tokio::spawn(async move {
            loop {
                p.fetch_max(rss_bytes(), std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        });
        RssWatch { peak, task }
    }

    pub fn peak(&self) -> u64 {
        self.peak
            .load(std::sync::atomic::Ordering::Relaxed)
            .max(rss_bytes())
    }
}

impl Drop for RssWatch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub const MIB: u64 = 1024 * 1024;
