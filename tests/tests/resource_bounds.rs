//! A paired device whose code is hostile, or a crowd of strangers at the pairing door, cannot make
//! a device allocate without bound or stop it syncing with its other devices.
//!
//! The rogue pairs with Ada through the real pairing protocol (Ada's person confirms the short
//! string), so it holds the journal key and speaks the sync protocol by hand. Ben is Ada's other,
//! well-behaved device: while the rogue misbehaves, Ben and Ada trade notes, each of which must
//! arrive (a liveness bound, not a speed). The limits each test shows are those of
//! docs/protocol.md, "Limits":
//!
//! - a sync message is reassembled up to 64 MiB and no further;
//! - a frame declaring a body over 1 MiB (plus its overhead) is refused before its body is read;
//! - a frame body must arrive within 30 s of its length (shortened to 3 s here, through the
//!   `test-utils` option `frame_body_timeout`);
//! - a connection must say hello within 10 s;
//! - a connection gets one stream, so nothing can be buffered beside the protocol's own;
//! - the compressed parts of a sync message may inflate to 256 MiB at most, counted before
//!   Automerge inflates anything;
//! - at most 16 callers pair at once; the others, and the real joiner among them, hear "busy".
//!
//! Memory is the process's resident memory (`VmRSS`, sampled every few milliseconds): the rogue
//! lives in this process too, with a small send window so that what it buffers stays small.
//! The tests in this file run one at a time, so that each measures only itself.

#[path = "../../crates/hearth-journal/tests/support/crafted.rs"]
mod crafted;
mod support;

use std::time::Duration;

use crafted::{
    COMPRESSED_CHANGE, chunk, deflated_zeros, document_with_deflated_column, sync_message,
};

use hearth::{Event, Hearth, Options, Warning};
use hearth_crypto::JournalKey;
use hearth_crypto::frame::{MAX_FRAME_BODY, MAX_FRAME_PLAINTEXT};
use hearth_net::Misbehaviour;
use iroh::endpoint::QuicTransportConfig;
use iroh::{Endpoint, EndpointAddr, SecretKey};
use support::raw::*;
use support::*;

/// The largest sync message a device reassembles (docs/protocol.md).
const MAX_SYNC_MESSAGE: usize = 64 * 1024 * 1024;

/// One test at a time: each measures the memory of the whole process.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Ada, her other device Ben, and a rogue device paired with her.
struct Household {
    ada: Hearth,
    ben: Hearth,
    rogue: Endpoint,
    key: JournalKey,
    door: EndpointAddr,
    _dirs: [tempfile::TempDir; 2],
}

async fn household(ada_options: Options) -> Household {
    let dirs = [
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    ];
    let ada = create(dirs[0].path(), "Ada", ada_options).await;
    let ben = create(dirs[1].path(), "Ben", local()).await;
    write(&ada, "kept safe").await;
    pair(&ada, &ben).await;
    assert!(eventually(30, async || texts(&ben).await == vec!["kept safe"]).await);

    // The rogue buffers little of what it sends, so the memory measured is the device's.
    let transport = QuicTransportConfig::builder()
        .send_window(1024 * 1024)
        .build();
    let rogue = endpoint_with(SecretKey::generate(), Some(transport)).await;
    let (ticket, invitation) = ada.invite(None).await.expect("invite");
    let (grant, _) = tokio::join!(
        pair_as_joiner(&rogue, &ticket, "rogue", "Rogue"),
        drive(invitation)
    );
    let door = addr_of(&ada).await;
    Household {
        ada,
        ben,
        rogue,
        key: grant.journal_key().clone(),
        door,
        _dirs: dirs,
    }
}

impl Household {
    async fn session(&self) -> RawSession {
        RawSession::open(&self.rogue, self.door.clone(), &self.key).await
    }

    async fn shutdown(self) {
        self.rogue.close().await;
        self.ada.shutdown().await;
        self.ben.shutdown().await;
    }
}

/// The next misbehaviour Ada reports.
async fn reported(events: &mut tokio::sync::broadcast::Receiver<Event>) -> Misbehaviour {
    tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            match events.recv().await {
                Ok(Event::Warning(Warning::Misbehaved { what, .. })) => return what,
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(e) => panic!("events ended: {e}"),
            }
        }
    })
    .await
    .expect("the misbehaviour is reported")
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / MIB as f64)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_past_the_cap_is_cut_off_holding_no_more_than_the_cap() {
    let _one = ONE_AT_A_TIME.lock().await;
    let home = household(local()).await;
    let mut events = home.ada.events();
    let mut session = home.session().await;
    let before = rss_bytes();
    let watch = RssWatch::start();

    // Frames at the largest size, all parts of one message that never ends.
    let payload = vec![0x5a; MAX_FRAME_PLAINTEXT - 1];
    let frames = MAX_SYNC_MESSAGE / payload.len() + 2;
    let flood = async {
        let mut sent = 0usize;
        for _ in 0..frames {
            let frame = session.frame(PART, &payload);
            if session.send.write_all(&frame).await.is_err() {
                break;
            }
            sent += payload.len();
        }
        (sent, close_code(&session.conn, 60).await)
    };
    let ((sent, code), ()) = tokio::join!(
        flood,
        round_trip(&home.ada, &home.ben, "during a flood at the cap", 0)
    );
    let peak = watch.peak().saturating_sub(before);
    drop(watch);
    eprintln!(
        "sent {} of message parts; peak growth {}",
        mib(sent as u64),
        mib(peak)
    );
    assert_eq!(code, Some(2), "closed as misbehaving");
    assert_eq!(reported(&mut events).await, Misbehaviour::BadMessage);
    assert!(sent >= MAX_SYNC_MESSAGE - 2 * payload.len(), "sent {sent}");
    // The reassembly buffer (64 MiB) and the connection's receive window (8 MiB), plus slack for
    // the frames in flight and the runtime.
    assert!(
        peak < 64 * MIB + 40 * MIB,
        "resident memory grew by {} while a message at the cap arrived",
        mib(peak)
    );
    assert!(texts(&home.ada).await.contains(&"kept safe".to_owned()));
    home.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frame_declaring_more_than_the_cap_is_refused_before_its_body() {
    let _one = ONE_AT_A_TIME.lock().await;
    let home = household(local()).await;
    let mut events = home.ada.events();
    for declared in [MAX_FRAME_BODY as u32 + 1, u32::MAX] {
        let mut session = home.session().await;
        // The length alone: the device must refuse it without waiting for a body.
        session
            .send
            .write_all(&declared.to_be_bytes())
            .await
            .expect("header");
        assert_eq!(close_code(&session.conn, 30).await, Some(2));
        assert_eq!(reported(&mut events).await, Misbehaviour::BadFrame);
    }
    round_trip(&home.ada, &home.ben, "after the oversized frames", 0).await;
    home.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickled_frame_is_cut_off_at_the_body_deadline() {
    let _one = ONE_AT_A_TIME.lock().await;
    let home = household(Options {
        frame_body_timeout: Some(Duration::from_secs(3)),
        ..local()
    })
    .await;
    let mut events = home.ada.events();
    let mut session = home.session().await;
    // A frame announcing the largest body, which then comes a byte at a time.
    session
        .send
        .write_all(&(MAX_FRAME_BODY as u32).to_be_bytes())
        .await
        .expect("header");
    let trickle = async {
        let mut trickled = 0usize;
        while trickled < MAX_FRAME_BODY {
            if session.send.write_all(&[0x5a]).await.is_err() {
                break;
            }
            trickled += 1;
            if session.conn.close_reason().is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        (trickled, close_code(&session.conn, 60).await)
    };
    let ((trickled, code), ()) = tokio::join!(
        trickle,
        round_trip(&home.ada, &home.ben, "while a frame trickles in", 0)
    );
    eprintln!("trickled {trickled} bytes before the device cut the connection");
    assert_eq!(code, Some(2), "closed as misbehaving");
    assert_eq!(reported(&mut events).await, Misbehaviour::Unresponsive);
    assert!(trickled < MAX_FRAME_BODY);
    home.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_that_never_finish_their_hello_are_dropped() {
    let _one = ONE_AT_A_TIME.lock().await;
    let home = household(local()).await;
    let before = rss_bytes();
    let watch = RssWatch::start();
    let mut held = Vec::new();
    for _ in 0..32 {
        let Ok(conn) = home
            .rogue
            .connect(home.door.clone(), hearth_net::SYNC_ALPN)
            .await
        else {
            continue;
        };
        if let Ok((mut send, recv)) = conn.open_bi().await {
            // All but the last byte of a hello.
            let _ = send.write_all(&[1u8; 32]).await;
            held.push((conn, send, recv));
        }
    }
    assert!(!held.is_empty(), "the rogue got connections");
    let closes = async {
        let mut codes = Vec::new();
        for (conn, _, _) in &held {
            codes.push(close_code(conn, 60).await);
        }
        codes
    };
    let (codes, ()) = tokio::join!(
        closes,
        round_trip(&home.ada, &home.ben, "while hellos hang", 0)
    );
    let peak = watch.peak().saturating_sub(before);
    eprintln!(
        "{} connections held with a half hello; peak growth {}",
        held.len(),
        mib(peak)
    );
    assert!(
        codes.iter().all(|c| c.is_some()),
        "each was closed by the device: {codes:?}"
    );
    assert!(peak < 32 * MIB, "resident memory grew by {}", mib(peak));
    home.shutdown().await;
}

/// Writes as much as the device will take on `send`, until a write makes no progress for a
/// second or fails. Returns the bytes taken.
async fn stuff(send: &mut iroh::endpoint::SendStream) -> usize {
    let chunk = vec![0x5a; 64 * 1024];
    let mut taken = 0;
    while taken < 64 * 1024 * 1024 {
        match tokio::time::timeout(Duration::from_secs(1), send.write(&chunk)).await {
            Ok(Ok(n)) => taken += n,
            _ => break,
        }
    }
    taken
}

/// A connection of the rogue's, held open: the streams the device granted it, and what the device
/// took on them beyond the unfinished hello.
struct Held {
    conn: iroh::endpoint::Connection,
    streams: Vec<(iroh::endpoint::SendStream, iroh::endpoint::RecvStream)>,
    taken: usize,
}

async fn hold(rogue: Endpoint, door: EndpointAddr) -> Option<Held> {
    let conn = rogue.connect(door, hearth_net::SYNC_ALPN).await.ok()?;
    let (mut send, recv) = conn.open_bi().await.ok()?;
    let _ = send.write_all(&[1u8; 32]).await;
    let mut held = Held {
        conn,
        streams: vec![(send, recv)],
        taken: 0,
    };
    // More streams, stuffed with as much as the device will take unread.
    while held.streams.len() < 8 {
        let Ok(Ok((mut send, recv))) =
            tokio::time::timeout(Duration::from_secs(2), held.conn.open_bi()).await
        else {
            break;
        };
        held.taken += stuff(&mut send).await;
        held.streams.push((send, recv));
    }
    Some(held)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_streams_and_connections_cost_bounded_memory() {
    let _one = ONE_AT_A_TIME.lock().await;
    let home = household(local()).await;
    let before = rss_bytes();
    let watch = RssWatch::start();

    // Many connections at once, each with a hello that never ends and as many more streams as
    // the device grants, stuffed with as much as it will take unread.
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..32 {
        tasks.spawn(hold(home.rogue.clone(), home.door.clone()));
    }
    let mut held = Vec::new();
    while let Some(done) = tasks.join_next().await {
        held.extend(done.expect("task"));
    }
    let peak = watch.peak().saturating_sub(before);
    let streams: usize = held.iter().map(|h| h.streams.len()).sum();
    let taken: usize = held.iter().map(|h| h.taken).sum();
    eprintln!(
        "{} connections, {streams} streams, {} taken unread by the device; peak growth {}",
        held.len(),
        mib(taken as u64),
        mib(peak)
    );
    round_trip(&home.ada, &home.ben, "while streams are stuffed", 0).await;
    assert!(!held.is_empty(), "the rogue got connections");
    for h in &held {
        assert_eq!(h.streams.len(), 1, "one stream per connection");
        assert!(
            close_code(&h.conn, 60).await.is_some(),
            "closed by the device"
        );
    }
    assert_eq!(taken, 0, "the device took bytes it will never read");
    assert!(peak < 32 * MIB, "resident memory grew by {}", mib(peak));
    home.shutdown().await;
}

/// A stranger holding the pairing door: it sent its commitment, got the inviter's key, and sends
/// the largest pairing message but for its last byte.
struct Holder {
    endpoint: Endpoint,
    /// `None` when the door's rate limit refused the handshake on its first packet.
    conn: Option<iroh::endpoint::Connection>,
    admitted: bool,
}

async fn hold_the_door(endpoint: Endpoint, door: EndpointAddr, ticket: hearth::Ticket) -> Holder {
    use hearth_crypto::pairing::{Joiner, MAX_PAIR_MESSAGE_LEN};
    let Ok(conn) = endpoint.connect(door, hearth_net::PAIR_ALPN).await else {
        // The door turned it away before the handshake: it holds nothing.
        return Holder {
            endpoint,
            conn: None,
            admitted: false,
        };
    };
    // A device that is already full may close the connection before a stream opens: that
    // stranger was turned away, and the close code below says why.
    let Ok((mut send, mut recv)) = conn.open_bi().await else {
        return Holder {
            endpoint,
            conn: Some(conn),
            admitted: false,
        };
    };
    let now = now_ms();
    let (_, commit) = Joiner::start(
        &ticket,
        *endpoint.id().as_bytes(),
        rand_bytes(),
        now,
        now + 60_000,
    )
    .expect("start");
    let _ = write_plain(&mut send, &commit).await;
    let admitted = tokio::time::timeout(Duration::from_secs(30), read_plain(&mut recv))
        .await
        .expect("an answer or a close")
        .is_some();
    if admitted {
        let _ = send
            .write_all(&(MAX_PAIR_MESSAGE_LEN as u32).to_be_bytes())
            .await;
        let _ = send.write_all(&vec![0x5a; MAX_PAIR_MESSAGE_LEN - 1]).await;
    }
    std::mem::forget(send);
    std::mem::forget(recv);
    Holder {
        endpoint,
        conn: Some(conn),
        admitted,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_holding_the_pairing_door_are_limited_and_then_gone() {
    let _one = ONE_AT_A_TIME.lock().await;
    let home = household(local()).await;
    let (ticket, invitation) = home.ada.invite(None).await.expect("invite");
    let dir = tempfile::tempdir().expect("dir");
    let cy = create(dir.path(), "Cy", local()).await;
    // The strangers' endpoints live in this process: made before measuring.
    let mut endpoints = Vec::new();
    for _ in 0..64 {
        endpoints.push(fresh_endpoint().await);
    }
    let before = rss_bytes();
    let watch = RssWatch::start();

    let mut tasks = tokio::task::JoinSet::new();
    for endpoint in endpoints {
        tasks.spawn(hold_the_door(endpoint, home.door.clone(), ticket.clone()));
    }
    let mut holders = Vec::new();
    while let Some(done) = tasks.join_next().await {
        holders.push(done.expect("task"));
    }
    let admitted = holders.iter().filter(|h| h.admitted).count();
    // Meanwhile the real joiner is told the device is busy, in so many words.
    let mut joining = cy.join(&ticket.to_text()).await.expect("join");
    let refused = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            match joining.next().await {
                Some(hearth::PairingEvent::Failed(why)) => return why,
                Some(_) => {}
                None => panic!("pairing ended without an outcome"),
            }
        }
    })
    .await
    .expect("an outcome");
    round_trip(&home.ada, &home.ben, "while strangers hold the door", 0).await;
    let peak = watch.peak().saturating_sub(before);
    eprintln!(
        "{} strangers, {admitted} admitted to pair at once; peak growth {}",
        holders.len(),
        mib(peak)
    );
    assert!(
        matches!(refused, hearth::PairingFailure::Busy),
        "the joiner was told: {refused}"
    );
    assert_eq!(admitted, 16, "as many as the device takes at once");
    let mut at_the_door = 0;
    for h in holders.iter().filter(|h| !h.admitted) {
        match &h.conn {
            Some(conn) => assert_eq!(close_code(conn, 30).await, Some(429), "turned away as busy"),
            None => at_the_door += 1,
        }
    }
    eprintln!("{at_the_door} of them refused at the door before their handshake");
    assert!(peak < 48 * MIB, "resident memory grew by {}", mib(peak));

    // Once they are gone, the invitation is still there for the real joiner.
    for h in holders {
        h.endpoint.close().await;
    }
    // The strangers came from this very address: the door lets it begin a few more handshakes
    // each second, so a moment later there is room for the real joiner.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let joining = cy.join(&ticket.to_text()).await.expect("join");
    let (a, b) = tokio::join!(drive(invitation), drive(joining));
    assert_eq!(a, b);
    cy.shutdown().await;
    home.shutdown().await;
}

/// DEFLATE of `len` zero bytes: a few hundred KiB that inflate to `len`.
/// How far the bombs inflate: far past anything a journal needs, small enough for this machine to
/// survive if the bound ever goes.
const BOMB: u64 = 512 * 1024 * 1024;

async fn bomb_is_refused(message: Vec<u8>) {
    let _one = ONE_AT_A_TIME.lock().await;
    let home = household(local()).await;
    let mut events = home.ada.events();
    let mut session = home.session().await;
    let before = rss_bytes();
    let watch = RssWatch::start();
    // Sent as the device's own writer would: parts of at most one frame each.
    let parts: Vec<&[u8]> = message.chunks(MAX_FRAME_PLAINTEXT - 1).collect();
    for (i, part) in parts.iter().enumerate() {
        let kind = if i + 1 == parts.len() {
            LAST_PART
        } else {
            PART
        };
        let frame = session.frame(kind, part);
        session.send.write_all(&frame).await.expect("frame");
    }
    let code = close_code(&session.conn, 60).await;
    let peak = watch.peak().saturating_sub(before);
    drop(watch);
    eprintln!(
        "a {} message meant to inflate to {}; peak growth {}",
        mib(message.len() as u64),
        mib(BOMB),
        mib(peak)
    );
    assert_eq!(code, Some(2), "closed as misbehaving");
    assert_eq!(reported(&mut events).await, Misbehaviour::BadSyncMessage);
    assert!(peak < 32 * MIB, "resident memory grew by {}", mib(peak));
    round_trip(&home.ada, &home.ben, "after the bomb", 0).await;
    home.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_compressed_change_that_inflates_without_end_is_refused_uninflated() {
    let message = sync_message(&[chunk(COMPRESSED_CHANGE, &deflated_zeros(BOMB))]);
    bomb_is_refused(message).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_column_that_inflates_without_end_is_refused_uninflated() {
    let message = sync_message(&[document_with_deflated_column(&deflated_zeros(BOMB))]);
    bomb_is_refused(message).await;
}
