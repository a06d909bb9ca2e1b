//! What every printed form shares: the entity's header band, dates in Lima, the people under
//! the signature lines, the lines of assets, and which records may be printed.

use chaski_core::time::to_lima;
use chaski_docs::{AssetLine, FormHeader, PersonRef};
use chrono::{DateTime, FixedOffset, Utc};

/// The entity's header band (seed forms). Until the unit settings carry the entity's own lines
/// and form codes, these are the ones of the seed forms.
const ENTITY_LINES: [&str; 3] = [
    "Ministerio de Desarrollo e Inclusión Social",
    "Viceministerio de Prestaciones Sociales",
    "Programa Nacional de Alimentación Escolar Qali Warma",
];
pub(crate) const ENTITY_NAME: &str = "Programa Nacional de Alimentación Escolar Qali Warma";
pub(crate) const SUPPORT_UNIT: &str = "UAST";
pub(crate) const FORM_REGISTER: &str = "PRO-044-PNAEQW-UTI-FOR-0001";
pub(crate) const FORM_ASSIGNMENT: &str = "PRO-044-PNAEQW-UTI-FOR-0003";
pub(crate) const FORM_TRANSFER: &str = "PRO-044-PNAEQW-UTI-FOR-0004";
pub(crate) fn header(form_code: &str) -> FormHeader {
    FormHeader {
        entity_lines: ENTITY_LINES.iter().map(|l| l.to_string()).collect(),
        form_code: form_code.into(),
        version: "01".into(),
    }
}

pub(crate) fn lima(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    to_lima(t).fixed_offset()
}

pub(crate) fn person(name: &str, dni: Option<&str>) -> PersonRef {
    PersonRef {
        name: name.to_string(),
        dni: dni.unwrap_or_default().to_string(),
    }
}

pub(crate) fn brief(p: &chaski_core::asset::PersonBrief) -> PersonRef {
    person(&p.name, p.dni.as_deref())
}

pub(crate) fn asset_lines(items: &[chaski_core::asset::DocItem]) -> Vec<AssetLine> {
    items
        .iter()
        .map(|i| AssetLine {
            equipment: i.equipment.clone(),
            brand: i.brand.clone().unwrap_or_default(),
            sbn_code: i.code.to_string(),
            observations: i.remarks.clone().unwrap_or_default(),
        })
        .collect()
}

/// `N° 007-2026` → `007-2026` (the templates print their own "N°").
pub(crate) fn number_digits(number: Option<&str>) -> String {
    number
        .map(|n| n.trim_start_matches("N°").trim().to_string())
        .unwrap_or_default()
}
