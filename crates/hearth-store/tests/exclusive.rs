//! One process at a time: a second process opening the same data directory is refused at once.
//!
//! (The same refusal within one process is tested in `vault.rs`: not here, because a child being
//! spawned holds a copy of every descriptor of this process until it runs its own program, lock
//! included, so a reopen in a test running beside a spawn could see the lock still held.)

mod common;

use std::io::{BufRead, BufReader};
use std::process::ExitStatus;
use std::time::{Duration, Instant};

use common::{child_command, child_role, create, open, passphrase, tell_parent};
use hearth_store::{DocId, OpenError, Store};

const HELPER: &str = "child_process_entry";

/// Not a test of its own: the body of the child process the tests below start. In a normal test
/// run it returns at once.
#[test]
fn child_process_entry() {
    let Some((role, dir)) = child_role() else {
        return;
    };
    assert_eq!(role, "open", "unknown child role");
    let line = match Store::open(&dir, &passphrase()) {
        Ok(store) => {
            let chunks = store.load(DocId::Shared).expect("load").chunks.len();
            format!("OPENED {chunks}")
        }
        Err(err @ OpenError::AlreadyOpen { .. }) => format!("ALREADY_OPEN {err}"),
        Err(err) => format!("OTHER {err:?}"),
    };
    tell_parent(&line);
}

/// Runs the child and returns its report. Fails (rather than hanging the suite) if the child has
/// not finished after a minute, far longer than it ever needs.
fn run_child(dir: &std::path::Path) -> (String, ExitStatus) {
    let mut child = child_command(HELPER, "open", dir)
        .spawn()
        .expect("the test executable can be run again");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().expect("kill the stuck child");
            child.wait().expect("reap the child");
            panic!("the second process hung instead of being refused");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = child.stdout.take().expect("stdout is piped");
    let report = BufReader::new(stdout)
        .lines()
        .map(|line| line.expect("the child's output is text"))
        .find(|line| {
            ["OPENED", "ALREADY_OPEN", "OTHER"]
                .iter()
                .any(|p| line.starts_with(p))
        })
        .expect("the child reports what happened");
    (report, status)
}

#[test]
fn a_second_process_is_refused_while_the_store_is_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = create(dir.path());
    store
        .append_change(DocId::Shared, b"before")
        .expect("append");

    let (report, status) = run_child(dir.path());
    assert!(status.success(), "child failed: {status}");
    assert!(report.starts_with("ALREADY_OPEN"), "{report}");
    assert!(
        report.contains("already open by another Hearth process"),
        "{report}"
    );

    // The refused process did no harm: the first one goes on, and the data is intact.
    store
        .append_change(DocId::Shared, b"after")
        .expect("append");
    drop(store);
    let (report, status) = run_child(dir.path());
    assert!(status.success(), "child failed: {status}");
    assert_eq!(
        report, "OPENED 2",
        "once closed, another process may open it"
    );
    assert_eq!(
        open(dir.path()).load(DocId::Shared).expect("load").chunks,
        vec![b"before".to_vec(), b"after".to_vec()]
    );
}
