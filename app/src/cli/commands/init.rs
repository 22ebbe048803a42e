//! `hearth init --name NAME`: this device's encrypted store and a new journal.

use anyhow::Result;
use hearth::{Hearth, MAX_NAME_CHARS};

use super::open::{create_error, options};
use super::secret::{self, PASSPHRASE_VAR};
use crate::cli::Ctx;
use crate::cli::args::InitArgs;
use crate::cli::exit::fail;
use crate::cli::output;

pub(crate) async fn run(ctx: &Ctx, args: InitArgs) -> Result<()> {
    let dir = &ctx.data_dir;
    // Everything that can be refused is refused before the passphrase is asked for.
    if Hearth::exists(dir) {
        return Err(fail(format!(
            "a journal already exists in {}; nothing was changed",
            dir.display()
        )));
    }
    if let Some(device) = &args.device_name
        && let Err(e) = check_device_name(device)
    {
        return Err(e);
    }
    if args.home {
        return home(ctx, args.device_name.as_deref()).await;
    }
    let name = args.name.as_deref().unwrap_or_default().trim();
    if name.is_empty() {
        return Err(fail("your name cannot be empty"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(fail(format!(
            "that name is too long; at most {MAX_NAME_CHARS} characters"
        )));
    }
    let passphrase = match &ctx.passphrase {
        secret::Source::EnvOrAsk => {
            secret::new_one(PASSPHRASE_VAR, "Choose a passphrase: ", &[name])?
        }
        given => {
            let passphrase = secret::current(given)?;
            secret::judge(passphrase.expose(), &[name])?;
            passphrase
        }
    };
    let hearth = Hearth::create(dir, &passphrase, name, options(ctx, None))
        .await
        .map_err(|e| create_error(dir, e))?;
    let named = name_device(&hearth, args.device_name.as_deref()).await;
    let device = hearth.status().await.map(|s| s.device_id);
    hearth.shutdown().await;
    named?;
    let device = device?;
    output::init::welcome(&ctx.term, name, dir, &device.to_string());
    Ok(())
}

fn check_device_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(fail("the device's name cannot be empty"));
    }
    if name.trim().chars().count() > MAX_NAME_CHARS {
        return Err(fail(format!(
            "that device name is too long; at most {MAX_NAME_CHARS} characters"
        )));
    }
    Ok(())
}

/// Names the new device, if a name was given.
async fn name_device(hearth: &Hearth, name: Option<&str>) -> Result<()> {
    match name {
        Some(name) => hearth
            .set_device_name(name)
            .await
            .map_err(|e| anyhow::Error::new(e).context("could not name this device")),
        None => Ok(()),
    }
}

/// `hearth init --home`: a device with no person, waiting to join a journal.
async fn home(ctx: &Ctx, device_name: Option<&str>) -> Result<()> {
    let dir = &ctx.data_dir;
    let passphrase = match &ctx.passphrase {
        secret::Source::EnvOrAsk => secret::new_one(PASSPHRASE_VAR, "Choose a passphrase: ", &[])?,
        given => {
            let passphrase = secret::current(given)?;
            secret::judge(passphrase.expose(), &[])?;
            passphrase
        }
    };
    let hearth = Hearth::create_home(dir, &passphrase, options(ctx, None))
        .await
        .map_err(|e| create_error(dir, e))?;
    let named = name_device(&hearth, device_name).await;
    let device = hearth.status().await.map(|s| s.device_id);
    hearth.shutdown().await;
    named?;
    let device = device?;
    output::init::home_ready(&ctx.term, dir, &device.to_string());
    Ok(())
}
