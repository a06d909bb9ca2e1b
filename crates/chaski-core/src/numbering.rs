//! Document numbers: `N° 007-2026` — a correlative per unit, per document kind, per year,
//! zero-padded to at least three digits, then the year.
//!
//! The store hands out the next correlative inside the writing transaction. The unit and kind
//! are not printed in the number (the form says which unit and what document it is) but belong
//! to it: `N° 007-2026` of UT Cusco and of UT Puno are different numbers.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result};

/// The kinds of numbered documents. One series per kind, per unit, per year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// A row of the attention register (Anexo 01).
    Attention,
    /// Cargo de asignación de equipos (Anexo 2, seed 001).
    Assignment,
    /// Traslado / desplazamiento entre sedes.
    Transfer,
    /// Informe técnico de baja (seed 001 act. 19–22).
    Decommission,
}

impl DocKind {
    /// Stable code stored with the series.
    pub fn code(self) -> &'static str {
        match self {
            DocKind::Attention => "attention",
            DocKind::Assignment => "assignment",
            DocKind::Transfer => "transfer",
            DocKind::Decommission => "decommission",
        }
    }
}

/// A document number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct DocNumber {
    pub kind: DocKind,
    pub unit_code: String,
    pub year: i32,
    /// The correlative: 1, 2, 3, … within (unit, kind, year).
    pub seq: u32,
}

impl DocNumber {
    /// The printed form, `N° 007-2026`.
    pub fn text(&self) -> String {
        format_number(self.seq, self.year)
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// What an unnumbered draft shows instead of its N° (list, detail, forms).
pub const DRAFT_TEXT: &str = "Borrador sin número";

/// `N° 007-2026`.
pub fn format_number(seq: u32, year: i32) -> String {
    format!("N° {seq:03}-{year}")
}

/// Reads `N° 007-2026` (also `Nº 7-2026`, `N.° 007-2026`, `007-2026`) into `(seq, year)`.
pub fn parse_number(text: &str) -> Result<(u32, i32)> {
    let bad = || {
        Error::field(
            ErrorCode::NumeroDocumentoInvalido,
            "number",
            format!(
                "El número «{}» no es válido: escríbalo como N° 007-2026.",
                text.trim()
            ),
        )
    };
    let t = text.trim();
    let t = ["N.°", "N°", "Nº", "N.º", "No.", "Nro.", "N"]
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .unwrap_or(t)
        .trim();
    let (seq, year) = t.split_once('-').ok_or_else(bad)?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(seq) || !digits(year) || year.len() != 4 || seq.len() > 9 {
        return Err(bad());
    }
    let seq: u32 = seq.parse().map_err(|_| bad())?;
    let year: i32 = year.parse().map_err(|_| bad())?;
    if seq == 0 || !(2000..=2999).contains(&year) {
        return Err(bad());
    }
    Ok((seq, year))
}

/// The correlative that follows `last` (the highest used so far in the series, if any).
pub fn next_seq(last: Option<u32>) -> u32 {
    last.map_or(1, |l| l.saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_three_digits_at_least() {
        assert_eq!(format_number(7, 2026), "N° 007-2026");
        assert_eq!(format_number(42, 2025), "N° 042-2025");
        assert_eq!(format_number(1234, 2026), "N° 1234-2026");
        let n = DocNumber {
            kind: DocKind::Attention,
            unit_code: "UT-CUSCO".into(),
            year: 2026,
            seq: 7,
        };
        assert_eq!(n.to_string(), "N° 007-2026");
    }

    #[test]
    fn parses_the_printed_forms() {
        for (text, want) in [
            ("N° 007-2026", (7, 2026)),
            ("Nº 7-2026", (7, 2026)),
            ("N.° 1234-2025", (1234, 2025)),
            ("  007-2026 ", (7, 2026)),
        ] {
            assert_eq!(parse_number(text), Ok(want), "{text}");
        }
        for seq in [1, 9, 10, 999, 1000, 65_000] {
            assert_eq!(parse_number(&format_number(seq, 2026)), Ok((seq, 2026)));
        }
        for bad in [
            "",
            "N° 007",
            "N° 000-2026",
            "N° 7-26",
            "N° a-2026",
            "N° 7-2026x",
            "7/2026",
        ] {
            let e = parse_number(bad).expect_err(bad);
            assert_eq!(e.code, ErrorCode::NumeroDocumentoInvalido, "{bad}");
        }
    }

    #[test]
    fn next_in_series() {
        assert_eq!(next_seq(None), 1);
        assert_eq!(next_seq(Some(6)), 7);
    }
}
