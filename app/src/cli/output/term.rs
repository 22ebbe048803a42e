//! The terminal: whether each stream is one, colour (never with NO_COLOR or when not a
//! terminal), and reading an answer from the person.

use std::io::{BufRead, IsTerminal, Write};

use tokio::sync::oneshot;

/// A way to set text apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// Names and headings.
    Bold,
    /// Times, ids and other details.
    Dim,
    /// The warm colour of Hearth: kinds, the question of the day.
    Warm,
    /// Good news.
    Good,
    /// Something to notice.
    Warn,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Bold => "1",
            Style::Dim => "2",
            Style::Warm => "33",
            Style::Good => "32",
            Style::Warn => "31",
        }
    }
}

/// What the standard streams are.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Term {
    /// Standard output is a terminal: a person reads it.
    pub(crate) stdout_tty: bool,
    /// Standard error is a terminal.
    pub(crate) stderr_tty: bool,
    /// Standard input is a terminal: a person can answer.
    pub(crate) stdin_tty: bool,
    color_out: bool,
    color_err: bool,
}

impl Term {
    /// Looks at the streams and at NO_COLOR.
    pub(crate) fn detect() -> Term {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        Term {
            stdout_tty,
            stderr_tty,
            stdin_tty: std::io::stdin().is_terminal(),
            color_out: stdout_tty && !no_color,
            color_err: stderr_tty && !no_color,
        }
    }

    /// Whether standard output takes colour.
    pub(crate) fn color(&self) -> bool {
        self.color_out
    }

    /// `text` styled for standard output.
    pub(crate) fn paint(&self, style: Style, text: &str) -> String {
        paint(self.color_out, style, text)
    }

    /// `text` styled for standard error.
    pub(crate) fn epaint(&self, style: Style, text: &str) -> String {
        paint(self.color_err, style, text)
    }
}

fn paint(on: bool, style: Style, text: &str) -> String {
    if on && !text.is_empty() {
        format!("\x1b[{}m{text}\x1b[0m", style.code())
    } else {
        text.to_owned()
    }
}

/// Writes `text` to standard output. A reader that went away (`hearth list | head`) is not an
/// error: the rest of the output is simply not wanted.
pub(crate) fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Writes `text` and a newline to standard output (see [`out`]).
pub(crate) fn outln(text: &str) {
    out(&format!("{text}\n"));
}

/// Asks on standard error and reads one line from standard input on a thread of its own (so that
/// the runtime can go on listening to the network meanwhile). The answer is `None` at the end of
/// the input.
pub(crate) fn ask(question: &str) -> oneshot::Receiver<Option<String>> {
    eprint!("{question} ");
    let _ = std::io::stderr().flush();
    read_line()
}

/// The next line of standard input, trimmed, read on a thread of its own; `None` at the end of
/// the input.
pub(crate) fn read_line() -> oneshot::Receiver<Option<String>> {
    let (tx, rx) = oneshot::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let answer = match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line.trim().to_owned()),
        };
        let _ = tx.send(answer);
    });
    rx
}

/// Whether an answer is yes.
pub(crate) fn is_yes(answer: Option<&str>) -> bool {
    matches!(
        answer.map(str::to_ascii_lowercase).as_deref(),
        Some("y" | "yes")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yes_is_yes() {
        for yes in ["y", "Y", "yes", "YES"] {
            assert!(is_yes(Some(yes)), "{yes}");
        }
        for no in ["", "n", "no", "yep", "maybe"] {
            assert!(!is_yes(Some(no)), "{no}");
        }
        assert!(!is_yes(None));
    }

    #[test]
    fn no_colour_leaves_text_as_it_is() {
        assert_eq!(paint(false, Style::Bold, "Ada"), "Ada");
        assert_eq!(paint(true, Style::Bold, "Ada"), "\x1b[1mAda\x1b[0m");
    }
}
