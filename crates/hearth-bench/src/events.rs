//! Waiting for the facade's events with a deadline.

use std::time::Duration;

use anyhow::bail;
use hearth::Event;
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

/// Forgets the events already waiting.
pub fn drain(events: &mut Receiver<Event>) {
    loop {
        match events.try_recv() {
            Ok(_) | Err(TryRecvError::Lagged(_)) => {}
            Err(TryRecvError::Empty | TryRecvError::Closed) => return,
        }
    }
}

/// Waits for an event that `wanted` accepts.
pub async fn wait_for(
    events: &mut Receiver<Event>,
    timeout: Duration,
    wanted: impl Fn(&Event) -> bool,
) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Err(_) => bail!("the event did not come within {timeout:?}"),
            Ok(Ok(event)) if wanted(&event) => return Ok(()),
            Ok(Ok(_) | Err(RecvError::Lagged(_))) => {}
            Ok(Err(RecvError::Closed)) => bail!("the device stopped"),
        }
    }
}

/// The partner's changes arrived and were stored.
pub fn partner_change(event: &Event) -> bool {
    matches!(event, Event::JournalChanged { by_partner: true })
}

pub fn synced(event: &Event) -> bool {
    matches!(event, Event::Synced { .. })
}
