//! Hearth: the desktop app and the `hearth` command line.

fn main() {
    println!("Hearth");
}
