//! A pairing ticket as a QR code texture.

use egui::{Color32, ColorImage, TextureHandle, TextureOptions};
use qrcode::{EcLevel, QrCode};

/// Pixels per module, and modules of quiet border.
const SCALE: usize = 6;
const BORDER: usize = 4;

/// The ticket as a QR code image, dark on light (scanners want contrast, whatever the theme).
pub(crate) fn image(text: &str) -> Option<ColorImage> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let side = (width + 2 * BORDER) * SCALE;
    let mut pixels = vec![Color32::from_rgb(0xFF, 0xFC, 0xF7); side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != qrcode::Color::Dark {
            continue;
        }
        let (mx, my) = (i % width + BORDER, i / width + BORDER);
        for dy in 0..SCALE {
            let row = (my * SCALE + dy) * side;
            for dx in 0..SCALE {
                pixels[row + mx * SCALE + dx] = Color32::from_rgb(0x2A, 0x1E, 0x18);
            }
        }
    }
    Some(ColorImage::new([side, side], pixels))
}

/// Uploads the QR code of `text` as a texture.
pub(crate) fn texture(ctx: &egui::Context, text: &str) -> Option<TextureHandle> {
    Some(ctx.load_texture("pairing qr", image(text)?, TextureOptions::NEAREST))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_becomes_a_square_code_with_dark_modules() {
        let image = image("hearth1abcdefghijklmnopqrstuvwxyz234567").expect("fits a QR code");
        assert_eq!(image.size[0], image.size[1]);
        assert!(
            image
                .pixels
                .iter()
                .any(|c| *c == Color32::from_rgb(0x2A, 0x1E, 0x18))
        );
    }
}
