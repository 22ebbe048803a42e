//! The store from the command line: a wrong passphrase changes no file, the passphrase can be
//! changed, a second process on the same data directory is refused, and exports in all three
//! formats hold the shared journal and nothing private.

mod cli_support;

use cli_support::*;
use serde_json::Value;

#[test]
fn a_wrong_passphrase_is_refused_and_changes_no_file() {
    let ada = Device::init("Ada");
    ada.write("Behind the passphrase.");
    let before = ada.files();
    assert!(!before.is_empty());
    for args in [
        &["list"][..],
        &["write", "more"],
        &["passphrase"],
        &["export", "--format", "json", "--out", "-"],
    ] {
        let mut command = ada.command(args);
        command
            .env("HEARTH_PASSPHRASE", "not the passphrase")
            .env("HEARTH_NEW_PASSPHRASE", "a new one");
        let run = run(command);
        run.expect_code(1);
        assert_eq!(
            run.stderr.trim(),
            "hearth: wrong passphrase; nothing was changed",
            "{args:?}"
        );
        assert!(run.stdout.is_empty(), "{run:#?}");
        assert_eq!(ada.files(), before, "{args:?} changed a file");
    }
    assert_eq!(ada.texts(), ["Behind the passphrase."]);
}

#[test]
fn the_passphrase_changes_and_only_the_new_one_opens() {
    let ada = Device::init("Ada");
    ada.write("Still here after the change.");
    let mut change = ada.command(&["passphrase"]);
    change.env("HEARTH_NEW_PASSPHRASE", "the new and longer passphrase");
    let changed = run(change);
    changed.expect_code(0);
    assert!(
        changed.stderr.contains("Passphrase changed"),
        "{changed:#?}"
    );

    ada.run(&["list"]).expect_code(1);
    let mut list = ada.command(&["list", "--json"]);
    list.env("HEARTH_PASSPHRASE", "the new and longer passphrase");
    let listed = run(list);
    listed.expect_code(0);
    assert!(listed.stdout.contains("Still here after the change."));

    // An empty new passphrase is refused and the new one keeps working.
    let mut empty = ada.command(&["passphrase"]);
    empty
        .env("HEARTH_PASSPHRASE", "the new and longer passphrase")
        .env("HEARTH_NEW_PASSPHRASE", "");
    let refused = run(empty);
    refused.expect_code(1);
    assert!(refused.stderr.contains("cannot be empty"), "{refused:#?}");
}

#[test]
fn a_second_process_on_the_same_data_directory_is_refused() {
    let ada = Device::init("Ada");
    let serving = ada.serve();
    let run = ada.run(&["list"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("is in use by another Hearth"),
        "{run:#?}"
    );
    let (status, out, _) = serving.stop();
    assert!(status.success(), "{out}");
    // Closed cleanly: the directory opens again at once.
    ada.run(&["list"]).expect_code(0);
}

#[test]
fn exports_hold_the_shared_journal_in_each_format() {
    let ada = Device::init("Ada");
    ada.write("We walked to the lighthouse.");
    ada.ok(&[
        "write",
        "--kind",
        "checkin",
        "--mood",
        "9",
        "Sunburnt and happy.",
    ]);
    ada.ok(&["write", "--private", "A private thought."]);
    let out = tempfile::tempdir().expect("a directory for the exports");

    let md = out.path().join("journal.md");
    let run = ada.run(&[
        "export",
        "--format",
        "markdown",
        "--out",
        md.to_str().expect("utf-8"),
    ]);
    run.expect_code(0);
    assert!(run.stderr.contains("2 entries"), "{run:#?}");
    let text = std::fs::read_to_string(&md).expect("the Markdown export");
    assert!(text.starts_with("# Hearth journal"), "{text}");
    assert!(text.contains("We walked to the lighthouse."));
    assert!(text.contains("Mood 9/10. Sunburnt and happy."));
    assert!(!text.contains("A private thought."));

    let js = out.path().join("journal.json");
    ada.ok(&[
        "export",
        "--format",
        "json",
        "--out",
        js.to_str().expect("utf-8"),
    ]);
    let value: Value =
        serde_json::from_slice(&std::fs::read(&js).expect("the JSON export")).expect("JSON");
    assert_eq!(value["format"], "hearth-journal");
    assert_eq!(value["version"], 1);
    let texts: Vec<&str> = value["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| {
            e["content"]["body"]
                .as_str()
                .or(e["content"]["why"].as_str())
        })
        .collect();
    assert_eq!(
        texts,
        ["We walked to the lighthouse.", "Sunburnt and happy."]
    );
    // The same JSON on standard output.
    let piped: Value = serde_json::from_str(&ada.ok(&["export", "--format", "json", "--out", "-"]))
        .expect("JSON on stdout");
    assert_eq!(piped["entries"], value["entries"]);

    let am = out.path().join("journal.automerge");
    ada.ok(&[
        "export",
        "--format",
        "automerge",
        "--out",
        am.to_str().expect("utf-8"),
    ]);
    let bytes = std::fs::read(&am).expect("the Automerge export");
    let journal = hearth_journal::Journal::load(&bytes, [7; 16]).expect("loads as a journal");
    let scanned: Vec<String> = journal
        .scan()
        .entries
        .iter()
        .map(|e| e.content.main_text())
        .collect();
    assert_eq!(
        scanned,
        ["We walked to the lighthouse.", "Sunburnt and happy."]
    );

    // Only the export files are there: nothing half-written was left behind.
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["journal.automerge", "journal.json", "journal.md"]);
    // An export is not encrypted: only its owner may read it.
    #[cfg(unix)]
    for name in names {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.path().join(&name))
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name} is {:o}", mode & 0o777);
    }

    let nowhere = out.path().join("missing").join("journal.md");
    let run = ada.run(&[
        "export",
        "--format",
        "markdown",
        "--out",
        nowhere.to_str().expect("utf-8"),
    ]);
    run.expect_code(1);
    assert!(run.stderr.contains("there is no directory"), "{run:#?}");
}

#[test]
fn a_service_reads_the_passphrase_from_a_file_or_a_descriptor() {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    use std::process::Stdio;

    let secrets = tempfile::tempdir().expect("a directory for the passphrase file");
    let file = secrets.path().join("passphrase");
    std::fs::write(&file, format!("{PASSPHRASE}\n")).expect("write the file");
    let path = file.to_str().expect("utf-8");
    let without_env = |device: &Device, args: &[&str]| {
        let mut command = device.command(args);
        command.env_remove("HEARTH_PASSPHRASE");
        command
    };

    // A journal made by a service, its passphrase from a file readable by its owner alone.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let ada = Device::new();
    run(without_env(
        &ada,
        &["init", "--name", "Ada", "--passphrase-file", path],
    ))
    .expect_code(0);
    ada.write("Opened by a service.");
    let listed = run(without_env(&ada, &["list", "--passphrase-file", path]));
    listed.expect_code(0);
    assert!(
        listed.stdout.contains("Opened by a service."),
        "{listed:#?}"
    );

    // A file other accounts can read is refused, and says how to fix it.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let loose = run(without_env(&ada, &["list", "--passphrase-file", path]));
    loose.expect_code(1);
    assert!(loose.stderr.contains("chmod 600"), "{loose:#?}");

    // From a descriptor (here standard input, as a pipe from a password store would be), whose
    // writer keeps it open: the first line is enough.
    let mut command = without_env(&ada, &["list", "--passphrase-fd", "0"]);
    command.stdin(Stdio::piped());
    let mut child = command.spawn().expect("start hearth");
    let mut still_open = child.stdin.take().expect("stdin");
    writeln!(still_open, "{PASSPHRASE}").expect("write");
    let piped = finish(child);
    drop(still_open);
    piped.expect_code(0);
    assert!(piped.stdout.contains("Opened by a service."), "{piped:#?}");

    // The wrong passphrase from a descriptor is the wrong passphrase; an empty one is no
    // passphrase.
    for (input, said) in [("not it\n", "wrong passphrase"), ("\n", "no passphrase")] {
        let run = run_fed(without_env(&ada, &["list", "--passphrase-fd", "0"]), input);
        run.expect_code(1);
        assert!(run.stderr.contains(said), "{input:?}: {run:#?}");
    }
}

#[test]
fn a_passphrase_guessed_at_once_is_refused_and_a_weak_one_advised_on() {
    for weak in ["password", "12345678", "Ada"] {
        let ada = Device::new();
        let mut init = ada.command(&["init", "--name", "Ada"]);
        init.env("HEARTH_PASSPHRASE", weak);
        let refused = run(init);
        refused.expect_code(1);
        assert!(
            refused.stderr.contains("guessed almost at once"),
            "{weak:?}: {refused:#?}"
        );
        assert!(ada.files().is_empty(), "{weak:?} made a store");
    }

    // A strong one goes through without a word; changing to a trivial one is refused too.
    let ada = Device::init("Ada");
    let mut change = ada.command(&["passphrase"]);
    change.env("HEARTH_NEW_PASSPHRASE", "qwerty");
    let refused = run(change);
    refused.expect_code(1);
    assert!(
        refused.stderr.contains("guessed almost at once"),
        "{refused:#?}"
    );
    ada.run(&["list"]).expect_code(0);
}
