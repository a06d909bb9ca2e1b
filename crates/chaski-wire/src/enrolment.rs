//! The grammar of one-time enrolment codes, written once for the server that makes them and
//! the app that reads them as a person typed them.
//!
//! A code is three groups of four characters, `K7QF-9XM2-HD4T`, from an alphabet of 32
//! characters without look-alikes (no `0`/`O`, no `1`/`I`/`L`): 60 bits, easy to dictate over
//! the phone. The server keeps only its hash, so both ends must agree on one canonical form:
//! upper case, dashes between groups.

/// The characters of a code.
pub const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Characters in a code, dashes aside.
pub const LEN: usize = 12;
/// Characters in one group.
const GROUP: usize = 4;

/// An enrolment code in its canonical form `XXXX-XXXX-XXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnrolmentCode(String);

/// Why typed text is not an enrolment code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EnrolmentCodeError {
    /// Nothing typed.
    #[error("Escriba el código de inscripción que le dio el administrador.")]
    Empty,
    /// Wrong length or a character outside the alphabet.
    #[error(
        "El código de inscripción tiene 12 letras y números, como K7QF-9XM2-HD4T (sin O, I, L, \
         0 ni 1). Cópielo tal como se lo dio el administrador."
    )]
    Malformed,
}

impl EnrolmentCode {
    /// Reads a code as typed: any case, with or without dashes or spaces.
    pub fn parse(typed: &str) -> Result<Self, EnrolmentCodeError> {
        let chars: Vec<u8> = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| u8::try_from(c.to_ascii_uppercase()).unwrap_or(0))
            .collect();
        if chars.is_empty() {
            return Err(EnrolmentCodeError::Empty);
        }
        if chars.len() != LEN || !chars.iter().all(|c| ALPHABET.contains(c)) {
            return Err(EnrolmentCodeError::Malformed);
        }
        Ok(Self::from_symbols(&chars))
    }

    /// A code from 12 random bytes (each picks one of the 32 characters: 256 is a multiple
    /// of 32, so every character is equally likely). The caller brings the randomness (the
    /// server uses the OS generator).
    pub fn from_random(bytes: [u8; LEN]) -> Self {
        let chars: Vec<u8> = bytes
            .iter()
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()])
            .collect();
        Self::from_symbols(&chars)
    }

    fn from_symbols(chars: &[u8]) -> Self {
        let groups: Vec<String> = chars
            .chunks(GROUP)
            .map(|g| g.iter().map(|b| char::from(*b)).collect())
            .collect();
        Self(groups.join("-"))
    }

    /// The canonical text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EnrolmentCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_are_read_in_any_case_and_spacing() {
        for typed in [
            "K7QF-9XM2-HD4T",
            "k7qf9xm2hd4t",
            " K7QF 9XM2 HD4T ",
            "k7qf-9xm2-hd4t",
        ] {
            assert_eq!(
                EnrolmentCode::parse(typed).map(|c| c.to_string()),
                Ok("K7QF-9XM2-HD4T".to_string()),
                "{typed}"
            );
        }
    }

    #[test]
    fn bad_codes_are_refused_with_what_to_do() {
        assert_eq!(EnrolmentCode::parse("  - "), Err(EnrolmentCodeError::Empty));
        for bad in [
            "K7QF-9XM2",
            "K7QF-9XM2-HD4T-AAAA",
            "O0QF-9XM2-HD4T",
            "K7QF-9XM2-HD4Ñ",
            "K1QF-9XM2-HD4T",
        ] {
            assert_eq!(
                EnrolmentCode::parse(bad),
                Err(EnrolmentCodeError::Malformed),
                "{bad}"
            );
        }
        assert!(EnrolmentCodeError::Malformed.to_string().contains("K7QF"));
    }

    #[test]
    fn random_codes_follow_the_grammar() {
        for seed in 0..=255u8 {
            let bytes = [
                seed,
                seed.wrapping_mul(7),
                3,
                250,
                31,
                32,
                64,
                128,
                255,
                0,
                1,
                2,
            ];
            let code = EnrolmentCode::from_random(bytes);
            assert_eq!(code.as_str().len(), 14);
            assert_eq!(code.as_str().matches('-').count(), 2);
            assert_eq!(EnrolmentCode::parse(code.as_str()), Ok(code.clone()));
        }
    }
}
