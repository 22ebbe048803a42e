//! One device's controller: where it stands (set-up, unlock, or an open journal), the state its
//! screens show, and the work running for them. Each frame it takes in what came back from the
//! background, has the page drawn (`layout`), then applies the commands the page returned. The
//! demo shows two of these side by side, so nothing here assumes it owns the window.

mod apply;
mod receive;
mod tasks;

use hearth::Passphrase;
use tokio::sync::mpsc;

use super::command::Command;
use super::layout::{self, Note, Page, View};
use super::link::{Link, TaskGuard};
use super::prefs::{Prefs, Tab};
use super::reply::People;
use super::screens::{setup, unlock};

/// Where this device stands.
pub(crate) enum Phase {
    /// First run: no journal here yet.
    Setup(setup::State),
    /// A journal is here, locked.
    Locked(unlock::State),
    /// The journal is open.
    Open(Box<Session>),
}

/// An open journal: what its screens show, and the work running for them.
pub(crate) struct Session {
    /// What the screens show and edit.
    pub(crate) view: View,
    /// The pairing running in the background, if any.
    pairing: Option<Pairing>,
    /// Reads of the journal in flight.
    reads: usize,
    /// The journal changed while reads were in flight: read everything again once they are back.
    stale: bool,
    /// What was asked while the journal opened behind its first screen, to do once it is open.
    waiting: Vec<Command>,
}

/// A pairing running in the background, started from the pairing screen.
struct Pairing {
    /// The task relaying it; dropping this cancels the pairing.
    _task: TaskGuard,
    /// Where the person's answer to "do both screens show the same?" goes, until the pairing
    /// ends.
    answers: Option<mpsc::Sender<bool>>,
}

impl Session {
    fn new(people: People, tab: Tab) -> Self {
        Session {
            view: View::new(people, tab),
            pairing: None,
            reads: 0,
            stale: false,
            waiting: Vec::new(),
        }
    }

    /// Shows a note for a moment: a few seconds, longer for an error.
    pub(crate) fn tell(&mut self, text: impl Into<String>, error: bool) {
        self.view.note = Some(Note {
            text: text.into(),
            error,
            until_ms: hearth::UnixMs::now().plus(std::time::Duration::from_secs(if error {
                8
            } else {
                3
            })),
        });
    }
}

/// One device's app.
pub(crate) struct Device {
    pub(crate) link: Link,
    pub(crate) phase: Phase,
    /// The device's title in the demo ("Ada's laptop"); `None` in the normal window.
    pub(crate) title: Option<String>,
    /// The local time zone.
    pub(crate) zone: hearth::Zone,
    /// Desktop notifications of the rituals: when they were last looked at, and the answers
    /// given on them.
    notices: Notices,
}

/// Desktop notifications of the rituals, sent while the window runs.
struct Notices {
    /// When the rituals were last looked at for one due.
    checked: Option<std::time::Instant>,
    /// Where what became of each notification comes back.
    heard: std::sync::mpsc::Receiver<(hearth::Ritual, crate::remind::Heard)>,
    /// Given to each notification sent.
    tx: crate::remind::Heards,
}

/// How often the window looks whether a ritual's notification is due.
const NOTICES_EVERY: std::time::Duration = std::time::Duration::from_secs(20);

impl Notices {
    fn new() -> Self {
        let (tx, heard) = std::sync::mpsc::channel();
        Notices {
            checked: None,
            heard,
            tx,
        }
    }
}

impl Device {
    /// A device on `link`'s journal: set-up if there is none yet, else unlock, opening at once
    /// when `unlock` gives the passphrase.
    pub(crate) fn new(link: Link, title: Option<String>, unlock: Option<Passphrase>) -> Self {
        let zone = link.options.time_zone.clone();
        let exists = hearth::Hearth::exists(&link.dir);
        let phase = if exists {
            Phase::Locked(unlock::State::default())
        } else {
            Phase::Setup(setup::State::default())
        };
        let mut device = Device {
            link,
            phase,
            title,
            zone,
            notices: Notices::new(),
        };
        if let (true, Some(passphrase)) = (exists, unlock) {
            if let Phase::Locked(state) = &mut device.phase {
                state.working = true;
            }
            device.apply(Command::Unlock { passphrase }, &mut Prefs::default());
        }
        device
    }

    /// Whether background work is still running, or its results wait to be taken in.
    pub(crate) fn busy(&self) -> bool {
        self.link.busy()
    }

    /// Whether the journal is open (not only its first screen shown).
    pub(crate) fn is_open(&self) -> bool {
        matches!(&self.phase, Phase::Open(session) if !session.view.opening)
    }

    /// Whether Today is on the screen with its day read: from the journal, or from the first
    /// screen kept from the last time while the journal opens.
    pub(crate) fn shows_today(&self) -> bool {
        matches!(&self.phase, Phase::Open(session)
            if session.view.pairing.is_none()
                && session.view.tab == Tab::Today
                && session.view.today.day.is_some())
    }

    /// Takes in what arrived from the background, then draws, then applies what the screens
    /// asked for.
    pub(crate) fn ui(&mut self, ui: &mut egui::Ui, prefs: &mut Prefs) {
        self.link.attach(ui.ctx());
        for reply in self.link.drain() {
            self.receive(reply, prefs);
        }
        let page = match &mut self.phase {
            Phase::Setup(state) => Page::Setup(state),
            Phase::Locked(state) => Page::Locked(state),
            Phase::Open(session) => Page::Open(&mut session.view),
        };
        let commands = layout::ui(page, self.title.as_deref(), prefs, &self.zone, ui);
        for command in commands {
            self.apply(command, prefs);
        }
        self.notify(prefs, ui.ctx());
    }

    /// Takes the answers given on notifications, and sends the notification of each ritual due
    /// now (once a ritual a day, not in quiet hours; see `remind`).
    fn notify(&mut self, prefs: &mut Prefs, ctx: &egui::Context) {
        let now = hearth::UnixMs::now();
        while let Ok((ritual, heard)) = self.notices.heard.try_recv() {
            match heard {
                crate::remind::Heard::Answer(answer) => {
                    if let Some(r) = prefs.reminders.of_mut(ritual) {
                        let mut rest = r.rest();
                        rest.answer(answer, now, &self.zone);
                        r.set_rest(rest);
                    }
                }
                // The reminder inside the window still shows.
                crate::remind::Heard::NotShown(why) => eprintln!("hearth: {why}"),
            }
        }
        if !prefs.reminders.notify {
            return;
        }
        if self
            .notices
            .checked
            .is_some_and(|at| at.elapsed() < NOTICES_EVERY)
        {
            return;
        }
        let Phase::Open(session) = &self.phase else {
            return;
        };
        let Some(day) = &session.view.today.day else {
            return;
        };
        self.notices.checked = Some(std::time::Instant::now());
        // Look again in a while, even if nothing else wakes the window.
        ctx.request_repaint_after(NOTICES_EVERY);
        let quiet = prefs.reminders.quiet.kept();
        let today = self.zone.date_at(now).days_since_epoch();
        for setting in &day.schedule.settings {
            let Some(r) = prefs.reminders.of_mut(setting.ritual) else {
                continue;
            };
            if crate::remind::should_notify(setting, &r.rest(), quiet, now, &self.zone) {
                // Sent or not (a desktop without notifications), once today: the reminder inside
                // the window still shows.
                r.notified_day = today;
                crate::remind::send(setting.ritual, self.notices.tx.clone());
            }
        }
    }

    /// Closes the journal (on exit).
    pub(crate) fn close(&mut self) {
        self.link.close();
    }
}
