//! Applying the screens' commands: local changes at once, facade calls in the background.

use hearth::{Format, Hearth};

use super::tasks;
use super::{Device, Pairing, Phase};
use crate::gui::command::{Command, Which};
use crate::gui::prefs::{Prefs, Reminder, Tab};
use crate::gui::reply::{Reply, Sent};
use crate::gui::screens::{pairing, timeline};
use crate::gui::wording::sentence;

/// How long a snooze lasts.
const SNOOZE: std::time::Duration = std::time::Duration::from_secs(60 * 60);

fn done(result: Result<(), impl std::error::Error>, note: &str) -> Reply {
    Reply::Done(
        result
            .map(|()| Some(note.to_owned()))
            .map_err(|e| sentence(&e)),
    )
}

fn reminder(prefs: &mut Prefs, which: Which) -> &mut Reminder {
    match which {
        Which::Morning => &mut prefs.reminders.morning,
        Which::Evening => &mut prefs.reminders.evening,
        Which::Weekly => &mut prefs.reminders.weekly,
    }
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
                self.link.run(tasks::open(dir, options, passphrase));
            }
            Command::SetTheme(theme) => prefs.theme = theme,
            Command::Snooze(which) => {
                reminder(prefs, which).snoozed_until_ms = hearth::UnixMs::now().plus(SNOOZE);
            }
            Command::Dismiss(which) => {
                let today = self.zone.date_at(hearth::UnixMs::now()).days_since_epoch();
                reminder(prefs, which).done_day = today;
            }
            Command::SetReminder {
                which,
                on,
                hour,
                minute,
            } => {
                let r = reminder(prefs, which);
                r.on = on;
                r.at.hour = hour.min(23);
                r.at.minute = minute.min(59);
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
        let mut session = super::Session::new(people, tab);
        if created {
            session.view.pairing = Some(pairing::State::first_run());
        }
        self.phase = Phase::Open(Box::new(session));
        self.refresh_all();
    }
}
