//! Peak memory (resident set) of a process holding the journal through the facade, beside one
//! holding the bare Automerge document. Each is its own child process.

use std::path::Path;

use crate::fixture::{Couple, copy_device};
use crate::measure::Samples;
use crate::probe;
use crate::report::{Row, Unit};

fn one(kib: u64) -> Samples {
    let mut s = Samples::new();
    s.push(kib as f64);
    s
}

pub fn run(couple: &Couple, scratch: &Path) -> anyhow::Result<Row> {
    let dir = tempfile::tempdir_in(scratch)?;
    let file = dir.path().join("journal.automerge");
    std::fs::write(&file, &couple.ada_doc)?;
    let device = dir.path().join("ada");
    copy_device(&couple.ada, &device)?;

    let idle = probe::idle()?;
    let bare = probe::automerge(&file)?;
    let facade = probe::hearth(&device)?;
    let mib = |kib: u64| kib as f64 / 1024.0;
    Ok(Row::new(
        "memory",
        format!(
            "peak memory (RSS) holding a {}-entry journal",
            couple.written.entries
        ),
        Unit::Kib,
        &one(facade.peak_kib),
    )
    .baseline("the bare Automerge document, loaded from the same bytes", &one(bare.peak_kib))
    .note(format!(
        "resident once open: {:.1} MiB (bare document {:.1} MiB); a process with only the runtime peaks at {:.1} MiB",
        mib(facade.resident_kib),
        mib(bare.resident_kib),
        mib(idle.peak_kib)
    )))
}
