//! Opening this device's journal for a command: the options from the flags and the environment,
//! and each way opening can fail as one clear sentence.

use std::path::Path;

use anyhow::Result;
use hearth::{CreateError, Hearth, KdfParams, NetworkMode, OpenError, Options, Passphrase};

use super::secret;
use crate::cli::Ctx;
use crate::cli::args::NetArgs;
use crate::cli::exit::fail;

/// Set to `1`: derive new passphrase keys with trivial cost. For tests only (a journal made so is
/// easy to break open): only a build with the feature `insecure-test-kdf`, which the test suite
/// turns on, reads it.
#[cfg(feature = "insecure-test-kdf")]
const INSECURE_FAST_KDF_VAR: &str = "HEARTH_INSECURE_FAST_KDF";
/// Set to `1`: no mDNS on the LAN (tests that must not see each other).
const NO_MDNS_VAR: &str = "HEARTH_NO_MDNS";

fn flag(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1")
}

/// The key derivation new passphrase locks are made with.
fn kdf() -> KdfParams {
    #[cfg(feature = "insecure-test-kdf")]
    if flag(INSECURE_FAST_KDF_VAR) {
        return KdfParams::insecure_fast_for_tests();
    }
    KdfParams::production()
}

/// The options for a command: the network from `net` (`None`: the network stays off).
pub(crate) fn options(ctx: &Ctx, net: Option<&NetArgs>) -> Options {
    let network = net.and_then(|n| {
        if n.local {
            Some(NetworkMode::Local)
        } else {
            n.relay.clone().map(NetworkMode::CustomRelay)
        }
    });
    Options {
        network,
        bind: net.and_then(|n| n.bind),
        mdns: !flag(NO_MDNS_VAR) && !net.is_some_and(|n| n.no_lan_discovery),
        kdf: kdf(),
        start_network: net.is_some(),
        // A command exchanges with the mailboxes when it means to (`hearth serve` by itself).
        keep_mailboxes: false,
        time_zone: ctx.zone.clone(),
        ..Options::default()
    }
}

/// Refuses early, before asking for a passphrase, when there is no journal here.
pub(crate) fn ensure_exists(dir: &Path) -> Result<()> {
    if Hearth::exists(dir) {
        Ok(())
    } else {
        Err(fail(format!(
            "no journal in {} yet; run `hearth init --name NAME` first",
            dir.display()
        )))
    }
}

/// Opens the journal, asking for the passphrase; the network runs when `net` is given.
pub(crate) async fn open(ctx: &Ctx, net: Option<&NetArgs>) -> Result<Hearth> {
    ensure_exists(&ctx.data_dir)?;
    let passphrase = secret::current(&ctx.passphrase)?;
    open_with(ctx, net, &passphrase).await
}

/// Opens the journal to stay up (`hearth serve`): the network runs, and the mailboxes are
/// reached by themselves.
pub(crate) async fn open_serving(ctx: &Ctx, net: &NetArgs) -> Result<Hearth> {
    ensure_exists(&ctx.data_dir)?;
    let passphrase = secret::current(&ctx.passphrase)?;
    let options = Options {
        keep_mailboxes: true,
        ..options(ctx, Some(net))
    };
    Hearth::open(&ctx.data_dir, &passphrase, options)
        .await
        .map_err(|e| open_error(&ctx.data_dir, e))
}

/// Opens the journal with `passphrase`.
pub(crate) async fn open_with(
    ctx: &Ctx,
    net: Option<&NetArgs>,
    passphrase: &Passphrase,
) -> Result<Hearth> {
    Hearth::open(&ctx.data_dir, passphrase, options(ctx, net))
        .await
        .map_err(|e| open_error(&ctx.data_dir, e))
}

fn in_use(dir: &Path) -> anyhow::Error {
    fail(format!(
        "{} is in use by another Hearth (the app, or `hearth serve`); close it and try again",
        dir.display()
    ))
}

fn open_error(dir: &Path, e: OpenError) -> anyhow::Error {
    match e {
        OpenError::NotFound { .. } => fail(format!(
            "no journal in {} yet; run `hearth init --name NAME` first",
            dir.display()
        )),
        OpenError::WrongPassphrase(_) => fail("wrong passphrase; nothing was changed"),
        OpenError::AlreadyOpen { .. } => in_use(dir),
        OpenError::Incomplete { .. } => fail(format!(
            "the journal in {} was never completely set up; remove the directory and run \
             `hearth init` again",
            dir.display()
        )),
        OpenError::Network(e) => {
            anyhow::Error::new(e).context("the journal opened, but the network did not start")
        }
        e => anyhow::Error::new(e),
    }
}

/// Why `init` failed, as one sentence.
pub(crate) fn create_error(dir: &Path, e: CreateError) -> anyhow::Error {
    match e {
        CreateError::AlreadyExists { .. } => fail(format!(
            "a journal already exists in {}; nothing was changed",
            dir.display()
        )),
        CreateError::AlreadyOpen { .. } => in_use(dir),
        CreateError::Name(e) => fail(format!("that name cannot be used: {e}")),
        e => anyhow::Error::new(e),
    }
}
