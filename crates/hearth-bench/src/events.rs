//! Waiting for the facade's events with a deadline.

use std::time::{Duration, Instant};

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

/// Longer than any sync step takes when nothing is wrong.
const ARRIVAL_TIMEOUT: Duration = Duration::from_secs(30);
/// How long to let Ben's answer come back to Ada before the next change.
const SETTLE: Duration = Duration::from_secs(2);

/// Watches a running pair for one change of Ada's reaching Ben.
pub struct Arrivals {
    ben: Receiver<Event>,
    ada: Receiver<Event>,
}

impl Arrivals {
    pub fn new(live: &crate::fixture::Live) -> Self {
        Arrivals {
            ben: live.ben.events(),
            ada: live.ada.events(),
        }
    }

    /// Forgets what happened so far: call just before Ada's change.
    pub fn ready(&mut self) {
        drain(&mut self.ben);
        drain(&mut self.ada);
    }

    /// Waits for Ben's device to report the change; returns the time since `start`. Then lets
    /// Ben's answer reach Ada, so the next change starts from a settled session.
    pub async fn arrived(&mut self, start: Instant) -> anyhow::Result<Duration> {
        let (took, _) = self.arrived_and_shown(start, || async { Ok(true) }).await?;
        Ok(took)
    }

    /// As [`Arrivals::arrived`], and also the time until `shown`, a read on Ben's device made
    /// as soon as the change is reported, returns. It must find the change.
    pub async fn arrived_and_shown<F, Fut>(
        &mut self,
        start: Instant,
        shown: F,
    ) -> anyhow::Result<(Duration, Duration)>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = anyhow::Result<bool>>,
    {
        wait_for(&mut self.ben, ARRIVAL_TIMEOUT, partner_change).await?;
        let took = start.elapsed();
        if !shown().await? {
            bail!("a read on Ben's device right after the change was reported did not show it");
        }
        let read = start.elapsed();
        let _ = wait_for(&mut self.ada, SETTLE, synced).await;
        Ok((took, read))
    }
}
