//! Insights: both partners' check-ins over weeks, drawn together, and what the two shared —
//! counted for the couple, never one against the other; all computed on this device.

use egui::RichText;
use egui_plot::{GridMark, Legend, Line, MarkerShape, Plot, PlotPoints, Points};
use hearth::Insights;

use crate::gui::command::Command;
use crate::gui::reply::People;
use crate::gui::theme::Palette;
use crate::gui::widgets::{buttons, card};

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

/// Draws the screen; returns what was asked for.
pub(crate) fn ui(state: &mut State, people: &People, ui: &mut egui::Ui) -> Vec<Command> {
    let p = Palette::of(ui);
    let mut out = Vec::new();
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
                        if buttons::chip(ui, state.weeks == weeks, &name).clicked() {
                            out.push(Command::LoadInsights { weeks });
                        }
                    }
                });
                let Some(data) = &state.data else {
                    ui.spinner();
                    return;
                };
                card::card(ui, |ui| mood_chart(ui, state.weeks, people, data, p));
                ui.add_space(2.0);
                if data.start_small {
                    ui.label(
                        RichText::new(
                            "You're starting small: nothing is counted here, only how you felt.",
                        )
                        .color(p.quiet),
                    );
                } else {
                    together(ui, people, data, p);
                }
            });
        });
    out
}

fn mood_chart(ui: &mut egui::Ui, weeks: u32, people: &People, data: &Insights, p: Palette) {
    ui.label(RichText::new("Check-ins").size(19.0).strong().color(p.text));
    ui.label(
        RichText::new("How each of you felt inside, from 1 to 10, day by day.")
            .color(p.quiet)
            .size(14.5),
    );
    ui.add_space(4.0);
    if data.moods.values().all(Vec::is_empty) {
        ui.add_space(8.0);
        ui.label(
            RichText::new(
                "No check-ins yet in these weeks. A quick one each morning draws the picture here.",
            )
            .color(p.quiet),
        );
        return;
    }
    let now = hearth::UnixMs::now().as_millis() as f64;
    let weeks = f64::from(weeks);
    let plot = Plot::new("moods")
        .height(240.0)
        .default_x_bounds(-weeks * 7.0 - 0.5, 0.5)
        .default_y_bounds(0.5, 10.5)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_background(false)
        .show_x(false)
        .show_y(false)
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        // A line a week, and a line at each of 1, 4, 7 and 10.
        .x_grid_spacer(move |_| {
            (0..=weeks as i64)
                .map(|w| GridMark {
                    value: -(w as f64) * 7.0,
                    step_size: 7.0,
                })
                .collect()
        })
        .y_grid_spacer(|_| {
            [1.0, 4.0, 7.0, 10.0]
                .map(|value| GridMark {
                    value,
                    step_size: 3.0,
                })
                .to_vec()
        })
        .x_axis_formatter(|mark, _| match (-mark.value / 7.0).round() as i64 {
            0 => "today".into(),
            w => format!("{w} wk ago"),
        })
        .y_axis_formatter(|mark, _| format!("{}", mark.value as i64));
    // Grid and labels in the quiet colour: the people's lines are what matter.
    ui.visuals_mut().override_text_color = Some(p.quiet.gamma_multiply(0.8));
    plot.show(ui, |plot| {
        for (member, points) in &data.moods {
            let mine = *member == people.me.id;
            let color = if mine { p.accent } else { p.partner };
            let xy: Vec<[f64; 2]> = points
                .iter()
                .map(|m| {
                    [
                        (m.at_ms.as_millis() as f64 - now) / DAY_MS,
                        f64::from(m.mood.get()),
                    ]
                })
                .collect();
            let name = people.name_of(member).to_owned();
            plot.line(
                Line::new(name.clone(), PlotPoints::from(xy.clone()))
                    .color(color)
                    .width(2.5),
            );
            plot.points(
                Points::new(name, PlotPoints::from(xy))
                    .color(color)
                    .radius(4.5)
                    .shape(MarkerShape::Circle),
            );
        }
    });
}

/// What the two did together, counted for the couple: never one against the other.
fn together(ui: &mut egui::Ui, people: &People, data: &Insights, p: Palette) {
    let t = data.together;
    let partner = people.partner_name();
    card::card(ui, |ui| {
        ui.label(
            RichText::new(format!("You and {partner}, together"))
                .size(19.0)
                .strong()
                .color(p.text),
        );
        ui.label(
            RichText::new("What the two of you shared in these weeks.")
                .color(p.quiet)
                .size(14.5),
        );
        ui.add_space(8.0);
        let figures = [
            ("💛", t.gratitude, "bedtime gratitudes"),
            ("🌷", t.appreciations, "appreciations"),
            ("👋", t.bids_turned_toward, "bids turned toward"),
            (
                "💬",
                t.questions_answered_together,
                "questions you both answered",
            ),
            ("🔥", t.rituals_kept, "rituals kept"),
        ];
        ui.columns(figures.len(), |cols| {
            for (col, (icon, count, what)) in cols.iter_mut().zip(figures) {
                col.vertical_centered(|ui| {
                    ui.label(RichText::new(icon).size(22.0));
                    ui.label(
                        RichText::new(count.to_string())
                            .size(26.0)
                            .strong()
                            .color(p.accent),
                    );
                    ui.label(RichText::new(what).color(p.quiet).size(14.0));
                });
            }
        });
        if t == hearth::Together::default() {
            ui.add_space(6.0);
            ui.label(
                RichText::new(
                    "Nothing shared in these weeks yet — a word of thanks tonight is a fine start.",
                )
                .color(p.quiet),
            );
        }
    });
}
