//! A durable local write: a new entry, until the facade acknowledges it (stored with immediate
//! durability), beside a bare redb write transaction of the same number of bytes on the same
//! disk. The two alternate, sample by sample, so that both see the same disk.
//!
//! A second row splits the write: what Automerge takes to make the entry's change and to encode
//! it, what sealing it takes (XChaCha20-Poly1305 and the ledger's tag, as the store does), and
//! the bare commit; the facade's write against Automerge plus the bare commit shows what the
//! rest of Hearth adds.

use std::path::Path;
use std::time::Instant;

use automerge::ActorId;
use hearth::{Content, Draft, EntryId, Hearth, MemberId};
use hearth_crypto::StorageKey;
use hearth_crypto::at_rest::{self, LedgerKey};
use hearth_journal::{DeviceRef, Journal, Stamp, UnixMs};
use redb::{Database, TableDefinition};

use crate::corpus;
use crate::fixture::{Couple, any_port, copy_device, options, passphrase};
use crate::measure::{Samples, timed};
use crate::report::{Row, Target, Unit};
use crate::rng::Rng;

const TABLE: TableDefinition<u64, &[u8]> = TableDefinition::new("bench");

/// What Automerge alone does for each entry of the figure.
struct Alone {
    /// The size of each entry's change.
    sizes: Vec<usize>,
    /// Making each change (the journal's write, committed).
    make: Samples,
    /// Encoding each for storage.
    encode: Samples,
    /// Sealing each as the store does: XChaCha20-Poly1305 and the ledger's tag.
    seal: Samples,
}

/// The size of the Automerge change each entry makes in Ada's journal, and the time Automerge
/// alone takes to make and encode it, and sealing to seal it.
fn changes(doc: &[u8], author: MemberId, contents: &[Content]) -> anyhow::Result<Alone> {
    let mut journal = Journal::load(doc, [3; 16])?;
    journal.automerge_mut().set_actor(ActorId::from([4u8; 16]));
    let stamp = Stamp {
        member: author,
        device: DeviceRef::new("bench"),
        now_ms: UnixMs::from_millis(1_900_000_000_000),
    };
    journal.mark_saved();
    let key = StorageKey::from_bytes([7; 32]);
    let ledger = LedgerKey::of(&key);
    let mut alone = Alone {
        sizes: Vec::with_capacity(contents.len()),
        make: Samples::new(),
        encode: Samples::new(),
        seal: Samples::new(),
    };
    for (i, content) in contents.iter().enumerate() {
        let id = EntryId::new(
            UnixMs::from_millis(stamp.now_ms.as_millis() + i as i64),
            [i as u8; 9],
        );
        let (made, make) = timed(|| journal.write(&id, &stamp, content));
        made?;
        let (bytes, encode) = timed(|| journal.save_incremental());
        let (_, seal) = timed(|| {
            let sealed = at_rest::seal(&key, [i as u8; 24], b"chunks\0key", &bytes);
            ledger.tag(b"chunks", b"key", &sealed)
        });
        alone.sizes.push(bytes.len());
        alone.make.push_duration(make);
        alone.encode.push_duration(encode);
        alone.seal.push_duration(seal);
    }
    Ok(alone)
}

pub async fn run(
    couple: &Couple,
    samples: usize,
    rng: &mut Rng,
    scratch: &Path,
) -> anyhow::Result<Vec<Row>> {
    let partner = couple.people.members[1].clone();
    let today = corpus::today();
    let contents: Vec<Content> = (0..samples.max(1))
        .map(|_| corpus::content(rng, &partner, today))
        .collect();
    let alone = {
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

    let sizes = &alone.sizes;
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
    // Automerge and the bare commit, sample by sample: the floor under the facade's write.
    let mut floor = Samples::new();
    for i in 0..facade.len() {
        floor.push(alone.make.get(i) + alone.encode.get(i) + bare.get(i));
    }
    let split = Row::new(
        "local_write_split",
        "durable local write against Automerge and a bare commit",
        Unit::Ms,
        &facade,
    )
    .baseline(
        "Automerge making and encoding the entry's change, plus the bare commit of its bytes, sample by sample",
        &floor,
    )
    .target(Target::Ratio { max: 1.2 })
    .note(format!(
        "medians: Automerge makes the change in {:.3} ms and encodes it in {:.3} ms, sealing takes {:.4} ms, the bare commit {:.3} ms",
        alone.make.median(),
        alone.encode.median(),
        alone.seal.median(),
        bare.median()
    ));
    let automerge = {
        let mut both = Samples::new();
        for i in 0..alone.make.len() {
            both.push(alone.make.get(i) + alone.encode.get(i));
        }
        both
    };
    let row = Row::new(
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
    ));
    Ok(vec![row, split])
}
