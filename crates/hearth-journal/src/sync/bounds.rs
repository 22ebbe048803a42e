//! How much work Automerge data from outside may ask for, decided before Automerge reads it.
//!
//! Automerge 0.12 walks, and allocates for, every operation a change or document declares, and
//! its run-length encoded columns let a few bytes declare billions of them: a 64-byte change that
//! declares a million operations costs 0.4 GiB and 3 seconds to load, 17 million abort the
//! process. The changes a document declares cost more still (about 1.8 KB each), and the
//! predecessors of a change's operations, the successors of a document's operations and the
//! dependencies of its changes are walked the same way. So each chunk's columns are read here for
//! what they declare, summing the runs without expanding them ([`runs`](super::runs)), and the
//! input is refused when it declares more than its size can honestly hold.
//!
//! Real data declares about one operation per byte or fewer (text is one per character written,
//! and the character is among the bytes); the deletion of a long text declares many in a few
//! bytes. So the limit grows with the input, [`OPS_PER_BYTE`] for each byte, over a flat
//! [`OPS_ALLOWANCE`], up to [`MAX_OPS`]; changes likewise, one for every [`BYTES_PER_CHANGE`]
//! bytes (real documents carry 160 to 200 bytes per change) over [`CHANGES_ALLOWANCE`], up to
//! [`MAX_DOCUMENT_CHANGES`]. Compressed parts count as what they inflate to, but at most
//! [`COMPRESSION_CREDIT`] times their own size, so that a DEFLATE stream of zeros earns no more
//! than that. The limits are for the whole input, not for each chunk, so that many small chunks
//! cannot each spend the allowance. Counters are bounded too: Automerge panics when an
//! operation's counter passes `u32::MAX`, and every change made here continues from the highest
//! counter it has seen.

use std::borrow::Cow;

use super::ChunkError;
use super::chunks::{self, CHANGE, COMPRESSED_CHANGE, Chunk, Column, DOCUMENT};
use super::inflate::Budget;
use super::runs::{self, Leb};

/// Operations an input may declare for each byte it carries (compressed parts: for each byte they
/// inflate to, within [`COMPRESSION_CREDIT`]).
pub const OPS_PER_BYTE: u64 = 10;
/// Operations any input may declare besides what its bytes earn: enough to delete ten of the
/// longest texts a field holds ([`MAX_TEXT_CHARS`](crate::MAX_TEXT_CHARS)), one operation per
/// character, each deletion a change of a few dozen bytes.
pub const OPS_ALLOWANCE: u64 = 1_000_000;
/// Operations no input may declare, however large: more than three times the 40 million or so of
/// a journal of 50,000 entries, saved as one document.
pub const MAX_OPS: u64 = 1 << 27;
/// Bytes of credit a compressed byte earns at most.
pub const COMPRESSION_CREDIT: u64 = 8;
/// Bytes an input must carry for each change its documents declare (compressed parts: bytes they
/// inflate to, within [`COMPRESSION_CREDIT`]).
pub const BYTES_PER_CHANGE: u64 = 4;
/// Changes the documents of any input may declare besides.
pub const CHANGES_ALLOWANCE: u64 = 10_000;
/// Changes the documents of no input may declare, however large: forty times the 98,000 or so of
/// a journal of 50,000 entries.
pub const MAX_DOCUMENT_CHANGES: u64 = 4_000_000;
/// The highest counter an operation may have: half of what Automerge can count to, so that the
/// changes made here after the highest counter a peer sent still fit.
pub const MAX_OP_COUNTER: u64 = 1 << 31;

/// Column specifications, from the Automerge binary format: the column id shifted left by four,
/// or'ed with the column type (0 group, 1 actor, 2 integer, 3 delta).
mod spec {
    /// The action of each operation, of a change or a document: one row per operation.
    pub(super) const ACTION: u64 = (4 << 4) | 2;
    /// How many predecessors each operation of a change lists.
    pub(super) const PREDECESSORS: u64 = 7 << 4;
    /// How many successors each operation of a document lists.
    pub(super) const SUCCESSORS: u64 = 8 << 4;
    /// The actor of each change of a document.
    pub(super) const CHANGE_ACTOR: u64 = 1;
    /// The sequence number of each change of a document.
    pub(super) const CHANGE_SEQ: u64 = 3;
    /// The highest counter of each change of a document.
    pub(super) const CHANGE_MAX_OP: u64 = (1 << 4) | 3;
    /// How many dependencies each change of a document lists.
    pub(super) const CHANGE_DEPS: u64 = 4 << 4;
    /// The dependencies of the changes of a document, each the index of another change.
    pub(super) const CHANGE_DEP_INDEX: u64 = (4 << 4) | 3;
}

/// Checks every chunk of an input, which may come in pieces (the changes of a sync message): each
/// is a whole document, change or compressed change; all compressed parts together inflate to at
/// most [`MAX_INFLATED`](super::MAX_INFLATED) bytes; and what the chunks declare stays within the
/// bounds above.
pub(crate) fn check<'a>(pieces: impl IntoIterator<Item = &'a [u8]>) -> Result<(), ChunkError> {
    let mut budget = Budget::new();
    let mut tally = Tally::default();
    for piece in pieces {
        let mut rest = piece;
        while !rest.is_empty() {
            let (chunk, after) = chunks::split(rest)?;
            match chunk.kind {
                CHANGE => {
                    tally.credit(chunk.len, 0, 0);
                    tally.change(chunks::change(chunk.data)?)?;
                }
                COMPRESSED_CHANGE => {
                    let data = budget.keep(chunk.data)?;
                    tally.credit(chunk.len, chunk.data.len(), data.len() as u64);
                    tally.change(chunks::change(&data)?)?;
                }
                DOCUMENT => tally.document(&chunk, &mut budget)?,
                _ => return Err(ChunkError::Malformed),
            }
            rest = after;
        }
    }
    tally.check()
}

/// What the chunks of one input declare, and what they earn.
#[derive(Default)]
struct Tally {
    /// Bytes of input, compressed parts counted within their credit.
    credit: u64,
    /// Operations.
    ops: u64,
    /// Predecessors, successors and dependencies listed.
    links: u64,
    /// Changes declared by documents.
    changes: u64,
    /// The highest counter of an operation.
    counter: u64,
}

impl Tally {
    /// Counts a chunk of `len` bytes, `compressed` of which inflate to `inflated`.
    fn credit(&mut self, len: usize, compressed: usize, inflated: u64) {
        let plain = (len - compressed) as u64;
        let earned = inflated.min((compressed as u64).saturating_mul(COMPRESSION_CREDIT));
        self.credit = self.credit.saturating_add(plain).saturating_add(earned);
    }

    fn change(&mut self, change: chunks::Change<'_>) -> Result<(), ChunkError> {
        let mut ops = 0u64;
        for column in &change.columns {
            match column.kind() {
                spec::ACTION => ops = ops.saturating_add(runs::len(column.data, Leb::Unsigned)?),
                spec::PREDECESSORS => self.link(runs::sum(column.data)?),
                _ => {}
            }
        }
        self.ops = self.ops.saturating_add(ops);
        // Its operations are numbered from the start op on.
        let last = change.start_op.saturating_add(ops.saturating_sub(1));
        self.counter = self.counter.max(change.start_op).max(last);
        Ok(())
    }

    fn document(&mut self, chunk: &Chunk<'_>, budget: &mut Budget) -> Result<(), ChunkError> {
        let document = chunks::document(chunk.data)?;
        let mut inflating = Inflating {
            budget,
            compressed: 0,
            inflated: 0,
        };
        let mut changes = 0u64;
        let mut deps = None;
        for column in &document.changes {
            let kind = column.kind();
            let counted = matches!(
                kind,
                spec::CHANGE_ACTOR
                    | spec::CHANGE_SEQ
                    | spec::CHANGE_MAX_OP
                    | spec::CHANGE_DEPS
                    | spec::CHANGE_DEP_INDEX
            );
            let Some(data) = inflating.open(column, counted)? else {
                continue;
            };
            // Automerge reads each of these columns whole before it compares their lengths.
            match kind {
                spec::CHANGE_ACTOR => changes = changes.max(runs::len(&data, Leb::Unsigned)?),
                spec::CHANGE_SEQ => changes = changes.max(runs::len(&data, Leb::Signed)?),
                spec::CHANGE_MAX_OP => {
                    changes = changes.max(runs::len(&data, Leb::Signed)?);
                    if let Some((_, max)) = runs::delta_range(&data)? {
                        let max = u64::try_from(max).map_err(|_| ChunkError::Malformed)?;
                        self.counter = self.counter.max(max);
                    }
                }
                spec::CHANGE_DEPS => {
                    changes = changes.max(runs::len(&data, Leb::Unsigned)?);
                    self.link(runs::sum(&data)?);
                }
                spec::CHANGE_DEP_INDEX => {
                    if let Some((low, high)) = runs::delta_range(&data)? {
                        deps = Some(deps.map_or((low, high), |(l, h): (i128, i128)| {
                            (l.min(low), h.max(high))
                        }));
                    }
                }
                _ => {}
            }
        }
        // Each dependency is the index of another change of the document: Automerge panics on
        // one past them.
        if let Some((low, high)) = deps
            && (low < 0 || high >= i128::from(changes))
        {
            return Err(ChunkError::Malformed);
        }
        for column in &document.ops {
            let kind = column.kind();
            let keep = kind == spec::ACTION || kind == spec::SUCCESSORS;
            let Some(data) = inflating.open(column, keep)? else {
                continue;
            };
            match kind {
                spec::ACTION => {
                    self.ops = self.ops.saturating_add(runs::len(&data, Leb::Unsigned)?);
                }
                spec::SUCCESSORS => self.link(runs::sum(&data)?),
                _ => {}
            }
        }
        self.changes = self.changes.saturating_add(changes);
        self.credit(chunk.len, inflating.compressed, inflating.inflated);
        Ok(())
    }

    fn link(&mut self, links: u64) {
        self.links = self.links.saturating_add(links);
    }

    /// Compares what was declared with what the input earned.
    fn check(&self) -> Result<(), ChunkError> {
        let limit = OPS_PER_BYTE
            .saturating_mul(self.credit)
            .saturating_add(OPS_ALLOWANCE)
            .min(MAX_OPS);
        if self.ops > limit {
            return Err(ChunkError::TooManyOps {
                declared: self.ops,
                limit,
            });
        }
        if self.links > limit {
            return Err(ChunkError::TooManyLinks {
                declared: self.links,
                limit,
            });
        }
        let limit = (self.credit / BYTES_PER_CHANGE)
            .saturating_add(CHANGES_ALLOWANCE)
            .min(MAX_DOCUMENT_CHANGES);
        if self.changes > limit {
            return Err(ChunkError::TooManyChanges {
                declared: self.changes,
                limit,
            });
        }
        if self.counter > MAX_OP_COUNTER {
            return Err(ChunkError::OpCounter {
                counter: self.counter,
                limit: MAX_OP_COUNTER,
            });
        }
        Ok(())
    }
}

/// A document's columns being read, compressed ones inflated within the budget.
struct Inflating<'b> {
    budget: &'b mut Budget,
    /// Bytes of the compressed columns so far.
    compressed: usize,
    /// What they inflated to.
    inflated: u64,
}

impl Inflating<'_> {
    /// A column's bytes: as they are, or inflated if compressed; `None` for a compressed column
    /// not to be kept, inflated into nothing to count it.
    fn open<'c>(
        &mut self,
        column: &Column<'c>,
        keep: bool,
    ) -> Result<Option<Cow<'c, [u8]>>, ChunkError> {
        if !column.deflated() {
            return Ok(Some(Cow::Borrowed(column.data)));
        }
        self.compressed += column.data.len();
        if keep {
            let data = self.budget.keep(column.data)?;
            self.inflated += data.len() as u64;
            Ok(Some(Cow::Owned(data)))
        } else {
            self.inflated += self.budget.count(column.data)?;
            Ok(None)
        }
    }
}

#[cfg(test)]
#[path = "../../tests/support/bombs.rs"]
mod bombs;

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(len: usize) -> u64 {
        OPS_PER_BYTE * len as u64 + OPS_ALLOWANCE
    }

    #[test]
    fn a_change_may_declare_up_to_the_limit_for_its_size() {
        let len = bombs::change(1, OPS_ALLOWANCE).len();
        let at = bombs::change(1, limit(len));
        assert_eq!(at.len(), len);
        assert!(check([at.as_slice()]).is_ok());
        let past = bombs::change(1, limit(len) + 1);
        assert_eq!(past.len(), len);
        assert!(matches!(
            check([past.as_slice()]),
            Err(ChunkError::TooManyOps { declared, limit: l }) if declared == limit(len) + 1 && l == limit(len)
        ));
    }

    #[test]
    fn the_limit_is_for_the_whole_input_not_each_chunk() {
        let len = bombs::change(1, OPS_ALLOWANCE).len();
        let one = bombs::change(1, limit(len));
        assert!(check([one.as_slice()]).is_ok());
        assert!(matches!(
            check([one.as_slice(), one.as_slice()]),
            Err(ChunkError::TooManyOps { .. })
        ));
        let both = [one.as_slice(), one.as_slice()].concat();
        assert!(matches!(
            check([both.as_slice()]),
            Err(ChunkError::TooManyOps { .. })
        ));
    }

    #[test]
    fn no_input_declares_more_than_the_absolute_caps() {
        // Enough bytes to earn far more: the caps hold.
        let len = (MAX_OPS / OPS_PER_BYTE) as usize;
        let mut data = bombs::change_data(1, MAX_OPS, 0);
        data.resize(len, 0);
        let at = bombs::chunk(bombs::CHANGE, &data);
        assert!(check([at.as_slice()]).is_ok());
        let mut data = bombs::change_data(1, MAX_OPS + 1, 0);
        data.resize(len * 2, 0);
        let past = bombs::chunk(bombs::CHANGE, &data);
        assert!(matches!(
            check([past.as_slice()]),
            Err(ChunkError::TooManyOps { limit: MAX_OPS, .. })
        ));
        let changes = bombs::document(MAX_DOCUMENT_CHANGES + 1, 1);
        let padding = vec![0; (MAX_DOCUMENT_CHANGES * BYTES_PER_CHANGE * 2) as usize];
        assert!(matches!(
            check([
                changes.as_slice(),
                &bombs::chunk(
                    bombs::CHANGE,
                    &[bombs::change_data(1, 1, 0), padding].concat()
                )
            ]),
            Err(ChunkError::TooManyChanges {
                limit: MAX_DOCUMENT_CHANGES,
                ..
            })
        ));
    }

    #[test]
    fn a_document_may_declare_changes_up_to_the_limit_for_its_size() {
        let len = bombs::document(CHANGES_ALLOWANCE, 1).len();
        let limit = CHANGES_ALLOWANCE + len as u64 / BYTES_PER_CHANGE;
        let at = bombs::document(limit, 1);
        assert_eq!(at.len(), len);
        assert!(check([at.as_slice()]).is_ok());
        let past = bombs::document(limit + 1, 1);
        assert!(matches!(
            check([past.as_slice()]),
            Err(ChunkError::TooManyChanges { declared, .. }) if declared == limit + 1
        ));
    }

    #[test]
    fn compressed_bytes_earn_what_they_inflate_to_within_the_credit() {
        // Stored DEFLATE inflates to a little less than itself: it earns what it inflates to.
        let data = bombs::change_data(1, OPS_ALLOWANCE, 0);
        let stored = bombs::stored_deflate(&data);
        let chunk = bombs::compressed_change(&data, &stored);
        let header = chunk.len() - stored.len();
        let mut tally = Tally::default();
        tally.credit(chunk.len(), stored.len(), data.len() as u64);
        assert_eq!(tally.credit, (header + data.len()) as u64);
        // Zeros inflate a thousandfold: they earn COMPRESSION_CREDIT times their size.
        let mut tally = Tally::default();
        tally.credit(1_100, 1_000, 1_000_000);
        assert_eq!(tally.credit, 100 + 1_000 * COMPRESSION_CREDIT);
    }
}
