//! A long journal: the timeline lays out only the entries in view, and reads older pages as the
//! reader scrolls towards them.

mod gui_support;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use gui_support::*;
use hearth::{Content, Draft, Hearth, Options, Passphrase};
use hearth_app::gui::{Prefs, Tab};

/// More than two pages of the timeline.
const ENTRIES: usize = 400;

fn write_many(dir: &std::path::Path) {
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
        for i in 0..ENTRIES {
            let body = format!("Entry number {i}: a small thing from the day.");
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
