//! Which epoch's key a session runs under: each side names, in its hello, the epochs whose keys it
//! holds with a short check value of each key, and both pick the newest epoch where the two hold
//! the same key.
//!
//! ```text
//! check = HKDF-SHA-256(salt = "hearth/sync/2 key check", IKM = journal key of the epoch,
//!                      info = epoch (u32 BE), 8 bytes)
//! ```
//!
//! Two devices that each made the key of the same epoch while apart hold different keys for it;
//! their checks differ, and they meet under the newest epoch they share (at worst the first,
//! which pairing gave every device), long enough to receive the one key the journal keeps.

use hkdf::Hkdf;
use sha2::Sha256;

use crate::JournalKey;

/// How long a key check is.
pub const KEY_CHECK_LEN: usize = 8;

/// The check value of `key`, the journal key of `epoch`: names the key without revealing it.
pub fn key_check(key: &JournalKey, epoch: u32) -> [u8; KEY_CHECK_LEN] {
    let hk = Hkdf::<Sha256>::new(Some(b"hearth/sync/2 key check"), key.expose());
    let mut out = [0u8; KEY_CHECK_LEN];
    hk.expand(&epoch.to_be_bytes(), &mut out)
        .expect("8 bytes is a valid HKDF-SHA-256 output length");
    out
}

/// The newest epoch both sides hold the same key of, from each side's epochs and key checks; `None`
/// if they share none (not the same journal).
pub fn common_epoch(
    mine: &[(u32, [u8; KEY_CHECK_LEN])],
    theirs: &[(u32, [u8; KEY_CHECK_LEN])],
) -> Option<u32> {
    mine.iter()
        .filter(|held| theirs.contains(held))
        .map(|(epoch, _)| *epoch)
        .max()
}
