//! Two devices joined only by a faulty link: a UDP proxy that drops, duplicates, delays, reorders
//! and cuts (see `hearth_e2e::link`). Ada lives on IPv6 loopback and Ben on IPv4 loopback, so the
//! proxy, with a socket in each family, is the only way between them; each dials the other at the
//! proxy's address. Both write while the faults last; once they stop, both journals converge.
//!
//! Bounds here are liveness limits, generous on purpose (a shared, noisy machine), not speeds.
//!
//! The property test runs `HEARTH_FAULT_CASES` random fault schedules, 3 by default to keep CI
//! short. For a longer soak:
//! `HEARTH_FAULT_CASES=100 cargo test -p hearth-e2e --test network_faults -- random`.
//! A failing schedule is saved in `tests/tests/network_faults.proptest-regressions` and tried
//! first on every later run.

mod support;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use hearth::{Event, Hearth, Warning};
use hearth_e2e::link::{Faults, FaultyLink, Stats};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};
use support::*;

/// Once the faults stop, both journals must agree within this long. It covers a reconnect after
/// a lost session: the dial backoff (at most 30 s) plus a dial (at most 15 s), with room to spare.
const CONVERGE_SECS: u64 = 120;

/// Two paired devices whose only way to each other is the link.
struct Couple {
    ada: Hearth,
    ben: Hearth,
    link: FaultyLink,
    _dirs: [tempfile::TempDir; 2],
}

async fn couple_over_link(seed: u64) -> Couple {
    let dirs = [
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    ];
    let ada = create(
        dirs[0].path(),
        "Ada",
        on_loopback(IpAddr::V6(Ipv6Addr::LOCALHOST)),
    )
    .await;
    let ben = create(
        dirs[1].path(),
        "Ben",
        on_loopback(IpAddr::V4(Ipv4Addr::LOCALHOST)),
    )
    .await;
    let link = FaultyLink::start(bound_addr(&ada).await, bound_addr(&ben).await, seed)
        .await
        .expect("link");
    pair_via(&ada, &ben, link.a_as_seen_by_b()).await;
    assert!(
        eventually(30, async || ben.journal_ready()).await,
        "Ben receives the journal through the link"
    );
    Couple {
        ada,
        ben,
        link,
        _dirs: dirs,
    }
}

/// A stretch of time with the same faults, during which each device writes.
#[derive(Clone, Debug)]
struct Phase {
    faults: Faults,
    duration: Duration,
    ada_writes: u8,
    ben_writes: u8,
}

/// Runs the phases on the link, both devices writing at the start of each; then heals the link.
/// Returns every text written, sorted.
async fn run(couple: &Couple, phases: &[Phase]) -> Vec<String> {
    let mut written = Vec::new();
    for (i, phase) in phases.iter().enumerate() {
        couple.link.set(phase.faults);
        for j in 0..phase.ada_writes {
            let text = format!("Ada, phase {i}, note {j}");
            write(&couple.ada, &text).await;
            written.push(text);
        }
        for j in 0..phase.ben_writes {
            let text = format!("Ben, phase {i}, note {j}");
            write(&couple.ben, &text).await;
            written.push(text);
        }
        tokio::time::sleep(phase.duration).await;
    }
    couple.link.set(Faults::none());
    written.sort();
    written
}

/// Waits for both journals to hold exactly `want`.
async fn converged(couple: &Couple, want: &[String]) -> Result<(), String> {
    if eventually(CONVERGE_SECS, async || {
        texts(&couple.ada).await == want && texts(&couple.ben).await == want
    })
    .await
    {
        Ok(())
    } else {
        Err(format!(
            "no convergence within {CONVERGE_SECS} s: want {} notes, Ada has {}, Ben has {}; link {:?}",
            want.len(),
            texts(&couple.ada).await.len(),
            texts(&couple.ben).await.len(),
            couple.link.stats()
        ))
    }
}

fn lossy(drop: f64, duplicate: f64, jitter_ms: u64, reorder: f64) -> Faults {
    Faults {
        drop,
        duplicate,
        jitter: Duration::from_millis(jitter_ms),
        reorder,
        cut: false,
    }
}

fn phase(faults: Faults, secs: u64, writes: u8) -> Phase {
    Phase {
        faults,
        duration: Duration::from_secs(secs),
        ada_writes: writes,
        ben_writes: writes,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_journals_converge_after_a_storm_that_also_cuts_the_session() {
    let couple = couple_over_link(0x5eed).await;
    let mut events = couple.ada.events();
    let before = couple.link.stats();
    assert!(
        before.a_to_b > 0 && before.b_to_a > 0,
        "pairing went through the link: {before:?}"
    );

    let phases = [
        phase(lossy(0.2, 0.1, 30, 0.2), 3, 2),
        phase(Faults::cut(), 3, 1),
        phase(lossy(0.5, 0.3, 120, 0.3), 4, 2),
        // Longer than the 25 s a ping may go unanswered and the 30 s idle timeout: the session
        // is lost, and the devices must find each other again through the link.
        phase(Faults::cut(), 40, 2),
        phase(lossy(0.3, 0.2, 60, 0.2), 3, 1),
    ];
    let want = run(&couple, &phases).await;
    assert_eq!(want.len(), 16);
    converged(&couple, &want).await.expect("converged");

    let stats: Stats = couple.link.stats();
    assert!(stats.dropped > 0, "{stats:?}");
    assert!(stats.duplicated > 0, "{stats:?}");
    assert!(stats.reordered > 0, "{stats:?}");
    assert!(couple.link.is_running());
    let (mut offline, mut online_again, mut misbehaved) = (0, 0, Vec::new());
    while let Ok(event) = events.try_recv() {
        match event {
            Event::Presence { online: false, .. } => offline += 1,
            Event::Presence { online: true, .. } if offline > 0 => online_again += 1,
            Event::Warning(Warning::Misbehaved { what, .. }) => misbehaved.push(what),
            _ => {}
        }
    }
    assert!(
        offline > 0 && online_again > 0,
        "the long cut ended the session and a new one started ({offline} offline, {online_again} online again)"
    );
    assert!(
        misbehaved.is_empty(),
        "a network outage is no misbehaviour: {misbehaved:?}"
    );
    couple.ada.shutdown().await;
    couple.ben.shutdown().await;
}

fn any_phase() -> impl Strategy<Value = Phase> {
    (
        0.0..0.6f64,
        0.0..0.4f64,
        0u64..150,
        0.0..0.4f64,
        prop::bool::weighted(0.25),
        200u64..2_500,
        0u8..3,
        0u8..3,
    )
        .prop_map(
            |(drop, duplicate, jitter_ms, reorder, cut, ms, ada_writes, ben_writes)| Phase {
                faults: Faults {
                    cut,
                    ..lossy(drop, duplicate, jitter_ms, reorder)
                },
                duration: Duration::from_millis(ms),
                ada_writes,
                ben_writes,
            },
        )
}

fn cases() -> u32 {
    std::env::var("HEARTH_FAULT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
}

#[test]
fn random_fault_schedules_always_end_in_convergence() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        source_file: Some(file!()),
        // Each case runs two devices for several seconds: shrink a little, not for hours.
        max_shrink_iters: 16,
        ..Config::default()
    });
    let schedules = (any::<u64>(), prop::collection::vec(any_phase(), 1..5));
    let result = runner.run(&schedules, |(seed, phases)| {
        runtime.block_on(async {
            let couple = couple_over_link(seed).await;
            let want = run(&couple, &phases).await;
            let outcome = converged(&couple, &want).await;
            couple.ada.shutdown().await;
            couple.ben.shutdown().await;
            outcome.map_err(TestCaseError::fail)
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
