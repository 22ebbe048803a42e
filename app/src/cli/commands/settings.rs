//! `hearth passphrase`, `hearth unpair DEVICE` and `hearth home-zone [ZONE]`.

use anyhow::Result;
use hearth::{ChangePassphraseError, DeviceStatus, Hearth, MIN_ID_PREFIX, UnpairError};

use super::change::write_error;
use super::open::{ensure_exists, open, open_with};
use super::secret::{self, NEW_PASSPHRASE_VAR};
use super::with;
use crate::cli::Ctx;
use crate::cli::args::{HomeZoneArgs, OnOff, StartSmallArgs, UnpairArgs};
use crate::cli::exit::fail;
use crate::cli::output::{self, term};

pub(crate) async fn passphrase(ctx: &Ctx) -> Result<()> {
    ensure_exists(&ctx.data_dir)?;
    let current = secret::current(&ctx.passphrase)?;
    // Opening proves the current passphrase before a new one is asked for.
    let hearth = open_with(ctx, None, &current).await?;
    with(hearth, async |h| {
        let me = h.me().await?.name;
        let new = secret::new_one(NEW_PASSPHRASE_VAR, "New passphrase: ", &[me.as_str()])?;
        h.change_passphrase(&current, &new)
            .await
            .map_err(|e| match e {
                ChangePassphraseError::WrongPassphrase(_) => {
                    fail("wrong passphrase; nothing was changed")
                }
                e => anyhow::Error::new(e),
            })
    })
    .await?;
    output::settings::passphrase_changed();
    Ok(())
}

/// The paired device `typed` names: its whole id, the beginning of it, or its owner's name.
fn find_device(devices: &[DeviceStatus], typed: &str) -> Result<DeviceStatus> {
    let typed = typed.trim().to_ascii_lowercase();
    if devices.is_empty() {
        return Err(fail("this device is not paired with any other"));
    }
    let by_name: Vec<&DeviceStatus> = devices
        .iter()
        .filter(|d| d.name.to_lowercase() == typed)
        .collect();
    let by_id: Vec<&DeviceStatus> = devices
        .iter()
        .filter(|d| typed.len() >= MIN_ID_PREFIX && d.device_id.to_string().starts_with(&typed))
        .collect();
    let found = if by_id.is_empty() { by_name } else { by_id };
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(fail(format!(
            "no paired device is {typed:?}; `hearth status` lists them (give at least \
             {MIN_ID_PREFIX} characters of the id)"
        ))),
        many => Err(fail(format!(
            "{} paired devices match {typed:?}; give more of the id",
            many.len()
        ))),
    }
}

pub(crate) async fn unpair(ctx: &Ctx, args: UnpairArgs) -> Result<()> {
    let hearth = open(ctx, None).await?;
    let done = with(hearth, async |h: &Hearth| {
        let refused = |e: UnpairError| match e {
            UnpairError::NotPaired { .. } | UnpairError::RemovedHere => fail(format!("{e}")),
            e => anyhow::Error::new(e),
        };
        let status = h.status().await?;
        // A device already removed (the lost phone the status names) has only its removals to
        // undo.
        if args.undo_its_removals
            && let Some(gone) = find_removed(&status.removed_devices, &args.device)
        {
            let back = h.undo_removals_by(gone).await.map_err(refused)?.len();
            return Ok((None, back));
        }
        let device = find_device(&status.partner_devices, &args.device)?;
        if !args.yes && ctx.term.stdin_tty {
            let answer = output::settings::ask_forget(&device).await.ok().flatten();
            if !term::is_yes(answer.as_deref()) {
                return Err(fail("kept the device; nothing was changed"));
            }
        }
        h.unpair(device.device_id).await.map_err(refused)?;
        let back = if args.undo_its_removals {
            h.undo_removals_by(device.device_id)
                .await
                .map_err(refused)?
                .len()
        } else {
            0
        };
        Ok((Some(device), back))
    })
    .await?;
    match done {
        (Some(device), back) => {
            output::settings::forgot(&ctx.term, &device);
            if back > 0 {
                output::settings::brought_back(&ctx.term, back);
            }
        }
        (None, back) => output::settings::undone(&ctx.term, back),
    }
    Ok(())
}

/// The removed device `typed` names by the beginning of its id, if exactly one does.
fn find_removed(devices: &[hearth::RemovedDevice], typed: &str) -> Option<hearth::DeviceId> {
    let typed = typed.trim().to_ascii_lowercase();
    if typed.len() < MIN_ID_PREFIX {
        return None;
    }
    let mut found = devices
        .iter()
        .filter(|d| d.id.to_string().starts_with(&typed));
    match (found.next(), found.next()) {
        (Some(one), None) => Some(one.id),
        _ => None,
    }
}

/// `hearth home-zone [ZONE]`: shows the couple's time zone, or sets it for both.
pub(crate) async fn home_zone(ctx: &Ctx, args: HomeZoneArgs) -> Result<()> {
    if let Some(zone) = &args.zone
        && hearth::Zone::named(zone.trim()).is_err()
    {
        return Err(fail(format!(
            "{:?} is not a time zone this system knows; give a name like Europe/Lisbon",
            zone.trim()
        )));
    }
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| match &args.zone {
        Some(zone) => {
            h.set_home_zone(zone).await.map_err(write_error)?;
            output::settings::home_zone_set(zone.trim());
            Ok(())
        }
        None => {
            output::settings::home_zone(h.home_zone().await?.as_deref());
            Ok(())
        }
    })
    .await
}

/// `hearth start-small [on|off]`: says whether the couple starts small, or switches it for both.
pub(crate) async fn start_small(ctx: &Ctx, args: StartSmallArgs) -> Result<()> {
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| match args.on {
        Some(on) => {
            let on = on == OnOff::On;
            h.set_start_small(on).await.map_err(write_error)?;
            output::settings::start_small(on);
            Ok(())
        }
        None => {
            output::settings::start_small(h.status().await?.start_small);
            Ok(())
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two real device ids (the public keys of RFC 8032's first two Ed25519 test vectors).
    const ADA_LAPTOP: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    const BOB_PHONE: &str = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";

    fn device(id: &str, name: &str) -> DeviceStatus {
        DeviceStatus {
            device_id: id.parse().expect("a device id"),
            name: name.to_owned(),
            member_id: "m".to_owned(),
            paired_at_ms: hearth::UnixMs::EPOCH,
            online: false,
            route: None,
            last_synced_ms: None,
            messages_sent: 0,
            messages_received: 0,
            bytes_sent: 0,
            bytes_received: 0,
        }
    }

    #[test]
    fn a_device_is_named_by_its_id_its_beginning_or_its_owner() {
        let devices = [device(ADA_LAPTOP, "Bob"), device(BOB_PHONE, "Bob")];
        assert_eq!(
            find_device(&devices, "D75A").expect("prefix").device_id,
            devices[0].device_id
        );
        assert_eq!(
            find_device(&devices, BOB_PHONE)
                .expect("whole id")
                .device_id,
            devices[1].device_id
        );
        assert!(find_device(&devices, "d7").is_err(), "too short");
        assert!(
            find_device(&devices, "bob").is_err(),
            "two devices are Bob's"
        );
        assert!(find_device(&devices[..1], "bob").is_ok());
        assert!(find_device(&devices, "ffff").is_err());
        assert!(find_device(&[], "bob").is_err());
    }
}
