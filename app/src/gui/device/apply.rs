//! Applying the screens' commands: local changes at once, facade calls in the background.

use hearth::{Format, Hearth};

use super::tasks;
use super::{Device, Pairing, Phase};
use crate::gui::command::Command;
use crate::gui::prefs::{Prefs, Tab, TimeOfDay};
use crate::gui::reply::{Reply, Sent};
use crate::gui::screens::{pairing, timeline};
use crate::gui::wording::{self, sentence};

/// How long a snooze lasts.
const SNOOZE: std::time::Duration = std::time::Duration::from_secs(60 * 60);

fn done(result: Result<(), impl std::error::Error>, note: &str) -> Reply {
    Reply::Done(
        result
            .map(|()| Some(note.to_owned()))
            .map_err(|e| sentence(&e)),
    )
}

impl Device {
    pub(crate) fn apply(&mut self, command: Command, prefs: &mut Prefs) {
        match command {
            Command::Create { name, passphrase } => {
                let (dir, options) = (self.link.dir.clone(), self.link.options.clone());
                self.link.run(tasks::create(dir, options, name, passphrase));
            }
            Command::Unlock { passphrase } => {
                let (dir, options) = (self.link.dir.clone(), self.link.options.clone());
                let sender = self.link.sender();
                self.link.run(tasks::open(dir, options, passphrase, sender));
            }
            Command::SetTheme(theme) => prefs.theme = theme,
            Command::Snooze(ritual) => {
                if let Some(r) = prefs.reminders.of_mut(ritual) {
                    r.snoozed_until_ms = hearth::UnixMs::now().plus(SNOOZE);
                }
            }
            Command::Dismiss(ritual) => {
                let today = self.zone.date_at(hearth::UnixMs::now()).days_since_epoch();
                if let Some(r) = prefs.reminders.of_mut(ritual) {
                    r.done_day = today;
                }
            }
            Command::SetReminder { ritual, on } => {
                if let Some(r) = prefs.reminders.of_mut(ritual) {
                    r.on = on;
                }
            }
            Command::SetNotify(on) => prefs.reminders.notify = on,
            Command::SetQuietHours { on, from, until } => {
                let time = |m: u32| TimeOfDay {
                    hour: (m / 60).min(23) as u8,
                    minute: (m % 60) as u8,
                };
                prefs.reminders.quiet.on = on;
                prefs.reminders.quiet.from = time(from);
                prefs.reminders.quiet.until = time(until);
            }
            Command::Go(tab) => {
                prefs.tab = tab;
                self.apply_open(Command::Go(tab));
            }
            other => self.apply_open(other),
        }
    }

    /// Commands that need the open journal.
    fn apply_open(&mut self, command: Command) {
        let Phase::Open(session) = &mut self.phase else {
            return;
        };
        // Shown from the first screen while the journal loads: what needs the journal waits
        // for it; moving about the screens does not.
        if session.view.opening && !matches!(command, Command::Go(_) | Command::ComposeFor { .. }) {
            session.waiting.push(command);
            return;
        }
        let link = &self.link;
        let view = &mut session.view;
        // Reading again after the match: `true` reads everything, `false` the current screen.
        let mut refresh: Option<bool> = None;
        match command {
            Command::Go(tab) => {
                view.tab = tab;
                refresh = Some(false);
            }
            Command::ComposeFor {
                kind,
                prompt,
                ritual,
            } => {
                view.compose.start(kind, prompt, ritual);
                view.tab = Tab::Compose;
            }
            Command::OpenPairing => {
                view.pairing = Some(pairing::State::default());
                session.pairing = None;
            }
            Command::AddDevice(_) | Command::Invite => {
                if let Command::AddDevice(device_for) = command {
                    view.pairing = Some(pairing::State::adding(device_for));
                }
                let Some(state) = view.pairing.as_mut() else {
                    return;
                };
                state.begin_invite();
                let device_for = state.device_for;
                // A pairing started before ends here.
                session.pairing = None;
                let Some(hearth) = link.hearth() else { return };
                let (answers_tx, answers) = tokio::sync::mpsc::channel(1);
                session.pairing = Some(Pairing {
                    _task: link.spawn_owned(move |sender| {
                        tasks::invite(hearth, device_for, answers, sender)
                    }),
                    answers: Some(answers_tx),
                });
            }
            Command::Join { ticket } => {
                let Some(state) = view.pairing.as_mut() else {
                    return;
                };
                let Some(hearth) = link.hearth() else { return };
                state.begin_join();
                session.pairing = None;
                let (answers_tx, answers) = tokio::sync::mpsc::channel(1);
                session.pairing = Some(Pairing {
                    _task: link
                        .spawn_owned(move |sender| tasks::join(hearth, ticket, answers, sender)),
                    answers: Some(answers_tx),
                });
            }
            Command::Confirm(matches) => {
                if let Some(state) = view.pairing.as_mut() {
                    state.answered = Some(matches);
                    if let Some(answers) = session.pairing.as_ref().and_then(|p| p.answers.as_ref())
                    {
                        // Only the first answer counts; a full channel means one was given.
                        let _ = answers.try_send(matches);
                    }
                }
            }
            Command::ClosePairing => {
                view.pairing = None;
                session.pairing = None;
                refresh = Some(true);
            }
            Command::Write(draft) => {
                let private = draft.private;
                let partner = view.people.partner_name().to_owned();
                view.compose.sending = true;
                link.with(move |h| async move {
                    let note = if private {
                        "Kept on this device only.".to_owned()
                    } else {
                        format!("Shared with {partner}.")
                    };
                    Reply::Sent(Sent::Entry(
                        h.write(draft).await.map(|_| note).map_err(|e| sentence(&e)),
                    ))
                });
            }
            Command::Edit { id, edit } => {
                link.with(move |h| async move { done(h.edit(&id, edit).await, "Saved.") });
            }
            Command::Comment { id, text } => {
                link.with(move |h| async move {
                    let result = h.comment(&id, &text).await.map(|_| ());
                    Reply::Sent(Sent::Comment(id, result.map_err(|e| sentence(&e))))
                });
            }
            Command::React { id, emoji, on } => {
                link.with(move |h| async move {
                    Reply::Done(
                        h.react(&id, &emoji, on)
                            .await
                            .map(|()| None)
                            .map_err(|e| sentence(&e)),
                    )
                });
            }
            Command::Delete { id } => {
                link.with(move |h| async move { done(h.delete(&id).await, "Deleted.") });
            }
            Command::OpenAnswer { id } => {
                link.with(move |h| async move {
                    done(
                        h.open_answer(&id).await,
                        "Your answer opens to your partner when you next sync.",
                    )
                });
            }
            Command::EditComment {
                entry,
                comment,
                text,
            } => {
                link.with(move |h| async move {
                    done(
                        h.edit_comment(&entry, &comment, &text).await,
                        "Comment changed.",
                    )
                });
            }
            Command::DeleteComment { entry, comment } => {
                link.with(move |h| async move {
                    done(h.delete_comment(&entry, &comment).await, "Comment deleted.")
                });
            }
            Command::Respond { id, turn } => {
                link.with(move |h| async move {
                    let note = match turn {
                        hearth::Turn::Toward => "You turned toward it.",
                        hearth::Turn::Later => "Kept for later.",
                    };
                    done(h.respond(&id, turn).await, note)
                });
            }
            Command::Answer { text } => {
                view.today.answering = true;
                link.with(move |h| async move {
                    let result = h.answer_today(&text).await.map(|_| ());
                    Reply::Sent(Sent::Answer(result.map_err(|e| sentence(&e))))
                });
            }
            Command::LoadHistory { id } => {
                link.with(move |h| tasks::history(h, id));
            }
            Command::Restore { id, number } => {
                view.cards.drafts.close_history();
                link.with(move |h| async move {
                    let restored = h.restore(&id, number).await.map(|_| ());
                    done(
                        restored,
                        &format!("Version {number} is back, as the newest version."),
                    )
                });
            }
            Command::SetHomeZone(zone) => {
                link.with(move |h| async move {
                    let set = h.set_home_zone(&zone).await;
                    done(
                        set,
                        &format!("Saved: the question of the day now follows {zone}."),
                    )
                });
            }
            Command::SetStartSmall(on) => {
                link.with(move |h| async move {
                    let note = if on {
                        "Starting small: one small prompt a day, for both of you."
                    } else {
                        "The question of the day is back, for both of you."
                    };
                    done(h.set_start_small(on).await, note)
                });
            }
            Command::ProposeRitual { ritual, schedule } => {
                link.with(move |h| async move {
                    let proposed = h.propose_ritual(ritual, schedule).await;
                    Reply::Done(
                        proposed
                            .map(|outcome| Some(wording::proposed(ritual, &schedule, outcome)))
                            .map_err(|e| sentence(&e)),
                    )
                });
            }
            Command::AcceptRitual(ritual) => {
                link.with(move |h| async move {
                    done(
                        h.accept_ritual(ritual).await,
                        &format!("{}: agreed, for both of you.", ritual.title()),
                    )
                });
            }
            Command::DeclineRitual(ritual) => {
                link.with(move |h| async move {
                    done(
                        h.decline_ritual(ritual).await,
                        &format!("{} stays as it was.", ritual.title()),
                    )
                });
            }
            Command::AnotherDateIdea => {
                link.with(move |h| async move {
                    let another = h.another_date_idea().await.map(|_| ());
                    done(another, "Here's another idea, for both of you.")
                });
            }
            Command::PlanDateNight(plan) => {
                view.today.planning = true;
                link.with(move |h| async move {
                    let planned = h.plan_date_night(&plan).await.map(|_| ());
                    done(planned, "The plan is noted, for both of you.")
                });
            }
            Command::RememberDateNight(line) => {
                view.today.remembering = true;
                link.with(move |h| async move {
                    let kept = h.remember_date_night(&line).await.map(|_| ());
                    done(kept, "Kept. A good one to look back on.")
                });
            }
            Command::SkipQuestion => {
                link.with(move |h| async move {
                    let skipped = h.skip_question().await.map(|_| ());
                    done(
                        skipped,
                        "Skipped, for both of you: here is the next question.",
                    )
                });
            }
            Command::ReloadTimeline => {
                let t = &mut view.timeline;
                t.generation += 1;
                t.loading = true;
                let (filter, generation, limit) =
                    (t.filter(&view.people), t.generation, t.reload_limit());
                if link.with(move |h| tasks::timeline(h, filter, None, limit, generation)) {
                    session.reads += 1;
                }
            }
            Command::MoreTimeline => {
                let t = &mut view.timeline;
                if let (Some(next), false) = (t.next.clone(), t.loading) {
                    t.loading = true;
                    let (filter, generation) = (t.filter(&view.people), t.generation);
                    let limit = timeline::PAGE;
                    if link.with(move |h| tasks::timeline(h, filter, Some(next), limit, generation))
                    {
                        session.reads += 1;
                    }
                }
            }
            Command::LoadInsights { weeks } => {
                view.insights.weeks = weeks;
                let to = hearth::UnixMs::now();
                let from = to.minus(std::time::Duration::from_secs(
                    u64::from(weeks) * 7 * 86_400,
                ));
                let until = to.plus(std::time::Duration::from_millis(1));
                if link.with(move |h| tasks::insights(h, from, until)) {
                    session.reads += 1;
                }
            }
            Command::SetName(name) => {
                link.with(
                    move |h| async move { done(h.set_name(&name).await, "Your name is saved.") },
                );
            }
            Command::SetDeviceName(name) => {
                link.with(move |h| async move {
                    done(
                        h.set_device_name(&name).await,
                        "This device's name is saved; your other devices show it once they sync.",
                    )
                });
            }
            Command::SetNetwork(mode) => {
                link.with(move |h| async move {
                    done(
                        h.set_network(mode).await,
                        "Saved. The new network setting applies the next time Hearth starts.",
                    )
                });
            }
            Command::SetLanDiscovery(on) => {
                let said = if on {
                    "LAN discovery is on from the next time Hearth starts."
                } else {
                    "LAN discovery is off from the next time Hearth starts."
                };
                link.with(move |h| async move { done(h.set_lan_discovery(on).await, said) });
            }
            Command::Export { format, path } => {
                link.with(move |h| async move {
                    let bytes = match h.export(format).await {
                        Ok(bytes) => bytes,
                        Err(e) => return Reply::Done(Err(sentence(&e))),
                    };
                    let what = match format {
                        Format::Markdown => "a readable document",
                        Format::Json => "JSON",
                        Format::Automerge => "an Automerge document",
                        Format::AutomergeWithHistory => "an Automerge document with its history",
                    };
                    let target = path.clone();
                    let written = tokio::task::spawn_blocking(move || {
                        crate::export_file::write(&target, &bytes)
                    })
                    .await
                    .unwrap_or_else(|e| Err(std::io::Error::other(e)));
                    match written {
                        Ok(()) => Reply::Done(Ok(Some(format!(
                            "Exported as {what} to {}.",
                            path.display()
                        )))),
                        Err(e) => {
                            Reply::Done(Err(format!("Could not write {}: {e}.", path.display())))
                        }
                    }
                });
            }
            Command::ChangePassphrase { old, new } => {
                link.with(move |h| async move {
                    done(
                        h.change_passphrase(&old, &new).await,
                        "Your passphrase is changed. Use the new one from now on.",
                    )
                });
            }
            Command::Unpair { device } => {
                link.with(move |h| async move {
                    done(
                        h.unpair(device).await,
                        "That device is removed from the journal.",
                    )
                });
            }
            Command::UndoRemovalsBy { device } => {
                link.with(move |h| async move {
                    let back = h.undo_removals_by(device).await;
                    Reply::Done(match back {
                        Ok(back) if back.is_empty() => {
                            Ok(Some("There was nothing to bring back.".to_owned()))
                        }
                        Ok(_) => Ok(Some(
                            "Brought back: the journal counts it again on every device as each \
                             hears of it."
                                .to_owned(),
                        )),
                        Err(e) => Err(sentence(&e)),
                    })
                });
            }
            Command::AddMailbox(typed) => {
                link.with(move |h| async move {
                    let added = match hearth::MailboxPlace::parse(&typed) {
                        Ok(place) => h.add_mailbox(place).await,
                        Err(e) => Err(e),
                    };
                    Reply::Done(match added {
                        Ok(m) => {
                            // The first exchange right away; the status shows how it went.
                            let _ = h.exchange_with_mailboxes().await;
                            Ok(Some(format!(
                                "Added “{}”. Your devices leave sealed changes there for each other.",
                                m.name
                            )))
                        }
                        Err(e) => Err(sentence(&e)),
                    })
                });
            }
            Command::RemoveMailbox(name) => {
                link.with(move |h| async move {
                    done(
                        h.remove_mailbox(&name).await,
                        "This device no longer uses that mailbox.",
                    )
                });
            }
            Command::SyncNow => {
                link.with(tasks::sync_now);
            }
            _ => {}
        }
        match refresh {
            Some(true) => self.refresh_all(),
            Some(false) => self.refresh_tab(),
            None => {}
        }
    }

    /// Starts a read of the open journal, counted so that changes arriving meanwhile are read
    /// once it is back.
    pub(crate) fn read<Fut>(&mut self, read: impl FnOnce(Hearth) -> Fut)
    where
        Fut: std::future::Future<Output = Reply> + Send + 'static,
    {
        if let Phase::Open(session) = &mut self.phase
            && self.link.with(read)
        {
            session.reads += 1;
        }
    }

    /// Reads what the current screen shows.
    pub(crate) fn refresh_tab(&mut self) {
        let Phase::Open(session) = &self.phase else {
            return;
        };
        match session.view.tab {
            Tab::Today => self.read(tasks::today),
            Tab::Timeline => self.apply_open(Command::ReloadTimeline),
            Tab::Insights => {
                let weeks = session.view.insights.weeks;
                self.apply_open(Command::LoadInsights { weeks });
            }
            Tab::Compose | Tab::Settings => {}
        }
        self.read(tasks::status);
    }

    /// Reads everything again (after the journal changed). While reads are still in flight, it
    /// only notes that another is needed: a burst of changes is read once.
    pub(crate) fn refresh_all(&mut self) {
        let Phase::Open(session) = &mut self.phase else {
            return;
        };
        if session.reads > 0 {
            session.stale = true;
            return;
        }
        session.stale = false;
        let tab = session.view.tab;
        let weeks = session.view.insights.weeks;
        self.read(tasks::today);
        self.read(tasks::status);
        self.read(tasks::read_people);
        match tab {
            Tab::Timeline => self.apply_open(Command::ReloadTimeline),
            Tab::Insights => self.apply_open(Command::LoadInsights { weeks }),
            _ => {}
        }
    }

    /// A read came back: when the last one is in and the journal changed meanwhile, read again.
    pub(crate) fn read_done(&mut self) {
        let Phase::Open(session) = &mut self.phase else {
            return;
        };
        session.reads = session.reads.saturating_sub(1);
        if session.reads == 0 && session.stale {
            self.refresh_all();
        }
    }

    /// Moves the ritual times an earlier version kept on this device into the shared journal,
    /// once: each that differs from the journal's default becomes a proposal to the partner
    /// (before pairing it takes effect at once), unless the couple has set that ritual already or
    /// a change to it waits.
    pub(crate) fn move_rituals(&mut self, prefs: &mut Prefs) {
        let reminders = &mut prefs.reminders;
        if reminders.moved {
            return;
        }
        reminders.moved = true;
        // The evening reminder kept gratitude too: its switch on this device stays the same.
        reminders.gratitude.on = reminders.evening.on;
        let moving = crate::gui::rituals::to_move(reminders);
        if moving.is_empty() {
            return;
        }
        self.link.with(move |h| async move {
            let kept = match h.rituals().await {
                Ok(kept) => kept,
                Err(e) => return Reply::Done(Err(sentence(&e))),
            };
            let mut proposed = 0;
            for (ritual, schedule) in moving {
                let set = kept
                    .settings
                    .iter()
                    .any(|s| s.ritual == ritual && s.set_by.is_some());
                let waiting = kept.proposals.iter().any(|p| p.ritual == ritual);
                if set || waiting {
                    continue;
                }
                match h.propose_ritual(ritual, schedule).await {
                    Ok(hearth::Proposed::Waiting) => proposed += 1,
                    Ok(_) => {}
                    Err(e) => return Reply::Done(Err(sentence(&e))),
                }
            }
            let note = (proposed > 0).then(|| {
                "Rituals are now set together: the times you kept on this device wait for your \
                 partner to agree (see Settings)."
                    .to_owned()
            });
            Reply::Done(Ok(note))
        });
    }

    /// Opens the session after unlock or set-up.
    pub(crate) fn open_session(
        &mut self,
        people: crate::gui::reply::People,
        created: bool,
        tab: Tab,
    ) {
        let tab = match tab {
            _ if created => Tab::Today,
            // Nothing is half-written after a restart: start somewhere calm.
            Tab::Compose => Tab::Today,
            other => other,
        };
        // Shown from the first screen already: it stays, and is read anew from the journal.
        let waiting = match &mut self.phase {
            Phase::Open(session) if session.view.opening => {
                session.view.opening = false;
                session.view.people = people;
                std::mem::take(&mut session.waiting)
            }
            _ => {
                let mut session = super::Session::new(people, tab);
                if created {
                    session.view.pairing = Some(pairing::State::first_run());
                }
                self.phase = Phase::Open(Box::new(session));
                Vec::new()
            }
        };
        self.refresh_all();
        for command in waiting {
            self.apply_open(command);
        }
    }

    /// Shows the first screen kept from the last time while the journal opens: the page as it
    /// stood, the places to move between, and what needs the journal waiting for it.
    pub(crate) fn show_first_screen(&mut self, screen: hearth::FirstScreen, tab: Tab) {
        if !matches!(self.phase, Phase::Locked(_)) {
            return;
        }
        let tab = match tab {
            Tab::Compose => Tab::Today,
            other => other,
        };
        let people = crate::gui::reply::People {
            me: screen.me,
            partner: screen.partner,
        };
        let mut session = super::Session::new(people, tab);
        let view = &mut session.view;
        view.opening = true;
        view.today.read = screen.today.is_some();
        view.today.day = screen.today;
        let generation = view.timeline.generation;
        let me = view.people.me.id.clone();
        view.timeline.take(screen.timeline, false, generation, &me);
        self.phase = Phase::Open(Box::new(session));
    }
}
