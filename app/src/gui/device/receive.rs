//! Taking in what came back from the background.

use hearth::Event;

use super::{Device, Phase, Session, tasks};
use crate::gui::command::Command;
use crate::gui::prefs::{Prefs, Tab};
use crate::gui::reply::{OpenFailure, PairStep, Reply, Sent};
use crate::gui::screens::{setup, unlock};

impl Device {
    pub(crate) fn receive(&mut self, reply: Reply, prefs: &mut Prefs) {
        match reply {
            Reply::Opened {
                hearth,
                people,
                created,
            } => {
                self.link.adopt(hearth);
                self.open_session(people, created, prefs.tab);
                self.move_rituals(prefs);
            }
            Reply::FirstScreen(screen) => self.show_first_screen(*screen, prefs.tab),
            Reply::OpenFailed(failure) => match (&mut self.phase, failure) {
                (_, OpenFailure::NotFound) => self.phase = Phase::Setup(setup::State::default()),
                (Phase::Locked(state), failure) => state.failed(failure),
                _ => {}
            },
            Reply::CreateFailed(text) => {
                if let Phase::Setup(state) = &mut self.phase {
                    state.failed(text);
                }
            }
            Reply::Event(event) => self.on_event(event),
            Reply::Sent(sent) => self.on_sent(sent, prefs),
            other => self.receive_open(other),
        }
    }

    fn receive_open(&mut self, reply: Reply) {
        let Phase::Open(session) = &mut self.phase else {
            return;
        };
        let view = &mut session.view;
        match reply {
            Reply::People(people) => {
                if view.settings.name.trim() == view.people.me.name {
                    view.settings.name.clone_from(&people.me.name);
                }
                view.people = people;
                self.read_done();
            }
            Reply::Today(today) => {
                view.today.day = today.map(|t| *t);
                view.today.read = true;
                self.read_done();
            }
            Reply::Timeline {
                page,
                append,
                generation,
            } => {
                view.timeline
                    .take(page, append, generation, &view.people.me.id);
                self.read_done();
            }
            Reply::Insights(insights) => {
                view.insights.data = Some(insights);
                self.read_done();
            }
            Reply::History { id, versions } => view.cards.drafts.history_arrived(&id, versions),
            Reply::Status(status) => {
                view.status = Some(*status);
                self.read_done();
            }
            Reply::ReadFailed(text) => {
                session.tell(text, true);
                self.read_done();
            }
            Reply::Pairing(step) => {
                let paired = step == PairStep::Paired;
                session.pairing_step(step);
                if paired {
                    self.refresh_all();
                }
            }
            Reply::Done(Ok(Some(note))) => {
                session.view.today.sent(true);
                session.tell(note, false);
                self.refresh_all();
            }
            Reply::Done(Ok(None)) => {
                session.view.today.sent(true);
                self.refresh_all();
            }
            Reply::Done(Err(text)) => {
                session.view.today.sent(false);
                session.tell(text, true);
            }
            _ => {}
        }
    }

    fn on_sent(&mut self, sent: Sent, prefs: &mut Prefs) {
        let Phase::Open(session) = &mut self.phase else {
            return;
        };
        let view = &mut session.view;
        match sent {
            Sent::Entry(Ok(note)) => {
                let ritual = view.compose.ritual;
                view.compose.sent();
                session.tell(note, false);
                if let Some(ritual) = ritual {
                    // The ritual is done for today: its reminder rests until tomorrow.
                    self.apply(Command::Dismiss(ritual), prefs);
                }
                self.apply(Command::Go(Tab::Timeline), prefs);
            }
            Sent::Entry(Err(text)) => {
                view.compose.sending = false;
                session.tell(text, true);
            }
            Sent::Comment(id, Ok(())) => {
                view.cards.drafts.comment_sent(&id);
                self.refresh_all();
            }
            Sent::Answer(Ok(())) => {
                view.today.answering = false;
                view.today.answer.clear();
                session.tell("Answered.", false);
                self.refresh_all();
            }
            Sent::Answer(Err(text)) => {
                view.today.answering = false;
                session.tell(text, true);
            }
            Sent::Comment(_, Err(text)) => session.tell(text, true),
        }
    }

    fn on_event(&mut self, event: Event) {
        let Phase::Open(session) = &mut self.phase else {
            return;
        };
        match event {
            Event::JournalChanged { by_partner } => {
                if by_partner && session.view.tab != Tab::Timeline {
                    session.view.timeline.partner_news = true;
                }
                self.refresh_all();
            }
            Event::EntryAdded { .. } | Event::EntryChanged { .. } | Event::Paired { .. } => {
                self.refresh_all();
            }
            Event::Presence { .. }
            | Event::Synced { .. }
            | Event::Removed { .. }
            | Event::Mailbox { .. }
            | Event::Warning(hearth::Warning::VersionMismatch { .. }) => {
                self.read(tasks::status);
            }
            _ => {}
        }
    }
}

impl Session {
    /// A step of the pairing in progress: the screen shows it; once the pairing is over, the
    /// person's answer has nowhere to go, and a refused join leaves nothing running.
    fn pairing_step(&mut self, step: PairStep) {
        let Some(state) = self.view.pairing.as_mut() else {
            return;
        };
        match &step {
            PairStep::JoinRefused(_) => self.pairing = None,
            PairStep::Paired | PairStep::Failed(_) => {
                if let Some(pairing) = self.pairing.as_mut() {
                    pairing.answers = None;
                }
            }
            _ => {}
        }
        state.step(step);
    }
}

impl unlock::State {
    fn failed(&mut self, failure: OpenFailure) {
        self.working = false;
        self.focus = true;
        self.error = Some(match failure {
            OpenFailure::WrongPassphrase => {
                "That passphrase doesn't open this journal. Nothing was changed — try again.".into()
            }
            OpenFailure::NotFound => "There is no journal here yet.".into(),
            OpenFailure::Other(text) => text,
        });
    }
}

impl setup::State {
    fn failed(&mut self, text: String) {
        self.working = false;
        self.error = Some(text);
    }
}
