//! Hearth: the desktop app and the `hearth` command line.
//!
//! `hearth` alone opens the window; `hearth COMMAND` runs one command without a display (see
//! `hearth --help`, and docs/cli.md).

fn main() -> std::process::ExitCode {
    hearth_app::cli::main()
}
