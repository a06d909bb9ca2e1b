//! The contacts directory (seed 000 §3.2–3.4): the people who ask for help, and the
//! technicians who give it.
//!
//! A person is registered once, by *apellidos y nombres*, with DNI, phones, institutional email
//! and office/área, and found again by any of them as you type. The DNI is optional because
//! the seeds register callers by name, phone and email only (seed 000 §3.2), but when given it
//! must be 8 digits and unique: the same DNI twice is refused with the existing person attached.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result, optional_text, required_text};
use crate::ids::{PersonId, TechnicianId};
use crate::unit::Office;

/// Documento Nacional de Identidad: exactly 8 digits (leading zeros are significant).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
#[ts(type = "string")]
pub struct Dni(String);

impl Dni {
    /// Reads a DNI; spaces around it are ignored, nothing else is.
    pub fn parse(s: &str) -> Result<Self> {
        let t = s.trim();
        if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(t.to_string()))
        } else {
            Err(Error::field(
                ErrorCode::DniInvalido,
                "dni",
                "El DNI debe tener exactamente 8 dígitos (por ejemplo, 04567890).",
            ))
        }
    }

    /// The 8 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Dni {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An email address, checked for sanity (one `@`, a local part, a dotted domain, no spaces),
/// stored in lower case. Institutional addresses end in `.gob.pe`, but other agencies' and
/// providers' addresses are accepted too: see [`Email::is_institutional`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
#[ts(type = "string")]
pub struct Email(String);

impl Email {
    /// Reads an email address.
    pub fn parse(s: &str) -> Result<Self> {
        let t = s.trim().to_lowercase();
        let bad = || {
            Error::field(
                ErrorCode::EmailInvalido,
                "email",
                "El correo electrónico no es válido: escríbalo como nombre@entidad.gob.pe.",
            )
        };
        if t.len() > 254 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = t.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || local.len() > 64
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
            || !local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-+'".contains(c))
        {
            return Err(bad());
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2
            || labels.iter().any(|l| {
                l.is_empty()
                    || l.starts_with('-')
                    || l.ends_with('-')
                    || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            || labels.last().is_some_and(|tld| tld.len() < 2)
        {
            return Err(bad());
        }
        Ok(Self(t))
    }

    /// The address, lower case.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the address belongs to a Peruvian public agency (`….gob.pe`).
    pub fn is_institutional(&self) -> bool {
        self.0.ends_with(".gob.pe")
    }
}

/// A Peruvian phone number: a 9-digit mobile (starts with 9), or a landline of 6–9 digits
/// (with its area code, e.g. `084 231456`), optionally `+51` in front and an extension
/// (`anexo 2351`). Stored as typed, trimmed, with single spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
#[ts(type = "string")]
pub struct Phone(String);

impl Phone {
    /// Reads a phone number.
    pub fn parse(s: &str) -> Result<Self> {
        let bad = || {
            Error::field(
                ErrorCode::TelefonoInvalido,
                "phones",
                format!(
                    "El teléfono «{}» no es válido: escriba un celular de 9 dígitos o un fijo con su código (por ejemplo, 084 231456 anexo 2351).",
                    s.trim()
                ),
            )
        };
        let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let lower = t.to_lowercase();
        let (main, ext) = match ["anexo", "anx.", "anx", "ext.", "ext"]
            .iter()
            .find_map(|k| lower.find(k).map(|i| (i, k.len())))
        {
            Some((i, klen)) => (&lower[..i], Some(lower[i + klen..].trim())),
            None => (lower.as_str(), None),
        };
        if let Some(ext) = ext
            && (ext.is_empty() || ext.len() > 6 || !ext.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(bad());
        }
        let main = main.trim();
        let main = main.strip_prefix("+51").unwrap_or(main);
        if !main
            .chars()
            .all(|c| c.is_ascii_digit() || " -()".contains(c))
        {
            return Err(bad());
        }
        let digits: String = main.chars().filter(char::is_ascii_digit).collect();
        let ok = match digits.len() {
            9 => true,
            6..=8 => !digits.starts_with('9'),
            _ => false,
        };
        if !ok {
            return Err(bad());
        }
        Ok(Self(t))
    }

    /// The number as typed (normalized spaces).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Longest name part accepted.
pub const NAME_MAX: usize = 120;

/// A person of the contacts directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Person {
    pub id: PersonId,
    /// The unit that registered the person (`UT-CUSCO`).
    pub unit_code: String,
    /// Apellidos, as written (`QUISPE MAMANI`).
    pub last_names: String,
    /// Nombres (`Rosa Elena`).
    pub first_names: String,
    pub dni: Option<Dni>,
    pub phones: Vec<Phone>,
    pub email: Option<Email>,
    pub office: Option<Office>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Person {
    /// "APELLIDOS, Nombres", as on the Anexo 01 column *usuario afectado o solicitante*.
    pub fn full_name(&self) -> String {
        full_name(&self.last_names, &self.first_names)
    }
}

/// "APELLIDOS, Nombres".
pub fn full_name(last_names: &str, first_names: &str) -> String {
    format!("{}, {}", last_names.to_uppercase(), first_names)
}

/// What a form sends to register or edit a person.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct NewPerson {
    pub last_names: String,
    pub first_names: String,
    pub dni: Option<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    pub email: Option<String>,
    /// The office or área by name; an unknown name registers a new office of the unit.
    pub office: Option<String>,
}

/// A [`NewPerson`] after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPerson {
    pub last_names: String,
    pub first_names: String,
    pub dni: Option<Dni>,
    pub phones: Vec<Phone>,
    pub email: Option<Email>,
    pub office: Option<String>,
}

impl NewPerson {
    /// Validates every field; the first problem found is returned.
    pub fn validate(&self) -> Result<ValidPerson> {
        let last_names = required_text(&self.last_names, "last_names", "Apellidos", NAME_MAX)?;
        let first_names = required_text(&self.first_names, "first_names", "Nombres", NAME_MAX)?;
        let dni = match self.dni.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(Dni::parse(d)?),
        };
        let mut phones = Vec::new();
        for p in &self.phones {
            if p.trim().is_empty() {
                continue;
            }
            let phone = Phone::parse(p)?;
            if !phones.contains(&phone) {
                phones.push(phone);
            }
        }
        if phones.len() > 5 {
            return Err(Error::field(
                ErrorCode::ValorInvalido,
                "phones",
                "Registre como máximo 5 teléfonos.",
            ));
        }
        let email = match self.email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(e) => Some(Email::parse(e)?),
        };
        let office = optional_text(self.office.as_deref(), "office", "Área u oficina", 150)?;
        Ok(ValidPerson {
            last_names,
            first_names,
            dni,
            phones,
            email,
            office,
        })
    }
}

/// The support staff who use the app (*personal de soporte asignado*).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Technician {
    pub id: TechnicianId,
    pub unit_code: String,
    pub last_names: String,
    pub first_names: String,
    pub dni: Dni,
    pub active: bool,
}

impl Technician {
    /// "APELLIDOS, Nombres".
    pub fn full_name(&self) -> String {
        full_name(&self.last_names, &self.first_names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dni_accepts_exactly_eight_digits() {
        assert_eq!(Dni::parse("04567890").map(|d| d.0), Ok("04567890".into()));
        assert_eq!(Dni::parse(" 12345678 ").map(|d| d.0), Ok("12345678".into()));
        for bad in [
            "",
            "1234567",
            "123456789",
            "1234567a",
            "1234 5678",
            "١٢٣٤٥٦٧٨",
            "-1234567",
        ] {
            let e = Dni::parse(bad).expect_err(bad);
            assert_eq!(e.code, ErrorCode::DniInvalido, "{bad}");
            assert_eq!(e.field.as_deref(), Some("dni"));
            assert!(e.message.contains("8 dígitos"));
        }
    }

    #[test]
    fn email_sanity() {
        let e = Email::parse(" RQuispe@QaliWarma.GOB.PE ").expect("valid");
        assert_eq!(e.as_str(), "rquispe@qaliwarma.gob.pe");
        assert!(e.is_institutional());
        assert!(
            !Email::parse("soporte@empresa.com")
                .expect("valid")
                .is_institutional()
        );
        for ok in [
            "a.b-c+d@osce.gob.pe",
            "o'brien@mh.gob.sv",
            "x@sub.dominio.pe",
        ] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "sin-arroba.gob.pe",
            "@minedu.gob.pe",
            "ana@",
            "ana@gob",
            "ana@.gob.pe",
            "ana@gob..pe",
            "ana maria@gob.pe",
            "ana@@gob.pe",
            ".ana@gob.pe",
            "ana..b@gob.pe",
            "ana@gob.p",
            "añá@gob.pe",
            "ana@-gob.pe",
        ] {
            let e = Email::parse(bad).expect_err(bad);
            assert_eq!(e.code, ErrorCode::EmailInvalido, "{bad}");
            assert_eq!(e.field.as_deref(), Some("email"));
        }
    }

    #[test]
    fn phone_accepts_mobiles_landlines_and_extensions() {
        for ok in [
            "987654321",
            "+51 987 654 321",
            "084 231456",
            "(01) 6123456",
            "01-6123456 anexo 2351",
            "2351234 ext. 12",
        ] {
            assert!(Phone::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "12345",
            "98765432",
            "9876543210",
            "abc",
            "084 231456 anexo",
            "987654321x",
        ] {
            let e = Phone::parse(bad).expect_err(bad);
            assert_eq!(e.code, ErrorCode::TelefonoInvalido, "{bad}");
        }
    }

    #[test]
    fn new_person_validation_names_the_field() {
        let mut p = NewPerson {
            last_names: "Quispe Mamani".into(),
            first_names: "Rosa".into(),
            dni: Some("".into()),
            phones: vec!["987654321".into(), "".into(), "987 654 321".into()],
            email: None,
            office: Some("  ".into()),
        };
        let v = p.validate().expect("valid");
        assert_eq!(v.dni, None);
        assert_eq!(v.phones.len(), 2);
        assert_eq!(v.office, None);
        p.last_names = " ".into();
        assert_eq!(
            p.validate().map_err(|e| e.field),
            Err(Some("last_names".into()))
        );
        p.last_names = "Quispe".into();
        p.dni = Some("123".into());
        assert_eq!(
            p.validate().map_err(|e| e.code),
            Err(ErrorCode::DniInvalido)
        );
    }

    #[test]
    fn full_name_is_upper_last_names_then_names() {
        assert_eq!(full_name("Peña Núñez", "Luz"), "PEÑA NÚÑEZ, Luz");
    }
}
