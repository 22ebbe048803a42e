//! Peak memory (resident set) of a process holding the journal through the facade, beside one
//! holding the bare Automerge document. Each is its own child process. A second row sets the
//! facade's peak while opening against what it holds once open, and a note gives the peak of
//! loading the same journal's changes in ten parts, one after the other (what loading a snapshot
//! in parts would hold).

/// Into how many parts the journal's changes are cut for the note.
const PARTS: usize = 10;

use std::path::Path;

use crate::fixture::{Couple, copy_device};
use crate::measure::Samples;
use crate::probe;
use crate::report::{Row, Target, Unit};

fn one(kib: u64) -> Samples {
    let mut s = Samples::new();
    s.push(kib as f64);
    s
}

/// The journal's changes in [`PARTS`] parts, as the in-parts probe reads them.
fn in_parts(saved: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut doc = automerge::AutoCommit::load(saved)?;
    let changes = doc.get_changes(&[]);
    let per_part = changes.len().div_ceil(PARTS).max(1);
    let mut out = Vec::new();
    for part in changes.chunks(per_part) {
        let bytes: Vec<u8> = part.iter().flat_map(|c| c.raw_bytes().to_vec()).collect();
        out.extend((bytes.len() as u64).to_le_bytes());
        out.extend(bytes);
    }
    Ok(out)
}

pub fn run(couple: &Couple, scratch: &Path) -> anyhow::Result<Vec<Row>> {
    let dir = tempfile::tempdir_in(scratch)?;
    let file = dir.path().join("journal.automerge");
    std::fs::write(&file, &couple.ada_doc)?;
    let device = dir.path().join("ada");
    copy_device(&couple.ada, &device)?;

    let parts_file = dir.path().join("journal.parts");
    std::fs::write(&parts_file, in_parts(&couple.ada_doc)?)?;

    let idle = probe::idle()?;
    let bare = probe::automerge(&file)?;
    let facade = probe::hearth(&device)?;
    let parts = probe::automerge_in_parts(&parts_file)?;
    let mib = |kib: u64| kib as f64 / 1024.0;
    let opening = Row::new(
        "memory_open",
        format!(
            "peak memory opening a {}-entry journal, against what it holds once open",
            couple.written.entries
        ),
        Unit::Kib,
        &one(facade.peak_kib),
    )
    .baseline(
        "resident memory of the same process once the journal is open",
        &one(facade.resident_kib),
    )
    .target(Target::Ratio { max: 2.0 })
    .note(format!(
        "Automerge's loader: the bare document peaks at {:.1} MiB to hold {:.1} MiB; its changes loaded in {PARTS} parts one after the other peak at {:.1} MiB to hold {:.1} MiB",
        mib(bare.peak_kib),
        mib(bare.resident_kib),
        mib(parts.peak_kib),
        mib(parts.resident_kib)
    ));
    let peak = Row::new(
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
    ));
    Ok(vec![peak, opening])
}
