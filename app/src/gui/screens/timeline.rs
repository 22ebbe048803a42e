//! The timeline: every entry, newest first, filtered by kind and author, searchable. Only the
//! cards in view are laid out, so thousands of entries scroll smoothly; older pages are read as
//! the reader nears the end.

use egui::RichText;
use hearth::{EntryId, EntryKind, Filter, Item, MemberId, Page};

use crate::gui::command::Command;
use crate::gui::reply::People;
use crate::gui::theme::Palette;
use crate::gui::widgets::entry::{self, Cards, Look};
use crate::gui::widgets::{buttons, card};
use crate::gui::wording;
use hearth::Zone;

/// A card's height before it has been laid out once.
const GUESS: f32 = 150.0;
/// Space between cards.
const GAP: f32 = 12.0;
/// Read the next page when the view is this many cards from the end.
const READ_AHEAD: usize = 20;

/// How many entries one page of the timeline holds.
pub(crate) const PAGE: usize = hearth::FIRST_SCREEN_PAGE;

/// Whose entries to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Author {
    #[default]
    Anyone,
    Me,
    Partner,
}

/// The timeline's state.
#[derive(Default)]
pub(crate) struct State {
    pub(crate) items: Vec<Item>,
    heights: Vec<f32>,
    pub(crate) next: Option<EntryId>,
    pub(crate) loading: bool,
    pub(crate) generation: u64,
    pub(crate) kind: Option<EntryKind>,
    pub(crate) author: Author,
    pub(crate) search: String,
    /// The filter changed since the last read: start again from the top.
    pub(crate) filter_changed: bool,
    /// Entries arrived from the partner since the timeline was last looked at.
    pub(crate) partner_news: bool,
    /// Put the cursor in the search field on the next frame.
    pub(crate) focus_search: bool,
    /// Whether the first read has come back.
    pub(crate) read_once: bool,
}

impl State {
    /// The filter chosen, with "me" and "partner" turned into member ids.
    pub(crate) fn filter(&self, people: &People) -> Filter {
        Filter {
            kind: self.kind,
            author: match self.author {
                Author::Anyone => None,
                Author::Me => Some(people.me.id.clone()),
                Author::Partner => people.partner.as_ref().map(|p| p.id.clone()),
            },
            text: Some(self.search.trim().to_owned()).filter(|t| !t.is_empty()),
            // Deleted entries come too, so that one the person had commented on can say that
            // their comments went with it; `take` keeps only those.
            include_deleted: true,
            ..Filter::default()
        }
    }

    /// How many entries a fresh read asks for: as many as are shown, so a refresh keeps the
    /// reader's place.
    pub(crate) fn reload_limit(&mut self) -> usize {
        if std::mem::take(&mut self.filter_changed) {
            PAGE
        } else {
            self.items.len().max(PAGE)
        }
    }

    /// Takes in a page read for `generation`. Returns whether it was taken: a page of an earlier
    /// read (before the filter changed) is not.
    pub(crate) fn take(
        &mut self,
        mut page: Page,
        append: bool,
        generation: u64,
        me: &MemberId,
    ) -> bool {
        if generation != self.generation {
            return false;
        }
        page.items
            .retain(|i| !i.entry.deleted || entry::comments_went_with(&i.entry, me) > 0);
        self.loading = false;
        self.read_once = true;
        if append {
            self.items.extend(page.items);
        } else {
            self.items = page.items;
        }
        self.next = page.next;
        self.heights.resize(self.items.len(), GUESS);
        true
    }
}

/// Draws the timeline; returns what was asked for. `cards` is what entry cards keep across
/// screens, `zone` the local time zone.
pub(crate) fn ui(
    state: &mut State,
    people: &People,
    cards: &mut Cards,
    zone: &Zone,
    ui: &mut egui::Ui,
) -> Vec<Command> {
    let p = Palette::of(ui);
    let mut out = Vec::new();
    state.partner_news = false;
    card::column(ui, 760.0, |ui| {
        ui.add_space(6.0);
        filters(ui, state, people, p, &mut out);
        ui.add_space(4.0);
        if state.items.is_empty() {
            // A page can hold only deleted entries, which `take` drops: the older ones are
            // asked for, so they are not out of reach behind an empty screen.
            if state.next.is_some() && !state.loading {
                out.push(Command::MoreTimeline);
            }
            empty(ui, state, p, &mut out);
            return;
        }
        list(ui, state, people, cards, zone, &mut out);
    });
    out
}

fn filters(ui: &mut egui::Ui, t: &mut State, people: &People, p: Palette, out: &mut Vec<Command>) {
    let partner = people.partner.as_ref().map(|m| m.name.clone());
    let mut changed = false;
    ui.horizontal(|ui| {
        let label = ui.label(RichText::new("🔍").color(p.quiet));
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut t.search)
                    .hint_text("Search your journal")
                    .desired_width(ui.available_width().min(300.0))
                    .margin(egui::vec2(12.0, 7.0)),
            )
            .labelled_by(label.id);
        field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Search"));
        if std::mem::take(&mut t.focus_search) {
            field.request_focus();
        }
        changed |= field.changed();
        if !t.search.is_empty() && buttons::small(ui, "Clear").clicked() {
            t.search.clear();
            changed = true;
        }
        // Whose entries: only worth asking once there are two people.
        if let Some(partner) = &partner {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                buttons::compact(ui);
                for (author, name) in [
                    (Author::Partner, partner.as_str()),
                    (Author::Me, "Mine"),
                    (Author::Anyone, "Both of us"),
                ] {
                    if buttons::chip(ui, t.author == author, name).clicked() && t.author != author {
                        t.author = author;
                        changed = true;
                    }
                }
            });
        }
    });
    ui.horizontal_wrapped(|ui| {
        buttons::compact(ui);
        for (kind, name) in [(None, "Everything")]
            .into_iter()
            .chain(EntryKind::ALL.map(|k| (Some(k), wording::kind_name(k))))
        {
            if buttons::chip(ui, t.kind == kind, name).clicked() && t.kind != kind {
                t.kind = kind;
                changed = true;
            }
        }
    });
    if changed {
        t.filter_changed = true;
        out.push(Command::ReloadTimeline);
    }
}

fn empty(ui: &mut egui::Ui, t: &State, p: Palette, out: &mut Vec<Command>) {
    ui.add_space(30.0);
    ui.vertical_centered(|ui| {
        if t.loading || !t.read_once {
            ui.spinner();
        } else if t.kind.is_some() || t.author != Author::Anyone || !t.search.trim().is_empty() {
            ui.label(RichText::new("Nothing matches — try another filter.").color(p.quiet));
        } else {
            ui.label(
                RichText::new("Your journal is waiting for its first page.")
                    .size(18.0)
                    .color(p.text),
            );
            ui.label(
                RichText::new("Write a few lines, a check-in, or a thank-you.").color(p.quiet),
            );
            ui.add_space(8.0);
            if buttons::primary(ui, "Write something").clicked() {
                out.push(Command::Go(crate::gui::prefs::Tab::Compose));
            }
        }
    });
}

fn list(
    ui: &mut egui::Ui,
    t: &mut State,
    people: &People,
    cards: &mut Cards,
    zone: &Zone,
    out: &mut Vec<Command>,
) {
    let now = hearth::UnixMs::now();
    let Cards { drafts } = cards;
    let look = Look {
        people,
        zone,
        now_ms: now,
        full: true,
    };
    let total: f32 = t.heights.iter().map(|h| h + GAP).sum();
    let mut last_drawn = 0;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            ui.set_min_height(total);
            let width = ui.available_width();
            let origin = ui.min_rect().top();
            let mut top = 0.0;
            for (i, item) in t.items.iter().enumerate() {
                let height = t.heights[i];
                if top + height < viewport.min.y {
                    top += height + GAP;
                    continue;
                }
                if top > viewport.max.y {
                    break;
                }
                let rect = egui::Rect::from_min_size(
                    egui::pos2(ui.min_rect().left(), origin + top),
                    egui::vec2(width, height),
                );
                let mut child = ui.new_child(
                    egui::UiBuilder::new()
                        .max_rect(rect)
                        .id_salt(item.entry.id.as_str())
                        .layout(egui::Layout::top_down(egui::Align::Min)),
                );
                entry::card(&mut child, item, &look, drafts, out);
                let measured = child.min_rect().height();
                if (measured - height).abs() > 0.5 {
                    t.heights[i] = measured;
                    ui.ctx().request_repaint();
                }
                last_drawn = i;
                top += t.heights[i] + GAP;
            }
        });
    if last_drawn + READ_AHEAD >= t.items.len() && t.next.is_some() && !t.loading {
        out.push(Command::MoreTimeline);
    }
}
