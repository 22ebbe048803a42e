//! A Hearth device on a host of the network: a data directory, and the real `hearth` binary run
//! inside the host's namespace, one process per command as a person would run it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cli_support::{HEARTH, PASSPHRASE, Run, finish, read_until, rest, wait_bounded};

/// A device on a host: its namespace, its data directory, and the network options every command
/// that goes online is given.
pub struct Host {
    ns: String,
    dir: tempfile::TempDir,
    /// The network options (`--relay URL`, `--bind ADDR`, ...); none means Hearth's defaults.
    pub net: Vec<String>,
}

impl Host {
    /// A device on the host `ns` with a journal started by `name`.
    pub fn init(ns: &str, name: &str) -> Host {
        let host = Host {
            ns: ns.to_owned(),
            dir: tempfile::tempdir().expect("a temporary directory"),
            net: Vec::new(),
        };
        host.ok(&["init", "--name", name, "--device-name", name]);
        host
    }

    /// The same with `net` as its network options.
    pub fn with_net(mut self, net: &[&str]) -> Host {
        self.net = net.iter().map(|a| (*a).to_owned()).collect();
        self
    }

    /// The namespace it runs in.
    pub fn ns(&self) -> &str {
        &self.ns
    }

    /// `hearth <args>` inside the host's namespace, with the passphrase, the fast key derivation
    /// of the test build, no colour, UTC, and nothing to ask on. mDNS is left as it is by default.
    pub fn command<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Command {
        let mut command = Command::new("ip");
        command
            .args(["netns", "exec", &self.ns, HEARTH])
            .args(args)
            .env("HEARTH_DATA_DIR", self.dir.path())
            .env("HEARTH_PASSPHRASE", PASSPHRASE)
            .env("HEARTH_INSECURE_FAST_KDF", "1")
            .env("NO_COLOR", "1")
            .env("TZ", "UTC")
            .env_remove("HEARTH_NO_MDNS")
            .env_remove("HEARTH_NEW_PASSPHRASE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// A command that goes online: `args`, then the host's network options, then `extra`.
    pub fn online(&self, args: &[&str], extra: &[&str]) -> Vec<String> {
        let mut all: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        all.extend(self.net.iter().cloned());
        all.extend(extra.iter().map(|a| (*a).to_owned()));
        all
    }

    /// Runs a command to its end.
    pub fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Run {
        finish(self.command(args).spawn().expect("start hearth"))
    }

    /// Runs a command that must succeed; returns its standard output.
    pub fn ok<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> String {
        self.run(args).expect_code(0).stdout.clone()
    }

    /// Writes a journal entry; returns its id.
    pub fn write(&self, text: &str) -> String {
        self.ok(&["write", text]).trim().to_owned()
    }

    /// Writes `count` journal entries, `text(n)` each, in one go: through the facade the binary
    /// runs on, in this process, since a thousand `hearth write` processes, each opening the whole
    /// journal, take minutes. The store is the device's own, as `hearth` left it.
    pub fn write_many(&self, count: usize, text: impl Fn(usize) -> String) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let options = hearth::Options {
                start_network: false,
                mdns: false,
                keep_mailboxes: false,
                kdf: hearth::KdfParams::insecure_fast_for_tests(),
                ..hearth::Options::default()
            };
            let passphrase = hearth::Passphrase::new(PASSPHRASE);
            let device = hearth::Hearth::open(self.dir.path(), &passphrase, options)
                .await
                .expect("open the device's journal");
            for n in 0..count {
                let body = text(n);
                device
                    .write(hearth::Draft::shared(hearth::Content::Journal { body }))
                    .await
                    .expect("write an entry");
            }
            device.shutdown().await;
        });
    }

    /// `hearth sync` with the host's network options and `extra`.
    pub fn sync(&self, extra: &[&str]) -> Run {
        self.run(&self.online(&["sync"], extra))
    }

    /// Every entry, newest first (`list --json --limit 0`).
    pub fn entries(&self) -> Vec<Value> {
        let out = self.ok(&["list", "--json", "--limit", "0"]);
        match serde_json::from_str::<Value>(&out).expect("list --json is JSON") {
            Value::Array(entries) => entries,
            other => panic!("list --json is an array: {other}"),
        }
    }

    /// The `text` of every entry, newest first.
    pub fn texts(&self) -> Vec<String> {
        self.entries()
            .iter()
            .map(|e| e["text"].as_str().expect("text").to_owned())
            .collect()
    }

    /// `status --json`, with `extra` (`--online`, ...).
    pub fn status(&self, extra: &[&str]) -> Value {
        let args = if extra.is_empty() {
            vec!["status".to_owned(), "--json".to_owned()]
        } else {
            self.online(&["status", "--json"], extra)
        };
        serde_json::from_str(&self.ok(&args)).expect("status --json is JSON")
    }

    /// `hearth serve --json` with the host's network options and `extra`, once it has started.
    pub fn serve(&self, extra: &[&str]) -> Serving {
        let mut child = self
            .command(&self.online(&["serve", "--json"], extra))
            .spawn()
            .expect("start hearth serve");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let (tx, events) = mpsc::channel();
        // Each line is an event; a thread hands them over as they come.
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if let Ok(event) = serde_json::from_str::<Value>(&line)
                    && tx.send(event).is_err()
                {
                    break;
                }
            }
        });
        let mut serving = Serving {
            child: Some(child),
            events,
            seen: Vec::new(),
        };
        serving
            .wait_event(Duration::from_secs(60), |e| e["event"] == "started")
            .expect("hearth serve starts");
        serving
    }
}

/// A running `hearth serve --json`, and the events it printed.
pub struct Serving {
    child: Option<Child>,
    events: mpsc::Receiver<Value>,
    /// Every event so far, in order.
    pub seen: Vec<Value>,
}

impl Serving {
    /// Waits up to `limit` for an event that satisfies `want` (among those seen already, then
    /// new ones); returns it.
    pub fn wait_event(&mut self, limit: Duration, want: impl Fn(&Value) -> bool) -> Option<Value> {
        if let Some(event) = self.seen.iter().find(|e| want(e)) {
            return Some(event.clone());
        }
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let event = self.events.recv_timeout(left).ok()?;
            self.seen.push(event.clone());
            if want(&event) {
                return Some(event);
            }
        }
    }

    /// Takes in the events printed so far without waiting.
    pub fn drain(&mut self) {
        while let Ok(event) = self.events.try_recv() {
            self.seen.push(event);
        }
    }

    /// The process id: the same from start to stop means it was never restarted.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Stops it with SIGTERM; asserts that it ended cleanly; returns its events and standard
    /// error.
    pub fn stop(mut self) -> (Vec<Value>, String) {
        let mut child = self.child.take().expect("a running serve");
        crate::cli_support::terminate(&child);
        let stderr = child.stderr.take();
        let err = std::thread::spawn(move || rest(stderr));
        let status = wait_bounded(&mut child);
        let said = err.join().expect("stderr reader");
        // The reader thread ends with the process; what it sent is all there is.
        while let Ok(event) = self.events.recv_timeout(Duration::from_secs(2)) {
            self.seen.push(event);
        }
        assert!(status.success(), "serve ended with {status}: {said}");
        (std::mem::take(&mut self.seen), said)
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// One side of a pairing: a process without a terminal, answered on its standard input.
struct Side {
    child: Child,
    stdin: std::process::ChildStdin,
    stderr: BufReader<std::process::ChildStderr>,
}

impl Side {
    fn start(host: &Host, args: &[String]) -> Side {
        let mut command = host.command(args);
        command.stdin(Stdio::piped());
        let mut child = command.spawn().expect("start hearth");
        let stdin = child.stdin.take().expect("stdin");
        let stderr = BufReader::new(child.stderr.take().expect("stderr"));
        Side {
            child,
            stdin,
            stderr,
        }
    }

    fn digits(&mut self) -> String {
        read_until(&mut self.stderr, |l| l.starts_with("sas: "))["sas: ".len()..].to_owned()
    }

    fn end(mut self) -> (Option<i32>, String) {
        let stderr = self.stderr;
        let err = std::thread::spawn(move || rest(Some(stderr)));
        let out = self.child.stdout.take();
        let _out = std::thread::spawn(move || rest(out));
        let status = wait_bounded(&mut self.child);
        (status.code(), err.join().expect("stderr reader"))
    }
}

/// Pairs two devices the way a script does (docs/cli.md, "Scripting"): the invitation's ticket
/// from the inviter's first line to the joiner, and each side the digits the other printed. Each
/// runs with its own network options; `extra` goes to the invitation (`--for me`). Returns the
/// ticket.
pub fn pair(inviter: &Host, joiner: &Host, extra: &[&str]) -> String {
    // A bounded invitation: on a broken network nobody joins, and the test ends in a minute.
    let mut invite = Side::start(
        inviter,
        &inviter.online(&["invite", "--timeout", "60"], extra),
    );
    let mut stdout = BufReader::new(invite.child.stdout.take().expect("stdout"));
    let ticket = read_until(&mut stdout, |_| true);
    assert!(ticket.starts_with("hearth1"), "not a ticket: {ticket:?}");
    let mut join = Side::start(joiner, &joiner.online(&["join", "-"], &[]));
    writeln!(join.stdin, "{ticket}").expect("give the ticket");
    let (a, b) = (invite.digits(), join.digits());
    assert_eq!(a, b, "both sides show the same string");
    writeln!(invite.stdin, "{b}").expect("answer the inviter");
    writeln!(join.stdin, "{a}").expect("answer the joiner");
    let (joined, joined_said) = join.end();
    let (invited, invited_said) = invite.end();
    assert_eq!(joined, Some(0), "join failed: {joined_said}");
    assert_eq!(invited, Some(0), "invite failed: {invited_said}");
    ticket
}
