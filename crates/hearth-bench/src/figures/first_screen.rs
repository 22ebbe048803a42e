//! The first screen: from unlocking (the passphrase given; the fast key derivation, so Argon2id
//! is left out as in the cold open) until the app's own window, headless, has drawn Today with
//! its day read. The journal was opened and closed once before, as a person's is, so the first
//! screen kept then is there to show; the whole journal loads behind it. A note gives the time
//! until the whole journal is open, and how long Today takes without a first screen kept.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::bail;
use hearth::Hearth;
use hearth_app::gui::{DeviceSpec, Prefs, Tab};

use super::render::Window;
use crate::fixture::{Couple, any_port, copy_device, options, passphrase};
use crate::measure::Samples;
use crate::report::{Row, Target, Unit};

/// How long the window may take to open the journal.
const OPEN_TIMEOUT: Duration = Duration::from_secs(300);

/// One unlock of the window on a copy of `device`: the time until Today is drawn, and until the
/// whole journal is open.
fn unlock(device: &Path, scratch: &Path) -> anyhow::Result<(Duration, Duration)> {
    let dir = tempfile::tempdir_in(scratch)?;
    let copy = dir.path().join("device");
    copy_device(device, &copy)?;
    let spec = DeviceSpec {
        data_dir: copy,
        options: options(any_port(), false),
        title: None,
        unlock: Some(passphrase()),
    };
    let prefs = Prefs {
        tab: Tab::Today,
        ..Prefs::default()
    };
    // The window unlocks as it starts, as when the passphrase is given.
    let start = Instant::now();
    let mut window = Window::new(spec, prefs)?;
    let deadline = start + OPEN_TIMEOUT;
    let mut today = None;
    loop {
        window.frame(false)?;
        if today.is_none() && window.gui.shows_today() {
            today = Some(start.elapsed());
        }
        if window.gui.is_open() && !window.gui.busy() {
            break;
        }
        if Instant::now() > deadline {
            bail!("the window did not open the journal within {OPEN_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let open = start.elapsed();
    window.frame(false)?;
    if window.vertices < 500 {
        bail!(
            "Today drew only {} vertices: it is not showing the journal",
            window.vertices
        );
    }
    window.gui.close();
    let today = today.unwrap_or(open);
    Ok((today, open))
}

/// [`unlock`] on a plain thread: the window owns a runtime of its own.
fn on_a_thread(device: &Path, scratch: &Path) -> anyhow::Result<(Duration, Duration)> {
    tokio::task::block_in_place(|| {
        std::thread::scope(|s| s.spawn(|| unlock(device, scratch)).join())
            .map_err(|_| anyhow::anyhow!("the first screen figure panicked"))?
    })
}

pub async fn run(couple: &Couple, runs: usize, scratch: &Path) -> anyhow::Result<Row> {
    // Ada's device as the generated history left it (no first screen kept yet): the first open
    // shows Today only once the journal has loaded.
    let dir = tempfile::tempdir_in(scratch)?;
    let device = dir.path().join("ada");
    copy_device(&couple.ada, &device)?;
    let (first_today, _) = on_a_thread(&device, scratch)?;
    // Opened and closed once, as a person's journal is: the first screen is kept.
    let h = Hearth::open(&device, &passphrase(), options(any_port(), false)).await?;
    h.shutdown().await;

    let mut today = Samples::new();
    let mut open = Samples::new();
    for run in 0..runs.max(1) {
        let (t, o) = on_a_thread(&device, scratch)?;
        eprintln!(
            "  unlock run {}: Today drawn after {:.0} ms, the whole journal open after {:.0} ms",
            run + 1,
            t.as_secs_f64() * 1e3,
            o.as_secs_f64() * 1e3
        );
        today.push_duration(t);
        open.push_duration(o);
    }
    Ok(Row::new(
        "first_screen",
        format!(
            "unlock → Today drawn, {} entries (Argon2id excluded)",
            couple.written.entries
        ),
        Unit::Ms,
        &today,
    )
    .target(Target::Max { max: 300.0 })
    .note(format!(
        "the app's window, headless, on Today, from the passphrase given to the first frame showing Today's day, kept from the last time; the whole journal open after {:.0} ms (median); with no first screen kept (the first open after the journal was written), Today was drawn after {:.0} ms",
        open.median(),
        first_today.as_secs_f64() * 1e3
    )))
}
