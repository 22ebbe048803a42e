//! Automerge chunks that declare far more work than their size, as a hostile peer could send
//! them: a few dozen bytes whose run-length encoded columns declare millions of operations,
//! changes or predecessors. Each has a valid checksum, so Automerge would read it. The layouts are
//! those of the Automerge binary format. Included as a module by the journal's bound tests and by
//! the seeds of the `sync_message` fuzz target; it stands apart from `crafted.rs` because the fuzz
//! crate has no DEFLATE compressor (compressed bombs here use stored DEFLATE blocks).
#![allow(dead_code)]

use sha2::{Digest, Sha256};

/// Chunk type of a whole document.
pub const DOCUMENT: u8 = 0;
/// Chunk type of a change.
pub const CHANGE: u8 = 1;
/// Chunk type of a DEFLATE-compressed change.
pub const COMPRESSED_CHANGE: u8 = 2;

/// The actor of every crafted change and document.
pub const ACTOR: [u8; 16] = [0xab; 16];

/// Appends `v` as unsigned LEB128.
pub fn uleb(mut v: u64, out: &mut Vec<u8>) {
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

/// Appends `v` as signed LEB128.
pub fn sleb(mut v: i64, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0);
        out.push(if done { byte } else { byte | 0x80 });
        if done {
            return;
        }
    }
}

/// The first four bytes of SHA-256 over the chunk's type, length and data: its checksum.
fn checksum(kind: u8, data: &[u8]) -> [u8; 4] {
    let mut header = vec![kind];
    uleb(data.len() as u64, &mut header);
    let hash = Sha256::new()
        .chain_update(&header)
        .chain_update(data)
        .finalize();
    [hash[0], hash[1], hash[2], hash[3]]
}

/// A chunk with a valid checksum.
pub fn chunk(kind: u8, data: &[u8]) -> Vec<u8> {
    with_checksum(kind, checksum(kind, data), data)
}

fn with_checksum(kind: u8, checksum: [u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x85, 0x6f, 0x4a, 0x83];
    out.extend_from_slice(&checksum);
    out.push(kind);
    uleb(data.len() as u64, &mut out);
    out.extend_from_slice(data);
    out
}

/// A compressed change: `deflated` must inflate to the change data `data`, whose checksum the
/// chunk carries.
pub fn compressed_change(data: &[u8], deflated: &[u8]) -> Vec<u8> {
    with_checksum(COMPRESSED_CHANGE, checksum(CHANGE, data), deflated)
}

/// `data` as a DEFLATE stream of stored (uncompressed) blocks: valid DEFLATE, made without a
/// compressor.
pub fn stored_deflate(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut blocks = data.chunks(0xffff).peekable();
    if blocks.peek().is_none() {
        return vec![1, 0, 0, 0xff, 0xff];
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out
}

/// `n` copies of a value written by `value`, as Automerge writes them: nothing for none, a run
/// of one different value for one, a repeating run for more.
fn repeat(n: u64, value: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    match n {
        0 => {}
        1 => {
            sleb(-1, &mut out);
            value(&mut out);
        }
        n => {
            sleb(n as i64, &mut out);
            value(&mut out);
        }
    }
    out
}

/// A run of `n` copies of the unsigned `value`.
pub fn run(n: u64, value: u64) -> Vec<u8> {
    repeat(n, |out| uleb(value, out))
}

/// A run of `n` copies of the signed `delta`.
pub fn delta_run(n: u64, delta: i64) -> Vec<u8> {
    repeat(n, |out| sleb(delta, out))
}

/// A run of `n` copies of the string `s`.
pub fn string_run(n: u64, s: &str) -> Vec<u8> {
    repeat(n, |out| {
        uleb(s.len() as u64, out);
        out.extend_from_slice(s.as_bytes());
    })
}

/// Column metadata and data: each column's specification and length, then all the data.
fn columns(columns: &[(u64, Vec<u8>)], out: &mut Vec<u8>) {
    uleb(columns.len() as u64, out);
    for (spec, data) in columns {
        uleb(*spec, out);
        uleb(data.len() as u64, out);
    }
}

fn column_data(columns: &[(u64, Vec<u8>)], out: &mut Vec<u8>) {
    for (_, data) in columns {
        out.extend_from_slice(data);
    }
}

/// The data of a change by [`ACTOR`] (sequence 1, no dependencies) numbered from `start_op`,
/// whose columns declare `ops` operations, each setting the root's key "a" to null; the first of
/// them lists `preds` predecessors.
pub fn change_data(start_op: u64, ops: u64, preds: u64) -> Vec<u8> {
    let mut data = vec![0]; // no dependencies
    uleb(ACTOR.len() as u64, &mut data);
    data.extend_from_slice(&ACTOR);
    uleb(1, &mut data); // sequence number
    uleb(start_op, &mut data);
    uleb(0, &mut data); // time
    uleb(0, &mut data); // message
    uleb(0, &mut data); // other actors
    let mut pred_count = Vec::new();
    if preds > 0 {
        pred_count.extend(run(1, preds));
        pred_count.extend(run(ops - 1, 0));
    } else {
        pred_count.extend(run(ops, 0));
    }
    let mut cols = vec![
        (0x15, string_run(ops, "a")), // key strings
        (0x34, {
            let mut b = Vec::new();
            uleb(ops, &mut b); // insert: all false
            b
        }),
        (0x42, run(ops, 1)), // action: set
        (0x56, run(ops, 0)), // value metadata: null
        (0x70, pred_count),  // how many predecessors each lists
    ];
    if preds > 0 {
        cols.push((0x71, run(preds, 0))); // predecessor actors
        cols.push((0x73, delta_run(preds, 0))); // predecessor counters
    }
    columns(&cols, &mut data);
    column_data(&cols, &mut data);
    data
}

/// A change chunk of [`change_data`].
pub fn change(start_op: u64, ops: u64) -> Vec<u8> {
    chunk(CHANGE, &change_data(start_op, ops, 0))
}

/// A change of two operations, the first listing `preds` predecessors.
pub fn predecessors(preds: u64) -> Vec<u8> {
    chunk(CHANGE, &change_data(1, 2, preds))
}

/// [`change_data`] compressed with DEFLATE (stored blocks).
pub fn compressed(start_op: u64, ops: u64) -> Vec<u8> {
    let data = change_data(start_op, ops, 0);
    compressed_change(&data, &stored_deflate(&data))
}

/// The change columns of [`document`]: `changes` changes by [`ACTOR`], numbered 1, 2, …, with no
/// dependencies; the last holds the `ops` operations.
pub fn change_columns(changes: u64, ops: u64) -> Vec<(u64, Vec<u8>)> {
    let mut max_op = delta_run(changes.saturating_sub(1), 0);
    if changes > 0 {
        max_op.extend(delta_run(1, ops as i64));
    }
    vec![
        (0x01, run(changes, 0)),       // actor
        (0x03, delta_run(changes, 1)), // sequence numbers
        (0x13, max_op),                // highest counter
        (0x23, delta_run(changes, 0)), // time
        (0x40, run(changes, 0)),       // no dependencies
        (0x56, run(changes, 0)),       // no extra bytes
    ]
}

/// The op columns of [`document`]: `ops` operations, each setting the root's key "a" to null.
pub fn op_columns(ops: u64) -> Vec<(u64, Vec<u8>)> {
    let mut insert = Vec::new();
    uleb(ops, &mut insert); // all false
    vec![
        (0x15, string_run(ops, "a")), // key strings
        (0x21, run(ops, 0)),          // id actors
        (0x23, delta_run(ops, 1)),    // id counters 1, 2, …
        (0x34, insert),
        (0x42, run(ops, 1)), // action: set
        (0x56, run(ops, 0)), // value metadata: null
        (0x80, run(ops, 0)), // no successors
    ]
}

/// A document by [`ACTOR`] with these change and op columns. Its one head is made up.
pub fn document_of(change_cols: &[(u64, Vec<u8>)], op_cols: &[(u64, Vec<u8>)]) -> Vec<u8> {
    let mut data = Vec::new();
    uleb(1, &mut data);
    uleb(ACTOR.len() as u64, &mut data);
    data.extend_from_slice(&ACTOR);
    uleb(1, &mut data);
    data.extend_from_slice(&[0x42; 32]);
    columns(change_cols, &mut data);
    columns(op_cols, &mut data);
    column_data(change_cols, &mut data);
    column_data(op_cols, &mut data);
    chunk(DOCUMENT, &data)
}

/// A document whose columns declare `changes` changes and `ops` operations.
pub fn document(changes: u64, ops: u64) -> Vec<u8> {
    document_of(&change_columns(changes, ops), &op_columns(ops))
}

/// A document of one change and one operation whose change columns say its highest counter is
/// `max_op`.
pub fn document_numbered(max_op: u64) -> Vec<u8> {
    let mut changes = change_columns(1, 1);
    changes[2].1 = delta_run(1, max_op as i64);
    document_of(&changes, &op_columns(1))
}

/// A document of two changes, the second depending on the change at `index` (0 and 1 are its
/// own).
pub fn document_depending_on(index: i64) -> Vec<u8> {
    let mut changes = change_columns(2, 1);
    let mut counts = Vec::new();
    sleb(-2, &mut counts); // two different counts: none, then one
    uleb(0, &mut counts);
    uleb(1, &mut counts);
    changes[4].1 = counts;
    changes.insert(5, (0x43, delta_run(1, index))); // the dependency
    document_of(&changes, &op_columns(1))
}

/// A sync message (version 1) with no heads, needs or haves, carrying `chunks`.
pub fn sync_message(chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut out = vec![0x42, 0, 0, 0];
    uleb(chunks.len() as u64, &mut out);
    for c in chunks {
        uleb(c.len() as u64, &mut out);
        out.extend_from_slice(c);
    }
    out
}
