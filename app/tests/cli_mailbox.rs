//! `hearth mailbox` and `hearth sync` through a mailbox, with real processes: Ada and Bob pair in
//! person, then their devices are never online at the same moment and keep one journal through a
//! folder.

mod cli_support;

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
