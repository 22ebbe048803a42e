//! Insights: both partners' check-ins over weeks, and the small habits counted — all computed on
//! this device, never sent anywhere.

use egui::RichText;
use egui_plot::{Legend, Line, MarkerShape, Plot, PlotPoints, Points};
use hearth::{Insights, MemberId};

use crate::gui::command::Command;
use crate::gui::device::Session;
use crate::gui::theme::Palette;
use crate::gui::widgets::{buttons, card};
use crate::gui::words::now_ms;

const DAY_MS: f64 = 86_400_000.0;

/// The insights screen.
pub(crate) struct State {
    pub(crate) weeks: u32,
    pub(crate) data: Option<Insights>,
}

impl Default for State {
    fn default() -> Self {
        State {
            weeks: 8,
            data: None,
        }
    }
}

pub(crate) fn ui(ui: &mut egui::Ui, session: &mut Session, out: &mut Vec<Command>) {
    let p = Palette::of(ui);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            card::column(ui, 760.0, |ui| {
                ui.add_space(6.0);
                ui.label(RichText::new("How we've been").size(28.0).color(p.text));
                ui.label(
                    RichText::new(
                        "Worked out here on this device from your journal — never sent anywhere.",
                    )
                    .color(p.quiet),
                );
                ui.horizontal(|ui| {
                    for weeks in [4, 8, 26] {
                        let name = format!("{weeks} weeks");
                        if buttons::chip(ui, session.insights.weeks == weeks, &name).clicked() {
                            out.push(Command::LoadInsights { weeks });
                        }
                    }
                });
                let Some(data) = session.insights.data.clone() else {
                    ui.spinner();
                    return;
                };
                card::card(ui, |ui| mood_chart(ui, session, &data, p));
                ui.add_space(4.0);
                counts(ui, session, &data, p);
            });
        });
}

fn series_name(session: &Session, id: &MemberId) -> String {
    session.name_of(id).to_owned()
}

fn mood_chart(ui: &mut egui::Ui, session: &Session, data: &Insights, p: Palette) {
    ui.label(RichText::new("Check-ins").heading().color(p.text));
    if data.moods.values().all(Vec::is_empty) {
        ui.label(
            RichText::new(
                "No check-ins yet in these weeks. A quick one each morning draws the picture here.",
            )
            .color(p.quiet),
        );
        return;
    }
    let now = now_ms() as f64;
    let weeks = f64::from(session.insights.weeks);
    let plot = Plot::new("moods")
        .height(260.0)
        .include_y(0.5)
        .include_y(10.5)
        .include_x(-weeks * 7.0)
        .include_x(0.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_background(false)
        .legend(Legend::default())
        .x_axis_formatter(|mark, _| {
            let days = -mark.value;
            if days.abs() < 0.5 {
                "today".into()
            } else if days % 7.0 == 0.0 {
                format!("{} wk ago", (days / 7.0) as i64)
            } else {
                String::new()
            }
        })
        .y_axis_label("1–10");
    plot.show(ui, |plot| {
        for (member, points) in &data.moods {
            let mine = *member == session.people.me.id;
            let color = if mine { p.accent } else { p.partner };
            let xy: Vec<[f64; 2]> = points
                .iter()
                .map(|m| [(m.at_ms as f64 - now) / DAY_MS, f64::from(m.mood.get())])
                .collect();
            let name = series_name(session, member);
            plot.line(
                Line::new(name.clone(), PlotPoints::from(xy.clone()))
                    .color(color)
                    .width(2.5),
            );
            plot.points(
                Points::new(name, PlotPoints::from(xy))
                    .color(color)
                    .radius(4.0)
                    .shape(MarkerShape::Circle),
            );
        }
    });
}

fn counts(ui: &mut egui::Ui, session: &Session, data: &Insights, p: Palette) {
    let mut people = vec![session.people.me.id.clone()];
    people.extend(session.people.partner.as_ref().map(|m| m.id.clone()));
    ui.columns(3, |cols| {
        let count = |map: &std::collections::BTreeMap<MemberId, usize>, id: &MemberId| {
            map.get(id).copied().unwrap_or(0)
        };
        card::card(&mut cols[0], |ui| {
            ui.label(RichText::new("💛 Gratitude").strong().color(p.text));
            for id in &people {
                ui.label(format!(
                    "{}: {}",
                    session.name_of(id),
                    count(&data.gratitude, id)
                ));
            }
        });
        card::card(&mut cols[1], |ui| {
            ui.label(RichText::new("🌷 Appreciation").strong().color(p.text));
            for id in &people {
                ui.label(format!(
                    "{}: {}",
                    session.name_of(id),
                    count(&data.appreciation, id)
                ));
            }
        });
        card::card(&mut cols[2], |ui| {
            ui.label(
                RichText::new("👋 Bids turned toward")
                    .strong()
                    .color(p.text),
            );
            for id in &people {
                let stats = data.bids.get(id).copied().unwrap_or_default();
                ui.label(format!(
                    "{}: {} of {}",
                    session.name_of(id),
                    stats.turned_toward,
                    stats.made
                ));
            }
        });
    });
}
