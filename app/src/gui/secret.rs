//! A passphrase typed into the window: moved out of egui's field at once, and the field's traces
//! cleared.

use egui::text_edit::TextEditState;
use hearth::Passphrase;
use zeroize::Zeroize;

/// Takes the passphrase out of `field`, leaving it empty, and forgets the text field's undo
/// history (which holds copies of what was typed).
pub(crate) fn take(ctx: &egui::Context, field_id: egui::Id, field: &mut String) -> Passphrase {
    let typed = std::mem::take(field);
    let passphrase = Passphrase::new(typed.as_str());
    let mut typed = typed;
    typed.zeroize();
    forget_field(ctx, field_id);
    passphrase
}

/// Wipes a text field's remembered state (cursor, undo history).
pub(crate) fn forget_field(ctx: &egui::Context, field_id: egui::Id) {
    TextEditState::default().store(ctx, field_id);
}

/// Clears a passphrase field without using it.
pub(crate) fn clear(ctx: &egui::Context, field_id: egui::Id, field: &mut String) {
    field.zeroize();
    forget_field(ctx, field_id);
}

/// How strong a passphrase looks: a gentle hint, not a gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Strength {
    /// Nothing typed yet.
    Empty,
    /// Too short to protect anything.
    Weak,
    /// Would do, could be better.
    Fair,
    /// Long and varied.
    Strong,
}

impl Strength {
    /// A rough estimate from length and variety; long phrases of plain words score well.
    pub(crate) fn of(text: &str) -> Strength {
        let chars = text.chars().count();
        if chars == 0 {
            return Strength::Empty;
        }
        let classes = [
            text.chars().any(char::is_lowercase),
            text.chars().any(char::is_uppercase),
            text.chars().any(|c| c.is_ascii_digit()),
            text.chars().any(|c| !c.is_alphanumeric()),
        ]
        .into_iter()
        .filter(|&b| b)
        .count();
        let words = text.split_whitespace().count();
        match (chars, classes, words) {
            (0..=7, _, _) => Strength::Weak,
            (16.., _, _) | (_, _, 4..) => Strength::Strong,
            (12.., 3.., _) => Strength::Strong,
            (10.., 2.., _) => Strength::Fair,
            _ => Strength::Weak,
        }
    }

    /// The strength in a word.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Strength::Empty => "none yet",
            Strength::Weak => "weak",
            Strength::Fair => "fair",
            Strength::Strong => "strong",
        }
    }

    /// What the hint says.
    pub(crate) fn hint(self) -> &'static str {
        match self {
            Strength::Empty => "A few words only you two would think of make a good passphrase.",
            Strength::Weak => "A little short still — a longer phrase is much harder to guess.",
            Strength::Fair => "Not bad. A few more words would make it stronger.",
            Strength::Strong => "Lovely and strong.",
        }
    }

    /// How full the strength bar is.
    pub(crate) fn fraction(self) -> f32 {
        match self {
            Strength::Empty => 0.0,
            Strength::Weak => 0.25,
            Strength::Fair => 0.6,
            Strength::Strong => 1.0,
        }
    }
}
