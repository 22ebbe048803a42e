//! One entry as a card: who, when, what, then reactions, comments, and what one may do with it.

use std::collections::{BTreeMap, HashMap};

use egui::{Button, RichText, Role, WidgetInfo};
use hearth::{Content, Edit, Entry, EntryId, Item, MemberId, Mood, Turn, Version};

use super::buttons;
use crate::gui::command::Command;
use crate::gui::emoji;
use crate::gui::reply::People;
use crate::gui::theme::{CARD_RADIUS, Palette};
use crate::gui::wording;
use hearth::Zone;

/// What the entry cards keep across screens (Today and the timeline show the same entries): what
/// is being typed into them.
#[derive(Default)]
pub(crate) struct Cards {
    /// Edits and comments being typed into entries.
    pub(crate) drafts: Drafts,
}

/// What is being typed into entries: an edit in progress, comments not yet sent.
#[derive(Default)]
pub(crate) struct Drafts {
    editing: Option<EditDraft>,
    comments: HashMap<EntryId, String>,
    /// Entries whose comment field is open.
    commenting: Option<EntryId>,
    /// An entry whose delete button was pressed once.
    deleting: Option<EntryId>,
    /// An entry whose reaction choices are open.
    reacting: Option<EntryId>,
    /// A comment of one's own being changed: its id and the text in its field.
    comment_edit: Option<(EntryId, String)>,
    /// A comment of one's own whose delete button was pressed once.
    deleting_comment: Option<EntryId>,
    /// The entry whose history is open, with its versions once read.
    history: Option<(EntryId, Option<Vec<Version>>)>,
}

impl Drafts {
    /// An entry's versions were read: they show if its history is still open.
    pub(crate) fn history_arrived(&mut self, id: &EntryId, versions: Option<Vec<Version>>) {
        if let Some((open, shown)) = &mut self.history
            && open == id
        {
            *shown = Some(versions.unwrap_or_default());
        }
    }

    /// Closes the open history.
    pub(crate) fn close_history(&mut self) {
        self.history = None;
    }

    /// A comment was stored: its field closes and empties.
    pub(crate) fn comment_sent(&mut self, id: &EntryId) {
        self.comments.remove(id);
        if self.commenting.as_ref() == Some(id) {
            self.commenting = None;
        }
    }
}

struct EditDraft {
    id: EntryId,
    body: String,
    lines: Vec<String>,
    mood: u8,
}

/// What drawing an entry needs to know.
pub(crate) struct Look<'a> {
    pub(crate) people: &'a People,
    pub(crate) zone: &'a Zone,
    pub(crate) now_ms: hearth::UnixMs,
    /// Show reactions, comments and actions (false for compact lists).
    pub(crate) full: bool,
}

impl Look<'_> {
    fn name(&self, id: &MemberId) -> String {
        self.people.name_of(id).to_owned()
    }
}

/// Draws `item` as a card.
pub(crate) fn card(
    ui: &mut egui::Ui,
    item: &Item,
    look: &Look<'_>,
    drafts: &mut Drafts,
    out: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    let entry = &item.entry;
    let mine = entry.author == look.people.me.id;
    // Each card is a group a screen reader (or a test) can find by what it is and who wrote it.
    let summary = format!(
        "{} by {}",
        wording::kind_name(entry.kind()),
        look.name(&entry.author)
    );
    let group = egui::UiBuilder::new().accessibility_label(summary);
    ui.scope_builder(group, |ui| card_inner(ui, item, look, drafts, out, mine, p));
}

fn card_inner(
    ui: &mut egui::Ui,
    item: &Item,
    look: &Look<'_>,
    drafts: &mut Drafts,
    out: &mut Vec<Command>,
    mine: bool,
    p: Palette,
) {
    let entry = &item.entry;
    if entry.deleted {
        tombstone(ui, entry, look, p);
        return;
    }
    egui::Frame::new()
        .fill(p.card)
        .stroke(egui::Stroke::new(1.0, p.edge))
        .corner_radius(egui::CornerRadius::same(CARD_RADIUS))
        .inner_margin(egui::Margin::symmetric(20, 16))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            header(ui, item, look, mine);
            let editing = drafts.editing.as_ref().is_some_and(|d| d.id == entry.id);
            if editing {
                edit_form(ui, entry, drafts, out);
            } else {
                body(ui, entry, look, mine, out);
            }
            // Nothing to react to or comment on in an answer that has not opened yet.
            let closed = matches!(entry.content, Content::HiddenAnswer { .. });
            if look.full && !closed {
                history(ui, entry, look, mine, drafts, out);
                reactions(ui, entry, look, drafts, out);
                comments(ui, entry, look, drafts, out);
                actions(ui, entry, look, mine, drafts, out);
            }
        });
}

/// How many of `me`'s comments went with a partner's entry that was deleted (0 for any other).
pub(crate) fn comments_went_with(entry: &Entry, me: &hearth::MemberId) -> usize {
    if !entry.deleted || entry.author == *me {
        return 0;
    }
    entry.comments.iter().filter(|c| c.author == *me).count()
}

/// What is left of a partner's deleted entry the person had commented on: a line that says their
/// comments went with it.
fn tombstone(ui: &mut egui::Ui, entry: &Entry, look: &Look<'_>, p: Palette) {
    let who = look.name(&entry.author);
    let said = match comments_went_with(entry, &look.people.me.id) {
        1 => format!("{who} deleted an entry you had commented on; your comment went with it."),
        n => {
            format!("{who} deleted an entry you had commented on; your {n} comments went with it.")
        }
    };
    egui::Frame::new()
        .stroke(egui::Stroke::new(1.0, p.edge))
        .corner_radius(egui::CornerRadius::same(CARD_RADIUS))
        .inner_margin(egui::Margin::symmetric(20, 10))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(said).color(p.quiet).italics().size(14.5));
        });
}

fn header(ui: &mut egui::Ui, item: &Item, look: &Look<'_>, mine: bool) {
    let p = Palette::of(ui);
    let entry = &item.entry;
    ui.horizontal(|ui| {
        let who = look.name(&entry.author);
        let color = if mine { p.accent } else { p.partner };
        ui.label(RichText::new(who).strong().color(color));
        ui.label(
            RichText::new(format!(
                "{} {}",
                wording::kind_icon(entry.kind()),
                wording::kind_name(entry.kind())
            ))
            .color(p.quiet)
            .size(14.0),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let mut when = wording::when(entry.created_ms, look.now_ms, look.zone);
            if entry.edited_ms > entry.created_ms {
                when.push_str(" · edited");
            }
            ui.label(RichText::new(when).color(p.quiet).size(14.0));
            if item.private {
                ui.label(
                    RichText::new("🔒 only on this device")
                        .color(p.quiet)
                        .size(13.0),
                );
            }
        });
    });
}

fn mood_dots(ui: &mut egui::Ui, mood: Mood) {
    let p = Palette::of(ui);
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(10.0 * 14.0, 14.0), egui::Sense::hover());
    for i in 0..10u8 {
        let center = egui::pos2(rect.left() + 7.0 + f32::from(i) * 14.0, rect.center().y);
        if i < mood.get() {
            ui.painter().circle_filled(center, 5.0, p.accent);
        } else {
            ui.painter()
                .circle_stroke(center, 4.5, egui::Stroke::new(1.0, p.edge));
        }
    }
    response.widget_info(|| {
        WidgetInfo::labeled(Role::Label, true, format!("{} out of 10", mood.get()))
    });
}

fn body(ui: &mut egui::Ui, entry: &Entry, look: &Look<'_>, mine: bool, out: &mut Vec<Command>) {
    let p = Palette::of(ui);
    match &entry.content {
        Content::Journal { body } => {
            ui.label(RichText::new(body).size(16.5));
        }
        Content::CheckIn { mood, why } => {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!("{}/10", mood.get()))
                        .size(22.0)
                        .strong()
                        .color(p.accent),
                );
                mood_dots(ui, *mood);
            });
            if !why.is_empty() {
                ui.label(why);
            }
        }
        Content::Gratitude { lines, .. } => {
            for line in lines.iter().filter(|l| !l.trim().is_empty()) {
                ui.label(format!("•  {line}"));
            }
        }
        Content::Letter { opens_at, body } => {
            let when = crate::clock::on_day_at(*opens_at, look.now_ms, look.zone);
            let note = if entry.sealing == hearth::Sealing::Opened {
                format!("Opened {when}")
            } else {
                format!("Sealed until {when}; only you can read it until then")
            };
            ui.label(RichText::new(note).color(p.quiet).size(13.5));
            ui.label(RichText::new(body).size(16.5));
        }
        Content::SealedLetter { opens_at } => {
            let author = look.people.name_of(&entry.author);
            ui.label(
                RichText::new(crate::clock::letter_opens(
                    *opens_at,
                    look.now_ms,
                    look.zone,
                    Some(author),
                ))
                .italics()
                .color(p.quiet),
            );
        }
        Content::Debrief { hard, helped } => {
            for (title, text) in [("What was hard", hard), ("What helped", helped)] {
                if !text.trim().is_empty() {
                    ui.label(RichText::new(title).strong().color(p.quiet).size(13.5));
                    ui.label(text);
                }
            }
        }
        Content::Appreciation { body, .. } => {
            ui.label(RichText::new(body).italics());
        }
        Content::Answer { question, body, .. } => {
            if let Some(q) = hearth::deck::question(question) {
                ui.label(RichText::new(q.text).color(p.quiet).italics());
            }
            ui.label(body);
        }
        Content::HiddenAnswer { question, .. } => {
            if let Some(q) = hearth::deck::question(question) {
                ui.label(RichText::new(q.text).color(p.quiet).italics());
            }
            let who = look.people.name_of(&entry.author);
            ui.label(
                RichText::new(format!(
                    "{who} has answered. It opens here once you have both answered and \
                     {who}'s device has synced."
                ))
                .color(p.quiet),
            );
        }
        Content::Bid {
            bid,
            body,
            response,
            ..
        } => {
            ui.label(RichText::new(bid.phrase()).strong());
            if !body.is_empty() {
                ui.label(body);
            }
            match response {
                Some(r) if r.turn == Turn::Later && !mine && look.full => {
                    // Kept for later stays open: it can still be turned toward.
                    ui.horizontal(|ui| {
                        let kept = format!(
                            "Kept for later, {}",
                            crate::clock::since(r.at_ms, look.now_ms, look.zone)
                        );
                        ui.label(RichText::new(kept).color(p.partner).size(14.0));
                        if buttons::primary(ui, "Turn toward").clicked() {
                            out.push(Command::Respond {
                                id: entry.id.clone(),
                                turn: Turn::Toward,
                            });
                        }
                    });
                }
                Some(r) => {
                    let text = match r.turn {
                        Turn::Toward => "Turned toward 💛",
                        Turn::Later => "Kept for later",
                    };
                    ui.label(RichText::new(text).color(p.partner).size(14.0));
                }
                None if !mine && look.full => {
                    ui.horizontal(|ui| {
                        if buttons::primary(ui, "Turn toward").clicked() {
                            out.push(Command::Respond {
                                id: entry.id.clone(),
                                turn: Turn::Toward,
                            });
                        }
                        if buttons::secondary(ui, "Later").clicked() {
                            out.push(Command::Respond {
                                id: entry.id.clone(),
                                turn: Turn::Later,
                            });
                        }
                    });
                }
                None => {}
            }
        }
    }
}

/// The reactions given so far, each with its count; and, while open, the ones one may add.
fn reactions(
    ui: &mut egui::Ui,
    entry: &Entry,
    look: &Look<'_>,
    drafts: &mut Drafts,
    out: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    let me = &look.people.me.id;
    let mut counts: BTreeMap<&str, (usize, bool)> = BTreeMap::new();
    for (member, set) in &entry.reactions {
        for emoji in set {
            let c = counts.entry(emoji.as_str()).or_default();
            c.0 += 1;
            c.1 |= member == me;
        }
    }
    let picking = drafts.reacting.as_ref() == Some(&entry.id);
    if counts.is_empty() && !picking {
        return;
    }
    ui.add_space(2.0);
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 6.0;
        // The usual ones first, in their usual order, then any others.
        let mut given: Vec<(&str, usize, bool)> = emoji::REACTIONS
            .iter()
            .filter_map(|s| counts.remove(s).map(|(n, mine)| (*s, n, mine)))
            .collect();
        given.extend(counts.into_iter().map(|(s, (n, mine))| (s, n, mine)));
        for &(symbol, count, mine) in &given {
            reaction_button(ui, entry, symbol, count, mine, p, out);
        }
        if picking {
            for symbol in emoji::REACTIONS {
                // Those given already are the pills above.
                if given.iter().any(|(s, _, _)| *s == symbol) {
                    continue;
                }
                if reaction_button(ui, entry, symbol, 0, false, p, out) {
                    drafts.reacting = None;
                }
            }
        }
    });
}

/// A reaction as a small pill; returns whether it was clicked.
fn reaction_button(
    ui: &mut egui::Ui,
    entry: &Entry,
    symbol: &str,
    count: usize,
    mine: bool,
    p: Palette,
    out: &mut Vec<Command>,
) -> bool {
    let label = if count > 0 {
        count.to_string()
    } else {
        String::new()
    };
    let fill = if mine { p.accent_soft } else { p.card };
    let stroke = if mine { p.accent } else { p.edge };
    let response = match emoji::texture(ui.ctx(), symbol) {
        Some(texture) => {
            let image = egui::Image::new((texture.id(), egui::vec2(18.0, 18.0)));
            let button = if label.is_empty() {
                Button::image(image)
            } else {
                Button::image_and_text(image, RichText::new(&label).size(13.0))
            };
            ui.add(
                button
                    .fill(fill)
                    .stroke(egui::Stroke::new(1.0, stroke))
                    .corner_radius(egui::CornerRadius::same(14))
                    .min_size(egui::vec2(0.0, 28.0))
                    .frame(true),
            )
        }
        None => ui.add(
            Button::new(format!("{symbol} {label}"))
                .fill(fill)
                .corner_radius(egui::CornerRadius::same(14)),
        ),
    };
    let name = if mine {
        format!("Take back {symbol}")
    } else {
        format!("React with {symbol}")
    };
    response.widget_info(|| WidgetInfo::labeled(Role::Button, true, name.clone()));
    let clicked = response
        .on_hover_text(if mine { "Take back" } else { "React" })
        .clicked();
    if clicked {
        out.push(Command::React {
            id: entry.id.clone(),
            emoji: symbol.to_owned(),
            on: !mine,
        });
    }
    clicked
}

fn comments(
    ui: &mut egui::Ui,
    entry: &Entry,
    look: &Look<'_>,
    drafts: &mut Drafts,
    out: &mut Vec<Command>,
) {
    let p = Palette::of(ui);
    for comment in &entry.comments {
        let mine = comment.author == look.people.me.id;
        let editing = drafts
            .comment_edit
            .as_ref()
            .is_some_and(|(id, _)| *id == comment.id);
        if editing {
            comment_edit_form(ui, entry, comment, drafts, out);
            continue;
        }
        ui.horizontal_wrapped(|ui| {
            let color = if mine { p.accent } else { p.partner };
            ui.label(
                RichText::new(look.name(&comment.author))
                    .strong()
                    .color(color)
                    .size(14.5),
            );
            ui.label(RichText::new(&comment.text).size(14.5));
            ui.label(
                RichText::new(wording::when(comment.created_ms, look.now_ms, look.zone))
                    .color(p.quiet)
                    .size(12.5),
            );
            if !mine || entry.deleted {
                return;
            }
            if drafts.deleting_comment.as_ref() == Some(&comment.id) {
                let sure = buttons::small(ui, "Yes, delete it");
                sure.widget_info(|| {
                    WidgetInfo::labeled(Role::Button, true, "Yes, delete your comment")
                });
                if sure.clicked() {
                    out.push(Command::DeleteComment {
                        entry: entry.id.clone(),
                        comment: comment.id.clone(),
                    });
                    drafts.deleting_comment = None;
                }
                if buttons::small(ui, "Keep it").clicked() {
                    drafts.deleting_comment = None;
                }
                return;
            }
            let change = buttons::small(ui, "Edit");
            change.widget_info(|| WidgetInfo::labeled(Role::Button, true, "Edit your comment"));
            if change.clicked() {
                drafts.comment_edit = Some((comment.id.clone(), comment.text.clone()));
            }
            let delete = buttons::small(ui, "Delete");
            delete.widget_info(|| WidgetInfo::labeled(Role::Button, true, "Delete your comment"));
            if delete.clicked() {
                drafts.deleting_comment = Some(comment.id.clone());
            }
        });
    }
}

/// The field a comment of one's own is changed in, with Save and Cancel.
fn comment_edit_form(
    ui: &mut egui::Ui,
    entry: &Entry,
    comment: &hearth::Comment,
    drafts: &mut Drafts,
    out: &mut Vec<Command>,
) {
    let Some((_, text)) = drafts.comment_edit.as_mut() else {
        return;
    };
    let (mut save, mut cancel) = (false, false);
    ui.horizontal(|ui| {
        let field = ui.add(
            egui::TextEdit::singleline(text)
                .desired_width(ui.available_width() - 150.0)
                .margin(egui::vec2(10.0, 7.0)),
        );
        field.widget_info(|| WidgetInfo::labeled(Role::TextInput, true, "Change your comment"));
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let saved = buttons::secondary(ui, "Save");
        saved.widget_info(|| WidgetInfo::labeled(Role::Button, true, "Save your comment"));
        save = (saved.clicked() || enter) && !text.trim().is_empty();
        cancel = buttons::small(ui, "Cancel").clicked();
    });
    if save {
        out.push(Command::EditComment {
            entry: entry.id.clone(),
            comment: comment.id.clone(),
            text: text.trim().to_owned(),
        });
    }
    if save || cancel {
        drafts.comment_edit = None;
    }
}

fn actions(
    ui: &mut egui::Ui,
    entry: &Entry,
    look: &Look<'_>,
    mine: bool,
    drafts: &mut Drafts,
    out: &mut Vec<Command>,
) {
    let commenting = drafts.commenting.as_ref() == Some(&entry.id);
    if commenting {
        let text = drafts.comments.entry(entry.id.clone()).or_default();
        let mut send = false;
        ui.horizontal(|ui| {
            let field = ui.add(
                egui::TextEdit::singleline(text)
                    .hint_text("Write a comment…")
                    .desired_width(ui.available_width() - 90.0)
                    .margin(egui::vec2(10.0, 7.0)),
            );
            field.widget_info(|| WidgetInfo::labeled(Role::TextInput, true, "Your comment"));
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            send = (buttons::secondary(ui, "Send").clicked() || enter) && !text.trim().is_empty();
        });
        if send {
            // The text stays in its field until the comment is stored.
            out.push(Command::Comment {
                id: entry.id.clone(),
                text: text.trim().to_owned(),
            });
        }
    }
    ui.add_space(2.0);
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 16.0;
        let picking = drafts.reacting.as_ref() == Some(&entry.id);
        let react = if picking { "Close reactions" } else { "React" };
        if buttons::small(ui, react).clicked() {
            drafts.reacting = (!picking).then(|| entry.id.clone());
        }
        if !commenting && buttons::small(ui, "Comment").clicked() {
            drafts.commenting = Some(entry.id.clone());
        }
        if mine
            && drafts.editing.is_none()
            && editable(&entry.content)
            && buttons::small(ui, "Edit").clicked()
        {
            drafts.editing = Some(EditDraft::of(entry));
        }
        let showing = drafts
            .history
            .as_ref()
            .is_some_and(|(id, _)| *id == entry.id);
        if entry.edited_ms > entry.created_ms && !showing && buttons::small(ui, "History").clicked()
        {
            drafts.history = Some((entry.id.clone(), None));
            out.push(Command::LoadHistory {
                id: entry.id.clone(),
            });
        }
        if mine && !entry.deleted && entry.sealing == hearth::Sealing::Sealed {
            let partner = look.people.partner_name();
            let open = buttons::small(ui, &format!("Show {partner} now"));
            let why = if entry.kind() == hearth::EntryKind::Letter {
                format!("Your letter is sealed until its moment. Open it to {partner} now instead.")
            } else {
                format!(
                    "Your answer is sealed until {partner} answers this question too. Show it \
                     to {partner} now instead."
                )
            };
            let open = open.on_hover_text(why);
            if open.clicked() {
                out.push(Command::OpenAnswer {
                    id: entry.id.clone(),
                });
            }
        }
        if mine {
            if drafts.deleting.as_ref() == Some(&entry.id) {
                if buttons::small(ui, "Yes, delete it").clicked() {
                    out.push(Command::Delete {
                        id: entry.id.clone(),
                    });
                    drafts.deleting = None;
                }
                if buttons::small(ui, "Keep it").clicked() {
                    drafts.deleting = None;
                }
            } else if buttons::small(ui, "Delete").clicked() {
                drafts.deleting = Some(entry.id.clone());
            }
        }
    });
    if mine && drafts.deleting.as_ref() == Some(&entry.id) {
        ui.label(
            RichText::new(
                "Its words and the comments on it are cleared on both devices (the journal's \
                 sealed history still holds them).",
            )
            .color(Palette::of(ui).quiet)
            .size(13.0),
        );
    }
}

/// An entry's versions, oldest first, when its history is open: each with when, who and on which
/// device, and (for one's own entry) a way to bring an earlier one back.
fn history(
    ui: &mut egui::Ui,
    entry: &Entry,
    look: &Look<'_>,
    mine: bool,
    drafts: &mut Drafts,
    out: &mut Vec<Command>,
) {
    let Some((id, versions)) = &drafts.history else {
        return;
    };
    if *id != entry.id {
        return;
    }
    let p = Palette::of(ui);
    let mut close = false;
    ui.add_space(6.0);
    egui::Frame::new()
        .fill(p.page)
        .corner_radius(egui::CornerRadius::same(8))
        .inner_margin(egui::Margin::symmetric(14, 10))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new("History").strong().color(p.text));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    close = buttons::small(ui, "Close history").clicked();
                });
            });
            let Some(versions) = versions else {
                ui.spinner();
                return;
            };
            let newest = versions.len();
            for version in versions.iter().rev() {
                ui.add_space(4.0);
                let mut heading = format!(
                    "Version {} · {} · {}",
                    version.number,
                    wording::when(version.at_ms, look.now_ms, look.zone),
                    look.name(&version.by)
                );
                if let Some(device) = &version.device {
                    heading.push_str(&format!(" on {device}"));
                }
                if version.number == newest {
                    heading.push_str(" · current");
                }
                ui.label(RichText::new(heading).color(p.quiet).size(13.5));
                let text = match &version.content {
                    Content::CheckIn { mood, why } => format!("{}/10 — {why}", mood.get()),
                    Content::HiddenAnswer { .. } => {
                        "An answer that opens once you have both answered.".to_owned()
                    }
                    content => content.main_text(),
                };
                ui.label(RichText::new(text).color(p.text));
                if mine
                    && version.number != newest
                    && buttons::small(ui, &format!("Bring back version {}", version.number))
                        .clicked()
                {
                    out.push(Command::Restore {
                        id: entry.id.clone(),
                        number: version.number,
                    });
                }
            }
        });
    if close {
        drafts.history = None;
    }
}

fn editable(content: &Content) -> bool {
    !matches!(content, Content::Bid { .. })
}

impl EditDraft {
    fn of(entry: &Entry) -> Self {
        let (body, lines, mood) = match &entry.content {
            Content::Journal { body }
            | Content::Appreciation { body, .. }
            | Content::Answer { body, .. }
            | Content::Bid { body, .. } => (body.clone(), Vec::new(), 5),
            Content::HiddenAnswer { .. } => (String::new(), Vec::new(), 5),
            Content::CheckIn { mood, why } => (why.clone(), Vec::new(), mood.get()),
            Content::Gratitude { lines, .. } => (String::new(), lines.clone(), 5),
            Content::Debrief { hard, helped } => {
                (String::new(), vec![hard.clone(), helped.clone()], 5)
            }
            Content::Letter { body, .. } => (body.clone(), Vec::new(), 5),
            Content::SealedLetter { .. } => (String::new(), Vec::new(), 5),
        };
        EditDraft {
            id: entry.id.clone(),
            body,
            lines,
            mood,
        }
    }
}

fn edit_form(ui: &mut egui::Ui, entry: &Entry, drafts: &mut Drafts, out: &mut Vec<Command>) {
    let Some(draft) = drafts.editing.as_mut() else {
        return;
    };
    let mut edits = Vec::new();
    match &entry.content {
        content @ (Content::Gratitude { .. } | Content::Debrief { .. }) => {
            let lines = content.lines().unwrap_or_default();
            let debrief = matches!(content, Content::Debrief { .. });
            for (i, line) in draft.lines.iter_mut().enumerate() {
                let name = match (debrief, i) {
                    (true, 0) => "What was hard".to_owned(),
                    (true, _) => "What helped".to_owned(),
                    (false, _) => format!("Line {}", i + 1),
                };
                if debrief {
                    ui.label(RichText::new(&name).strong());
                }
                let field = ui.add(egui::TextEdit::singleline(line).desired_width(f32::INFINITY));
                field.widget_info(|| WidgetInfo::labeled(Role::TextInput, true, name.clone()));
                if lines.get(i).copied() != Some(line.as_str()) {
                    edits.push(Edit::Line {
                        index: i,
                        text: line.clone(),
                    });
                }
            }
        }
        content => {
            if let Content::CheckIn { mood, .. } = content {
                let slider = ui.add(
                    egui::Slider::new(&mut draft.mood, Mood::MIN..=Mood::MAX).text("out of 10"),
                );
                slider.widget_info(|| {
                    WidgetInfo::labeled(Role::Slider, true, "How are you, 1 to 10")
                });
                if draft.mood != mood.get()
                    && let Ok(m) = Mood::new(i64::from(draft.mood))
                {
                    edits.push(Edit::Mood(m));
                }
            }
            let field = ui.add(
                egui::TextEdit::multiline(&mut draft.body)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            );
            field.widget_info(|| WidgetInfo::labeled(Role::TextInput, true, "Edit the text"));
            if content.main_text() != draft.body {
                edits.push(Edit::Body(draft.body.clone()));
            }
        }
    }
    let mut close = false;
    ui.horizontal(|ui| {
        if buttons::primary(ui, "Save").clicked() {
            for edit in edits.drain(..) {
                out.push(Command::Edit {
                    id: entry.id.clone(),
                    edit,
                });
            }
            close = true;
        }
        if buttons::quiet(ui, "Cancel").clicked() {
            close = true;
        }
    });
    if close {
        drafts.editing = None;
    }
}
