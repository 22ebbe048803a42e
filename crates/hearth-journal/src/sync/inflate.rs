//! What a sync message's compressed parts inflate to, measured within a budget before Automerge
//! inflates them without one.
//!
//! Automerge 0.12 compresses with DEFLATE in two places: a whole change (chunk type 2), and the
//! columns of a document (chunk type 0) marked with the DEFLATE bit. It inflates both completely
//! as it loads them, so half a MiB of a peer's zeros could become gigabytes. Here every DEFLATE
//! stream of the message is inflated into nothing, counting, and the message is refused as soon
//! as the total passes the budget. The chunk layouts are those of the Automerge binary format.

use std::io::Read;

use super::InvalidSyncMessage;

/// The most all compressed parts of one sync message may inflate to. A whole journal of years,
/// sent as one document, is a small fraction of it.
pub const MAX_INFLATED: u64 = 256 * 1024 * 1024;

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const DOCUMENT: u8 = 0;
const CHANGE: u8 = 1;
const COMPRESSED_CHANGE: u8 = 2;
/// Bit 3 of a column specification: the column's data is DEFLATE-compressed.
const DEFLATE_BIT: u64 = 0b1000;
const HASH_LEN: usize = 32;

/// Checks the chunks a sync message carries: each piece holds whole chunks of the kinds Automerge
/// sends in sync (documents, changes, compressed changes), and all their DEFLATE streams together
/// inflate to at most [`MAX_INFLATED`] bytes.
pub(super) fn check_chunks<'a>(
    pieces: impl Iterator<Item = &'a [u8]>,
) -> Result<(), InvalidSyncMessage> {
    let mut budget = Budget(MAX_INFLATED);
    for piece in pieces {
        let mut rest = piece;
        while !rest.is_empty() {
            let (kind, data, after) = split_chunk(rest)?;
            match kind {
                CHANGE => {}
                COMPRESSED_CHANGE => budget.inflate(data)?,
                DOCUMENT => check_document(data, &mut budget)?,
                _ => return Err(InvalidSyncMessage::Chunk),
            }
            rest = after;
        }
    }
    Ok(())
}

/// What is left of the budget, in inflated bytes.
struct Budget(u64);

impl Budget {
    /// Inflates `stream` into nothing, taking what it inflates to from the budget.
    fn inflate(&mut self, stream: &[u8]) -> Result<(), InvalidSyncMessage> {
        let mut inflater = flate2::bufread::DeflateDecoder::new(stream).take(self.0 + 1);
        let inflated = std::io::copy(&mut inflater, &mut std::io::sink())
            .map_err(|_| InvalidSyncMessage::Chunk)?;
        if inflated > self.0 {
            return Err(InvalidSyncMessage::Inflates {
                limit: MAX_INFLATED,
            });
        }
        self.0 -= inflated;
        Ok(())
    }
}

/// Splits off one chunk: its type, its data, and what follows it.
fn split_chunk(bytes: &[u8]) -> Result<(u8, &[u8], &[u8]), InvalidSyncMessage> {
    let mut rest = bytes;
    let magic = take(&mut rest, MAGIC.len())?;
    if magic != MAGIC {
        return Err(InvalidSyncMessage::Chunk);
    }
    let _checksum = take(&mut rest, 4)?;
    let kind = take(&mut rest, 1)?[0];
    let len = leb128(&mut rest)?;
    let data = take(
        &mut rest,
        usize::try_from(len).map_err(|_| InvalidSyncMessage::Chunk)?,
    )?;
    Ok((kind, data, rest))
}

/// A document: actors, heads, the change and op column metadata, then the columns' data in the
/// same order. Inflates each column marked DEFLATE.
fn check_document(data: &[u8], budget: &mut Budget) -> Result<(), InvalidSyncMessage> {
    let mut rest = data;
    for _ in 0..leb128(&mut rest)? {
        let len = leb128(&mut rest)?;
        take(
            &mut rest,
            usize::try_from(len).map_err(|_| InvalidSyncMessage::Chunk)?,
        )?;
    }
    let heads = leb128(&mut rest)?;
    let heads_len = usize::try_from(heads)
        .ok()
        .and_then(|h| h.checked_mul(HASH_LEN))
        .ok_or(InvalidSyncMessage::Chunk)?;
    take(&mut rest, heads_len)?;
    let mut columns = column_meta(&mut rest)?;
    columns.extend(column_meta(&mut rest)?);
    for (spec, len) in columns {
        let column = take(&mut rest, len)?;
        if spec & DEFLATE_BIT != 0 {
            budget.inflate(column)?;
        }
    }
    Ok(())
}

/// A list of column specifications and data lengths.
fn column_meta(rest: &mut &[u8]) -> Result<Vec<(u64, usize)>, InvalidSyncMessage> {
    let count = leb128(rest)?;
    // Each column takes at least two bytes of metadata: a count beyond that is a lie.
    if count > rest.len() as u64 / 2 {
        return Err(InvalidSyncMessage::Chunk);
    }
    (0..count)
        .map(|_| {
            let spec = leb128(rest)?;
            let len = leb128(rest)?;
            Ok((
                spec,
                usize::try_from(len).map_err(|_| InvalidSyncMessage::Chunk)?,
            ))
        })
        .collect()
}

fn take<'a>(rest: &mut &'a [u8], n: usize) -> Result<&'a [u8], InvalidSyncMessage> {
    if rest.len() < n {
        return Err(InvalidSyncMessage::Chunk);
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Ok(head)
}

fn leb128(rest: &mut &[u8]) -> Result<u64, InvalidSyncMessage> {
    super::leb128(rest).ok_or(InvalidSyncMessage::Chunk)
}

#[cfg(test)]
#[path = "../../tests/support/crafted.rs"]
mod crafted;

#[cfg(test)]
mod tests {
    use super::*;

    use super::crafted::{
        chunk, deflate, deflated_zeros, document_with_deflated_column as document, leb128 as leb,
    };

    fn check(pieces: &[Vec<u8>]) -> Result<(), InvalidSyncMessage> {
        check_chunks(pieces.iter().map(Vec::as_slice))
    }

    #[test]
    fn compressed_parts_within_the_budget_pass() {
        let small = deflate(&[7u8; 100_000]);
        assert!(check(&[chunk(COMPRESSED_CHANGE, &small), document(&small)]).is_ok());
        assert!(check(&[chunk(CHANGE, b"whatever a change holds")]).is_ok());
        assert!(check(&[]).is_ok());
    }

    #[test]
    fn a_compressed_change_past_the_budget_is_refused() {
        let bomb = deflated_zeros(MAX_INFLATED + 1);
        assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
        assert!(matches!(
            check(&[chunk(COMPRESSED_CHANGE, &bomb)]),
            Err(InvalidSyncMessage::Inflates { .. })
        ));
    }

    #[test]
    fn a_document_column_past_the_budget_is_refused() {
        let bomb = deflated_zeros(MAX_INFLATED + 1);
        assert!(matches!(
            check(&[document(&bomb)]),
            Err(InvalidSyncMessage::Inflates { .. })
        ));
    }

    #[test]
    fn the_budget_is_for_the_whole_message() {
        let half = deflated_zeros(MAX_INFLATED / 2 + 1);
        let one = chunk(COMPRESSED_CHANGE, &half);
        assert!(check(std::slice::from_ref(&one)).is_ok());
        assert!(matches!(
            check(&[one.clone(), one]),
            Err(InvalidSyncMessage::Inflates { .. })
        ));
    }

    /// Whether a piece holds a compressed change, or a document with a compressed column.
    fn compressed(piece: &[u8]) -> bool {
        let Ok((kind, data, _)) = split_chunk(piece) else {
            return false;
        };
        let mut budget = Budget(0);
        kind == COMPRESSED_CHANGE
            || (kind == DOCUMENT && check_document(data, &mut budget).is_err())
    }

    #[test]
    fn a_real_journal_with_compressed_parts_syncs_through_the_check() {
        use crate::sync::{PeerSync, validate_sync_message};
        use crate::*;

        let member = Member {
            id: MemberId::new("ada"),
            name: "Ada".into(),
            joined_ms: crate::UnixMs::EPOCH,
        };
        let mut ada = Journal::create(
            &JournalId::new("j"),
            &member,
            LocalDate::from_days_since_epoch(20_000),
            crate::UnixMs::EPOCH,
            [1; 16],
        )
        .expect("create");
        for n in 0..200u8 {
            let stamp = Stamp {
                member: member.id.clone(),
                device: DeviceRef::new("d"),
                now_ms: crate::UnixMs::from_millis(i64::from(n)),
            };
            let body = format!("a long evening walk by the river, the {n}th time ").repeat(20);
            ada.write(
                &EntryId::new(crate::UnixMs::from_millis(i64::from(n)), [n; 9]),
                &stamp,
                &Content::Journal { body },
            )
            .expect("write");
        }
        let mut ben = Journal::replica([2; 16]);
        let (mut sa, mut sb) = (PeerSync::new(), PeerSync::new());
        let mut compressed_parts = 0;
        for _ in 0..50 {
            let mut quiet = true;
            if let Some(m) = ada.generate_sync_message(&mut sa).expect("generate") {
                let message = validate_sync_message(&m).expect("a real message passes");
                compressed_parts += message.0.changes.iter().filter(|c| compressed(c)).count();
                ben.receive_sync_message(&mut sb, message).expect("receive");
                quiet = false;
            }
            if let Some(m) = ben.generate_sync_message(&mut sb).expect("generate") {
                let message = validate_sync_message(&m).expect("a real message passes");
                ada.receive_sync_message(&mut sa, message).expect("receive");
                quiet = false;
            }
            if quiet {
                break;
            }
        }
        assert_eq!(ben.scan().entries.len(), 200);
        assert!(
            compressed_parts > 0,
            "the journal travelled with compressed parts"
        );
    }

    #[test]
    fn broken_or_foreign_chunks_are_refused() {
        let whole = chunk(CHANGE, b"abc");
        for bad in [
            whole[..whole.len() - 1].to_vec(),
            chunk(3, b"a bundle"),
            chunk(9, b""),
            b"not a chunk at all".to_vec(),
            chunk(COMPRESSED_CHANGE, b"not deflate \xff\xff\xff"),
        ] {
            assert!(check(std::slice::from_ref(&bad)).is_err(), "{bad:?}");
        }
        let mut lying = vec![0, 0];
        leb(u64::MAX >> 1, &mut lying);
        assert!(check(&[chunk(DOCUMENT, &lying)]).is_err());
    }
}
