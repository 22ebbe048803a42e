//! One module per figure of the table: each measures the figure and its baseline and returns rows.

pub mod alone;
pub mod bulk_sync;
pub mod cold_open;
pub mod first_screen;
pub mod four_devices;
pub mod latency;
pub mod local_write;
pub mod mailbox;
pub mod memory;
pub mod new_entry;
pub mod refresh;
pub mod render;
