//! [`DeviceId`]: a device of the journal, by its network identity.

use std::fmt;
use std::str::FromStr;

use hearth_journal::DeviceRef;
use hearth_net::EndpointId;

/// A device: its network identity (an iroh endpoint id), written as 64 lowercase hex digits.
///
/// Events, the status and [`Hearth::unpair`](crate::Hearth::unpair) speak of devices with it; a
/// front end parses what a person typed with [`str::parse`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceId(EndpointId);

impl DeviceId {
    pub(crate) fn new(endpoint: EndpointId) -> DeviceId {
        DeviceId(endpoint)
    }

    /// The endpoint id, for the network.
    pub(crate) fn endpoint(&self) -> EndpointId {
        self.0
    }

    /// The identity's 32 bytes, as the store keeps them.
    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }

    /// A device the store names by its 32 bytes, if they are a valid identity.
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> Option<DeviceId> {
        EndpointId::from_bytes(bytes).ok().map(DeviceId)
    }

    /// How the journal records this device as the writer of an entry.
    pub(crate) fn as_writer(&self) -> DeviceRef {
        DeviceRef::new(self.to_string())
    }
}

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0.as_bytes() {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceId({self})")
    }
}

/// Why some text is not a device id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a device id: a device id is 64 hex digits, as `hearth status` shows it")]
pub struct DeviceIdError {
    /// The text, trimmed.
    pub text: String,
}

impl FromStr for DeviceId {
    type Err = DeviceIdError;

    /// Parses 64 hex digits (either case, surrounding space ignored) naming a valid identity.
    fn from_str(text: &str) -> Result<DeviceId, DeviceIdError> {
        let text = text.trim();
        let error = || DeviceIdError {
            text: text.to_owned(),
        };
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(text.as_bytes())
            .map_err(|_| error())?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| error())?;
        DeviceId::from_bytes(&bytes).ok_or_else(error)
    }
}

impl serde::Serialize for DeviceId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl From<EndpointId> for DeviceId {
    fn from(endpoint: EndpointId) -> DeviceId {
        DeviceId(endpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some_device() -> DeviceId {
        DeviceId(iroh::SecretKey::from_bytes(&[7; 32]).public())
    }

    #[test]
    fn a_device_id_round_trips_through_its_text() {
        let id = some_device();
        let text = id.to_string();
        assert_eq!(text.len(), 64);
        assert_eq!(text, text.to_lowercase());
        assert_eq!(text.parse::<DeviceId>(), Ok(id));
        assert_eq!(format!("  {}\n", text.to_uppercase()).parse(), Ok(id));
        assert_eq!(id.as_writer().as_str(), text);
    }

    #[test]
    fn text_that_is_not_a_device_id_says_so() {
        for bad in ["", "abc", &"zz".repeat(32), &"ab".repeat(33)] {
            let error = bad.parse::<DeviceId>().expect_err(bad);
            assert_eq!(error.text, bad.trim());
            assert!(error.to_string().contains("64 hex digits"), "{error}");
        }
    }

    #[test]
    fn a_device_id_serializes_as_its_text() {
        let id = some_device();
        assert_eq!(
            serde_json::to_string(&id).expect("serializes"),
            format!("\"{id}\"")
        );
    }
}
