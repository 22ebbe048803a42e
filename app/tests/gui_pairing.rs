//! Two devices side by side in one window, as in `hearth demo`, each with its own journal and its
//! own iroh endpoint on loopback: pairing through the screens (invitation, ticket, the short
//! string on both sides), then live sync and the question of the day.

mod gui_support;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use gui_support::*;
use hearth_app::gui::Gui;

const ADA: &str = "Ada's laptop";
const BOB: &str = "Bob's laptop";

/// The demo's window size.
const WIDE: egui::Vec2 = egui::vec2(1440.0, 860.0);

fn two_devices() -> (tempfile::TempDir, tempfile::TempDir, Harness<'static, Gui>) {
    let (a, b) = (
        tempfile::tempdir().expect("a temporary directory"),
        tempfile::tempdir().expect("a temporary directory"),
    );
    create_journal(a.path(), "Ada");
    create_journal(b.path(), "Bob");
    let mut h = window(
        vec![unlocked(a.path(), Some(ADA)), unlocked(b.path(), Some(BOB))],
        prefs(),
        WIDE,
    );
    wait_until(&mut h, "both journals open", |h| {
        shows_within(h, ADA, "QUESTION OF THE DAY") && shows_within(h, BOB, "QUESTION OF THE DAY")
    });
    (a, b, h)
}

/// Opens an invitation on Ada's side and types its text into Bob's, up to the short string.
/// With `picture`, the invitation's snapshot is taken on the way.
fn pair_up_to_the_comparison(h: &mut Harness<'_, Gui>, picture: bool) {
    click_in(h, ADA, "Invite or join");
    click_in(h, BOB, "Invite or join");
    click_in(h, ADA, "Show an invitation");
    wait_until(h, "the invitation", |h| {
        h.query_by_role_and_label(egui::accesskit::Role::GenericContainer, ADA)
            .and_then(|d| d.query_by_label("Invitation text"))
            .and_then(|n| n.value())
            .is_some_and(|t| t.starts_with("hearth"))
    });
    let ticket = within(h, ADA, "Invitation text")
        .value()
        .expect("the invitation's text");
    assert!(
        h.query_by_label("QR code of the invitation").is_some(),
        "the invitation shows as a QR code too"
    );
    assert!(shows_within(h, ADA, "Valid for 9:"), "a countdown shows");
    if picture {
        snapshot(
            h,
            "pairing_invite",
            &[
                "QR code of the invitation",
                "Invitation text",
                "Valid for",
                "Waiting for the other device",
            ],
        );
    }
    within(h, BOB, "Invitation").focus();
    h.step();
    within(h, BOB, "Invitation").type_text(&ticket);
    h.step();
    click_in(h, BOB, "Join");
    wait_until(h, "the short string on both sides", |h| {
        shows_within(h, ADA, "Do these match?") && shows_within(h, BOB, "Do these match?")
    });
}

/// What a device shows to compare: the names of its pictures, and its numbers.
fn short_string(h: &Harness<'_, Gui>, device: &str) -> Vec<String> {
    let shown = labels(&group(h, device).get_by_label("The pictures and numbers to compare"));
    assert!(
        shown.iter().any(|l| l.starts_with("The numbers ")),
        "{device} shows numbers: {shown:?}"
    );
    shown
}

#[test]
fn pairing_through_the_screens_then_entries_and_answers_travel_live() {
    let (_a, _b, mut h) = two_devices();
    pair_up_to_the_comparison(&mut h, true);
    assert_eq!(
        short_string(&h, ADA),
        short_string(&h, BOB),
        "both screens show the same short string"
    );
    for device in [ADA, BOB] {
        let pictures = group(&h, device).get_by_label("The pictures and numbers to compare");
        assert!(
            pictures
                .query_all_by_role(egui::accesskit::Role::Image)
                .count()
                >= 5,
            "{device} shows the short string as pictures"
        );
    }
    snapshot(
        &mut h,
        "pairing_compare",
        &["The pictures and numbers to compare"],
    );

    click_in(&mut h, ADA, "They match");
    assert!(shows_within(&h, ADA, "Waiting for your partner to confirm"));
    click_in(&mut h, BOB, "They match");
    wait_until(&mut h, "both paired", |h| {
        shows_within(h, ADA, "You're connected") && shows_within(h, BOB, "You're connected")
    });
    // The partner's name comes with the journal's first sync, a moment after pairing.
    wait_until(&mut h, "each named to the other", |h| {
        shows_within(h, ADA, "You and Bob now share one journal")
            && shows_within(h, BOB, "You and Ada now share one journal")
    });
    click_in(&mut h, ADA, "Open our journal");
    click_in(&mut h, BOB, "Open our journal");
    wait_until(&mut h, "the partner online in the status bar", |h| {
        shows_within(h, ADA, "Bob is online") && shows_within(h, BOB, "Ada is online")
    });

    // Ada writes; Bob's Today shows it without anyone pressing anything.
    click_in(&mut h, ADA, "Write");
    within(&h, ADA, "Your entry").focus();
    h.step();
    within(&h, ADA, "Your entry").type_text("Dinner by the lake was lovely.");
    h.step();
    click_in(&mut h, ADA, "Share with Bob");
    wait_until(&mut h, "Ada's entry on Bob's side", |h| {
        shows_within(h, BOB, "Dinner by the lake was lovely.")
    });
    assert!(shows_within(&h, BOB, "Lately from Ada"));

    // Bob would rather not answer this question: he skips it, and both get the next one.
    click_in(&mut h, ADA, "Today");
    let question = |h: &Harness<'_, Gui>, device: &str| -> Option<String> {
        labels(&group(h, device))
            .into_iter()
            .find(|l| l.starts_with("Question of the day: "))
    };
    let before = question(&h, ADA).expect("Ada's question of the day");
    assert_eq!(question(&h, BOB).as_ref(), Some(&before));
    click_in(&mut h, BOB, "Not this one? Skip this question");
    wait_until(&mut h, "the next question on both sides", |h| {
        let (a, b) = (question(h, ADA), question(h, BOB));
        a.is_some() && a == b && a.as_ref() != Some(&before)
    });

    // Ada would like the morning check-in on weekdays only: she proposes it, Bob agrees.
    click_in(&mut h, ADA, "Settings");
    click_in(&mut h, ADA, "Change morning check-in");
    click_in(&mut h, ADA, "Sat");
    click_in(&mut h, ADA, "Sun");
    click_in(&mut h, ADA, "Propose to Bob");
    wait_until(&mut h, "the proposal on both sides", |h| {
        shows_within(h, ADA, "Waiting for Bob to agree: weekdays at 08:00")
            && shows_within(h, BOB, "Ada proposes a change to morning check-in")
    });
    click_in(&mut h, BOB, "Agree");
    wait_until(&mut h, "the change agreed on both sides", |h| {
        shows_within(h, ADA, "Set by you, agreed by Bob")
            && !shows_within(h, BOB, "Ada proposes a change")
    });
    assert!(shows_within(&h, ADA, "Weekdays at 08:00"));
    click_in(&mut h, ADA, "Today");

    // The question of the day: Ada answers; Bob sees that she did, not what she said.
    within(&h, ADA, "Your answer").focus();
    h.step();
    within(&h, ADA, "Your answer").type_text("A cabin with a stove.");
    h.step();
    click_in(&mut h, ADA, "Answer");
    wait_until(&mut h, "Ada's answer reaching Bob", |h| {
        shows_within(h, BOB, "Ada has answered. Yours first")
    });
    assert!(shows_within(&h, ADA, "Waiting for Bob"));
    snapshot(
        &mut h,
        "today_paired",
        &[
            "Today is",
            "Question of the day:",
            "is online",
            "Last synced",
        ],
    );
    assert!(
        !shows_within(&h, BOB, "A cabin with a stove."),
        "Bob cannot read Ada's answer before answering"
    );
    // Ada's answer is sealed until Bob answers; she may show it to him now instead.
    click_in(&mut h, ADA, "Timeline");
    wait_until(&mut h, "Ada's sealed answer on her timeline", |h| {
        shows_within(h, ADA, "Show Bob now")
    });
    click_in(&mut h, ADA, "Today");
    click_in(&mut h, BOB, "Timeline");
    wait_for(&mut h, "opens here once you have both answered");
    assert!(!shows_within(&h, BOB, "A cabin with a stove."));
    click_in(&mut h, BOB, "Today");
    within(&h, BOB, "Your answer").focus();
    h.step();
    within(&h, BOB, "Your answer").type_text("The sea, always.");
    h.step();
    click_in(&mut h, BOB, "Answer");
    wait_until(&mut h, "both answers on both sides", |h| {
        shows_within(h, BOB, "A cabin with a stove.") && shows_within(h, ADA, "The sea, always.")
    });

    // Bob comments on Ada's entry; Ada deletes it; Bob is told his comment went with it.
    click_in(&mut h, BOB, "Timeline");
    wait_until(&mut h, "Ada's entry on Bob's timeline", |h| {
        shows_within(h, BOB, "Dinner by the lake was lovely.")
    });
    click_in(&mut h, "Journal by Ada", "Comment");
    settle(&mut h);
    type_into(&mut h, "Your comment", "So was the company.");
    click_in(&mut h, "Journal by Ada", "Send");
    click_in(&mut h, ADA, "Timeline");
    wait_until(&mut h, "Bob's comment on Ada's side", |h| {
        shows_within(h, ADA, "So was the company.")
    });
    click_in(&mut h, "Journal by You", "Delete");
    assert!(
        h.query_by_label_contains("sealed history still holds them")
            .is_some(),
        "deleting says what it removes, and what it cannot"
    );
    click_in(&mut h, "Journal by You", "Yes, delete it");
    wait_until(&mut h, "the deletion on Bob's side", |h| {
        shows_within(h, BOB, "your comment went with it")
    });
    assert!(!shows_within(&h, BOB, "Dinner by the lake"));
    assert!(!shows_within(&h, BOB, "So was the company."));
    // Only journal entries, so that the picture holds no question of the day (it changes daily).
    click_in(&mut h, ADA, "Journal");
    click_in(&mut h, BOB, "Journal");
    wait_for(&mut h, "your comment went with it");
    snapshot(&mut h, "timeline_deleted", &["is online", "Last synced"]);

    // Ada reaches out; Bob keeps it for later, and it waits on his Today until he turns toward it.
    click_in(&mut h, ADA, "Write");
    click_in(&mut h, ADA, "Bid");
    click_in(&mut h, ADA, "Look at this");
    type_into(&mut h, "A note (optional)", "The heron is back on the roof");
    click_in(&mut h, ADA, "Share with Bob");
    click_in(&mut h, BOB, "Today");
    wait_until(&mut h, "Ada's bid on Bob's Today", |h| {
        shows_within(h, BOB, "The heron is back on the roof")
    });
    click_in(&mut h, BOB, "Later");
    wait_until(&mut h, "the bid kept for later", |h| {
        shows_within(h, BOB, "Kept for later, since today")
    });
    if std::env::var_os("HEARTH_LOOK").is_some() {
        within(&h, BOB, "Kept for later, since today").scroll_to_me();
        settle(&mut h);
        snapshot(&mut h, "look_today_kept_for_later", &[]);
    }
    click_in(&mut h, BOB, "Turn toward");
    wait_until(&mut h, "the bid turned toward", |h| {
        !shows_within(h, BOB, "Kept for later, since today")
    });

    // Settings lists the journal's devices by person, and offers to add one of one's own.
    click_in(&mut h, ADA, "Settings");
    wait_until(&mut h, "the devices in Ada's settings", |h| {
        shows_within(h, ADA, "Bob's") && shows_within(h, ADA, "Add another of my devices")
    });
    assert!(shows_within(&h, ADA, "Yours"));
    click_in(&mut h, ADA, "Remove");
    assert!(
        shows_within(&h, ADA, "cuts it off from the journal on every device"),
        "removing says what it does before it does it"
    );
    click_in(&mut h, ADA, "Keep it");
    if std::env::var_os("HEARTH_LOOK").is_some() {
        within(&h, ADA, "Devices").scroll_to_me();
        settle(&mut h);
        snapshot(&mut h, "look_settings_devices", &[]);
    }
}

#[test]
fn saying_the_pictures_differ_pairs_nothing_on_either_side() {
    let (_a, _b, mut h) = two_devices();
    pair_up_to_the_comparison(&mut h, false);
    click_in(&mut h, ADA, "They don't match");
    wait_until(&mut h, "the outcome on both sides", |h| {
        shows_within(h, ADA, "You said the pictures didn't match")
            && shows_within(h, BOB, "Your partner said the pictures didn't match")
    });
    click_in(&mut h, ADA, "Close");
    click_in(&mut h, BOB, "Close");
    wait_until(&mut h, "Today on both sides", |h| {
        shows_within(h, ADA, "QUESTION OF THE DAY") && shows_within(h, BOB, "QUESTION OF THE DAY")
    });
    for device in [ADA, BOB] {
        assert!(
            shows_within(&h, device, "Not paired yet"),
            "{device} stored no partner"
        );
    }
}
