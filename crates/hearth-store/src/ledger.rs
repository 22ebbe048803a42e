//! The ledger: one sealed record that commits to every other record of the store, so that records
//! from different moments cannot be mixed unnoticed.
//!
//! Sealing each record with associated data naming its slot stops a record from being *moved*;
//! it does not stop an older copy of the same slot from being *put back* (an old paired-device
//! record, an old snapshot), a chunk from being dropped, or a counter from being rolled back by
//! someone who can write to the disk. The ledger closes that gap:
//!
//! - Every entry of every table (the plaintext counters too) has a **tag**: HMAC-SHA256 under the
//!   ledger key (derived from the storage key, [`LedgerKey`]) of its table, key and stored bytes.
//! - The ledger holds the **sum** of all tags modulo 2²⁵⁶, and the number of writes so far,
//!   sealed under the storage key in [`META`] under `ledger`.
//! - Each write transaction adds the tags of what it writes, subtracts the tags of what it
//!   replaces or removes, and rewrites the ledger in the same transaction ([`Tally`]).
//! - [`Store::open`](crate::Store::open) sums the tags of everything on disk and refuses a store
//!   whose sum is not the ledger's.
//!
//! The tags are keyed and the ledger is sealed, so someone without the storage key can neither
//! compute the sum of a mixture nor see the sums of past moments to combine them. What stays out of
//! reach is putting back the *whole* database file as it was at an earlier moment (with its
//! ledger): nothing kept only on this disk can tell that from the real thing. docs/threat-model.md
//! says so.

use hearth_crypto::StorageKey;
use hearth_crypto::at_rest::LedgerKey;
use redb::{ReadTransaction, ReadableTable, Table, TableDefinition, TableHandle};

use crate::random::RandomnessError;
use crate::record::{self, Slot, chunk_key};
use crate::tables::{
    CHUNK_COUNTERS, CHUNKS, LEDGER_KEY, META, PAIRED_DEVICES, SETTINGS, SNAPSHOT_COVERS, SNAPSHOTS,
    SYNC_STATES, VAULT,
};
use crate::{DocId, Record, RecordOpenError};

/// The keys of an unlocked store: the storage key that seals records, and the ledger key derived
/// from it.
pub(crate) struct Keys {
    pub(crate) storage: StorageKey,
    pub(crate) ledger: LedgerKey,
}

impl Keys {
    pub(crate) fn new(storage: StorageKey) -> Keys {
        let ledger = LedgerKey::of(&storage);
        Keys { storage, ledger }
    }
}

/// A sum of tags modulo 2²⁵⁶, as four little-endian 64-bit limbs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Sum([u64; 4]);

impl Sum {
    fn limbs(tag: &[u8; 32]) -> [u64; 4] {
        let mut limbs = [0u64; 4];
        for (limb, bytes) in limbs.iter_mut().zip(tag.chunks_exact(8)) {
            let mut word = [0u8; 8];
            word.copy_from_slice(bytes);
            *limb = u64::from_le_bytes(word);
        }
        limbs
    }

    fn add(&mut self, other: [u64; 4]) {
        let mut carry = false;
        for (limb, add) in self.0.iter_mut().zip(other) {
            let (sum, c1) = limb.overflowing_add(add);
            let (sum, c2) = sum.overflowing_add(u64::from(carry));
            *limb = sum;
            carry = c1 || c2;
        }
    }

    fn sub(&mut self, other: [u64; 4]) {
        let mut borrow = false;
        for (limb, sub) in self.0.iter_mut().zip(other) {
            let (diff, b1) = limb.overflowing_sub(sub);
            let (diff, b2) = diff.overflowing_sub(u64::from(borrow));
            *limb = diff;
            borrow = b1 || b2;
        }
    }

    fn add_tag(&mut self, tag: &[u8; 32]) {
        self.add(Sum::limbs(tag));
    }

    fn to_bytes(self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (bytes, limb) in out.chunks_exact_mut(8).zip(self.0) {
            bytes.copy_from_slice(&limb.to_le_bytes());
        }
        out
    }

    fn from_bytes(bytes: &[u8; 32]) -> Sum {
        Sum(Sum::limbs(bytes))
    }
}

/// What one write transaction adds to and takes from the ledger's sum.
pub(crate) struct Tally {
    ledger: LedgerKey,
    added: Sum,
    removed: Sum,
}

impl Tally {
    pub(crate) fn new(ledger: &LedgerKey) -> Tally {
        Tally {
            ledger: ledger.clone(),
            added: Sum::default(),
            removed: Sum::default(),
        }
    }

    /// Records that the entry `key` of `table` held `old` (if anything) and now holds `new` (if
    /// anything). `key` is the entry's slot key (see `record::Slot`): the bytes its seal names.
    pub(crate) fn swap(&mut self, table: &str, key: &[u8], old: Option<&[u8]>, new: Option<&[u8]>) {
        if let Some(old) = old {
            self.removed
                .add_tag(&self.ledger.tag(table.as_bytes(), key, old));
        }
        if let Some(new) = new {
            self.added
                .add_tag(&self.ledger.tag(table.as_bytes(), key, new));
        }
    }

    /// As [`Tally::swap`] for the plaintext numbers kept per document.
    pub(crate) fn swap_number(&mut self, table: &str, code: u8, old: Option<u64>, new: u64) {
        let old = old.map(u64::to_le_bytes);
        self.swap(
            table,
            &[code],
            old.as_ref().map(|o| o.as_slice()),
            Some(&new.to_le_bytes()),
        );
    }
}

/// The ledger record: how many write transactions the store has committed, and the sum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ledger {
    pub(crate) writes: u64,
    pub(crate) sum: Sum,
}

/// Why the ledger could not be read.
#[derive(Debug)]
pub(crate) enum LedgerError {
    Missing,
    Storage(redb::StorageError),
    Open(RecordOpenError),
    Malformed,
}

impl From<redb::StorageError> for LedgerError {
    fn from(e: redb::StorageError) -> Self {
        LedgerError::Storage(e)
    }
}

fn slot() -> Slot<'static> {
    Slot {
        table: META.name(),
        key: LEDGER_KEY.as_bytes(),
    }
}

impl Ledger {
    /// The ledger of a store that holds nothing but `sum`.
    pub(crate) fn starting_at(sum: Sum) -> Ledger {
        Ledger { writes: 0, sum }
    }

    pub(crate) fn read(
        meta: &impl ReadableTable<&'static str, &'static [u8]>,
        keys: &Keys,
    ) -> Result<Ledger, LedgerError> {
        let sealed = meta.get(LEDGER_KEY)?.ok_or(LedgerError::Missing)?;
        let plain =
            record::open(&keys.storage, slot(), sealed.value()).map_err(LedgerError::Open)?;
        let plain: &[u8; 40] = plain
            .as_slice()
            .try_into()
            .map_err(|_| LedgerError::Malformed)?;
        let (writes, sum) = plain.split_at(8);
        let writes = u64::from_le_bytes(writes.try_into().map_err(|_| LedgerError::Malformed)?);
        let sum: &[u8; 32] = sum.try_into().map_err(|_| LedgerError::Malformed)?;
        Ok(Ledger {
            writes,
            sum: Sum::from_bytes(sum),
        })
    }

    pub(crate) fn write(
        &self,
        meta: &mut Table<&'static str, &'static [u8]>,
        keys: &Keys,
    ) -> Result<(), LedgerWriteError> {
        let mut plain = [0u8; 40];
        plain[..8].copy_from_slice(&self.writes.to_le_bytes());
        plain[8..].copy_from_slice(&self.sum.to_bytes());
        let sealed = record::seal(&keys.storage, slot(), &plain)?;
        meta.insert(LEDGER_KEY, sealed.as_slice())?;
        Ok(())
    }

    /// This ledger after a transaction that changed `tally`.
    pub(crate) fn after(mut self, tally: &Tally) -> Ledger {
        self.sum.add(tally.added.0);
        self.sum.sub(tally.removed.0);
        self.writes = self.writes.wrapping_add(1);
        self
    }
}

/// Why the ledger could not be written.
#[derive(Debug)]
pub(crate) enum LedgerWriteError {
    Storage(redb::StorageError),
    Randomness(RandomnessError),
}

impl From<redb::StorageError> for LedgerWriteError {
    fn from(e: redb::StorageError) -> Self {
        LedgerWriteError::Storage(e)
    }
}

impl From<RandomnessError> for LedgerWriteError {
    fn from(e: RandomnessError) -> Self {
        LedgerWriteError::Randomness(e)
    }
}

/// One stored entry, as the ledger sees it: its table, its key as bytes, its stored bytes, and
/// (for sealed records) the record it is, to name it when it fails to open.
pub(crate) struct Entry<'t> {
    pub(crate) table: &'t str,
    pub(crate) key: Vec<u8>,
    pub(crate) value: Vec<u8>,
    pub(crate) sealed: Option<Record>,
}

/// Calls `each` with every entry of every table but the ledger itself.
pub(crate) fn for_each_entry(
    txn: &ReadTransaction,
    mut each: impl FnMut(Entry<'_>) -> bool,
) -> Result<(), redb::Error> {
    fn by_name<F: FnMut(Entry<'_>) -> bool>(
        txn: &ReadTransaction,
        table: TableDefinition<&'static str, &'static [u8]>,
        sealed: impl Fn(&str) -> Option<Record>,
        each: &mut F,
    ) -> Result<bool, redb::Error> {
        for entry in txn.open_table(table)?.iter()? {
            let (key, value) = entry?;
            let key = key.value();
            if table.name() == META.name() && key == LEDGER_KEY {
                continue;
            }
            if !each(Entry {
                table: table.name(),
                key: key.as_bytes().to_vec(),
                value: value.value().to_vec(),
                sealed: sealed(key),
            }) {
                return Ok(false);
            }
        }
        Ok(true)
    }
    fn by_id<F: FnMut(Entry<'_>) -> bool>(
        txn: &ReadTransaction,
        table: TableDefinition<[u8; 32], &'static [u8]>,
        sealed: impl Fn([u8; 32]) -> Record,
        each: &mut F,
    ) -> Result<bool, redb::Error> {
        for entry in txn.open_table(table)?.iter()? {
            let (key, value) = entry?;
            let key = key.value();
            if !each(Entry {
                table: table.name(),
                key: key.to_vec(),
                value: value.value().to_vec(),
                sealed: Some(sealed(key)),
            }) {
                return Ok(false);
            }
        }
        Ok(true)
    }
    fn numbers<F: FnMut(Entry<'_>) -> bool>(
        txn: &ReadTransaction,
        table: TableDefinition<u8, u64>,
        each: &mut F,
    ) -> Result<bool, redb::Error> {
        for entry in txn.open_table(table)?.iter()? {
            let (key, value) = entry?;
            if !each(Entry {
                table: table.name(),
                key: vec![key.value()],
                value: value.value().to_le_bytes().to_vec(),
                sealed: None,
            }) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    let go_on = by_name(
        txn,
        META,
        |key| (key != crate::tables::FORMAT_VERSION_KEY).then_some(Record::KeyCheck),
        &mut each,
    )? && by_name(
        txn,
        VAULT,
        |key| {
            Some(if key == crate::tables::DEVICE_KEY_KEY {
                Record::DeviceKey
            } else {
                Record::JournalBinding
            })
        },
        &mut each,
    )? && by_name(
        txn,
        SETTINGS,
        |key| Some(Record::Setting { key: key.into() }),
        &mut each,
    )? && by_id(
        txn,
        PAIRED_DEVICES,
        |endpoint_id| Record::PairedDevice { endpoint_id },
        &mut each,
    )? && by_id(
        txn,
        SYNC_STATES,
        |peer| Record::SyncState { peer },
        &mut each,
    )? && numbers(txn, CHUNK_COUNTERS, &mut each)?
        && numbers(txn, SNAPSHOT_COVERS, &mut each)?;
    if !go_on {
        return Ok(());
    }
    for entry in txn.open_table(SNAPSHOTS)?.iter()? {
        let (code, value) = entry?;
        let code = code.value();
        if !each(Entry {
            table: SNAPSHOTS.name(),
            key: vec![code],
            value: value.value().to_vec(),
            sealed: DocId::from_code(code).map(|doc| Record::Snapshot { doc }),
        }) {
            return Ok(());
        }
    }
    let mut index = (0u8, 0usize);
    for entry in txn.open_table(CHUNKS)?.iter()? {
        let (key, value) = entry?;
        let (code, seq) = key.value();
        if index.0 != code {
            index = (code, 0);
        }
        if !each(Entry {
            table: CHUNKS.name(),
            key: chunk_key(code, seq).to_vec(),
            value: value.value().to_vec(),
            sealed: DocId::from_code(code).map(|doc| Record::Chunk {
                doc,
                index: index.1,
            }),
        }) {
            return Ok(());
        }
        index.1 += 1;
    }
    Ok(())
}

/// The sum of the tags of everything the store holds.
pub(crate) fn sum_of(txn: &ReadTransaction, keys: &Keys) -> Result<Sum, redb::Error> {
    let mut sum = Sum::default();
    for_each_entry(txn, |entry| {
        sum.add_tag(
            &keys
                .ledger
                .tag(entry.table.as_bytes(), &entry.key, &entry.value),
        );
        true
    })?;
    Ok(sum)
}

/// The first sealed record that does not open under `keys` in its own slot, with why: to name
/// the damaged record when the sum does not match.
pub(crate) fn first_unopenable(
    txn: &ReadTransaction,
    keys: &Keys,
) -> Result<Option<(Record, RecordOpenError)>, redb::Error> {
    let mut found = None;
    for_each_entry(txn, |entry| {
        let Some(record) = entry.sealed else {
            return true;
        };
        let slot = Slot {
            table: entry.table,
            key: &entry.key,
        };
        match record::open(&keys.storage, slot, &entry.value) {
            Ok(_) => true,
            Err(err) => {
                found = Some((record, err));
                false
            }
        }
    })?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(n: u8) -> [u8; 32] {
        let mut t = [0xffu8; 32];
        t[0] = n;
        t
    }

    #[test]
    fn adding_and_taking_away_a_tag_gives_the_sum_back() {
        let mut sum = Sum::default();
        sum.add_tag(&tag(1));
        let one = sum;
        sum.add_tag(&tag(200));
        assert_ne!(sum, one);
        sum.sub(Sum::limbs(&tag(200)));
        assert_eq!(sum, one);
        sum.sub(Sum::limbs(&tag(1)));
        assert_eq!(sum, Sum::default());
    }

    #[test]
    fn sums_carry_across_limbs_and_wrap() {
        let mut sum = Sum([u64::MAX, u64::MAX, u64::MAX, u64::MAX]);
        sum.add([1, 0, 0, 0]);
        assert_eq!(sum, Sum::default(), "2^256 - 1 + 1 wraps to 0");
        sum.sub([1, 0, 0, 0]);
        assert_eq!(sum, Sum([u64::MAX; 4]));
        let bytes = sum.to_bytes();
        assert_eq!(Sum::from_bytes(&bytes), sum);
    }

    #[test]
    fn a_tally_of_a_replaced_entry_moves_the_sum_by_the_difference() {
        let keys = Keys::new(StorageKey::from_bytes([3; 32]));
        let mut before = Sum::default();
        before.add_tag(&keys.ledger.tag(b"t", b"k", b"old"));
        let mut tally = Tally::new(&keys.ledger);
        tally.swap("t", b"k", Some(b"old"), Some(b"new"));
        let after = Ledger::starting_at(before).after(&tally);
        let mut expected = Sum::default();
        expected.add_tag(&keys.ledger.tag(b"t", b"k", b"new"));
        assert_eq!(after.sum, expected);
        assert_eq!(after.writes, 1);
    }
}
