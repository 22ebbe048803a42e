//! Hearth on real networks: hosts in Linux network namespaces, wired by bridges and routers, each
//! running the real `hearth` binary, with iroh's real relay server where a network has one
//! (docs/robustness.md, "Real networks"). Each test prints what it measured; each is skipped,
//! with a line that says why, where the machine does not allow network namespaces.

mod cli_support;
mod netns;

use std::time::Duration;

use netns::{Host, Net, Relay, Stopwatch, begin, pair, say};
use serde_json::Value;

/// A text that must never cross a wire readable: it is written into the journal, then looked for
/// in the captured packets.
fn canary(test: &str) -> String {
    format!("canary-{test}-{}-in-the-hearth", std::process::id())
}

/// The route of the one partner device in a `status --json`.
fn partner_route(status: &Value) -> String {
    status["partner_devices"][0]["route"]
        .as_str()
        .unwrap_or("none")
        .to_owned()
}

/// 1. A LAN without internet, default settings: two hosts on one bridge pair; then one moves to
///    another address and port, and the other finds it by LAN discovery alone. With LAN
///    discovery off, the same sync fails with exit 3 and says why.
#[test]
fn on_a_lan_without_internet_a_moved_partner_is_found_by_lan_discovery() {
    let Some(_one) = begin("LAN", &[]) else {
        return;
    };
    let mut net = Net::new("lan");
    let switch = net.switch("sw", &["br0"]);
    // The home router, whose uplink is down: it answers on the LAN and forwards nothing.
    let router = net.namespace("gw");
    net.plug(&router, "eth0", "10.77.1.1/24", &switch, "br0");
    let ada_ns = net.namespace("ada");
    let bob_ns = net.namespace("bob");
    for (ns, ip) in [(&ada_ns, "10.77.1.2/24"), (&bob_ns, "10.77.1.3/24")] {
        net.plug(ns, "eth0", ip, &switch, "br0");
        net.ip(ns, &["route", "add", "default", "via", "10.77.1.1"]);
    }

    // Default settings: no network option at all (iroh's public relays and DNS, which this
    // network cannot reach, and LAN discovery).
    let ada = Host::init(&ada_ns, "Ada");
    let bob = Host::init(&bob_ns, "Bob");
    let clock = Stopwatch::start("LAN");
    pair(&ada, &bob, &[]);
    clock.lap("pairing on the LAN");

    // Bob's computer gets another address on the LAN, and Hearth there another port. Ada's
    // device dials from a port of its own too, so that Bob's cannot reach it where it was: each
    // remembers only addresses that are gone.
    net.ip(&bob_ns, &["addr", "del", "10.77.1.3/24", "dev", "eth0"]);
    net.ip(&bob_ns, &["addr", "add", "10.77.1.33/24", "dev", "eth0"]);
    // (Its default route went with the old address; the router hands it out again.)
    net.ip(&bob_ns, &["route", "add", "default", "via", "10.77.1.1"]);
    let text = "Written after the move.";
    bob.write(text);
    let serving = bob.serve(&["--bind", "0.0.0.0:47133"]);

    let mut clock = Stopwatch::start("LAN");
    let blind = ada.sync(&[
        "--no-lan-discovery",
        "--timeout",
        "8",
        "--bind",
        "0.0.0.0:47102",
    ]);
    clock.lap("sync with LAN discovery off, until it gave up");
    blind.expect_code(3);
    assert!(
        blind.stderr.contains("could not reach Bob's device")
            && blind.stderr.contains("LAN discovery is off"),
        "the message says why: {blind:#?}"
    );
    assert!(!ada.texts().contains(&text.to_owned()));

    clock.restart();
    let found = ada.sync(&["--timeout", "60", "--bind", "0.0.0.0:47103"]);
    clock.lap("sync by LAN discovery (found the moved partner and synced)");
    found.expect_code(0);
    assert!(
        ada.texts().contains(&text.to_owned()),
        "the entry arrived: {found:#?}"
    );
    let (events, _) = serving.stop();
    let online = events
        .iter()
        .find(|e| e["event"] == "online")
        .expect("Bob's device saw Ada's come online");
    assert_eq!(online["route"], "lan", "{online}");
}

/// The relay's network for test 2: each host on a wire of its own to the relay's host, which
/// forwards nothing; the relay's address is on its loopback, routed to from both wires.
const RELAY_IP: &str = "192.0.2.10";

/// 2. Relay only: two hosts on separate networks that reach nothing but a third host running the
///    real relay server pair through a ticket that names it, and sync; a capture on the relay
///    host holds none of the journal's text.
#[test]
fn through_a_relay_only_nothing_readable_crosses_the_relay() {
    let Some(_one) = begin("relay only", &["tcpdump"]) else {
        return;
    };
    let mut net = Net::new("relay");
    let relay_ns = net.namespace("relay");
    let ada_ns = net.namespace("ada");
    let bob_ns = net.namespace("bob");
    net.wire(&ada_ns, "eth0", &relay_ns, "to-ada");
    net.wire(&bob_ns, "eth0", &relay_ns, "to-bob");
    net.address(&relay_ns, "to-ada", "198.51.100.1/24");
    net.address(&ada_ns, "eth0", "198.51.100.2/24");
    net.address(&relay_ns, "to-bob", "203.0.113.1/24");
    net.address(&bob_ns, "eth0", "203.0.113.2/24");
    net.ip(
        &relay_ns,
        &["addr", "add", &format!("{RELAY_IP}/32"), "dev", "lo"],
    );
    net.ip(&ada_ns, &["route", "add", RELAY_IP, "via", "198.51.100.1"]);
    net.ip(&bob_ns, &["route", "add", RELAY_IP, "via", "203.0.113.1"]);
    let relay = Relay::start(&relay_ns, RELAY_IP);
    let capture = net.capture(&relay_ns, "any");

    let ada = Host::init(&ada_ns, "Ada").with_net(&["--relay", &relay.url]);
    let bob = Host::init(&bob_ns, "Bob").with_net(&["--relay", &relay.url]);
    let mut clock = Stopwatch::start("relay only");
    let ticket = pair(&ada, &bob, &[]);
    clock.lap("pairing through the relay");
    let now = hearth::UnixMs::now().as_unsigned_millis();
    let named = hearth::Ticket::from_text(&ticket, now).expect("a ticket");
    assert_eq!(
        named.relay_url().map(|r| r.trim_end_matches('/')),
        Some(relay.url.as_str()),
        "the ticket names the relay"
    );

    let secret = canary("relay");
    ada.write(&secret);
    let mut serving = bob.serve(&[]);
    clock.restart();
    ada.sync(&["--timeout", "60"]).expect_code(0);
    clock.lap("sync through the relay");
    let online = serving
        .wait_event(Duration::from_secs(10), |e| e["event"] == "online")
        .expect("Bob's device saw Ada's");
    assert_eq!(online["route"], "relayed", "{online}");
    serving.stop();
    assert!(bob.texts().contains(&secret), "the entry arrived");

    let captured = capture.stop();
    let relayed = captured.payload_bytes(&format!("tcp and host {RELAY_IP} and port 3340"));
    say(&format!(
        "relay only: the relay carried {relayed} bytes of TCP payload"
    ));
    assert!(
        relayed > 2_000,
        "the relay carried the sync: {relayed} bytes"
    );
    // The capture reads the relay's plain HTTP (its upgrade request), so it would read a canary
    // sent in the clear too.
    assert!(
        captured.contains(b"GET /relay"),
        "the capture sees the relay's HTTP"
    );
    assert!(
        !captured.contains(secret.as_bytes()),
        "the journal's text crossed the relay readable"
    );
}

/// 3. Behind NAT: each host behind a masquerading router of its own, the relay on the "internet"
///    between them. They pair and sync, and the status shows the path really used, checked
///    against a capture of the internet's wire.
#[test]
fn behind_nat_the_status_shows_the_path_really_used() {
    let Some(_one) = begin("NAT", &["tcpdump", "nft"]) else {
        return;
    };
    let mut net = Net::new("nat");
    let internet = net.switch("inet", &["br0"]);
    let relay_ns = net.namespace("relay");
    net.plug(&relay_ns, "eth0", "203.0.113.10/24", &internet, "br0");
    let mut homes = Vec::new();
    for (who, wan, lan) in [("ada", "203.0.113.2", 1), ("bob", "203.0.113.3", 2)] {
        let router = net.namespace(&format!("r{who}"));
        let host = net.namespace(who);
        net.plug(&router, "wan", &format!("{wan}/24"), &internet, "br0");
        net.wire(&router, "lan", &host, "eth0");
        net.address(&router, "lan", &format!("10.77.{lan}.1/24"));
        net.address(&host, "eth0", &format!("10.77.{lan}.2/24"));
        net.ip(
            &host,
            &["route", "add", "default", "via", &format!("10.77.{lan}.1")],
        );
        net.masquerade(&router, "wan");
        homes.push(host);
    }
    let relay = Relay::start(&relay_ns, "203.0.113.10");

    let ada = Host::init(&homes[0], "Ada").with_net(&["--relay", &relay.url]);
    let bob = Host::init(&homes[1], "Bob").with_net(&["--relay", &relay.url]);
    let mut clock = Stopwatch::start("NAT");
    pair(&ada, &bob, &[]);
    clock.lap("pairing behind two NATs");
    let text = "Written behind a NAT.";
    ada.write(text);

    let capture = net.capture(&internet, "br0");
    let serving = ada.serve(&[]);
    clock.restart();
    let status = bob.status(&["--online", "--timeout", "15"]);
    clock.lap("status --online (reached the partner)");
    let (events, _) = serving.stop();
    let captured = capture.stop();
    let route = partner_route(&status);
    say(&format!("NAT: the status says the route is {route}"));

    let direct = captured.packets("udp and host 203.0.113.2 and host 203.0.113.3");
    let ada_to_relay = captured.payload_bytes("tcp and src host 203.0.113.2 and port 3340");
    let bob_to_relay = captured.payload_bytes("tcp and src host 203.0.113.3 and port 3340");
    say(&format!(
        "NAT: direct UDP packets between the two routers: {}; bytes each sent the relay: {ada_to_relay}, {bob_to_relay}",
        direct.len()
    ));
    // Nobody ever saw a private address on the internet's wire: the NATs did their job.
    assert!(captured.packets("net 10.0.0.0/8").is_empty());
    match route.as_str() {
        // Hole punching worked: the devices talked straight to each other's router.
        "internet" => {
            let each_way = |from: &str, to: &str| {
                captured
                    .packets(&format!("udp and src host {from} and dst host {to}"))
                    .len()
            };
            assert!(
                each_way("203.0.113.2", "203.0.113.3") >= 5
                    && each_way("203.0.113.3", "203.0.113.2") >= 5,
                "the status says internet, but the routers exchanged no UDP: {direct:?}"
            );
        }
        "relayed" => {
            assert!(
                ada_to_relay > 1_000 && bob_to_relay > 1_000,
                "the status says relayed, but the relay carried little"
            );
        }
        other => panic!("the partner's route is {other}: {status:#}\nevents: {events:?}"),
    }

    clock.restart();
    let serving = ada.serve(&[]);
    bob.sync(&["--timeout", "60"]).expect_code(0);
    clock.lap("sync behind two NATs");
    serving.stop();
    assert!(bob.texts().contains(&text.to_owned()));
}

/// 4. The partner moves between networks during live sync: Bob's computer is unplugged from one
///    LAN and plugged into another (its wire moved from one bridge to the other, a new address
///    from that LAN's router) while both devices run `hearth serve`. The session recovers without
///    either being restarted, and every entry arrives.
///
/// The entries come from a third device, Ada's phone, on Ada's computer and reachable from there
/// alone (bound to its loopback): each reaches Ada's running device, which hands it on to Bob's
/// live. A person's writing reaches a running device the same way.
#[test]
fn a_partner_moving_between_networks_keeps_syncing_live() {
    let Some(_one) = begin("moving", &[]) else {
        return;
    };
    let mut net = Net::new("move");
    let switch = net.switch("sw", &["br1", "br2"]);
    let router = net.namespace("gw");
    net.plug(&router, "lan1", "10.77.1.1/24", &switch, "br1");
    net.plug(&router, "lan2", "10.77.2.1/24", &switch, "br2");
    net.forward(&router);
    let ada_ns = net.namespace("ada");
    let bob_ns = net.namespace("bob");
    net.plug(&ada_ns, "eth0", "10.77.1.2/24", &switch, "br1");
    let bob_port = net.plug(&bob_ns, "eth0", "10.77.1.3/24", &switch, "br1");
    for ns in [&ada_ns, &bob_ns] {
        net.ip(ns, &["route", "add", "default", "via", "10.77.1.1"]);
    }

    let ada = Host::init(&ada_ns, "Ada").with_net(&["--local"]);
    let bob = Host::init(&bob_ns, "Bob").with_net(&["--local"]);
    let phone = Host::init(&ada_ns, "Ada").with_net(&[
        "--local",
        "--no-lan-discovery",
        "--bind",
        "127.0.0.1:47300",
    ]);
    pair(&ada, &bob, &[]);
    pair(&ada, &phone, &["--for", "me"]);

    let mut ada_serving = ada.serve(&[]);
    let mut bob_serving = bob.serve(&[]);
    let bob_pid = bob_serving.pid();
    let connected = |s: &mut netns::Serving| {
        s.wait_event(Duration::from_secs(60), |e| e["event"] == "online")
            .is_some()
    };
    assert!(connected(&mut ada_serving) && connected(&mut bob_serving));

    // Written on the phone and synced to Ada's device; returns how long it then took to reach
    // Bob's.
    let mut written = Vec::new();
    let mut pass_on = |n: usize, bob_serving: &mut netns::Serving| {
        let text = format!("Entry {n}, written on the phone.");
        phone.write(&text);
        phone.sync(&["--timeout", "3"]).expect_code(0);
        let clock = std::time::Instant::now();
        let arrived = bob_serving.wait_event(Duration::from_secs(90), |e| {
            e["event"] == "entry" && e["entry"]["text"] == text.as_str()
        });
        assert!(arrived.is_some(), "entry {n} never reached Bob's device");
        written.push(text);
        clock.elapsed()
    };
    for n in 1..=2 {
        let took = pass_on(n, &mut bob_serving);
        say(&format!(
            "moving: entry {n} reached Bob's device {:.1} s after it reached Ada's",
            took.as_secs_f64()
        ));
    }

    // Bob's computer moves to the other LAN.
    let clock = Stopwatch::start("moving");
    net.ip(&switch, &["link", "set", &bob_port, "nomaster"]);
    net.ip(&switch, &["link", "set", &bob_port, "master", "br2"]);
    net.ip(&bob_ns, &["addr", "flush", "dev", "eth0"]);
    net.ip(&bob_ns, &["addr", "add", "10.77.2.3/24", "dev", "eth0"]);
    net.ip(&bob_ns, &["route", "add", "default", "via", "10.77.2.1"]);
    for n in 3..=4 {
        let took = pass_on(n, &mut bob_serving);
        say(&format!(
            "moving: entry {n} reached Bob's device {:.1} s after it reached Ada's",
            took.as_secs_f64()
        ));
        if n == 3 {
            clock.lap("from the move until the first entry written after it reached Bob's device");
        }
    }
    assert_eq!(bob_serving.pid(), bob_pid);
    bob_serving.stop();
    ada_serving.stop();

    let ids = |host: &Host| {
        let mut ids: Vec<String> = host
            .entries()
            .iter()
            .map(|e| e["id"].as_str().expect("id").to_owned())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&bob), ids(&ada), "both journals hold the same entries");
    let texts = bob.texts();
    for text in &written {
        assert!(texts.contains(text), "{text:?} was lost");
    }
}

/// How many entries the flaky link's bulk sync carries, half written on each side.
const BULK: usize = 2_000;

/// 5. A flaky link (10% loss, 200 ms delay, reordering, each way) during a bulk sync of 2,000
///    entries: it completes, and the two journals are identical.
#[test]
fn over_a_flaky_link_a_bulk_sync_completes_and_the_journals_match() {
    let Some(_one) = begin("flaky link", &["tc"]) else {
        return;
    };
    let mut net = Net::new("flaky");
    let router = net.namespace("gw");
    let ada_ns = net.namespace("ada");
    let bob_ns = net.namespace("bob");
    for (ns, lan, n) in [(&ada_ns, "lan1", 1), (&bob_ns, "lan2", 2)] {
        net.wire(&router, lan, ns, "eth0");
        net.address(&router, lan, &format!("10.77.{n}.1/24"));
        net.address(ns, "eth0", &format!("10.77.{n}.2/24"));
        net.ip(
            ns,
            &["route", "add", "default", "via", &format!("10.77.{n}.1")],
        );
    }
    net.forward(&router);

    let ada = Host::init(&ada_ns, "Ada").with_net(&["--local", "--no-lan-discovery"]);
    let bob = Host::init(&bob_ns, "Bob").with_net(&["--local", "--no-lan-discovery"]);
    pair(&ada, &bob, &[]);
    // Each writes half, at the same time: the sync carries both halves, one each way.
    let clock = Stopwatch::start("flaky link");
    std::thread::scope(|s| {
        for host in [&ada, &bob] {
            s.spawn(move || {
                host.write_many(BULK / 2, |n| {
                    format!("Entry {n} of a long evening's writing.")
                });
            });
        }
    });
    clock.lap(&format!("writing {BULK} entries, half on each device"));

    let faults = netns::Faults {
        loss: 10,
        delay: Duration::from_millis(200),
        reorder: 25,
    };
    let link = netns::Impairment::start(&net, &router, &["lan1", "lan2"], faults);
    say(&format!("flaky link: {faults:?}, made by {}", link.how));
    let serving = bob.serve(&[]);
    let clock = Stopwatch::start("flaky link");
    let synced = ada.sync(&["--timeout", "300"]);
    clock.lap(&format!("bulk sync of {BULK} entries over the flaky link"));
    synced.expect_code(0);
    serving.stop();
    if link.how != "netem" {
        say(&format!(
            "flaky link: the forwarder dropped {} packets and passed on {}",
            link.dropped.load(std::sync::atomic::Ordering::Relaxed),
            link.forwarded.load(std::sync::atomic::Ordering::Relaxed)
        ));
    }
    drop(link);

    let (on_ada, on_bob) = (ada.entries(), bob.entries());
    assert_eq!(on_ada.len(), BULK, "every entry is on Ada's device");
    let same = |e: &Value| {
        (
            e["id"].clone(),
            e["text"].clone(),
            e["author"]["id"].clone(),
        )
    };
    assert_eq!(
        on_ada.iter().map(same).collect::<Vec<_>>(),
        on_bob.iter().map(same).collect::<Vec<_>>(),
        "the two journals are identical"
    );
}
