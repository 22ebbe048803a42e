//! The relay server people would deploy: iroh's own `iroh-relay` binary (with its `server`
//! feature), at the version of the iroh Hearth builds on, run as a process of its own from its
//! configuration file.
//!
//! It is not assumed to be installed: the first run builds it with `cargo install` into a cache
//! outside the clone (`$XDG_CACHE_HOME/hearth-ci`, else `~/.cache/hearth-ci`), which later runs
//! reuse. It serves plain HTTP, as a relay without a `tls` section in its configuration does, and
//! the devices are given its `http://` URL with `--relay` (docs/robustness.md, "Real networks").

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::{output, say, wait_for};

/// The iroh release Hearth builds on (Cargo.lock), whose relay the tests run.
const VERSION: &str = "1.4.1";
/// The port it serves on.
pub const PORT: u16 = 3340;

/// A running relay server.
pub struct Relay {
    child: Option<Child>,
    _dir: tempfile::TempDir,
    /// Its URL, as the devices are given it.
    pub url: String,
}

impl Relay {
    /// Starts the relay in `ns`, serving on `ip` (which `ns` holds); waits until it listens.
    pub fn start(ns: &str, ip: &str) -> Relay {
        let binary = binary();
        let dir = tempfile::tempdir().expect("a directory for the relay's configuration");
        let config = dir.path().join("relay.toml");
        // A small deployment's configuration: the relay alone, on one address, over plain HTTP
        // (no `tls` section), no metrics server.
        std::fs::write(
            &config,
            format!(
                "enable_relay = true\nhttp_bind_addr = \"{ip}:{PORT}\"\nenable_metrics = false\n"
            ),
        )
        .expect("write the relay's configuration");
        let log = std::fs::File::create(dir.path().join("relay.log")).expect("the relay's log");
        let child = Command::new("ip")
            .args(["netns", "exec", ns])
            .arg(&binary)
            .arg("--config-path")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("the relay's log"))
            .stderr(log)
            .spawn()
            .expect("start iroh-relay");
        let listening = format!("{ip}:{PORT}");
        let up = wait_for(Duration::from_secs(30), || {
            let ss = output("ip", &["netns", "exec", ns, "ss", "-ltnH"]);
            String::from_utf8_lossy(&ss.stdout).contains(&listening)
        });
        let relay = Relay {
            child: Some(child),
            url: format!("http://{ip}:{PORT}"),
            _dir: dir,
        };
        assert!(
            up,
            "the relay did not listen on {listening}: {}",
            relay.log()
        );
        relay
    }

    /// What the relay logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("relay.log")).unwrap_or_default()
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Where the relay is installed: `<cache>/hearth-ci/iroh-relay-<version>`.
fn root() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))
        .expect("HOME or XDG_CACHE_HOME is set");
    cache
        .join("hearth-ci")
        .join(format!("iroh-relay-{VERSION}"))
}

/// The relay binary, installed first if it is not there yet.
fn binary() -> PathBuf {
    let root = root();
    let binary = root.join("bin").join("iroh-relay");
    if !binary.is_file() {
        say(&format!(
            "installing iroh-relay {VERSION} into {} (once; later runs reuse it)",
            root.display()
        ));
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["install", "iroh-relay", "--version", VERSION])
            .args(["--features", "server", "--locked", "--root"])
            .arg(&root)
            // Its own build directory, not the workspace's, whose lock the test run may hold.
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .stdin(Stdio::null())
            .status()
            .expect("run cargo install");
        assert!(status.success(), "cargo install iroh-relay failed");
    }
    let version = output(binary.to_str().expect("a UTF-8 path"), &["--version"]);
    let said = String::from_utf8_lossy(&version.stdout);
    assert!(
        said.trim() == format!("iroh-relay {VERSION}"),
        "{} is not iroh-relay {VERSION}: {said}",
        binary.display()
    );
    binary
}
