//! The informe técnico de baja (seed 001 act. 17–22), from a stored [`DecommissionReport`] to
//! the `chaski-docs` template.
//!
//! * **Labels come from the core** (`DecommissionCause::label`, `AssetCondition::label`,
//!   `Operability::label`), printed as "M – Malo" like the sample form, so screen and paper
//!   say the same words.
//! * **The last diagnostic is the one copied into the row when the draft was saved**, not the
//!   asset's present: an issued report is frozen, and a later diagnostic must not change what
//!   was proposed and signed.
//! * The V° B° line prints the head's name and position as typed; the DNI is not asked for
//!   (it is not on the seed's informe), so the line under the signature carries the name only.

use chaski_core::asset::{AssetCondition, Operability};
use chaski_core::ids::DecommissionReportId;
use chaski_core::operations::decommission::{DecommissionItem, DecommissionReport};
use chaski_docs::{DecommissionLine, Document, DocumentMeta, PersonRef};
use chaski_store::Store;

use super::Built;
use super::form::{header, lima, number_digits};
use crate::error::IpcError;

/// Form code of the informe técnico de baja (the one the documents crate's sample prints).
const FORM_DECOMMISSION: &str = "PRO-044-PNAEQW-UTI-FOR-0005";
/// The technician's role as printed on the informe.
pub const TECHNICIAN_ROLE: &str = "Especialista informático";
/// The head's role when the form leaves it empty.
pub const DEFAULT_CHIEF_ROLE: &str = "Jefe de la Unidad";

fn coded(code: &str, label: &str) -> String {
    format!("{code} – {label}")
}

fn line(it: &DecommissionItem) -> DecommissionLine {
    let equipment = match it.model.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(model) => format!("{} {model}", it.equipment),
        None => it.equipment.clone(),
    };
    let diagnosis = it
        .last_diagnostic
        .as_ref()
        .map(|d| {
            let head = format!(
                "{} ({})",
                Operability::label(d.result),
                d.date.format("%d/%m/%Y")
            );
            if d.findings.trim().is_empty() {
                head
            } else {
                format!("{head}: {}", d.findings.trim())
            }
        })
        .unwrap_or_default();
    DecommissionLine {
        equipment,
        brand: it.brand.clone().unwrap_or_default(),
        serial: it.serial.clone().unwrap_or_default(),
        sbn_code: it.code.to_string(),
        condition: coded(
            AssetCondition::code(it.condition),
            AssetCondition::label(it.condition),
        ),
        cause: coded(it.cause.code(), it.cause.label()),
        diagnosis,
        observations: it.remarks.clone().unwrap_or_default(),
    }
}

/// The template data of a stored report (issued or signed only).
pub fn document(r: &DecommissionReport, unit_name: &str) -> Result<Document, IpcError> {
    r.lifecycle
        .status
        .ensure_printable("El informe técnico de baja")?;
    let number = r.lifecycle.number.as_ref().map(|n| n.text());
    Ok(Document::DecommissionReport(
        chaski_docs::DecommissionReport {
            meta: DocumentMeta {
                document_id: r.id.to_string(),
                number: number_digits(number.as_deref()),
                issued_at: lima(r.lifecycle.issued_at.unwrap_or(r.updated_at)),
            },
            header: header(FORM_DECOMMISSION),
            date: r.date,
            unit: unit_name.to_string(),
            corrects: r
                .corrects_number
                .as_ref()
                .map(|n| format!("Informe técnico de baja {n}")),
            justification: r.justification.clone(),
            assets: r.items.iter().map(line).collect(),
            technician: PersonRef {
                name: r.technician.name.clone(),
                dni: r.technician.dni.clone().unwrap_or_default(),
            },
            technician_role: TECHNICIAN_ROLE.into(),
            chief: PersonRef {
                name: r.chief_name.clone().unwrap_or_default(),
                dni: String::new(),
            },
            chief_role: r
                .chief_position
                .clone()
                .filter(|p| !p.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_CHIEF_ROLE.into()),
        },
    ))
}

/// Reads the report `id` and fills its template (for `document_render`).
pub(super) fn build(store: &Store, id: DecommissionReportId) -> Result<Built, IpcError> {
    let r = store.decommission_get(id)?;
    let unit = store.profile()?.unit.name;
    Ok(Built {
        document: document(&r, &unit)?,
        source_id: r.id.uuid(),
        number: r.lifecycle.number.as_ref().map(|n| n.text()),
    })
}
