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
