//! The bridge between the window and the facade: commands run as tasks on the app's tokio
//! runtime, their results come back over a channel, and each arrival asks egui for a repaint. The
//! window never waits on the disk or the network.

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};

use hearth::{Hearth, Options};
use tokio::runtime::Handle;
use tokio_util::task::AbortOnDropHandle;

use super::reply::Reply;

/// A background task that ends when this is dropped.
pub(crate) type TaskGuard = AbortOnDropHandle<()>;

/// A reply, and whether it ends a command counted in [`Link::busy`].
type Message = (Reply, bool);

/// Counts a command as finished if its task ends without a reply (a panic, or the runtime
/// shutting down), so that the window is never busy forever.
struct Unfinished(Option<Arc<AtomicUsize>>);

impl Unfinished {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if let Some(pending) = self.0.take() {
            pending.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// What a background task needs to report back.
#[derive(Clone)]
pub(crate) struct Sender {
    tx: mpsc::Sender<Message>,
    ctx: Arc<OnceLock<egui::Context>>,
}

impl Sender {
    /// Sends a reply and wakes the window.
    pub(crate) fn send(&self, reply: Reply) {
        self.send_message((reply, false));
    }

    fn send_message(&self, message: Message) {
        // The window has gone away: nobody needs the reply.
        let _ = self.tx.send(message);
        if let Some(ctx) = self.ctx.get() {
            ctx.request_repaint();
        }
    }
}

/// One device's connection to its facade.
pub(crate) struct Link {
    rt: Handle,
    sender: Sender,
    rx: mpsc::Receiver<Message>,
    /// Commands started whose replies the window has not taken in yet.
    pending: Arc<AtomicUsize>,
    hearth: Option<Hearth>,
    events: Option<TaskGuard>,
    pub(crate) dir: PathBuf,
    pub(crate) options: Options,
}

impl Link {
    pub(crate) fn new(rt: Handle, dir: PathBuf, options: Options) -> Self {
        let (tx, rx) = mpsc::channel();
        Link {
            rt,
            sender: Sender {
                tx,
                ctx: Arc::new(OnceLock::new()),
            },
            rx,
            pending: Arc::new(AtomicUsize::new(0)),
            hearth: None,
            events: None,
            dir,
            options,
        }
    }

    /// Remembers the context to wake (the first frame gives it).
    pub(crate) fn attach(&self, ctx: &egui::Context) {
        let _ = self.sender.ctx.set(ctx.clone());
    }

    /// The replies that have arrived since the last frame.
    pub(crate) fn drain(&self) -> Vec<Reply> {
        self.rx
            .try_iter()
            .map(|(reply, counted)| {
                if counted {
                    self.pending.fetch_sub(1, Ordering::SeqCst);
                }
                reply
            })
            .collect()
    }

    /// Whether a command is still running, or its reply is still waiting for the window.
    pub(crate) fn busy(&self) -> bool {
        self.pending.load(Ordering::SeqCst) > 0
    }

    /// The open journal, if any.
    pub(crate) fn hearth(&self) -> Option<Hearth> {
        self.hearth.clone()
    }

    /// Runs `work` in the background; its reply comes back through the channel.
    pub(crate) fn run<F>(&self, work: F)
    where
        F: Future<Output = Reply> + Send + 'static,
    {
        let sender = self.sender.clone();
        self.pending.fetch_add(1, Ordering::SeqCst);
        let unfinished = Unfinished(Some(self.pending.clone()));
        self.rt.spawn(async move {
            let reply = work.await;
            // From here the window's `drain` counts the command as finished.
            unfinished.disarm();
            sender.send_message((reply, true));
        });
    }

    /// Runs `work` with the open journal; does nothing while none is open. Returns whether it
    /// started.
    pub(crate) fn with<F, Fut>(&self, work: F) -> bool
    where
        F: FnOnce(Hearth) -> Fut,
        Fut: Future<Output = Reply> + Send + 'static,
    {
        match self.hearth() {
            Some(hearth) => {
                self.run(work(hearth));
                true
            }
            None => false,
        }
    }

    /// What a background task needs to send more than its one reply.
    pub(crate) fn sender(&self) -> Sender {
        self.sender.clone()
    }

    /// A long-lived task (pairing) owned by the returned guard.
    pub(crate) fn spawn_owned<F>(&self, work: impl FnOnce(Sender) -> F) -> TaskGuard
    where
        F: Future<Output = ()> + Send + 'static,
    {
        AbortOnDropHandle::new(self.rt.spawn(work(self.sender.clone())))
    }

    /// Takes the journal opened in the background, and starts forwarding its events.
    pub(crate) fn adopt(&mut self, hearth: Hearth) {
        let mut events = hearth.events();
        let sender = self.sender.clone();
        self.events = Some(AbortOnDropHandle::new(self.rt.spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                match events.recv().await {
                    Ok(event) => sender.send(Reply::Event(event)),
                    // Missed some: read everything again.
                    Err(RecvError::Lagged(_)) => {
                        sender.send(Reply::Event(hearth::Event::JournalChanged {
                            by_partner: true,
                        }))
                    }
                    Err(RecvError::Closed) => return,
                }
            }
        })));
        self.hearth = Some(hearth);
    }

    /// Closes the journal: stops the events, then shuts the network and the store down in order.
    /// Commands still running get "the journal is closed"; nothing they acknowledged is lost.
    pub(crate) fn close(&mut self) {
        self.events.take();
        if let Some(hearth) = self.hearth.take() {
            self.rt.block_on(hearth.shutdown());
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.close();
    }
}
