//! Replays a target's committed inputs: its corpus and the crashes it found.

use std::path::{Path, PathBuf};

/// Every input committed for `target` under the fuzz directory `fuzz_dir`: the files of
/// `corpus/<target>/` and `regressions/<target>/`, in name order, hidden files left out.
pub fn inputs(fuzz_dir: &Path, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz_dir.join(dir).join(target)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && !p
                        .file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with('.'))
            })
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            out.push((path, bytes));
        }
    }
    out
}

/// Writes `seeds` into `corpus/<target>/` as `seed-<name>` files.
pub fn write_seeds(fuzz_dir: &Path, target: &str, seeds: &[(String, Vec<u8>)]) {
    let dir = fuzz_dir.join("corpus").join(target);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for (name, bytes) in seeds {
        let path = dir.join(format!("seed-{name}"));
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// One fuzz target as the test suite replays it: the harness and the seeds it ships.
pub struct Target {
    /// The target's name, as in `fuzz_targets/` and `corpus/`.
    pub name: &'static str,
    /// The harness: what the fuzzer calls with each input.
    pub run: fn(&[u8]),
    /// The seed corpus, named.
    pub seeds: fn() -> Vec<(String, Vec<u8>)>,
}

impl Target {
    /// Runs every committed input under `fuzz_dir`; fails naming each input that panicked, and
    /// when fewer inputs ran than the target has seeds (the corpus went missing).
    pub fn replay(&self, fuzz_dir: &Path) {
        let inputs = inputs(fuzz_dir, self.name);
        let failed: Vec<String> = inputs
            .iter()
            .filter(|(_, bytes)| std::panic::catch_unwind(|| (self.run)(bytes)).is_err())
            .map(|(path, _)| path.display().to_string())
            .collect();
        assert!(
            failed.is_empty(),
            "{}: these inputs fail: {failed:#?}",
            self.name
        );
        let seeds = (self.seeds)().len();
        assert!(
            inputs.len() >= seeds,
            "{}: {} inputs replayed, fewer than its {seeds} seeds",
            self.name,
            inputs.len()
        );
    }
}

/// Fails when a committed seed of one of `targets` differs from what its `seeds` makes now: the
/// format it exercises changed, and the seeds must be written again.
pub fn assert_seeds_current(fuzz_dir: &Path, targets: &[Target]) {
    for target in targets {
        let dir = fuzz_dir.join("corpus").join(target.name);
        for (name, bytes) in (target.seeds)() {
            let path = dir.join(format!("seed-{name}"));
            let stored = std::fs::read(&path).unwrap_or_default();
            assert!(
                stored == bytes,
                "{} is missing or stale: write the seed corpus again",
                path.display()
            );
        }
    }
}

/// Writes the seeds of each of `targets` into `corpus/<target>/`.
pub fn write_all_seeds(fuzz_dir: &Path, targets: &[Target]) {
    for target in targets {
        write_seeds(fuzz_dir, target.name, &(target.seeds)());
    }
}
