//! Automerge chunks and sync messages written byte by byte, as a faulty or hostile peer could send
//! them, in the layouts of the Automerge binary format. Included as a module by the journal's own
//! checks and by the end-to-end resource-bound tests, which each use part of it.
#![allow(dead_code)]

use std::io::Write;

/// Chunk type of a whole document.
pub const DOCUMENT: u8 = 0;
/// Chunk type of a change.
pub const CHANGE: u8 = 1;
/// Chunk type of a DEFLATE-compressed change.
pub const COMPRESSED_CHANGE: u8 = 2;

/// Appends `v` as unsigned LEB128.
pub fn leb128(mut v: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A chunk: magic, checksum (zero: Automerge checks it only for some kinds), type, length, data.
pub fn chunk(kind: u8, data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, kind];
    leb128(data.len() as u64, &mut out);
    out.extend_from_slice(data);
    out
}

/// `data` compressed with DEFLATE.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).expect("deflate");
    e.finish().expect("deflate")
}

/// DEFLATE of `len` zero bytes, made without holding them all.
pub fn deflated_zeros(len: u64) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = [0u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        e.write_all(&zeros[..n]).expect("deflate");
        left -= n as u64;
    }
    e.finish().expect("deflate")
}

/// A document chunk with no actors and no heads, one change column holding `column` and marked
/// DEFLATE (bit 3 of its specification), and no op columns.
pub fn document_with_deflated_column(column: &[u8]) -> Vec<u8> {
    let mut data = vec![0, 0, 1];
    leb128(0b1000, &mut data);
    leb128(column.len() as u64, &mut data);
    data.push(0);
    data.extend_from_slice(column);
    chunk(DOCUMENT, &data)
}

/// A sync message (version 1) with no heads, needs or haves, carrying `chunks`.
pub fn sync_message(chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut out = vec![0x42, 0, 0, 0];
    leb128(chunks.len() as u64, &mut out);
    for c in chunks {
        leb128(c.len() as u64, &mut out);
        out.extend_from_slice(c);
    }
    out
}

/// A sync message (version 1) with no heads and no needs, one `have` with the Bloom filter
/// `bloom`, and no changes.
pub fn sync_message_with_bloom(bloom: &[u8]) -> Vec<u8> {
    let mut m = vec![0x42];
    leb128(0, &mut m); // heads
    leb128(0, &mut m); // needs
    leb128(1, &mut m); // one have
    leb128(0, &mut m); // its last sync: none
    leb128(bloom.len() as u64, &mut m);
    m.extend_from_slice(bloom);
    leb128(0, &mut m); // changes
    m
}

/// A Bloom filter's bytes: its three parameters, then `bits` bytes of set bits.
pub fn bloom(entries: u64, bits_per_entry: u64, probes: u64, bits: usize) -> Vec<u8> {
    let mut b = Vec::new();
    leb128(entries, &mut b);
    leb128(bits_per_entry, &mut b);
    leb128(probes, &mut b);
    b.extend(std::iter::repeat_n(0xff, bits));
    b
}
