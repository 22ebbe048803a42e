//! What `hearth export` writes to standard output, and says when it wrote a file.

use std::io::Write;
use std::path::Path;

use crate::cli::args::FormatArg;

fn format_name(arg: FormatArg) -> &'static str {
    match arg {
        FormatArg::Markdown => "Markdown",
        FormatArg::Json => "JSON",
        FormatArg::Automerge => "an Automerge document",
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
