//! The relay server people would deploy: iroh's own `iroh-relay` binary (with its `server`
//! feature), at the version of the iroh Hearth builds on, run as a process of its own from its
//! configuration file.
//!
//! It is not assumed to be installed: the first run builds it with `cargo install` into a cache
//! outside the clone (`$XDG_CACHE_HOME/hearth-ci`, else `~/.cache/hearth-ci`), which later runs
//! reuse. It serves plain HTTP, as a relay without a `tls` section in its configuration does, and
//! the devices are given its `http://` URL with `--relay` (docs/robustness.md, "Real networks").

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::{output, wait_for};

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

/// The relay binary, installed first if it is not there yet.
fn binary() -> PathBuf {
    let tool = crate::cli_support::installed::IROH_RELAY;
    let binary = tool.binary();
    let version = output(binary.to_str().expect("a UTF-8 path"), &["--version"]);
    let said = String::from_utf8_lossy(&version.stdout);
    assert!(
        said.trim() == format!("iroh-relay {}", tool.version),
        "{} is not iroh-relay {}: {said}",
        binary.display(),
        tool.version
    );
    binary
}
