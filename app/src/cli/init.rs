//! `hearth init --name NAME`: this device's encrypted store and a new journal.

use anyhow::Result;
use hearth::store::Store;
use hearth::{Hearth, MAX_NAME_CHARS};

use super::Ctx;
use super::args::InitArgs;
use super::exit::fail;
use super::open::{create_error, options};
use super::secret::{self, PASSPHRASE_VAR};
use super::term::Style;

pub(crate) async fn run(ctx: &Ctx, args: InitArgs) -> Result<()> {
    let dir = &ctx.data_dir;
    // Everything that can be refused is refused before the passphrase is asked for.
    if Store::exists(dir) {
        return Err(fail(format!(
            "a journal already exists in {}; nothing was changed",
            dir.display()
        )));
    }
    let name = args.name.trim();
    if name.is_empty() {
        return Err(fail("your name cannot be empty"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(fail(format!(
            "that name is too long; at most {MAX_NAME_CHARS} characters"
        )));
    }
    let passphrase = secret::new_one(PASSPHRASE_VAR, "Choose a passphrase: ")?;
    let hearth = Hearth::create(dir, &passphrase, name, options(ctx, None))
        .await
        .map_err(|e| create_error(dir, e))?;
    let device = hearth.status().await.map(|s| s.device_id);
    hearth.shutdown().await;
    let device = device?;
    let t = &ctx.term;
    eprintln!(
        "Welcome, {}. Your journal is ready in {}.",
        t.epaint(Style::Bold, name),
        dir.display()
    );
    eprintln!(
        "{}",
        t.epaint(Style::Dim, &format!("This device: {device}"))
    );
    eprintln!(
        "Next: `hearth invite` to pair with your partner's device (together, in person), or \
         `hearth write \"...\"` to begin."
    );
    Ok(())
}
