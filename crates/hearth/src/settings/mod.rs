//! Settings: the person's name, the passphrase, unpairing a device, and the network mode.

mod stored;

use hearth_crypto::Passphrase;
use hearth_journal::Member;
use hearth_net::NetworkMode;
use hearth_store::DocId;

use crate::hearth::check_name;
use crate::{ChangePassphraseError, DeviceId, Hearth, SetNameError, SetNetworkError, UnpairError};
pub(crate) use stored::Settings;
pub use stored::SettingsError;

impl Hearth {
    /// Renames this person, in the shared journal (so the partner sees it) and on this device.
    pub async fn set_name(&self, name: &str) -> Result<(), SetNameError> {
        let name = check_name(name).map_err(SetNameError::Name)?;
        self.call(move |d| {
            if d.shared.is_ready() {
                let member = Member {
                    name: name.clone(),
                    ..d.me()
                };
                d.change(DocId::Shared, |journal, _| journal.put_member(&member))
                    .map_err(SetNameError::Write)?;
            }
            d.change_settings(|s| s.name = name)
                .map_err(SetNameError::Setting)
        })
        .await??;
        self.push();
        Ok(())
    }

    /// Names this device ("Ada's laptop"), for the journal's device list on every device.
    pub async fn set_device_name(&self, name: &str) -> Result<(), SetNameError> {
        let name = check_name(name).map_err(SetNameError::Name)?;
        self.call(move |d| {
            d.change_settings(|s| s.device_name = name)
                .map_err(SetNameError::Setting)?;
            d.note_own_record();
            Ok::<(), SetNameError>(())
        })
        .await??;
        self.push();
        Ok(())
    }

    /// Locks the store with `new` instead of `old` (key derivation cost from the options).
    pub async fn change_passphrase(
        &self,
        old: &Passphrase,
        new: &Passphrase,
    ) -> Result<(), ChangePassphraseError> {
        let (old, new, kdf) = (old.clone(), new.clone(), self.core.options.kdf);
        self.call(move |d| d.store.change_passphrase(&old, &new, kdf))
            .await?
            .map_err(|e| match e {
                hearth_store::ChangePassphraseError::WrongPassphrase => {
                    ChangePassphraseError::WrongPassphrase(e)
                }
                e => ChangePassphraseError::Store(e),
            })
    }

    /// Removes a device from the journal: this device forgets it at once, and the removal goes
    /// into the shared journal, so every other device forgets it when it next syncs with any.
    ///
    /// A device that was itself removed may remove only the device that removed it: the answer
    /// to a lost or stolen device that cut the others off. If the judgement of removals
    /// (docs/decisions/0007-devices-in-the-journal.md) then counts this device back, it writes
    /// and syncs again at once.
    pub async fn unpair(&self, device: DeviceId) -> Result<(), UnpairError> {
        let was_paired = self.call(move |d| d.remove_device(device)).await??;
        if let Ok(Some(node)) = self.node() {
            node.forget(&device.endpoint());
            node.dial_now();
        }
        if was_paired {
            self.push();
            Ok(())
        } else {
            Err(UnpairError::NotPaired { device })
        }
    }

    /// Undoes the removals that `device`, itself removed from the journal, made: the devices it
    /// removed come back, on every device as the undoing reaches it. For a lost or stolen device
    /// that removed others before it was removed. Returns the devices brought back.
    pub async fn undo_removals_by(&self, device: DeviceId) -> Result<Vec<DeviceId>, UnpairError> {
        let back = self.call(move |d| d.undo_removals_by(device)).await??;
        if !back.is_empty() {
            self.push();
            if let Ok(Some(node)) = self.node() {
                node.dial_now();
            }
        }
        Ok(back)
    }

    /// Turns LAN discovery (mDNS) on or off. It takes effect the next time the network starts;
    /// options that turn mDNS off win over it.
    pub async fn set_lan_discovery(&self, on: bool) -> Result<(), SetNetworkError> {
        self.call(move |d| d.change_settings(|s| s.lan_discovery = on))
            .await?
            .map_err(SetNetworkError::Setting)
    }

    /// Stores the network mode. It takes effect the next time the journal is opened (unless the
    /// options of that open name a mode of their own).
    pub async fn set_network(&self, mode: NetworkMode) -> Result<(), SetNetworkError> {
        if let NetworkMode::CustomRelay(url) = &mode
            && !matches!(url.scheme(), "https" | "http")
        {
            return Err(SetNetworkError::BadRelayUrl { url: url.clone() });
        }
        self.call(move |d| d.change_settings(|s| s.network = mode))
            .await?
            .map_err(SetNetworkError::Setting)
    }
}
