//! Settings: the person's name, the passphrase, unpairing a device, and the network mode.

use hearth_crypto::Passphrase;
use hearth_journal::Member;
use hearth_net::{EndpointId, NetworkMode};
use hearth_store::DocId;

use crate::hearth::check_name;
use crate::options::{encode_mode, keys};
use crate::util::parse_hex32;
use crate::{ChangePassphraseError, Hearth, SetNameError, SetNetworkError, UnpairError};

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
            d.store
                .put_setting(keys::NAME, name.as_bytes())
                .map_err(SetNameError::Setting)?;
            d.name = name;
            Ok::<_, SetNameError>(())
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

    /// Forgets a paired device (its hex id, as [`Status`](crate::Status) shows it): it can no
    /// longer sync with this one.
    pub async fn unpair(&self, device_id: &str) -> Result<(), UnpairError> {
        let id = parse_hex32(device_id).ok_or_else(|| UnpairError::BadDeviceId {
            text: device_id.to_owned(),
        })?;
        let was_paired = self
            .call(move |d| {
                let removed = d.store.remove_paired_device(id)?;
                d.paired.remove(&id);
                d.publish();
                Ok(removed)
            })
            .await?
            .map_err(UnpairError::Store)?;
        if let (Ok(Some(node)), Ok(peer)) = (self.node(), EndpointId::from_bytes(&id)) {
            node.forget(&peer);
        }
        if was_paired {
            Ok(())
        } else {
            Err(UnpairError::NotPaired {
                device: device_id.trim().to_owned(),
            })
        }
    }

    /// Stores the network mode. It takes effect the next time the journal is opened (unless the
    /// options of that open name a mode of their own).
    pub async fn set_network(&self, mode: NetworkMode) -> Result<(), SetNetworkError> {
        if let NetworkMode::CustomRelay(url) = &mode
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(SetNetworkError::BadRelayUrl { url: url.clone() });
        }
        let bytes = encode_mode(&mode);
        self.call(move |d| d.store.put_setting(keys::NETWORK, &bytes))
            .await?
            .map_err(SetNetworkError::Setting)
    }
}
