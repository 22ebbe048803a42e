//! Emoji as colour pictures. The fonts egui bundles lack some of the emoji the short
//! authentication string uses, so the app draws the ones it names from pictures compiled in, and
//! writes every other emoji as text.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use egui::{ColorImage, TextureHandle, TextureOptions};
use twemoji_assets::png::{PngTwemojiAsset, codes};

/// The reactions offered under every entry.
pub(crate) const REACTIONS: [&str; 6] = ["❤", "🤗", "😊", "🙏", "😂", "🔥"];

/// Every emoji the app draws as a picture: the 64 of the short authentication string, then the
/// reactions.
const TABLE: &[(&str, &PngTwemojiAsset)] = &[
    ("🐶", &codes::U_1F436),
    ("🐱", &codes::U_1F431),
    ("🦊", &codes::U_1F98A),
    ("🐻", &codes::U_1F43B),
    ("🐼", &codes::U_1F43C),
    ("🐷", &codes::U_1F437),
    ("🦓", &codes::U_1F993),
    ("🐸", &codes::U_1F438),
    ("🐵", &codes::U_1F435),
    ("🐔", &codes::U_1F414),
    ("🐧", &codes::U_1F427),
    ("🦉", &codes::U_1F989),
    ("🐝", &codes::U_1F41D),
    ("🐞", &codes::U_1F41E),
    ("🐢", &codes::U_1F422),
    ("🐳", &codes::U_1F433),
    ("🐙", &codes::U_1F419),
    ("🦀", &codes::U_1F980),
    ("🐌", &codes::U_1F40C),
    ("🦋", &codes::U_1F98B),
    ("🦒", &codes::U_1F992),
    ("🐘", &codes::U_1F418),
    ("🦔", &codes::U_1F994),
    ("🐴", &codes::U_1F434),
    ("🌻", &codes::U_1F33B),
    ("🌵", &codes::U_1F335),
    ("🍀", &codes::U_1F340),
    ("🌲", &codes::U_1F332),
    ("🍁", &codes::U_1F341),
    ("🌈", &codes::U_1F308),
    ("⭐", &codes::U_2B50),
    ("🌙", &codes::U_1F319),
    ("⛄", &codes::U_26C4),
    ("🌊", &codes::U_1F30A),
    ("🍎", &codes::U_1F34E),
    ("🍋", &codes::U_1F34B),
    ("🍉", &codes::U_1F349),
    ("🍇", &codes::U_1F347),
    ("🍒", &codes::U_1F352),
    ("🥕", &codes::U_1F955),
    ("🌽", &codes::U_1F33D),
    ("🥐", &codes::U_1F950),
    ("🧀", &codes::U_1F9C0),
    ("🍩", &codes::U_1F369),
    ("🍪", &codes::U_1F36A),
    ("🍦", &codes::U_1F366),
    ("☕", &codes::U_2615),
    ("🥑", &codes::U_1F951),
    ("🎈", &codes::U_1F388),
    ("🎁", &codes::U_1F381),
    ("🔑", &codes::U_1F511),
    ("⚓", &codes::U_2693),
    ("🎸", &codes::U_1F3B8),
    ("🥁", &codes::U_1F941),
    ("🎨", &codes::U_1F3A8),
    ("📚", &codes::U_1F4DA),
    ("🧩", &codes::U_1F9E9),
    ("🚲", &codes::U_1F6B2),
    ("🚀", &codes::U_1F680),
    ("⛵", &codes::U_26F5),
    ("🏠", &codes::U_1F3E0),
    ("⏰", &codes::U_23F0),
    ("💡", &codes::U_1F4A1),
    ("👑", &codes::U_1F451),
    ("❤", &codes::U_2764),
    ("🤗", &codes::U_1F917),
    ("😊", &codes::U_1F60A),
    ("🙏", &codes::U_1F64F),
    ("😂", &codes::U_1F602),
    ("🔥", &codes::U_1F525),
    ("👍", &codes::U_1F44D),
    ("🥰", &codes::U_1F970),
    ("✨", &codes::U_2728),
    ("💛", &codes::U_1F49B),
];

/// The emoji without variation selectors, the way the table spells it.
fn bare(symbol: &str) -> String {
    symbol.chars().filter(|&c| c != '\u{fe0f}').collect()
}

/// The picture of `symbol`, if the app has one.
fn asset(symbol: &str) -> Option<&'static [u8]> {
    let bare = bare(symbol);
    TABLE
        .iter()
        .find(|(s, _)| *s == bare)
        .map(|(_, asset)| ***asset)
}

/// Whether the app has a picture of `symbol`.
#[cfg(test)]
fn has_picture(symbol: &str) -> bool {
    asset(symbol).is_some()
}

/// Decoded pictures, one texture each, kept for the life of the context.
#[derive(Clone, Default)]
struct Cache(Arc<Mutex<HashMap<String, Option<TextureHandle>>>>);

/// The texture of `symbol`'s picture, decoded on first use.
pub(crate) fn texture(ctx: &egui::Context, symbol: &str) -> Option<TextureHandle> {
    let cache = ctx.data_mut(|d| {
        d.get_temp_mut_or_default::<Cache>(egui::Id::NULL.with("hearth-emoji"))
            .clone()
    });
    let key = bare(symbol);
    let mut map = cache
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    map.entry(key.clone())
        .or_insert_with(|| {
            let image = decode(asset(&key)?)?;
            Some(ctx.load_texture(format!("emoji {key}"), image, TextureOptions::LINEAR))
        })
        .clone()
}

/// Decodes a compiled-in PNG into an RGBA image.
fn decode(bytes: &[u8]) -> Option<ColorImage> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(
        png::Transformations::EXPAND | png::Transformations::STRIP_16 | png::Transformations::ALPHA,
    );
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    let size = [info.width as usize, info.height as usize];
    let pixels = &buf[..info.buffer_size()];
    let rgba: Vec<u8> = match info.color_type {
        png::ColorType::Rgba => pixels.to_vec(),
        png::ColorType::GrayscaleAlpha => pixels
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        _ => return None,
    };
    Some(ColorImage::from_rgba_unmultiplied(size, &rgba))
}

/// Draws `symbol` as a picture `size` points high (or as text when the app has no picture),
/// described as `name` for screen readers.
pub(crate) fn show(ui: &mut egui::Ui, symbol: &str, name: &str, size: f32) -> egui::Response {
    match texture(ui.ctx(), symbol) {
        Some(texture) => ui.add(
            egui::Image::new((texture.id(), egui::vec2(size, size))).alt_text(name.to_owned()),
        ),
        None => ui.label(egui::RichText::new(symbol).size(size * 0.85)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_picture_decodes() {
        for (symbol, asset) in TABLE {
            let image = decode(asset).unwrap_or_else(|| panic!("{symbol} decodes"));
            assert_eq!(image.size, [72, 72], "{symbol}");
        }
    }

    #[test]
    fn variation_selectors_do_not_hide_a_picture() {
        assert!(has_picture("❤\u{fe0f}"));
        assert!(has_picture("🦊"));
        assert!(!has_picture("a"));
    }
}
