//! One device's whole app: set-up or unlock, then the journal's screens. The demo shows two of
//! these side by side, so nothing here assumes it owns the window.

pub(crate) mod apply;
mod receive;
pub(crate) mod tasks;

use hearth::{Member, Passphrase, Status, Today};

use super::command::Command;
use super::link::Link;
use super::prefs::{Prefs, Tab};
use super::reply::People;
use super::screens::{compose, insights, pairing, settings, setup, timeline, unlock};

/// Where this device stands.
pub(crate) enum Phase {
    /// First run: no journal here yet.
    Setup(setup::State),
    /// A journal is here, locked.
    Locked(unlock::State),
    /// The journal is open.
    Open(Box<Session>),
}

/// A note shown for a moment at the top of the page.
pub(crate) struct Note {
    pub(crate) text: String,
    pub(crate) error: bool,
    pub(crate) until_ms: i64,
}

/// The state of an open journal's screens.
pub(crate) struct Session {
    pub(crate) people: People,
    pub(crate) tab: Tab,
    pub(crate) today: Option<Today>,
    /// Whether today's view has been read at least once.
    pub(crate) today_read: bool,
    pub(crate) answer: String,
    /// The answer is on its way to the journal.
    pub(crate) answering: bool,
    /// Edits and comments being typed into entries.
    pub(crate) drafts: super::widgets::entry::Drafts,
    pub(crate) timeline: timeline::State,
    pub(crate) compose: compose::State,
    pub(crate) insights: insights::State,
    pub(crate) settings: settings::State,
    pub(crate) pairing: Option<pairing::State>,
    pub(crate) status: Option<Status>,
    pub(crate) note: Option<Note>,
    /// Reads of the journal in flight.
    pub(crate) reads: usize,
    /// The journal changed while reads were in flight: read everything again once they are back.
    pub(crate) stale: bool,
}

impl Session {
    fn new(people: People, tab: Tab) -> Self {
        let name = people.me.name.clone();
        Session {
            people,
            tab,
            today: None,
            today_read: false,
            answer: String::new(),
            answering: false,
            drafts: Default::default(),
            timeline: timeline::State::default(),
            compose: compose::State::default(),
            insights: insights::State::default(),
            settings: settings::State::new(name),
            pairing: None,
            status: None,
            note: None,
            reads: 0,
            stale: false,
        }
    }

    pub(crate) fn me(&self) -> &Member {
        &self.people.me
    }

    /// The partner's name, or a warm stand-in before there is one.
    pub(crate) fn partner_name(&self) -> &str {
        self.people
            .partner
            .as_ref()
            .map_or("your partner", |p| p.name.as_str())
    }

    /// The name of a member by id.
    pub(crate) fn name_of(&self, id: &hearth::MemberId) -> &str {
        if *id == self.people.me.id {
            "You"
        } else if let Some(p) = self.people.partner.as_ref().filter(|p| p.id == *id) {
            &p.name
        } else {
            "Someone"
        }
    }

    pub(crate) fn tell(&mut self, text: impl Into<String>, error: bool) {
        self.note = Some(Note {
            text: text.into(),
            error,
            until_ms: crate::clock::now_ms() + if error { 8_000 } else { 3_000 },
        });
    }
}

/// One device's app.
pub(crate) struct Device {
    pub(crate) link: Link,
    pub(crate) phase: Phase,
    /// The device's title in the demo ("Ada's laptop"); `None` in the normal window.
    pub(crate) title: Option<String>,
    /// The local time zone, minutes east of UTC.
    pub(crate) offset_minutes: i32,
}

impl Device {
    /// A device on `link`'s journal: set-up if there is none yet, else unlock, opening at once
    /// when `unlock` gives the passphrase.
    pub(crate) fn new(link: Link, title: Option<String>, unlock: Option<Passphrase>) -> Self {
        let offset_minutes = link.options.utc_offset_minutes;
        let exists = hearth::store::Store::exists(&link.dir);
        let phase = if exists {
            Phase::Locked(unlock::State::default())
        } else {
            Phase::Setup(setup::State::default())
        };
        let mut device = Device {
            link,
            phase,
            title,
            offset_minutes,
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

    /// Whether the journal is open.
    pub(crate) fn is_open(&self) -> bool {
        matches!(self.phase, Phase::Open(_))
    }

    /// Takes in what arrived from the background, then draws, then applies what the screens
    /// asked for.
    pub(crate) fn ui(&mut self, ui: &mut egui::Ui, prefs: &mut Prefs) {
        self.link.attach(ui.ctx());
        for reply in self.link.drain() {
            self.receive(reply, prefs);
        }
        let mut commands = Vec::new();
        super::frame::device(ui, self, prefs, &mut commands);
        for command in commands {
            self.apply(command, prefs);
        }
    }

    /// Closes the journal (on exit).
    pub(crate) fn close(&mut self) {
        self.link.close();
    }
}
