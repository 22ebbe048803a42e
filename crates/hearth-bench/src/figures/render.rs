//! Timeline frame render: the app's own window on the large journal, on the timeline, drawn
//! headless. A frame is egui's pass over the app's UI and the tessellation of what it drew into
//! triangles: everything the CPU does before a GPU would take over. It is timed in CPU time of the
//! drawing thread, first while the reader scrolls (a wheel step every frame, pages read as the
//! view nears their end), then while the view stands still.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::bail;
use egui::{
    Event, FullOutput, Modifiers, MouseWheelSource, MouseWheelUnit, RawInput, Rect, TouchPhase,
};
use hearth_app::gui::{DeviceSpec, Gui, Prefs, Tab};

use crate::fixture::{Couple, any_port, copy_device, options, passphrase};
use crate::measure::Samples;
use crate::report::{Row, Target, Unit};

/// The window's default size.
const WINDOW: egui::Vec2 = egui::vec2(1040.0, 760.0);
/// Sixty frames a second.
const FRAME_SECONDS: f64 = 1.0 / 60.0;
/// Points the view moves per frame while scrolling: a quick flick down the timeline, fast enough
/// that 300 frames pass more than a page of entries (so a page is read while scrolling).
const SCROLL_STEP: f32 = 100.0;
/// How long the window may take to open the journal and show the first page.
const OPEN_TIMEOUT: Duration = Duration::from_secs(300);

/// CPU time this thread has run.
fn thread_cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(
        u64::try_from(t.tv_sec).unwrap_or(0),
        u32::try_from(t.tv_nsec).unwrap_or(0),
    )
}

pub(crate) struct Window {
    ctx: egui::Context,
    pub(crate) gui: Gui,
    time: f64,
    /// Vertices tessellated in the last frame: proof that there was something to draw.
    pub(crate) vertices: usize,
}

impl Window {
    /// The app's window, headless, on one device.
    pub(crate) fn new(spec: DeviceSpec, prefs: Prefs) -> anyhow::Result<Window> {
        Ok(Window {
            ctx: egui::Context::default(),
            gui: Gui::new(vec![spec], prefs)?,
            time: 0.0,
            vertices: 0,
        })
    }

    /// One frame: the UI pass and tessellation. Returns the drawing thread's CPU time.
    pub(crate) fn frame(&mut self, scroll: bool) -> anyhow::Result<Duration> {
        let mut input = RawInput {
            screen_rect: Some(Rect::from_min_size(egui::Pos2::ZERO, WINDOW)),
            time: Some(self.time),
            ..RawInput::default()
        };
        self.time += FRAME_SECONDS;
        // The pointer rests over the timeline, where a wheel scrolls it.
        input.events.push(Event::PointerMoved(egui::pos2(
            WINDOW.x / 2.0,
            WINDOW.y * 0.6,
        )));
        if scroll {
            input.events.push(Event::MouseWheel {
                unit: MouseWheelUnit::Point,
                delta: egui::vec2(0.0, -SCROLL_STEP),
                phase: TouchPhase::Move,
                source: MouseWheelSource::Unknown,
                modifiers: Modifiers::NONE,
            });
        }
        let start = thread_cpu();
        let gui = &mut self.gui;
        let FullOutput {
            shapes,
            pixels_per_point,
            mut textures_delta,
            ..
        } = self.ctx.run_ui(input, |ui| gui.ui(ui));
        let primitives = self.ctx.tessellate(shapes, pixels_per_point);
        let took = thread_cpu() - start;
        self.vertices = primitives
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(mesh) => mesh.vertices.len(),
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum();
        // No GPU takes the font atlas.
        textures_delta.clear();
        Ok(took)
    }
}

pub fn run(couple: &Couple, frames: usize, scratch: &Path) -> anyhow::Result<Row> {
    let dir = tempfile::tempdir_in(scratch)?;
    let device = dir.path().join("ada");
    copy_device(&couple.ada, &device)?;
    let spec = DeviceSpec {
        data_dir: device,
        options: options(any_port(), false),
        title: None,
        unlock: Some(passphrase()),
    };
    let prefs = Prefs {
        tab: Tab::Timeline,
        ..Prefs::default()
    };
    let mut window = Window::new(spec, prefs)?;

    // Open the journal and show the first page, then let the layout settle (a card's height is
    // known once it has been drawn).
    let deadline = Instant::now() + OPEN_TIMEOUT;
    while !window.gui.is_open() || window.gui.busy() {
        if Instant::now() > deadline {
            bail!("the window did not open the journal within {OPEN_TIMEOUT:?}");
        }
        window.frame(false)?;
        std::thread::sleep(Duration::from_millis(5));
    }
    for _ in 0..10 {
        window.frame(false)?;
    }

    let mut scrolling = Samples::new();
    let mut waiting = 0;
    for _ in 0..frames.max(1) {
        scrolling.push_duration(window.frame(true)?);
        waiting += usize::from(window.gui.busy());
    }
    // Pages asked for while scrolling arrive; then the view stands still.
    while window.gui.busy() && Instant::now() < deadline {
        window.frame(false)?;
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut still = Samples::new();
    for _ in 0..frames.max(1) {
        still.push_duration(window.frame(false)?);
    }
    if window.vertices < 1_000 {
        bail!(
            "the timeline drew only {} vertices: it is not showing the journal",
            window.vertices
        );
    }
    window.gui.close();

    Ok(Row::new(
        "render",
        format!(
            "timeline frame render with {} entries (egui, headless, scrolling)",
            couple.written.entries
        ),
        Unit::Ms,
        &scrolling,
    )
    .tail()
    .target(Target::Max { max: 4.0 })
    .note(format!(
        "CPU time of the drawing thread for the UI pass and tessellation, {} frames scrolling {SCROLL_STEP} points each ({waiting} of them with a page being read); standing still: {:.2} ms median, {:.2} ms p99 ({} vertices a frame)",
        scrolling.len(),
        still.median(),
        still.quantile(0.99),
        window.vertices
    )))
}
