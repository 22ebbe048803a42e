//! What the command line's tests share: devices that are temporary data directories driven by the
//! real `hearth` binary, one process per command, networking only on loopback.
#![allow(dead_code)]

pub mod installed;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The binary under test.
pub const HEARTH: &str = env!("CARGO_BIN_EXE_hearth");

pub const PASSPHRASE: &str = "a long walk by the river";

/// The longest any one command may take before a test gives up on it (a bound against hanging,
/// not a timing assertion: a healthy run is far quicker).
const PATIENCE: Duration = Duration::from_secs(120);

/// A device: its own data directory, and a UDP port on loopback that it keeps across commands (as
/// a real device keeps its port), so that its partner finds it where it was.
pub struct Device {
    dir: tempfile::TempDir,
    port: u16,
}

/// What a finished command left.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing everything the command said if it differs.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, Some(code), "unexpected exit: {self:#?}");
        self
    }
}

/// A free UDP port on loopback right now.
fn free_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .expect("a free UDP port")
}

/// Waits for a child, killing it if it takes longer than [`PATIENCE`].
pub fn wait_bounded(child: &mut Child) -> ExitStatus {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(status) = child.try_wait().expect("child status") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("a hearth process did not finish within {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Reads what is left of a child's stream.
pub fn rest(stream: Option<impl Read>) -> String {
    let mut text = String::new();
    if let Some(mut s) = stream {
        let _ = s.read_to_string(&mut text);
    }
    text
}

impl Device {
    /// A device with no journal yet.
    pub fn new() -> Device {
        Device {
            dir: tempfile::tempdir().expect("a temporary directory"),
            port: free_port(),
        }
    }

    /// A device with a journal started by `name`.
    pub fn init(name: &str) -> Device {
        let device = Device::new();
        device.ok(&["init", "--name", name]);
        device
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The network flags: LAN-only, on loopback, on this device's port.
    pub fn net(&self) -> Vec<String> {
        vec![
            "--local".into(),
            "--bind".into(),
            format!("127.0.0.1:{}", self.port),
        ]
    }

    /// The command, with the passphrase, fast key derivation, no mDNS, no colour, UTC, and no
    /// terminal to ask anything on.
    pub fn command<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Command {
        let mut command = Command::new(HEARTH);
        command
            .args(args)
            .env("HEARTH_DATA_DIR", self.dir())
            .env("HEARTH_PASSPHRASE", PASSPHRASE)
            .env("HEARTH_INSECURE_FAST_KDF", "1")
            .env("HEARTH_NO_MDNS", "1")
            .env("NO_COLOR", "1")
            .env("TZ", "UTC")
            .env_remove("HEARTH_NEW_PASSPHRASE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// Runs a command to its end.
    pub fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Run {
        run(self.command(args))
    }

    /// Runs a command with `input` on its standard input.
    pub fn run_with_input<S: AsRef<std::ffi::OsStr>>(&self, args: &[S], input: &str) -> Run {
        run_fed(self.command(args), input)
    }

    /// Runs a command that must succeed; returns its standard output.
    pub fn ok<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> String {
        self.run(args).expect_code(0).stdout.clone()
    }

    /// Writes a journal entry; returns its id.
    pub fn write(&self, text: &str) -> String {
        self.ok(&["write", text]).trim().to_owned()
    }

    /// `list --json --limit 0`.
    pub fn entries(&self) -> Vec<Value> {
        let out = self.ok(&["list", "--json", "--limit", "0"]);
        serde_json::from_str::<Value>(&out)
            .expect("list --json is JSON")
            .as_array()
            .expect("an array")
            .clone()
    }

    /// The `text` of every listed entry, newest first.
    pub fn texts(&self) -> Vec<String> {
        self.entries()
            .iter()
            .map(|e| e["text"].as_str().expect("text").to_owned())
            .collect()
    }

    /// `status --json`.
    pub fn status(&self) -> Value {
        serde_json::from_str(&self.ok(&["status", "--json"])).expect("status --json is JSON")
    }

    /// Every file under the data directory with its bytes.
    pub fn files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        Device::files_under(self.dir())
    }

    /// Every file under `dir`, with its bytes.
    pub fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for entry in std::fs::read_dir(dir).expect("read dir") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.insert(path.clone(), std::fs::read(&path).expect("read file"));
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(dir, &mut out);
        out
    }

    /// Starts a long-running command (`serve`, `invite`).
    pub fn spawn<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Child {
        self.command(args).spawn().expect("start hearth")
    }
}

/// Waits for a started child to end; returns what it said.
pub fn finish(mut child: Child) -> Run {
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    // Drain both pipes on threads of their own, so that a chatty child never blocks.
    let out = std::thread::spawn(move || rest(stdout));
    let err = std::thread::spawn(move || rest(stderr));
    let status = wait_bounded(&mut child);
    Run {
        code: status.code(),
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    }
}

/// Runs a prepared command to its end with `input` on its standard input.
pub fn run_fed(mut command: Command, input: &str) -> Run {
    command.stdin(Stdio::piped());
    let mut child = command.spawn().expect("start hearth");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    finish(child)
}

/// Runs a prepared command to its end.
pub fn run(mut command: Command) -> Run {
    let child = command.spawn().expect("start hearth");
    finish(child)
}

/// Reads lines from a child's standard output until one satisfies `want`; returns it.
pub fn read_until(lines: &mut impl BufRead, want: impl Fn(&str) -> bool) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        let n = lines.read_line(&mut line).expect("read a line");
        assert!(n > 0, "the process ended before printing the line awaited");
        if want(&line) {
            return line.trim_end().to_owned();
        }
    }
}

/// One side of a pairing run as a process without a terminal: its standard input to answer on,
/// its standard error read line by line.
pub struct Pairing {
    pub child: Child,
    pub stdin: std::process::ChildStdin,
    pub stderr: BufReader<std::process::ChildStderr>,
}

impl Pairing {
    /// `hearth invite` on `device`; returns it with the ticket it printed first.
    pub fn invite(device: &Device) -> (Pairing, String) {
        Pairing::invite_with(device, &[])
    }

    /// `hearth invite` with `extra` arguments (`--for me`, say).
    pub fn invite_with(device: &Device, extra: &[&str]) -> (Pairing, String) {
        let mut args = vec!["invite".to_owned()];
        args.extend(extra.iter().map(|a| (*a).to_owned()));
        args.extend(device.net());
        let mut pairing = Pairing::start(device, &args);
        let mut stdout = BufReader::new(pairing.child.stdout.take().expect("stdout"));
        let ticket = read_until(&mut stdout, |_| true);
        assert!(
            ticket.starts_with("hearth1"),
            "the first line is the ticket: {ticket:?}"
        );
        (pairing, ticket)
    }

    /// `hearth join -` on `device`, given `ticket` on the first line of its standard input.
    pub fn join(device: &Device, ticket: &str) -> Pairing {
        let mut args = vec!["join".to_owned(), "-".to_owned()];
        args.extend(device.net());
        let mut pairing = Pairing::start(device, &args);
        writeln!(pairing.stdin, "{ticket}").expect("write the ticket");
        pairing
    }

    fn start(device: &Device, args: &[String]) -> Pairing {
        let mut command = device.command(args);
        command.stdin(Stdio::piped());
        let mut child = command.spawn().expect("start hearth");
        let stdin = child.stdin.take().expect("stdin");
        let stderr = BufReader::new(child.stderr.take().expect("stderr"));
        Pairing {
            child,
            stdin,
            stderr,
        }
    }

    /// The digits this side printed on its `sas:` line.
    pub fn digits(&mut self) -> String {
        let line = read_until(&mut self.stderr, |l| l.starts_with("sas: "));
        line["sas: ".len()..].to_owned()
    }

    /// Gives this side a line, as the digits the other side printed.
    pub fn answer(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").expect("answer");
    }

    /// Waits for the end; returns the exit code and the rest of standard error.
    pub fn end(mut self) -> (Option<i32>, String) {
        let stderr = self.stderr;
        let err = std::thread::spawn(move || rest(Some(stderr)));
        let out = self.child.stdout.take();
        let _out = std::thread::spawn(move || rest(out));
        let status = wait_bounded(&mut self.child);
        (status.code(), err.join().expect("stderr reader"))
    }
}

/// Pairs two devices in person, as two processes without a terminal, the way a script does: the
/// invitation's ticket is read from the inviter's first line of output and given to the joiner,
/// and each side is given the digits the other printed.
pub fn pair(inviter: &Device, joiner: &Device) {
    pair_with(inviter, joiner, &[]);
}

/// As [`pair`], the invitation made with `extra` arguments (`--for home`, say).
pub fn pair_with(inviter: &Device, joiner: &Device, extra: &[&str]) {
    let (mut invite, ticket) = Pairing::invite_with(inviter, extra);
    let mut join = Pairing::join(joiner, &ticket);
    let (a, b) = (invite.digits(), join.digits());
    assert_eq!(a, b, "both sides show the same string");
    // Spaces in the line are ignored.
    invite.answer(&b.replace(' ', ""));
    join.answer(&a);
    let (joined, joined_said) = join.end();
    let (invited, invited_said) = invite.end();
    assert_eq!(joined, Some(0), "join failed: {joined_said}");
    assert_eq!(invited, Some(0), "invite failed: {invited_said}");
    assert!(invited_said.contains("Paired with"), "{invited_said}");
    assert!(joined_said.contains("Paired with"), "{joined_said}");
}

/// Sends SIGTERM to a child.
pub fn terminate(child: &Child) {
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success(), "kill -TERM failed");
}

/// `serve` on a device, waiting until it is up; returns the process and its output so far.
pub struct Serving {
    pub child: Child,
    pub stdout: BufReader<std::process::ChildStdout>,
}

impl Device {
    pub fn serve(&self) -> Serving {
        let mut args = vec!["serve".to_owned()];
        args.extend(self.net());
        let mut child = self.spawn(&args);
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        read_until(&mut stdout, |l| l.contains("started"));
        Serving { child, stdout }
    }
}

impl Serving {
    /// Stops it with SIGTERM; returns the exit status and the rest of its output.
    pub fn stop(mut self) -> (ExitStatus, String, String) {
        terminate(&self.child);
        let stderr = self.child.stderr.take();
        let err = std::thread::spawn(move || rest(stderr));
        let stdout = self.stdout;
        let out = std::thread::spawn(move || rest(Some(stdout)));
        let status = wait_bounded(&mut self.child);
        (
            status,
            out.join().expect("stdout reader"),
            err.join().expect("stderr reader"),
        )
    }
}
