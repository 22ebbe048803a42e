//! Two devices, two processes at a time, over loopback: pairing with the ticket the inviter prints,
//! writing on both, syncing with one serving and the other dialing, a partner who is not there,
//! a malformed ticket, `serve` stopping on SIGTERM, and unpairing.

mod cli_support;

use std::io::BufRead;

use cli_support::*;
use serde_json::Value;

fn sync(device: &Device, timeout: &str) -> Run {
    let mut args = vec![
        "sync".to_owned(),
        "--timeout".to_owned(),
        timeout.to_owned(),
    ];
    args.extend(device.net());
    device.run(&args)
}

#[test]
fn paired_devices_sync_through_serve_and_sync() {
    let ada = Device::init("Ada");
    let bob = Device::init("Bob");
    // Bob wrote before pairing: his entry comes along into the shared journal.
    bob.write("Written before we paired.");

    pair(&ada, &bob);
    // The first sync happened while pairing: Bob can write in the shared journal at once.
    assert!(
        bob.texts()
            .contains(&"Written before we paired.".to_owned())
    );
    let bid = ada.ok(&[
        "write",
        "--kind",
        "bid",
        "--bid",
        "look-at-this",
        "The heron is back.",
    ]);
    ada.write("From Ada.");
    bob.write("From Bob.");

    // Ada's device stays up; Bob's dials it, and both end with everything.
    let serving = ada.serve();
    sync(&bob, "60").expect_code(0);
    let (status, events, _) = serving.stop();
    assert!(status.success(), "serve ends cleanly on SIGTERM: {events}");
    assert!(events.contains("online"), "{events}");
    assert!(
        events.contains("Bob wrote a journal entry: From Bob."),
        "{events}"
    );
    assert!(
        events.lines().last().is_some_and(|l| l.contains("stopped")),
        "{events}"
    );

    let all = [
        "From Bob.",
        "From Ada.",
        "The heron is back.",
        "Written before we paired.",
    ];
    for device in [&ada, &bob] {
        let texts = device.texts();
        for text in all {
            assert!(
                texts.contains(&text.to_owned()),
                "{text:?} missing: {texts:?}"
            );
        }
    }
    let from_bob: Vec<Value> = ada
        .entries()
        .into_iter()
        .filter(|e| e["author"]["name"] == "Bob")
        .collect();
    assert_eq!(from_bob.len(), 2);
    assert!(from_bob.iter().all(|e| e["author"]["me"] == false));

    // Bob answers Ada's bid from his side; it reaches her with the next sync.
    bob.ok(&["respond", bid.trim(), "toward"]);
    let serving = bob.serve();
    sync(&ada, "60").expect_code(0);
    let (status, _, _) = serving.stop();
    assert!(status.success());
    let shown: Value =
        serde_json::from_str(&ada.ok(&["show", bid.trim(), "--json"])).expect("JSON");
    assert_eq!(shown["content"]["response"]["turn"], "toward");

    let status = ada.status();
    assert_eq!(status["partner"]["name"], "Bob");
    assert_eq!(status["partner_devices"][0]["name"], "Bob");
    assert_eq!(
        status["partner_devices"][0]["device_id"],
        bob.status()["device_id"]
    );
    assert_eq!(status["journal_id"], bob.status()["journal_id"]);

    // With nobody at the other end, `sync` says so and exits 3.
    let alone = sync(&bob, "2");
    alone.expect_code(3);
    assert!(
        alone.stderr.contains("could not reach Ada's device"),
        "{alone:#?}"
    );

    // Unpairing: Bob's device forgets Ada's, and has nobody to sync with.
    let device = status["partner_devices"][0]["device_id"]
        .as_str()
        .expect("device id")
        .to_owned();
    let ada_device = bob.status()["partner_devices"][0]["device_id"]
        .as_str()
        .expect("device id")
        .to_owned();
    bob.run(&["unpair", &ada_device[..10]]).expect_code(0);
    assert_eq!(bob.status()["partner_devices"], serde_json::json!([]));
    let lonely = sync(&bob, "2");
    lonely.expect_code(1);
    assert!(lonely.stderr.contains("not paired"), "{lonely:#?}");
    let gone = ada.run(&["unpair", "ffffffff"]);
    gone.expect_code(1);
    assert!(gone.stderr.contains("no paired device"), "{gone:#?}");
    ada.run(&["unpair", &device, "--yes"]).expect_code(0);
}

#[test]
fn a_malformed_ticket_is_refused_before_anything_else() {
    let bob = Device::init("Bob");
    let before = bob.files();
    for ticket in ["hello", "hearth1abc", "hearth1-zzzz-!!!!"] {
        // No passphrase is given: the ticket is refused before it would be asked for.
        let mut command = bob.command(&["join", ticket, "--local"]);
        command.env_remove("HEARTH_PASSPHRASE");
        let run = run(command);
        run.expect_code(1);
        assert!(
            run.stderr
                .starts_with("hearth: that is not a valid invitation code"),
            "{run:#?}"
        );
        assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
    }
    assert_eq!(bob.files(), before);

    // A well-formed invitation that expired an hour ago has its own code.
    let hour_ago = hearth::UnixMs::now()
        .minus(std::time::Duration::from_secs(3_600))
        .as_unsigned_millis();
    let expired = hearth::Ticket::with_expiry(
        [9; 32],
        None,
        vec!["127.0.0.1:9".parse().expect("an address")],
        hearth_crypto::InvitationSecret::from_bytes([5; 16]),
        hour_ago,
    )
    .expect("a ticket");
    let mut command = bob.command(&["join", &expired.to_text(), "--local"]);
    command.env_remove("HEARTH_PASSPHRASE");
    let run = run(command);
    run.expect_code(5);
    assert!(
        run.stderr.contains("that invitation expired at"),
        "{run:#?}"
    );
    assert_eq!(bob.files(), before);
}

#[test]
fn an_invitation_nobody_takes_closes_with_its_own_code() {
    let ada = Device::init("Ada");
    let mut args = vec!["invite".to_owned(), "--timeout".to_owned(), "1".to_owned()];
    args.extend(ada.net());
    let mut child = ada.spawn(&args);
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut ticket = String::new();
    stdout.read_line(&mut ticket).expect("the ticket line");
    assert!(
        ticket.starts_with("hearth1"),
        "stdout is not a terminal: the ticket comes first"
    );
    let status = wait_bounded(&mut child);
    let said = rest(child.stderr.take());
    assert_eq!(status.code(), Some(5), "{said}");
    assert!(said.contains("nobody joined in time"), "{said}");
    assert_eq!(ada.status()["partner_devices"], serde_json::json!([]));
}

#[test]
fn strings_that_differ_pair_nobody() {
    let ada = Device::init("Ada");
    let bob = Device::init("Bob");
    let (mut invite, ticket) = Pairing::invite(&ada);
    let mut join = Pairing::join(&bob, &ticket);
    let (a, b) = (invite.digits(), join.digits());
    assert_eq!(a, b);
    // Bob's side is given other digits, as a man in the middle would make them: it declines,
    // and Ada's side, still waiting for its line, hears so.
    join.answer("00000 00000 00001");
    let (joined, joined_said) = join.end();
    let (invited, invited_said) = invite.end();
    assert_eq!(joined, Some(4), "{joined_said}");
    assert!(
        joined_said.contains("strings do not match"),
        "{joined_said}"
    );
    assert_eq!(invited, Some(4), "{invited_said}");
    assert!(
        invited_said.contains("your partner declined"),
        "{invited_said}"
    );
    for device in [&ada, &bob] {
        assert_eq!(device.status()["partner_devices"], serde_json::json!([]));
    }

    // `--yes` is gone: nothing confirms a string unseen.
    let blind = ada.run(&["invite", "--yes"]);
    blind.expect_code(2);
    assert!(blind.stderr.contains("--yes"), "{blind:#?}");
}
