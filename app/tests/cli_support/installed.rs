//! Servers the tests run as processes of their own, as people would deploy them, that are not
//! part of Hearth: iroh's relay server and an S3-compatible object store. Each is installed once
//! with `cargo install` into a cache outside the clone (`$XDG_CACHE_HOME/hearth-ci`, else
//! `~/.cache/hearth-ci`), which later runs reuse; `.ci/run` installs them before the tests
//! (`.ci/install-servers`), so a test run builds them only when run on its own on a fresh
//! machine.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A crate whose binary a test runs.
pub struct Tool {
    /// The crate.
    pub krate: &'static str,
    /// Its version.
    pub version: &'static str,
    /// The features its binary needs.
    pub features: &'static str,
    /// The binary.
    pub binary: &'static str,
}

/// iroh's relay server, at the iroh release Hearth builds on (Cargo.lock).
pub const IROH_RELAY: Tool = Tool {
    krate: "iroh-relay",
    version: "1.4.1",
    features: "server",
    binary: "iroh-relay",
};

/// An S3-compatible object store keeping its objects in a folder.
pub const S3S_FS: Tool = Tool {
    krate: "s3s-fs",
    version: "0.14.1",
    features: "binary",
    binary: "s3s-fs",
};

fn cache() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))
        .expect("HOME or XDG_CACHE_HOME is set")
        .join("hearth-ci")
}

impl Tool {
    /// Where it is installed: `<cache>/hearth-ci/<crate>-<version>`.
    pub fn root(&self) -> PathBuf {
        cache().join(format!("{}-{}", self.krate, self.version))
    }

    /// Its binary, installed first if it is not there yet.
    pub fn binary(&self) -> PathBuf {
        let root = self.root();
        let binary = root.join("bin").join(self.binary);
        if !binary.is_file() {
            eprintln!(
                "installing {} {} into {} (once; later runs reuse it)",
                self.krate,
                self.version,
                root.display()
            );
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let status = Command::new(cargo)
                .args(["install", self.krate, "--version", self.version])
                .args(["--features", self.features, "--locked", "--root"])
                .arg(&root)
                // Its own build directory, not the workspace's, whose lock the test run may hold.
                .env_remove("CARGO_TARGET_DIR")
                .env_remove("CARGO_BUILD_TARGET_DIR")
                .stdin(Stdio::null())
                .status()
                .expect("run cargo install");
            assert!(status.success(), "cargo install {} failed", self.krate);
        }
        binary
    }
}
