//! The look: a warm palette for light and dark, generous spacing, rounded shapes, readable sizes.

use egui::{Color32, CornerRadius, FontFamily, FontId, Margin, Shadow, Stroke, TextStyle, Theme};

/// The colours one theme uses.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Palette {
    /// The page behind everything.
    pub(crate) page: Color32,
    /// Cards on the page.
    pub(crate) card: Color32,
    /// A card's edge.
    pub(crate) edge: Color32,
    /// Body text.
    pub(crate) text: Color32,
    /// Quieter text: dates, hints.
    pub(crate) quiet: Color32,
    /// The accent: this person, primary buttons, the selected tab.
    pub(crate) accent: Color32,
    /// Text on the accent.
    pub(crate) on_accent: Color32,
    /// A soft wash of the accent, behind highlighted cards.
    pub(crate) accent_soft: Color32,
    /// The partner's colour (charts, their name).
    pub(crate) partner: Color32,
    /// Online, all well.
    pub(crate) calm: Color32,
    /// Something went wrong (used sparingly).
    pub(crate) alert: Color32,
    /// Text fields.
    pub(crate) field: Color32,
}

const LIGHT: Palette = Palette {
    page: Color32::from_rgb(0xFA, 0xF4, 0xEA),
    card: Color32::from_rgb(0xFF, 0xFC, 0xF7),
    edge: Color32::from_rgb(0xEC, 0xDF, 0xCD),
    text: Color32::from_rgb(0x3B, 0x2E, 0x28),
    quiet: Color32::from_rgb(0x8C, 0x7A, 0x6D),
    accent: Color32::from_rgb(0xC2, 0x5E, 0x3A),
    on_accent: Color32::from_rgb(0xFF, 0xF8, 0xF1),
    accent_soft: Color32::from_rgb(0xF7, 0xE4, 0xD6),
    partner: Color32::from_rgb(0x5B, 0x8C, 0x78),
    calm: Color32::from_rgb(0x5B, 0x8C, 0x78),
    alert: Color32::from_rgb(0xB0, 0x3A, 0x2E),
    field: Color32::from_rgb(0xFF, 0xFE, 0xFB),
};

const DARK: Palette = Palette {
    page: Color32::from_rgb(0x1F, 0x1A, 0x17),
    card: Color32::from_rgb(0x2B, 0x24, 0x20),
    edge: Color32::from_rgb(0x3D, 0x33, 0x2D),
    text: Color32::from_rgb(0xF1, 0xE7, 0xDB),
    quiet: Color32::from_rgb(0xA8, 0x98, 0x8A),
    accent: Color32::from_rgb(0xE9, 0xA6, 0x4C),
    on_accent: Color32::from_rgb(0x2A, 0x1E, 0x12),
    accent_soft: Color32::from_rgb(0x45, 0x35, 0x26),
    partner: Color32::from_rgb(0x8F, 0xBF, 0xA5),
    calm: Color32::from_rgb(0x8F, 0xBF, 0xA5),
    alert: Color32::from_rgb(0xE5, 0x7A, 0x66),
    field: Color32::from_rgb(0x24, 0x1E, 0x1B),
};

impl Palette {
    /// The palette of the theme `ui` is drawn in.
    pub(crate) fn of(ui: &egui::Ui) -> Palette {
        if ui.visuals().dark_mode { DARK } else { LIGHT }
    }
}

/// Corner radius of cards.
pub(crate) const CARD_RADIUS: u8 = 16;
/// Corner radius of buttons and fields.
pub(crate) const WIDGET_RADIUS: u8 = 10;

/// The text style of big titles (welcome, unlock).
pub(crate) fn title() -> TextStyle {
    TextStyle::Name("title".into())
}

/// Installs both themes' styles on `ctx`.
pub(crate) fn install(ctx: &egui::Context) {
    ctx.style_mut_of(Theme::Light, |style| apply(style, &LIGHT, false));
    ctx.style_mut_of(Theme::Dark, |style| apply(style, &DARK, true));
}

fn apply(style: &mut egui::Style, p: &Palette, dark: bool) {
    style.text_styles = [
        (
            TextStyle::Small,
            FontId::new(13.0, FontFamily::Proportional),
        ),
        (TextStyle::Body, FontId::new(16.5, FontFamily::Proportional)),
        (
            TextStyle::Button,
            FontId::new(16.0, FontFamily::Proportional),
        ),
        (
            TextStyle::Monospace,
            FontId::new(14.0, FontFamily::Monospace),
        ),
        (
            TextStyle::Heading,
            FontId::new(24.0, FontFamily::Proportional),
        ),
        (title(), FontId::new(34.0, FontFamily::Proportional)),
    ]
    .into();

    let s = &mut style.spacing;
    s.item_spacing = egui::vec2(10.0, 10.0);
    s.button_padding = egui::vec2(16.0, 8.0);
    s.interact_size = egui::vec2(40.0, 34.0);
    s.window_margin = Margin::same(20);
    s.text_edit_width = 320.0;
    s.slider_width = 260.0;
    s.icon_width = 20.0;
    s.icon_width_inner = 12.0;
    s.icon_spacing = 8.0;

    let v = &mut style.visuals;
    *v = if dark {
        egui::Visuals::dark()
    } else {
        egui::Visuals::light()
    };
    v.panel_fill = p.page;
    v.window_fill = p.card;
    v.window_stroke = Stroke::new(1.0, p.edge);
    v.window_corner_radius = CornerRadius::same(CARD_RADIUS);
    v.window_shadow = Shadow {
        offset: [0, 6],
        blur: 18,
        spread: 0,
        color: Color32::from_black_alpha(if dark { 90 } else { 28 }),
    };
    v.popup_shadow = v.window_shadow;
    v.menu_corner_radius = CornerRadius::same(WIDGET_RADIUS);
    v.faint_bg_color = p.accent_soft;
    v.extreme_bg_color = p.field;
    v.text_edit_bg_color = Some(p.field);
    v.code_bg_color = p.accent_soft;
    v.hyperlink_color = p.accent;
    v.warn_fg_color = p.accent;
    v.error_fg_color = p.alert;
    v.override_text_color = Some(p.text);
    v.weak_text_color = Some(p.quiet);
    v.selection.bg_fill = p.accent.gamma_multiply(0.35);
    v.selection.stroke = Stroke::new(1.5, p.accent);
    v.text_cursor.stroke = Stroke::new(2.0, p.accent);

    let radius = CornerRadius::same(WIDGET_RADIUS);
    let w = &mut v.widgets;
    w.noninteractive.bg_fill = p.card;
    w.noninteractive.weak_bg_fill = p.card;
    w.noninteractive.bg_stroke = Stroke::new(1.0, p.edge);
    w.noninteractive.fg_stroke = Stroke::new(1.0, p.text);
    w.noninteractive.corner_radius = radius;
    for (state, fill, stroke) in [
        (&mut w.inactive, p.accent_soft, p.edge),
        (&mut w.hovered, p.accent_soft, p.accent),
        (&mut w.active, p.accent_soft, p.accent),
        (&mut w.open, p.accent_soft, p.accent),
    ] {
        state.bg_fill = fill;
        state.weak_bg_fill = fill;
        state.bg_stroke = Stroke::new(1.0, stroke);
        state.fg_stroke = Stroke::new(1.5, p.text);
        state.corner_radius = radius;
        state.expansion = 0.0;
    }
    w.inactive.bg_fill = p.edge;
    w.inactive.bg_stroke = Stroke::new(1.0, p.edge);
}
