//! The facade calls behind the commands, each turned into a [`Reply`].

use std::time::Duration;

use hearth::{Filter, Hearth, OpenError, PairingEvent, PairingFailure, PairingHandle, Passphrase};

use crate::gui::link::Sender;
use crate::gui::reply::{OpenFailure, PairFailure, PairStep, People, Reply};
use crate::gui::wording::sentence;

/// How long "Sync now" tries to reach the partner.
const SYNC_TIMEOUT: Duration = Duration::from_secs(20);

/// The reply for a read the journal could not answer: it was closed meanwhile.
fn closed(e: hearth::Closed) -> Reply {
    Reply::ReadFailed(sentence(&e))
}

pub(crate) async fn people(hearth: &Hearth) -> Result<People, hearth::Closed> {
    Ok(People {
        me: hearth.me().await?,
        partner: hearth.partner().await?,
    })
}

/// The people, as a reply.
pub(crate) async fn read_people(hearth: Hearth) -> Reply {
    people(&hearth).await.map_or_else(closed, Reply::People)
}

/// Where the partner's devices stand, as a reply.
pub(crate) async fn status(hearth: Hearth) -> Reply {
    hearth
        .status()
        .await
        .map_or_else(closed, |s| Reply::Status(Box::new(s)))
}

/// The insights over `[from_ms, to_ms)`, as a reply.
pub(crate) async fn insights(
    hearth: Hearth,
    from_ms: hearth::UnixMs,
    to_ms: hearth::UnixMs,
) -> Reply {
    hearth
        .insights(from_ms, to_ms)
        .await
        .map_or_else(closed, Reply::Insights)
}

/// An entry's versions.
pub(crate) async fn history(hearth: Hearth, id: hearth::EntryId) -> Reply {
    match hearth.history(&id).await {
        Ok(versions) => Reply::History { id, versions },
        Err(e) => closed(e),
    }
}

/// What opening a journal replies: the handle and the people, or why not.
async fn opened(hearth: Hearth, created: bool) -> Reply {
    match people(&hearth).await {
        Ok(people) => Reply::Opened {
            people,
            hearth,
            created,
        },
        Err(e) => closed(e),
    }
}

pub(crate) async fn create(
    dir: std::path::PathBuf,
    options: hearth::Options,
    name: String,
    passphrase: Passphrase,
) -> Reply {
    match Hearth::create(&dir, &passphrase, &name, options).await {
        Ok(hearth) => opened(hearth, true).await,
        Err(e) => Reply::CreateFailed(sentence(&e)),
    }
}

/// Opens the journal; the first screen kept from the last time goes to the window on the way.
pub(crate) async fn open(
    dir: std::path::PathBuf,
    options: hearth::Options,
    passphrase: Passphrase,
    sender: Sender,
) -> Reply {
    let show = move |screen| sender.send(Reply::FirstScreen(Box::new(screen)));
    match Hearth::open_showing(&dir, &passphrase, options, show).await {
        Ok(hearth) => opened(hearth, false).await,
        Err(OpenError::WrongPassphrase(_)) => Reply::OpenFailed(OpenFailure::WrongPassphrase),
        Err(OpenError::NotFound { .. }) => Reply::OpenFailed(OpenFailure::NotFound),
        Err(e) => Reply::OpenFailed(OpenFailure::Other(sentence(&e))),
    }
}

pub(crate) async fn today(hearth: Hearth) -> Reply {
    Reply::Today(hearth.today().await.ok().map(Box::new))
}

pub(crate) async fn timeline(
    hearth: Hearth,
    filter: Filter,
    before: Option<hearth::EntryId>,
    limit: usize,
    generation: u64,
) -> Reply {
    let read = async {
        Ok(Reply::Timeline {
            page: hearth.timeline(&filter, before.as_ref(), limit).await?,
            append: before.is_some(),
            generation,
        })
    };
    read.await.unwrap_or_else(closed)
}

pub(crate) async fn sync_now(hearth: Hearth) -> Reply {
    // The mailboxes too: what the others left arrives, what this device holds waits for them.
    let through_mailbox = hearth
        .exchange_with_mailboxes()
        .await
        .is_ok_and(|all| all.iter().any(|m| m.error.is_none()));
    match hearth.sync_now(SYNC_TIMEOUT).await {
        Ok(report) if report.unreachable.is_empty() => {
            Reply::Done(Ok(Some("All caught up.".into())))
        }
        Ok(report) => {
            let names = match hearth.status().await {
                Ok(status) => report
                    .unreachable
                    .iter()
                    .map(|d| status.device_label(*d))
                    .collect::<Vec<_>>()
                    .join(", "),
                Err(_) => "some devices".to_owned(),
            };
            Reply::Done(Ok(Some(format!(
                "Caught up. Not reachable right now: {names}; they catch up from any device they meet."
            ))))
        }
        Err(hearth::SyncError::NotPaired) => Reply::Done(Ok(Some(
            "There is no partner device to sync with yet.".into(),
        ))),
        Err(_) if through_mailbox => Reply::Done(Ok(Some(
            "Your partner's device isn't online, so your entries wait for it in the mailbox."
                .into(),
        ))),
        Err(_) => Reply::Done(Ok(Some(
            "Your partner's device isn't reachable right now — everything will sync when you're both online."
                .into(),
        ))),
    }
}

/// Opens an invitation, shows it, then relays the pairing that comes of it.
pub(crate) async fn invite(
    hearth: Hearth,
    device_for: Option<hearth::NewDevice>,
    answers: tokio::sync::mpsc::Receiver<bool>,
    sender: Sender,
) {
    match hearth.invite(device_for).await {
        Ok((ticket, handle)) => {
            sender.send(Reply::Pairing(PairStep::Invitation {
                ticket: ticket.to_text(),
                expires_at_ms: hearth::UnixMs::from_unsigned_millis(ticket.expires_at_ms()),
            }));
            // The pairing runs on without the journal handle: closing must not wait for it.
            drop(hearth);
            pairing(handle, answers, sender).await;
        }
        Err(e) => sender.send(Reply::Pairing(PairStep::Failed(PairFailure::Other(
            sentence(&e),
        )))),
    }
}

/// Joins the partner's invitation, then relays the pairing that comes of it.
pub(crate) async fn join(
    hearth: Hearth,
    ticket: String,
    answers: tokio::sync::mpsc::Receiver<bool>,
    sender: Sender,
) {
    let joined = hearth.join(&ticket).await;
    // The pairing runs on without the journal handle: closing must not wait for it.
    drop(hearth);
    match joined {
        Ok(handle) => pairing(handle, answers, sender).await,
        Err(e) => sender.send(Reply::Pairing(PairStep::JoinRefused(sentence(&e)))),
    }
}

/// Relays a pairing's steps to the window and the person's answer to the pairing, until it ends.
/// The answer is about the string on the screen: one given before any string showed waits for
/// it.
pub(crate) async fn pairing(
    mut handle: PairingHandle,
    mut answers: tokio::sync::mpsc::Receiver<bool>,
    sender: Sender,
) {
    let mut shown = None;
    loop {
        tokio::select! {
            event = handle.next() => match event {
                Some(event) => {
                    if let PairingEvent::Compare(sas) = &event {
                        shown = Some(*sas);
                    }
                    let step = step_of(event);
                    let last = matches!(step, PairStep::Paired | PairStep::Failed(_));
                    sender.send(Reply::Pairing(step));
                    if last {
                        return;
                    }
                }
                None => return,
            },
            Some(answer) = answers.recv(), if shown.is_some() => {
                if let Some(sas) = &shown {
                    handle.confirm(sas, answer);
                }
            }
        }
    }
}

fn step_of(event: PairingEvent) -> PairStep {
    match event {
        PairingEvent::Connected { .. } => PairStep::Connected,
        PairingEvent::Compare(sas) => PairStep::Compare {
            emoji: sas.emoji().iter().map(|e| (e.symbol, e.name)).collect(),
            digits: sas.digits(),
        },
        PairingEvent::Paired { .. } => PairStep::Paired,
        PairingEvent::Failed(failure) => PairStep::Failed(match failure {
            PairingFailure::Expired => PairFailure::Expired,
            PairingFailure::Mismatch => PairFailure::Mismatch,
            PairingFailure::DeclinedByPartner => PairFailure::Declined,
            other => PairFailure::Other(sentence(&other)),
        }),
        _ => PairStep::Connected,
    }
}
