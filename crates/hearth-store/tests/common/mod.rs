//! Helpers shared by the integration tests: passphrases, directory fingerprints, and running this
//! test executable again as a child process.
#![allow(dead_code)] // Each test binary uses a different subset.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

use hearth_crypto::passphrase::{KdfParams, Passphrase};
use hearth_store::Store;
use sha2::{Digest, Sha256};

/// Names the role a re-run of the test executable plays; absent in a normal test run.
pub const CHILD_ROLE_ENV: &str = "HEARTH_STORE_TEST_CHILD";
/// The data directory a child process works on.
pub const CHILD_DIR_ENV: &str = "HEARTH_STORE_TEST_DIR";

pub fn passphrase() -> Passphrase {
    Passphrase::new("a long and memorable passphrase")
}

pub fn wrong_passphrase() -> Passphrase {
    Passphrase::new("not the passphrase")
}

pub fn fast() -> KdfParams {
    KdfParams::insecure_fast_for_tests()
}

pub fn create(dir: &Path) -> Store {
    Store::create(dir, &passphrase(), fast()).expect("a fresh directory accepts a new store")
}

pub fn open(dir: &Path) -> Store {
    Store::open(dir, &passphrase()).expect("the store opens with its passphrase")
}

/// Name, size, modification time and SHA-256 of every file in `dir` (recursively). The time
/// catches a file rewritten with the bytes it already had.
pub fn fingerprint(dir: &Path) -> BTreeMap<PathBuf, (u64, SystemTime, Vec<u8>)> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("the test directory is readable") {
            let path = entry.expect("directory entries are readable").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("files in the test directory are readable");
                let name = path
                    .strip_prefix(dir)
                    .expect("entries are inside dir")
                    .to_path_buf();
                let modified = std::fs::metadata(&path)
                    .and_then(|meta| meta.modified())
                    .expect("the file system records modification times");
                let digest = Sha256::digest(&bytes).to_vec();
                out.insert(name, (bytes.len() as u64, modified, digest));
            }
        }
    }
    out
}

/// The contents of every file in `dir`.
pub fn all_file_contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    std::fs::read_dir(dir)
        .expect("the test directory is readable")
        .map(|entry| entry.expect("directory entries are readable").path())
        .filter(|path| path.is_file())
        .map(|path| {
            let bytes = std::fs::read(&path).expect("files in the test directory are readable");
            (path, bytes)
        })
        .collect()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// A command that re-runs this test executable, running only the test `helper` in `role`.
pub fn child_command(helper: &str, role: &str, dir: &Path) -> Command {
    let exe = std::env::current_exe().expect("the test executable knows its own path");
    let mut command = Command::new(exe);
    command.args(child_args(helper));
    child_env(&mut command, role, dir);
    command
}

/// Like [`child_command`], but the child may write files of at most `blocks` blocks (of 512 or
/// 1024 bytes, as the shell counts them): a write past that fails with `EFBIG`, as on a full
/// disk, instead of killing the child (the shell ignores `SIGXFSZ`, and so does the child).
pub fn child_command_with_file_size_limit(
    helper: &str,
    role: &str,
    dir: &Path,
    blocks: u64,
) -> Command {
    let exe = std::env::current_exe().expect("the test executable knows its own path");
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""
        ))
        .arg(exe)
        .args(child_args(helper));
    child_env(&mut command, role, dir);
    command
}

fn child_args(helper: &str) -> [&str; 5] {
    [
        helper,
        "--exact",
        "--nocapture",
        "--test-threads=1",
        "--quiet",
    ]
}

fn child_env(command: &mut Command, role: &str, dir: &Path) {
    command
        .env(CHILD_ROLE_ENV, role)
        .env(CHILD_DIR_ENV, dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
}

/// In a child process: its role and data directory. `None` in a normal test run.
pub fn child_role() -> Option<(String, PathBuf)> {
    let role = std::env::var(CHILD_ROLE_ENV).ok()?;
    let dir = std::env::var_os(CHILD_DIR_ENV).expect("a child is always given its directory");
    Some((role, PathBuf::from(dir)))
}

/// Prints a line for the parent and makes sure it left the process.
pub fn tell_parent(line: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}").expect("the parent reads our stdout");
    stdout.flush().expect("the parent reads our stdout");
}
