//! The 64 pictures of the short authentication string: friendly, clearly distinct, each with a
//! plain name for people who cannot see them. The order is part of the protocol.

/// One picture of the short authentication string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SasEmoji {
    /// The emoji itself.
    pub symbol: &'static str,
    /// Its plain English name.
    pub name: &'static str,
}

const fn e(symbol: &'static str, name: &'static str) -> SasEmoji {
    SasEmoji { symbol, name }
}

/// The table, indexed by 6-bit values.
pub const SAS_EMOJI: [SasEmoji; 64] = [
    e("🐶", "dog"),
    e("🐱", "cat"),
    e("🦊", "fox"),
    e("🐻", "bear"),
    e("🐼", "panda"),
    e("🐷", "pig"),
    e("🦓", "zebra"),
    e("🐸", "frog"),
    e("🐵", "monkey"),
    e("🐔", "chicken"),
    e("🐧", "penguin"),
    e("🦉", "owl"),
    e("🐝", "bee"),
    e("🐞", "ladybird"),
    e("🐢", "turtle"),
    e("🐳", "whale"),
    e("🐙", "octopus"),
    e("🦀", "crab"),
    e("🐌", "snail"),
    e("🦋", "butterfly"),
    e("🦒", "giraffe"),
    e("🐘", "elephant"),
    e("🦔", "hedgehog"),
    e("🐴", "horse"),
    e("🌻", "sunflower"),
    e("🌵", "cactus"),
    e("🍀", "clover"),
    e("🌲", "fir tree"),
    e("🍁", "maple leaf"),
    e("🌈", "rainbow"),
    e("⭐", "star"),
    e("🌙", "moon"),
    e("⛄", "snowman"),
    e("🌊", "wave"),
    e("🍎", "apple"),
    e("🍋", "lemon"),
    e("🍉", "watermelon"),
    e("🍇", "grapes"),
    e("🍒", "cherries"),
    e("🥕", "carrot"),
    e("🌽", "corn"),
    e("🥐", "croissant"),
    e("🧀", "cheese"),
    e("🍩", "doughnut"),
    e("🍪", "cookie"),
    e("🍦", "ice cream"),
    e("☕", "coffee"),
    e("🥑", "avocado"),
    e("🎈", "balloon"),
    e("🎁", "gift"),
    e("🔑", "key"),
    e("⚓", "anchor"),
    e("🎸", "guitar"),
    e("🥁", "drum"),
    e("🎨", "palette"),
    e("📚", "books"),
    e("🧩", "puzzle piece"),
    e("🚲", "bicycle"),
    e("🚀", "rocket"),
    e("⛵", "sailboat"),
    e("🏠", "house"),
    e("⏰", "alarm clock"),
    e("💡", "light bulb"),
    e("👑", "crown"),
];
