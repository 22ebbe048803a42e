//! The journal from the command line, on one device: writing each kind (from arguments and from
//! standard input), reading it back as text and as JSON, changing entries by the beginning of
//! their id, and bad input refused with one line and nothing changed.

mod cli_support;

use cli_support::*;
use serde_json::Value;

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

#[test]
fn entries_round_trip_through_list_show_and_search() {
    let ada = Device::init("Ada");
    let quiet = ada.write("A quiet evening by the river.");
    let checkin = ada
        .ok(&[
            "write",
            "--kind",
            "checkin",
            "--mood",
            "7",
            "Tired, but glad.",
        ])
        .trim()
        .to_owned();
    let secret = ada
        .ok(&["write", "--private", "Only mine."])
        .trim()
        .to_owned();

    let entries = ada.entries();
    let ids: Vec<&str> = entries
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        [secret.as_str(), checkin.as_str(), quiet.as_str()],
        "newest first"
    );
    let mood = &entries[1];
    assert_eq!(mood["kind"], "checkin");
    assert_eq!(mood["mood"], 7);
    assert_eq!(mood["text"], "Tired, but glad.");
    assert_eq!(mood["content"]["kind"], "checkin");
    assert_eq!(mood["content"]["mood"], 7);
    assert_eq!(mood["author"]["name"], "Ada");
    assert_eq!(mood["author"]["me"], true);
    assert_eq!(mood["private"], false);
    assert_eq!(entries[0]["private"], true);
    // Times in the local zone (UTC here), to the second.
    let created = mood["created"].as_str().expect("created");
    assert!(
        created.ends_with("+00:00") && created.len() == 25,
        "{created}"
    );

    let human = ada.ok(&["list"]);
    for expected in [
        "Today",
        "Ada · check-in 7/10 ●●●●●●●○○○",
        "Tired, but glad.",
        "A quiet evening by the river.",
        "Ada · journal · private",
        &quiet[..8],
    ] {
        assert!(
            human.contains(expected),
            "{expected:?} missing from:\n{human}"
        );
    }

    // Any unique beginning of an id names the entry.
    let shown = json(&ada.ok(&["show", &quiet[..12], "--json"]));
    assert_eq!(shown["id"], quiet.as_str());
    assert_eq!(shown["text"], "A quiet evening by the river.");
    let detail = ada.ok(&["show", &quiet]);
    assert!(detail.contains(&quiet) && detail.contains("A quiet evening by the river."));
    assert!(detail.contains("shared"), "{detail}");

    let found = json(&ada.ok(&["search", "RIVER", "evening", "--json"]));
    assert_eq!(found.as_array().map(Vec::len), Some(1));
    assert_eq!(found[0]["id"], quiet.as_str());
    assert_eq!(json(&ada.ok(&["search", "heron", "--json"])), json("[]"));
    assert!(ada.ok(&["search", "heron"]).contains("Nothing holds"));

    let checkins = json(&ada.ok(&["list", "--kind", "checkin", "--json"]));
    assert_eq!(checkins.as_array().map(Vec::len), Some(1));
    let mine = json(&ada.ok(&["list", "--author", "me", "--json"]));
    assert_eq!(mine.as_array().map(Vec::len), Some(3));
    let partners = json(&ada.ok(&["list", "--author", "partner", "--json"]));
    assert_eq!(partners, json("[]"));
    let newest = json(&ada.ok(&["list", "--limit", "1", "--json"]));
    assert_eq!(newest.as_array().map(Vec::len), Some(1));
}

#[test]
fn text_comes_from_standard_input_and_gratitude_takes_up_to_three_lines() {
    let ada = Device::init("Ada");
    let run = ada.run_with_input(
        &["write", "--kind", "gratitude", "-"],
        "the tea\n  the joke \n\nthe walk\n",
    );
    let id = run.expect_code(0).stdout.trim().to_owned();
    let shown = json(&ada.ok(&["show", &id, "--json"]));
    assert_eq!(
        shown["content"]["lines"],
        json(r#"["the tea","the joke","the walk"]"#)
    );

    let run = ada.run_with_input(&["write", "-"], "First line.\nSecond line.\n\n");
    let id = run.expect_code(0).stdout.trim().to_owned();
    let shown = json(&ada.ok(&["show", &id, "--json"]));
    assert_eq!(shown["text"], "First line.\nSecond line.");

    let before = ada.files();
    let run = ada.run_with_input(&["write", "--kind", "gratitude", "-"], "a\nb\nc\nd\n");
    run.expect_code(1);
    assert!(run.stderr.contains("up to three lines"), "{run:#?}");
    assert_eq!(ada.files(), before, "a refused entry changes nothing");
    assert_eq!(ada.entries().len(), 2);
}

#[test]
fn entries_change_by_the_beginning_of_their_id() {
    let ada = Device::init("Ada");
    let dinner = ada.write("Dinner at eight.");
    let short = &dinner[..10];
    ada.run(&["edit", short, "Dinner at nine."]).expect_code(0);
    let comment = ada.ok(&["comment", short, "Bring bread."]);
    assert_eq!(
        comment.trim().len(),
        dinner.len(),
        "prints the comment's id"
    );
    ada.ok(&["react", short, "❤️"]);
    let shown = json(&ada.ok(&["show", short, "--json"]));
    assert_eq!(shown["text"], "Dinner at nine.");
    assert_eq!(shown["comments"][0]["text"], "Bring bread.");
    assert_eq!(shown["comments"][0]["author"]["name"], "Ada");
    assert_eq!(shown["reactions"][0]["emoji"], json(r#"["❤️"]"#));
    ada.ok(&["react", short, "❤️", "--undo"]);
    let shown = json(&ada.ok(&["show", short, "--json"]));
    assert_eq!(shown["reactions"], json("[]"));

    let checkin = ada.ok(&["write", "--kind", "checkin", "--mood", "4", "Low."]);
    ada.ok(&["edit", checkin.trim(), "--mood", "8"]);
    let shown = json(&ada.ok(&["show", checkin.trim(), "--json"]));
    assert_eq!(shown["mood"], 8);
    assert_eq!(shown["text"], "Low.");

    let thanks = ada.run_with_input(&["write", "--kind", "gratitude", "-"], "tea\njoke\nwalk");
    let thanks = thanks.expect_code(0).stdout.trim().to_owned();
    ada.ok(&["edit", &thanks, "--line", "2", "the long joke"]);
    let shown = json(&ada.ok(&["show", &thanks, "--json"]));
    assert_eq!(
        shown["content"]["lines"],
        json(r#"["tea","the long joke","walk"]"#)
    );

    // Her own bid is for her partner to answer.
    let bid = ada.ok(&[
        "write",
        "--kind",
        "bid",
        "--bid",
        "opinion",
        "Blue or green?",
    ]);
    let refused = ada.run(&["respond", bid.trim(), "toward"]);
    refused.expect_code(1);
    assert!(
        refused.stderr.contains("your partner answers it"),
        "{refused:#?}"
    );

    ada.run(&["delete", short]).expect_code(0);
    assert!(!ada.texts().contains(&"Dinner at nine.".to_owned()));
    let shown = json(&ada.ok(&["show", &dinner, "--json"]));
    assert_eq!(shown["deleted"], true);

    let unknown = ada.run(&["show", "0000000"]);
    unknown.expect_code(1);
    assert!(
        unknown.stderr.contains("no entry id starts with"),
        "{unknown:#?}"
    );
    let short = ada.run(&["show", "06"]);
    short.expect_code(1);
    assert!(short.stderr.contains("at least 4 characters"), "{short:#?}");
}

#[test]
fn today_shows_the_question_and_takes_one_answer() {
    let ada = Device::init("Ada");
    let today = json(&ada.ok(&["today", "--json"]));
    let question = today["question"]["text"].as_str().expect("a question");
    assert!(question.ends_with('?'), "{question}");
    assert_eq!(today["answers"]["mine"], Value::Null);
    assert_eq!(today["answers"]["partner"]["state"], "waiting");
    assert!(ada.ok(&["today"]).contains(question));

    let answer = ada.ok(&["write", "--kind", "answer", "A cabin by the lake."]);
    let today = json(&ada.ok(&["today", "--json"]));
    assert_eq!(today["answers"]["mine"]["id"], answer.trim());
    assert_eq!(today["answers"]["mine"]["text"], "A cabin by the lake.");
    let again = ada.run(&["write", "--kind", "answer", "The sea."]);
    again.expect_code(1);
    assert!(
        again.stderr.contains("answered today's question already"),
        "{again:#?}"
    );
}

/// One line on standard error, starting `hearth:`, and no panic.
fn one_clear_line(run: &Run) {
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {run:#?}");
    assert!(lines[0].starts_with("hearth: "), "{run:#?}");
    assert!(!run.stderr.contains("panicked"), "{run:#?}");
}

#[test]
fn bad_input_gets_one_clear_line_and_changes_nothing() {
    // No journal yet: said before any passphrase is asked for.
    let empty = Device::new();
    let mut command = empty.command(&["list"]);
    command.env_remove("HEARTH_PASSPHRASE");
    let run = run(command);
    run.expect_code(1);
    one_clear_line(&run);
    assert!(
        run.stderr.contains("run `hearth init --name NAME` first"),
        "{run:#?}"
    );

    let ada = Device::init("Ada");
    ada.write("Something to keep.");
    let before = ada.files();
    let refusals: [(&[&str], i32, &str); 7] = [
        (&["init", "--name", "Ada"], 1, "already exists"),
        (
            &["write", "--kind", "checkin", "--mood", "11", "x"],
            2,
            "11",
        ),
        (&["write", "--kind", "checkin", "Fine."], 1, "needs --mood"),
        (&["write", "--mood", "5", "Fine."], 1, "--mood goes with"),
        (&["write", "   "], 1, "nothing to write"),
        (
            &["write", "--kind", "answer", "--private", "x"],
            1,
            "cannot be private",
        ),
        (&["write", "--kind", "bid", "--bid", "hug", "x"], 2, "hug"),
    ];
    for (args, code, says) in refusals {
        let run = ada.run(args);
        run.expect_code(code);
        assert!(run.stderr.contains(says), "{args:?}: {run:#?}");
        assert!(!run.stderr.contains("panicked"), "{run:#?}");
        if code == 1 {
            one_clear_line(&run);
        }
    }
    assert_eq!(ada.files(), before, "nothing refused changed a file");
    assert_eq!(ada.texts(), ["Something to keep."]);
}

#[test]
fn an_entry_s_history_lists_every_version_and_its_author_brings_one_back() {
    let ada = Device::init("Ada");
    let id = ada.ok(&["write", "The first draft of a long day."]);
    let id = id.trim();
    ada.ok(&["edit", id, "A long day, and a quiet evening."]);
    ada.ok(&["edit", id, "A long day, a quiet evening, an early night."]);

    let listed = ada.ok(&["history", id]);
    for (n, text) in [
        (1, "The first draft of a long day."),
        (2, "A long day, and a quiet evening."),
        (3, "A long day, a quiet evening, an early night."),
    ] {
        assert!(listed.contains(&format!("Version {n} ·")), "{listed}");
        assert!(listed.contains(text), "{listed}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&ada.ok(&["history", id, "--json"])).expect("JSON");
    let versions = json.as_array().expect("an array");
    assert_eq!(versions.len(), 3);
    assert_eq!(versions[0]["number"], 1);
    assert_eq!(versions[0]["text"], "The first draft of a long day.");
    assert_eq!(versions[0]["by"]["me"], true);

    let restored = ada.run(&["restore", id, "1"]);
    restored.expect_code(0);
    assert!(
        restored.stderr.contains("Brought back version 1"),
        "{}",
        restored.stderr
    );
    assert!(
        ada.ok(&["show", id])
            .contains("The first draft of a long day.")
    );
    let json: serde_json::Value =
        serde_json::from_str(&ada.ok(&["history", id, "--json"])).expect("JSON");
    assert_eq!(json.as_array().expect("an array").len(), 4);

    // Clear refusals: a version that is not there, and an entry deleted.
    let missing = ada.run(&["restore", id, "9"]);
    missing.expect_code(1);
    assert!(
        missing.stderr.contains("there is no version 9"),
        "{}",
        missing.stderr
    );
    ada.ok(&["delete", id]);
    let gone = ada.run(&["history", id]);
    gone.expect_code(1);
    assert!(gone.stderr.contains("keeps no history"), "{}", gone.stderr);
}

#[test]
fn the_couples_time_zone_is_shown_set_and_checked() {
    let ada = Device::init("Ada");
    let first = ada.ok(&["home-zone"]);
    assert!(
        !first.trim().is_empty(),
        "a new journal has its founder's zone"
    );
    let set = ada.run(&["home-zone", "Europe/Lisbon"]);
    set.expect_code(0);
    assert!(
        set.stderr.contains("midnight in Europe/Lisbon"),
        "{}",
        set.stderr
    );
    assert_eq!(ada.ok(&["home-zone"]).trim(), "Europe/Lisbon");
    let status: serde_json::Value =
        serde_json::from_str(&ada.ok(&["status", "--json"])).expect("JSON");
    assert_eq!(status["home_zone"], "Europe/Lisbon");
    let refused = ada.run(&["home-zone", "Atlantis/Capital"]);
    refused.expect_code(1);
    assert!(
        refused.stderr.contains("not a time zone"),
        "{}",
        refused.stderr
    );
    assert_eq!(ada.ok(&["home-zone"]).trim(), "Europe/Lisbon");
}

#[test]
fn starting_small_puts_one_small_prompt_in_place_of_the_question_and_counts_nothing() {
    let ada = Device::init("Ada");
    assert!(ada.ok(&["start-small"]).starts_with("off"));
    assert!(ada.ok(&["today"]).contains("Question of the day"));
    assert!(ada.ok(&["start-small", "on"]).starts_with("on"));
    let today = ada.ok(&["today"]);
    assert!(today.contains("One small thing"), "{today}");
    assert!(!today.contains("Question of the day"), "{today}");
    let json: Value = serde_json::from_str(&ada.ok(&["today", "--json"])).expect("JSON");
    assert!(json["start_small"]["text"].is_string(), "{json:#}");
    let insights = ada.ok(&["insights"]);
    assert!(insights.contains("starting small"), "{insights}");
    assert!(!insights.contains("Together"), "{insights}");
    ada.ok(&["start-small", "off"]);
    let json: Value = serde_json::from_str(&ada.ok(&["today", "--json"])).expect("JSON");
    assert!(json["start_small"].is_null(), "{json:#}");
}

#[test]
fn an_evening_debrief_keeps_what_was_hard_and_what_helped() {
    let ada = Device::init("Ada");
    let id = ada
        .ok(&[
            "write",
            "--kind",
            "debrief",
            "--hard",
            "The train was cancelled.",
            "--helped",
            "Your call on the platform.",
        ])
        .trim()
        .to_owned();
    let shown = ada.ok(&["show", &id]);
    assert!(shown.contains("evening debrief"), "{shown}");
    assert!(
        shown.contains("What was hard: The train was cancelled."),
        "{shown}"
    );
    assert!(
        shown.contains("What helped: Your call on the platform."),
        "{shown}"
    );
    let entry = json(&ada.ok(&["show", &id, "--json"]));
    assert_eq!(entry["kind"], "debrief");
    assert_eq!(entry["content"]["hard"], "The train was cancelled.");

    // One part changes alone; a whole text or a third part is refused.
    ada.ok(&["edit", &id, "--line", "2", "Your call, and the tea after."]);
    let entry = json(&ada.ok(&["show", &id, "--json"]));
    assert_eq!(entry["content"]["helped"], "Your call, and the tea after.");
    assert_eq!(entry["content"]["hard"], "The train was cancelled.");
    for (args, says) in [
        (vec!["edit", id.as_str(), "new"], "one part at a time"),
        (vec!["edit", id.as_str(), "--line", "3", "x"], "two parts"),
    ] {
        let refused = ada.run(&args);
        refused.expect_code(1);
        assert!(refused.stderr.contains(says), "{}", refused.stderr);
    }
    let versions = ada.ok(&["history", &id]);
    assert!(versions.contains("Version 2"), "{versions}");

    // Only what was hard is fine; neither part, or a text in place of them, is not.
    ada.ok(&["write", "--kind", "debrief", "--hard", "A long day."]);
    for (args, says) in [
        (vec!["write", "--kind", "debrief"], "needs --hard"),
        (
            vec!["write", "--kind", "debrief", "text"],
            "instead of a text",
        ),
        (
            vec!["write", "--hard", "x", "text"],
            "go with --kind debrief",
        ),
    ] {
        let refused = ada.run(&args);
        refused.expect_code(1);
        assert!(refused.stderr.contains(says), "{}", refused.stderr);
    }
}
