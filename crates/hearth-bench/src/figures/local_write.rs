//! A durable local write: a new entry, until the facade acknowledges it (stored with immediate
//! durability), beside a bare redb write transaction of the same number of bytes on the same
//! disk. The two alternate, sample by sample, so that both see the same disk.

use std::path::Path;
use std::time::Instant;

use automerge::ActorId;
use hearth::{Content, Draft, EntryId, Hearth, MemberId};
use hearth_journal::{DeviceRef, Journal, Stamp, UnixMs};
use redb::{Database, TableDefinition};

use crate::corpus;
use crate::fixture::{Couple, any_port, copy_device, options, passphrase};
use crate::measure::{Samples, timed};
use crate::report::{Row, Target, Unit};
use crate::rng::Rng;

const TABLE: TableDefinition<u64, &[u8]> = TableDefinition::new("bench");

/// The size of the Automerge change each entry makes in Ada's journal, and the time Automerge
/// alone takes to make and encode it.
fn changes(
    doc: &[u8],
    author: MemberId,
    contents: &[Content],
) -> anyhow::Result<(Vec<usize>, Samples)> {
    let mut journal = Journal::load(doc, [3; 16])?;
    journal.automerge_mut().set_actor(ActorId::from([4u8; 16]));
    let stamp = Stamp {
        member: author,
        device: DeviceRef::new("bench"),
        now_ms: UnixMs::from_millis(1_900_000_000_000),
    };
    journal.mark_saved();
    let mut sizes = Vec::with_capacity(contents.len());
    let mut took = Samples::new();
    for (i, content) in contents.iter().enumerate() {
        let id = EntryId::new(
            UnixMs::from_millis(stamp.now_ms.as_millis() + i as i64),
            [i as u8; 9],
        );
        let (size, elapsed) = timed(|| -> anyhow::Result<usize> {
            journal.write(&id, &stamp, content)?;
            Ok(journal.save_incremental().len())
        });
        sizes.push(size?);
        took.push_duration(elapsed);
    }
    Ok((sizes, took))
}

pub async fn run(
    couple: &Couple,
    samples: usize,
    rng: &mut Rng,
    scratch: &Path,
) -> anyhow::Result<Row> {
    let partner = couple.people.members[1].clone();
    let today = corpus::today();
    let contents: Vec<Content> = (0..samples.max(1))
        .map(|_| corpus::content(rng, &partner, today))
        .collect();
    let (sizes, automerge) = {
        let copy = contents.clone();
        let doc = couple.ada_doc.clone();
        let author = couple.people.members[0].clone();
        tokio::task::spawn_blocking(move || changes(&doc, author, &copy)).await??
    };

    let dir = tempfile::tempdir_in(scratch)?;
    let device = dir.path().join("ada");
    copy_device(&couple.ada, &device)?;
    let h = Hearth::open(&device, &passphrase(), options(any_port(), false)).await?;
    let db = std::sync::Arc::new(Database::create(dir.path().join("bare.redb"))?);

    let mut facade = Samples::new();
    let mut bare = Samples::new();
    for (i, (content, size)) in contents.into_iter().zip(sizes.iter().copied()).enumerate() {
        let start = Instant::now();
        h.write(Draft::shared(content)).await?;
        facade.push_duration(start.elapsed());

        let db = db.clone();
        let (result, took) = tokio::task::spawn_blocking(move || {
            timed(|| -> anyhow::Result<()> {
                let value = vec![0x5a_u8; size];
                let txn = db.begin_write()?;
                txn.open_table(TABLE)?.insert(i as u64, value.as_slice())?;
                txn.commit()?;
                Ok(())
            })
        })
        .await?;
        result?;
        bare.push_duration(took);
    }
    h.shutdown().await;
    let mut bytes = sizes.clone();
    bytes.sort_unstable();
    Ok(Row::new(
        "local_write",
        "durable local write (entry acknowledged)",
        Unit::Ms,
        &facade,
    )
    .tail()
    .baseline(
        "a bare redb write transaction (immediate durability) of the same bytes as the entry's Automerge change",
        &bare,
    )
    .target(Target::Ratio { max: 1.5 })
    .note(format!(
        "{} entries on a {}-entry journal; changes of {} bytes (median); Automerge alone takes {:.3} ms (median) to make and encode each, which the baseline leaves out",
        facade.len(),
        couple.written.entries,
        bytes[bytes.len() / 2],
        automerge.median()
    )))
}
