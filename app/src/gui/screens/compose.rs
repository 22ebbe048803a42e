//! Writing something new: one form per kind, and a choice to keep it private.

use egui::RichText;
use hearth::{BidKind, Content, Draft, EntryKind, Mood};

use crate::gui::command::Command;
use crate::gui::reply::People;
use crate::gui::theme::Palette;
use crate::gui::widgets::{buttons, card, field};
use crate::gui::wording;

/// The kinds one writes here (answers are written on Today).
const KINDS: [EntryKind; 7] = [
    EntryKind::Journal,
    EntryKind::CheckIn,
    EntryKind::Debrief,
    EntryKind::Gratitude,
    EntryKind::Appreciation,
    EntryKind::Bid,
    EntryKind::Letter,
];

/// The form.
pub(crate) struct State {
    pub(crate) kind: EntryKind,
    /// A ritual's prompt this entry answers.
    pub(crate) prompt: Option<String>,
    pub(crate) body: String,
    pub(crate) mood: u8,
    pub(crate) why: String,
    pub(crate) lines: [String; 3],
    /// The debrief's two parts: what was hard, what helped.
    pub(crate) hard: String,
    pub(crate) helped: String,
    /// When a letter opens, as typed (`YYYY-MM-DD HH:MM`, local); empty until a letter is
    /// begun, then tomorrow evening.
    pub(crate) opens: String,
    pub(crate) bid: BidKind,
    pub(crate) private: bool,
    /// The ritual this entry keeps, if it was started from one.
    pub(crate) ritual: Option<hearth::Ritual>,
    /// The entry is on its way to the journal: the form waits, and clears once it is stored.
    pub(crate) sending: bool,
    /// Put the cursor in the form's first field on the next frame.
    pub(crate) focus: bool,
}

impl Default for State {
    fn default() -> Self {
        State {
            kind: EntryKind::Journal,
            prompt: None,
            body: String::new(),
            mood: 6,
            why: String::new(),
            lines: Default::default(),
            hard: String::new(),
            helped: String::new(),
            opens: String::new(),
            bid: BidKind::ThinkingOfYou,
            private: false,
            ritual: None,
            sending: false,
            focus: true,
        }
    }
}

impl State {
    pub(crate) fn start(
        &mut self,
        kind: EntryKind,
        prompt: Option<String>,
        ritual: Option<hearth::Ritual>,
    ) {
        self.kind = kind;
        self.prompt = prompt;
        self.ritual = ritual;
        self.focus = true;
    }

    /// Clears the form after sending.
    pub(crate) fn sent(&mut self) {
        *self = State {
            kind: self.kind,
            ..State::default()
        };
    }

    /// When the letter being written opens, if what is typed names a moment after `now`.
    pub(crate) fn opens_at(
        &self,
        zone: &hearth::Zone,
        now: hearth::UnixMs,
    ) -> Option<hearth::UnixMs> {
        let (day, time) = crate::clock::parse_moment(&self.opens)?;
        zone.moment(day, time.minutes()).filter(|at| *at > now)
    }

    /// The entry the form describes, if it has something in it.
    pub(crate) fn draft(
        &self,
        partner: Option<hearth::MemberId>,
        zone: &hearth::Zone,
    ) -> Option<Draft> {
        let text = |s: &str| s.trim().to_owned();
        let content = match self.kind {
            EntryKind::Journal => Content::Journal {
                body: text(&self.body),
            },
            EntryKind::CheckIn => Content::CheckIn {
                mood: Mood::new(i64::from(self.mood)).ok()?,
                why: text(&self.why),
            },
            EntryKind::Gratitude => Content::Gratitude {
                to: partner,
                lines: self
                    .lines
                    .iter()
                    .map(|l| text(l))
                    .filter(|l| !l.is_empty())
                    .collect(),
            },
            EntryKind::Appreciation => Content::Appreciation {
                to: partner,
                body: text(&self.body),
            },
            EntryKind::Letter => Content::Letter {
                opens_at: self.opens_at(zone, hearth::UnixMs::now())?,
                body: text(&self.body),
            },
            EntryKind::Debrief => Content::Debrief {
                hard: text(&self.hard),
                helped: text(&self.helped),
            },
            EntryKind::Bid => Content::Bid {
                to: partner,
                bid: self.bid,
                body: text(&self.body),
                response: None,
            },
            _ => return None,
        };
        let empty = match &content {
            Content::Journal { body }
            | Content::Appreciation { body, .. }
            | Content::Letter { body, .. } => body.is_empty(),
            Content::Gratitude { lines, .. } => lines.is_empty(),
            Content::Debrief { hard, helped } => hard.is_empty() && helped.is_empty(),
            _ => false,
        };
        let private = self.private && self.kind != EntryKind::Letter;
        (!empty).then_some(Draft { content, private })
    }
}

/// Draws the form; returns what was asked for.
pub(crate) fn ui(
    state: &mut State,
    people: &People,
    zone: &hearth::Zone,
    ui: &mut egui::Ui,
) -> Vec<Command> {
    let p = Palette::of(ui);
    let partner = people.partner_name();
    let partner_id = people.partner.as_ref().map(|m| m.id.clone());
    let mut out = Vec::new();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            card::column(ui, 680.0, |ui| {
                ui.add_space(6.0);
                ui.label(RichText::new("Write something").size(28.0).color(p.text));
                ui.horizontal_wrapped(|ui| {
                    for kind in KINDS {
                        let name =
                            format!("{} {}", wording::kind_icon(kind), wording::kind_name(kind));
                        let chip = buttons::chip(ui, state.kind == kind, &name);
                        chip.widget_info(|| {
                            egui::WidgetInfo::selected(
                                egui::Role::Button,
                                true,
                                state.kind == kind,
                                wording::kind_name(kind),
                            )
                        });
                        if chip.clicked() {
                            state.kind = kind;
                            state.focus = true;
                        }
                    }
                });
                ui.add_space(6.0);
                card::card(ui, |ui| {
                    if let Some(prompt) = &state.prompt {
                        ui.label(RichText::new(prompt).italics().color(p.accent));
                    }
                    if state.kind == EntryKind::Letter && state.opens.is_empty() {
                        state.opens = tomorrow_evening(zone);
                    }
                    let first = form(ui, state, partner, zone, p);
                    if let Some(first) = first
                        && std::mem::take(&mut state.focus)
                    {
                        first.request_focus();
                    }
                    ui.add_space(8.0);
                    if state.kind != EntryKind::Letter {
                        ui.checkbox(
                            &mut state.private,
                            "Keep this private — only on this device, never shared",
                        );
                    }
                    ui.add_space(6.0);
                    let draft = state
                        .draft(partner_id.clone(), zone)
                        .filter(|_| !state.sending);
                    let send_keys =
                        ui.input(|i| i.modifiers.command && i.key_pressed(egui::Key::Enter));
                    ui.horizontal(|ui| {
                        let letter = state.kind == EntryKind::Letter;
                        let label = match (state.private && !letter, &partner_id) {
                            _ if letter => "Seal the letter".to_owned(),
                            (true, _) => "Keep it".to_owned(),
                            (false, Some(_)) => format!("Share with {partner}"),
                            (false, None) => "Save to our journal".to_owned(),
                        };
                        let clicked = buttons::primary_enabled(ui, draft.is_some(), &label)
                            .on_hover_text("Ctrl+Enter")
                            .clicked();
                        if (clicked || send_keys)
                            && let Some(draft) = draft
                        {
                            out.push(Command::Write(draft));
                        }
                        if state.sending {
                            ui.spinner();
                        } else {
                            ui.label(RichText::new("Ctrl+Enter sends").color(p.quiet).size(13.0));
                        }
                    });
                });
            });
        });
    out
}

/// Draws the form for the chosen kind; returns its first text field.
/// Tomorrow at nine in the evening, as the letter form shows it.
fn tomorrow_evening(zone: &hearth::Zone) -> String {
    let tomorrow = zone.date_at(hearth::UnixMs::now()).add_days(1);
    format!("{tomorrow} 21:00")
}

fn form(
    ui: &mut egui::Ui,
    state: &mut State,
    partner: &str,
    zone: &hearth::Zone,
    p: Palette,
) -> Option<egui::Response> {
    match state.kind {
        EntryKind::Letter => {
            let first = field::multiline(
                ui,
                &format!("A letter for {partner}, for later"),
                &mut state.body,
                "Dear…",
                6,
            );
            ui.add_space(4.0);
            field::line(
                ui,
                "When it opens",
                &mut state.opens,
                "2026-12-24 21:00",
                false,
            );
            let now = hearth::UnixMs::now();
            let note = match state.opens_at(zone, now) {
                Some(at) => format!(
                    "Sealed until {}. {} sees that a letter waits, and when, never a word \
                     before then.",
                    crate::clock::on_day_at(at, now, zone),
                    wording::capital(partner)
                ),
                None => "Give a day and a time after now, like 2026-12-24 21:00.".to_owned(),
            };
            ui.label(RichText::new(note).color(p.quiet).size(13.5));
            Some(first)
        }
        EntryKind::CheckIn => {
            let label = ui.label(RichText::new("How are you, inside, right now?").strong());
            ui.horizontal(|ui| {
                ui.label(RichText::new("1").color(p.quiet));
                ui.add(egui::Slider::new(&mut state.mood, Mood::MIN..=Mood::MAX).show_value(true))
                    .labelled_by(label.id);
                ui.label(RichText::new("10").color(p.quiet));
            });
            Some(field::multiline(
                ui,
                "Why?",
                &mut state.why,
                "A few words about it, if you like",
                3,
            ))
        }
        EntryKind::Gratitude => {
            ui.label(RichText::new(format!("Three ways {partner} lit up your day")).strong());
            ui.add_space(2.0);
            let mut first = None;
            for (i, line) in state.lines.iter_mut().enumerate() {
                let field = ui.horizontal(|ui| {
                    let number = ui.label(
                        RichText::new(format!("{}.", i + 1))
                            .color(p.accent)
                            .strong(),
                    );
                    ui.add(
                        egui::TextEdit::singleline(line)
                            .hint_text(["The first…", "A second…", "And a third…"][i % 3])
                            .desired_width(f32::INFINITY)
                            .margin(egui::vec2(12.0, 9.0)),
                    )
                    .labelled_by(number.id)
                });
                first.get_or_insert(field.inner);
            }
            first
        }
        EntryKind::Debrief => {
            let first = field::multiline(
                ui,
                "What was hard today?",
                &mut state.hard,
                "Big or small, it counts",
                3,
            );
            ui.add_space(4.0);
            field::multiline(
                ui,
                "What helped?",
                &mut state.helped,
                "Someone, something, a moment",
                3,
            );
            Some(first)
        }
        EntryKind::Appreciation => Some(field::multiline(
            ui,
            &format!("Thank {partner} for something specific"),
            &mut state.body,
            "I really appreciated it when you…",
            4,
        )),
        EntryKind::Bid => {
            ui.label(RichText::new("Reach out").strong());
            ui.horizontal_wrapped(|ui| {
                for bid in BidKind::ALL {
                    if buttons::chip(ui, state.bid == bid, bid.phrase()).clicked() {
                        state.bid = bid;
                    }
                }
            });
            Some(field::multiline(
                ui,
                "A note (optional)",
                &mut state.body,
                "",
                2,
            ))
        }
        _ => Some(field::multiline(
            ui,
            "Your entry",
            &mut state.body,
            "What's on your mind?",
            8,
        )),
    }
}
