//! Hearth's benchmark harness. (Being built: each figure measured beside its baseline in one run.)

fn main() {
    println!("hearth-bench: no figures yet");
}
