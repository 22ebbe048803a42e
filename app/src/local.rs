//! Where this device keeps its journal, and its local time: what the window and the command line
//! both start from, in every build (the headless one too).

use std::path::PathBuf;

/// The options a device opens with: the local time zone from the system.
pub fn default_options() -> hearth::Options {
    hearth::Options {
        time_zone: hearth::Zone::system(),
        ..hearth::Options::default()
    }
}

/// Where this device keeps its journal when no directory is given: the platform's data directory
/// for Hearth.
pub fn default_data_dir() -> anyhow::Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("org", "Hearth", "Hearth")
        .ok_or_else(|| anyhow::anyhow!("could not find a home directory for Hearth's data"))?;
    Ok(dirs.data_dir().to_path_buf())
}
