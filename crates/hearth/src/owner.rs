//! The owner: one thread that holds a device's [`Device`] state and serves every request to it,
//! one at a time, from an inbox.
//!
//! Every public method of [`Hearth`](crate::Hearth) that reads or changes the journal is a request:
//! its body hands a closure to [`Inbox::call`], and the owner runs that closure on the state. The
//! network's requests (sync steps, pairing) come the same way, through [`crate::net_requests`].
//! Nothing else touches the store or the journals, so nothing is locked and no lock order exists.
//!
//! The owner is a blocking thread rather than an async task: every request works on the disk
//! (redb commits) or on Automerge, and would hold up an async runtime's thread. Between requests it
//! starts the compactions that are due, whose full saves run on a thread of their own from a copy
//! of the document, and stores the snapshots that are back (see [`crate::compaction`]). It stops
//! on [`Inbox::close`] (after finishing the compactions under way or waiting) or when every
//! [`Inbox`] is gone; the store closes as it stops.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Instant;

use tokio::sync::oneshot;
use tokio_util::task::TaskTracker;

use crate::Closed;
use crate::device::Device;

/// A request to the owner: a closure to run on the state.
type Job = Box<dyn FnOnce(&mut Device) + Send>;

enum Request {
    Run(Job),
    /// Finish waiting work, close the store, and stop.
    Close,
}

/// Where requests for the owner go. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Inbox(mpsc::Sender<Request>);

impl Inbox {
    /// Starts the owner of `device` on a blocking thread tracked by `tasks`.
    pub(crate) fn spawn(device: Device, tasks: &TaskTracker) -> Inbox {
        let (tx, rx) = mpsc::channel();
        tasks.spawn_blocking(move || serve(device, rx));
        Inbox(tx)
    }

    /// Runs `job` on the state and returns what it returns. `Err(Closed)` once the owner has
    /// stopped.
    pub(crate) async fn call<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Device) -> T + Send + 'static,
    ) -> Result<T, Closed> {
        self.send(job)?.await.map_err(|_| Closed)
    }

    fn send<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Device) -> T + Send + 'static,
    ) -> Result<oneshot::Receiver<T>, Closed> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |device| {
            // The caller may have stopped waiting: the work is done either way.
            let _ = reply.send(job(device));
        });
        self.0.send(Request::Run(job)).map_err(|_| Closed)?;
        Ok(answer)
    }

    /// Asks the owner to finish waiting work and stop; requests sent after this fail with
    /// [`Closed`]. The owner's thread ends soon after (wait for it on the task tracker).
    pub(crate) fn close(&self) {
        // Already stopped is fine.
        let _ = self.0.send(Request::Close);
    }
}

/// The owner's loop.
fn serve(mut device: Device, inbox: mpsc::Receiver<Request>) {
    loop {
        // A compaction that is due starts (and a snapshot that is back is stored) before the next
        // request, however busy the inbox.
        device.compact_due(Instant::now());
        let request = match device.next_compaction() {
            None => inbox.recv().ok(),
            Some(due) => match inbox.recv_timeout(due.saturating_duration_since(Instant::now())) {
                Ok(request) => Some(request),
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => None,
            },
        };
        match request {
            Some(Request::Run(job)) => {
                // A panic in one request must not take the journal away from every later one:
                // each request either finishes its change or leaves the state as the store
                // holds it (changes are reloaded on failure), so going on is safe.
                if std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut device))).is_err() {
                    tracing::error!("a request to the journal panicked; its caller gets no answer");
                }
            }
            Some(Request::Close) | None => break,
        }
    }
    device.finish_compactions();
    // Dropping the device closes the store and releases the data directory.
    drop(device);
}
