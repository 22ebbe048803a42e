//! `hearth mailbox` and `hearth sync` through a mailbox, with real processes: Ada and Bob pair in
//! person, then their devices are never online at the same moment and keep one journal through a
//! folder.

mod cli_support;

use cli_support::installed;
use cli_support::*;
use serde_json::Value;

fn sync(device: &Device) -> Run {
    let mut args = vec!["sync".to_owned(), "--timeout".to_owned(), "2".to_owned()];
    args.extend(device.net());
    device.run(&args)
}

#[test]
fn partners_never_online_together_sync_through_a_folder() {
    let ada = Device::init("Ada");
    let bob = Device::init("Bob");
    pair(&ada, &bob);
    let shared = tempfile::tempdir().expect("dir");
    let folder = shared.path().join("Hearth");

    // A folder that is not there is refused clearly, before the passphrase.
    let missing = ada.run(&["mailbox", "add", folder.to_str().expect("utf-8")]);
    missing.expect_code(1);
    assert!(missing.stderr.contains("not a folder"), "{missing:#?}");
    std::fs::create_dir(&folder).expect("mkdir");
    for device in [&ada, &bob] {
        let added = device.run(&["mailbox", "add", folder.to_str().expect("utf-8")]);
        added.expect_code(0);
        assert!(
            added.stderr.contains("Added the mailbox “Hearth”"),
            "{added:#?}"
        );
    }
    let listed: Value =
        serde_json::from_str(&ada.ok(&["mailbox", "list", "--json"])).expect("json");
    assert_eq!(listed[0]["name"], "Hearth", "{listed:#}");
    assert_eq!(listed[0]["kind"], "folder");
    assert_eq!(listed[0]["last_error"], Value::Null);

    // Ada writes at night; Bob's device is off. Closing after the write left it in the folder;
    // her sync reaches only the mailbox, and that is enough: exit 0.
    ada.write("Night thoughts, canary-51b2.");
    assert!(
        Device::files_under(shared.path())
            .keys()
            .any(|p| p.extension().is_some_and(|e| e == "blob")),
        "the write left a blob"
    );
    let night = sync(&ada);
    night.expect_code(0);
    assert!(night.stderr.contains("Mailbox “Hearth”: "), "{night:#?}");
    assert!(
        night.stderr.contains("Exchanged through the mailbox"),
        "{night:#?}"
    );
    assert!(
        night.stderr.contains("could not reach Bob's device"),
        "{night:#?}"
    );
    for (path, bytes) in Device::files_under(shared.path()) {
        assert!(
            !bytes.windows(11).any(|w| w == b"canary-51b2"),
            "{} holds journal text",
            path.display()
        );
    }

    // In the morning Bob's device picks it up; Ada's is off.
    let morning = sync(&bob);
    morning.expect_code(0);
    assert!(
        morning.stderr.contains("picked up what Ada's device left"),
        "{morning:#?}"
    );
    assert!(
        morning.stderr.contains("1 new entry arrived"),
        "{morning:#?}"
    );
    assert!(
        bob.texts()
            .contains(&"Night thoughts, canary-51b2.".to_owned())
    );
    // Bob answers with a plain write: closing leaves it in the folder, no sync needed.
    bob.write("Read it over coffee.");

    let evening = sync(&ada);
    evening.expect_code(0);
    assert!(ada.texts().contains(&"Read it over coffee.".to_owned()));
    let listed: Value =
        serde_json::from_str(&ada.ok(&["mailbox", "list", "--json"])).expect("json");
    assert!(listed[0]["picked_up"].is_string(), "{listed:#}");
    assert!(listed[0]["delivered"].is_string(), "{listed:#}");

    // `hearth serve` looks in the mailbox on start and says what it picked up.
    ada.write("One more before bed.");
    let mut serving = bob.serve();
    let line = read_until(&mut serving.stdout, |l| l.contains("mailbox"));
    drop(serving.stop());
    assert!(line.contains("“Hearth”: picked up new changes"), "{line}");
    assert!(bob.texts().contains(&"One more before bed.".to_owned()));

    // Removing it: sync without a mailbox and without Bob online fails with exit 3 again.
    ada.run(&["mailbox", "remove", "Hearth"]).expect_code(0);
    ada.run(&["mailbox", "remove", "Hearth"]).expect_code(1);
    sync(&ada).expect_code(3);
}

#[test]
fn a_bid_kept_for_later_waits_on_today_until_turned_toward() {
    let ada = Device::init("Ada");
    let bob = Device::init("Bob");
    pair(&ada, &bob);
    let shared = tempfile::tempdir().expect("dir");
    for device in [&ada, &bob] {
        device
            .run(&["mailbox", "add", shared.path().to_str().expect("utf-8")])
            .expect_code(0);
    }
    let bid = ada.ok(&[
        "write",
        "--kind",
        "bid",
        "--bid",
        "talk-later",
        "About the summer.",
    ]);
    sync(&bob).expect_code(0);
    bob.run(&["respond", bid.trim(), "later"]).expect_code(0);

    let today: Value = serde_json::from_str(&bob.ok(&["today", "--json"])).expect("json");
    assert_eq!(
        today["open_bids"].as_array().map(Vec::len),
        Some(0),
        "{today:#}"
    );
    assert_eq!(
        today["later_bids"].as_array().map(Vec::len),
        Some(1),
        "{today:#}"
    );
    let text = bob.ok(&["today"]);
    assert!(text.contains("Kept for later"), "{text}");
    assert!(text.contains("since today"), "{text}");
    let later: Value = serde_json::from_str(&bob.ok(&["list", "--later", "--json"])).expect("json");
    assert_eq!(later.as_array().map(Vec::len), Some(1), "{later:#}");

    // Turned toward at last, it leaves the list.
    bob.run(&["respond", bid.trim(), "toward"]).expect_code(0);
    let later: Value = serde_json::from_str(&bob.ok(&["list", "--later", "--json"])).expect("json");
    assert_eq!(later.as_array().map(Vec::len), Some(0), "{later:#}");
}

/// `hearth mailbox serve` as its own process, keeping its files in `storage` and bound to
/// `port` on loopback; returns it and the ticket it printed as its first line.
fn mailbox_server(storage: &std::path::Path, port: u16) -> (std::process::Child, String) {
    let anyone = Device::new();
    let mut child = anyone.spawn(&[
        "mailbox",
        "serve",
        "--local",
        "--bind",
        &format!("127.0.0.1:{port}"),
        "--storage",
        storage.to_str().expect("utf-8"),
    ]);
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let ticket = read_until(&mut stdout, |l| !l.trim().is_empty());
    // Keep reading its standard output so it never blocks on a full pipe.
    std::thread::spawn(move || rest(Some(stdout)));
    (child, ticket.trim().to_owned())
}

fn free_port() -> u16 {
    let socket = std::net::UdpSocket::bind(("127.0.0.1", 0)).expect("bind");
    socket.local_addr().expect("addr").port()
}

#[test]
fn partners_never_online_together_sync_through_a_mailbox_server() {
    let storage = tempfile::tempdir().expect("dir");
    let port = free_port();
    let (server, ticket) = mailbox_server(storage.path(), port);
    assert!(ticket.starts_with("hearthbox1"), "{ticket}");
    let ada = Device::init("Ada");
    let bob = Device::init("Bob");
    pair(&ada, &bob);

    // A mistyped ticket is refused clearly, before the passphrase.
    let typo = ada.run(&[
        "mailbox",
        "add",
        &format!("{}x", &ticket[..ticket.len() - 1]),
    ]);
    typo.expect_code(1);
    assert!(typo.stderr.contains("mailbox ticket"), "{typo:#?}");
    // Ada adds the server; the journal tells Bob's device the next time the two meet.
    let added = ada.run(&["mailbox", "add", &ticket]);
    added.expect_code(0);
    assert!(added.stderr.contains("Added the mailbox"), "{added:#?}");
    let serving = ada.serve();
    let met = sync(&bob);
    drop(serving.stop());
    met.expect_code(0);
    let listed: Value =
        serde_json::from_str(&bob.ok(&["mailbox", "list", "--json"])).expect("json");
    assert_eq!(listed[0]["kind"], "server", "{listed:#}");
    let name = listed[0]["name"].as_str().expect("a name").to_owned();
    assert_eq!(name.len(), 8, "{listed:#}");
    // Adding the same ticket on Bob's device too is no error.
    bob.run(&["mailbox", "add", &ticket]).expect_code(0);

    // Ada writes at night; Bob's device is off. Her sync reaches only the server: exit 0.
    ada.write("Night thoughts, canary-80c4.");
    let night = sync(&ada);
    night.expect_code(0);
    assert!(
        night.stderr.contains(&format!("Mailbox “{name}”: ")),
        "{night:#?}"
    );
    for (path, bytes) in Device::files_under(storage.path()) {
        assert!(
            !bytes.windows(11).any(|w| w == b"canary-80c4"),
            "{} holds journal text",
            path.display()
        );
    }

    // The server restarts (SIGTERM, then again on the same storage): same ticket, nothing lost.
    terminate(&server);
    let mut server = server;
    assert!(wait_bounded(&mut server).success());
    let (server, again) = mailbox_server(storage.path(), port);
    assert_eq!(again, ticket, "a restart keeps the server's ticket");

    // In the morning Bob's device picks it up; Ada's is off. He answers.
    let morning = sync(&bob);
    morning.expect_code(0);
    assert!(
        morning.stderr.contains("picked up what Ada's device left"),
        "{morning:#?}"
    );
    assert!(
        bob.texts()
            .contains(&"Night thoughts, canary-80c4.".to_owned())
    );
    bob.write("Read it over coffee.");
    sync(&ada).expect_code(0);
    assert!(ada.texts().contains(&"Read it over coffee.".to_owned()));

    // Removing the server on one device takes it out of the journal too.
    ada.run(&["mailbox", "remove", &name]).expect_code(0);
    let listed: Value =
        serde_json::from_str(&ada.ok(&["mailbox", "list", "--json"])).expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(0), "{listed:#}");
    let mut server = server;
    terminate(&server);
    assert!(wait_bounded(&mut server).success());
}

/// A real S3-compatible object store, its own process on loopback, keeping its objects in a
/// folder; stopped when dropped.
struct ObjectStore {
    child: std::process::Child,
    endpoint: String,
    root: tempfile::TempDir,
}

const S3_KEY: &str = "hearth-test-key";
const S3_SECRET: &str = "hearth-test-secret-0123456789";

impl ObjectStore {
    fn start(bucket: &str) -> ObjectStore {
        let root = tempfile::tempdir().expect("dir");
        std::fs::create_dir(root.path().join(bucket)).expect("the bucket");
        let port = std::net::TcpListener::bind(("127.0.0.1", 0))
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        let child = std::process::Command::new(installed::S3S_FS.binary())
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", S3_KEY, "--secret-key", S3_SECRET])
            .arg(root.path())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start the object store");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "the object store did not listen"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        ObjectStore {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            root,
        }
    }
}

impl Drop for ObjectStore {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `hearth mailbox serve` keeping its files in the object store under `s3://BUCKET/PREFIX`, bound
/// to `port` on loopback.
fn mailbox_server_on(
    store: &ObjectStore,
    storage: &str,
    port: u16,
) -> (std::process::Child, String) {
    let anyone = Device::new();
    let mut command = anyone.command(&[
        "mailbox",
        "serve",
        "--local",
        "--bind",
        &format!("127.0.0.1:{port}"),
        "--storage",
        storage,
    ]);
    command
        .env("AWS_ENDPOINT_URL", &store.endpoint)
        .env("AWS_ALLOW_HTTP", "true")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", S3_KEY)
        .env("AWS_SECRET_ACCESS_KEY", S3_SECRET);
    let mut child = command.spawn().expect("start hearth");
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let ticket = read_until(&mut stdout, |l| !l.trim().is_empty());
    std::thread::spawn(move || rest(Some(stdout)));
    (child, ticket.trim().to_owned())
}

#[test]
fn partners_never_online_together_sync_through_a_mailbox_server_on_object_storage() {
    let store = ObjectStore::start("couples");
    let port = free_port();
    let (mut server, ticket) = mailbox_server_on(&store, "s3://couples/hearth", port);
    assert!(ticket.starts_with("hearthbox1"), "{ticket}");
    let ada = Device::init("Ada");
    let bob = Device::init("Bob");
    pair(&ada, &bob);
    for device in [&ada, &bob] {
        device.run(&["mailbox", "add", &ticket]).expect_code(0);
    }

    // Ada writes at night; her sync reaches only the server, which keeps it in the bucket.
    ada.write("Under the stars, canary-3f9a.");
    sync(&ada).expect_code(0);
    let objects = Device::files_under(&store.root.path().join("couples"));
    assert!(
        objects
            .keys()
            .any(|p| p.to_string_lossy().contains("hearth/journals/")),
        "the server keeps the journal's files in the bucket, under its prefix: {:?}",
        objects.keys().collect::<Vec<_>>()
    );
    assert!(
        objects
            .keys()
            .any(|p| p.ends_with("hearth/server/identity")),
        "and its identity"
    );
    for (path, bytes) in &objects {
        assert!(
            !bytes.windows(11).any(|w| w == b"canary-3f9a"),
            "{} holds journal text",
            path.display()
        );
    }

    // The server restarts on the same bucket: same identity; Bob picks up, answers, Ada has it.
    terminate(&server);
    assert!(wait_bounded(&mut server).success());
    let (mut server, again) = mailbox_server_on(&store, "s3://couples/hearth", port);
    assert_eq!(
        again, ticket,
        "a restart keeps the server's identity and ticket"
    );
    let morning = sync(&bob);
    morning.expect_code(0);
    assert!(
        morning.stderr.contains("picked up what Ada's device left"),
        "{morning:#?}"
    );
    assert!(
        bob.texts()
            .contains(&"Under the stars, canary-3f9a.".to_owned())
    );
    terminate(&server);
    assert!(wait_bounded(&mut server).success());
}
