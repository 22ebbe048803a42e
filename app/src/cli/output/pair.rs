//! What pairing (`hearth invite`, `hearth join`) shows along the way: the invitation as a QR code
//! and as text, the countdown, the short authentication string to compare, and the outcome.
//!
//! The invitation goes to standard output (a script passes the ticket on); the conversation goes
//! to standard error.

use std::time::Duration;

use hearth::Sas;
use hearth::Ticket;
use tokio::sync::oneshot;

use super::qr;
use super::term::{self, Style, Term, outln};
use super::time::minutes_seconds;
use crate::cli::Ctx;
use crate::clock::clock;

/// The invitation, which works until `expires_ms`. For a person (standard output a terminal): a
/// QR code, the ticket grouped for reading, and until when it works. Otherwise the ticket alone on
/// the first line of standard output, before waiting, for scripts; the rest on standard error.
pub(crate) fn invitation(ctx: &Ctx, ticket: &Ticket, expires_ms: hearth::UnixMs) {
    let text = ticket.to_text();
    let until = clock(expires_ms, &ctx.zone);
    let t = &ctx.term;
    if t.stdout_tty {
        let mut block = String::new();
        block.push_str(&format!(
            "{}\n\nOn your partner's device, scan this code, or enter the invitation below.\n\n",
            t.paint(Style::Bold, "Pair with your partner's device")
        ));
        for line in qr::lines(&text, t.color()).unwrap_or_default() {
            block.push_str(&format!("  {line}\n"));
        }
        block.push_str(&format!(
            "\n  {}\n\n{}",
            t.paint(Style::Bold, &ticket.to_grouped_text()),
            t.paint(
                Style::Dim,
                &format!(
                    "It works once, until {until}. Keep it between the two of you: it lets a \
                     device into your journal."
                )
            )
        ));
        outln(&block);
    } else {
        // For scripts: the ticket alone on the first line, before waiting.
        outln(&text);
        if t.stderr_tty {
            for line in qr::lines(&text, false).unwrap_or_default() {
                eprintln!("  {line}");
            }
        }
        eprintln!("Waiting for your partner's device to join (until {until})…");
    }
}

/// The joining side is dialling the inviting device.
pub(crate) fn reaching() {
    eprintln!("Reaching your partner's device…");
}

/// The countdown while the invitation waits, on the line it keeps rewriting.
pub(crate) fn countdown(left: Duration) {
    eprint!(
        "\r\x1b[2KWaiting for your partner's device… {} left",
        minutes_seconds(left.as_secs())
    );
}

/// Clears the countdown line, when there is one (`on`).
pub(crate) fn clear_line(on: bool) {
    if on {
        eprint!("\r\x1b[2K");
    }
}

/// The two devices have met.
pub(crate) fn connected() {
    eprintln!("Connected to the other device; comparing keys…");
}

/// The short authentication string, seven pictures with their names and three numbers.
pub(crate) fn sas(t: &Term, sas: &Sas) {
    let pictures: Vec<String> = sas
        .emoji()
        .iter()
        .map(|e| format!("{} {}", e.symbol, e.name))
        .collect();
    eprintln!(
        "\nCheck that your partner's screen shows the same:\n\n  {}\n  {}\n",
        t.epaint(Style::Bold, &pictures.join("   ")),
        t.epaint(Style::Bold, &sas.digits())
    );
}

/// Asks whether the strings match (see [`term::ask`]).
pub(crate) fn ask_match() -> oneshot::Receiver<Option<String>> {
    term::ask("Do they match? [y/N]")
}

/// Without a terminal: prints the digits on a line of their own, `sas: DDDDD DDDDD DDDDD`, and
/// reads the other device's from the next line of standard input.
pub(crate) fn ask_digits(sas: &Sas) -> oneshot::Receiver<Option<String>> {
    eprintln!("sas: {}", sas.digits());
    term::read_line()
}

/// Whether a line read holds the fifteen digits `shown` (spaces anywhere are ignored).
pub(crate) fn same_digits(line: Option<&str>, shown: &str) -> bool {
    let digits = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    line.is_some_and(|l| !digits(shown).is_empty() && digits(l) == digits(shown))
}

/// Ends the line of a question left unanswered, before what ended it is told.
pub(crate) fn unanswered() {
    eprintln!();
}

/// This side said yes; the other has yet to.
pub(crate) fn waiting_for_partner() {
    eprintln!("Waiting for your partner to confirm on their device…");
}

/// Paired with `device` (hex), whose owner is `name` when this device knows it; the journal is
/// being shared now.
pub(crate) fn paired(t: &Term, whose: &str, device: hearth::DeviceId) {
    eprintln!(
        "{} Paired with {whose} {}.",
        t.epaint(Style::Good, "✓"),
        t.epaint(Style::Dim, &format!("({device})"))
    );
    eprintln!("Sharing the journal…");
}

/// How the first sync after pairing went: done, or why not.
pub(crate) fn first_sync(t: &Term, outcome: Result<(), String>) {
    match outcome {
        Ok(()) => eprintln!("Done: you share one journal now."),
        Err(why) => eprintln!(
            "{} the first sync did not finish ({why}); run `hearth sync` while both devices are \
             online.",
            t.epaint(Style::Warn, "Paired, but")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_fifteen_digits_say_yes() {
        let shown = "10351 15441 07403";
        for same in [
            shown,
            "103511544107403",
            " 10351  15441 07403 ",
            "1 0 3 5 1 15441 07403",
        ] {
            assert!(same_digits(Some(same), shown), "{same:?}");
        }
        for other in [
            "10351 15441 07404",
            "y",
            "yes",
            "",
            "10351 15441",
            "10351 15441 074030",
        ] {
            assert!(!same_digits(Some(other), shown), "{other:?}");
        }
        assert!(!same_digits(None, shown), "the end of the input is a no");
    }
}
