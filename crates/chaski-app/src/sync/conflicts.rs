//! Conflicts: concurrent edits of one field, listed from the server with both values, and
//! resolved by keeping one (the loser is written as a new change that then wins everywhere).

use std::sync::Arc;

use chaski_core::error::{Error, ErrorCode};
use chaski_store::Store;
use chaski_sync::client::SyncOptions;
use chaski_sync::transport::{HttpTransport, Transport};
use chaski_sync::wire::{Conflict, ResolutionChoice};
use chaski_sync::{StoreReplica, SyncClient, SyncError, desktop_wants};
use uuid::Uuid;

use super::shared::Shared;
use super::views::{ConflictChoice, SyncConflict, SyncResolveInput};
use super::worker::prepare;
use super::{Timing, config};
use crate::error::IpcError;

/// The store, transport and token of an enrolled device, or why there are none.
fn enrolled(
    shared: &Arc<Shared>,
    timing: &Timing,
) -> Result<(Arc<Store>, HttpTransport, String), IpcError> {
    match prepare(shared, timing)? {
        Some((store, transport, Some(token))) => Ok((store, transport, token)),
        Some((_, _, None)) => Err(IpcError::from(&SyncError::NotEnrolled)),
        None if shared.store().is_none() => Err(IpcError::not_ready()),
        None => Err(config::not_configured()),
    }
}

async fn server_conflicts(
    shared: &Arc<Shared>,
    timing: &Timing,
) -> Result<(Arc<Store>, Uuid, Vec<Conflict>), IpcError> {
    let (store, transport, token) = enrolled(shared, timing)?;
    let profile = store.profile()?;
    let list = transport
        .conflicts(&token, &profile.unit.code)
        .await
        .map_err(|e| IpcError::from(&SyncError::Transport(e)))?;
    Ok((store, profile.device_id.uuid(), list.conflicts))
}

pub(super) async fn conflicts(
    shared: &Arc<Shared>,
    timing: &Timing,
) -> Result<Vec<SyncConflict>, IpcError> {
    let (_, device, list) = server_conflicts(shared, timing).await?;
    Ok(list
        .iter()
        .map(|c| SyncConflict {
            conflict_id: c.conflict_id.hyphenated().to_string(),
            entity: c.entity.clone(),
            entity_label: entity_label(&c.entity).to_string(),
            entity_id: c.entity_id.hyphenated().to_string(),
            field: c.field.clone(),
            winner_value: value_text(&c.winner_value),
            loser_value: value_text(&c.loser_value),
            winner_is_mine: c.winner_device == device,
            loser_is_mine: c.loser_device == device,
        })
        .collect())
}

pub(super) async fn resolve(
    shared: &Arc<Shared>,
    timing: &Timing,
    input: &SyncResolveInput,
) -> Result<(), IpcError> {
    let (store, transport, token) = enrolled(shared, timing)?;
    let profile = store.profile()?;
    let list = transport
        .conflicts(&token, &profile.unit.code)
        .await
        .map_err(|e| IpcError::from(&SyncError::Transport(e)))?;
    let conflict = list
        .conflicts
        .iter()
        .find(|c| c.conflict_id.hyphenated().to_string() == input.conflict_id)
        .ok_or_else(|| IpcError(Error::not_found("el conflicto (quizá ya se resolvió)")))?;
    let writable = chaski_store::write::Entity::from_table(&conflict.entity)
        .is_some_and(|e| e.columns().contains(&conflict.field.as_str()));
    if input.keep == ConflictChoice::Loser && !writable {
        return Err(IpcError(Error::general(
            ErrorCode::ValorInvalido,
            format!(
                "El valor descartado de este conflicto ({} · {}) no se puede aplicar desde esta \
                 versión de Chaski; se conserva el valor actual. Corrija el registro a mano si \
                 hace falta.",
                entity_label(&conflict.entity),
                conflict.field
            ),
        )));
    }
    let choice = match input.keep {
        ConflictChoice::Winner => ResolutionChoice::Winner,
        ConflictChoice::Loser => ResolutionChoice::Loser,
    };
    let name = format!(
        "{} {}",
        profile.technician.first_names, profile.technician.last_names
    );
    let mut replica = StoreReplica::new(
        store,
        desktop_wants(chaski_core::time::lima_year(chrono::Utc::now())),
    )
    .map_err(|e| IpcError::from(&SyncError::Local(e)))?;
    let mut client = SyncClient::new(transport, Some(token), SyncOptions::default());
    client
        .resolve_conflict(&mut replica, conflict, choice, None, Some(name))
        .await
        .map_err(|e| IpcError::from(&e))?;
    Ok(())
}

/// What people call a record of this kind, in Spanish (the wire's one list of entities).
pub fn entity_label(entity: &str) -> &'static str {
    chaski_sync::wire::entity::label_of(entity)
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "(vacío)".into(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(true) => "Sí".into(),
        serde_json::Value::Bool(false) => "No".into(),
        other => other.to_string(),
    }
}
