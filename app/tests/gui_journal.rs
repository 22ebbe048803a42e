//! One person's journal through the window: Today, composing each kind of entry, the timeline
//! with its filters, search, comments, reactions and edits, insights, settings, and the dark
//! theme.

mod gui_support;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use gui_support::*;
use hearth_app::gui::Gui;

/// Composes an entry of `kind` with `fill`, sends it, and waits for it on the timeline.
fn compose(
    h: &mut Harness<'_, Gui>,
    kind: &str,
    fill: impl FnOnce(&mut Harness<'_, Gui>),
    shows: &str,
) {
    click(h, "Write");
    click(h, kind);
    fill(h);
    let send = h
        .query_all_by_role(egui::accesskit::Role::Button)
        .find(|b| {
            b.accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with("Save to our journal") || l == "Keep it")
        })
        .expect("a send button")
        .accesskit_node()
        .label()
        .expect("a label");
    click(h, &send);
    wait_for(h, shows);
}

fn open_journal(dir: &std::path::Path) -> Harness<'static, Gui> {
    create_journal(dir, "Ada");
    let mut h = window(vec![unlocked(dir, None)], prefs(), SIZE);
    wait_for(&mut h, "QUESTION OF THE DAY");
    h
}

#[test]
fn every_kind_is_written_through_its_form_and_shows_on_the_timeline() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut h = open_journal(dir.path());
    snapshot(&mut h, "today_alone", &["Today is", "Question of the day:"]);

    compose(
        &mut h,
        "Journal",
        |h| {
            type_into(
                h,
                "Your entry",
                "A slow Sunday. We walked to the lake and back.",
            )
        },
        "A slow Sunday. We walked to the lake and back.",
    );

    click(&mut h, "Write");
    click(&mut h, "Check-in");
    let slider = h
        .query_all_by_role(egui::accesskit::Role::Slider)
        .next()
        .expect("the mood slider");
    slider.set_value_accesskit(8.0);
    h.step();
    type_into(&mut h, "Why?", "Slept well, and the sun is out.");
    snapshot(&mut h, "compose_checkin", &[]);
    compose(
        &mut h,
        "Check-in",
        |_| {},
        "Slept well, and the sun is out.",
    );
    assert!(
        h.query_by_label("8 out of 10").is_some(),
        "the mood shows as 8"
    );

    compose(
        &mut h,
        "Gratitude",
        |h| {
            type_into(h, "1.", "You made coffee before I woke");
            type_into(h, "2.", "The note in my bag");
            type_into(h, "3.", "Laughing at the film");
            snapshot(h, "compose_gratitude", &[]);
        },
        "You made coffee before I woke",
    );
    compose(
        &mut h,
        "Appreciation",
        |h| {
            type_into(
                h,
                "Thank your partner for something specific",
                "Thank you for fixing the bike light.",
            )
        },
        "Thank you for fixing the bike light.",
    );
    compose(
        &mut h,
        "Bid",
        |h| {
            click(h, "Look at this");
            type_into(h, "A note (optional)", "The heron is back on the roof");
        },
        "The heron is back on the roof",
    );
    compose(
        &mut h,
        "Journal",
        |h| {
            type_into(h, "Your entry", "Just for me: I want to plan a surprise.");
            h.get_by_label_contains("Keep this private").click();
            h.step();
        },
        "Just for me: I want to plan a surprise.",
    );
    assert!(
        h.query_by_label_contains("only on this device").is_some(),
        "the private entry is marked"
    );

    // Filters: one kind, then everything again (the newest entries are the ones in view).
    click(&mut h, "Check-in");
    wait_until(&mut h, "the check-in filter", |h| {
        h.query_by_label("Just for me: I want to plan a surprise.")
            .is_none()
    });
    assert!(
        h.query_by_label("Slept well, and the sun is out.")
            .is_some()
    );
    assert!(h.query_by_label("The heron is back on the roof").is_none());
    click(&mut h, "Everything");
    wait_for(&mut h, "Just for me: I want to plan a surprise.");

    // Search.
    type_into(&mut h, "Search", "heron");
    wait_until(&mut h, "the search", |h| {
        h.query_by_label("Slept well, and the sun is out.")
            .is_none()
    });
    assert!(h.query_by_label("The heron is back on the roof").is_some());
    click(&mut h, "Clear");
    wait_for(&mut h, "Just for me: I want to plan a surprise.");
}

#[test]
fn comments_reactions_and_edits_happen_in_place() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut h = open_journal(dir.path());
    compose(
        &mut h,
        "Journal",
        |h| type_into(h, "Your entry", "Pancakes for dinner."),
        "Pancakes for dinner.",
    );
    compose(
        &mut h,
        "Check-in",
        |h| type_into(h, "Why?", "A long day, a good one."),
        "A long day, a good one.",
    );

    let card = "Journal by You";
    click_in(&mut h, card, "Comment");
    type_into(&mut h, "Your comment", "With blueberries.");
    click_in(&mut h, card, "Send");
    wait_for(&mut h, "With blueberries.");
    assert!(
        h.query_by_label("Your comment").is_none(),
        "the comment field closed after sending"
    );

    click_in(&mut h, card, "React");
    click_in(&mut h, card, "React with ❤");
    wait_until(&mut h, "the reaction", |h| {
        shows_within(h, card, "Take back ❤")
    });

    click_in(&mut h, card, "Edit");
    type_into(&mut h, "Edit the text", " And a walk after.");
    click(&mut h, "Save");
    wait_for(&mut h, "Pancakes for dinner. And a walk after.");
    assert!(h.query_by_label_contains("edited").is_some());
    snapshot(&mut h, "timeline", &[]);

    click(&mut h, "Insights");
    wait_for(&mut h, "bids turned toward");
    snapshot(&mut h, "insights", &[]);

    click(&mut h, "Settings");
    wait_for(&mut h, "Appearance");
    snapshot(&mut h, "settings", &[]);

    // Export: a readable copy where the person says.
    let out = tempfile::tempdir().expect("a temporary directory");
    let copy = out.path().join("our-journal.md");
    replace_text(&mut h, "Save to", &copy.display().to_string());
    click(&mut h, "Export");
    wait_for(&mut h, "Exported as a readable document");
    let text = std::fs::read_to_string(&copy).expect("the copy was written");
    assert!(
        text.contains("Pancakes for dinner. And a walk after."),
        "{text}"
    );

    // A new name shows at once.
    replace_text(&mut h, "Your name", "Adelaide");
    click(&mut h, "Save name");
    wait_for(&mut h, "Your name is saved.");
    click(&mut h, "Today");
    wait_for(&mut h, "Good afternoon, Adelaide");
    click(&mut h, "Settings");
    wait_for(&mut h, "Appearance");
    click(&mut h, "Dark");
    click(&mut h, "Timeline");
    wait_for(&mut h, "With blueberries.");
    assert_eq!(
        h.state().prefs().theme,
        hearth_app::gui::ThemeChoice::Dark,
        "the theme is remembered"
    );
    snapshot(&mut h, "timeline_dark", &[]);

    // A comment of one's own is changed and deleted in place.
    click_in(&mut h, card, "Edit your comment");
    replace_text(&mut h, "Change your comment", "With raspberries.");
    click_in(&mut h, card, "Save your comment");
    wait_for(&mut h, "With raspberries.");
    click_in(&mut h, card, "Delete your comment");
    click_in(&mut h, card, "Yes, delete your comment");
    wait_until(&mut h, "the comment to go", |h| {
        h.query_by_label("With raspberries.").is_none()
    });
    assert!(h.query_by_label("Edit your comment").is_none());

    // The entry's history: both versions, newest first, and the first brought back.
    click_in(&mut h, card, "History");
    wait_until(&mut h, "both versions", |h| {
        shows_within(h, card, "Version 1 ·") && shows_within(h, card, "Version 2 ·")
    });
    assert!(shows_within(&h, card, "Bring back version 1"));
    assert!(
        !shows_within(&h, card, "Bring back version 2"),
        "the newest is what shows"
    );
    snapshot(&mut h, "history", &["Version 1 ·", "Version 2 ·"]);
    click_in(&mut h, card, "Bring back version 1");
    wait_until(&mut h, "the first version back", |h| {
        h.query_by_label("Pancakes for dinner.").is_some()
            && h.query_by_label("Pancakes for dinner. And a walk after.")
                .is_none()
    });
    assert!(!shows_within(&h, card, "Version 1 ·"), "the history closed");
    click_in(&mut h, card, "History");
    wait_until(&mut h, "the restored version listed", |h| {
        shows_within(h, card, "Version 3 ·")
    });
}

#[test]
fn a_ritual_offered_in_the_morning_rests_once_it_is_kept() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    create_journal(dir.path(), "Ada");
    let mut device = unlocked(dir.path(), None);
    device.options.time_zone = at_local(9 * 60);
    let prefs = hearth_app::gui::Prefs {
        reminders: hearth_app::gui::Reminders {
            // Only the window's own reminders here; desktop notifications are tested with a
            // real desktop in cli_reminders.rs.
            notify: false,
            ..hearth_app::gui::Reminders::default()
        },
        ..prefs()
    };
    let mut h = window(vec![device], prefs, SIZE);
    wait_for(&mut h, "Good morning, Ada");
    assert!(h.query_by_label("For now").is_some());
    assert!(h.query_by_label("Morning check-in").is_some());
    click(&mut h, "Write now");
    // The ritual opens the check-in form.
    assert!(
        h.query_by_label("Why?").is_some(),
        "{:?}",
        labels(&h.root())
    );
    type_into(&mut h, "Why?", "Rested, a little nervous about today.");
    click(&mut h, "Save to our journal");
    wait_for(&mut h, "Rested, a little nervous about today.");
    click(&mut h, "Today");
    wait_for(&mut h, "QUESTION OF THE DAY");
    assert!(
        h.query_by_label("Morning check-in").is_none(),
        "kept for today, so no longer offered"
    );
    assert_eq!(
        h.state().prefs().reminders.morning.done_day,
        at_local(9 * 60)
            .date_at(hearth::UnixMs::now())
            .days_since_epoch(),
        "remembered as kept today"
    );
}

#[test]
fn the_couples_time_zone_and_starting_small_are_set_in_settings() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut h = open_journal(dir.path());
    click(&mut h, "Settings");
    wait_for(&mut h, "Our day");
    type_into(&mut h, "Our time zone", "Atlantis/Capital");
    wait_for(
        &mut h,
        "Not a time zone name this device knows (like Europe/Lisbon).",
    );
    assert!(h.query_by_label("Save time zone").is_none());
    replace_text(&mut h, "Our time zone", "Europe/Lisbon");
    click(&mut h, "Save time zone");
    wait_for(
        &mut h,
        "Saved: the question of the day now follows Europe/Lisbon.",
    );
    wait_until(&mut h, "the saved zone kept", |h| {
        h.query_by_label("Save time zone").is_none()
    });

    // Starting small: one small prompt on Today in place of the question.
    click(&mut h, "Start small");
    wait_for(
        &mut h,
        "Starting small: one small prompt a day, for both of you.",
    );
    click(&mut h, "Today");
    wait_for(&mut h, "ONE SMALL THING");
    assert!(h.query_by_label_contains("QUESTION OF THE DAY").is_none());
    if std::env::var_os("HEARTH_LOOK").is_some() {
        snapshot(&mut h, "look_start_small", &[]);
    }
    click(&mut h, "Write a line");
    wait_for(&mut h, "Your entry");
}

#[test]
fn a_folder_is_added_as_a_mailbox_in_settings() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let shared = tempfile::tempdir().expect("a temporary directory");
    let folder = shared.path().join("Our Hearth");
    std::fs::create_dir(&folder).expect("a folder");
    let mut h = open_journal(dir.path());
    click(&mut h, "Settings");
    wait_for(&mut h, "When you're not online together");
    type_into(
        &mut h,
        "A folder, or a mailbox server's ticket",
        &folder.display().to_string(),
    );
    click(&mut h, "Use this folder");
    wait_for(
        &mut h,
        "Added “Our Hearth”. Your devices leave sealed changes there for each other.",
    );
    wait_until(&mut h, "the mailbox listed", |h| {
        h.query_by_label_contains("nothing picked up yet").is_some()
            && h.query_by_label("Stop using it").is_some()
    });
    assert!(
        folder.read_dir().expect("read").next().is_some(),
        "the first exchange wrote this device's state"
    );
    if std::env::var_os("HEARTH_LOOK").is_some() {
        h.query_by_label("Stop using it")
            .expect("shown")
            .scroll_to_me();
        settle(&mut h);
        snapshot(&mut h, "look_settings_mailbox", &[]);
    }
    click(&mut h, "Stop using it");
    wait_until(&mut h, "the mailbox gone", |h| {
        h.query_by_label("Stop using it").is_none()
    });
}

#[test]
fn a_mailbox_server_is_added_by_its_ticket_in_settings() {
    use std::io::BufRead as _;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let storage = tempfile::tempdir().expect("a temporary directory");
    // The server as its own process, as whoever runs it starts it.
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["mailbox", "serve", "--local", "--bind", "127.0.0.1:0"])
        .arg("--storage")
        .arg(storage.path())
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the mailbox server");
    let mut ticket = String::new();
    std::io::BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut ticket)
        .expect("the ticket");
    let mut h = open_journal(dir.path());
    click(&mut h, "Settings");
    wait_for(&mut h, "When you're not online together");
    type_into(
        &mut h,
        "A folder, or a mailbox server's ticket",
        ticket.trim(),
    );
    click(&mut h, "Use this mailbox server");
    wait_until(&mut h, "the server added", |h| {
        h.query_by_label_contains("Your devices leave sealed changes there")
            .is_some()
    });
    wait_until(&mut h, "the server listed", |h| {
        h.query_by_label("mailbox server").is_some() && h.query_by_label("Stop using it").is_some()
    });
    assert!(
        h.query_by_label_contains("Last try").is_none(),
        "the first exchange with the server worked"
    );
    assert!(
        std::fs::read_dir(storage.path().join("journals"))
            .expect("the server keeps the journal")
            .next()
            .is_some()
    );
    if std::env::var_os("HEARTH_LOOK").is_some() {
        h.query_by_label("Stop using it")
            .expect("shown")
            .scroll_to_me();
        settle(&mut h);
        snapshot(&mut h, "look_settings_mailbox_server", &[]);
    }
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn rituals_are_set_in_settings_and_a_time_kept_by_an_earlier_version_moves_to_the_journal() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    create_journal(dir.path(), "Ada");
    // An earlier version kept the morning check-in at seven on this device.
    let mut earlier = prefs();
    earlier.reminders = hearth_app::gui::Reminders::default();
    earlier.reminders.morning.at = hearth_app::gui::TimeOfDay { hour: 7, minute: 0 };
    let mut h = window(vec![unlocked(dir.path(), None)], earlier, SIZE);
    wait_for(&mut h, "QUESTION OF THE DAY");
    click(&mut h, "Settings");
    wait_for(&mut h, "Every day at 07:00");
    assert!(h.state().prefs().reminders.moved, "moved once");
    assert!(
        h.query_by_label("· Set by you").is_some(),
        "before pairing, it takes effect at once: {:?}",
        labels(&h.root())
    );

    // The evening debrief on weekdays only.
    click(&mut h, "Change evening debrief");
    wait_for(&mut h, "Keep evening debrief");
    click(&mut h, "Sat");
    click(&mut h, "Sun");
    snapshot(&mut h, "settings_rituals", &[]);
    click(&mut h, "Save");
    wait_for(&mut h, "Weekdays at 21:00");
    assert!(h.query_by_label("Keep evening debrief").is_none(), "closed");

    // Whether this device reminds is this person's own.
    assert!(h.state().prefs().reminders.weekly.on);
    click(&mut h, "Remind me of weekly check-in on this device");
    assert!(!h.state().prefs().reminders.weekly.on);
    // Desktop notifications and quiet hours, too.
    let quiet = h.state().prefs().reminders.quiet.on;
    click(&mut h, "Quiet hours, from");
    assert_eq!(h.state().prefs().reminders.quiet.on, !quiet);
    click(&mut h, "Desktop notifications");
    assert!(!h.state().prefs().reminders.notify);
}

/// Sets the journal in `dir` to keep date night every day at `at`, through the facade, as the
/// couple would have from another screen.
fn date_night_daily(dir: &std::path::Path, at: &str) {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    rt.block_on(async {
        let opts = hearth::Options {
            start_network: false,
            ..options()
        };
        let h = hearth::Hearth::open(dir, &hearth::Passphrase::new(PASSPHRASE), opts)
            .await
            .expect("open");
        let schedule = hearth::Schedule {
            on: true,
            days: "daily".parse().expect("days"),
            at: at.parse().expect("time"),
        };
        h.propose_ritual(hearth::Ritual::DateNight, schedule)
            .await
            .expect("set");
        h.shutdown().await;
    });
}

#[test]
fn date_night_offers_an_idea_and_keeps_the_plan_on_today() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    create_journal(dir.path(), "Ada");
    // It is half past two in the afternoon here: tonight's date night has not begun.
    date_night_daily(dir.path(), "23:59");
    let mut with_date_night = prefs();
    with_date_night.reminders.date_night.on = true;
    // Tall enough to show the whole of Today.
    let tall = egui::vec2(SIZE.x, 1100.0);
    let mut h = window(vec![unlocked(dir.path(), None)], with_date_night, tall);
    wait_for(&mut h, "TONIGHT AT 23:59");
    let shown = |h: &Harness<'_, Gui>| labels(&h.root());
    let before = shown(&h);
    if std::env::var_os("HEARTH_LOOK").is_some() {
        snapshot(&mut h, "look_date_idea", &[]);
    }
    click(&mut h, "Another idea");
    wait_until(&mut h, "another idea", |h| shown(h) != before);
    type_into(&mut h, "Our plan", "Soup, then the old film.");
    click(&mut h, "Save the plan");
    wait_for(&mut h, "The plan, noted by you");
    assert!(h.query_by_label("Soup, then the old film.").is_some());
    assert!(
        h.query_by_label("Our plan").is_none(),
        "the plan replaces the field"
    );
    snapshot(
        &mut h,
        "today_date_night",
        &["Today is", "Question of the day:"],
    );
    click(&mut h, "Change the plan");
    wait_for(&mut h, "Our plan");
}

#[test]
fn a_debrief_and_a_letter_for_later_are_written_through_their_forms() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut h = open_journal(dir.path());
    click(&mut h, "Write");
    click(&mut h, "Debrief");
    type_into(&mut h, "What was hard today?", "The dentist.");
    type_into(&mut h, "What helped?", "Your text after.");
    // The field with its blinking cursor is left out of the comparison.
    snapshot(&mut h, "compose_debrief", &["What helped?"]);
    click(&mut h, "Save to our journal");
    wait_for(&mut h, "Your text after.");
    assert!(h.query_by_label("What was hard").is_some());

    click(&mut h, "Write");
    click(&mut h, "Letter for later");
    type_into(
        &mut h,
        "A letter for your partner, for later",
        "For the night we finally see the northern lights.",
    );
    replace_text(&mut h, "When it opens", "2099-12-24 21:00");
    wait_for_contains(&mut h, "Sealed until Thursday 24 December 2099 at 21:00.");
    assert!(
        h.query_by_label_contains("Keep this private").is_none(),
        "a letter is never private"
    );
    // The field with its blinking cursor is left out of the comparison.
    snapshot(&mut h, "compose_letter", &["When it opens"]);
    click(&mut h, "Seal the letter");
    wait_for(&mut h, "For the night we finally see the northern lights.");
    if std::env::var_os("HEARTH_LOOK").is_some() {
        snapshot(&mut h, "look_timeline_letter", &[]);
    }
    click(&mut h, "Today");
    wait_for(&mut h, "Letters for later");
    if std::env::var_os("HEARTH_LOOK").is_some() {
        snapshot(&mut h, "look_today_letters", &[]);
        click(&mut h, "Insights");
        wait_for(&mut h, "rituals kept");
        snapshot(&mut h, "look_insights", &[]);
        click(&mut h, "Today");
        wait_for(&mut h, "Letters for later");
    }
    assert!(
        h.query_by_label_contains(
            "Your letter to your partner is sealed until Thursday 24 December 2099"
        )
        .is_some(),
        "{:?}",
        labels(&h.root())
    );
}

fn wait_for_contains(h: &mut Harness<'_, Gui>, text: &str) {
    wait_until(h, text, |h| h.query_by_label_contains(text).is_some());
}
