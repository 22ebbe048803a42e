//! The first screen: Today and the newest entries as they stood, given before the journal loads,
//! and only while nothing was stored after them.

mod support;

use std::sync::mpsc;

use hearth::{Content, Draft, FIRST_SCREEN_PAGE, FirstScreen, Hearth, Item};
use hearth_store::{DocId, Store};
use support::{create, options, passphrase};

fn journal(body: &str) -> Content {
    Content::Journal { body: body.into() }
}

fn texts(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .map(|i| i.entry.content.main_text().to_owned())
        .collect()
}

/// Opens the journal in `dir`; returns it and the first screen it gave, if any.
async fn open_showing(dir: &std::path::Path) -> (Hearth, Option<FirstScreen>) {
    let (tx, rx) = mpsc::channel();
    let hearth = Hearth::open_showing(dir, &passphrase(), options(false), move |screen| {
        tx.send(screen).expect("the test listens");
    })
    .await
    .expect("open");
    let shown = rx.try_recv().ok();
    assert!(rx.try_recv().is_err(), "given once at most");
    (hearth, shown)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_screen_is_given_as_it_stood_and_only_while_nothing_was_stored_after_it() {
    let dir = tempfile::tempdir().expect("dir");
    let ada = create(dir.path(), "Ada", false).await;
    ada.write(Draft::shared(journal("first light on the river")))
        .await
        .expect("write");
    ada.write(Draft::private(journal("a note just for me")))
        .await
        .expect("write");
    ada.answer_today("A week by the sea").await.expect("answer");
    let today = ada.today().await.expect("today");
    let page = ada
        .timeline(&Default::default(), None, FIRST_SCREEN_PAGE)
        .await
        .expect("timeline");
    ada.shutdown().await;

    // Kept as the device closed, given on the next open: the same Today and entries.
    let (ada, shown) = open_showing(dir.path()).await;
    let screen = shown.expect("the first screen was given");
    assert_eq!(screen.me.name, "Ada");
    assert_eq!(screen.partner, None);
    assert_eq!(screen.today.as_ref(), Some(&today));
    assert_eq!(screen.timeline.items, page.items);
    assert_eq!(
        texts(&screen.timeline.items),
        [
            "A week by the sea",
            "a note just for me",
            "first light on the river"
        ]
    );
    assert_eq!(
        screen.today.map(|t| t.date),
        Some(ada.today().await.expect("today").date)
    );
    ada.shutdown().await;

    // A change stored after the first screen was kept (as after a crash): not given. The journal
    // opens as ever, and the first screen is made anew.
    {
        let store = Store::open(dir.path(), &passphrase()).expect("the store");
        let stored = store.load(DocId::Shared).expect("load");
        let again = stored
            .chunks
            .last()
            .cloned()
            .or(stored.snapshot)
            .expect("something stored");
        store
            .append_change(DocId::Shared, &again)
            .expect("store it once more");
    }
    let (ada, shown) = open_showing(dir.path()).await;
    assert!(shown.is_none(), "a stale first screen is not given");
    let page = ada
        .timeline(&Default::default(), None, FIRST_SCREEN_PAGE)
        .await
        .expect("timeline");
    assert_eq!(page.items.len(), 3);
    ada.shutdown().await;
    let (ada, shown) = open_showing(dir.path()).await;
    assert_eq!(
        shown.map(|s| texts(&s.timeline.items)),
        Some(texts(&page.items))
    );
    ada.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_journal_that_arrived_after_the_first_screen_makes_it_stale() {
    let dir = tempfile::tempdir().expect("dir");
    let ada = create(dir.path(), "Ada", false).await;
    ada.write(Draft::shared(journal("kept")))
        .await
        .expect("write");
    ada.shutdown().await;
    {
        // The journal replaced by a whole document holding the same, as when one arrives.
        let store = Store::open(dir.path(), &passphrase()).expect("the store");
        let stored = store.load(DocId::Shared).expect("load");
        let all: Vec<Vec<u8>> = stored.snapshot.into_iter().chain(stored.chunks).collect();
        store
            .replace_with_arrived(DocId::Shared, &all[0], &all[1..].concat(), None)
            .expect("replace");
    }
    let (ada, shown) = open_showing(dir.path()).await;
    assert!(shown.is_none());
    assert_eq!(
        texts(
            &ada.timeline(&Default::default(), None, 10)
                .await
                .expect("timeline")
                .items
        ),
        ["kept"]
    );
    ada.shutdown().await;
}
