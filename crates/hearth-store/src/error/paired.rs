use crate::database_error::database_variant;
use crate::error::Hex;
use crate::{DatabaseError, RandomnessError, RecordDecodeError, RecordOpenError};

/// Why [`Store::put_paired_device`](crate::Store::put_paired_device) failed. Nothing was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PutPairedDeviceError {
    /// The database could not be written.
    #[error("could not save the paired device")]
    Database {
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// No randomness for the record's nonce.
    #[error("could not seal the paired device record")]
    Randomness {
        /// Why.
        #[from]
        source: RandomnessError,
    },
}

database_variant!(PutPairedDeviceError);

/// Why [`Store::paired_devices`](crate::Store::paired_devices) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ListPairedDevicesError {
    /// The database could not be read.
    #[error("could not read the paired devices")]
    Database {
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// A paired device record failed authentication: it was altered, truncated or moved.
    #[error("the record of paired device {} failed authentication", Hex(.endpoint_id))]
    AuthenticationFailed {
        /// The EndpointId the record is stored under.
        endpoint_id: [u8; 32],
        /// The authentication failure.
        #[source]
        source: RecordOpenError,
    },
    /// A paired device record decrypted but cannot be decoded.
    #[error("the record of paired device {} is malformed", Hex(.endpoint_id))]
    Malformed {
        /// The EndpointId the record is stored under.
        endpoint_id: [u8; 32],
        /// Why.
        #[source]
        source: RecordDecodeError,
    },
}

database_variant!(ListPairedDevicesError);

/// Why [`Store::update_paired_addrs`](crate::Store::update_paired_addrs) failed. Nothing was
/// written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UpdatePairedAddrsError {
    /// The database could not be read or written.
    #[error("could not update the addresses of the paired device")]
    Database {
        /// Why.
        #[source]
        source: DatabaseError,
    },
    /// No device with this EndpointId is paired.
    #[error("device {} is not paired", Hex(.endpoint_id))]
    NotPaired {
        /// The EndpointId asked for.
        endpoint_id: [u8; 32],
    },
    /// The stored record failed authentication: it was altered, truncated or moved.
    #[error("the record of paired device {} failed authentication", Hex(.endpoint_id))]
    AuthenticationFailed {
        /// The EndpointId.
        endpoint_id: [u8; 32],
        /// The authentication failure.
        #[source]
        source: RecordOpenError,
    },
    /// The stored record decrypted but cannot be decoded.
    #[error("the record of paired device {} is malformed", Hex(.endpoint_id))]
    Malformed {
        /// The EndpointId.
        endpoint_id: [u8; 32],
        /// Why.
        #[source]
        source: RecordDecodeError,
    },
    /// No randomness for the record's nonce.
    #[error("could not seal the paired device record")]
    Randomness {
        /// Why.
        #[from]
        source: RandomnessError,
    },
}

database_variant!(UpdatePairedAddrsError);

/// Why [`Store::remove_paired_device`](crate::Store::remove_paired_device) failed. Nothing was
/// removed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemovePairedDeviceError {
    /// The database could not be written.
    #[error("could not remove the paired device")]
    Database {
        /// Why.
        #[source]
        source: DatabaseError,
    },
}

database_variant!(RemovePairedDeviceError);
