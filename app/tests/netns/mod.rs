//! The real-network harness: small networks of Linux network namespaces (hosts, switches that are
//! bridges, routers that forward or masquerade), the real `hearth` binary run inside them, the
//! real iroh relay server as a process of its own, and packet captures of what crossed a wire.
//!
//! Everything the harness makes is named `hn-<pid>-<tag>` and lives in namespaces of its own: no
//! interface, route or rule is added to the machine's own namespace, and no namespace has a route
//! out of the harness's network, so nothing is sent anywhere else. [`Net`] deletes its
//! namespaces, and ends every process still running in them, when it is dropped, also when a test
//! fails; a run that was killed is cleaned up by the next one (its namespaces name a process that
//! no longer exists).
//!
//! The tests need root, iproute2 and, for some, tcpdump and nftables (`.ci/system-packages`
//! installs them on Debian). Where the machine does not allow network namespaces, each test prints
//! one line that says why and passes without running.
#![allow(dead_code)]

mod host;
mod impair;
mod net;
mod relay;

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub use host::{Host, Serving, pair};
pub use impair::{Faults, Impairment};
pub use net::Net;
pub use relay::Relay;

/// One network test at a time: they time what they measure, and the machine may be small.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Says something on the test's standard error in a way the test runner does not capture, so that
/// it shows in every run (a skip, a measured time).
pub fn say(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "real networks: {line}");
}

/// The right to run a network test, or `None` (after saying why) when this machine cannot.
/// `tools` are the commands the test needs beside `ip`.
pub fn begin(test: &str, tools: &[&str]) -> Option<MutexGuard<'static, ()>> {
    let guard = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match why_not(tools) {
        None => Some(guard),
        Some(why) => {
            say(&format!("{test}: skipped: {why}"));
            None
        }
    }
}

/// Why network tests cannot run here, if they cannot.
fn why_not(tools: &[&str]) -> Option<String> {
    if !cfg!(target_os = "linux") {
        return Some("network namespaces are Linux's".to_owned());
    }
    match Command::new("id").arg("-u").output() {
        Ok(out) if String::from_utf8_lossy(&out.stdout).trim() == "0" => {}
        Ok(_) => return Some("not root (network namespaces need it)".to_owned()),
        Err(e) => return Some(format!("cannot tell who runs the tests (`id -u`: {e})")),
    }
    for tool in std::iter::once(&"ip").chain(tools) {
        if !on_path(tool) {
            return Some(format!(
                "`{tool}` is not installed (see .ci/system-packages)"
            ));
        }
    }
    let probe = format!("hn-{}-probe", std::process::id());
    match Command::new("ip").args(["netns", "add", &probe]).output() {
        Ok(out) if out.status.success() => {
            let _ = Command::new("ip").args(["netns", "del", &probe]).output();
            None
        }
        Ok(out) => Some(format!(
            "`ip netns add` fails here: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Some(format!("cannot run `ip`: {e}")),
    }
}

/// Whether a command of that name is on the `PATH`.
fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| dir.join(tool).is_file())
            || ["/usr/sbin", "/sbin"]
                .iter()
                .any(|dir| std::path::Path::new(dir).join(tool).is_file())
    })
}

/// Runs a command that must succeed; returns its standard output.
pub fn sh(program: &str, args: &[&str]) -> String {
    let out = output(program, args);
    assert!(
        out.status.success(),
        "`{program} {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs a command to its end, whatever its exit.
pub fn output(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{program}`: {e}"))
}

/// Polls `ready` every 50 ms until it holds or `limit` has passed; returns whether it held.
pub fn wait_for(limit: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if ready() {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A stopwatch whose readings are printed as the test's measured times.
pub struct Stopwatch {
    test: &'static str,
    start: Instant,
}

impl Stopwatch {
    pub fn start(test: &'static str) -> Stopwatch {
        Stopwatch {
            test,
            start: Instant::now(),
        }
    }

    /// Prints and returns the time since the start, as `what`.
    pub fn lap(&self, what: &str) -> Duration {
        let took = self.start.elapsed();
        say(&format!(
            "{}: {what}: {:.1} s",
            self.test,
            took.as_secs_f64()
        ));
        took
    }

    /// Starts again from now.
    pub fn restart(&mut self) {
        self.start = Instant::now();
    }
}
