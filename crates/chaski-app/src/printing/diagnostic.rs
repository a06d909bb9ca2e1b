//! The ficha técnica de diagnóstico, built from a stored diagnostic.
//!
//! The ficha is built from what the diagnostic stored (asset data, warranty, technician) plus,
//! for the "Ubicación / usuario" line and the "Recibe" box, the asset's custody as it is now:
//! the sheet is handed to that person (or to the provider, who then writes by hand). A
//! diagnostic has no N° of its own: the ficha is identified by its id, printed in the footer
//! and the QR code like every document.

use chaski_core::operations::diagnostic::{Diagnostic, IT_OFFICE_MINUTES, WarrantyStatus};
use chaski_core::operations::formatting::FormatChecklist;
use chaski_docs::{ChecklistLine, DiagnosticSheet, Document, DocumentMeta, PersonRef};
use chaski_store::Store;

use super::Built;
use super::form::{header, lima, person};
use crate::catalogs::capitalized;
use crate::error::IpcError;

/// Form code printed in the ficha's header band.
const FORM_DIAGNOSTIC: &str = "PRO-044-PNAEQW-UTI-FOR-0006";

fn day(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn yes_no(done: bool) -> String {
    if done { "Sí" } else { "No" }.to_string()
}

fn line(item: &str, outcome: String, note: impl Into<String>) -> ChecklistLine {
    ChecklistLine {
        item: item.to_string(),
        outcome,
        note: note.into(),
    }
}

/// The formatting steps as the ficha prints them: backup, low-level format, computer name,
/// the mandatory steps, remarks.
fn format_lines(f: &FormatChecklist) -> Vec<ChecklistLine> {
    let backup = if f.backup_done {
        f.backup_location.clone().unwrap_or_default()
    } else {
        format!(
            "Sin respaldo: {}",
            f.no_backup_reason.clone().unwrap_or_default()
        )
    };
    let causes: Vec<&str> = [
        (f.read_write_problems, "problemas de lectura y escritura"),
        (f.low_performance, "bajo rendimiento"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, c)| c)
    .collect();
    let low_level = if f.low_level {
        capitalized(&causes.join(", "))
    } else {
        String::new()
    };
    let mut lines = vec![
        line(
            "Respaldo de los documentos del usuario",
            yes_no(f.backup_done),
            backup,
        ),
        line("Formateo a bajo nivel", yes_no(f.low_level), low_level),
        line(
            "Nombre del equipo (código patrimonial)",
            yes_no(true),
            f.computer_name.clone(),
        ),
    ];
    lines.extend(
        f.steps()
            .iter()
            .map(|(_, label, done)| line(&capitalized(label), yes_no(*done), "")),
    );
    if let Some(r) = &f.remarks {
        lines.push(line("Observaciones", String::new(), r.clone()));
    }
    lines
}

fn warranty_text(d: &Diagnostic) -> String {
    match (d.warranty, d.warranty_end) {
        (WarrantyStatus::Vigente, Some(end)) => match &d.warranty_contact {
            Some(c) => format!("En garantía hasta el {}. Proveedor: {c}.", day(end)),
            None => format!("En garantía hasta el {}.", day(end)),
        },
        (WarrantyStatus::Vencida, Some(end)) => format!("Garantía vencida ({}).", day(end)),
        (w, _) => format!("{}.", w.label()),
    }
}

fn it_office_text(d: &Diagnostic) -> String {
    let o = &d.it_office;
    match (o.proposed, o.moved) {
        (true, true) => {
            format!("Más de {IT_OFFICE_MINUTES} minutos: trasladado a la oficina de TI.")
        }
        (true, false) => format!(
            "Más de {IT_OFFICE_MINUTES} minutos: se propuso el traslado a la oficina de TI; no se trasladó porque: {}",
            o.stay_reason.clone().unwrap_or_default()
        ),
        (false, true) => "Trasladado a la oficina de TI.".to_string(),
        (false, false) => {
            format!("Hasta {IT_OFFICE_MINUTES} minutos: se atendió en el lugar.")
        }
    }
}

/// Reads the diagnostic `id` and fills the ficha técnica de diagnóstico.
pub(super) fn build(store: &Store, id: uuid::Uuid) -> Result<Built, IpcError> {
    let d = store.diagnostic_get(id.into())?;
    let profile = store.profile()?;
    let asset = store.asset_get(d.asset_id)?;
    let custodian = match asset.custodian_id {
        Some(p) => Some(store.person_get(p)?),
        None => None,
    };
    let location = [
        asset.office.clone().or_else(|| asset.site.clone()),
        asset.custodian_name.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" — ");
    let attention = match d.attention_id {
        Some(a) => store.attention_get(a)?.attention.number_text,
        None => String::new(),
    };
    let corrects = match d.corrects {
        Some(old) => {
            let old = store.diagnostic_get(old)?;
            Some(format!(
                "el diagnóstico del {} ({}). Motivo: {}",
                day(old.date),
                old.result.label().to_lowercase(),
                d.correction_reason.clone().unwrap_or_default()
            ))
        }
        None => None,
    };
    let checks = d
        .checks
        .iter()
        .map(|c| {
            line(
                c.item.label(),
                c.outcome.label().to_string(),
                c.note.clone().unwrap_or_default(),
            )
        })
        .collect();
    let sheet = DiagnosticSheet {
        meta: DocumentMeta {
            document_id: d.id.to_string(),
            number: String::new(),
            issued_at: lima(d.created_at),
        },
        header: header(FORM_DIAGNOSTIC),
        date: d.date,
        unit: profile.unit.name.clone(),
        equipment: d.equipment.clone(),
        brand: d.brand.clone().unwrap_or_default(),
        model: d.model.clone().unwrap_or_default(),
        serial: d.serial.clone().unwrap_or_default(),
        sbn_code: d.asset_code.to_string(),
        location,
        attention,
        corrects,
        symptoms: d.symptoms.clone(),
        checks,
        findings: d.findings.clone(),
        parts_needed: d.parts_needed.clone().unwrap_or_default(),
        warranty: warranty_text(&d),
        time: format!(
            "Empleado: {} min. Estimado: {} min.",
            d.time_spent_minutes, d.estimated_minutes
        ),
        it_office: it_office_text(&d),
        result: d.result.label().to_uppercase(),
        recommendation: d.recommendation.label().to_string(),
        format_steps: d.format.as_ref().map(format_lines).unwrap_or_default(),
        technician: person(&d.technician.name, d.technician.dni.as_deref()),
        receiver: custodian.map(|p| PersonRef {
            name: p.full_name(),
            dni: p.dni.map(|x| x.to_string()).unwrap_or_default(),
        }),
    };
    Ok(Built {
        document: Document::DiagnosticSheet(Box::new(sheet)),
        source_id: id,
        number: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_lines_explain_a_missing_backup_and_the_low_level_cause() {
        let f = FormatChecklist {
            backup_done: false,
            no_backup_reason: Some("El disco no se puede leer".into()),
            low_level: true,
            read_write_problems: true,
            low_performance: true,
            computer_name: "740899500012".into(),
            dhcp: true,
            remarks: Some("Sin licencia de ofimática disponible".into()),
            ..FormatChecklist::default()
        };
        let lines = format_lines(&f);
        assert_eq!(lines[0].outcome, "No");
        assert_eq!(lines[0].note, "Sin respaldo: El disco no se puede leer");
        assert_eq!(
            lines[1].note,
            "Problemas de lectura y escritura, bajo rendimiento"
        );
        assert_eq!(lines[2].note, "740899500012");
        assert!(
            lines
                .iter()
                .any(|l| l.item == "IP por DHCP" && l.outcome == "Sí")
        );
        assert!(
            lines
                .iter()
                .any(|l| l.item == "Software base instalado" && l.outcome == "No")
        );
        assert_eq!(
            lines.last().map(|l| l.note.as_str()),
            Some("Sin licencia de ofimática disponible")
        );
    }
}
