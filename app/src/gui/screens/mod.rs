//! The screens, one file each: their state and how they draw.

pub(crate) mod compose;
pub(crate) mod insights;
pub(crate) mod pairing;
pub(crate) mod rituals;
pub(crate) mod settings;
pub(crate) mod setup;
pub(crate) mod timeline;
pub(crate) mod today;
pub(crate) mod unlock;
