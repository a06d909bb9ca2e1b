//! The cargo de asignación and the traslado, printable once issued (they have their number)
//! and still when signed.

use chaski_core::ids::{AssignmentId, TransferId};
use chaski_docs::{Document, DocumentMeta};
use chaski_store::Store;

use super::Built;
use super::form::{
    FORM_ASSIGNMENT, FORM_TRANSFER, SUPPORT_UNIT, asset_lines, brief, header, lima, number_digits,
    person,
};
use crate::error::IpcError;

/// The cargo `id`.
pub(super) fn assignment(store: &Store, id: AssignmentId) -> Result<Built, IpcError> {
    let key = id.uuid();
    let a = store.assignment_get(id)?;
    a.lifecycle
        .status
        .ensure_printable("El cargo de asignación")?;
    let number = a.lifecycle.number.as_ref().map(|n| n.text());
    let issued = a.lifecycle.issued_at.unwrap_or(a.updated_at);
    let document = Document::Assignment(chaski_docs::Assignment {
        meta: DocumentMeta {
            document_id: key.to_string(),
            number: number_digits(number.as_deref()),
            issued_at: lima(issued),
        },
        header: header(FORM_ASSIGNMENT),
        support_unit: SUPPORT_UNIT.into(),
        date: a.date,
        employee: brief(&a.person),
        office: a
            .office
            .clone()
            .or_else(|| a.person.office.clone())
            .unwrap_or_default(),
        retired: asset_lines(&a.withdrawn),
        assigned: asset_lines(&a.assigned),
        technician: brief(&a.technician),
        copy_note: None,
    });
    Ok(Built {
        document,
        source_id: key,
        number,
    })
}

/// The traslado `id`.
pub(super) fn transfer(store: &Store, id: TransferId) -> Result<Built, IpcError> {
    let key = id.uuid();
    let t = store.transfer_get(id)?;
    t.lifecycle.status.ensure_printable("El traslado")?;
    let number = t.lifecycle.number.as_ref().map(|n| n.text());
    let issued = t.lifecycle.issued_at.unwrap_or(t.updated_at);
    let handed = t.handed_by_person.as_ref().unwrap_or(&t.technician);
    let document = Document::Transfer(chaski_docs::Transfer {
        meta: DocumentMeta {
            document_id: key.to_string(),
            number: number_digits(number.as_deref()),
            issued_at: lima(issued),
        },
        header: header(FORM_TRANSFER),
        date: t.date,
        origin_site: t.origin_site.clone(),
        destination_site: t.destination_site.clone(),
        reason: t.reason.clone(),
        assets: asset_lines(&t.items),
        delivered_by: brief(handed),
        delivered_by_office: handed
            .office
            .clone()
            .unwrap_or_else(|| format!("Soporte técnico – {SUPPORT_UNIT}")),
        received_by: t
            .received_by_person
            .as_ref()
            .map(brief)
            .unwrap_or_else(|| person("", None)),
        received_by_office: t
            .received_by_person
            .as_ref()
            .and_then(|p| p.office.clone())
            .unwrap_or_default(),
    });
    Ok(Built {
        document,
        source_id: key,
        number,
    })
}
