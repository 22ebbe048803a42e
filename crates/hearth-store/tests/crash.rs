//! Crash safety, for real: a child process appends changes and reports each acknowledgement; it is
//! killed with SIGKILL at a random moment; every acknowledged change must be there afterwards, in
//! order, and the store must open cleanly.
//!
//! `HEARTH_CRASH_ROUNDS` sets the number of rounds (50 by default) and `HEARTH_CRASH_SEED` the
//! seed of the kill delays (printed by every run, so a failure can be replayed).

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::time::Duration;

use common::{
    child_command, child_role, create, fingerprint, open, passphrase, tell_parent, wrong_passphrase,
};
use hearth_store::{DocId, OpenError, Store, StoredDoc};
use rand_pcg::Pcg64Mcg;
use rand_pcg::rand_core::{Rng, SeedableRng};

const HELPER: &str = "child_process_entry";
const ROUND_ENV: &str = "HEARTH_CRASH_ROUND";
/// The child folds its chunks into a snapshot this often, so kills also land in compactions.
const COMPACT_EVERY: u64 = 40;
/// Kill delays are drawn from zero to this, from the moment the child is started: some kills
/// land while it starts and opens (or repairs) the store, most while it writes.
const MAX_KILL_DELAY_MICROS: u64 = 150_000;

fn entry(round: u64, index: u64) -> Vec<u8> {
    let filler = usize::try_from((round * 31 + index * 17) % 120).expect("small");
    format!("r{round}:i{index}:{}", "x".repeat(filler)).into_bytes()
}

fn parse(entry: &[u8]) -> Option<(u64, u64)> {
    let text = std::str::from_utf8(entry).ok()?;
    let mut parts = text.splitn(3, ':');
    let round = parts.next()?.strip_prefix('r')?.parse().ok()?;
    let index = parts.next()?.strip_prefix('i')?.parse().ok()?;
    Some((round, index))
}

/// Every entry of the document: the snapshot's (one per line), then the chunks'.
fn entries(doc: StoredDoc) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = doc
        .snapshot
        .iter()
        .flat_map(|snapshot| snapshot.split(|&b| b == b'\n'))
        .filter(|line| !line.is_empty())
        .map(<[u8]>::to_vec)
        .collect();
    out.extend(doc.chunks);
    out
}

/// Not a test of its own: the body of the writer process. In a normal test run it returns at once.
#[test]
fn child_process_entry() {
    let Some((role, dir)) = child_role() else {
        return;
    };
    assert_eq!(role, "writer", "unknown child role");
    let round: u64 = std::env::var(ROUND_ENV)
        .expect("the round is given")
        .parse()
        .expect("the round is a number");
    let store = open(&dir);
    let mut index = 0;
    loop {
        // Alternate single appends and batches, to kill both.
        let batch: Vec<_> = if index % 7 == 3 {
            (index..index + 3).map(|i| entry(round, i)).collect()
        } else {
            vec![entry(round, index)]
        };
        let outcome = store.append_changes(DocId::Shared, &batch).expect("append");
        for _ in &batch {
            tell_parent(&format!("ACK {index}"));
            index += 1;
        }
        if outcome.compaction_due || index % COMPACT_EVERY < batch.len() as u64 {
            let doc = store.load(DocId::Shared).expect("load");
            let mark = doc.mark;
            let snapshot = entries(doc).join(&b'\n');
            store
                .compact(DocId::Shared, &snapshot, mark)
                .expect("compact");
        }
    }
}

/// Checks the document holds every acknowledged entry of every round, in order, and nothing else
/// than entries the writers appended (a change committed just before the kill, but not yet
/// reported, may be there too).
fn verify(dir: &Path, acked: &[u64], seed: u64) {
    let round = acked.len() - 1;
    let context = format!("round {round}, HEARTH_CRASH_SEED={seed}");
    let store = Store::open(dir, &passphrase())
        .unwrap_or_else(|err| panic!("{context}: the store does not open cleanly: {err:?}"));
    let doc = store
        .load(DocId::Shared)
        .unwrap_or_else(|err| panic!("{context}: the document does not load: {err:?}"));
    let mut present = vec![0u64; acked.len()];
    let mut last_round = 0;
    for entry in entries(doc) {
        let (r, i) = parse(&entry).unwrap_or_else(|| {
            panic!(
                "{context}: garbage entry {:?}",
                String::from_utf8_lossy(&entry)
            )
        });
        let r_index = usize::try_from(r).expect("small");
        assert!(
            r_index < acked.len(),
            "{context}: entry from a future round {r}"
        );
        assert!(
            r_index >= last_round,
            "{context}: round {r} after round {last_round}"
        );
        assert_eq!(
            i, present[r_index],
            "{context}: entries of round {r} out of order or missing"
        );
        assert_eq!(
            entry,
            self::entry(r, i),
            "{context}: entry r{r}:i{i} altered"
        );
        present[r_index] += 1;
        last_round = r_index;
    }
    for (r, (&have, &need)) in present.iter().zip(acked).enumerate() {
        assert!(
            have >= need,
            "{context}: round {r} acknowledged {need} changes but only {have} survived"
        );
    }
}

#[test]
fn acknowledged_changes_survive_sigkill_at_random_moments() {
    let rounds: u64 = std::env::var("HEARTH_CRASH_ROUNDS")
        .map(|v| v.parse().expect("HEARTH_CRASH_ROUNDS is a number"))
        .unwrap_or(50);
    let seed: u64 = std::env::var("HEARTH_CRASH_SEED")
        .map(|v| v.parse().expect("HEARTH_CRASH_SEED is a number"))
        .unwrap_or_else(|_| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("the clock is after 1970")
                .as_nanos() as u64
        });
    println!("crash test: {rounds} rounds, HEARTH_CRASH_SEED={seed}");
    let mut rng = Pcg64Mcg::seed_from_u64(seed);

    let dir = tempfile::tempdir().expect("temp dir");
    drop(create(dir.path()));
    let mut acked: Vec<u64> = Vec::new();
    for round in 0..rounds {
        let delay = Duration::from_micros(rng.next_u64() % MAX_KILL_DELAY_MICROS);
        let mut child = child_command(HELPER, "writer", dir.path())
            .env(ROUND_ENV, round.to_string())
            .spawn()
            .expect("the test executable can be run again");
        let stdout = child.stdout.take().expect("stdout is piped");
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|line| line.strip_prefix("ACK ").map(str::to_owned))
                .map(|index| index.parse::<u64>().expect("ACK lines carry an index"))
                .collect::<Vec<_>>()
        });
        std::thread::sleep(delay);
        child.kill().expect("the writer runs until killed");
        let status = child.wait().expect("reap the writer");
        assert_eq!(
            status.signal(),
            Some(9),
            "round {round} (HEARTH_CRASH_SEED={seed}): the writer ended by itself: {status}"
        );
        let indices = reader.join().expect("the reader thread does not panic");
        let expected: Vec<u64> = (0..indices.len() as u64).collect();
        assert_eq!(
            indices, expected,
            "round {round}: acknowledgements out of order"
        );
        acked.push(indices.len() as u64);
        println!(
            "round {round}: killed after {delay:?}, {} acknowledged",
            indices.len()
        );

        // Even with a database that needs recovery, a wrong passphrase changes no file.
        let before = fingerprint(dir.path());
        let err = Store::open(dir.path(), &wrong_passphrase()).expect_err("wrong passphrase");
        assert!(matches!(err, OpenError::WrongPassphrase), "{err:?}");
        assert_eq!(
            fingerprint(dir.path()),
            before,
            "round {round}: a file changed"
        );

        verify(dir.path(), &acked, seed);
    }
    let total: u64 = acked.iter().sum();
    println!(
        "crash test: {total} acknowledged changes over {rounds} rounds, {} rounds killed before the first",
        acked.iter().filter(|&&n| n == 0).count()
    );
    assert!(
        total > 0,
        "no writer ever acknowledged a change: the test tested nothing"
    );
}
