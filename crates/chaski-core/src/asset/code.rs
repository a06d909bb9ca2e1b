//! The código patrimonial (código SBN): 12 digits, the 8-digit code of the asset's entry in the
//! SBN national catalog (*Catálogo Nacional de Bienes Muebles del Estado*) followed by a 4-digit
//! correlative within the entity. It is the key people use: printed on the sticker, typed in
//! searches, used as the computer's name (seed 001, act. 16 e).

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result};

/// Code for an invalid código patrimonial.
pub const CODE_INVALID: ErrorCode = ErrorCode::CodigoPatrimonialInvalido;

/// A valid código patrimonial: 12 ASCII digits, catalog part not all zeros.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(try_from = "String", into = "String")]
#[ts(type = "string")]
pub struct PatrimonialCode(String);

impl PatrimonialCode {
    /// Reads a code. Spaces, dots and dashes that people type between the groups
    /// (`7422 4475 0012`, `74224475-0012`) are ignored; nothing else is.
    pub fn parse(s: &str) -> Result<Self> {
        let shown = s.trim();
        let digits: String = shown
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
            .collect();
        let bad = |why: String| {
            Err(Error::field(
                CODE_INVALID,
                "code",
                format!("El código patrimonial «{shown}» no es válido: {why}"),
            ))
        };
        if digits.is_empty() {
            return Err(Error::required("code", "Código patrimonial"));
        }
        if let Some(c) = digits.chars().find(|c| !c.is_ascii_digit()) {
            return bad(format!(
                "solo puede tener dígitos y tiene «{c}». Escriba los 12 dígitos del código SBN."
            ));
        }
        let n = digits.len();
        if n != 12 {
            let hint = if n == 11 {
                " Verifique si falta un cero a la izquierda (la hoja de cálculo suele quitarlo)."
            } else {
                ""
            };
            return bad(format!(
                "tiene {n} dígitos y debe tener 12 (8 del catálogo SBN y 4 del correlativo).{hint}"
            ));
        }
        if digits[..8].bytes().all(|b| b == b'0') {
            return bad(
                "los 8 primeros dígitos (código del catálogo SBN) no pueden ser todos cero.".into(),
            );
        }
        Ok(Self(digits))
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 8-digit SBN catalog code (the kind of asset).
    pub fn catalog(&self) -> &str {
        &self.0[..8]
    }

    /// The 4-digit correlative.
    pub fn correlative(&self) -> &str {
        &self.0[8..]
    }
}

impl fmt::Display for PatrimonialCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PatrimonialCode {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        Self::parse(&s)
    }
}

impl From<PatrimonialCode> for String {
    fn from(c: PatrimonialCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_digits_split_into_catalog_and_correlative() {
        let c = PatrimonialCode::parse(" 740899500012 ").expect("valid");
        assert_eq!(c.as_str(), "740899500012");
        assert_eq!(c.catalog(), "74089950");
        assert_eq!(c.correlative(), "0012");
        for typed in ["7408 9950 0012", "74089950-0012", "74089950.0012"] {
            assert_eq!(PatrimonialCode::parse(typed).as_ref(), Ok(&c), "{typed}");
        }
        assert!(PatrimonialCode::parse("000000010001").is_ok());
    }

    #[test]
    fn eleven_digits_are_refused_with_the_leading_zero_hint() {
        let e = PatrimonialCode::parse("74089950001").expect_err("11 digits");
        assert_eq!(e.code, CODE_INVALID);
        assert_eq!(e.field.as_deref(), Some("code"));
        assert!(
            e.message.contains("tiene 11 dígitos y debe tener 12"),
            "{}",
            e.message
        );
        assert!(e.message.contains("cero a la izquierda"), "{}", e.message);
    }

    #[test]
    fn wrong_lengths_letters_and_zero_catalog_are_refused() {
        let e = PatrimonialCode::parse("7408995000123").expect_err("13");
        assert!(e.message.contains("tiene 13 dígitos"));
        assert!(!e.message.contains("cero a la izquierda"));
        let e = PatrimonialCode::parse("74089950O012").expect_err("letter O");
        assert!(e.message.contains("«O»"), "{}", e.message);
        let e = PatrimonialCode::parse("000000000012").expect_err("zero catalog");
        assert!(e.message.contains("catálogo SBN"), "{}", e.message);
        assert_eq!(e.code, CODE_INVALID);
        let e = PatrimonialCode::parse("  ").expect_err("empty");
        assert_eq!(e.code, ErrorCode::CampoRequerido);
    }

    #[test]
    fn serde_validates() {
        let ok: PatrimonialCode = serde_json::from_str("\"740899500012\"").expect("valid");
        assert_eq!(ok.as_str(), "740899500012");
        assert!(serde_json::from_str::<PatrimonialCode>("\"1234\"").is_err());
    }
}
