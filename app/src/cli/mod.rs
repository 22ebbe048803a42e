//! The `hearth` command line: the whole journal without a window, for people who live in a
//! terminal, for an always-on home device (`hearth serve`) and for scripts.
//!
//! It drives the same facade as the window, one command per process: open the journal, do one
//! thing, shut down cleanly. Data goes to standard output (ids, lists, `--json`); what a person
//! should know along the way goes to standard error; every failure is one sentence there and an
//! exit code of its own (docs/cli.md lists them).
//!
//! [`args`] is the grammar; [`commands`] what each command asks of the facade and the exit code it
//! ends with ([`exit`]); [`output`] how the results are printed, as text or as JSON.
//!
//! In a build without the window (no `gui` feature: a headless build), `hearth` with no command
//! and `hearth demo` say so and end with the usage error's code.

mod args;
mod commands;
mod exit;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::Parser;

use args::{Cli, Command};
use commands::{
    change, export, init, insights, mailbox, pair, read, rituals, serve, settings, status, sync,
    today,
};
use output::term::{self, Term};

/// What every command knows.
pub(crate) struct Ctx {
    /// This device's data directory.
    pub(crate) data_dir: PathBuf,
    /// The terminal.
    pub(crate) term: Term,
    /// The local time zone.
    pub(crate) zone: hearth::Zone,
    /// Where the passphrase comes from.
    pub(crate) passphrase: commands::secret::Source,
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
    let command = match cli.command {
        None => return window(cli.data_dir),
        Some(Command::Demo) => return demo(),
        Some(command) => command,
    };
    let passphrase = match (cli.passphrase_file, cli.passphrase_fd) {
        (Some(path), _) => commands::secret::Source::File(path),
        (None, Some(fd)) => commands::secret::Source::Fd(fd),
        (None, None) => commands::secret::Source::EnvOrAsk,
    };
    let ctx = Ctx {
        data_dir: data_dir(cli.data_dir)?,
        term: Term::detect(),
        zone: crate::local::default_options().time_zone,
        passphrase,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(run(&ctx, command));
    // Nothing of ours is left running; do not wait long for anything a library left behind.
    runtime.shutdown_timeout(Duration::from_secs(2));
    result
}

/// The directory given (`--data-dir`, `HEARTH_DATA_DIR`), else the default one.
fn data_dir(given: Option<PathBuf>) -> Result<PathBuf> {
    match given {
        Some(dir) => Ok(dir),
        None => crate::local::default_data_dir(),
    }
}

/// `hearth` with no command: the window, on the journal in `data_dir`.
#[cfg(feature = "gui")]
fn window(given: Option<PathBuf>) -> Result<()> {
    crate::gui::run(data_dir(given)?)
}

/// `hearth demo`: the demo's window.
#[cfg(feature = "gui")]
fn demo() -> Result<()> {
    crate::gui::run_demo()
}

/// What a headless build says when asked for the window.
#[cfg(not(feature = "gui"))]
const HEADLESS: &str = "this hearth was built without the window (a headless build); run \
                        `hearth --help` for its commands";

/// `hearth` with no command, in a headless build: no window to open.
#[cfg(not(feature = "gui"))]
fn window(_given: Option<PathBuf>) -> Result<()> {
    Err(exit::exit(exit::USAGE, HEADLESS))
}

/// `hearth demo`, in a headless build: no window to open.
#[cfg(not(feature = "gui"))]
fn demo() -> Result<()> {
    Err(exit::exit(exit::USAGE, HEADLESS))
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
        Command::OpenAnswer(a) => change::open_answer(ctx, a).await,
        Command::List(a) => read::list(ctx, a).await,
        Command::Show(a) => read::show(ctx, a).await,
        Command::History(a) => read::history(ctx, a).await,
        Command::Restore(a) => change::restore(ctx, a).await,
        Command::Search(a) => read::search(ctx, a).await,
        Command::Today(a) => today::run(ctx, a).await,
        Command::Insights(a) => insights::run(ctx, a).await,
        Command::SkipQuestion(a) => today::skip(ctx, a).await,
        Command::Sync(a) => sync::run(ctx, a).await,
        Command::Serve(a) => serve::run(ctx, a).await,
        Command::Status(a) => status::run(ctx, a).await,
        Command::Export(a) => export::run(ctx, a).await,
        Command::Passphrase => settings::passphrase(ctx).await,
        Command::Unpair(a) => settings::unpair(ctx, a).await,
        Command::HomeZone(a) => settings::home_zone(ctx, a).await,
        Command::StartSmall(a) => settings::start_small(ctx, a).await,
        Command::Mailbox(c) => mailbox::run(ctx, c).await,
        Command::Rituals(a) => rituals::run(ctx, a).await,
        Command::DateNight(a) => rituals::date_night(ctx, a).await,
        // Handled before the runtime starts: the window runs on the main thread, not in here.
        Command::Demo => Err(exit::fail(
            "`hearth demo` opens a window; run it on its own",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_help_lists_the_demo_only_where_it_works() {
        let help = Cli::command().render_long_help().to_string();
        assert_eq!(help.contains("demo"), cfg!(feature = "gui"), "{help}");
    }

    #[cfg(not(feature = "gui"))]
    #[test]
    fn a_headless_build_asked_for_the_window_says_it_has_none() {
        for args in [&["hearth"][..], &["hearth", "demo"]] {
            let cli = Cli::try_parse_from(args).expect("a command line");
            let error = dispatch(cli).expect_err("no window to open");
            assert_eq!(exit::describe(&error), (exit::USAGE, HEADLESS.to_owned()));
        }
    }
}
