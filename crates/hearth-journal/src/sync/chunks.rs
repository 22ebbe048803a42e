//! The layout of Automerge's chunks, as the Automerge binary format describes it: enough of each
//! to find its columns, never its operations.
//!
//! A chunk is the magic bytes, a 4-byte checksum, a type byte, a LEB128 length and that many bytes
//! of data. A change's data is its dependencies, actor, sequence number, start op, time, message
//! and other actors, then its columns: a list of (specification, length) pairs and the columns'
//! bytes in that order. A document's data is its actors and heads, then the metadata of its change
//! columns and of its op columns, then the bytes of both.

use super::ChunkError;
use super::runs::{sleb, uleb};

/// A whole document.
pub(super) const DOCUMENT: u8 = 0;
/// One change.
pub(super) const CHANGE: u8 = 1;
/// One change, its data compressed with DEFLATE.
pub(super) const COMPRESSED_CHANGE: u8 = 2;

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const HASH_LEN: usize = 32;
/// Bit 3 of a column specification: the column's data is compressed with DEFLATE.
const DEFLATE_BIT: u64 = 0b1000;

/// One chunk.
pub(super) struct Chunk<'a> {
    /// Its type.
    pub(super) kind: u8,
    /// Its data, after the header.
    pub(super) data: &'a [u8],
    /// How many bytes it takes, header included.
    pub(super) len: usize,
}

/// Splits off the first chunk of `bytes`; returns it and what follows.
pub(super) fn split(bytes: &[u8]) -> Result<(Chunk<'_>, &[u8]), ChunkError> {
    let mut rest = bytes;
    if take(&mut rest, MAGIC.len())? != MAGIC {
        return Err(ChunkError::Malformed);
    }
    let _checksum = take(&mut rest, 4)?;
    let kind = take(&mut rest, 1)?[0];
    let len = length(&mut rest)?;
    let data = take(&mut rest, len)?;
    let chunk = Chunk {
        kind,
        data,
        len: bytes.len() - rest.len(),
    };
    Ok((chunk, rest))
}

/// Whether `bytes` are exactly one whole document.
pub(crate) fn is_document(bytes: &[u8]) -> bool {
    matches!(split(bytes), Ok((chunk, rest)) if chunk.kind == DOCUMENT && rest.is_empty())
}

/// A column: its specification (id, type and DEFLATE bit) and its bytes as they are stored.
#[derive(Clone, Copy)]
pub(super) struct Column<'a> {
    pub(super) spec: u64,
    pub(super) data: &'a [u8],
}

impl Column<'_> {
    /// Whether the column's bytes are compressed.
    pub(super) fn deflated(&self) -> bool {
        self.spec & DEFLATE_BIT != 0
    }

    /// Its specification without the DEFLATE bit.
    pub(super) fn kind(&self) -> u64 {
        self.spec & !DEFLATE_BIT
    }
}

/// The parts of a change that say how many operations it holds and how they are numbered.
pub(super) struct Change<'a> {
    /// The counter of its first operation.
    pub(super) start_op: u64,
    /// Its op columns, never compressed.
    pub(super) columns: Vec<Column<'a>>,
}

/// Reads a change's data (what follows its chunk header, or what a compressed change inflates
/// to).
pub(super) fn change(data: &[u8]) -> Result<Change<'_>, ChunkError> {
    let mut rest = data;
    let deps = length(&mut rest)?;
    take(
        &mut rest,
        deps.checked_mul(HASH_LEN).ok_or(ChunkError::Malformed)?,
    )?;
    skip_bytes(&mut rest)?; // actor
    let _seq = uleb(&mut rest)?;
    let start_op = uleb(&mut rest)?;
    let _time = sleb(&mut rest)?;
    skip_bytes(&mut rest)?; // message
    for _ in 0..length(&mut rest)? {
        skip_bytes(&mut rest)?; // other actors
    }
    let meta = column_meta(&mut rest)?;
    let columns = column_data(meta, &mut rest)?;
    // Automerge refuses a change with compressed columns: so do we, rather than count them.
    if columns.iter().any(Column::deflated) {
        return Err(ChunkError::Malformed);
    }
    Ok(Change { start_op, columns })
}

/// The columns of a document.
pub(super) struct Document<'a> {
    /// One row per change.
    pub(super) changes: Vec<Column<'a>>,
    /// One row per operation.
    pub(super) ops: Vec<Column<'a>>,
}

/// Reads a document's data.
pub(super) fn document(data: &[u8]) -> Result<Document<'_>, ChunkError> {
    let mut rest = data;
    for _ in 0..length(&mut rest)? {
        skip_bytes(&mut rest)?; // actors
    }
    let heads = length(&mut rest)?;
    take(
        &mut rest,
        heads.checked_mul(HASH_LEN).ok_or(ChunkError::Malformed)?,
    )?;
    let change_meta = column_meta(&mut rest)?;
    let op_meta = column_meta(&mut rest)?;
    Ok(Document {
        changes: column_data(change_meta, &mut rest)?,
        ops: column_data(op_meta, &mut rest)?,
    })
}

/// A list of column specifications and data lengths.
fn column_meta(rest: &mut &[u8]) -> Result<Vec<(u64, usize)>, ChunkError> {
    let count = uleb(rest)?;
    // Each column takes at least two bytes of metadata: a count beyond that is a lie.
    if count > rest.len() as u64 / 2 {
        return Err(ChunkError::Malformed);
    }
    (0..count)
        .map(|_| Ok((uleb(rest)?, length(rest)?)))
        .collect()
}

/// The bytes of the columns `meta` lists, in order.
fn column_data<'a>(
    meta: Vec<(u64, usize)>,
    rest: &mut &'a [u8],
) -> Result<Vec<Column<'a>>, ChunkError> {
    meta.into_iter()
        .map(|(spec, len)| {
            Ok(Column {
                spec,
                data: take(rest, len)?,
            })
        })
        .collect()
}

/// A LEB128 length or count.
fn length(rest: &mut &[u8]) -> Result<usize, ChunkError> {
    usize::try_from(uleb(rest)?).map_err(|_| ChunkError::Malformed)
}

/// Skips a length-prefixed byte string.
fn skip_bytes(rest: &mut &[u8]) -> Result<(), ChunkError> {
    let len = length(rest)?;
    take(rest, len).map(|_| ())
}

fn take<'a>(rest: &mut &'a [u8], n: usize) -> Result<&'a [u8], ChunkError> {
    if rest.len() < n {
        return Err(ChunkError::Malformed);
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Ok(head)
}

/// Each change of `bytes`, whole (header included), if `bytes` are one or more changes and
/// nothing else; `None` for a document or anything that does not split into chunks.
pub(crate) fn changes(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let mut each = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (chunk, after) = split(rest).ok()?;
        if !matches!(chunk.kind, CHANGE | COMPRESSED_CHANGE) {
            return None;
        }
        each.push(&rest[..chunk.len]);
        rest = after;
    }
    Some(each)
}
