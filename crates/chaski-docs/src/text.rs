//! Fonts, text measurement and wrapping.
//!
//! Liberation Sans (regular and bold, SIL OFL, see `fonts/LICENSE-OFL.txt`) is compiled in,
//! so a document looks the same on every machine. We measure with the font's own advance
//! widths (no kerning: printpdf does not kern `ShowText` either, so measured and drawn widths
//! agree). Characters the font cannot draw (emoji, CJK, control characters) are replaced by
//! a visible fallback, "□" (U+25A1), before measuring and drawing, so nothing is silently
//! dropped and no `.notdef` box of unknown width appears.

use std::borrow::Cow;
use std::sync::OnceLock;

/// Liberation Sans Regular, embedded.
pub(crate) static REGULAR_TTF: &[u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");
/// Liberation Sans Bold, embedded.
pub(crate) static BOLD_TTF: &[u8] = include_bytes!("../fonts/LiberationSans-Bold.ttf");

/// The character printed instead of one the font cannot draw.
pub const FALLBACK_CHAR: char = '\u{25A1}';

/// Font weight of a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// Advance widths of one face, pre-computed for Latin text.
struct FaceMetrics {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// Advance of U+0000..U+0250 in font units, 0 where the font has no glyph.
    latin: Vec<u16>,
}

const LATIN_TABLE: usize = 0x250;

impl FaceMetrics {
    fn load(bytes: &'static [u8]) -> Self {
        // The fonts are compile-time constants checked by the test suite; failing to parse
        // them is a build defect, not a runtime condition.
        #[allow(clippy::expect_used)]
        let face = ttf_parser::Face::parse(bytes, 0).expect("embedded Liberation Sans parses");
        let units_per_em = f32::from(face.units_per_em());
        let latin = (0..LATIN_TABLE as u32)
            .map(|cp| {
                char::from_u32(cp)
                    .and_then(|c| face.glyph_index(c))
                    .and_then(|g| face.glyph_hor_advance(g))
                    .unwrap_or(0)
            })
            .collect();
        Self {
            face,
            units_per_em,
            latin,
        }
    }

    fn has_glyph(&self, c: char) -> bool {
        let cp = c as usize;
        if cp < LATIN_TABLE {
            return self.latin[cp] != 0 || c == ' ';
        }
        self.face.glyph_index(c).is_some()
    }

    fn advance(&self, c: char) -> f32 {
        let cp = c as usize;
        let units = if cp < LATIN_TABLE {
            self.latin[cp]
        } else {
            self.face
                .glyph_index(c)
                .and_then(|g| self.face.glyph_hor_advance(g))
                .unwrap_or(0)
        };
        f32::from(units) / self.units_per_em
    }
}

fn metrics(weight: Weight) -> &'static FaceMetrics {
    static REGULAR: OnceLock<FaceMetrics> = OnceLock::new();
    static BOLD: OnceLock<FaceMetrics> = OnceLock::new();
    match weight {
        Weight::Regular => REGULAR.get_or_init(|| FaceMetrics::load(REGULAR_TTF)),
        Weight::Bold => BOLD.get_or_init(|| FaceMetrics::load(BOLD_TTF)),
    }
}

/// Replaces what the fonts cannot draw by [`FALLBACK_CHAR`], tabs by a space, drops
/// carriage returns and other control characters except `\n` (an explicit line break).
pub fn sanitize(text: &str) -> Cow<'_, str> {
    let regular = metrics(Weight::Regular);
    let bold = metrics(Weight::Bold);
    let ok = |c: char| c == '\n' || (!c.is_control() && regular.has_glyph(c) && bold.has_glyph(c));
    if text.chars().all(ok) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push(' '),
            '\r' | '\u{FE0F}' | '\u{200D}' => {}
            c if ok(c) => out.push(c),
            c if c.is_control() => {}
            _ => {
                // One fallback per run of unknown characters (an emoji with skin tone is
                // several code points but one visible symbol).
                if !out.ends_with(FALLBACK_CHAR) {
                    out.push(FALLBACK_CHAR);
                }
            }
        }
    }
    Cow::Owned(out)
}

/// Width of `text` in points at `size` points (text must be sanitized).
pub(crate) fn width(text: &str, weight: Weight, size: f32) -> f32 {
    let m = metrics(weight);
    text.chars().map(|c| m.advance(c)).sum::<f32>() * size
}

/// Distance from the top of a line box to the baseline, as a fraction of the size.
pub(crate) const ASCENT: f32 = 0.905;
/// Line height as a multiple of the font size.
pub(crate) const LINE_HEIGHT: f32 = 1.18;

/// Wraps sanitized `text` into lines no wider than `max_width` points. Breaks at spaces;
/// a word longer than the line is broken between characters. `\n` forces a break.
pub(crate) fn wrap(text: &str, weight: Weight, size: f32, max_width: f32) -> Vec<String> {
    let m = metrics(weight);
    let space = m.advance(' ') * size;
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0_f32;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let word_w: f32 = word.chars().map(|c| m.advance(c)).sum::<f32>() * size;
            let needed = if line.is_empty() {
                word_w
            } else {
                line_w + space + word_w
            };
            if needed <= max_width {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_w = needed;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            if word_w <= max_width {
                line.push_str(word);
                line_w = word_w;
                continue;
            }
            // A word wider than the whole line: break after "/" or "-" where possible,
            // else between characters.
            for piece in word.split_inclusive(['/', '-']) {
                let piece_w: f32 = piece.chars().map(|c| m.advance(c)).sum::<f32>() * size;
                if line_w + piece_w > max_width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                if piece_w <= max_width {
                    line.push_str(piece);
                    line_w += piece_w;
                    continue;
                }
                for c in piece.chars() {
                    let w = m.advance(c) * size;
                    if line_w + w > max_width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += w;
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// Shortens a single line with "…" until it fits `max_width` (used where wrapping is not
/// possible, e.g. the footer).
pub(crate) fn ellipsize(text: &str, weight: Weight, size: f32, max_width: f32) -> String {
    if width(text, weight, size) <= max_width {
        return text.to_string();
    }
    let mut out = String::new();
    let limit = max_width - width("…", weight, size);
    let mut w = 0.0;
    for c in text.chars() {
        let cw = metrics(weight).advance(c) * size;
        if w + cw > limit {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_replaces_emoji_and_keeps_spanish() {
        assert_eq!(
            sanitize("Año N° 5 – señal 😀👍🏽 fin"),
            "Año N° 5 – señal □ fin"
        );
        assert_eq!(sanitize("漢字"), "□");
        assert!(matches!(sanitize("Pérez Ñuñez °"), Cow::Borrowed(_)));
    }

    #[test]
    fn wrap_never_exceeds_width() {
        let text =
            "Supercalifragilisticoespialidoso-sin-espacios-en-absoluto y luego palabras normales";
        for line in wrap(text, Weight::Regular, 8.0, 40.0) {
            assert!(width(&line, Weight::Regular, 8.0) <= 40.0 + 0.01, "{line}");
        }
    }

    #[test]
    fn empty_text_is_one_empty_line() {
        assert_eq!(wrap("", Weight::Regular, 8.0, 40.0), vec![String::new()]);
    }
}
