//! The invitation as a QR code drawn with half-block characters, two rows of modules per line.

use qrcode::render::unicode::Dense1x2;
use qrcode::{EcLevel, QrCode};

/// The QR code of `text`, one string per terminal line; `None` if it does not fit in a QR code.
///
/// With colour, the code is drawn dark on a light background whatever the terminal's theme.
/// Without, it is drawn for the common light-on-dark terminal (light blocks on the dark
/// background), which phone cameras read as well.
pub(crate) fn lines(text: &str, color: bool) -> Option<Vec<String>> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let mut render = code.render::<Dense1x2>();
    render.quiet_zone(true);
    if !color {
        render
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark);
    }
    let image = render.build();
    Some(
        image
            .lines()
            .map(|line| {
                if color {
                    format!("\x1b[30;107m{line}\x1b[0m")
                } else {
                    line.to_owned()
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_fits_and_is_drawn_square() {
        let text = format!("hearth1{}", "a".repeat(120));
        let lines = lines(&text, false).expect("fits in a QR code");
        let width = lines[0].chars().count();
        assert!(lines.iter().all(|l| l.chars().count() == width));
        // Two rows of modules per line: about half as many lines as columns.
        assert!(lines.len() * 2 >= width && lines.len() * 2 <= width + 2);
        assert!(lines.iter().any(|l| l.contains('█')));
    }
}
