//! Small pieces the screens are built from.

pub(crate) mod buttons;
pub(crate) mod card;
pub(crate) mod entry;
pub(crate) mod field;
pub(crate) mod nav;
pub(crate) mod qr;
pub(crate) mod sas;
pub(crate) mod status;
