//! The `hearth` command line: the whole journal without a window, for people who live in a
//! terminal, for an always-on home device (`hearth serve`) and for scripts.
//!
//! It drives the same facade as the window, one command per process: open the journal, do one
//! thing, shut down cleanly. Data goes to standard output (ids, lists, `--json`); what a person
//! should know along the way goes to standard error; every failure is one sentence there and an
//! exit code of its own (docs/cli.md lists them).

mod args;
mod change;
mod exit;
mod export;
mod init;
mod json;
mod lens;
mod news;
mod open;
mod pair;
mod qr;
mod read;
mod render;
mod secret;
mod serve;
mod settings;
mod signal;
mod status;
mod sync;
mod term;
mod time;
mod today;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::Parser;
use hearth::Hearth;

use args::{Cli, Command};
use term::Term;

/// What every command knows.
pub(crate) struct Ctx {
    /// This device's data directory.
    pub(crate) data_dir: PathBuf,
    /// The terminal.
    pub(crate) term: Term,
    /// The local time zone, minutes east of UTC.
    pub(crate) offset_minutes: i32,
}

/// Runs `hearth` with the process's arguments: a command, or the window when there is none.
/// Returns the exit code; usage errors and `--help` end the process inside (code 2 and 0).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = dispatch(cli);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let (code, message) = exit::describe(&error);
            let term = Term::detect();
            eprintln!("{} {message}", term.epaint(term::Style::Warn, "hearth:"));
            ExitCode::from(code)
        }
    }
}

fn dispatch(cli: Cli) -> Result<()> {
    let data_dir = match cli.data_dir {
        Some(dir) => dir,
        None => crate::gui::default_data_dir()?,
    };
    let command = match cli.command {
        None => return crate::gui::run(data_dir),
        Some(Command::Demo) => return demo(),
        Some(command) => command,
    };
    let ctx = Ctx {
        data_dir,
        term: Term::detect(),
        offset_minutes: crate::gui::default_options().utc_offset_minutes,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(run(&ctx, command));
    // Nothing of ours is left running; do not wait long for anything a library left behind.
    runtime.shutdown_timeout(Duration::from_secs(2));
    result
}

fn demo() -> Result<()> {
    crate::gui::run_demo()
}

async fn run(ctx: &Ctx, command: Command) -> Result<()> {
    match command {
        Command::Init(a) => init::run(ctx, a).await,
        Command::Invite(a) => pair::invite(ctx, a).await,
        Command::Join(a) => pair::join(ctx, a).await,
        Command::Write(a) => change::write(ctx, a).await,
        Command::Edit(a) => change::edit(ctx, a).await,
        Command::Comment(a) => change::comment(ctx, a).await,
        Command::React(a) => change::react(ctx, a).await,
        Command::Delete(a) => change::delete(ctx, a).await,
        Command::Respond(a) => change::respond(ctx, a).await,
        Command::List(a) => read::list(ctx, a).await,
        Command::Show(a) => read::show(ctx, a).await,
        Command::Search(a) => read::search(ctx, a).await,
        Command::Today(a) => today::run(ctx, a).await,
        Command::Sync(a) => sync::run(ctx, a).await,
        Command::Serve(a) => serve::run(ctx, a).await,
        Command::Status(a) => status::run(ctx, a).await,
        Command::Export(a) => export::run(ctx, a).await,
        Command::Passphrase => settings::passphrase(ctx).await,
        Command::Unpair(a) => settings::unpair(ctx, a).await,
        // Handled before the runtime starts: the window runs on the main thread, not in here.
        Command::Demo => Err(exit::fail(
            "`hearth demo` opens a window; run it on its own",
        )),
    }
}

/// Runs `work` on an open journal, then shuts it down cleanly whatever the outcome.
pub(crate) async fn with<T>(
    hearth: Hearth,
    work: impl AsyncFnOnce(&Hearth) -> Result<T>,
) -> Result<T> {
    let result = work(&hearth).await;
    hearth.shutdown().await;
    result
}
