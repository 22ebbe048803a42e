//! Times one passphrase key derivation with the production parameters.
//!
//! Run with `cargo run --release -p hearth-crypto --example kdf_timing`.

use std::time::Instant;

use hearth_crypto::{KdfParams, Passphrase, StorageKey, wrap_key};

fn main() {
    let params = KdfParams::production();
    let key = StorageKey::from_bytes([0; 32]);
    let passphrase = Passphrase::new("a passphrase for timing only");
    let runs = 5;
    let start = Instant::now();
    for _ in 0..runs {
        if let Err(err) = wrap_key(&key, &passphrase, params, [1; 16], [2; 24]) {
            eprintln!("derivation failed: {err}");
            std::process::exit(1);
        }
    }
    let each = start.elapsed() / runs;
    println!("{params:?}: {each:?} per derivation ({runs} runs)");
}
