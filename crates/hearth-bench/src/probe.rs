//! Peak memory, measured in a child process per figure so that each peak is its own: the bench
//! runs itself again with a hidden subcommand, which loads one thing, reads its own memory use
//! from the kernel and prints it as JSON.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::fixture::{any_port, options, passphrase};

/// What a child loads before it reports.
#[derive(Clone, Debug, clap::Subcommand)]
pub enum Load {
    /// Nothing: the floor of a process with a runtime.
    Idle,
    /// A bare Automerge document from a file of its saved bytes.
    Automerge { file: PathBuf },
    /// A device's journal, opened through the facade with the network off.
    Hearth { dir: PathBuf },
    /// A bare Automerge document from a file of its changes in parts (each a little-endian u64
    /// length and that many bytes of changes), loaded part by part: what loading a snapshot in
    /// parts would hold at its peak.
    AutomergeInParts { file: PathBuf },
}

/// Memory use of a process, from /proc/self/status.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub struct Memory {
    /// The most resident memory the process ever had (VmHWM), KiB.
    pub peak_kib: u64,
    /// Resident memory now (VmRSS), KiB.
    pub resident_kib: u64,
}

fn memory() -> anyhow::Result<Memory> {
    let status = std::fs::read_to_string("/proc/self/status")
        .context("reading /proc/self/status (peak memory is measured on Linux only)")?;
    let field = |name: &str| -> anyhow::Result<u64> {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .with_context(|| format!("no {name} in /proc/self/status"))
    };
    Ok(Memory {
        peak_kib: field("VmHWM:")?,
        resident_kib: field("VmRSS:")?,
    })
}

/// The child's side: load, measure, print.
pub fn child(load: Load) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let held: Box<dyn std::any::Any> = match load {
        Load::Idle => Box::new(()),
        Load::Automerge { file } => {
            let bytes = std::fs::read(file)?;
            Box::new(automerge::AutoCommit::load(&bytes)?)
        }
        Load::AutomergeInParts { file } => {
            let bytes = std::fs::read(file)?;
            let mut doc = automerge::AutoCommit::new();
            let mut rest = bytes.as_slice();
            while let Some((len, after)) = rest.split_first_chunk::<8>() {
                let len = usize::try_from(u64::from_le_bytes(*len))?;
                let (part, after) = after.split_at_checked(len).context("a part is cut short")?;
                doc.load_incremental(part)?;
                rest = after;
            }
            Box::new(doc)
        }
        Load::Hearth { dir } => Box::new(runtime.block_on(hearth::Hearth::open(
            dir,
            &passphrase(),
            options(any_port(), false),
        ))?),
    };
    let m = memory()?;
    println!("{}", serde_json::to_string(&m)?);
    drop(held);
    Ok(())
}

/// The parent's side: runs a child for `load` and reads its report.
pub fn measure(args: &[&std::ffi::OsStr]) -> anyhow::Result<Memory> {
    let exe = std::env::current_exe()?;
    let out = Command::new(exe).arg("probe").args(args).output()?;
    if !out.status.success() {
        bail!(
            "the memory probe failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let text = String::from_utf8(out.stdout)?;
    let line = text
        .lines()
        .last()
        .context("the memory probe printed nothing")?;
    Ok(serde_json::from_str(line)?)
}

pub fn idle() -> anyhow::Result<Memory> {
    measure(&["idle".as_ref()])
}

pub fn automerge(file: &Path) -> anyhow::Result<Memory> {
    measure(&["automerge".as_ref(), file.as_os_str()])
}

pub fn automerge_in_parts(file: &Path) -> anyhow::Result<Memory> {
    measure(&["automerge-in-parts".as_ref(), file.as_os_str()])
}

pub fn hearth(dir: &Path) -> anyhow::Result<Memory> {
    measure(&["hearth".as_ref(), dir.as_os_str()])
}
