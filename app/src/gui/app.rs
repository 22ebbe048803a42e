//! The window: one device (or two, side by side, in the demo), the runtime their work runs on,
//! and the remembered preferences.

use std::path::PathBuf;

use hearth::{Options, Passphrase};

use super::demo::Script;
use super::device::Device;
use super::link::Link;
use super::prefs::Prefs;
use super::theme;

/// One device the window shows.
#[derive(Clone, Debug)]
pub struct DeviceSpec {
    /// Its data directory.
    pub data_dir: PathBuf,
    /// How its journal opens (network, key derivation cost, time zone).
    pub options: Options,
    /// A title over it (the demo names its two devices); `None` for the normal window.
    pub title: Option<String>,
    /// Open the journal at once with this passphrase instead of asking for it (the demo, and
    /// tools that measure the window). `None` shows the unlock screen, or first-run set-up.
    pub unlock: Option<Passphrase>,
}

impl DeviceSpec {
    /// A device on the journal in `data_dir` that asks for its passphrase.
    pub fn new(data_dir: impl Into<PathBuf>, options: Options) -> Self {
        DeviceSpec {
            data_dir: data_dir.into(),
            options,
            title: None,
            unlock: None,
        }
    }
}

/// The whole window's state: draw it with [`Gui::ui`] inside any egui frame.
///
/// Field order matters: the devices close their journals on the runtime before the runtime goes
/// away.
pub struct Gui {
    devices: Vec<Device>,
    prefs: Prefs,
    themed: bool,
    script: Option<Script>,
    /// Owned here, used through the handles the devices hold.
    _runtime: tokio::runtime::Runtime,
}

impl Gui {
    /// A window for `devices`, remembering `prefs`.
    pub fn new(devices: Vec<DeviceSpec>, prefs: Prefs) -> anyhow::Result<Gui> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("hearth-worker")
            .enable_all()
            .build()?;
        let devices = devices
            .into_iter()
            .map(|spec| {
                let link = Link::new(runtime.handle().clone(), spec.data_dir, spec.options);
                Device::new(link, spec.title, spec.unlock)
            })
            .collect();
        Ok(Gui {
            devices,
            prefs,
            themed: false,
            script: None,
            _runtime: runtime,
        })
    }

    /// The demo: pairing starts by itself once both devices are open.
    pub(crate) fn with_script(mut self, script: Script) -> Self {
        self.script = Some(script);
        self
    }

    /// The remembered preferences.
    pub fn prefs(&self) -> &Prefs {
        &self.prefs
    }

    /// Whether any device still has work running in the background, or results the window has
    /// not taken in yet. A frame drawn after this turns false shows everything asked for so far.
    pub fn busy(&self) -> bool {
        self.devices.iter().any(Device::busy)
    }

    /// Whether every device has its journal open (past set-up and unlock).
    pub fn is_open(&self) -> bool {
        self.devices.iter().all(Device::is_open)
    }

    /// Whether every device shows Today with its day read, from the journal or from the first
    /// screen kept from the last time while the journal opens.
    pub fn shows_today(&self) -> bool {
        self.devices.iter().all(Device::shows_today)
    }

    /// Draws the window's content into `ui`: the devices side by side, each with its own screens.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if !self.themed {
            theme::install(ui.ctx());
            self.themed = true;
        }
        let ctx = ui.ctx().clone();
        if ctx.options(|o| o.theme_preference) != self.prefs.theme.preference() {
            ctx.set_theme(self.prefs.theme.preference());
        }
        // The style the context holds now (the first frame began before it was installed, and
        // the theme may have just changed).
        ui.set_style(ctx.global_style());
        if let Some(script) = &mut self.script {
            script.banner(ui);
        }
        let count = self.devices.len().max(1);
        let full = ui.available_rect_before_wrap();
        let width = (full.width() / count as f32).floor();
        for (i, device) in self.devices.iter_mut().enumerate() {
            let rect = egui::Rect::from_min_size(
                egui::pos2(full.left() + width * i as f32, full.top()),
                egui::vec2(width, full.height()),
            );
            let mut builder = egui::UiBuilder::new()
                .max_rect(rect)
                .id_salt(("device", i))
                .layout(egui::Layout::top_down(egui::Align::Min));
            if let Some(title) = &device.title {
                builder = builder.accessibility_label(title.clone());
            }
            let mut child = ui.new_child(builder);
            child.set_clip_rect(rect.intersect(ui.clip_rect()));
            device.ui(&mut child, &mut self.prefs);
            if i + 1 < count {
                ui.painter().vline(
                    rect.right(),
                    full.y_range(),
                    egui::Stroke::new(1.0, theme::Palette::of(ui).edge),
                );
            }
        }
        ui.allocate_rect(full, egui::Sense::hover());
        if let Some(script) = &mut self.script {
            script.step(&mut self.devices, &mut self.prefs, ui.ctx());
        }
    }

    /// Closes every journal cleanly (network first, then the store).
    pub fn close(&mut self) {
        for device in &mut self.devices {
            device.close();
        }
    }
}

impl Drop for Gui {
    fn drop(&mut self) {
        self.close();
    }
}

/// The eframe application around a [`Gui`].
pub(crate) struct App {
    pub(crate) gui: Gui,
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.gui.ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, super::prefs::STORAGE_KEY, &self.gui.prefs);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.gui.close();
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        visuals.panel_fill.to_normalized_gamma_f32()
    }
}
