//! Changes of this device the server refused: what each means and what to do.

use chaski_store::Store;

use chaski_sync::rejection_message;

use super::conflicts::entity_label;
use super::views::SyncRejection;
use crate::error::IpcError;

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
