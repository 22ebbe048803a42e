//! More than two devices, as real processes over loopback: a second device of one person, a home
//! device, whose each one is, and what `status --json` says of them.

mod cli_support;
// The window's part of the test needs the window (not in the headless build).
#[cfg(feature = "gui")]
mod gui_support;

use cli_support::*;
use serde_json::Value;

fn sync(device: &Device) -> Run {
    let mut args = vec!["sync".to_owned(), "--timeout".to_owned(), "60".to_owned()];
    args.extend(device.net());
    device.run(&args)
}

/// The device ids of a member (by name) in a status.
fn devices_of(status: &Value, name: &str) -> Vec<String> {
    status["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["name"] == name)
        .map(|m| {
            m["devices"]
                .as_array()
                .expect("devices")
                .iter()
                .map(|d| d["id"].as_str().expect("id").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_second_device_and_a_home_device_join_and_every_device_learns_of_them() {
    let ada = Device::init("Ada");
    let bob = Device::init("Bob");
    pair(&ada, &bob);

    // The journal has its two people: no third.
    let mut args = vec!["invite", "--for", "partner", "--timeout", "5"]
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    args.extend(ada.net());
    let refused = ada.run(&args);
    refused.expect_code(1);
    assert!(
        refused.stderr.contains("both of you already"),
        "{refused:#?}"
    );

    // Bob's second device was set up under another name; it becomes Bob's.
    let bob2 = Device::init("Robert");
    bob2.write("Written on the tablet before it joined.");
    pair_with(&bob, &bob2, &["--for", "me"]);
    let tablet = bob2.status();
    assert_eq!(tablet["member"]["name"], "Bob");
    assert_eq!(tablet["member"]["id"], bob.status()["member"]["id"]);
    assert_eq!(tablet["home"], false);
    let mine: Vec<Value> = bob2
        .entries()
        .into_iter()
        .filter(|e| e["author"]["me"] == true)
        .collect();
    assert_eq!(mine.len(), 1, "the tablet's own entry came along as Bob's");

    // A person's device cannot join an invitation for a home device.
    let eve = Device::init("Eve");
    let (mut invite, ticket) = Pairing::invite_with(&ada, &["--for", "home"]);
    let mut join = Pairing::join(&eve, &ticket);
    let (a, b) = (invite.digits(), join.digits());
    invite.answer(&b);
    join.answer(&a);
    let (joined, said) = join.end();
    let _ = invite.end();
    assert_eq!(joined, Some(1), "{said}");
    assert!(said.contains("hearth init --home"), "{said}");

    // A home device pairs with Ada's.
    let home = Device::new();
    home.ok(&["init", "--home", "--device-name", "attic"]);
    let waiting = home.ok(&["status"]);
    assert!(waiting.contains("not joined yet"), "{waiting}");
    pair_with(&ada, &home, &["--for", "home"]);
    let status = home.status();
    assert_eq!(status["home"], true);
    assert!(
        status["members"]
            .as_array()
            .expect("members")
            .iter()
            .all(|m| m["me"] == false)
    );
    let refused = home.run(&["write", "nobody's words"]);
    refused.expect_code(1);
    assert!(refused.stderr.contains("home device"), "{refused:#?}");

    // Ada's device learns of Bob's tablet from Bob's phone; the tablet learns of the home device
    // from Ada's.
    let serving = bob.serve();
    sync(&ada).expect_code(0);
    drop(serving.stop());
    let seen = ada.status();
    assert_eq!(devices_of(&seen, "Bob").len(), 2, "{seen:#}");
    assert_eq!(devices_of(&seen, "Ada").len(), 1, "{seen:#}");
    assert_eq!(seen["home_devices"].as_array().expect("home").len(), 1);
    assert_eq!(seen["home_devices"][0]["name"], "attic", "{seen:#}");
    let me = seen["members"][0].clone();
    assert_eq!(me["me"], true);
    assert_eq!(me["devices"][0]["this_device"], true);

    let serving = ada.serve();
    sync(&bob2).expect_code(0);
    drop(serving.stop());
    let seen = bob2.status();
    assert_eq!(
        seen["home_devices"].as_array().expect("home").len(),
        1,
        "{seen:#}"
    );
    assert_eq!(devices_of(&seen, "Bob").len(), 2, "{seen:#}");

    // The tablet's entry reaches the home device through Ada's, though the two never met.
    let serving = ada.serve();
    sync(&home).expect_code(0);
    drop(serving.stop());
    assert!(
        home.texts()
            .contains(&"Written on the tablet before it joined.".to_owned())
    );

    // Ada removes Bob's tablet (it was lost): the journal key moves to epoch 1; next time the
    // tablet tries, it is told, with exit 6.
    assert_eq!(ada.status()["epoch"], 0);
    let tablet_id = bob2.status()["device_id"].as_str().expect("id").to_owned();
    ada.run(&["unpair", &tablet_id, "--yes"]).expect_code(0);
    let seen = ada.status();
    assert_eq!(seen["epoch"], 1, "{seen:#}");
    let gone = &seen["removed_devices"];
    assert_eq!(gone.as_array().map(Vec::len), Some(1), "{gone:#}");
    assert_eq!(gone[0]["id"], tablet_id.as_str());
    assert_eq!(gone[0]["owner"], "Bob");
    assert_eq!(gone[0]["removed_by"], seen["device_id"]);
    assert_eq!(gone[0]["can_bring_back"], false);
    // Ada's window shows the key on its way: no other device has it yet.
    #[cfg(feature = "gui")]
    {
        use egui_kittest::kittest::Queryable;
        let spec = hearth_app::gui::DeviceSpec {
            unlock: Some(hearth::Passphrase::new(PASSPHRASE)),
            ..hearth_app::gui::DeviceSpec::new(ada.dir(), gui_support::options())
        };
        let mut h = gui_support::window(vec![spec], gui_support::prefs(), gui_support::SIZE);
        gui_support::click(&mut h, "Settings");
        // Bob's phone and the home device are still on the key of before.
        gui_support::wait_until(&mut h, "the key on its way, in Ada's settings", |h| {
            h.query_all_by_label_contains("waiting for the new key")
                .count()
                == 2
        });
        assert!(
            h.query_by_label_contains("removed on your device")
                .is_some(),
            "the tablet is listed as removed, and by whom"
        );
        if std::env::var_os("HEARTH_LOOK").is_some() {
            h.query_all_by_label_contains("waiting for the new key")
                .next()
                .expect("shown")
                .scroll_to_me();
            gui_support::settle(&mut h);
            gui_support::snapshot(&mut h, "look_settings_key_on_its_way", &[]);
        }
    }
    // Undoing the removals of a device already removed that removed nobody changes nothing.
    let undo = ada.run(&["unpair", &tablet_id, "--undo-its-removals"]);
    undo.expect_code(0);
    assert!(
        undo.stderr
            .contains("already removed, and nothing it removed"),
        "{undo:#?}"
    );
    let text = ada.run(&["status"]).stdout;
    assert!(
        text.contains("renewed once"),
        "the text status says the key was renewed: {text}"
    );
    assert!(
        text.contains("Bob's device “") && text.contains("removed on your device"),
        "the text status names the removed device and who removed it: {text}"
    );
    // Bob's phone receives the new key from Ada's device; Ada's then sees that it has it.
    let serving = ada.serve();
    sync(&bob).expect_code(0);
    drop(serving.stop());
    assert_eq!(bob.status()["epoch"], 1);
    let serving = bob.serve();
    sync(&ada).expect_code(0);
    drop(serving.stop());
    let bobs = ada.status()["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["name"] == "Bob")
        .expect("Bob")["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .find(|d| d["id"] == bob.status()["device_id"])
        .expect("Bob's phone")
        .clone();
    assert_eq!(bobs["epoch"], 1, "{bobs:#}");
    let serving = ada.serve();
    let told = sync(&bob2);
    drop(serving.stop());
    told.expect_code(6);
    assert!(
        told.stderr.contains("removed from the journal"),
        "{told:#?}"
    );
    // The tablet's window says so, and offers to remove the device that did it, in case that
    // one is the lost one.
    #[cfg(feature = "gui")]
    {
        use egui_kittest::kittest::Queryable;
        let spec = hearth_app::gui::DeviceSpec {
            unlock: Some(hearth::Passphrase::new(PASSPHRASE)),
            ..hearth_app::gui::DeviceSpec::new(bob2.dir(), gui_support::options())
        };
        let mut h = gui_support::window(vec![spec], gui_support::prefs(), gui_support::SIZE);
        gui_support::wait_until(&mut h, "the removed banner", |h| {
            h.query_by_label_contains("This device was removed from your journal by Ada's")
                .is_some()
                && h.query_by_label("Lost or stolen? Remove it").is_some()
        });
        if std::env::var_os("HEARTH_LOOK").is_some() {
            gui_support::snapshot(&mut h, "look_removed_banner", &[]);
        }
    }
    let status = bob2.status();
    assert_eq!(status["removed"], true, "{status:#}");
    assert_eq!(status["epoch"], 0, "the tablet never receives the new key");
    assert!(
        bob2.run(&["write", "still here?"])
            .stderr
            .contains("removed")
    );
    // It keeps what it had.
    assert!(
        bob2.texts()
            .contains(&"Written on the tablet before it joined.".to_owned())
    );
}
