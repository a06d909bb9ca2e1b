//! Changes of this device the server refused: what each means and what to do.

use chaski_store::Store;

use super::conflicts::entity_label;
use super::views::SyncRejection;
use crate::error::IpcError;

/// What a rejection code means for the person, and what to do.
pub fn rejection_message(code: &str) -> String {
    use chaski_sync::wire::codes;
    match code {
        codes::DOCUMENT_SIGNED => "El documento ya estaba firmado en el servidor: los documentos \
             firmados no se modifican. Si hace falta un cambio, emita un documento nuevo."
            .into(),
        codes::NUMBER_OUTSIDE_BLOCK => "El número del documento no pertenece a los números \
             reservados para este equipo. Avise al administrador para revisarlo."
            .into(),
        codes::NUMBER_USED => "Otro documento ya usa ese número en la unidad. Avise al \
             administrador para revisar la numeración."
            .into(),
        codes::NUMBER_INCOMPLETE => "El número del documento está incompleto (tipo, año y \
             número van juntos). Vuelva a guardar el documento."
            .into(),
        codes::UNIT_MISMATCH => "El cambio es de otra unidad y este equipo no puede enviarlo. \
             Revise la unidad configurada en este equipo."
            .into(),
        codes::INVALID_CHANGE => "El servidor no reconoce el cambio (quizá una versión más \
             nueva de Chaski lo escribió). Actualice Chaski o avise al administrador."
            .into(),
        other => format!(
            "El servidor rechazó el cambio (código {other}). Avise al administrador con este \
             código."
        ),
    }
}

/// The refused changes of this device, with what they were about.
pub fn rejections(store: &Store) -> Result<Vec<SyncRejection>, IpcError> {
    let mut out = Vec::new();
    for r in store.sync_rejections()? {
        let change = store
            .outbox_after(r.device_seq.saturating_sub(1), 1)?
            .into_iter()
            // By change id: after a resync the sequence may belong to a re-stamped entry.
            .find(|c| c.change_id == r.change_id);
        out.push(SyncRejection {
            device_seq: r.device_seq,
            change_id: r.change_id.hyphenated().to_string(),
            message: rejection_message(&r.code),
            code: r.code,
            entity_label: change
                .as_ref()
                .map_or("registro", |c| entity_label(&c.entity))
                .to_string(),
            entity_id: change
                .as_ref()
                .map(|c| c.entity_id.hyphenated().to_string()),
            fields: change
                .map(|c| c.fields.keys().cloned().collect())
                .unwrap_or_default(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_rejection_code_has_its_own_message() {
        use chaski_sync::wire::codes;
        for code in [
            codes::DOCUMENT_SIGNED,
            codes::NUMBER_OUTSIDE_BLOCK,
            codes::NUMBER_USED,
            codes::NUMBER_INCOMPLETE,
            codes::UNIT_MISMATCH,
            codes::INVALID_CHANGE,
        ] {
            assert!(!rejection_message(code).contains("código"), "{code}");
        }
        assert!(rejection_message("otro_codigo").contains("otro_codigo"));
    }
}
