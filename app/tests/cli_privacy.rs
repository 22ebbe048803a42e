//! What one partner's command line can read of the other's writing: an answer to the question
//! of the day stays closed in every read path until both have answered, and a deleted entry
//! leaves nothing of its text in what is shown or exported.

mod cli_support;

use cli_support::*;
use serde_json::Value;

fn sync(device: &Device) {
    let mut args = vec!["sync".to_owned(), "--timeout".to_owned(), "60".to_owned()];
    args.extend(device.net());
    device.run(&args).expect_code(0);
}

/// Every way a person reads the journal from the command line, as one text.
fn everything_read(device: &Device, id: &str, word: &str) -> String {
    let dir = tempfile::tempdir().expect("a directory for the exports");
    let mut read = vec![
        device.ok(&["list"]),
        device.ok(&["list", "--json"]),
        device.ok(&["today"]),
        device.ok(&["today", "--json"]),
        device.ok(&["show", id]),
        device.ok(&["show", id, "--json"]),
        device.ok(&["search", word]),
        device.ok(&["search", word, "--json"]),
        device.ok(&["export", "--format", "markdown", "--out", "-"]),
        device.ok(&["export", "--format", "json", "--out", "-"]),
    ];
    let am = dir.path().join("journal.automerge");
    device.ok(&[
        "export",
        "--format",
        "automerge",
        "--out",
        am.to_str().expect("utf-8"),
    ]);
    let bytes = std::fs::read(&am).expect("the Automerge export");
    read.push(String::from_utf8_lossy(&bytes).into_owned());
    read.join("\n")
}

#[test]
fn an_answer_stays_closed_everywhere_until_both_have_answered() {
    let ada = Device::init("Ada");
    let bob = Device::init("Bob");
    pair(&ada, &bob);
    let answer = bob.ok(&[
        "write",
        "--kind",
        "answer",
        "The lantern festival, the year we met.",
    ]);
    let answer = answer.trim();

    // Ada's device receives it while serving: what serve prints says only that Bob answered.
    let serving = ada.serve();
    sync(&bob);
    let (status, events, _) = serving.stop();
    assert!(status.success(), "{events}");
    assert!(events.contains("Bob wrote an answer"), "{events}");
    assert!(!events.contains("lantern"), "{events}");

    // (A search echoes the word it looked for: look for the answer's words, not the query.)
    let read = everything_read(&ada, answer, "lantern");
    assert!(
        !read.contains("festival"),
        "an unopened answer showed:\n{read}"
    );
    let shown: Value = serde_json::from_str(&ada.ok(&["show", answer, "--json"])).expect("JSON");
    assert_eq!(shown["content"]["kind"], "hidden_answer", "{shown:#}");
    assert_eq!(shown["content"]["body"], Value::Null);
    assert!(
        ada.ok(&["show", answer])
            .contains("opens here once you have both answered"),
        "the person is told why they see no text"
    );
    let found: Value =
        serde_json::from_str(&ada.ok(&["search", "lantern", "--json"])).expect("JSON");
    assert_eq!(
        found,
        serde_json::json!([]),
        "a search tells nothing either"
    );

    // Bob reads his own answer, of course.
    assert!(bob.ok(&["show", answer]).contains("lantern"));

    // Ada answers. Bob's answer is sealed under a key only his device holds: it opens once his
    // device has seen her answer, and Ada's command line says so meanwhile.
    ada.ok(&["write", "--kind", "answer", "Your terrible puns."]);
    let today: Value = serde_json::from_str(&ada.ok(&["today", "--json"])).expect("JSON");
    assert_eq!(today["answers"]["partner"]["state"], "opening", "{today:#}");
    assert!(
        ada.ok(&["today"])
            .contains("opens when Bob's device next syncs"),
        "the person is told when it opens"
    );
    assert!(!everything_read(&ada, answer, "lantern").contains("festival"));
    let serving = ada.serve();
    sync(&bob);
    let (status, events, _) = serving.stop();
    assert!(status.success(), "{events}");

    // Bob's device published its key as it saw Ada's answer: it opens to her, everywhere.
    assert!(ada.ok(&["show", answer]).contains("The lantern festival"));
    assert!(
        ada.ok(&["search", "lantern"])
            .contains("The lantern festival")
    );
    assert!(
        ada.ok(&["export", "--format", "markdown", "--out", "-"])
            .contains("The lantern festival")
    );
}

#[test]
fn a_deleted_entry_leaves_no_text_behind_in_what_is_read_or_exported() {
    let ada = Device::init("Ada");
    let bob = Device::init("Bob");
    pair(&ada, &bob);
    let entry = ada.write("The surprise is the cabin by the fjord.");
    let entry = entry.trim();
    let serving = ada.serve();
    sync(&bob);
    let (status, events, _) = serving.stop();
    assert!(status.success(), "{events}");
    bob.ok(&["comment", entry, "I can't wait for the fjord."]);
    ada.ok(&["delete", entry]);

    // Both sides meet; then neither shows a word of it, and the partner is told his comment went
    // with it.
    let serving = bob.serve();
    sync(&ada);
    let (status, events, _) = serving.stop();
    assert!(status.success(), "{events}");
    assert!(events.contains("deleted"), "{events}");
    assert!(events.contains("your comment went with it"), "{events}");
    for device in [&ada, &bob] {
        let read = everything_read(device, entry, "fjord");
        for words in ["cabin by the", "can't wait"] {
            assert!(!read.contains(words), "deleted text showed:\n{read}");
        }
        let shown: Value =
            serde_json::from_str(&device.ok(&["show", entry, "--json"])).expect("JSON");
        assert_eq!(shown["deleted"], true);
    }

    // The full copy with history says what it carries.
    let dir = tempfile::tempdir().expect("a directory");
    let full = dir.path().join("full.automerge");
    let run = ada.run(&[
        "export",
        "--format",
        "automerge",
        "--with-history",
        "--out",
        full.to_str().expect("utf-8"),
    ]);
    run.expect_code(0);
    assert!(run.stderr.contains("not encrypted"), "{run:#?}");
    assert!(run.stderr.contains("whole history"), "{run:#?}");
    let wrong = ada.run(&["export", "--format", "json", "--with-history", "--out", "-"]);
    wrong.expect_code(1);
    assert!(
        wrong.stderr.contains("--with-history goes with"),
        "{wrong:#?}"
    );
}

#[test]
fn a_person_edits_and_deletes_their_own_comment_by_its_id() {
    let ada = Device::init("Ada");
    let entry = ada.write("Pancakes on Sunday?");
    let comment = ada.ok(&["comment", entry.trim(), "With blueberries."]);
    let comment = comment.trim();
    ada.ok(&["edit", comment, "With raspberries."]);
    let shown: Value =
        serde_json::from_str(&ada.ok(&["show", entry.trim(), "--json"])).expect("JSON");
    assert_eq!(
        shown["comments"][0]["text"], "With raspberries.",
        "{shown:#}"
    );
    let refused = ada.run(&["edit", comment, "--mood", "3"]);
    refused.expect_code(1);
    assert!(refused.stderr.contains("only its text"), "{refused:#?}");

    ada.ok(&["delete", comment]);
    let shown: Value =
        serde_json::from_str(&ada.ok(&["show", entry.trim(), "--json"])).expect("JSON");
    assert_eq!(shown["comments"], serde_json::json!([]), "{shown:#}");
    assert_eq!(shown["deleted"], false, "the entry itself stays");
    let again = ada.run(&["delete", comment]);
    again.expect_code(1);
}

#[test]
fn an_answer_to_a_question_the_partner_skipped_opens_only_when_its_author_opens_it() {
    let ada = Device::init("Ada");
    let bob = Device::init("Bob");
    pair(&ada, &bob);
    let answer = bob.ok(&["write", "--kind", "answer", "The kite on the dunes."]);
    let answer = answer.trim();
    let serving = ada.serve();
    sync(&bob);
    serving.stop();
    assert!(!ada.ok(&["show", answer]).contains("kite"));

    // Only its author opens it.
    let refused = ada.run(&["open-answer", answer]);
    refused.expect_code(1);
    assert!(
        refused.stderr.contains("only they can open it"),
        "{}",
        refused.stderr
    );
    bob.ok(&["open-answer", answer]);
    let serving = ada.serve();
    sync(&bob);
    serving.stop();
    assert!(ada.ok(&["show", answer]).contains("The kite on the dunes."));
}

#[test]
fn skipping_the_question_of_the_day_moves_both_on_until_someone_answers() {
    let ada = Device::init("Ada");
    let bob = Device::init("Bob");
    pair(&ada, &bob);
    let json = |text: String| -> Value { serde_json::from_str(&text).expect("JSON") };
    let before = json(ada.ok(&["today", "--json"]));
    assert!(ada.ok(&["today"]).contains("hearth skip-question"));

    let told = ada.ok(&["skip-question"]);
    assert!(told.starts_with("Skipped, for both of you."), "{told}");
    let after = json(ada.ok(&["today", "--json"]));
    assert_ne!(after["question"]["id"], before["question"]["id"]);
    assert!(told.contains(after["question"]["text"].as_str().expect("text")));
    let again = json(ada.ok(&["skip-question", "--json"]));
    assert_ne!(again["id"], after["question"]["id"]);

    // Bob's device takes the skips with the journal and shows the same question.
    let serving = ada.serve();
    sync(&bob);
    serving.stop();
    assert_eq!(
        json(bob.ok(&["today", "--json"]))["question"]["id"],
        again["id"]
    );

    // Once one of them has answered, the question stays, for both.
    bob.ok(&["write", "--kind", "answer", "The night train to the coast."]);
    let refused = bob.run(&["skip-question"]);
    refused.expect_code(1);
    assert!(
        refused.stderr.contains("has an answer already"),
        "{}",
        refused.stderr
    );
    let serving = ada.serve();
    sync(&bob);
    serving.stop();
    ada.run(&["skip-question"]).expect_code(1);
    assert!(!ada.ok(&["today"]).contains("hearth skip-question"));
    assert_eq!(
        json(ada.ok(&["today", "--json"]))["question"]["id"],
        again["id"]
    );
}

#[test]
fn insights_show_both_check_ins_and_count_what_the_two_shared_for_the_couple() {
    let ada = Device::init("Ada");
    let bob = Device::init("Bob");
    pair(&ada, &bob);
    ada.ok(&["write", "--kind", "checkin", "--mood", "6", "A steady day."]);
    ada.ok(&[
        "write",
        "--kind",
        "gratitude",
        "the soup\nthe note\nthe walk",
    ]);
    ada.ok(&["write", "--kind", "answer", "The lighthouse."]);
    bob.ok(&["write", "--kind", "checkin", "--mood", "8", "Sunny."]);
    bob.ok(&["write", "--kind", "answer", "The harbour at night."]);
    let bid = bob.ok(&["write", "--kind", "bid", "Tea on the balcony?"]);
    let serving = ada.serve();
    sync(&bob);
    serving.stop();
    ada.ok(&["respond", bid.trim(), "toward"]);

    let json: Value = serde_json::from_str(&ada.ok(&["insights", "--json"])).expect("JSON");
    assert_eq!(json["weeks"], 8);
    assert_eq!(
        json["together"],
        serde_json::json!({
            "check_ins": 2,
            "gratitude": 1,
            "appreciations": 0,
            "bids_turned_toward": 1,
            "questions_answered_together": 1,
            // Check-ins count once a day for the couple, and the gratitude.
            "rituals_kept": 2,
        })
    );
    let moods = json["moods"].as_array().expect("an array");
    assert_eq!(moods.len(), 2, "{json:#}");
    let text = ada.ok(&["insights", "--weeks", "4"]);
    assert!(text.contains("The last 4 weeks"), "{text}");
    assert!(text.contains("Ada") && text.contains("Bob"), "{text}");
    assert!(text.contains("questions you both answered"), "{text}");
    let refused = ada.run(&["insights", "--weeks", "0"]);
    refused.expect_code(1);
}

#[test]
fn a_ritual_changes_when_the_partner_accepts_and_both_see_who_set_it() {
    let ada = Device::init("Ada");
    let bob = Device::init("Bob");
    pair(&ada, &bob);
    let json = |text: String| -> Value { serde_json::from_str(&text).expect("JSON") };
    let morning = |d: &Device| -> Value {
        json(d.ok(&["rituals", "--json"]))["rituals"]
            .as_array()
            .expect("rituals")
            .iter()
            .find(|r| r["ritual"] == "morning")
            .expect("the morning check-in")
            .clone()
    };
    let before = json(ada.ok(&["rituals", "--json"]));
    assert_eq!(before["rituals"].as_array().map(Vec::len), Some(5));
    assert_eq!(before["proposals"], serde_json::json!([]));
    assert_eq!(morning(&ada)["at"], "08:00");

    let told = ada.ok(&[
        "rituals", "propose", "morning", "--days", "weekdays", "--at", "7:30",
    ]);
    assert!(told.contains("once your partner accepts"), "{told}");
    assert!(told.contains("Waiting for your partner"), "{told}");
    assert_eq!(
        morning(&ada)["at"],
        "08:00",
        "nothing changes before Bob agrees"
    );
    let own = ada.run(&["rituals", "accept"]);
    own.expect_code(1);
    assert!(own.stderr.contains("no change"), "{}", own.stderr);

    let serving = ada.serve();
    sync(&bob);
    serving.stop();
    let today = bob.ok(&["today"]);
    assert!(today.contains("Ada proposes a change"), "{today}");
    assert!(today.contains("weekdays at 07:30"), "{today}");
    let accepted = bob.ok(&["rituals", "accept"]);
    assert!(accepted.contains("now weekdays at 07:30"), "{accepted}");
    assert!(accepted.contains("set by Ada, agreed by you"), "{accepted}");

    let serving = ada.serve();
    sync(&bob);
    serving.stop();
    let set = morning(&ada);
    assert_eq!(set["at"], "07:30");
    assert_eq!(
        set["days"],
        serde_json::json!(["mon", "tue", "wed", "thu", "fri"])
    );
    assert_eq!(set["set_by"]["name"], "Ada");
    assert_eq!(set["agreed_by"]["name"], "Bob");
    assert!(ada.ok(&["rituals"]).contains("set by you, agreed by Bob"));

    // A proposal can be withdrawn by its author; bad input is refused before anything changes.
    ada.ok(&["rituals", "propose", "weekly", "--off"]);
    ada.ok(&["rituals", "decline", "weekly"]);
    assert_eq!(
        json(ada.ok(&["rituals", "--json"]))["proposals"],
        serde_json::json!([])
    );
    let late = ada.run(&["rituals", "propose", "morning", "--at", "25:00"]);
    late.expect_code(2);
    assert!(late.stderr.contains("not a time of day"), "{}", late.stderr);
    let nothing = ada.run(&["rituals", "propose", "morning"]);
    nothing.expect_code(1);
    assert!(
        nothing.stderr.contains("say what to change"),
        "{}",
        nothing.stderr
    );
    ada.run(&["rituals", "propose", "bowling", "--off"])
        .expect_code(2);
}

#[test]
fn date_night_offers_an_idea_keeps_a_plan_and_a_line_afterwards() {
    let ada = Device::init("Ada");
    let json = |text: String| -> Value { serde_json::from_str(&text).expect("JSON") };
    // Before pairing a change takes effect at once: a date night every day at midnight has
    // always begun today, so there is a last one to remember and a next one tomorrow.
    let set = ada.ok(&[
        "rituals",
        "propose",
        "date-night",
        "--days",
        "daily",
        "--at",
        "00:00",
    ]);
    assert!(set.contains("Date night: now every day at 00:00."), "{set}");
    let nights = json(ada.ok(&["date-night", "--json"]));
    let (next, last) = (&nights["next"], &nights["last"]);
    assert!(next["date"].as_str() > last["date"].as_str(), "{nights}");
    assert_eq!(next["at"], "00:00");
    assert!(next["idea"]["text"].as_str().is_some_and(|t| !t.is_empty()));

    let another = json(ada.ok(&["date-night", "another", "--json"]));
    assert_ne!(another["id"], next["idea"]["id"]);
    ada.ok(&["date-night", "plan", "Soup, then the old film."]);
    let shown = ada.ok(&["date-night"]);
    assert!(shown.contains("Plan: Soup, then the old film."), "{shown}");
    assert!(
        shown.contains(another["text"].as_str().expect("text")),
        "{shown}"
    );
    assert!(shown.contains("How was it?"), "{shown}");

    let long = "x".repeat(300);
    let refused = ada.run(&["date-night", "remember", &long]);
    refused.expect_code(1);
    assert!(refused.stderr.contains("too long"), "{}", refused.stderr);
    ada.ok(&["date-night", "remember", "We laughed at the wrong moments."]);
    let nights = json(ada.ok(&["date-night", "--json"]));
    assert_eq!(
        nights["last"]["lines"][0]["text"],
        "We laughed at the wrong moments."
    );
    assert_eq!(nights["last"]["lines"][0]["by"]["me"], true);
    let today = json(ada.ok(&["today", "--json"]));
    assert_eq!(
        today["date_night"]["next"]["plan"]["text"], "Soup, then the old film.",
        "the plan is for the next date night"
    );
    assert_eq!(
        today["date_night"]["last"],
        Value::Null,
        "the line is written"
    );

    ada.ok(&["rituals", "propose", "date-night", "--off"]);
    let off = ada.run(&["date-night", "plan", "Anything"]);
    off.expect_code(1);
    assert!(off.stderr.contains("switched off"), "{}", off.stderr);
}

#[test]
fn a_letter_for_later_stays_sealed_in_every_read_until_it_opens() {
    let ada = Device::init("Ada");
    let bob = Device::init("Bob");
    pair(&ada, &bob);
    let letter = ada
        .ok(&[
            "write",
            "--kind",
            "letter",
            "--open-at",
            "2099-12-24 21:00",
            "Marigold, for the winter we planned.",
        ])
        .trim()
        .to_owned();
    // Ada reads her own letter, and when it opens.
    let mine = ada.ok(&["show", &letter]);
    assert!(mine.contains("Marigold"), "{mine}");
    assert!(
        mine.contains("opens Thursday 24 December 2099 at 21:00"),
        "{mine}"
    );
    let serving = ada.serve();
    sync(&bob);
    serving.stop();
    let everything = everything_read(&bob, &letter, "winter");
    assert!(!everything.contains("Marigold"), "{everything}");
    let today = bob.ok(&["today"]);
    assert!(
        today.contains("A letter from Ada, sealed until Thursday 24 December 2099 at 21:00"),
        "{today}"
    );
    assert!(today.contains("next online after that"), "{today}");
    let shown: Value = serde_json::from_str(&bob.ok(&["show", &letter, "--json"])).expect("JSON");
    assert_eq!(shown["kind"], "letter");
    assert_eq!(shown["content"]["kind"], "sealed_letter");

    // Bad moments and a private letter are refused before anything opens.
    for (args, says) in [
        (vec!["--open-at", "tomorrow"], "not a moment"),
        (vec!["--open-at", "2001-01-01 10:00"], "after now"),
        (vec![], "needs --open-at"),
        (
            vec!["--open-at", "2099-01-01 10:00", "--private"],
            "cannot be private",
        ),
    ] {
        let mut all = vec!["write", "--kind", "letter"];
        all.extend(args);
        all.push("Words.");
        let refused = ada.run(&all);
        assert!(refused.stderr.contains(says), "{all:?}: {}", refused.stderr);
        assert_ne!(refused.code, Some(0));
    }
}
