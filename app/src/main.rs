//! Hearth: the desktop app and the `hearth` command line.
//!
//! `hearth` alone opens the window; `hearth COMMAND` runs one command without a display (see
//! `hearth --help`, and docs/cli.md). A headless build (`--no-default-features`, without the `gui`
//! feature) is the command line alone.

fn main() -> std::process::ExitCode {
    hearth_app::cli::main()
}
