//! The desktop app: a calm, warm place for two, drawn with egui.
//!
//! The window never waits: each device's facade runs on a tokio runtime the window owns; screens
//! return commands that become background tasks, whose results come back over a channel and wake
//! the window. Each device's whole app is drawn into its own part of the window, so the demo can
//! show two side by side.
//!
//! [`run`] opens the app's window and [`run_demo`] the demo's. [`Gui`] is the window's content on
//! its own: anything that runs egui frames can draw it, which is how the tests drive it and how
//! the time a frame takes is measured. For example, the timeline of a journal that exists already,
//! drawn without a window:
//!
//! ```no_run
//! use hearth_app::gui::{DeviceSpec, Gui, Prefs, Tab};
//!
//! # fn main() -> anyhow::Result<()> {
//! let mut device = DeviceSpec::new("journal-dir", hearth_app::gui::default_options());
//! device.unlock = Some(hearth::Passphrase::new("correct horse battery staple"));
//! let prefs = Prefs { tab: Tab::Timeline, ..Prefs::default() };
//! let mut gui = Gui::new(vec![device], prefs)?;
//! let ctx = egui::Context::default();
//! let input = || egui::RawInput {
//!     screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1000.0, 760.0))),
//!     ..egui::RawInput::default()
//! };
//! // Draw frames until the journal is open and its first page of entries is shown.
//! while !gui.is_open() || gui.busy() {
//!     let _ = ctx.run_ui(input(), |ui| gui.ui(ui));
//!     std::thread::sleep(std::time::Duration::from_millis(5));
//! }
//! let frame = ctx.run_ui(input(), |ui| gui.ui(ui));
//! # let _ = frame;
//! # Ok(())
//! # }
//! ```
//!
//! # Layers
//!
//! The window's modules are layered. A module uses only the layers below its own, never one above:
//! the dependencies point one way, so a screen reads, and draws in a test, on its own.
//!
//! ```text
//!   app, demo   the window: the runtime, the devices side by side (each given its `link`), and
//!       │       the demo's script
//!   device      one device's controller: owns its `Session` (each screen's state, and the work
//!       │       running for them), applies the commands, takes in the replies; it alone reaches
//!       │       the facade, through `link` (`device::tasks`: the calls behind the commands)
//!   layout      one device's page: set-up or unlock, or the open journal's bars, note and screen
//!       │
//!   screens     the views, one a screen
//!       │
//!   widgets     the pieces views are made of: buttons, cards, an entry's card, the bars
//!       │
//!   plain       command, prefs, theme, wording, rituals, secret, emoji, and the data of `reply`:
//!               data and helpers that use nothing above them
//! ```
//!
//! - A view is `ui(state, people, …, ui) -> Vec<Command>`: it draws the state it is given, changes
//!   only that state (what is typed, what is open), and returns what the person asked for as
//!   commands. Its other inputs are plain data: the people, the facade's data (`hearth::Status`),
//!   the preferences, the time zone.
//! - No view (layout, screen or widget) sees `Session`, `Device` or `link`, or starts work: the
//!   controller applies the commands after the frame is drawn, and what comes back reaches the
//!   views as their state.
//! - What a view and the controller both need (the timeline's page size and filter) lives with the
//!   view; the controller imports it from there.
//! - Of `reply`, views use only the plain data (`People`, the pairing's steps); `Reply` itself,
//!   which carries the journal's handle, is the controller's.

mod app;
mod command;
mod demo;
mod device;
mod emoji;
mod layout;
mod link;
mod prefs;
mod reply;
mod rituals;
mod screens;
mod secret;
mod theme;
mod widgets;
mod wording;

use std::path::PathBuf;

pub use app::{DeviceSpec, Gui};
pub use prefs::{Prefs, Reminder, Reminders, Tab, ThemeChoice, TimeOfDay};

/// The options a device of the desktop app opens with: the local time zone from the system.
pub fn default_options() -> hearth::Options {
    crate::local::default_options()
}

/// Where the app keeps this device's journal when no directory is given.
pub fn default_data_dir() -> anyhow::Result<PathBuf> {
    crate::local::default_data_dir()
}

/// Opens the window on the journal in `data_dir`, and returns when it is closed.
pub fn run(data_dir: PathBuf) -> anyhow::Result<()> {
    let spec = DeviceSpec::new(data_dir, default_options());
    let gui = move |prefs| Gui::new(vec![spec], prefs);
    open_window("Hearth", "hearth", egui::vec2(1040.0, 760.0), gui)
}

/// The names of the demo's two people.
const DEMO_PEOPLE: [&str; 2] = ["Maya", "Theo"];

/// Opens the demo: two devices side by side, each with a new journal in a temporary directory,
/// pairing and syncing over loopback. Returns when the window is closed; the journals are deleted.
pub fn run_demo() -> anyhow::Result<()> {
    let passphrase = hearth::Passphrase::new("a demo passphrase, thrown away at the end");
    let options = hearth::Options {
        network: Some(hearth::NetworkMode::Local),
        bind: Some(std::net::SocketAddr::from((
            std::net::Ipv4Addr::LOCALHOST,
            0,
        ))),
        mdns: false,
        ..default_options()
    };
    let dirs = [
        tempfile::Builder::new().prefix("hearth-demo-").tempdir()?,
        tempfile::Builder::new().prefix("hearth-demo-").tempdir()?,
    ];
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let offline = hearth::Options {
            start_network: false,
            ..options.clone()
        };
        let made = tokio::join!(
            hearth::Hearth::create(dirs[0].path(), &passphrase, DEMO_PEOPLE[0], offline.clone()),
            hearth::Hearth::create(dirs[1].path(), &passphrase, DEMO_PEOPLE[1], offline),
        );
        for hearth in [made.0, made.1] {
            hearth
                .map_err(|e| anyhow::anyhow!("could not set up the demo's journals: {e}"))?
                .shutdown()
                .await;
        }
        anyhow::Ok(())
    })?;
    drop(runtime);
    let specs: Vec<DeviceSpec> = dirs
        .iter()
        .zip(DEMO_PEOPLE)
        .map(|(dir, name)| DeviceSpec {
            data_dir: dir.path().to_path_buf(),
            options: options.clone(),
            title: Some(format!("{name}'s laptop")),
            unlock: Some(passphrase.clone()),
        })
        .collect();
    let gui = move |prefs: Prefs| {
        let prefs = Prefs {
            tab: Tab::Today,
            ..prefs
        };
        Ok(Gui::new(specs, prefs)?.with_script(demo::Script::new()))
    };
    open_window("Hearth demo", "hearth-demo", egui::vec2(1440.0, 880.0), gui)
    // The window has closed the journals; the directories go now.
}

fn open_window(
    title: &str,
    app_id: &str,
    size: egui::Vec2,
    gui: impl FnOnce(Prefs) -> anyhow::Result<Gui> + 'static,
) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(title)
            .with_app_id(app_id)
            .with_inner_size(size)
            .with_min_inner_size([560.0, 480.0]),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        app_id,
        options,
        Box::new(move |cc| {
            let prefs: Prefs = cc
                .storage
                .and_then(|s| eframe::get_value(s, prefs::STORAGE_KEY))
                .unwrap_or_default();
            Ok(Box::new(app::App { gui: gui(prefs)? }))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}
