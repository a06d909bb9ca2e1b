//! Where work happens: units (Sede Central and the territorial units, the sync scope) and the
//! offices or áreas inside them where people work.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ids::OfficeId;

/// Sede Central or a Unidad Territorial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    SedeCentral,
    UnidadTerritorial,
}

/// A unit: the scope of sync and of document numbering. Its short code (`UT-CUSCO`) is stable;
/// the list is reference data seeded by the migrations and replaced later by the server's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Unit {
    /// Short stable code, e.g. `UT-CUSCO`, `SEDE-CENTRAL`.
    pub code: String,
    /// Name on screen and paper, e.g. `UT Cusco`.
    pub name: String,
    pub kind: UnitKind,
}

/// An órgano, unidad orgánica, área or oficina inside a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Office {
    pub id: OfficeId,
    pub unit_code: String,
    pub name: String,
}

/// Whether `code` looks like a unit code: upper-case ASCII letters, digits and dashes.
pub fn is_unit_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 40
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
        && !code.starts_with('-')
        && !code.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_codes() {
        assert!(is_unit_code("UT-CUSCO"));
        assert!(is_unit_code("UT-ANCASH-1"));
        assert!(!is_unit_code("ut-cusco"));
        assert!(!is_unit_code("UT CUSCO"));
        assert!(!is_unit_code("-UT"));
        assert!(!is_unit_code(""));
    }
}
