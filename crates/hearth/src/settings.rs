//! Settings: the person's name, the passphrase, unpairing a device, and the network mode.

use hearth_crypto::Passphrase;
use hearth_journal::Member;
use hearth_net::{EndpointId, NetworkMode};
use hearth_store::DocId;

use crate::hearth::check_name;
use crate::options::{encode_mode, keys};
use crate::util::{lock, parse_hex32, write};
use crate::{ChangePassphraseError, Hearth, SetNameError, SetNetworkError, UnpairError};

impl Hearth {
    /// Renames this person, in the shared journal (so the partner sees it) and on this device.
    pub async fn set_name(&self, name: &str) -> Result<(), SetNameError> {
        let name = check_name(name).map_err(SetNameError::Name)?;
        let inner = self.inner.clone();
        let stored = name.clone();
        tokio::task::spawn_blocking(move || {
            let me = inner.me();
            if lock(&inner.shared).is_ready() {
                let member = Member {
                    name: stored.clone(),
                    ..me
                };
                inner
                    .change(DocId::Shared, |journal, _| journal.put_member(&member))
                    .map_err(SetNameError::Write)?;
            }
            inner
                .store
                .put_setting(keys::NAME, stored.as_bytes())
                .map_err(SetNameError::Setting)
        })
        .await
        .map_err(SetNameError::Interrupted)??;
        *write(&self.inner.name) = name;
        if let Some(node) = &self.node {
            node.local_change();
        }
        Ok(())
    }

    /// Locks the store with `new` instead of `old` (key derivation cost from the options).
    pub async fn change_passphrase(
        &self,
        old: &Passphrase,
        new: &Passphrase,
    ) -> Result<(), ChangePassphraseError> {
        let inner = self.inner.clone();
        let (old, new, kdf) = (old.clone(), new.clone(), self.options.kdf);
        tokio::task::spawn_blocking(move || inner.store.change_passphrase(&old, &new, kdf))
            .await
            .map_err(ChangePassphraseError::Interrupted)?
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
        let inner = self.inner.clone();
        let was_paired = tokio::task::spawn_blocking(move || inner.store.remove_paired_device(id))
            .await
            .map_err(UnpairError::Interrupted)?
            .map_err(UnpairError::Store)?;
        write(&self.inner.paired).remove(&id);
        if let (Some(node), Ok(peer)) = (&self.node, EndpointId::from_bytes(&id)) {
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
        let inner = self.inner.clone();
        let bytes = encode_mode(&mode);
        tokio::task::spawn_blocking(move || inner.store.put_setting(keys::NETWORK, &bytes))
            .await
            .map_err(SetNetworkError::Interrupted)?
            .map_err(SetNetworkError::Setting)
    }
}
