//! `hearth invite` and `hearth join`: pairing two devices in person.
//!
//! The inviter shows a ticket (text and QR code); the joiner reads it; both show the same short
//! authentication string and each person confirms it matches. Once paired, both stay online until
//! the joiner has received the journal, so that it can be written in at once.

use std::io::BufRead;
use std::pin::pin;
use std::time::Duration;

use anyhow::Result;
use hearth::{
    DeviceId, Event, Hearth, InviteError, JoinError, NewDevice, PairingEvent, PairingFailure,
    PairingHandle, Ticket, TicketDecodeError,
};
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

use super::open::open;
use super::with;
use crate::cli::Ctx;
use crate::cli::args::{InviteArgs, InviteFor, JoinArgs};
use crate::cli::exit::{EXPIRED, INTERRUPTED, NOT_CONFIRMED, UNREACHABLE, exit, fail};
use crate::cli::output::{self, term};
use crate::clock::clock;

/// How long both devices stay online after pairing for the joiner to receive the journal.
const FIRST_SYNC: Duration = Duration::from_secs(60);

pub(crate) async fn invite(ctx: &Ctx, args: InviteArgs) -> Result<()> {
    let hearth = open(ctx, Some(&args.net)).await?;
    with(hearth, async |h| invite_on(ctx, h, &args).await).await
}

async fn invite_on(ctx: &Ctx, h: &Hearth, args: &InviteArgs) -> Result<()> {
    // From the start, so that the joiner's coming online after pairing is not missed.
    let events = h.events();
    let device_for = args.device_for.map(|f| match f {
        InviteFor::Partner => NewDevice::Partner,
        InviteFor::Me => NewDevice::Mine,
        InviteFor::Home => NewDevice::Home,
    });
    let (ticket, mut pairing) = h.invite(device_for).await.map_err(|e| match e {
        InviteError::NotReady => fail(
            "your partner's journal has not arrived on this device yet, so there is nothing to \
             share; run `hearth sync` first",
        ),
        e @ (InviteError::PartnerAlreadyHere | InviteError::NobodysDevice) => fail(e.to_string()),
        InviteError::Closed(closed) => closed.into(),
        e => anyhow::Error::new(e).context("could not open an invitation"),
    })?;
    let expires_ms = hearth::UnixMs::from_unsigned_millis(ticket.expires_at_ms());
    let left = expires_ms.since(hearth::UnixMs::now());
    let wait = Duration::from_secs(args.timeout).min(left);
    output::pair::invitation(ctx, &ticket, expires_ms);
    let peer = converse(ctx, &mut pairing, Some(Instant::now() + wait)).await?;
    finish(ctx, h, peer, Side::Inviter(events)).await
}

pub(crate) async fn join(ctx: &Ctx, args: JoinArgs) -> Result<()> {
    let text = if args.ticket == "-" {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| fail(format!("could not read the invitation: {e}")))?;
        line.trim().to_owned()
    } else {
        args.ticket.trim().to_owned()
    };
    // A malformed or expired ticket is refused before the passphrase, the store or the network.
    let now = hearth::UnixMs::now().as_unsigned_millis();
    Ticket::from_text(&text, now).map_err(|e| ticket_error(ctx, e))?;
    let hearth = open(ctx, Some(&args.net)).await?;
    with(hearth, async |h| {
        let mut pairing = h.join(&text).await.map_err(|e| match e {
            JoinError::Ticket(e) => ticket_error(ctx, e),
            JoinError::OwnTicket => fail(
                "that is this device's own invitation; enter it on your partner's device instead",
            ),
            JoinError::AlreadyPaired => fail(
                "this device is paired already; `hearth unpair DEVICE` first to join another \
                 journal",
            ),
            e => anyhow::Error::new(e),
        })?;
        output::pair::reaching();
        let peer = converse(ctx, &mut pairing, None).await?;
        finish(ctx, h, peer, Side::Joiner).await
    })
    .await
}

fn ticket_error(ctx: &Ctx, e: TicketDecodeError) -> anyhow::Error {
    match e {
        TicketDecodeError::Expired { expired_at_ms, .. } => exit(
            EXPIRED,
            format!(
                "that invitation expired at {}; ask your partner for a new one",
                clock(
                    hearth::UnixMs::from_unsigned_millis(expired_at_ms),
                    &ctx.zone
                )
            ),
        ),
        e => fail(format!("that is not a valid invitation code: {e}")),
    }
}

fn failure(f: PairingFailure) -> anyhow::Error {
    let nothing = "nothing was stored";
    match f {
        PairingFailure::Expired => exit(
            EXPIRED,
            format!("the invitation expired before pairing finished; {nothing}"),
        ),
        PairingFailure::Mismatch => exit(
            NOT_CONFIRMED,
            format!("you said the strings do not match, so the devices were not paired; {nothing}"),
        ),
        PairingFailure::DeclinedByPartner => exit(
            NOT_CONFIRMED,
            format!("your partner declined on their device; {nothing}"),
        ),
        PairingFailure::Unreachable(_) => exit(UNREACHABLE, format!("{f}")),
        PairingFailure::NoInvitation => exit(EXPIRED, format!("{f}")),
        f => fail(format!("{:#}; {nothing}", anyhow::Error::new(f))),
    }
}

/// Follows a pairing to its end: the string to compare, the person's answer, the outcome. An
/// invitation nobody joined before `deadline` ends with [`EXPIRED`].
async fn converse(
    ctx: &Ctx,
    pairing: &mut PairingHandle,
    deadline: Option<Instant>,
) -> Result<DeviceId> {
    let countdown = ctx.term.stderr_tty && deadline.is_some();
    let far = Instant::now() + Duration::from_secs(24 * 3600);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut interrupt = pin!(tokio::signal::ctrl_c());
    let mut connected = false;
    loop {
        let event = tokio::select! {
            event = pairing.next() => event,
            _ = tokio::time::sleep_until(deadline.unwrap_or(far)), if deadline.is_some() && !connected => {
                output::pair::clear_line(countdown);
                return Err(exit(
                    EXPIRED,
                    "nobody joined in time, so the invitation is closed; run `hearth invite` \
                     again when you are together",
                ));
            }
            _ = tick.tick(), if countdown && !connected => {
                let left = deadline.unwrap_or(far).saturating_duration_since(Instant::now());
                output::pair::countdown(left);
                continue;
            }
            _ = &mut interrupt => {
                output::pair::clear_line(countdown);
                return Err(exit(INTERRUPTED, "pairing cancelled; nothing was stored"));
            }
        };
        output::pair::clear_line(countdown && !connected);
        match event {
            Some(PairingEvent::Connected { .. }) => {
                connected = true;
                output::pair::connected();
            }
            Some(PairingEvent::Compare(sas)) => {
                connected = true;
                output::pair::sas(&ctx.term, &sas);
                // On a terminal the person answers; without one, the line read must be the
                // digits the other device printed.
                let matches = if ctx.term.stdin_tty {
                    let answer = output::pair::ask_match();
                    let typed = ask(pairing, answer, &mut interrupt).await?;
                    term::is_yes(typed.as_deref())
                } else {
                    let answer = output::pair::ask_digits(&sas);
                    let typed = ask(pairing, answer, &mut interrupt).await?;
                    output::pair::same_digits(typed.as_deref(), &sas.digits())
                };
                pairing.confirm(&sas, matches);
                if matches {
                    output::pair::waiting_for_partner();
                }
            }
            Some(PairingEvent::Paired { peer }) => return Ok(DeviceId::from(peer)),
            Some(PairingEvent::Failed(f)) => return Err(failure(f)),
            None => return Err(fail("pairing ended without an outcome; nothing was stored")),
            Some(_) => {}
        }
    }
}

/// Waits for the line the person (or a script) gives, while listening for the pairing to end
/// meanwhile (the partner declined, time ran out).
async fn ask(
    pairing: &mut PairingHandle,
    mut answer: tokio::sync::oneshot::Receiver<Option<String>>,
    interrupt: &mut std::pin::Pin<&mut impl Future<Output = std::io::Result<()>>>,
) -> Result<Option<String>> {
    loop {
        tokio::select! {
            typed = &mut answer => return Ok(typed.ok().flatten()),
            event = pairing.next() => match event {
                Some(PairingEvent::Failed(f)) => {
                    output::pair::unanswered();
                    return Err(failure(f));
                }
                None => {
                    output::pair::unanswered();
                    return Err(fail("pairing ended without an outcome; nothing was stored"));
                }
                Some(_) => {}
            },
            _ = interrupt.as_mut() => {
                output::pair::unanswered();
                return Err(exit(INTERRUPTED, "pairing cancelled; nothing was stored"));
            }
        }
    }
}

/// Which side of the pairing this device is.
enum Side {
    /// It showed the invitation; it stays online until the joiner leaves with the journal.
    Inviter(broadcast::Receiver<Event>),
    /// It joined; it stays online until it has the journal.
    Joiner,
}

/// Waits until `device` has been online and gone offline again; returns whether it was in sync
/// with this device when it went.
async fn left(events: &mut broadcast::Receiver<Event>, device: DeviceId) -> bool {
    let (mut online, mut synced) = (false, false);
    loop {
        match events.recv().await {
            Ok(Event::Presence {
                device: d,
                online: o,
                ..
            }) if d == device => {
                if o {
                    online = true;
                } else if online {
                    return synced;
                }
            }
            Ok(Event::Synced { device: d, .. }) if d == device => synced = true,
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => std::future::pending::<()>().await,
        }
    }
}

/// After pairing: say with whom, and stay online until the joiner has the journal.
async fn finish(ctx: &Ctx, h: &Hearth, device: DeviceId, side: Side) -> Result<()> {
    let whose = h.status().await?.device_label(device);
    output::pair::paired(&ctx.term, &whose, device);
    let outcome = match side {
        Side::Joiner => h
            .sync_now(FIRST_SYNC)
            .await
            .map(drop)
            .map_err(|e| e.to_string()),
        // The joiner decides when it has the journal, and may leave before this side has seen
        // the last acknowledgement: its leaving in sync ends the wait too.
        Side::Inviter(mut events) => tokio::select! {
            done = h.sync_now(FIRST_SYNC) => done.map(drop).map_err(|e| e.to_string()),
            synced = left(&mut events, device) => if synced {
                Ok(())
            } else {
                Err("your partner's device went offline".to_owned())
            },
        },
    };
    output::pair::first_sync(&ctx.term, outcome);
    Ok(())
}
