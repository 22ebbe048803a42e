//! The short authentication string both people compare.

use std::fmt;

use super::emoji::{SAS_EMOJI, SasEmoji};
use super::keys::SAS_BYTES;

/// Number of bits the short authentication string carries.
pub const SAS_BITS: u32 = 42;

/// Number of pictures shown (6 bits each).
pub const SAS_EMOJI_COUNT: usize = 7;

/// The short authentication string: 42 bits, shown as 7 pictures or as three 5-digit numbers
/// (each 00000–16383, 14 bits). Both forms carry the same bits, so comparing either is enough.
///
/// It is not a secret: it is shown on both screens.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Sas {
    bits: u64,
}

impl Sas {
    /// The first 42 bits of the derived bytes, most significant first.
    pub(super) fn from_key_material(bytes: &[u8; SAS_BYTES]) -> Self {
        let mut wide = [0u8; 8];
        wide[8 - SAS_BYTES..].copy_from_slice(bytes);
        Self {
            bits: u64::from_be_bytes(wide) >> (8 * SAS_BYTES as u32 - SAS_BITS),
        }
    }

    /// The 42 bits, in the low bits of the number.
    pub fn bits(&self) -> u64 {
        self.bits
    }

    /// The seven pictures, in reading order.
    pub fn emoji(&self) -> [SasEmoji; SAS_EMOJI_COUNT] {
        std::array::from_fn(|i| {
            let shift = SAS_BITS - 6 * (i as u32 + 1);
            SAS_EMOJI[((self.bits >> shift) & 0x3f) as usize]
        })
    }

    /// The three numbers (each below 16384), in reading order.
    pub fn numbers(&self) -> [u16; 3] {
        std::array::from_fn(|i| {
            let shift = SAS_BITS - 14 * (i as u32 + 1);
            ((self.bits >> shift) & 0x3fff) as u16
        })
    }

    /// The numbers as text: `"01234 09876 16383"`.
    pub fn digits(&self) -> String {
        let [a, b, c] = self.numbers();
        format!("{a:05} {b:05} {c:05}")
    }

    /// The pictures' names as text: `"dog, moon, …"`, for screen readers.
    pub fn emoji_names(&self) -> String {
        self.emoji().map(|e| e.name).join(", ")
    }

    /// The pictures as text, separated by spaces.
    pub fn emoji_symbols(&self) -> String {
        self.emoji().map(|e| e.symbol).join(" ")
    }
}

impl fmt::Display for Sas {
    /// Writes the pictures, then the numbers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.emoji_symbols(), self.digits())
    }
}
