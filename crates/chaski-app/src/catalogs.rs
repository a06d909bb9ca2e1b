//! The closed lists the forms show (asset kinds, SBN conditions, diagnostic outcomes and
//! checklists, SBN causals of a baja), each value with its stable code and the core's Spanish
//! label, so the UI never hard-codes a label or a rule.

use chaski_core::asset::{AssetCondition, AssetEventKind, AssetKind, AssetStatus, Operability};
use chaski_core::document::DocStatus;
use chaski_core::operations::decommission::DecommissionCause;
use chaski_core::operations::diagnostic::{
    CheckItem, CheckOutcome, IT_OFFICE_MINUTES, Recommendation, WarrantyStatus, checklist_for,
    is_essential,
};
use chaski_core::operations::formatting::{FormatChecklist, is_formattable};
use serde::Serialize;
use ts_rs::TS;

/// One value of a closed list: the stable code and the Spanish label.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CodeLabel {
    pub code: String,
    pub label: String,
}

/// The closed lists of the asset forms and filters, labelled by the core.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AssetCatalogs {
    pub kinds: Vec<CodeLabel>,
    /// SBN *estado del bien*: N, B, R, M, X.
    pub conditions: Vec<CodeLabel>,
    pub operabilities: Vec<CodeLabel>,
    /// En uso / En almacén / De baja.
    pub statuses: Vec<CodeLabel>,
    /// Borrador / Emitido / Firmado / Anulado.
    pub doc_statuses: Vec<CodeLabel>,
    /// Alta, inventario, asignación, devolución, traslado, baja, diagnosticado operativo /
    /// inoperativo, baja propuesta (the history's entries).
    pub event_kinds: Vec<CodeLabel>,
}

fn asset_status_label(s: AssetStatus) -> &'static str {
    match s {
        AssetStatus::EnUso => "En uso",
        AssetStatus::EnAlmacen => "En almacén",
        AssetStatus::DeBaja => "De baja",
    }
}

/// A closed list as the UI shows it: each value's code and Spanish label, in the given order.
pub fn code_labels<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<CodeLabel> {
    all.iter()
        .map(|v| CodeLabel {
            code: code(*v).to_string(),
            label: label(*v).to_string(),
        })
        .collect()
}

impl AssetCatalogs {
    pub fn new() -> Self {
        Self {
            kinds: code_labels(AssetKind::ALL, AssetKind::code, AssetKind::label),
            conditions: code_labels(
                AssetCondition::ALL,
                AssetCondition::code,
                AssetCondition::label,
            ),
            operabilities: code_labels(Operability::ALL, Operability::code, Operability::label),
            statuses: code_labels(
                &[
                    AssetStatus::EnUso,
                    AssetStatus::EnAlmacen,
                    AssetStatus::DeBaja,
                ],
                AssetStatus::code,
                asset_status_label,
            ),
            doc_statuses: code_labels(
                &[
                    DocStatus::Borrador,
                    DocStatus::Emitido,
                    DocStatus::Firmado,
                    DocStatus::Anulado,
                ],
                DocStatus::code,
                DocStatus::label,
            ),
            event_kinds: code_labels(
                &[
                    AssetEventKind::Alta,
                    AssetEventKind::Inventario,
                    AssetEventKind::Asignacion,
                    AssetEventKind::Devolucion,
                    AssetEventKind::Traslado,
                    AssetEventKind::Baja,
                    AssetEventKind::Operativo,
                    AssetEventKind::Inoperativo,
                    AssetEventKind::BajaPropuesta,
                ],
                AssetEventKind::code,
                AssetEventKind::label,
            ),
        }
    }
}

impl Default for AssetCatalogs {
    fn default() -> Self {
        Self::new()
    }
}

/// One test of an asset kind's checklist, in the order the form shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChecklistEntry {
    pub item: CheckItem,
    pub label: String,
    /// When it fails the asset cannot be used: the result must be *inoperativo*.
    pub essential: bool,
}

/// The closed lists of the diagnostic form, labelled by the core.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DiagnosticCatalogs {
    /// Aprobado / Falló / No aplica.
    pub outcomes: Vec<CodeLabel>,
    /// Operativo / Inoperativo.
    pub results: Vec<CodeLabel>,
    pub recommendations: Vec<CodeLabel>,
    /// En garantía / Garantía vencida / Sin garantía registrada.
    pub warranty: Vec<CodeLabel>,
    /// Every test of every checklist, for reading a stored diagnostic.
    pub check_items: Vec<CodeLabel>,
    /// The mandatory formatting steps (code = the field of the formatting checklist).
    pub format_steps: Vec<CodeLabel>,
    /// The kinds that are formatted (they have an operating system).
    pub formattable_kinds: Vec<AssetKind>,
    /// Above this estimate the equipment goes to the IT office (seed 003 §8.6.4).
    pub it_office_minutes: u32,
}

/// "cuenta de administrador local" → "Cuenta de administrador local" (labels of the core are
/// written to be read inside a sentence).
pub(crate) fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl DiagnosticCatalogs {
    pub fn new() -> Self {
        Self {
            outcomes: code_labels(CheckOutcome::ALL, CheckOutcome::code, CheckOutcome::label),
            results: code_labels(Operability::ALL, Operability::code, Operability::label),
            recommendations: code_labels(
                Recommendation::ALL,
                Recommendation::code,
                Recommendation::label,
            ),
            warranty: code_labels(
                WarrantyStatus::ALL,
                WarrantyStatus::code,
                WarrantyStatus::label,
            ),
            check_items: code_labels(CheckItem::ALL, CheckItem::code, CheckItem::label),
            format_steps: FormatChecklist::default()
                .steps()
                .iter()
                .map(|(code, label, _)| CodeLabel {
                    code: (*code).to_string(),
                    label: capitalized(label),
                })
                .collect(),
            formattable_kinds: AssetKind::ALL
                .iter()
                .copied()
                .filter(|k| is_formattable(*k))
                .collect(),
            it_office_minutes: IT_OFFICE_MINUTES,
        }
    }
}

impl Default for DiagnosticCatalogs {
    fn default() -> Self {
        Self::new()
    }
}

/// The tests of the checklist of `kind`, in order.
pub fn checklist(kind: AssetKind) -> Vec<ChecklistEntry> {
    checklist_for(kind)
        .iter()
        .map(|item| ChecklistEntry {
            item: *item,
            label: item.label().to_string(),
            essential: is_essential(kind, *item),
        })
        .collect()
}

/// One SBN causal as the form's select shows it, with what it requires.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CauseOption {
    /// The letter stored and printed (`O`).
    pub code: String,
    /// "Obsolescencia técnica".
    pub label: String,
    /// The asset needs a diagnostic (O, M, X, Y).
    pub needs_diagnostic: bool,
    /// The last diagnostic must say *inoperativo* (M, X, Y).
    pub needs_inoperative: bool,
    /// A remark must say which (S).
    pub needs_remark: bool,
}

/// The SBN causals in the order of the SBN forms.
pub fn causes() -> Vec<CauseOption> {
    DecommissionCause::ALL
        .iter()
        .map(|c| CauseOption {
            code: c.code().to_string(),
            label: c.label().to_string(),
            needs_diagnostic: c.needs_diagnostic(),
            needs_inoperative: c.needs_inoperative(),
            needs_remark: *c == DecommissionCause::Otra,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_list_every_value_with_its_spanish_label() {
        let c = AssetCatalogs::new();
        assert_eq!(c.kinds.len(), AssetKind::ALL.len());
        assert!(
            c.kinds
                .iter()
                .any(|k| k.code == "escaner" && k.label == "Escáner")
        );
        let codes: Vec<&str> = c.conditions.iter().map(|k| k.code.as_str()).collect();
        assert_eq!(codes, ["N", "B", "R", "M", "X"]);
        assert_eq!(c.operabilities.len(), 2);
    }

    #[test]
    fn catalogs_carry_the_core_labels() {
        let c = DiagnosticCatalogs::new();
        let outcomes: Vec<&str> = c.outcomes.iter().map(|o| o.label.as_str()).collect();
        assert_eq!(outcomes, ["Aprobado", "Falló", "No aplica"]);
        assert_eq!(c.recommendations.len(), 6);
        assert!(
            c.recommendations
                .iter()
                .any(|r| r.code == "proponer_baja" && r.label == "Proponer la baja")
        );
        assert_eq!(c.format_steps.len(), 6);
        assert_eq!(c.format_steps[0].label, "NTFS con dos particiones");
        assert_eq!(
            c.format_steps[2].label,
            "Cuenta de administrador local habilitada"
        );
        assert_eq!(
            c.formattable_kinds,
            [AssetKind::Cpu, AssetKind::Laptop, AssetKind::Servidor]
        );
        assert_eq!(c.it_office_minutes, 60);
    }

    #[test]
    fn a_printer_checklist_marks_the_test_page_essential() {
        let list = checklist(AssetKind::Impresora);
        assert_eq!(list.len(), checklist_for(AssetKind::Impresora).len());
        let essential: Vec<CheckItem> = list
            .iter()
            .filter(|e| e.essential)
            .map(|e| e.item)
            .collect();
        assert_eq!(essential, [CheckItem::Energia, CheckItem::PaginaPrueba]);
        assert_eq!(list[0].label, "Encendido y alimentación eléctrica");
    }

    #[test]
    fn every_causal_with_its_letter_label_and_requirements() {
        let all = causes();
        let codes: Vec<&str> = all.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(
            codes,
            ["E", "O", "M", "P", "H", "B", "X", "Y", "Z", "D", "S"]
        );
        let o = &all[1];
        assert_eq!(o.label, "Obsolescencia técnica");
        assert!(o.needs_diagnostic && !o.needs_inoperative && !o.needs_remark);
        let m = &all[2];
        assert!(m.needs_diagnostic && m.needs_inoperative);
        let s = all.last().expect("S");
        assert!(s.needs_remark && !s.needs_diagnostic);
        assert!(!all[0].needs_diagnostic, "excedencia needs no diagnostic");
    }
}
