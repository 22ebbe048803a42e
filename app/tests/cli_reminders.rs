//! Desktop reminders from `hearth serve --remind`, on a real desktop: an X server (Xvfb), a
//! session D-Bus and a real notification daemon (dunst), each started here as its own process.
//! Skipped, with a line that says why, where those programs are not installed (`.ci/run`
//! installs them).

mod cli_support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cli_support::*;

/// A desktop of our own: its X display, session bus and notification daemon, stopped on drop.
struct Desktop {
    bus: String,
    children: Vec<Child>,
}

impl Drop for Desktop {
    fn drop(&mut self) {
        for child in self.children.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn installed(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl Desktop {
    /// Starts one, or says why it cannot.
    fn start() -> Option<Desktop> {
        for program in ["Xvfb", "dbus-daemon", "dunst", "dunstctl", "dbus-send"] {
            if !installed(program) {
                eprintln!("skipped: {program} is not installed (.ci/system-packages installs it)");
                return None;
            }
        }
        let display = format!(":{}", 200 + std::process::id() % 500);
        let mut children = Vec::new();
        children.push(
            Command::new("Xvfb")
                .args([
                    display.as_str(),
                    "-nolisten",
                    "tcp",
                    "-screen",
                    "0",
                    "640x480x24",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start Xvfb"),
        );
        // The bus starts a daemon it knows of by itself when asked for one: on this display.
        let mut dbus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .env("DISPLAY", &display)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start dbus-daemon");
        let mut line = String::new();
        BufReader::new(dbus.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the bus's address");
        let bus = line.trim().to_owned();
        children.push(dbus);
        let mut desktop = Desktop { bus, children };
        let deadline = Instant::now() + Duration::from_secs(20);
        // The daemon needs the display up; it is tried until it answers on the bus.
        loop {
            if desktop.children.len() < 3 {
                let dunst = Command::new("dunst")
                    .env("DISPLAY", &display)
                    .env("DBUS_SESSION_BUS_ADDRESS", &desktop.bus)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("start dunst");
                desktop.children.push(dunst);
            }
            if desktop.ctl(&["is-paused"]).is_some() {
                return Some(desktop);
            }
            if let Some(dunst) = desktop.children.get_mut(2)
                && dunst.try_wait().ok().flatten().is_some()
            {
                desktop.children.pop();
            }
            assert!(
                Instant::now() < deadline,
                "the notification daemon never answered"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// `dunstctl ARGS` on this desktop's bus: what it printed, if it succeeded.
    fn ctl(&self, args: &[&str]) -> Option<String> {
        let out = Command::new("dunstctl")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Says, as the daemon would, that the person clicked `action` on notification `id`.
    fn click(&self, id: u32, action: &str) {
        let sent = Command::new("dbus-send")
            .args([
                "--session",
                "--type=signal",
                "/org/freedesktop/Notifications",
                "org.freedesktop.Notifications.ActionInvoked",
                &format!("uint32:{id}"),
                &format!("string:{action}"),
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .status()
            .expect("run dbus-send");
        assert!(sent.success());
    }
}

/// `hearth serve`, stopped if the test ends early.
struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Serve {
    /// Its standard output, line by line, read on a thread of its own.
    fn lines(&mut self) -> std::sync::mpsc::Receiver<String> {
        let out = BufReader::new(self.0.stdout.take().expect("stdout"));
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        rx
    }
}

/// The first line holding `what`, doing `meanwhile` every half second while none comes (a bound
/// of a minute, not a timing assertion).
fn wait_line(
    lines: &std::sync::mpsc::Receiver<String>,
    what: &str,
    meanwhile: impl Fn(),
) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        meanwhile();
        match lines.recv_timeout(Duration::from_millis(500)) {
            Ok(line) if line.contains(what) => return line,
            Ok(_) | Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                panic!("serve ended before saying {what:?}")
            }
        }
        assert!(Instant::now() < deadline, "serve never said {what:?}");
    }
}

#[test]
fn serve_reminds_of_a_ritual_at_its_time_once_and_hears_not_today() {
    let Some(desktop) = Desktop::start() else {
        return;
    };
    let ada = Device::init("Ada");
    // The evening debrief from this very minute (the tests run in UTC).
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let at = format!("{:02}:{:02}", now / 3600 % 24, now / 60 % 60);
    ada.ok(&[
        "rituals", "propose", "evening", "--days", "daily", "--at", &at,
    ]);
    // The others rest, so that only the evening debrief is due.
    for other in ["morning", "gratitude", "date-night", "weekly"] {
        ada.ok(&["rituals", "propose", other, "--off"]);
    }

    let mut args = vec!["serve".to_owned(), "--remind".to_owned()];
    args.extend(ada.net());
    let mut serve = Serve(
        ada.command(&args)
            .env("DBUS_SESSION_BUS_ADDRESS", &desktop.bus)
            .spawn()
            .expect("start serve"),
    );
    let lines = serve.lines();
    let reminded = wait_line(&lines, "reminded", || {});
    assert!(reminded.contains("Evening debrief"), "{reminded}");
    // The daemon shows it (it is sent on a thread of its own: a moment later).
    let deadline = Instant::now() + Duration::from_secs(30);
    while desktop
        .ctl(&["count", "displayed"])
        .map(|n| n.trim().to_owned())
        != Some("1".into())
    {
        assert!(
            Instant::now() < deadline,
            "the daemon never showed the notification"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // "Not today", clicked on the notification, is heard. The daemon numbers its notifications
    // from a small number of its own choosing, so the first few are clicked; the click is said
    // again until heard, as the app listens a moment after the notification shows.
    let answered = wait_line(&lines, "reminder ", || {
        for id in 1..=4 {
            desktop.click(id, "not-today");
        }
    });
    assert!(
        answered.contains("Evening debrief: not today"),
        "{answered}"
    );
    // Two more looks later, nothing more was sent.
    std::thread::sleep(Duration::from_secs(21));
    terminate(&serve.0);
    let _ = serve.0.wait();
    let rest: Vec<String> = lines.try_iter().collect();
    assert!(
        !rest.iter().any(|l| l.contains("reminded")),
        "one notification a ritual a day, and it was shown: {rest:?}"
    );
    desktop.ctl(&["close-all"]);
    let history = desktop.ctl(&["history"]).expect("the daemon's history");
    assert!(history.contains("Evening debrief"), "{history}");
    assert!(
        history.contains("what was hard and what helped"),
        "{history}"
    );
}
