//! The tables of the database file. Every value is sealed (see `record`) except in [`META`] and
//! [`CHUNK_COUNTERS`] and [`SNAPSHOT_COVERS`], which hold only the format version, a sealed key check
//! and counters.

use redb::TableDefinition;

/// Plaintext `format_version` (`u16` little-endian) and the sealed `key_check`.
pub(crate) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
/// Sealed `device_key` and `journal_binding`.
pub(crate) const VAULT: TableDefinition<&str, &[u8]> = TableDefinition::new("vault");
/// Sealed paired devices, by EndpointId.
pub(crate) const PAIRED_DEVICES: TableDefinition<[u8; 32], &[u8]> =
    TableDefinition::new("paired_devices");
/// Sealed settings, by name.
pub(crate) const SETTINGS: TableDefinition<&str, &[u8]> = TableDefinition::new("settings");
/// Sealed Automerge sync states, by the peer's EndpointId.
pub(crate) const SYNC_STATES: TableDefinition<[u8; 32], &[u8]> =
    TableDefinition::new("sync_states");
/// Sealed snapshot of each document, by document code.
pub(crate) const SNAPSHOTS: TableDefinition<u8, &[u8]> = TableDefinition::new("snapshots");
/// Sealed change chunks, by (document code, sequence number).
pub(crate) const CHUNKS: TableDefinition<(u8, u64), &[u8]> = TableDefinition::new("chunks");
/// The sequence number the next chunk of each document gets, by document code.
pub(crate) const CHUNK_COUNTERS: TableDefinition<u8, u64> = TableDefinition::new("chunk_counters");

/// Key of the format version in [`META`].
pub(crate) const FORMAT_VERSION_KEY: &str = "format_version";
/// Key of the sealed ledger in [`META`] (see `ledger`).
pub(crate) const LEDGER_KEY: &str = "ledger";
/// Key of the key check in [`META`]: a sealed constant proving the storage key fits this file.
pub(crate) const KEY_CHECK_KEY: &str = "key_check";
/// The plaintext of the key check.
pub(crate) const KEY_CHECK_PLAINTEXT: &[u8] = b"hearth-store key check";
/// Key of the device's iroh secret key in [`VAULT`].
pub(crate) const DEVICE_KEY_KEY: &str = "device_key";
/// Key of the journal binding in [`VAULT`].
pub(crate) const JOURNAL_BINDING_KEY: &str = "journal_binding";

/// The mark the current snapshot of each document covers up to, by document code: a compaction
/// with an older mark would replace a newer snapshot and is refused.
pub(crate) const SNAPSHOT_COVERS: TableDefinition<u8, u64> =
    TableDefinition::new("snapshot_covers");

/// Creates every table, so that read transactions never meet a missing one.
pub(crate) fn create_all(txn: &redb::WriteTransaction) -> Result<(), redb::TableError> {
    txn.open_table(META)?;
    txn.open_table(VAULT)?;
    txn.open_table(PAIRED_DEVICES)?;
    txn.open_table(SETTINGS)?;
    txn.open_table(SYNC_STATES)?;
    txn.open_table(SNAPSHOTS)?;
    txn.open_table(CHUNKS)?;
    txn.open_table(CHUNK_COUNTERS)?;
    txn.open_table(SNAPSHOT_COVERS)?;
    Ok(())
}
