//! [`Settings`]: what a device remembers between runs, as one typed record in the store.
//!
//! Release 0.1 kept each setting under a name of its own (`name`, `udp_port`, and `network` in a
//! hand-written `relay <url>` form). Opening such a store reads them once, writes the record and
//! removes them, in one transaction.

use hearth_net::{NetworkMode, RelayUrl};
use hearth_store::Store;

/// The settings record's name in the store.
const RECORD: &str = "settings";

/// The names release 0.1 kept its settings under.
mod legacy {
    pub(super) const NAME: &str = "name";
    pub(super) const UDP_PORT: &str = "udp_port";
    pub(super) const NETWORK: &str = "network";
    pub(super) const ALL: [&str; 3] = [NAME, UDP_PORT, NETWORK];
}

/// What a device remembers between runs. Nothing of the journal is in it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Settings {
    /// This person's name, for while the shared journal has not arrived.
    pub(crate) name: String,
    /// The network mode set with [`Hearth::set_network`](crate::Hearth::set_network).
    pub(crate) network: NetworkMode,
    /// The UDP port bound last, so that partner devices on the LAN find this one again.
    pub(crate) udp_port: Option<u16>,
    /// Announce this device and look for the partner's on the local network (mDNS) while the
    /// network runs. On unless the person turned it off (a record without it predates the
    /// setting: on).
    pub(crate) lan_discovery: bool,
    /// A home device: it keeps the journal for both people and writes nothing of its own.
    pub(crate) home: bool,
    /// This device's name in the journal's device list; empty for its host name.
    pub(crate) device_name: String,
    /// Set once this device learns it was removed from the journal: the device (64 hex digits)
    /// that removed it. It keeps what it holds, read only.
    pub(crate) removed_by: Option<String>,
    /// The mailboxes this device exchanges with, and how the last exchanges went.
    pub(crate) mailboxes: Vec<crate::MailboxInfo>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            name: String::new(),
            network: NetworkMode::default(),
            udp_port: None,
            lan_discovery: true,
            home: false,
            device_name: String::new(),
            removed_by: None,
            mailboxes: Vec::new(),
        }
    }
}

/// Why the settings could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// The store could not read them.
    #[error("the settings could not be read")]
    Read(#[source] hearth_store::ReadError),
    /// They were written by a newer version of Hearth, in a form this one does not know.
    #[error("the settings were written by a newer version of Hearth; update Hearth to open them")]
    Newer(#[source] serde_json::Error),
    /// The settings of an earlier version could not be moved into the current form.
    #[error("the settings of an earlier version could not be updated")]
    Migrate(#[source] hearth_store::WriteError),
}

impl Settings {
    /// Reads the settings, moving an earlier version's into the current record first.
    pub(crate) fn load(store: &Store) -> Result<Settings, SettingsError> {
        if let Some(bytes) = store.get_setting(RECORD).map_err(SettingsError::Read)? {
            return serde_json::from_slice(&bytes).map_err(SettingsError::Newer);
        }
        let settings = Settings::from_legacy(store)?;
        store
            .replace_settings(RECORD, &settings.encode(), &legacy::ALL)
            .map_err(SettingsError::Migrate)?;
        Ok(settings)
    }

    /// Stores the settings, replacing what was there.
    pub(crate) fn save(&self, store: &Store) -> Result<(), hearth_store::WriteError> {
        store.put_setting(RECORD, &self.encode())
    }

    fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("settings are plain data and always serialize")
    }

    /// The settings as release 0.1 kept them (defaults where a value is missing or unreadable).
    fn from_legacy(store: &Store) -> Result<Settings, SettingsError> {
        let get = |key| store.get_setting(key).map_err(SettingsError::Read);
        let name = get(legacy::NAME)?
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        let udp_port = get(legacy::UDP_PORT)?
            .and_then(|b| <[u8; 2]>::try_from(b.as_slice()).ok())
            .map(u16::from_le_bytes);
        let network = get(legacy::NETWORK)?
            .map(|b| legacy_mode(&b))
            .unwrap_or_default();
        Ok(Settings {
            name,
            network,
            udp_port,
            ..Settings::default()
        })
    }
}

/// A network mode in release 0.1's form: `default`, `local` or `relay <url>`; anything else is
/// the default.
fn legacy_mode(bytes: &[u8]) -> NetworkMode {
    match std::str::from_utf8(bytes) {
        Ok("local") => NetworkMode::Local,
        Ok(text) => text
            .strip_prefix("relay ")
            .and_then(|url| url.parse::<RelayUrl>().ok())
            .map_or(NetworkMode::Default, NetworkMode::CustomRelay),
        Err(_) => NetworkMode::Default,
    }
}

#[cfg(test)]
mod tests {
    use hearth_crypto::{KdfParams, Passphrase};

    use super::*;

    fn store(dir: &std::path::Path) -> Store {
        Store::create(
            dir,
            &Passphrase::new("settings test"),
            KdfParams::insecure_fast_for_tests(),
        )
        .expect("create a store")
    }

    fn relay() -> RelayUrl {
        "https://relay.example.org".parse().expect("a relay URL")
    }

    #[test]
    fn settings_round_trip_through_the_store() {
        let dir = tempfile::tempdir().expect("dir");
        let store = store(dir.path());
        assert_eq!(Settings::load(&store).expect("load"), Settings::default());
        let settings = Settings {
            name: "Ada".into(),
            network: NetworkMode::CustomRelay(relay()),
            udp_port: Some(4242),
            lan_discovery: false,
            home: true,
            device_name: "attic".into(),
            removed_by: None,
            mailboxes: vec![crate::MailboxInfo {
                name: "Hearth".into(),
                place: crate::MailboxPlace::Folder {
                    path: "/home/ada/Sync/Hearth".into(),
                },
                delivered_ms: Some(hearth_journal::UnixMs::from_millis(1_777_000_000_000)),
                picked_up_ms: None,
                exchanged_ms: None,
                last_error: Some("the mailbox at /media/usb is not there".into()),
            }],
        };
        settings.save(&store).expect("save");
        assert_eq!(Settings::load(&store).expect("load"), settings);
    }

    #[test]
    fn the_record_names_its_fields_for_the_versions_to_come() {
        let settings = Settings {
            name: "Ada".into(),
            network: NetworkMode::CustomRelay(relay()),
            udp_port: Some(4242),
            lan_discovery: true,
            home: false,
            device_name: "desk".into(),
            removed_by: None,
            mailboxes: Vec::new(),
        };
        let encoded = r#"{"name":"Ada","network":{"mode":"relay","url":"https://relay.example.org/"},"udp_port":4242,"lan_discovery":true,"home":false,"device_name":"desk","removed_by":null,"mailboxes":[]}"#;
        assert_eq!(String::from_utf8(settings.encode()).expect("text"), encoded);
        // A record from before the LAN discovery setting reads with it on; one from before
        // home devices and device names, as a person's device with its host name.
        let earlier = br#"{"name":"Ada","network":{"mode":"relay","url":"https://relay.example.org/"},"udp_port":4242}"#;
        assert_eq!(
            serde_json::from_slice::<Settings>(earlier).expect("reads"),
            Settings {
                device_name: String::new(),
                ..settings
            }
        );
        let local = Settings {
            network: NetworkMode::Local,
            ..Settings::default()
        };
        assert!(
            String::from_utf8(local.encode())
                .expect("text")
                .contains(r#""network":{"mode":"local"}"#)
        );
    }

    #[test]
    fn an_earlier_versions_settings_move_into_the_record() {
        for (stored, mode) in [
            (&b"default"[..], NetworkMode::Default),
            (b"local", NetworkMode::Local),
            (
                b"relay https://relay.example.org",
                NetworkMode::CustomRelay(relay()),
            ),
            (b"relay not a url", NetworkMode::Default),
            (b"\xff", NetworkMode::Default),
        ] {
            let dir = tempfile::tempdir().expect("dir");
            let store = store(dir.path());
            store.put_setting(legacy::NAME, b"Ben").expect("put");
            store
                .put_setting(legacy::UDP_PORT, &47812u16.to_le_bytes())
                .expect("put");
            store.put_setting(legacy::NETWORK, stored).expect("put");
            let expected = Settings {
                name: "Ben".into(),
                network: mode,
                udp_port: Some(47812),
                lan_discovery: true,
                ..Settings::default()
            };
            assert_eq!(Settings::load(&store).expect("migrates"), expected);
            for key in legacy::ALL {
                assert_eq!(store.get_setting(key).expect("get"), None, "{key} is gone");
            }
            assert_eq!(Settings::load(&store).expect("loads again"), expected);
        }
    }

    #[test]
    fn settings_from_a_newer_version_are_refused_clearly() {
        let dir = tempfile::tempdir().expect("dir");
        let store = store(dir.path());
        store
            .put_setting(RECORD, br#"{"network":{"mode":"mesh"}}"#)
            .expect("put");
        let error = Settings::load(&store).expect_err("an unknown mode");
        assert!(matches!(error, SettingsError::Newer(_)), "{error:?}");
        assert!(error.to_string().contains("newer version"), "{error}");
    }
}
