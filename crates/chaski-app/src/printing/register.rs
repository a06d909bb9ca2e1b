//! The register of attentions of a period (Anexo 01, "Formato de registro de atención de mesa
//! de ayuda"): every attention received in the period, oldest first.

use chaski_core::attention::{AttentionFilter, Page};
use chaski_core::error::ErrorCode;
use chaski_core::status::AttentionStatus;
use chaski_core::time::to_lima;
use chaski_docs::{AttentionRegister, AttentionRow, Document, DocumentMeta, PersonRef};
use chaski_store::Store;
use chrono::{NaiveDate, Utc};
use uuid::Uuid;

use super::form::{ENTITY_NAME, FORM_REGISTER, header, lima, person};
use super::{Built, PersonInput};
use crate::error::IpcError;
use crate::files::field_error;

/// Largest register in one document (a year of a busy unit is ~3,000).
const MAX_REGISTER_ROWS: usize = 5000;

/// The register of `from`..=`to` of the open store's unit, identified by `key`.
pub(super) fn build(
    store: &Store,
    key: Uuid,
    (from, to): (NaiveDate, NaiveDate),
    approver: Option<&PersonInput>,
) -> Result<Built, IpcError> {
    let profile = store.profile()?;
    let rows = register_rows(store, from, to)?;
    let technician = &profile.technician;
    let document = Document::AttentionRegister(AttentionRegister {
        meta: DocumentMeta {
            document_id: key.to_string(),
            number: String::new(),
            issued_at: lima(Utc::now()),
        },
        header: header(FORM_REGISTER),
        entity_name: ENTITY_NAME.into(),
        unit: profile.unit.name.clone(),
        period_from: from,
        period_to: to,
        rows,
        specialist: Some(PersonRef {
            name: technician.full_name(),
            dni: technician.dni.to_string(),
        }),
        chief: approver
            .filter(|a| !a.name.trim().is_empty())
            .map(|a| person(a.name.trim(), Some(a.dni.trim()))),
    });
    Ok(Built {
        document,
        source_id: key,
        number: None,
    })
}

/// The attentions received in the period, oldest first, as register rows.
fn register_rows(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<AttentionRow>, IpcError> {
    let filter = AttentionFilter {
        from: Some(from),
        to: Some(to),
        ..AttentionFilter::default()
    };
    let mut all = Vec::new();
    for number in 1.. {
        let page = store.attentions_list(
            &filter,
            Page {
                number,
                size: Page::MAX_SIZE,
            },
        )?;
        let n = page.items.len();
        all.extend(page.items);
        if all.len() > MAX_REGISTER_ROWS {
            return Err(field_error(
                ErrorCode::ValorInvalido,
                "to",
                format!(
                    "El periodo tiene más de {MAX_REGISTER_ROWS} atenciones; un registro admite \
                     hasta {MAX_REGISTER_ROWS}. Elija un periodo más corto."
                ),
            ));
        }
        if n < Page::MAX_SIZE as usize {
            break;
        }
    }
    // Drafts (no N° yet) are listed too: the register prints its own row number, never the
    // attention's N°, so a draft is never printed as a number (docs/sync.md).
    all.sort_by_key(|a| (a.received_at, a.number.as_ref().map_or(u32::MAX, |n| n.seq)));
    Ok(all
        .into_iter()
        .enumerate()
        .map(|(i, a)| AttentionRow {
            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
            date: to_lima(a.received_at).date_naive(),
            site: a.unit_name,
            requester: a.requester_name,
            office: a.office_name.unwrap_or_default(),
            problem: a.problem,
            solution: a.solution.unwrap_or_default(),
            typology: a.category_name,
            status: match a.status {
                AttentionStatus::Pendiente => chaski_docs::AttentionStatus::Pending,
                AttentionStatus::EnProgreso => chaski_docs::AttentionStatus::InProgress,
                AttentionStatus::Atendido => chaski_docs::AttentionStatus::Attended,
            },
            technician: a.technician_name,
        })
        .collect())
}
