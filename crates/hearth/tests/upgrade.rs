//! Journals written by earlier releases open, read and sync with the current code.
//!
//! Each fixture under `tests/fixtures/` is two paired devices, Ada and Ben, made once by a
//! release's own `hearth` binary with `tests/fixtures/make-fixture.sh` and kept as it wrote them.

mod support;

use std::path::{Path, PathBuf};

use hearth::{
    BidResponse, Content, Draft, Filter, Hearth, KdfParams, NetworkMode, Options, Passphrase, Turn,
};

/// The passphrase `make-fixture.sh` locks both devices with.
const FIXTURE_PASSPHRASE: &str = "a fixture's passphrase, not a secret";

/// A fresh copy of one device of a fixture, so that the test may change it.
fn copy_device(release: &str, device: &str) -> tempfile::TempDir {
    let from: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "fixtures",
        release,
        device,
    ]
    .iter()
    .collect();
    let to = tempfile::tempdir().expect("dir");
    for name in ["hearth.key", "hearth.redb"] {
        std::fs::copy(from.join(name), to.path().join(name)).unwrap_or_else(|e| {
            panic!(
                "copy {} of {release}/{device}: {e}",
                from.join(name).display()
            )
        });
    }
    to
}

/// Opens a fixture device as a person would: on the port it used last time, LAN only.
async fn open(dir: &Path) -> Hearth {
    let options = Options {
        network: Some(NetworkMode::Local),
        mdns: false,
        kdf: KdfParams::insecure_fast_for_tests(),
        ..Options::default()
    };
    Hearth::open(dir, &Passphrase::new(FIXTURE_PASSPHRASE), options)
        .await
        .expect("the earlier release's journal opens")
}

async fn texts(h: &Hearth) -> Vec<String> {
    support::texts(h).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_couple_from_release_0_1_opens_reads_and_syncs() {
    a_couple_opens_reads_and_syncs("v0.1").await;
}

/// The release before devices had records and the journal key had epochs: its sync protocol is
/// the one the current release recognises only to say "update".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_couple_from_release_0_2_opens_reads_and_syncs() {
    a_couple_opens_reads_and_syncs("v0.2").await;
}

/// Every fixture's devices use the same two loopback ports: one couple at a time.
static FIXTURE_PORTS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn a_couple_opens_reads_and_syncs(release: &str) {
    let _ports = FIXTURE_PORTS.lock().await;
    let (ada_dir, ben_dir) = (copy_device(release, "ada"), copy_device(release, "ben"));
    let ada = open(ada_dir.path()).await;
    let ben = open(ben_dir.path()).await;

    // Everything both wrote is there, on both sides; private entries stay home.
    for (who, h) in [("Ada", &ada), ("Ben", &ben)] {
        let texts = texts(h).await;
        for shared in [
            "Written alone, before we paired.",
            "Tired, but glad.",
            "the tea\nthe joke about the goat\nthe walk home",
            "Thank you for fixing the bike.",
            "The heron is back.",
            "Slept well.",
        ] {
            assert!(
                texts.iter().any(|t| t == shared),
                "{who} lacks {shared:?}: {texts:?}"
            );
        }
        assert!(
            !texts.iter().any(|t| t == "A note to take back."),
            "{who} shows a deleted entry"
        );
        assert_eq!(
            h.members().await.expect("members").len(),
            2,
            "{who} sees both members"
        );
    }
    let ada_texts = texts(&ada).await;
    let ben_texts = texts(&ben).await;
    assert!(
        ada_texts
            .iter()
            .any(|t| t == "Only for me: I worry about the move.")
    );
    assert!(
        !ben_texts
            .iter()
            .any(|t| t.contains("I worry about the move"))
    );
    assert!(ben_texts.iter().any(|t| t == "Ben's own note."));
    assert!(!ada_texts.iter().any(|t| t == "Ben's own note."));

    // The comment, the reaction and the answered bid came through.
    let river = ada
        .search("river")
        .await
        .expect("search")
        .into_iter()
        .next()
        .expect("the river entry")
        .entry;
    assert_eq!(river.comments.len(), 1, "{river:?}");
    assert_eq!(river.comments[0].text, "Me too. Let's go again on Sunday.");
    assert!(
        river.reactions.values().flatten().any(|e| e == "❤️"),
        "{river:?}"
    );
    let heron = ada
        .search("heron")
        .await
        .expect("search")
        .into_iter()
        .next()
        .expect("the bid")
        .entry;
    assert!(
        matches!(
            heron.content,
            Content::Bid {
                response: Some(BidResponse {
                    turn: Turn::Toward,
                    ..
                }),
                ..
            }
        ),
        "{heron:?}"
    );

    // Both keep working: a change on one reaches the other.
    ada.write(Draft::shared(Content::Journal {
        body: "Written after the upgrade.".into(),
    }))
    .await
    .expect("write after the upgrade");
    support::sync(&ada, &ben).await;
    assert!(
        texts(&ben)
            .await
            .iter()
            .any(|t| t == "Written after the upgrade."),
        "the new entry reached Ben"
    );
    // Each device wrote its own record into the journal on opening, while apart (so both made
    // the journal's list of devices at once); both records are read on both.
    for h in [&ada, &ben] {
        let status = h.status().await.expect("status");
        assert!(
            status.members.iter().all(|m| m.devices.len() == 1),
            "{status:#?}"
        );
        for d in status.members.iter().flat_map(|m| &m.devices) {
            assert!(
                !d.name.ends_with("'s device"),
                "the device's own record names it: {status:#?}"
            );
        }
    }
    // The release's journal key is epoch 0 on both, and each knows the other runs this release.
    for h in [&ada, &ben] {
        let status = h.status().await.expect("status");
        assert_eq!(status.epoch, 0);
        assert!(
            status
                .members
                .iter()
                .flat_map(|m| &m.devices)
                .all(|d| d.epoch == 0 && !d.needs_update),
            "{status:#?}"
        );
    }
    let everything = Filter::default();
    assert_eq!(
        ada.timeline(&everything, None, usize::MAX)
            .await
            .expect("timeline")
            .warnings,
        vec![],
        "nothing of the earlier journal is skipped"
    );
    ada.shutdown().await;
    ben.shutdown().await;

    // And they open again as the current release left them.
    let ada = open(ada_dir.path()).await;
    assert!(
        texts(&ada)
            .await
            .iter()
            .any(|t| t == "Written after the upgrade.")
    );
    ada.shutdown().await;
}

/// Release 0.1 kept each setting under its own name in the store; the current release keeps one
/// typed record. Opening the fixture moves them over, and nothing of the old form stays behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn release_0_1_settings_move_into_one_record() {
    let dir = copy_device("v0.1", "ada");
    let passphrase = Passphrase::new(FIXTURE_PASSPHRASE);
    {
        let store = hearth_store::Store::open(dir.path(), &passphrase).expect("the fixture opens");
        assert_eq!(
            store.get_setting("name").expect("readable"),
            Some(b"Ada".to_vec()),
            "the fixture is in release 0.1's form"
        );
        assert_eq!(store.get_setting("settings").expect("readable"), None);
    }

    // Offline, so that nothing but the move can write the port into the record.
    let options = Options {
        start_network: false,
        kdf: KdfParams::insecure_fast_for_tests(),
        ..Options::default()
    };
    let ada = Hearth::open(dir.path(), &passphrase, options)
        .await
        .expect("the earlier release's journal opens");
    assert_eq!(ada.me().await.expect("me").name, "Ada");
    ada.shutdown().await;

    let store = hearth_store::Store::open(dir.path(), &passphrase).expect("the store reopens");
    for old in ["name", "udp_port", "network"] {
        assert_eq!(
            store.get_setting(old).expect("readable"),
            None,
            "{old} is in the record now"
        );
    }
    let record = store
        .get_setting("settings")
        .expect("readable")
        .expect("the settings record");
    let record: serde_json::Value = serde_json::from_slice(&record).expect("JSON");
    assert_eq!(record["name"], "Ada");
    assert_eq!(record["udp_port"], 47811);
    assert_eq!(record["network"]["mode"], "default");
}
