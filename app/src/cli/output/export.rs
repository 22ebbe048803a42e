//! What `hearth export` writes to standard output, and says when it wrote a file.

use std::io::Write;
use std::path::Path;

use hearth::Format;

use crate::cli::args::FormatArg;

fn format_name(arg: FormatArg) -> &'static str {
    match arg {
        FormatArg::Markdown => "Markdown",
        FormatArg::Json => "JSON",
        FormatArg::Automerge => "an Automerge document",
    }
}

/// What every export says on standard error before it is written: it is not encrypted, and, for
/// the copy with history, what that history holds.
pub(crate) fn warn(format: Format) {
    eprintln!("Note: this export is not encrypted. Keep it somewhere only you can read.");
    if format.carries_history() {
        eprintln!(
            "Note: it carries the journal's whole history: deleted entries, earlier versions of \
             edited text and your partner's answers you have not opened are all in it."
        );
    }
}

/// The export itself on standard output (`--out -`). A reader that went away is not an error.
pub(crate) fn to_stdout(bytes: &[u8]) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(bytes);
    let _ = stdout.flush();
}

/// The shared journal's `entries` were exported as `format` to `path`.
pub(crate) fn exported(entries: usize, format: FormatArg, path: &Path) {
    eprintln!(
        "Exported the shared journal ({entries} entr{}) as {} to {}. Private entries stay on \
         this device.",
        if entries == 1 { "y" } else { "ies" },
        format_name(format),
        path.display()
    );
}
