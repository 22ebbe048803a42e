//! Hearth's benchmark harness. Each figure is measured beside its baseline in the same run — the
//! floor the figure cannot go below, such as Automerge alone or a bare database write — and the
//! table shows the ratio, so results mean the same on a fast and a slow machine.
//!
//! ```text
//! cargo run --release -p hearth-bench                      # 10,000 entries
//! cargo run --release -p hearth-bench -- --entries 50000 --runs 3 --json bench.json
//! cargo run -p hearth-bench -- --quick                     # every figure, small: a smoke test
//! ```
//!
//! docs/benchmarks.md explains each figure and holds a measured run.

mod corpus;
mod echo;
mod events;
mod figures;
mod fill;
mod fixture;
mod measure;
mod probe;
mod report;
mod rng;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::figures::{
    bulk_sync, cold_open, first_screen, four_devices, latency, local_write, mailbox, memory,
    new_entry, refresh, render,
};
use crate::fixture::{Couple, bring_up};
use crate::report::{JournalShape, Machine, Report, Row};
use crate::rng::Rng;

/// Measures Hearth against its baselines and prints the ratios.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Entries in the large journal [default: 10000, or 200 with --quick].
    #[arg(long)]
    entries: Option<usize>,
    /// Small journals and few samples: shows that every figure runs, in seconds. For CI.
    #[arg(long)]
    quick: bool,
    /// How many times to repeat the whole-journal figures (bulk sync, cold open) [default: 5, or
    /// 1 with --quick].
    #[arg(long)]
    runs: Option<usize>,
    /// Samples of the per-operation figures (latency, new entry, local write, frames, refreshes)
    /// [default: 1000, 200, 300, 300 and 100, or 30, 20, 20, 10 and 10 with --quick].
    #[arg(long)]
    samples: Option<usize>,
    /// Also write the results as JSON to this file.
    #[arg(long, value_name = "PATH")]
    json: Option<PathBuf>,
    /// Seed of the generated journals.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to put the devices' data directories [default: the system's temporary directory].
    /// Put it on the disk you want measured: durable writes wait for it.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Measure only these figures (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Figure>,
    #[command(subcommand)]
    command: Option<Hidden>,
}

#[derive(Subcommand, Debug)]
enum Hidden {
    /// Loads one thing and prints this process's memory use (run by the bench itself).
    #[command(hide = true)]
    Probe {
        #[command(subcommand)]
        load: probe::Load,
    },
}

/// The figures, for `--only`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Figure {
    /// Bulk initial sync and bytes on the wire.
    Sync,
    /// Edit on one device to the change event on the other.
    Latency,
    /// One new entry synced, large journal against small; through a folder mailbox and a mailbox
    /// server; and among four devices.
    NewEntry,
    /// Cold open, the first screen, and Argon2id.
    Open,
    /// Durable local write.
    Write,
    /// Peak memory.
    Memory,
    /// Timeline frame render.
    Render,
    /// Today and the first timeline page, read as the window reads them after a change.
    Refresh,
}

/// How much to measure.
struct Plan {
    entries: usize,
    small_entries: usize,
    runs: usize,
    latency_samples: usize,
    new_entry_samples: usize,
    write_samples: usize,
    frames: usize,
    refresh_samples: usize,
    refresh_small_entries: usize,
    kdf_runs: usize,
    only: Vec<Figure>,
}

impl Plan {
    fn of(args: &Args) -> Plan {
        let quick = args.quick;
        let pick = |full: usize, small: usize| if quick { small } else { full };
        Plan {
            entries: args.entries.unwrap_or(pick(10_000, 200)),
            small_entries: 100,
            runs: args.runs.unwrap_or(pick(5, 1)).max(1),
            latency_samples: args.samples.unwrap_or(pick(1_000, 30)),
            new_entry_samples: args.samples.unwrap_or(pick(200, 20)),
            write_samples: args.samples.unwrap_or(pick(300, 20)),
            frames: args.samples.unwrap_or(pick(300, 10)),
            refresh_samples: args.samples.unwrap_or(pick(100, 10)),
            refresh_small_entries: pick(1_000, 100),
            kdf_runs: pick(3, 1),
            only: args.only.clone(),
        }
    }

    fn wants(&self, figure: Figure) -> bool {
        self.only.is_empty() || self.only.contains(&figure)
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.command {
        Some(Hidden::Probe { load }) => probe::child(load),
        None => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(anyhow::Error::from)
            .and_then(|rt| rt.block_on(bench(&args))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hearth-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn bench(args: &Args) -> anyhow::Result<()> {
    let plan = Plan::of(args);
    let load_at_start = report::load_average();
    let profile = if cfg!(debug_assertions) {
        eprintln!(
            "hearth-bench: built without optimisation; the figures are not representative (use --release)"
        );
        "debug"
    } else {
        "release"
    };
    let root = match &args.dir {
        Some(dir) => tempfile::tempdir_in(dir)?,
        None => tempfile::tempdir()?,
    };
    let scratch = root.path();
    let mut rng = Rng::new(args.seed);

    eprintln!(
        "writing a {}-entry journal and pairing two devices...",
        plan.entries
    );
    let large = fixture::couple(scratch, "large", plan.entries, &mut rng.fork()).await?;
    let mut small_rng = rng.fork();
    let mut figure_rng = rng.fork();
    let mut rows: Vec<Row> = Vec::new();

    let wants_live = [Figure::Sync, Figure::Latency, Figure::NewEntry]
        .into_iter()
        .any(|f| plan.wants(f));
    if wants_live {
        rows.extend(live_figures(&plan, &large, scratch, &mut small_rng, &mut figure_rng).await?);
    }
    if plan.wants(Figure::Open) {
        eprintln!("cold open, {} run(s), and Argon2id...", plan.runs);
        rows.extend(cold_open::run(&large, plan.runs, plan.kdf_runs, scratch).await?);
        eprintln!("the changes stored after a snapshot, taken at open...");
        let mut rng = figure_rng.fork();
        rows.push(tokio::task::block_in_place(|| {
            cold_open::stored_changes(&large, plan.runs, &mut rng)
        })?);
    }
    if plan.wants(Figure::Open) {
        eprintln!("the first screen, {} run(s)...", plan.runs);
        rows.push(first_screen::run(&large, plan.runs, scratch).await?);
    }
    if plan.wants(Figure::Write) {
        eprintln!("durable local writes, {} samples...", plan.write_samples);
        rows.extend(local_write::run(&large, plan.write_samples, &mut figure_rng, scratch).await?);
    }
    if plan.wants(Figure::Memory) {
        eprintln!("peak memory...");
        let large = &large;
        rows.extend(tokio::task::block_in_place(|| memory::run(large, scratch))?);
    }

    if plan.wants(Figure::Refresh) {
        eprintln!(
            "Today and the first page, {} refreshes each...",
            plan.refresh_samples
        );
        let small = fixture::couple(
            scratch,
            "small-read",
            plan.refresh_small_entries,
            &mut rng.fork(),
        )
        .await?;
        rows.push(refresh::run(&large, &small, plan.refresh_samples, scratch).await?);
    }

    if plan.wants(Figure::Render) {
        eprintln!(
            "timeline frames, {} each scrolling and still...",
            plan.frames
        );
        // The window owns a runtime of its own: it runs on a plain thread.
        let (large, frames) = (&large, plan.frames);
        let row = std::thread::scope(|s| s.spawn(|| render::run(large, frames, scratch)).join())
            .map_err(|_| anyhow::anyhow!("the render figure panicked"))??;
        rows.push(row);
    }

    rows.sort_by_key(|r| order(r.id));
    let report = Report {
        entries: large.written.entries,
        small_entries: plan.small_entries,
        runs: plan.runs,
        quick: args.quick,
        seed: args.seed,
        profile,
        machine: Machine::this(),
        load_at_start,
        load_at_end: report::load_average(),
        journal: JournalShape {
            entries: large.written.entries,
            changes: large.written.changes,
            text_bytes: large.written.text_bytes,
            saved_bytes: large.ada_doc.len(),
        },
        rows,
    };
    println!("{}", report.markdown());
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_vec_pretty(&report)?)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// The figures on two running devices: bulk sync and bytes on the wire, edit latency, and one new
/// entry (which brings up a small journal's devices too).
async fn live_figures(
    plan: &Plan,
    large: &Couple,
    scratch: &Path,
    small_rng: &mut Rng,
    rng: &mut Rng,
) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    let live = if plan.wants(Figure::Sync) {
        eprintln!("bulk sync, {} run(s)...", plan.runs);
        let (sync_rows, live) = bulk_sync::run(large, plan.runs, scratch).await?;
        rows.extend(sync_rows);
        live
    } else {
        bring_up(large, scratch).await?.0
    };
    if plan.wants(Figure::Latency) {
        eprintln!("edit latency, {} samples...", plan.latency_samples);
        rows.extend(latency::run(&live, large, plan.latency_samples, rng).await?);
    }
    let large_samples = if plan.wants(Figure::NewEntry) {
        eprintln!("one new entry, {} samples each...", plan.new_entry_samples);
        Some(new_entry::samples(&live, plan.new_entry_samples, rng).await?)
    } else {
        None
    };
    live.shutdown().await;
    if let Some(large_samples) = &large_samples {
        eprintln!(
            "one new entry through a folder mailbox and a mailbox server, {} samples each...",
            plan.new_entry_samples
        );
        for kind in [mailbox::Kind::Folder, mailbox::Kind::Server] {
            rows.push(
                mailbox::run(
                    large,
                    plan.new_entry_samples,
                    large_samples,
                    rng,
                    scratch,
                    kind,
                )
                .await?,
            );
        }
    }
    if plan.wants(Figure::NewEntry) {
        eprintln!(
            "one new entry on one of four devices, {} samples...",
            plan.new_entry_samples
        );
        rows.push(four_devices::run(plan.new_entry_samples, scratch, rng).await?);
    }
    if let Some(large_samples) = large_samples {
        let small = fixture::couple(scratch, "small", plan.small_entries, small_rng).await?;
        rows.push(
            new_entry::compare(
                large,
                large_samples,
                &small,
                plan.new_entry_samples,
                scratch,
                rng,
            )
            .await?,
        );
    }
    Ok(rows)
}

/// The order of the table: the figures in docs/benchmarks.md's order, details after what they
/// detail.
fn order(id: &str) -> usize {
    const ORDER: &[&str] = &[
        "bulk_sync",
        "edit_latency",
        "edit_ack",
        "edit_shown",
        "cold_open",
        "first_screen",
        "refresh",
        "argon2id",
        "wire_bytes",
        "new_entry",
        "mailbox_entry",
        "mailbox_server_entry",
        "four_devices",
        "local_write",
        "local_write_split",
        "memory",
        "memory_open",
        "render",
    ];
    ORDER.iter().position(|o| *o == id).unwrap_or(ORDER.len())
}
