//! What the window's tests share: real facades in temporary directories, a harness that waits for
//! background work the way a person waits for the screen, and snapshots that ignore only what is
//! meant to change from run to run (today's date, today's question, random codes).
#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::{Harness, Node, SnapshotOptions};
use hearth::{KdfParams, NetworkMode, Options, Passphrase};
use hearth_app::gui::{DeviceSpec, Gui, Prefs, Reminders, ThemeChoice};

/// The longest any background step may take before a test gives up (a bound, not a timing
/// assertion: a healthy run finishes far sooner).
const PATIENCE: Duration = Duration::from_secs(60);

/// The window's size in the tests (and so in the snapshots).
pub const SIZE: egui::Vec2 = egui::vec2(1000.0, 760.0);

pub const PASSPHRASE: &str = "tea by the window at dawn";

/// The time zone that makes it 14:30 now, local time: the greeting, the rituals on offer and the
/// reminders do not depend on when the tests run (for the next nine hours and more).
pub fn afternoon() -> hearth::Zone {
    at_local(14 * 60 + 30)
}

/// The time zone that makes it `minutes` after midnight now, local time.
pub fn at_local(minutes: i64) -> hearth::Zone {
    let now = hearth::UnixMs::now().as_millis();
    let utc_minutes = (now / 60_000).rem_euclid(24 * 60);
    hearth::Zone::fixed(i32::try_from(minutes - utc_minutes).expect("less than a day"))
}

/// Options for a device in a test: fast key derivation, loopback only, in the afternoon.
pub fn options() -> Options {
    Options {
        network: Some(NetworkMode::Local),
        bind: Some("127.0.0.1:0".parse().expect("a socket address")),
        mdns: false,
        kdf: KdfParams::insecure_fast_for_tests(),
        time_zone: afternoon(),
        ..Options::default()
    }
}

/// Preferences for a test: the light theme, no ritual reminders (they depend on the hour), and
/// nothing of an earlier version's to move into the journal.
pub fn prefs() -> Prefs {
    Prefs {
        theme: ThemeChoice::Light,
        reminders: Reminders {
            moved: true,
            ..Reminders::none()
        },
        ..Prefs::default()
    }
}

/// A device that asks for its passphrase (or offers set-up).
pub fn device(dir: &Path) -> DeviceSpec {
    DeviceSpec::new(dir, options())
}

/// A device opened at once with [`PASSPHRASE`].
pub fn unlocked(dir: &Path, title: Option<&str>) -> DeviceSpec {
    DeviceSpec {
        title: title.map(str::to_owned),
        unlock: Some(Passphrase::new(PASSPHRASE)),
        ..device(dir)
    }
}

/// A window on the journal in `dir`, in the light theme.
pub fn harness(dir: &Path) -> Harness<'static, Gui> {
    window(vec![device(dir)], prefs(), SIZE)
}

/// A window showing `devices`.
pub fn window(devices: Vec<DeviceSpec>, prefs: Prefs, size: egui::Vec2) -> Harness<'static, Gui> {
    let theme = match prefs.theme {
        ThemeChoice::Dark => egui::Theme::Dark,
        _ => egui::Theme::Light,
    };
    let gui = Gui::new(devices, prefs).expect("the runtime starts");
    let h = Harness::builder()
        .with_size(size)
        .with_theme(theme)
        .with_max_steps(400)
        .wgpu()
        .build_ui_state(
            |ui, gui: &mut Gui| {
                // The whole window, as in the app (the harness keeps a margin around its `Ui`).
                let whole = egui::UiBuilder::new().max_rect(ui.ctx().content_rect());
                ui.scope_builder(whole, |ui| gui.ui(ui));
            },
            gui,
        );
    // A blinking cursor would make pictures differ with the moment they are taken.
    for theme in [egui::Theme::Light, egui::Theme::Dark] {
        h.ctx
            .style_mut_of(theme, |s| s.visuals.text_cursor.blink = false);
    }
    h
}

/// Steps until the background work is done and the screen has settled.
pub fn settle(h: &mut Harness<'_, Gui>) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        h.step();
        if !h.state().busy() {
            break;
        }
        assert!(Instant::now() < deadline, "background work did not finish");
        std::thread::sleep(Duration::from_millis(5));
    }
    // Lay out what the replies brought (cards measure themselves on their first frame).
    for _ in 0..3 {
        h.step();
    }
}

/// Steps until `found` holds, giving up after a while.
pub fn wait_until(h: &mut Harness<'_, Gui>, what: &str, found: impl Fn(&Harness<'_, Gui>) -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !found(h) {
        assert!(Instant::now() < deadline, "{what} never showed");
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    settle(h);
}

/// Steps until a node whose label contains `label` shows up.
pub fn wait_for(h: &mut Harness<'_, Gui>, label: &str) {
    wait_until(h, label, |h| h.query_by_label_contains(label).is_some());
}

/// Types `text` into the field labelled `label`.
pub fn type_into(h: &mut Harness<'_, Gui>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.step();
    h.get_by_label(label).type_text(text);
    h.step();
}

/// Whether `rect` is in full view (clear of the bars at the top and bottom).
fn in_view(h: &Harness<'_, Gui>, rect: egui::Rect) -> bool {
    h.ctx
        .content_rect()
        .shrink2(egui::vec2(0.0, 60.0))
        .contains_rect(rect)
}

/// Lets a scroll glide to its end (it takes a few frames).
fn glide(h: &mut Harness<'_, Gui>) {
    for _ in 0..30 {
        h.step();
    }
}

/// Replaces the text in the field labelled `label` with `text`.
pub fn replace_text(h: &mut Harness<'_, Gui>, label: &str, text: &str) {
    if !in_view(h, h.get_by_label(label).rect()) {
        h.get_by_label(label).scroll_to_me();
        glide(h);
    }
    h.get_by_label(label).focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.step();
    h.get_by_label(label).type_text(text);
    h.step();
}

/// Clicks the control labelled `label` (scrolled into view first, as a person would).
pub fn click(h: &mut Harness<'_, Gui>, label: &str) {
    if !in_view(h, h.get_by_label(label).rect()) {
        h.get_by_label(label).scroll_to_me();
        glide(h);
    }
    h.get_by_label(label).click();
    h.step();
    h.step();
}

/// Clicks the control labelled `label` within the group (a device, an entry) labelled `group`.
pub fn click_in(h: &mut Harness<'_, Gui>, in_group: &str, label: &str) {
    if !in_view(h, group(h, in_group).get_by_label(label).rect()) {
        group(h, in_group).get_by_label(label).scroll_to_me();
        glide(h);
    }
    group(h, in_group).get_by_label(label).click();
    h.step();
    h.step();
}

/// Opens the journal in the window: types the passphrase and waits for Today.
pub fn unlock(h: &mut Harness<'_, Gui>) {
    h.step();
    type_into(h, "Passphrase", PASSPHRASE);
    click(h, "Unlock");
    wait_for(h, "QUESTION OF THE DAY");
}

/// Makes a journal in `dir` through the facade, as an earlier run of the app would have.
pub fn create_journal(dir: &Path, name: &str) {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    rt.block_on(async {
        let opts = Options {
            start_network: false,
            ..options()
        };
        let hearth = hearth::Hearth::create(dir, &Passphrase::new(PASSPHRASE), name, opts)
            .await
            .expect("the journal is created");
        hearth.shutdown().await;
    });
}

/// The part of the window (a device, an entry card) labelled `group`.
pub fn group<'t>(h: &'t Harness<'_, Gui>, group: &'t str) -> Node<'t> {
    h.get_by_role_and_label(Role::GenericContainer, group)
}

/// The node labelled `label` within the part of the window titled `device`.
pub fn within<'t>(h: &'t Harness<'_, Gui>, device: &'t str, label: &'t str) -> Node<'t> {
    group(h, device).get_by_label(label)
}

/// Whether a node labelled `label` shows within the part of the window titled `device`.
pub fn shows_within(h: &Harness<'_, Gui>, device: &str, label: &str) -> bool {
    h.query_by_role_and_label(Role::GenericContainer, device)
        .is_some_and(|d| d.query_by_label_contains(label).is_some())
}

/// Saves a picture of the window and compares it with the one kept under tests/snapshots.
///
/// Notes that fade after a few seconds are waited out first.
///
/// The rectangles of the nodes labelled (in part) by `varying` hold what legitimately changes
/// between runs, like today's date or a random invitation: they are taken from the kept picture
/// before comparing, so the rest must match closely. A snapshot that is missing or too different
/// fails; `UPDATE_SNAPSHOTS=1` keeps the new picture instead.
pub fn snapshot(h: &mut Harness<'_, Gui>, name: &str, varying: &[&str]) {
    // A note about what just happened fades after a few seconds: wait for it to go.
    wait_until(h, "the page without a notice", |h| {
        h.query_all_by_label("Notice").next().is_none()
    });
    h.remove_cursor();
    h.step();
    h.step();
    let rects: Vec<egui::Rect> = varying
        .iter()
        .flat_map(|label| {
            let found: Vec<egui::Rect> = h
                .query_all_by_label_contains(label)
                .map(|node| area(&node))
                .collect();
            assert!(!found.is_empty(), "nothing labelled {label:?} to set aside");
            found
        })
        .collect();
    let mut image = h.render().expect("the window renders");
    let kept = Path::new("tests/snapshots").join(format!("{name}.png"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_none()
        && let Some((width, height, kept)) = read_rgba(&kept)
        && (width, height) == image.dimensions()
    {
        let scale = h.ctx.pixels_per_point();
        let pixels: &mut [u8] = &mut image;
        for rect in rects {
            let x0 = ((rect.min.x * scale).floor().max(0.0) as usize).min(width as usize);
            let y0 = ((rect.min.y * scale).floor().max(0.0) as usize).min(height as usize);
            let x1 = ((rect.max.x * scale).ceil().max(0.0) as usize).min(width as usize);
            let y1 = ((rect.max.y * scale).ceil().max(0.0) as usize).min(height as usize);
            for y in y0..y1 {
                let row = y * width as usize * 4;
                pixels[row + x0 * 4..row + x1 * 4]
                    .copy_from_slice(&kept[row + x0 * 4..row + x1 * 4]);
            }
        }
    }
    let options = SnapshotOptions::new().threshold(0.6).max_failed_pixels(40);
    if let Err(e) = egui_kittest::try_image_snapshot_options(&image, name, &options) {
        panic!("snapshot {name}: {e}");
    }
}

/// The labels of every node under `node`, for a helpful failure message.
pub fn labels(node: &Node<'_>) -> Vec<String> {
    node.query_all(egui_kittest::kittest::by().include_labels())
        .filter_map(|n| {
            let node = n.accesskit_node();
            node.label().or_else(|| node.value())
        })
        .collect()
}

/// Where a node is drawn: its own rectangle, or (for a group) the one around its children.
fn area(node: &Node<'_>) -> egui::Rect {
    if node.accesskit_node().bounding_box().is_some() {
        return node.rect();
    }
    node.query_all(egui_kittest::kittest::by().include_labels())
        .filter(|n| n.accesskit_node().bounding_box().is_some())
        .map(|n| n.rect())
        .reduce(|a, b| a.union(b))
        .expect("a group with something drawn in it")
}

/// A kept picture as RGBA bytes, if there is one.
fn read_rgba(path: &Path) -> Option<(u32, u32, Vec<u8>)> {
    let file = std::fs::File::open(path).ok()?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(
        png::Transformations::EXPAND | png::Transformations::STRIP_16 | png::Transformations::ALPHA,
    );
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    (info.color_type == png::ColorType::Rgba).then(|| {
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    })
}
