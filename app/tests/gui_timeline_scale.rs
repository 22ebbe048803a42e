//! A long journal: the timeline lays out only the entries in view, and reads older pages as the
//! reader scrolls towards them.

mod gui_support;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use gui_support::*;
use hearth::{Content, Draft, Hearth, Options, Passphrase};
use hearth_app::gui::{Prefs, Tab};

/// More than two pages of the timeline.
const ENTRIES: usize = 400;

fn write_many(dir: &std::path::Path) {
    write(dir, ENTRIES, |i| {
        format!("Entry number {i}: a small thing from the day.")
    });
}

/// Creates Ada's journal in `dir` and writes `entries` entries with the bodies `body` gives.
fn write(dir: &std::path::Path, entries: usize, body: impl Fn(usize) -> String) {
    create_journal(dir, "Ada");
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    rt.block_on(async {
        let opts = Options {
            start_network: false,
            ..options()
        };
        let hearth = Hearth::open(dir, &Passphrase::new(PASSPHRASE), opts)
            .await
            .expect("the journal opens");
        for i in 0..entries {
            let body = body(i);
            hearth
                .write(Draft::shared(Content::Journal { body }))
                .await
                .expect("the entry is written");
        }
        hearth.shutdown().await;
    });
}

fn cards_laid_out(h: &egui_kittest::Harness<'_, hearth_app::gui::Gui>) -> usize {
    h.query_all_by_role_and_label(Role::GenericContainer, "Journal by You")
        .count()
}

#[test]
fn only_the_entries_in_view_are_laid_out_and_older_pages_load_on_the_way_down() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    write_many(dir.path());
    let prefs = Prefs {
        tab: Tab::Timeline,
        ..prefs()
    };
    let mut h = window(vec![unlocked(dir.path(), None)], prefs, SIZE);
    wait_for(&mut h, "Entry number 399:");
    let shown = cards_laid_out(&h);
    assert!(
        (2..=12).contains(&shown),
        "{shown} cards laid out for one screen"
    );

    // Scroll down until an entry of the second page shows (the first holds the newest 150).
    let mut scrolls = 0;
    while h.query_by_label_contains("Entry number 200:").is_none() {
        assert!(scrolls < 2000, "the older entries never came into view");
        let visible = h
            .query_all_by_label_contains("Entry number ")
            .last()
            .expect("an entry in view");
        for _ in 0..10 {
            visible.scroll_down();
        }
        h.step();
        scrolls += 1;
        if scrolls % 20 == 0 {
            settle(&mut h);
        }
    }
    let shown = cards_laid_out(&h);
    assert!(
        (2..=12).contains(&shown),
        "{shown} cards laid out after scrolling far down"
    );
    assert!(
        h.query_by_label_contains("Entry number 399:").is_none(),
        "the newest entries, out of view, are not laid out"
    );
}

/// The journal's first screen (kept as it closed) shows at once, and the journal opens behind
/// it: the newest entries are there, and an entry written meanwhile is saved once it has opened.
#[test]
fn today_shows_at_once_while_the_journal_opens_behind_it_and_what_needs_it_waits() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // Long letters: a journal that takes Automerge a while to load, as years of them do.
    let letter = "We walked to the lighthouse and back, and you laughed at the gulls. ".repeat(120);
    write(dir.path(), 60, |i| format!("Letter {i}. {letter}"));
    let prefs = Prefs {
        tab: Tab::Today,
        ..prefs()
    };
    let mut h = window(vec![unlocked(dir.path(), None)], prefs, SIZE);
    let opening = "Opening the rest of your journal…";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while h.query_by_label(opening).is_none() {
        assert!(
            !h.state().is_open(),
            "the journal opened without its first screen"
        );
        assert!(std::time::Instant::now() < deadline, "nothing showed");
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    assert!(h.query_by_label("QUESTION OF THE DAY").is_some());
    assert!(h.query_by_label("Good afternoon, Ada").is_some());
    if std::env::var_os("HEARTH_LOOK").is_some() {
        let image = h.render().expect("the window renders");
        image
            .save("tests/snapshots/look_first_screen.png")
            .expect("the picture is saved");
    }

    // Moving about works at once; writing waits for the journal, then is saved.
    click(&mut h, "Timeline");
    assert!(h.query_by_label_contains("Letter 59.").is_some());
    click(&mut h, "Write");
    click(&mut h, "Journal");
    type_into(&mut h, "Your entry", "Written while it opened.");
    let save = h
        .query_all_by_role(Role::Button)
        .find(|b| {
            b.accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with("Save to our journal"))
        })
        .expect("a save button")
        .accesskit_node()
        .label()
        .expect("a label");
    click(&mut h, &save);
    assert!(
        !h.state().is_open(),
        "the journal is still opening: the entry waits for it"
    );
    wait_for(&mut h, "Written while it opened.");
    assert!(h.state().is_open());
    assert!(h.query_by_label(opening).is_none());
}
