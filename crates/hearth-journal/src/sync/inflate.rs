//! What the compressed parts of Automerge data from outside inflate to, measured within a budget
//! before Automerge inflates them without one.
//!
//! Automerge 0.12 compresses with DEFLATE in two places: a whole change (chunk type 2), and the
//! columns of a document (chunk type 0) marked with the DEFLATE bit. It inflates both completely
//! as it loads them, so half a MiB of a peer's zeros could become gigabytes. Here every DEFLATE
//! stream of an input is inflated, into nothing or, for the parts whose operations are counted
//! next ([`bounds`](super::bounds)), into memory, and the input is refused as soon as the total
//! passes the budget.

use std::io::Read;

use super::ChunkError;

/// The most all compressed parts of one input (a sync message, a snapshot, a batch of stored
/// changes) may inflate to. A whole journal of years, sent as one document, is a small fraction
/// of it.
pub const MAX_INFLATED: u64 = 256 * 1024 * 1024;

/// What is left of the budget, in inflated bytes.
pub(super) struct Budget(u64);

impl Budget {
    /// The whole budget of one input.
    pub(super) fn new() -> Self {
        Budget(MAX_INFLATED)
    }

    /// Inflates `stream` into nothing, taking what it inflates to from the budget; returns that.
    pub(super) fn count(&mut self, stream: &[u8]) -> Result<u64, ChunkError> {
        self.inflate(stream, &mut std::io::sink())
    }

    /// Inflates `stream` and keeps what it inflates to, taking that from the budget. It is counted
    /// first, into nothing, so that a stream past the budget is refused without being held.
    pub(super) fn keep(&mut self, stream: &[u8]) -> Result<Vec<u8>, ChunkError> {
        let len = self.count(stream)?;
        let mut out = Vec::with_capacity(usize::try_from(len).map_err(|_| ChunkError::Malformed)?);
        flate2::bufread::DeflateDecoder::new(stream)
            .read_to_end(&mut out)
            .map_err(|_| ChunkError::Malformed)?;
        Ok(out)
    }

    fn inflate(&mut self, stream: &[u8], out: &mut impl std::io::Write) -> Result<u64, ChunkError> {
        let mut inflater = flate2::bufread::DeflateDecoder::new(stream).take(self.0 + 1);
        let inflated = std::io::copy(&mut inflater, out).map_err(|_| ChunkError::Malformed)?;
        if inflated > self.0 {
            return Err(ChunkError::Inflates {
                limit: MAX_INFLATED,
            });
        }
        self.0 -= inflated;
        Ok(inflated)
    }
}

#[cfg(test)]
#[path = "../../tests/support/crafted.rs"]
mod crafted;

#[cfg(test)]
mod tests {
    use super::super::bounds::check;
    use super::super::chunks::{self, CHANGE, COMPRESSED_CHANGE, DOCUMENT};
    use super::*;

    use super::crafted::{
        chunk, deflate, deflated_zeros, document_with_deflated_column as document, leb128 as leb,
    };

    fn check_all(pieces: &[Vec<u8>]) -> Result<(), ChunkError> {
        check(pieces.iter().map(Vec::as_slice))
    }

    /// A change as Automerge writes it, and the same change compressed as Automerge sends it.
    fn real_change() -> (Vec<u8>, Vec<u8>) {
        use automerge::transaction::Transactable;
        let mut doc = automerge::AutoCommit::new();
        doc.put(
            automerge::ROOT,
            "k",
            "a long evening walk by the river ".repeat(20),
        )
        .expect("put");
        doc.commit();
        let mut change = doc.get_last_local_change().expect("just made").clone();
        let plain = change.raw_bytes().to_vec();
        let compressed = change.bytes().into_owned();
        assert_eq!(compressed[8], COMPRESSED_CHANGE);
        (plain, compressed)
    }

    #[test]
    fn compressed_parts_within_the_budget_pass() {
        let small = deflate(&[7u8; 100_000]);
        let (plain, compressed) = real_change();
        assert!(check_all(&[plain, compressed, document(&small)]).is_ok());
        assert!(check_all(&[]).is_ok());
    }

    #[test]
    fn a_compressed_change_past_the_budget_is_refused() {
        let bomb = deflated_zeros(MAX_INFLATED + 1);
        assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
        assert!(matches!(
            check_all(&[chunk(COMPRESSED_CHANGE, &bomb)]),
            Err(ChunkError::Inflates { .. })
        ));
    }

    #[test]
    fn a_document_column_past_the_budget_is_refused() {
        let bomb = deflated_zeros(MAX_INFLATED + 1);
        assert!(matches!(
            check_all(&[document(&bomb)]),
            Err(ChunkError::Inflates { .. })
        ));
    }

    #[test]
    fn a_kept_part_is_counted_before_it_is_held() {
        let mut budget = Budget::new();
        let bomb = deflated_zeros(MAX_INFLATED + 1);
        assert!(matches!(
            budget.keep(&bomb),
            Err(ChunkError::Inflates { .. })
        ));
        let small = deflate(b"an action column");
        assert_eq!(budget.keep(&small).expect("within"), b"an action column");
        assert_eq!(budget.0, MAX_INFLATED - 16);
    }

    #[test]
    fn the_budget_is_for_the_whole_input() {
        let half = document(&deflated_zeros(MAX_INFLATED / 2 + 1));
        assert!(check_all(std::slice::from_ref(&half)).is_ok());
        assert!(matches!(
            check_all(&[half.clone(), half]),
            Err(ChunkError::Inflates { .. })
        ));
    }

    /// Whether a piece holds a compressed change, or a document with a compressed column.
    fn compressed(piece: &[u8]) -> bool {
        let Ok((chunk, _)) = chunks::split(piece) else {
            return false;
        };
        chunk.kind == COMPRESSED_CHANGE
            || (chunk.kind == DOCUMENT
                && chunks::document(chunk.data)
                    .is_ok_and(|d| d.changes.iter().chain(&d.ops).any(chunks::Column::deflated)))
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
        let (whole, _) = real_change();
        for bad in [
            whole[..whole.len() - 1].to_vec(),
            chunk(CHANGE, b"abc"),
            chunk(3, b"a bundle"),
            chunk(9, b""),
            b"not a chunk at all".to_vec(),
            chunk(COMPRESSED_CHANGE, b"not deflate \xff\xff\xff"),
        ] {
            assert!(
                matches!(
                    check_all(std::slice::from_ref(&bad)),
                    Err(ChunkError::Malformed)
                ),
                "{bad:?}"
            );
        }
        let mut lying = vec![0, 0];
        leb(u64::MAX >> 1, &mut lying);
        assert!(check_all(&[chunk(DOCUMENT, &lying)]).is_err());
    }
}
