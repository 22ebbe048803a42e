//! Never online together, through a mailbox server: the server runs as `hearth mailbox serve`
//! does (its own storage and identity, its own iroh endpoint on loopback), keeps only sealed
//! files, turns away strangers and removed devices before any file, and loses nothing across a
//! restart. The devices reach it without ever running their network together.

mod support;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;

use hearth::{Hearth, MailboxPlace, MailboxServer, NetworkMode, ServerOptions, ServerStorage};
use hearth_crypto::mailbox::{HEADER_LEN, mailbox_id, padded_len};
use hearth_crypto::ticket::MailboxTicket;
use hearth_mailbox::proto::{Hello, Proof, Refusal};
use hearth_net::mailbox::{Remote, RemoteError};
use support::*;

/// A free UDP port on loopback, so that a restarted server is where its ticket says.
fn free_port() -> u16 {
    let socket = std::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    socket.local_addr().expect("addr").port()
}

async fn server(storage: &Path, port: u16) -> MailboxServer {
    let options = ServerOptions {
        bind: Some(SocketAddr::from((Ipv4Addr::LOCALHOST, port))),
        network: NetworkMode::Local,
        ..ServerOptions::new(ServerStorage::Folder(storage.to_path_buf()))
    };
    MailboxServer::start(options)
        .await
        .expect("start the server")
}

async fn mailboxes(h: &Hearth) -> usize {
    h.mailboxes().await.expect("mailboxes").len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partners_never_online_together_keep_one_journal_through_a_mailbox_server() {
    let (a, b, storage) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let port = free_port();
    let mut srv = server(storage.path(), port).await;
    let ticket = srv.ticket().await;
    assert!(ticket.starts_with("hearthbox1"), "{ticket}");

    // They pair in person; Ada adds the server, and the journal tells Ben's device about it.
    let ada = create(a.path(), "Ada", local()).await;
    let ben = create(b.path(), "Ben", local()).await;
    pair(&ada, &ben).await;
    assert!(eventually(30, async || ben.journal_ready()).await);
    let added = ada
        .add_mailbox(MailboxPlace::server(&ticket).expect("a ticket"))
        .await
        .expect("add the server");
    assert_eq!(added.name, srv.name());
    assert!(eventually(30, async || mailboxes(&ben).await == 1).await);
    // Adding the same ticket on Ben's device too is no error, and adds nothing.
    ben.add_mailbox(MailboxPlace::server(&ticket).expect("a ticket"))
        .await
        .expect("the same server again");
    assert_eq!(mailboxes(&ben).await, 1);
    let journal_id = ada.status().await.expect("status").journal_id;
    ada.shutdown().await;
    ben.shutdown().await;

    // At night Ada writes; closing leaves it with the server.
    let ada = open(a.path(), offline()).await;
    write(&ada, "a night note from Ada, canary-5e1d").await;
    ada.shutdown().await;
    let kept = files(storage.path());
    let sealed: Vec<_> = kept
        .iter()
        .filter(|(p, _)| p.components().any(|c| c.as_os_str() == "files"))
        .collect();
    assert!(
        !sealed.is_empty(),
        "closing left the change with the server"
    );
    for (path, bytes) in &kept {
        assert!(
            !bytes.windows(11).any(|w| w == b"canary-5e1d"),
            "{} holds journal plaintext",
            path.display()
        );
    }
    for (path, bytes) in &sealed {
        if path.file_name().is_some_and(|n| n != "keys") {
            let inner = bytes.len() - HEADER_LEN - 16;
            assert_eq!(padded_len(inner), inner, "{} is padded", path.display());
        }
    }

    // The server restarts: same identity, same ticket, every file still there.
    srv.shutdown().await;
    srv = server(storage.path(), port).await;
    assert_eq!(
        srv.ticket().await,
        ticket,
        "a restart keeps the server's ticket"
    );

    // In the morning Ben's device picks it up, and he answers; that evening Ada has his answer.
    let ada = morning_and_evening(a.path(), b.path(), "a night note from Ada, canary-5e1d").await;
    ada.shutdown().await;

    // A stranger holding the ticket, who names Ada's journal but holds no key of it, is turned
    // away at its greeting.
    let stranger = hearth_net::mailbox::client_endpoint(&hearth_net::NetConfig::new(
        hearth_crypto::DeviceSecret::from_bytes([0x51; 32]),
        NetworkMode::Local,
    ))
    .await
    .expect("endpoint");
    let parsed = MailboxTicket::from_text(&ticket).expect("ticket");
    let hello = Hello {
        mailbox_id: mailbox_id(journal_id.as_bytes()),
        setup: Some(*parsed.setup().expose()),
        proofs: vec![Proof {
            epoch: 0,
            token: [7; 32],
        }],
        devices: vec![*stranger.id().as_bytes()],
    };
    let refused = Remote::open(&stranger, &parsed, hello).await;
    assert!(
        matches!(refused, Err(RemoteError::Refused(Refusal::NotAllowed))),
        "{refused:?}"
    );
    stranger.close().await;
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_device_is_turned_away_by_the_mailbox_server() {
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().expect("dir")).collect();
    let storage = tempfile::tempdir().expect("dir");
    let srv = server(storage.path(), 0).await;
    let ticket = srv.ticket().await;

    let laptop = create(dirs[0].path(), "Ada", local()).await;
    let bob = create(dirs[1].path(), "Bob", local()).await;
    let phone = create(dirs[2].path(), "Ada", local()).await;
    pair(&laptop, &bob).await;
    assert!(eventually(30, async || bob.journal_ready()).await);
    pair_phone(&laptop, &phone).await;
    laptop
        .add_mailbox(MailboxPlace::server(&ticket).expect("a ticket"))
        .await
        .expect("add the server");
    for h in [&bob, &phone] {
        assert!(eventually(30, async || mailboxes(h).await == 1).await);
    }
    // The phone uses the server once, then is stolen while off.
    let used = phone.exchange_with_mailboxes().await.expect("exchange");
    assert_eq!(used[0].error, None, "{used:?}");
    let phone_id = phone.status().await.expect("status").device_id;
    phone.shutdown().await;

    // Bob removes it; his next exchange tells the server who stays, under the new key.
    bob.unpair(phone_id).await.expect("remove the phone");
    assert!(eventually(30, async || bob.status().await.expect("status").epoch == 1).await);
    let told = bob.exchange_with_mailboxes().await.expect("exchange");
    assert_eq!(told[0].error, None, "{told:?}");
    write(&bob, "after the phone was lost").await;
    bob.exchange_with_mailboxes().await.expect("exchange");

    // The phone, which never heard of its removal, is refused before it sees a file.
    let thief = open(dirs[2].path(), offline()).await;
    let refused = thief.exchange_with_mailboxes().await.expect("exchange");
    let error = refused[0].error.as_deref().unwrap_or_default();
    assert!(error.contains("does not let this device in"), "{refused:?}");
    assert!(!has(&thief, "after the phone was lost").await);
    thief.shutdown().await;

    // The laptop, which stays, still gets in.
    let stays = laptop.exchange_with_mailboxes().await.expect("exchange");
    assert_eq!(stays[0].error, None, "{stays:?}");
    laptop.shutdown().await;
    bob.shutdown().await;
    srv.shutdown().await;
}

/// Pairs Ada's phone with her laptop, as her own second device.
async fn pair_phone(laptop: &Hearth, phone: &Hearth) {
    pair_for(laptop, phone, Some(hearth::NewDevice::Mine)).await;
    assert!(eventually(30, async || phone.journal_ready()).await);
}
